"""Array functions for tests/test_arrays.py: the lecture notes' matrix calculus examples.

Each function returns one scalar. Arrays a test holds fixed (G, h_bar, y) are
parameters that the test does not differentiate: symdiff refuses module-level
arrays. `# <-` marks the line an error must point at.
"""

import math

import numpy as np

# ------------------------------------------------ deck 000: useful identities


def quadratic_form(x, A):
    # x^T A x: d/dx = (A + A^T) x, d/dA = x x^T.
    return x.T @ A @ x


def sum_of_product(A, x):
    # sum(A x): d/dA has every row x^T, d/dx = A^T 1.
    return np.sum(A @ x)


def gram(B, G):
    # K = B^T B, L = sum(K * G): B_bar = B (G + G^T).
    K = B.T @ B
    return np.sum(K * G)


def gram_np_transpose(B, G):
    K = np.transpose(B) @ B
    return np.sum(K * G)


def gram_transpose_method(B, G):
    K = B.transpose() @ B
    return np.sum(K * G)


# ------------------------------------------------ deck 001: Giles' bar notation


def matrix_product(X, Y, G):
    # Z = X Y, L = sum(Z * G): X_bar = G Y^T, Y_bar = X^T G.
    Z = X @ Y
    return np.sum(Z * G)


def matrix_product_np_matmul(X, Y, G):
    Z = np.matmul(X, Y)
    return np.sum(Z * G)


def matrix_product_np_dot(X, Y, G):
    Z = np.dot(X, Y)
    return np.sum(Z * G)


def matrix_product_dot_method(X, Y, G):
    Z = X.dot(Y)
    return np.sum(Z * G)


def tanh_layer(a, h_bar):
    # h = g(a) elementwise: a_bar = h_bar * g'(a), g' = 1 - tanh^2.
    h = np.tanh(a)
    return np.sum(h_bar * h)


def sigmoid_layer(a, h_bar):
    # g = sigma: a_bar = h_bar * sigma(a) (1 - sigma(a)).
    h = 1 / (1 + np.exp(-a))
    return np.sum(h_bar * h)


# ------------------------------------------------ deck 002: the two-layer MLP


def mlp(W, v, x, y):
    # h = W x, a = sigma(h), o = v^T a, L = (y - o)^2 / 2.
    h = W @ x
    a = 1 / (1 + np.exp(-h))
    o = v @ a
    return 0.5 * (y - o) ** 2


def mlp_batched(W, v, X, y):
    # The rows of X are the examples; the loss is the mean over them.
    H = X @ W.T
    A = 1 / (1 + np.exp(-H))
    o = A @ v
    return np.mean(0.5 * (y - o) ** 2)


def dense_bias(X, W, b):
    # b (m,) is broadcast over the n rows of X W^T (n, m).
    return np.sum(np.tanh(X @ W.T + b))


def broadcast_operands(X, c, r, s):
    # X (n, m), a column c (n, 1), a row r (m,) and a scalar s, broadcast together.
    return np.sum(np.tanh(s * X + c + r))


# ------------------------------------------------ reductions and reshapes


def sum_axis0(X, g):
    return np.sum(np.sum(X, axis=0) * g)


def sum_axis0_method(X, g):
    return (X.sum(axis=0) * g).sum()


def sum_axis1_keepdims(X, G):
    return np.sum(np.sum(X, axis=1, keepdims=True) * G)


def sum_axis1_keepdims_method(X, G):
    return (X.sum(axis=1, keepdims=True) * G).sum()


def sum_axis1_positional(X, g):
    return np.sum(np.sum(X, 1) * g)


def mean_axis1_positional_method(X, g):
    return (X.mean(1) * g).sum()


def sum_last_axis_squared(X):
    return np.sum(np.sum(X, axis=-1) ** 2)


def mean_axis0(X, g):
    return np.sum(np.mean(X, axis=0) * g)


def mean_axis0_method(X, g):
    return (X.mean(axis=0) * g).sum()


def mean_axis1_keepdims(X, G):
    return np.sum(np.mean(X, axis=1, keepdims=True) * G)


def mean_axis1_keepdims_method(X, G):
    return (X.mean(axis=1, keepdims=True) * G).sum()


def centered_variance(X):
    # mean((X - row means)^2): the row means' gradient cancels, X_bar = 2 (X - m) / size.
    return np.mean((X - np.mean(X, axis=1, keepdims=True)) ** 2)


def mean_of_squares_method(X):
    return (X * X).mean()


def flatten_dot(X, w):
    return X.reshape(-1) @ w


def reshape_then_matmul(X, W):
    return np.sum(np.reshape(X, (3, 4)) @ W)


def reshape_method_then_matmul(X, W):
    return np.sum(X.reshape(3, -1) @ W)


