"""Singular points and kinks: one convention, as a table (README, "Conventions at kinks
and singular points").

Where the derivative exists, the gradient is it (also its limit where a formula is 0/0
or 0 * log 0); at a kink, the convention SymPy agrees with (abs' is 0 at 0, ties split
½-½); where it is infinite, plain floats raise ZeroDivisionError from the generated line,
as `math` raises on domain errors, and NumPy gives inf. A branch of np.where that is not
taken never makes the gradient NaN."""

import math
import warnings

import numpy as np
import pytest

import symdiff

from .cases import singular_cases as cases
from .cases.misuse_cases import powers  # (sum of x**k from k = 0: 0**0 at x = 0)

A = np.array
INF = math.inf

# (function, wrt, arguments, the gradient: a number, an array, a tuple, or an exception type)
TABLE = [
    (cases.root, 0, (0.0,), ZeroDivisionError),
    (cases.np_root, 0, (A([0.0, 4.0]),), A([INF, 0.25])),
    (cases.root_of_square, 0, (0.0,), 0.0),
    (cases.root_of_square, 0, (-2.0,), -1.0),
    (cases.np_root_of_square, 0, (A([0.0, -2.0]),), A([0.0, -1.0])),
    (cases.norm, 0, (A([0.0, 0.0]),), A([0.0, 0.0])),
    (cases.norm, 0, (A([3.0, 4.0]),), A([0.6, 0.8])),
    (cases.norm_squared, 0, (A([0.0, 0.0]),), A([0.0, 0.0])),
    (cases.absolute, 0, (0.0,), 0.0),
    (cases.larger, (0, 1), (1.5, 1.5), (0.5, 0.5)),
    (cases.smaller, (0, 1), (1.5, 1.5), (0.5, 0.5)),
    (cases.np_larger, (0, 1), (A([1.0, 2.0]), A([1.0, 0.0])), (A([0.5, 1.0]), A([0.5, 0.0]))),
    (cases.relu_difference, 0, (0.0,), 1.0),
    (cases.cube, 0, (0.0,), 0.0),
    (cases.power_two_and_a_half, 0, (0.0,), 0.0),
    (cases.power_one_half, 0, (0.0,), ZeroDivisionError),
    (cases.np_power_one_half, 0, (A([0.0, 4.0]),), A([INF, 0.25])),
    (cases.power, (0, 1), (0.0, 2.5), (0.0, 0.0)),
    (cases.np_power, (0, 1), (A([0.0, 2.0]), A([2.5, 1.0])), (A([0.0, 1.0]), A([0.0, 2.0 * math.log(2.0)]))),
    # x**0 is 1 for every x, 0 included: its slope is 0 there (0.0 ** -1 would raise)
    (cases.power, (0, 1), (0.0, 0.0), (0.0, 0.0)),
    (cases.np_power_of_zero, 0, (np.float64(0.0), np.float64(0.0)), 0.0),
    (cases.np_power, 0, (A([0.0, 0.0, 2.0]), A([0.0, 1.0, 0.0])), A([0.0, 1.0, 0.0])),
    (powers, 0, (0.0, 3), 1.0),
    # a standard deviation of one entry, or of equal ones, is constant: slope 0, not 0 / 0
    (cases.spread, 0, (np.float64(3.5),), 0.0),
    (cases.spread, 0, (A([3.5]),), A([0.0])),
    (cases.spread, 0, (A([2.0, 2.0, 2.0]),), A([0.0, 0.0, 0.0])),
    (cases.spread_of_columns, 0, (A([[1.0, 2.0, 3.0]]),), A([[0.0, 0.0, 0.0]])),
    (cases.spread_of_columns, 0, (A([[1.0, 2.0], [3.0, 2.0]]),), A([[-0.5, 0.0], [0.5, 0.0]])),
    (cases.log_sum_exp, 0, (A([1000.0, 1000.0, -INF]),), A([0.5, 0.5, 0.0])),
    (cases.log_sum_exp, 0, (A([0.0, math.log(3.0)]),), A([0.25, 0.75])),
    (cases.where_sqrt, 0, (A([-1.0, 0.0, 4.0]),), A([0.0, 0.0, 0.25])),
    (cases.where_log, 0, (A([0.0, 0.5]), A([0.0, 1.0])), A([0.0, -2.0])),
    (cases.where_reciprocal, 0, (A([0.0, 2.0]),), A([0.0, -0.25])),
    (cases.log1p, 0, (1e-12,), 1.0 / (1.0 + 1e-12)),
    (cases.expm1, 0, (1e-12,), math.exp(1e-12)),
    (cases.softplus, 0, (0.0,), 0.5),
]


def _id(row):
    fun, _, args, _ = row
    return f"{fun.__name__}{args}"


@pytest.mark.parametrize("fun, wrt, args, expected", TABLE, ids=[_id(row) for row in TABLE])
def test_the_gradient_at_a_singular_point(fun, wrt, args, expected):
    gradient = symdiff.grad(fun, wrt=wrt)
    if isinstance(expected, type):
        with pytest.raises(expected):
            gradient(*args)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's inf in the untaken branch)
        got = gradient(*args)
    pairs = zip(got, expected, strict=True) if isinstance(expected, tuple) else [(got, expected)]
    for value, exact in pairs:
        value = np.asarray(value, dtype=float)
        assert not np.isnan(value).any(), (fun.__name__, value)
        np.testing.assert_allclose(value, exact, rtol=1e-15, atol=0.0)


@pytest.mark.parametrize("fun, wrt, args, expected", [
    (cases.power, 0, (0.0, 0.0), 0.0),
    (powers, 0, (0.0, 3), 1.0),
    (cases.spread, 0, (A([3.5]),), 0.0),
    (cases.spread_of_columns, 0, (A([[1.0, 2.0, 3.0]]),), 0.0),
], ids=lambda v: getattr(v, "__name__", None))
def test_forward_mode_takes_the_same_slope(fun, wrt, args, expected):
    direction = tuple(np.ones_like(args[i]) if isinstance(args[i], np.ndarray) else 1.0
                      for i in (wrt if isinstance(wrt, tuple) else (wrt,)))
    _, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *direction)
    assert not np.isnan(tangent).any()
    np.testing.assert_allclose(tangent, expected, rtol=1e-15, atol=0.0)


def test_std_with_ddof_matches_central_differences():
    x = np.random.default_rng(3).normal(size=(3, 4))
    value, gradient = symdiff.value_and_grad(cases.sample_spread)(x)
    assert value == cases.sample_spread(x)  # np.std and np.var with ddof, as NumPy computes them
    step = 1e-6
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = step
        slope = (cases.sample_spread(x + e) - cases.sample_spread(x - e)) / (2 * step)
        assert abs(gradient[index] - slope) < 1e-8
