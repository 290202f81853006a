"""Matrices and selections: trace, diag, diagonal, triu/tril (k), clip, where, select, sort, full, linspace.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import at, case, mask, normal


def trace_square(x):
    return np.sin(np.trace(x))


def trace_offset_above(x):
    return np.sin(np.trace(x, offset=1))


def trace_offset_below(x):
    return np.sin(np.trace(x, offset=-1))


def trace_of_stack(x):
    return np.sum(np.sin(np.trace(x)))


def diag_of_matrix(x):
    return np.sum(np.sin(np.diag(x)) * np.arange(3.0))


def diag_above(x):
    return np.sum(np.sin(np.diag(x, k=1)) * np.arange(2.0))


def diag_below(x):
    return np.sum(np.sin(np.diag(x, -1)) * np.arange(2.0))


def diag_of_vector(x):
    return np.sum(np.sin(np.diag(x) + 0.5) * np.arange(9.0).reshape(3, 3))


def diag_of_vector_above(x):
    return np.sum(np.sin(np.diag(x, k=1) + 0.5) * np.arange(9.0).reshape(3, 3))


def diagonal_last_axes(x):
    return np.sum(np.sin(np.diagonal(x, axis1=-1, axis2=-2)) * np.arange(4.0).reshape(2, 2))


def diagonal_offset(x):
    return np.sum(np.sin(np.diagonal(x, offset=1)) * np.arange(2.0))


def triu_above(x):
    return np.sum(np.sin(np.triu(x, k=1) + 0.5) * np.arange(9.0).reshape(3, 3))


def triu_default(x):
    return np.sum(np.sin(np.triu(x) + 0.5) * np.arange(9.0).reshape(3, 3))


def tril_below(x):
    return np.sum(np.sin(np.tril(x, k=-1) + 0.5) * np.arange(9.0).reshape(3, 3))


def tril_of_stack(x):
    return np.sum(np.sin(np.tril(x) + 0.5) * np.arange(12.0).reshape(2, 2, 3))


def clip_keywords(x):
    return np.sum(np.sin(np.clip(x, a_min=0.1, a_max=1.1)))


def clip_positional(x):
    return np.sum(np.sin(np.clip(x, -0.5, 0.5)))


def where_two_arrays(c, x, y):
    return np.sum(np.sin(np.where(c, x, y)))


def select_with_default(c, d, x, y):
    return np.sum(np.sin(np.select([c, d], [x, y], default=1.1)))


def sort_vector(x):
    return np.sum(np.sin(np.sort(x)) * np.arange(4.0))


def sort_one_entry(x):
    return np.sum(np.sin(np.sort(x)))


def sort_rows(x):
    return np.sum(np.sin(np.sort(x, axis=1)) * np.arange(6.0).reshape(2, 3))


def partition_kth(x):
    return np.sum(np.sin(np.partition(x, 2)[2:]))


def full_fill_value(x):
    return np.sum(np.sin(np.full((2, 3), x)) * np.arange(6.0).reshape(2, 3))


def linspace_ends(x, y):
    return np.sum(np.sin(np.linspace(x, y, 5)) * np.arange(5.0))


def linspace_one_point(x, y):
    return np.sum(np.sin(np.linspace(x, y, 1)))


CASES = [
    case(trace_square, "np.trace", normal(3, 3)),
    case(trace_offset_above, "np.trace", normal(2, 3)),
    case(trace_offset_below, "np.trace", normal(3, 2)),
    case(trace_of_stack, "np.trace", normal(2, 2, 2)),
    case(diag_of_matrix, "np.diag", normal(3, 3)),
    case(diag_above, "np.diag", normal(3, 3)),
    case(diag_below, "np.diag", normal(3, 3)),
    case(diag_of_vector, "np.diag", normal(3)),
    case(diag_of_vector_above, "np.diag", normal(2)),
    case(diagonal_last_axes, "np.diagonal", normal(2, 2, 2)),
    case(diagonal_offset, "np.diagonal", normal(3, 3)),
    case(triu_above, "np.triu", normal(3, 3)),
    case(triu_default, "np.triu", normal(3, 3)),
    case(tril_below, "np.tril", normal(3, 3)),
    case(tril_of_stack, "np.tril", normal(2, 2, 3)),
    case(clip_keywords, "np.clip", normal(2, 2)),
    case(clip_positional, "np.clip", normal(4)),
    case(where_two_arrays, "np.where", mask(2, 2), normal(2, 2), normal(2, 2)),
    case(select_with_default, "np.select", mask(4), mask(4), normal(4), normal(4)),
    case(sort_vector, "np.sort", normal(4)),
    case(sort_one_entry, "np.sort", normal(1)),
    case(sort_rows, "np.sort", normal(2, 3)),
    case(partition_kth, "np.partition", normal(4)),
    case(full_fill_value, "np.full", normal()),
    case(linspace_ends, "np.linspace", at(1.2), at(-3.4)),
    case(linspace_one_point, "np.linspace", at(1.2), at(3.4)),
]
