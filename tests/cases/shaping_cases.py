"""Small realistic programs that rearrange, pad, sort and run along arrays, for
tests/test_shaping.py. Each returns one number. Arrays a test holds fixed (data,
labels, indices) are parameters it does not differentiate."""

import numpy as np


def conv1d_loss(x, w, y):
    # a 3-tap convolution, same length as x: zero padding, then shifted slices
    p = np.pad(x, 1)
    out = w[0] * p[:-2] + w[1] * p[1:-1] + w[2] * p[2:]
    return np.sum((out - y) ** 2)


def edge_padded_blur(x):
    p = np.pad(x, (2, 2), mode="edge")
    blurred = (p[:-4] + p[1:-3] + p[2:-2] + p[3:-1] + p[4:]) / 5.0
    return np.sum(blurred ** 2 * (np.arange(6.0) + 1.0))


def reflect_padded_image(img):
    p = np.pad(img, ((1, 1), (2, 0)), mode="reflect")
    return np.sum(np.tanh(p) * p)


def smoothness_penalty(f, y):
    # a least-squares fit with a penalty on the second differences (curvature)
    return np.sum((f - y) ** 2) + 10.0 * np.sum(np.diff(f, n=2) ** 2)


def total_variation(img):
    dx = np.diff(img, axis=1)
    dy = np.diff(img, axis=0)
    return np.sum(np.sqrt(dx[:-1, :] ** 2 + dy[:, :-1] ** 2 + 1e-3))


def trimmed_mean(x):
    s = np.sort(x)
    return np.mean(s[1:-1])


def ordered_weighted_average(x, w):
    # the largest entries weighted most: an OWA operator
    return np.sum(np.sort(x)[::-1] * w)


def sorted_columns(X):
    s = np.sort(X, axis=0)
    return np.sum(s[-1] - s[0])


def cholesky_parameterisation(W, A):
    # a positive semidefinite matrix as L @ L.T with L lower-triangular
    L = np.tril(W)
    S = L @ L.T + 0.1 * np.eye(3)
    return np.sum(S * A) + np.sum(np.log(np.diagonal(L) ** 2 + 1.0))


def upper_part(W):
    return np.sum(np.triu(W, k=1) ** 2) + np.trace(W, offset=1) ** 2


def cumulative_return(r, w):
    # the wealth of a portfolio rebalanced to weights w, period after period
    growth = np.cumprod(1.0 + r @ w)
    return growth[-1] - 0.5 * np.var(growth)


def survival_probability(hazard):
    alive = np.cumprod(1.0 - hazard, axis=1)
    return np.sum(alive[:, -1]) + np.mean(alive)


def cyclic_shift_loss(x, y):
    return np.sum((np.roll(x, 1) - y) ** 2) + np.sum(x * np.roll(x, -2))


def torque(r, F):
    tau = np.cross(r, F)
    return np.sum(tau ** 2) + np.sum(tau[:, 2])


def kronecker_quadratic(A, B, v):
    return v @ np.kron(A, B) @ v


def flip_consistency(W, X):
    return np.sum((X @ W - np.fliplr(X) @ W) ** 2) + np.sum(np.flipud(W) * W)


def upsampled_roughness(x):
    up = np.repeat(x, 2, axis=0)
    tiled = np.tile(x, (2, 1))
    return np.sum(np.diff(up, axis=0) ** 2) + np.sum(tiled * up)


def uneven_repeat(x):
    return np.sum(np.repeat(x, [1, 3, 2]) ** 2)


def ramp_energy(a, b):
    t = np.linspace(a, b, 7)
    return np.sum(np.sin(t) * t)


def standardized_fourth_moment(x):
    z = (x - np.mean(x)) / np.std(x, ddof=1)
    return np.mean(z ** 4) + np.var(x, ddof=1)


def one_sided_clip(x):
    return np.sum(np.clip(x, a_min=-0.5, a_max=None) ** 2) + np.sum(np.clip(x, None, 0.5))


def gather_rows(X, idx):
    rows = np.take(X, idx, axis=0)
    return np.sum(rows ** 2) + np.sum(np.take(X, 1, axis=1))


def sorted_by_key(x, key):
    order = np.argsort(key)
    return np.sum(np.take_along_axis(x, order, axis=0) * np.arange(4.0))


def batch_axes(X):
    moved = np.moveaxis(X, 0, -1)
    swapped = np.swapaxes(X, 0, 2)
    return np.sum(moved * np.transpose(swapped, (1, 0, 2))) + np.sum(np.squeeze(X[:1]) ** 2)


