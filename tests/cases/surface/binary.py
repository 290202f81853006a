"""Binary ufuncs, operators and `operator.*`: equal shapes, shapes that broadcast against each
other, and a number with an array, as autograd's binary checks use them.

Part of autograd_surface.py's corpus (see its docstring)."""

import operator

import numpy as np

from .table import case, normal, within


# Three forms where autograd's binary checks use them: equal shapes, shapes that
# broadcast against each other, and a number with an array.


def add_arrays(x, y):
    return np.sum(np.sin(np.add(x, y)))


def add_broadcast(x, y):
    return np.sum(np.sin(np.add(x, y)))


def add_number(x, y):
    return np.sum(np.sin(np.add(x, y)))


def subtract_arrays(x, y):
    return np.sum(np.sin(np.subtract(x, y)))


def subtract_number(x, y):
    return np.sum(np.sin(np.subtract(x, y)))


def multiply_arrays(x, y):
    return np.sum(np.sin(np.multiply(x, y)))


def multiply_broadcast(x, y):
    return np.sum(np.sin(np.multiply(x, y)))


def multiply_number(x, y):
    return np.sum(np.sin(np.multiply(x, y)))


def divide_arrays(x, y):
    return np.sum(np.sin(np.divide(x, y)))


def divide_broadcast(x, y):
    return np.sum(np.sin(np.divide(x, y)))


def true_divide_arrays(x, y):
    return np.sum(np.sin(np.true_divide(x, y)))


def true_divide_negative(x, y):
    return np.sum(np.sin(np.true_divide(x, y)))


def maximum_arrays(x, y):
    return np.sum(np.sin(np.maximum(x, y)))


def maximum_broadcast(x, y):
    return np.sum(np.sin(np.maximum(x, y)))


def minimum_arrays(x, y):
    return np.sum(np.sin(np.minimum(x, y)))


def minimum_broadcast(x, y):
    return np.sum(np.sin(np.minimum(x, y)))


def fmax_arrays(x, y):
    return np.sum(np.sin(np.fmax(x, y)))


def fmin_arrays(x, y):
    return np.sum(np.sin(np.fmin(x, y)))


def logaddexp_arrays(x, y):
    return np.sum(np.sin(np.logaddexp(x, y)))


def logaddexp_number(x, y):
    return np.sum(np.sin(np.logaddexp(x, y)))


def logaddexp2_arrays(x, y):
    return np.sum(np.sin(np.logaddexp2(x, y)))


def mod_arrays(x, y):
    return np.sum(np.sin(np.mod(x, y)))


def mod_negative(x, y):
    return np.sum(np.sin(np.mod(x, y)))


def remainder_arrays(x, y):
    return np.sum(np.sin(np.remainder(x, y)))


def power_arrays(x, y):
    return np.sum(np.sin(np.power(x, y)))


def power_number_exponent(x, y):
    return np.sum(np.sin(np.power(x, y)))


def arctan2_arrays(x, y):
    return np.sum(np.sin(np.arctan2(x, y)))


def hypot_arrays(x, y):
    return np.sum(np.sin(np.hypot(x, y)))


def plus_operator(x, y):
    return np.sum(np.sin(x + y))


def minus_operator(x, y):
    return np.sum(np.sin(x - y))


def times_operator(x, y):
    return np.sum(np.sin(x * y))


def times_operator_number(x, y):
    return np.sum(np.sin(x * y))


def divide_operator(x, y):
    return np.sum(np.sin(x / y))


def mod_operator(x, y):
    return np.sum(np.sin(x % y))


def mod_operator_number(x, y):
    # a number % an array: the tangent has the array's shape
    return np.sum(np.sin(x % y))


def power_operator(x, y):
    return np.sum(np.sin(x ** y))


def op_add(x, y):
    return np.sum(np.sin(operator.add(x, y)))


def op_sub(x, y):
    return np.sum(np.sin(operator.sub(x, y)))


def op_mul(x, y):
    return np.sum(np.sin(operator.mul(x, y)))