def dot_squared(x, y):
    return np.dot(x, y) ** 2


def dot_norm_squared(A, x):
    # ||A x||^2: A_bar = 2 (A x) x^T, x_bar = 2 A^T A x.
    r = np.dot(A, x)
    return np.sum(r * r)


def outer_weighted(x, y, G):
    # sum(x y^T * G): x_bar = G y, y_bar = G^T x.
    return np.sum(np.outer(x, y) * G)


# ------------------------------------------------ API behaviour


def tanh_product(X, Y, G):
    return np.sum(np.tanh(X @ Y) * G)


def wrong_rule_probe(X, Y, G):
    return np.sum((X @ Y) * G)


def product_with_defaults(X, Y, scale=2.0):
    return scale * np.sum(np.tanh(X @ Y))


def product_keyword_only(X, *, Y, G):
    return np.sum((X @ Y) * G)


def one_matrix_unused(x, A):
    return np.sum(np.outer(x, x))


def weighted_sum(X, G):
    return np.sum(X * G)


def scalar_lecture(x):
    return math.sqrt(x**2 + math.exp(x**2)) + math.cos(x**2 + math.exp(x**2))


def elementwise_numpy(x):
    return np.exp(x) * np.tanh(x)


# ------------------------------------------------ errors


def outer_output(x):  # <-
    return np.outer(x, x)


def vector_times_matrix(x, A):  # <-
    return x @ A


def misaligned_product(X, Y):
    Z = X @ Y  # <-
    return np.sum(Z)


def misaligned_dot(A, x):
    return np.sum(np.dot(A, x))  # <-


def misaligned_bias(X, b):
    return np.sum(X + b)  # <-


def verified(X, Y):  # <-
    return np.sum(X @ Y)


def row_maxima(X):
    return np.sum(np.max(X, axis=1)) + X.min()


def permuted(X, G):
    return np.sum(np.transpose(X, (2, 0, 1)) * G) + np.sum(X.transpose(1, 0, 2) ** 2)


def diagonals(v, A, R):
    return np.sum(np.diag(v) @ A) + np.sum(np.diag(A) ** 2) + np.sum(np.diag(R) ** 3)


def joined(a, b, M):
    c = np.concatenate([a, b * 2, a], axis=0)
    S = np.stack([a, b], axis=1)
    return np.sum(c**2) + np.sum(S * S * S) + np.sum(np.vstack([a, b]) ** 3) \
        + np.sum(np.hstack([M, M * 3]) ** 2) + np.inner(a, b) + np.sum(np.inner(M, M))


def statistics(X):
    return np.sum(np.var(X, axis=0)) + X.std() + np.sum(np.clip(X, -0.5, 0.5) ** 2) + np.linalg.norm(X.ravel())


def products(x, A):
    return np.prod(x) + np.sum(np.prod(A, axis=0)) + np.sum(A.prod(axis=1, keepdims=True) * 2)


def contractions(A, B, x):
    return np.sum(np.einsum("ij,jk->ik", A, B) ** 2) + np.einsum("i,i->", x, x) \
        + np.sum(np.einsum("ij,j->i", A, x))


def filled(x, s):
    return np.sum(np.full((3, 2), s) * x) + np.sum(np.full((2,), s) ** 2)


def masked_by_comparison(x):
    return np.sum(x[x > 0])  # <-


def masked_by_parameter(x, mask):  # <-
    return np.sum(x[mask] ** 2)


def shifted_squares(Z):
    return np.sum((Z - np.max(Z, axis=1, keepdims=True)) ** 2)


def log_softmax_pick(Z, labels):
    S = Z - np.max(Z, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(Z.shape[0]), labels])


def weighted_by_counts(w, counts):
    return np.sum(counts * w)


def logsumexp(a, axis=None):
    """A user's own helper with NumPy's signature: `axis=None` is bound in where it is called."""
    m = np.max(a, axis=axis, keepdims=True)
    return np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m


def log_partitions(x):
    return np.sum(logsumexp(x, axis=1)) + np.sum(logsumexp(x))


def pair_products(x):
    return np.sum(x[:, np.newaxis] * x[np.newaxis, :] * np.arange(3.0)[None, :])


def centred(a, axes=(0, 1)):
    return a - np.mean(a, axis=axes, keepdims=True)


def centred_energy(x):
    return np.sum(centred(x) ** 2)


def joined_rows(x, y):
    return np.sum(np.r_[x, y, 2.0 * y[0]] ** 2 * np.arange(5.0))


def joined_columns(x, y):
    return np.sum(np.c_[x, y, np.outer(x, y)] ** 2 * np.arange(4.0))


def listed_parameters(x):
    return np.sum(np.transpose(x, [1, 0, 2]).reshape([3, 8]) * np.arange(24.0).reshape(3, 8))