def promoted(x):
    m = np.atleast_2d(x)
    c = np.atleast_3d(x)
    return np.sum(m.T @ m) + np.sum(c ** 3) + np.sum(np.asarray(x) * np.array(x))


def rotated_pattern(W):
    return np.sum(np.rot90(W) @ W) + np.sum(np.rot90(W, k=3) * np.rot90(W, k=-1))


def method_chain(X):
    flat = X.swapaxes(0, 1).flatten()
    return flat.cumsum()[-1] + X.diagonal().sum() + X.trace() ** 2 + np.sum(X.copy().cumprod(axis=1))


def methods_for_shapes(X, idx):
    col = X[:, :1].squeeze()
    wide = X.repeat(2, axis=1)
    return np.sum(col ** 2) + np.sum(wide ** 2) + np.sum(X.astype(float).take(idx) ** 2)


def banded(v):
    return np.sum(np.diag(v, k=1) @ np.diag(v, k=-1)) + np.sum(np.diag(np.outer(v, v), k=1))


def mean_over_two_axes(X):
    return np.sum(np.mean(X, axis=(0, 1)) ** 2) + np.sum(np.sum(X, axis=-1, keepdims=True) * X)


def split_halves(x):
    first, second = np.split(x, 2)
    head, middle, tail = np.array_split(x, 3)
    left, right = np.split(x, (1,))
    return np.sum(first * second) + np.sum(head ** 2) * np.sum(tail) + np.sum(middle) + np.sum(left * right[0])


def piecewise_select(x):
    return np.sum(np.select([x < -0.5, x > 0.5], [x ** 2, np.sin(x)], default=1.0) * x)


def picked_by_list(X):
    return np.sum(np.take(X, [0, 2, 2], axis=0) ** 2)


def started_reductions(X):
    return np.max(X, initial=0.5) + np.sum(np.min(X, axis=0, initial=-0.2)) + np.sum(X, initial=2.0) * np.prod(X, initial=3.0)


# ---------------------------------------------------------------- the parameters, one each


def sort_flattened(X):
    return np.sum(np.sort(X, axis=None) * np.arange(6.0))


def take_flattened(X, idx):
    return np.sum(np.take(X, idx) ** 3)


def roll_two_axes(X):
    return np.sum(np.roll(X, (1, -2), axis=(0, 1)) * np.arange(12.0).reshape(3, 4)) + np.sum(np.roll(X, 5) * X)


def flip_everything(X):
    return np.sum(np.flip(X) * X) + np.sum(np.flip(X, axis=(0, 1)) ** 3)


def tile_with_fewer_reps(X):
    return np.sum(np.tile(X, 2) ** 2 * np.arange(4.0)) + np.sum(np.tile(X[0], (3, 1, 2)) ** 3)


def repeat_flattened(X):
    return np.sum(np.repeat(X, 2) * np.arange(12.0)) + np.sum(np.repeat(X, (2, 1), axis=0) ** 3)


def pad_symmetric_and_wrap(x):
    s = np.pad(x, (2, 3), mode="symmetric")
    w = np.pad(x, (1, 2), mode="wrap")
    return np.sum(s ** 2 * np.arange(9.0)) + np.sum(w ** 3)


def diagonal_of_a_stack(T):
    return np.sum(np.diagonal(T, axis1=1, axis2=2) ** 2) + np.sum(np.trace(T, offset=-1, axis1=2, axis2=0) ** 2)


def moveaxis_several(T):
    return np.sum(np.moveaxis(T, (0, 1), (2, 0)) * np.arange(24.0).reshape(3, 4, 2))


def squeeze_every_unit_axis(T):
    return np.sum(np.squeeze(T) * np.arange(3.0))


def rotations(W):
    return np.sum(np.rot90(W, k=2) * W) + np.sum(np.rot90(W, 1, (1, 0)) * np.arange(6.0).reshape(3, 2))


def linspace_variants(a, b):
    return np.sum(np.linspace(a, b, 4, endpoint=False) ** 2) + np.sum(np.linspace(a, 2.0, 1)) * b


def broadcast_cross_and_vector_kron(p, q):
    return np.sum(np.cross(p, q) ** 2) + np.sum(np.kron(p[0], q) ** 2) + np.sum(np.kron(p, q[1]) ** 2)


def differences_down_columns(X):
    return np.sum(np.diff(X, n=2, axis=0) ** 2) + np.sum(np.diff(X) * X[:, 1:])


