"""Shapes: reshape, ravel, transpose (axes), swapaxes, moveaxis, squeeze, flips, roll, atleast_*, astype.
A fixed weight (np.arange) per entry after sin makes a misplaced entry show.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import at, case, normal


def reshape_call(x):
    return np.sum(np.sin(np.reshape(x, (6, 2))) * np.arange(12.0).reshape(6, 2))


def reshape_method_tuple(x):
    return np.sum(np.sin(x.reshape((3 * 2, 2))) * np.arange(12.0).reshape(6, 2))


def reshape_method_numbers(x):
    return np.sum(np.sin(x.reshape(3 * 2, 2)) * np.arange(12.0).reshape(6, 2))


def ravel_call(x):
    return np.sum(np.sin(np.ravel(x)) * np.arange(6.0))


def ravel_method(x):
    return np.sum(np.sin(x.ravel()) * np.arange(6.0))


def flatten_method(x):
    return np.sum(np.sin(x.flatten()) * np.arange(6.0))


def transpose_attribute(x):
    return np.sum(np.sin(x.T) * np.arange(6.0).reshape(3, 2))


def transpose_default(x):
    return np.sum(np.sin(np.transpose(x)) * np.arange(8.0).reshape(2, 2, 2))


def transpose_axes(x):
    return np.sum(np.sin(np.transpose(x, (2, 0, 1))) * np.arange(8.0).reshape(2, 2, 2))


def transpose_axes_list(x):
    return np.sum(np.sin(np.transpose(x, [1, 2, 0])) * np.arange(8.0).reshape(2, 2, 2))


def swapaxes_first_last(x):
    return np.sum(np.sin(np.swapaxes(x, 0, 2)) * np.arange(12.0).reshape(2, 3, 2))


def moveaxis_to_end(x):
    return np.sum(np.sin(np.moveaxis(x, 0, -1)) * np.arange(12.0).reshape(3, 2, 2))


def rollaxis_to_front(x):
    return np.sum(np.sin(np.rollaxis(x, 2)) * np.arange(12.0).reshape(2, 2, 3))


def squeeze_call(x):
    return np.sum(np.sin(np.squeeze(x)) * np.arange(4.0).reshape(2, 2))


def squeeze_method(x):
    return np.sum(np.sin(x.squeeze()) * np.arange(4.0).reshape(2, 2))


def expand_dims_middle(x):
    return np.sum(np.sin(np.expand_dims(x, 1)) * np.arange(4.0).reshape(2, 1, 2))


def flipud_matrix(x):
    return np.sum(np.sin(np.flipud(x)) * np.arange(6.0).reshape(3, 2))


def fliplr_matrix(x):
    return np.sum(np.sin(np.fliplr(x)) * np.arange(6.0).reshape(2, 3))


def rot90_matrix(x):
    return np.sum(np.sin(np.rot90(x)) * np.arange(6.0).reshape(3, 2))


def roll_axis1(x):
    return np.sum(np.sin(np.roll(x, 2, axis=1)) * np.arange(6.0).reshape(2, 3))


def roll_flattened(x):
    return np.sum(np.sin(np.roll(x, 1)) * np.arange(6.0).reshape(2, 3))


def broadcast_to_rows(x):
    return np.sum(np.sin(np.broadcast_to(x, (3, 2))) * np.arange(6.0).reshape(3, 2))


def atleast_1d_number(x):
    return np.sum(np.sin(np.atleast_1d(x)))


def atleast_2d_vector(x):
    return np.sum(np.sin(np.atleast_2d(x)) * np.arange(3.0))


def atleast_3d_matrix(x):
    return np.sum(np.sin(np.atleast_3d(x)) * np.arange(4.0).reshape(2, 2, 1))


def astype_float(x):
    return np.sum(np.sin(x.astype("float64")))


CASES = [
    case(reshape_call, "np.reshape", normal(3, 2, 2)),
    case(reshape_method_tuple, "np.reshape", normal(3, 2, 2)),
    case(reshape_method_numbers, "np.reshape", normal(3, 2, 2)),
    case(ravel_call, "np.ravel", normal(2, 3)),
    case(ravel_method, "np.ravel", normal(2, 3)),
    case(flatten_method, "ndarray.flatten", normal(2, 3)),
    case(transpose_attribute, "np.transpose", normal(2, 3)),
    case(transpose_default, "np.transpose", normal(2, 2, 2)),
    case(transpose_axes, "np.transpose", normal(2, 2, 2)),
    case(transpose_axes_list, "np.transpose", normal(2, 2, 2)),
    case(swapaxes_first_last, "np.swapaxes", normal(2, 3, 2)),
    case(moveaxis_to_end, "np.moveaxis", normal(2, 3, 2)),
    case(rollaxis_to_front, "np.rollaxis", normal(2, 3, 2)),
    case(squeeze_call, "np.squeeze", normal(2, 1, 2)),
    case(squeeze_method, "np.squeeze", normal(2, 1, 2)),
    case(expand_dims_middle, "np.expand_dims", normal(2, 2)),
    case(flipud_matrix, "np.flipud", normal(3, 2)),
    case(fliplr_matrix, "np.fliplr", normal(2, 3)),
    case(rot90_matrix, "np.rot90", normal(2, 3)),
    case(roll_axis1, "np.roll", normal(2, 3)),
    case(roll_flattened, "np.roll", normal(2, 3)),
    case(broadcast_to_rows, "np.broadcast_to", normal(2)),
    case(atleast_1d_number, "np.atleast_1d", at(1.2)),
    case(atleast_2d_vector, "np.atleast_2d", normal(3)),
    case(atleast_3d_matrix, "np.atleast_3d", normal(2, 2)),
    case(astype_float, "ndarray.astype", normal(3)),
]
