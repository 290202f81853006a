"""The gradient of a number is a float (DESIGN.md: float in, float out), also where
array operations carry it: np.atleast_1d(x) is np.reshape(x, (1,)), whose adjoint
np.reshape(g, ()) is a 0-d array, and np.asarray([x, y]) picks x's entry back out
(transforms/adjoints.own_gradients)."""

import math

import numpy as np
import pytest

import symdiff


def through_atleast_1d(x):
    return np.sum(np.sin(np.atleast_1d(x)))


def through_asarray_of_a_list(x, y):
    return np.sum(np.sin(np.asarray([x, y])) * np.arange(2.0))


def through_reshape(x):
    return np.sum(np.reshape(x, (1, 1)) * 3.0)


def var_of_numbers(x, y):
    return np.var([x, y * x])


def x_itself(x, y):
    return np.sum(np.atleast_1d(x) * y) + y


CASES = [
    (through_atleast_1d, (1.2,), 0, math.cos(1.2)),
    (through_asarray_of_a_list, (0.3, 0.4), 1, math.cos(0.4)),
    (through_reshape, (0.5,), 0, 3.0),
    (var_of_numbers, (0.5, 3.0), 0, 0.5 * (0.5 - 1.5) * (1 - 3.0)),
    (x_itself, (0.7, 2.0), 1, 1.7),
]


@pytest.mark.parametrize("fun,args,wrt,expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_gradient_of_a_float_is_a_float(fun, args, wrt, expected):
    gradient = symdiff.grad(fun, wrt=wrt)(*args)
    assert type(gradient) in (float, np.float64), (type(gradient), gradient)
    assert np.ndim(gradient) == 0
    assert gradient == pytest.approx(expected, rel=1e-12)


def test_an_array_gradient_is_still_an_array_of_its_own():
    x = np.array([1.0, 2.0])
    gradient = symdiff.grad(lambda x: np.sum(np.atleast_1d(x) * 2.0))(x)
    assert isinstance(gradient, np.ndarray) and gradient.shape == (2,)
    np.testing.assert_array_equal(gradient, [2.0, 2.0])
