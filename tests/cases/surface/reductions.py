"""Reductions with their keywords (axis, keepdims, ddof), on arrays, lists of numbers and ties.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import at, case, normal, within


def sum_all(x):
    return np.sin(np.sum(x))


def sum_axis0(x):
    return np.sum(np.sin(np.sum(x, axis=0)))


def sum_axis1_keepdims(x):
    return np.sum(np.sin(np.sum(x, axis=1, keepdims=True)))


def sum_axis_tuple(x):
    return np.sum(np.sin(np.sum(x, axis=(1, 2))))


def sum_method(x):
    return np.sin(x.sum())


def sum_builtin_of_list(x, y):
    return np.sum(np.sin(sum([x, y])))


def mean_all(x):
    return np.sin(np.mean(x))


def mean_axis0(x):
    return np.sum(np.sin(np.mean(x, axis=0)))


def mean_axis_last_keepdims(x):
    return np.sum(np.sin(np.mean(x, axis=-1, keepdims=True)))


def mean_of_list(x):
    return np.mean([x, x + 2.0])


def mean_of_tuple(x):
    return np.mean((x, x + 2.0))


def prod_all(x):
    return np.prod(x)


def prod_axis0(x):
    return np.sum(np.sin(np.prod(x, axis=0)))


def prod_axis0_keepdims(x):
    return np.sum(np.sin(np.prod(x, axis=0, keepdims=True)))


def prod_vector(x):
    return np.prod(x)


def max_all(x):
    return np.max(x)


def max_axis1(x):
    return np.sum(np.sin(np.max(x, axis=1)))


def max_axis1_keepdims(x):
    return np.sum(np.sin(np.max(x, axis=1, keepdims=True)))


def min_all(x):
    return np.min(x)


def min_axis1(x):
    return np.sum(np.sin(np.min(x, axis=1)))


def min_axis0_keepdims(x):
    return np.sum(np.sin(np.min(x, axis=0, keepdims=True)))


def amax_axis0(x):
    return np.sum(np.sin(np.amax(x, axis=0)))


def amin_all(x):
    return np.amin(x)


def max_of_equal_values(x):
    return np.max(np.array([x, x]))


def max_of_equal_values_rows(x):
    return np.sum(np.max(np.array([[x, x], [x, 0.5]]), axis=1))


def min_three_way_tie(x):
    return np.sum(np.min(np.array([[x, x, x], [x, 0.5, 0.5], [0.5, 0.5, 0.5], [x, x, 0.5]]), axis=0))


def maximum_of_itself(x):
    return np.maximum(x, x)


def maximum_equal_values_broadcast(x):
    return np.sum(np.maximum(np.array([x, x, 0.5]), np.array([[x, 0.5, x], [x, x, 0.5]])))


def var_all(x):
    return np.var(x)


def var_axis0(x):
    return np.sum(np.sin(np.var(x, axis=0)))


def var_ddof1(x):
    return np.var(x, ddof=1)


def var_ddof2_axis1_keepdims(x):
    return np.sum(np.sin(np.var(x, axis=1, ddof=2, keepdims=True)))


def var_of_list(x):
    return np.var([x, x + 2.0])


def std_all(x):
    return np.std(x)


def std_axis1(x):
    return np.sum(np.sin(np.std(x, axis=1)))


def std_ddof1_keepdims(x):
    return np.sum(np.std(x, ddof=1, keepdims=True))


def std_ddof2_axis1(x):
    return np.sum(np.sin(np.std(x, axis=1, ddof=2)))


def std_of_a_number(x):
    # one value: the standard deviation is 0 whatever x is, so is its gradient
    return np.std(x) + x


def std_one_row_axis0(x):
    # each column of a 1 x 3 array is one value: constant, gradient 0
    return np.sum(np.std(x, axis=0)) + np.sum(x)


def std_of_list(x):
    return np.std([x, x + 2.0])


def cumsum_axis0(x):
    return np.sum(np.sin(np.cumsum(x, axis=0)))


def cumsum_axis1(x):
    return np.sum(np.sin(np.cumsum(x, axis=1)))


def cumsum_vector(x):
    return np.sum(np.sin(np.cumsum(x)))


def cumsum_flattened(x):
    return np.sum(np.sin(np.cumsum(x)))


CASES = [
    case(sum_all, "np.sum", normal(2, 3)),
    case(sum_axis0, "np.sum", normal(2, 3)),
    case(sum_axis1_keepdims, "np.sum", normal(2, 3)),
    case(sum_axis_tuple, "np.sum", normal(2, 2, 2)),
    case(sum_method, "np.sum", normal(2, 3)),
    case(sum_builtin_of_list, "sum", normal(2, 2), normal(2, 2)),
    case(mean_all, "np.mean", normal(2, 3)),
    case(mean_axis0, "np.mean", normal(2, 3)),
    case(mean_axis_last_keepdims, "np.mean", normal(2, 3)),
    case(mean_of_list, "np.mean", at(0.0)),
    case(mean_of_tuple, "np.mean", at(0.0)),
    case(prod_all, "np.prod", within(0.1, 1.0, 2, 3)),
    case(prod_axis0, "np.prod", within(0.1, 2.0, 2, 3)),
    case(prod_axis0_keepdims, "np.prod", within(0.1, 2.0, 2, 3)),
    case(prod_vector, "np.prod", within(0.1, 2.0, 4)),
    case(max_all, "np.max", normal(2, 3)),
    case(max_axis1, "np.max", normal(2, 2, 2)),
    case(max_axis1_keepdims, "np.max", normal(2, 2, 2)),
    case(min_all, "np.min", normal(2, 3)),
    case(min_axis1, "np.min", normal(2, 2, 2)),
    case(min_axis0_keepdims, "np.min", normal(2, 3)),
    case(amax_axis0, "np.amax", normal(2, 3)),
    case(amin_all, "np.amin", normal(2, 3)),
    case(max_of_equal_values, "np.max", at(1.0)),
    case(max_of_equal_values_rows, "np.max", at(-1.0)),
    case(min_three_way_tie, "np.min", at(1.0)),
    case(maximum_of_itself, "np.maximum", at(1.0)),
    case(maximum_equal_values_broadcast, "np.maximum", at(2.0)),
    case(var_all, "np.var", normal(3)),
    case(var_axis0, "np.var", normal(3, 2)),
    case(var_ddof1, "np.var", normal(3)),
    case(var_ddof2_axis1_keepdims, "np.var", normal(2, 4)),
    case(var_of_list, "np.var", at(0.0)),
    case(std_all, "np.std", normal(2, 2)),
    case(std_axis1, "np.std", normal(2, 3)),
    case(std_ddof1_keepdims, "np.std", normal(3)),
    case(std_ddof2_axis1, "np.std", normal(2, 4)),
    case(std_of_a_number, "np.std", at(3.5)),
    case(std_one_row_axis0, "np.std", normal(1, 3)),
    case(std_of_list, "np.std", at(0.0)),
    case(cumsum_axis0, "np.cumsum", normal(2, 3)),
    case(cumsum_axis1, "np.cumsum", normal(2, 3)),
    case(cumsum_vector, "np.cumsum", normal(4)),
    case(cumsum_flattened, "np.cumsum", normal(2, 2)),
]