def op_truediv(x, y):
    return np.sum(np.sin(operator.truediv(x, y)))


def op_mod(x, y):
    return np.sum(np.sin(operator.mod(x, y)))


def op_pow(x, y):
    return np.sum(np.sin(operator.pow(x, y)))


def op_neg(x):
    return np.sum(np.sin(operator.neg(x)))


CASES = [
    case(add_arrays, "np.add", normal(2, 2), normal(2, 2)),
    case(add_broadcast, "np.add", normal(2, 1), normal(2)),
    case(add_number, "np.add", normal(), normal(3)),
    case(subtract_arrays, "np.subtract", normal(2, 2), normal(2, 2)),
    case(subtract_number, "np.subtract", normal(3), normal()),
    case(multiply_arrays, "np.multiply", normal(2, 2), normal(2, 2)),
    case(multiply_broadcast, "np.multiply", normal(2, 1), normal(2)),
    case(multiply_number, "np.multiply", normal(), normal(3)),
    case(divide_arrays, "np.divide", normal(2, 2), within(0.3, 2.0, 2, 2)),
    case(divide_broadcast, "np.divide", normal(2, 1), within(0.3, 2.0, 2)),
    case(true_divide_arrays, "np.true_divide", normal(4), within(0.8, 1.2, 4)),
    case(true_divide_negative, "np.true_divide", normal(4), within(-2.0, -0.3, 4)),
    case(maximum_arrays, "np.maximum", normal(4), normal(4)),
    case(maximum_broadcast, "np.maximum", normal(1, 2), normal(2, 2)),
    case(minimum_arrays, "np.minimum", normal(4), normal(4)),
    case(minimum_broadcast, "np.minimum", normal(1), normal(2, 2)),
    case(fmax_arrays, "np.fmax", normal(4), normal(4)),
    case(fmin_arrays, "np.fmin", normal(4), normal(4)),
    case(logaddexp_arrays, "np.logaddexp", normal(4), normal(4)),
    case(logaddexp_number, "np.logaddexp", normal(), normal(3)),
    case(logaddexp2_arrays, "np.logaddexp2", normal(4), normal(4)),
    case(mod_arrays, "np.mod", within(0.1, 3.0, 4), within(0.8, 2.1, 4)),
    case(mod_negative, "np.mod", within(0.1, 3.0, 4), within(-2.0, -0.3, 4)),
    case(remainder_arrays, "np.remainder", within(-0.9, 0.9, 4), within(0.7, 1.9, 4)),
    case(power_arrays, "np.power", within(0.7, 2.0, 4), normal(4)),
    case(power_number_exponent, "np.power", within(0.7, 2.0, 4), normal()),
    case(arctan2_arrays, "np.arctan2", normal(4), normal(4)),
    case(hypot_arrays, "np.hypot", normal(4), normal(4)),
    case(plus_operator, "+", normal(2, 2), normal(2)),
    case(minus_operator, "-", normal(), normal(2, 2)),
    case(times_operator, "*", normal(2, 2), normal(2, 2)),
    case(times_operator_number, "*", normal(3), normal()),
    case(divide_operator, "/", normal(4), within(0.5, 2.0, 4)),
    case(mod_operator, "%", within(0.1, 3.0, 4), within(0.3, 2.0, 4)),
    case(mod_operator_number, "%", within(0.1, 3.0), within(0.3, 2.0, 3)),
    case(power_operator, "**", within(0.7, 2.0, 4), normal(4)),
    case(op_add, "operator.add", normal(4), normal(4)),
    case(op_sub, "operator.sub", normal(4), normal(4)),
    case(op_mul, "operator.mul", normal(4), normal(4)),
    case(op_truediv, "operator.truediv", normal(4), within(0.5, 2.0, 4)),
    case(op_mod, "operator.mod", within(0.1, 3.0, 4), within(0.3, 2.0, 4)),
    case(op_pow, "operator.pow", within(0.7, 2.0, 4), normal(4)),
    case(op_neg, "operator.neg", normal(4)),
]
