"""Kinks and singular points follow one convention (DESIGN.md), checked as a table.

abs'(0) = 0; ties of max/min/maximum/minimum split the gradient 1/2-1/2; integer
powers with a constant exponent are exact at 0; the exponent's partial of x**y
exists only when y is differentiated; piecewise-constant operations carry no
gradient.
"""

import math

import numpy as np
import pytest

import symdiff


def abs_builtin(x):
    return abs(x)


def abs_math(x):
    return math.fabs(x)


def abs_numpy(x):
    return np.abs(x)


def max_builtin(x, y):
    return max(x, y)


def min_builtin(x, y):
    return min(x, y)


def max_numpy(x, y):
    return np.maximum(x, y)


def min_numpy(x, y):
    return np.minimum(x, y)


def relu(x):
    return max(x, 0.0)


def relu_difference(x):
    return max(x, 0.0) - max(-x, 0.0)


def square(x):
    return x**2


def cube(x):
    return x**3


def power(x, y):
    return x**y


def floor_ceil_round(x):
    return math.floor(x) + math.ceil(x) + round(x) + math.trunc(x) + np.sign(x) + (x > 1) + x // 2


def remainder(x):
    return x % 1.5


def unused(x, y):
    return 2 * x


@pytest.mark.parametrize("fn", [abs_builtin, abs_math, abs_numpy])
def test_abs_has_derivative_zero_at_zero_and_sign_elsewhere(fn):
    g = symdiff.grad(fn)
    assert g(0.0) == 0.0
    assert g(-2.0) == -1.0
    assert g(3.0) == 1.0


@pytest.mark.parametrize("fn,winner", [(max_builtin, "x"), (max_numpy, "x"), (min_builtin, "y"),
                                       (min_numpy, "y")])
def test_max_and_min_ties_split_the_gradient_in_half(fn, winner):
    g = symdiff.grad(fn, wrt=("x", "y"))
    assert tuple(g(1.5, 1.5)) == (0.5, 0.5)
    assert tuple(g(2.0, 1.0)) == ((1.0, 0.0) if winner == "x" else (0.0, 1.0))


def test_relu_at_zero_is_one_half_and_relu_minus_relu_of_minus_x_is_one():
    assert symdiff.grad(relu)(0.0) == 0.5
    assert symdiff.grad(relu)(-1.0) == 0.0
    assert symdiff.grad(relu_difference)(0.0) == 1.0


def test_integer_powers_are_exact_at_zero():
    assert symdiff.grad(square)(0.0) == 0.0
    assert symdiff.grad(cube)(0.0) == 0.0
    assert symdiff.grad(square)(3.0) == 6.0


def test_exponent_partial_is_emitted_only_when_the_exponent_is_differentiated():
    wrt_base = symdiff.grad(power, wrt="x")
    assert "log" not in wrt_base.source
    assert wrt_base(0.0, 2.0) == 0.0
    wrt_exponent = symdiff.grad(power, wrt="y")
    assert "log" in wrt_exponent.source
    assert wrt_exponent(2.0, 3.0) == pytest.approx(8 * math.log(2))


def test_piecewise_constant_operations_carry_no_gradient():
    g = symdiff.grad(floor_ceil_round)
    assert g(1.3) == 0.0
    assert isinstance(g(1.3), float)


def test_remainder_has_gradient_one_in_its_first_argument():
    assert symdiff.grad(remainder)(4.2) == 1.0


def test_unused_parameter_gets_float_zero_not_none():
    gx, gy = symdiff.grad(unused, wrt=(0, 1))(1.0, 2.0)
    assert (gx, gy) == (2.0, 0.0)
    assert type(gy) is float
