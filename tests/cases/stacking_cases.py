"""Programs that join, split, reorder, difference and partition arrays with the rows of
primitives/stacking.py (and np.cross with its axis parameters), for tests/test_stacking.py.
Each returns one number; `ROWS` names, per case, the row it exercises, so that the
test can check that every row has cases. Arrays a test holds fixed (data, weights,
indices) are parameters it does not differentiate."""

import numpy as np

RNG = np.random.default_rng(20)


def _normal(*shape):
    return RNG.normal(size=shape)


# ---------------------------------------------------------------- np.append

def append_bias_feature(x, w):
    # a linear model whose last weight multiplies a constant feature 1.0
    return np.tanh(np.dot(np.append(x, 1.0), w))


def append_flattens(X, y):
    return np.sum(np.sin(np.append(X, y)) * np.arange(8.0))


def append_rows_axis0(X, r):
    return np.sum(np.append(X, r, axis=0) ** 2 * np.arange(9.0).reshape(3, 3))


def append_columns_axis1(X, c):
    return np.sum(np.cos(np.append(X, c, axis=-1)))


def append_a_written_list(x, a, b):
    return np.sum(np.exp(np.append(x, [a, a * b])) * np.arange(5.0))


# ---------------------------------------------------------------- column_stack, dstack

def design_matrix_least_squares(t, y, w):
    # columns 1, t, t**2: a quadratic fit's residual
    A = np.column_stack((np.ones(4), t, t ** 2))
    return np.sum((A @ w - y) ** 2)


def column_stack_matrix_and_vector(X, v):
    return np.sum(np.sin(np.column_stack([X, v])) * np.arange(9.0).reshape(3, 3))


def dstack_channels(R, G):
    image = np.dstack((R, G, R * G))
    return np.sum(np.tanh(image) * np.arange(3.0))


def dstack_vectors(a, b):
    return np.sum(np.sin(np.dstack((a, b))) * np.arange(6.0).reshape(1, 3, 2))


# ---------------------------------------------------------------- hsplit, vsplit, dsplit, split

def unpack_weights_and_bias(theta, X, y):
    # one parameter vector split into weights and bias: a common optimizer interface
    w, b = np.split(theta, [3])
    return np.sum((X @ w + b[0] - y) ** 2)


def first_and_last_thirds(x):
    return np.sum(np.sin(np.split(x, 3)[0])) + np.sum(np.array_split(x, 3)[-1] ** 2)


def hsplit_vector(x):
    left, right = np.hsplit(x, 2)
    return np.sum(left * np.exp(right))


def hsplit_columns_at(X):
    a, b, c = np.hsplit(X, [1, 3])
    return np.sum(np.sin(a)) + np.sum(b ** 2) + np.sum(np.cos(c))


def vsplit_halves(X):
    top, bottom = np.vsplit(X, 2)
    return np.sum(top * bottom) + np.sum(np.vsplit(X, 2)[1] ** 3)


def dsplit_channels(V):
    r, g = np.dsplit(V, [1])
    return np.sum(np.sin(r)) + np.sum(g * g)


# ---------------------------------------------------------------- rollaxis

def rollaxis_last_to_front(T):
    return np.sum(np.sin(np.rollaxis(T, 2)) * np.arange(24.0).reshape(4, 2, 3))


def rollaxis_to_a_start(T):
    return np.sum(np.cos(np.rollaxis(T, 0, 3)) * np.arange(24.0).reshape(3, 4, 2))


def rollaxis_before_the_last(T):
    return np.sum(np.tanh(np.rollaxis(T, 0, -1)) * np.arange(24.0).reshape(3, 2, 4))


def rollaxis_back(T):
    return np.sum(np.rollaxis(T, -1, 1) ** 2 * np.arange(24.0).reshape(2, 4, 3))


# ---------------------------------------------------------------- np.gradient

def curvature_penalty(f, y):
    # a smooth fit: the residual plus the squared slope of the fit (np.gradient)
    return np.sum((f - y) ** 2) + 3.0 * np.sum(np.gradient(f) ** 2)


def gradient_with_spacing(f):
    return np.sum(np.sin(np.gradient(f, 0.25)) * np.arange(5.0))


def gradient_second_order_edges(f):
    return np.sum(np.tanh(np.gradient(f, edge_order=2)) * np.arange(4.0))


def gradient_of_two_entries(f):
    return np.sum(np.gradient(f) ** 3)


def gradient_of_an_image(U):
    gy, gx = np.gradient(U)
    return np.sum(gx ** 2 + np.sin(gy))


