"""Indexing (ints, slices, lists, None), len, and np.array / np.asarray of numbers and arrays.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import at, case, normal


def index_numbers(x):
    return np.sin(x[1, 0, 1])


def index_slices(x):
    return np.sum(np.sin(x[::-1, 1:3, :]) * np.arange(8.0).reshape(2, 2, 2))


def index_list(x):
    return np.sum(np.sin(x[[0, 1, 0], :]) * np.arange(6.0).reshape(3, 2))


def index_mixed(x):
    return np.sum(np.sin(x[1, 1:, [0, 1]]) * np.arange(4.0).reshape(2, 2))


def index_repeated_list(x):
    return np.sum(np.sin(x[[0, 0]]))


def index_vector_slice(x):
    return np.sum(np.sin(x[2:4]))


def index_slices_fan_out(x):
    y = x[::-1, 1:3]
    z = x[::-1, 0:2]
    return np.sum(np.sin(y + z))


def index_slice_of_slice(x):
    y = x[1:4]
    z = y[1:3]
    return np.sum(np.sin(z))


def index_dot_of_slices(x):
    return np.sin(np.dot(x[:2], x[2:]))


def index_new_axis(x):
    return np.sum(np.sin(x[:, None] * x[None, :]))


def len_of_array(x):
    return np.sum(np.sin(x)) * len(x)


def array_of_numbers(x):
    return np.sum(np.sin(np.array([x, x * 1.0, x + 2.5])) * np.arange(3.0))


def array_of_rows(x):
    return np.sum(np.sin(np.array([[x, x * 1.0, x + 2.5], [x ** 2, x, x / 2.0]])) * np.arange(6.0).reshape(2, 3))


def array_fan_out(x):
    a = np.array([x, x * 1.0, x + 2.5])
    return np.sum(np.sin(a + a) * np.arange(3.0))


def array_of_a_number(x):
    return np.sin(np.array(x))


def array_of_arrays(x):
    return np.sum(np.sin(np.array([x, 2.0 * x])))


def array_of_array_rows(x):
    return np.sum(np.sin(np.array([[2 * x, x + 1], [x, x]])))


def asarray_of_list(x, y):
    return np.sum(np.sin(np.asarray([x, y])) * np.arange(2.0))


CASES = [
    case(index_numbers, "x[i, j, k]", normal(2, 2, 2)),
    case(index_slices, "x[a:b]", normal(2, 3, 2)),
    case(index_list, "x[[i, j]]", normal(2, 2)),
    case(index_mixed, "x[i, a:b, [j, k]]", normal(2, 3, 2)),
    case(index_repeated_list, "x[[i, j]]", normal(3)),
    case(index_vector_slice, "x[a:b]", normal(5)),
    case(index_slices_fan_out, "x[a:b]", normal(2, 3)),
    case(index_slice_of_slice, "x[a:b]", normal(5)),
    case(index_dot_of_slices, "x[a:b]", normal(4)),
    case(index_new_axis, "x[:, None]", normal(3)),
    case(len_of_array, "len", normal(3)),
    case(array_of_numbers, "np.array", at(3.0)),
    case(array_of_rows, "np.array", at(3.0)),
    case(array_fan_out, "np.array", at(3.0)),
    case(array_of_a_number, "np.array", at(3.0)),
    case(array_of_arrays, "np.array", normal(3)),
    case(array_of_array_rows, "np.array", normal(2)),
    case(asarray_of_list, "np.asarray", normal(), normal()),
]
