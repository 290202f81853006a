"""Beyond autograd's list: the other NumPy functions issue 16 names (cumprod, take, flip, ...).

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import case, fixed, normal, within


def cumprod_vector(x):
    return np.sum(np.sin(np.cumprod(x)))


def cumprod_axis1(x):
    return np.sum(np.sin(np.cumprod(x, axis=1)))


def take_indices(x, i):
    return np.sum(np.sin(np.take(x, i)) * np.arange(3.0))


def take_along_axis_rows(x, i):
    return np.sum(np.sin(np.take_along_axis(x, i, axis=1)))


def flip_axis0(x):
    return np.sum(np.sin(np.flip(x, axis=0)) * np.arange(6.0).reshape(3, 2))


def heaviside_step(x):
    return np.sum(np.heaviside(x, 0.5) * x)


def new_axis_index(x):
    return np.sum(np.sin(x[:, np.newaxis] - x[np.newaxis, :]))


def float32_constant(x):
    return np.sum(np.sin(np.float32(2.0) * x))


def logsumexp_idiom(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


CASES = [
    case(cumprod_vector, "np.cumprod", within(0.5, 1.5, 4)),
    case(cumprod_axis1, "np.cumprod", within(0.5, 1.5, 2, 2)),
    case(take_indices, "np.take", normal(4), fixed([2, 0, 2])),
    case(take_along_axis_rows, "np.take_along_axis", normal(2, 3), fixed([[2], [0]])),
    case(flip_axis0, "np.flip", normal(3, 2)),
    case(heaviside_step, "np.heaviside", normal(4)),
    case(new_axis_index, "np.newaxis", normal(3)),
    case(float32_constant, "np.float32", normal(3)),
    case(logsumexp_idiom, "log-sum-exp", normal(4)),
]