def gradient_along_axis1(U):
    return np.sum(np.cos(np.gradient(U, axis=1, edge_order=2)) * np.arange(12.0).reshape(3, 4))


def gradient_with_a_spacing_parameter(f, h):
    return np.sum(np.gradient(f, h) ** 2)


# ---------------------------------------------------------------- np.partition

def smallest_two_losses(losses):
    # the mean of the two smallest: np.partition puts them first
    return np.mean(np.partition(losses, 1)[:2] ** 2)


def partition_rows(X):
    return np.sum(np.sin(np.partition(X, 2, axis=1)[:, 2:]))


def partition_flattened(X):
    return np.sum(np.partition(X, (1, 4), axis=None)[4:] ** 2)


# ---------------------------------------------------------------- np.cross with its axes

def cross_of_columns(A, B):
    return np.sum(np.sin(np.cross(A, B, axisa=0, axisb=0)))


def cross_into_rows(A, B):
    return np.sum(np.cross(A, B, axisa=0, axisb=-1, axisc=0) * np.arange(6.0).reshape(3, 2))


def cross_along_axis(A, B):
    return np.sum(np.tanh(np.cross(A, B, axis=0)) * np.arange(6.0).reshape(3, 2))


CASES = [  # (row, function, arguments, parameters differentiated)
    ("append", append_bias_feature, (_normal(3), _normal(4)), ("x", "w")),
    ("append", append_flattens, (_normal(2, 3), _normal(2)), ("X", "y")),
    ("append", append_rows_axis0, (_normal(2, 3), _normal(1, 3)), ("X", "r")),
    ("append", append_columns_axis1, (_normal(2, 2), _normal(2, 1)), ("X", "c")),
    ("append", append_a_written_list, (_normal(3), 0.4, -1.3), ("x", "a", "b")),
    ("column_stack", design_matrix_least_squares, (_normal(4), _normal(4), _normal(3)), ("t", "w")),
    ("column_stack", column_stack_matrix_and_vector, (_normal(3, 2), _normal(3)), ("X", "v")),
    ("dstack", dstack_channels, (_normal(2, 2), _normal(2, 2)), ("R", "G")),
    ("dstack", dstack_vectors, (_normal(3), _normal(3)), ("a", "b")),
    ("split", unpack_weights_and_bias, (_normal(4), _normal(5, 3), _normal(5)), ("theta",)),
    ("split", first_and_last_thirds, (_normal(6),), ("x",)),
    ("hsplit", hsplit_vector, (_normal(4),), ("x",)),
    ("hsplit", hsplit_columns_at, (_normal(2, 4),), ("X",)),
    ("vsplit", vsplit_halves, (_normal(4, 2),), ("X",)),
    ("dsplit", dsplit_channels, (_normal(2, 2, 3),), ("V",)),
    ("rollaxis", rollaxis_last_to_front, (_normal(2, 3, 4),), ("T",)),
    ("rollaxis", rollaxis_to_a_start, (_normal(2, 3, 4),), ("T",)),
    ("rollaxis", rollaxis_back, (_normal(2, 3, 4),), ("T",)),
    ("rollaxis", rollaxis_before_the_last, (_normal(2, 3, 4),), ("T",)),
    ("gradient", curvature_penalty, (_normal(6), _normal(6)), ("f",)),
    ("gradient", gradient_with_spacing, (_normal(5),), ("f",)),
    ("gradient", gradient_second_order_edges, (_normal(4),), ("f",)),
    ("gradient", gradient_of_two_entries, (_normal(2),), ("f",)),
    ("gradient", gradient_of_an_image, (_normal(3, 4),), ("U",)),
    ("gradient", gradient_along_axis1, (_normal(3, 4),), ("U",)),
    ("gradient", gradient_with_a_spacing_parameter, (_normal(4), 0.5), ("f", "h")),
    ("partition", smallest_two_losses, (np.array([0.9, -0.2, 1.7, 0.4, -1.1]),), ("losses",)),
    ("partition", partition_rows, (_normal(2, 5),), ("X",)),
    ("partition", partition_flattened, (_normal(2, 3),), ("X",)),
    ("cross", cross_of_columns, (_normal(3, 2), _normal(3, 2)), ("A", "B")),
    ("cross", cross_into_rows, (_normal(3, 2), _normal(2, 3)), ("A", "B")),
    ("cross", cross_along_axis, (_normal(3, 2), _normal(3, 2)), ("A", "B")),
]