def promoted_matrix(X):
    return np.sum(np.atleast_3d(X) ** 3) + np.sum(np.atleast_1d(X[0, 0]) ** 2)


def cumprod_flattened(X):
    return np.sum(np.cumprod(X) * np.arange(6.0)) + np.sum(np.cumprod(X, axis=0) ** 2)


RNG = np.random.default_rng(16)


def _normal(*shape):
    return RNG.normal(size=shape)


# (function, its arguments, the parameters differentiated)
CASES = [
    (conv1d_loss, (_normal(6), _normal(3), _normal(6)), ("x", "w")),
    (edge_padded_blur, (_normal(6),), ("x",)),
    (reflect_padded_image, (_normal(3, 4),), ("img",)),
    (smoothness_penalty, (_normal(7), _normal(7)), ("f",)),
    (total_variation, (_normal(4, 5),), ("img",)),
    (trimmed_mean, (_normal(6),), ("x",)),
    (ordered_weighted_average, (_normal(5), np.linspace(1.0, 0.2, 5)), ("x", "w")),
    (sorted_columns, (_normal(4, 3),), ("X",)),
    (cholesky_parameterisation, (_normal(3, 3), _normal(3, 3)), ("W",)),
    (upper_part, (_normal(3, 4),), ("W",)),
    (cumulative_return, (0.05 * _normal(6, 3), np.array([0.5, 0.3, 0.2])), ("r", "w")),
    (survival_probability, (RNG.uniform(0.0, 0.3, size=(2, 5)),), ("hazard",)),
    (cyclic_shift_loss, (_normal(5), _normal(5)), ("x",)),
    (torque, (_normal(4, 3), _normal(4, 3)), ("r", "F")),
    (kronecker_quadratic, (_normal(2, 2), _normal(3, 3), _normal(6)), ("A", "B", "v")),
    (flip_consistency, (_normal(4, 4), _normal(3, 4)), ("W", "X")),
    (upsampled_roughness, (_normal(3, 2),), ("x",)),
    (uneven_repeat, (_normal(3),), ("x",)),
    (ramp_energy, (0.3, 1.7), ("a", "b")),
    (standardized_fourth_moment, (_normal(6),), ("x",)),
    (one_sided_clip, (_normal(6),), ("x",)),
    (gather_rows, (_normal(4, 3), np.array([0, 2, 2, 3])), ("X",)),
    (sorted_by_key, (_normal(4), _normal(4)), ("x",)),
    (batch_axes, (_normal(2, 3, 2),), ("X",)),
    (promoted, (_normal(3),), ("x",)),
    (rotated_pattern, (_normal(3, 3),), ("W",)),
    (method_chain, (_normal(3, 3),), ("X",)),
    (methods_for_shapes, (_normal(3, 2), np.array([0, 5, 1])), ("X",)),
    (banded, (_normal(3),), ("v",)),
    (mean_over_two_axes, (_normal(2, 3, 2),), ("X",)),
    (split_halves, (_normal(6),), ("x",)),
    (piecewise_select, (_normal(6),), ("x",)),
    (picked_by_list, (_normal(3, 2),), ("X",)),
    (started_reductions, (_normal(2, 2),), ("X",)),
    (sort_flattened, (_normal(2, 3),), ("X",)),
    (take_flattened, (_normal(2, 3), np.array([5, 0, 0, 3])), ("X",)),
    (roll_two_axes, (_normal(3, 4),), ("X",)),
    (flip_everything, (_normal(2, 3),), ("X",)),
    (tile_with_fewer_reps, (_normal(2, 2),), ("X",)),
    (repeat_flattened, (_normal(2, 3),), ("X",)),
    (pad_symmetric_and_wrap, (_normal(4),), ("x",)),
    (diagonal_of_a_stack, (_normal(2, 3, 3),), ("T",)),
    (moveaxis_several, (_normal(2, 3, 4),), ("T",)),
    (squeeze_every_unit_axis, (_normal(1, 3, 1),), ("T",)),
    (rotations, (_normal(2, 3),), ("W",)),
    (linspace_variants, (0.4, -1.1), ("a", "b")),
    (broadcast_cross_and_vector_kron, (_normal(2, 3), _normal(3)), ("p", "q")),
    (differences_down_columns, (_normal(4, 3),), ("X",)),
    (promoted_matrix, (_normal(2, 3),), ("X",)),
    (cumprod_flattened, (_normal(2, 3),), ("X",)),
]
