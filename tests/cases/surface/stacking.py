"""Repeating, padding, differencing, splitting and stacking.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import case, fixed_normal, normal


def repeat_axis1(x):
    return np.sum(np.sin(np.repeat(x, 2, axis=1)) * np.arange(8.0).reshape(2, 4))


def repeat_axis0(x):
    return np.sum(np.sin(np.repeat(x, 2, axis=0)) * np.arange(4.0))


def repeat_once(x):
    return np.sum(np.sin(np.repeat(x, 1, axis=0)))


def repeat_flattened(x):
    return np.sum(np.sin(np.repeat(x, 2)) * np.arange(8.0))


def tile_reps_tuple(x):
    return np.sum(np.sin(np.tile(x, (2, 1))) * np.arange(6.0).reshape(2, 3))


def tile_reps_number(x):
    return np.sum(np.sin(np.tile(x, 2)) * np.arange(4.0))


def tile_more_dimensions(x):
    return np.sum(np.sin(np.tile(x, (2, 1, 2))) * np.arange(8.0).reshape(2, 1, 4))


def pad_constant(x):
    return np.sum(np.sin(np.pad(x, 1) + 0.5) * np.arange(5.0))


def pad_widths(x):
    return np.sum(np.sin(np.pad(x, ((1, 0), (0, 2))) + 0.5) * np.arange(12.0).reshape(3, 4))


def diff_vector(x):
    return np.sum(np.sin(np.diff(x)) * np.arange(3.0))


def diff_twice_axis0(x):
    return np.sum(np.sin(np.diff(x, n=2, axis=0)))


def diff_axis1(x):
    return np.sum(np.sin(np.diff(x, axis=1)))


def gradient_vector(x):
    return np.sum(np.sin(np.gradient(x)) * np.arange(4.0))


def gradient_axis0(x):
    return np.sum(np.sin(np.gradient(x, axis=0)) * np.arange(6.0).reshape(3, 2))


def split_halves(x):
    first, second = np.split(x, 2)
    return np.sum(np.sin(first)) + np.sum(second ** 2)


def split_first(x):
    return np.sum(np.sin(np.split(x, 2)[0]))


def split_at_indices_axis1(x):
    a, b, c = np.split(x, [1, 2], axis=1)
    return np.sum(np.sin(a)) + np.sum(b * b) + np.sum(np.cos(c))


def array_split_uneven(x):
    a, b = np.array_split(x, 2)
    return np.sum(np.sin(a)) + np.sum(b * b)


def vsplit_rows(x):
    a, b = np.vsplit(x, 2)
    return np.sum(np.sin(a)) + np.sum(b * b)


def hsplit_columns(x):
    a, b = np.hsplit(x, 2)
    return np.sum(np.sin(a)) + np.sum(b * b)


def dsplit_depth(x):
    a, b = np.dsplit(x, 2)
    return np.sum(np.sin(a)) + np.sum(b * b)


def concatenate_with_data(x, a):
    return np.sum(np.sin(np.concatenate((a, x))) * np.arange(5.0))


def concatenate_axis1(x, b):
    return np.sum(np.sin(np.concatenate((b, x, b), axis=1)))


def concatenate_axis_by_position(x, b):
    return np.sum(np.sin(np.concatenate((b, x, b), 1)))


def concatenate_list(x, y):
    return np.sum(np.sin(np.concatenate([x, y])) * np.arange(4.0))


def append_number(x, y):
    return np.sum(np.sin(np.append(x, y)) * np.arange(4.0))


def append_rows(x, y):
    return np.sum(np.sin(np.append(x, y, axis=0)))


def stack_axis1(x, y):
    return np.sum(np.sin(np.stack((x, y), axis=1)) * np.arange(4.0).reshape(2, 2))


def vstack_vectors(x, y):
    return np.sum(np.sin(np.vstack((x, y))) * np.arange(4.0).reshape(2, 2))


def hstack_matrices(x, y):
    return np.sum(np.sin(np.hstack((x, y))))


def column_stack_vectors(x, y):
    return np.sum(np.sin(np.column_stack((x, y))) * np.arange(4.0).reshape(2, 2))


def dstack_matrices(x, y):
    return np.sum(np.sin(np.dstack((x, y))) * np.arange(4.0).reshape(1, 2, 2))


def r_double(x):
    return np.sum(np.sin(np.r_[x, x]) * np.arange(6.0))


def r_with_data(x, c):
    return np.sum(np.sin(np.r_[x, c, x]) * np.arange(7.0))


def c_columns(x, c):
    return np.sum(np.sin(np.c_[x, c, x]) * np.arange(9.0).reshape(3, 3))


CASES = [
    case(repeat_axis1, "np.repeat", normal(2, 2)),
    case(repeat_axis0, "np.repeat", normal(2)),
    case(repeat_once, "np.repeat", normal(3, 1)),
    case(repeat_flattened, "np.repeat", normal(2, 2)),
    case(tile_reps_tuple, "np.tile", normal(1, 3)),
    case(tile_reps_number, "np.tile", normal(2)),
    case(tile_more_dimensions, "np.tile", normal(1, 2)),
    case(pad_constant, "np.pad", normal(3)),
    case(pad_widths, "np.pad", normal(2, 2)),
    case(diff_vector, "np.diff", normal(4)),
    case(diff_twice_axis0, "np.diff", normal(3, 2)),
    case(diff_axis1, "np.diff", normal(2, 3)),
    case(gradient_vector, "np.gradient", normal(4)),
    case(gradient_axis0, "np.gradient", normal(3, 2)),
    case(split_halves, "np.split", normal(4)),
    case(split_first, "np.split", normal(4)),
    case(split_at_indices_axis1, "np.split", normal(2, 3)),
    case(array_split_uneven, "np.array_split", normal(3)),
    case(vsplit_rows, "np.vsplit", normal(2, 2)),
    case(hsplit_columns, "np.hsplit", normal(2, 2)),
    case(dsplit_depth, "np.dsplit", normal(1, 2, 2)),
    case(concatenate_with_data, "np.concatenate", normal(3), fixed_normal(2)),
    case(concatenate_axis1, "np.concatenate", normal(2, 1), fixed_normal(2, 1)),
    case(concatenate_axis_by_position, "np.concatenate", normal(2, 1), fixed_normal(2, 1)),
    case(concatenate_list, "np.concatenate", normal(1), normal(3)),
    case(append_number, "np.append", normal(3), normal()),
    case(append_rows, "np.append", normal(1, 2), normal(1, 2)),
    case(stack_axis1, "np.stack", normal(2), normal(2)),
    case(vstack_vectors, "np.vstack", normal(2), normal(2)),
    case(hstack_matrices, "np.hstack", normal(2, 1), normal(2, 2)),
    case(column_stack_vectors, "np.column_stack", normal(2), normal(2)),
    case(dstack_matrices, "np.dstack", normal(1, 2), normal(1, 2)),
    case(r_double, "np.r_", normal(3)),
    case(r_with_data, "np.r_", normal(3), fixed_normal(1)),
    case(c_columns, "np.c_", normal(3), fixed_normal(3)),
]
