"""NumPy's elementwise rows of primitives/elementwise.py at their special points.

The table-driven tests (test_primitives.py, test_every_row.py) check every row at
points of its sample intervals; here the conventions at the points they avoid: sinc
at 0, fmax/fmin with a NaN, nan_to_num of inf and NaN, heaviside at 0, and the
refusal of np.float32 of a differentiated value.
"""

import math

import numpy as np
import pytest

import symdiff
from symdiff.errors import UnsupportedSyntaxError


def sinc_of(x):
    return np.sinc(x)


def sinc_sum(x):
    return np.sum(np.sinc(x))


def fmax_sum(x, y):
    return np.sum(np.fmax(x, y))


def fmin_sum(x, y):
    return np.sum(np.fmin(x, y))


def cleaned_sum(x):
    return np.sum(np.nan_to_num(x) * 3.0)


def step_sum(x, h):
    return np.sum(np.heaviside(x, h) * x)


def step_count(x, h):
    return np.sum(np.heaviside(x, h) * 3.0)


def rounded_in_single(x):
    return np.float32(x) * 2.0


def doubled_in_double(x):
    return np.float64(x) * 2.0


def angles(x):
    return np.sin(np.deg2rad(x)) + np.rad2deg(x) / 90.0


def test_sinc_at_zero_is_one_with_slope_zero_and_the_limit_curvature():
    assert symdiff.grad(sinc_of)(0.0) == 0.0
    slope = symdiff.grad(sinc_of)(0.5)
    assert isinstance(slope, float) and np.ndim(slope) == 0  # (a float in, a float out)
    assert math.isclose(slope, (math.cos(math.pi / 2) - np.sinc(0.5)) / 0.5, rel_tol=1e-12)
    assert symdiff.jvp(sinc_of)(0.0, 1.0) == (1.0, 0.0)
    curvature = symdiff.hessian(sinc_of)(0.0)
    assert math.isclose(curvature, -math.pi**2 / 3.0, rel_tol=1e-12), curvature


def test_sinc_gradient_away_from_zero_is_the_closed_form():
    x = np.array([-1.3, 0.4, 2.5])
    expected = (np.cos(np.pi * x) - np.sinc(x)) / x
    np.testing.assert_allclose(symdiff.grad(sinc_sum)(x), expected, rtol=1e-12)
    np.testing.assert_array_equal(symdiff.grad(sinc_sum)(np.array([0.0, 1.0])), [0.0, -1.0])


def test_fmax_and_fmin_give_the_whole_gradient_to_the_value_that_is_not_nan():
    x, y = np.array([1.0, np.nan, 2.0, 3.0]), np.array([np.nan, 5.0, 1.0, 3.0])
    gx, gy = symdiff.grad(fmax_sum, wrt=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [1.0, 0.0, 1.0, 0.5])
    np.testing.assert_array_equal(gy, [0.0, 1.0, 0.0, 0.5])
    gx, gy = symdiff.grad(fmin_sum, wrt=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [1.0, 0.0, 0.0, 0.5])
    np.testing.assert_array_equal(gy, [0.0, 1.0, 1.0, 0.5])


def test_nan_to_num_passes_the_gradient_only_where_its_argument_is_finite():
    x = np.array([2.0, np.inf, -np.inf, np.nan])
    np.testing.assert_array_equal(symdiff.grad(cleaned_sum)(x), [3.0, 0.0, 0.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):  # (the value itself: 3 inf - 3 inf)
        assert symdiff.jvp(cleaned_sum)(x, np.ones(4))[1] == 3.0


def test_heaviside_has_no_gradient_in_x_and_gradient_one_in_h_where_x_is_zero():
    x = np.array([-1.0, 0.0, 2.0])
    gx = symdiff.grad(step_sum)(x, 0.5)
    np.testing.assert_array_equal(gx, [0.0, 0.5, 1.0])  # H(x) + x * 0
    gx, gh = symdiff.grad(step_count, wrt=(0, 1))(np.array([0.0, 1.5, 0.0]), 0.25)
    np.testing.assert_array_equal(gx, [0.0, 0.0, 0.0])
    assert gh == 6.0  # two entries at 0, each 3 * h


def test_float32_of_a_differentiated_value_is_refused_where_it_is_written():
    with pytest.raises(UnsupportedSyntaxError) as info:
        symdiff.grad(rounded_in_single)
    message = str(info.value)
    line = rounded_in_single.__code__.co_firstlineno + 1
    assert message.startswith(f"{__file__}:{line}:"), message
    assert "numpy.float32 is not differentiated in its argument" in message and "np.float64" in message


def test_float64_is_the_identity():
    gradient = symdiff.grad(doubled_in_double)(1.5)
    assert gradient == 2.0 and type(gradient) is float


def test_angle_conversions_match_sympy():
    symdiff.verify(angles)
    gradient = symdiff.grad(angles)(0.3)
    expected = math.cos(math.radians(0.3)) * math.pi / 180.0 + 2.0 / math.pi
    assert math.isclose(gradient, expected, rel_tol=1e-12)
