"""Contractions for tests/test_contractions.py: np.einsum in its forms, np.tensordot,
batched `@`, np.dot / np.inner / np.vdot, and shapes written as constant expressions.

Each function returns one scalar. `# <-` marks the line an error must point at.
"""

import numpy as np

# ------------------------------------------------ einsum


def bilinear_form(x, A, y):
    # x^T A y: x_bar = A y, A_bar = x y^T, y_bar = A^T x.
    return np.einsum("i,ij,j->", x, A, y)


def quadratic_form_three_operands(x, A):
    # x^T A x with x twice: x_bar = (A + A^T) x; the Hessian is A + A^T.
    return np.einsum("i,ij,j", x, A, x)


def trace_of_product(A, B):
    # tr(A B): A_bar = B^T, B_bar = A^T.
    return np.einsum("ii->", A @ B)


def trace_squared_implicit(A):
    # tr(A)^2 with an implicit output ('ii' sums the diagonal): A_bar = 2 tr(A) I.
    return np.einsum("ii", A) ** 2


def diagonal_cubes(A):
    # sum(diag(A)^3): A_bar = diag(3 diag(A)^2), zero off the diagonal.
    return np.sum(np.einsum("ii->i", A) ** 3)


def chain_of_three(A, B, C, G):
    # sum(A B C * G), the product written as one einsum.
    return np.sum(np.einsum("ij,jk,kl->il", A, B, C) * G)


def chain_optimized(A, B, C):
    # optimize=True (NumPy's contraction order) is kept, in the adjoints too.
    return np.sum(np.einsum("ij,jk,kl->il", A, B, C, optimize=True) ** 2)


def transposed_and_row_sums(A, G):
    return np.sum(np.einsum("ij->ji", A) * G) + np.sum(np.einsum("ij->i", A) ** 2)


def implicit_product(A, B):
    # 'ij,jk' is 'ij,jk->ik': the letters that occur once, in alphabetical order.
    return np.sum(np.tanh(np.einsum("ij,jk", A, B)))


def batched_bilinear(X, A):
    # sum over the batch of x_b^T A x_b, with an ellipsis.
    return np.sum(np.einsum("...i,ij,...j->...", X, A, X) ** 2)


def broadcast_batch_einsum(A, B):
    # '...' broadcasts A's batch axis of length 1 against B's: A_bar sums over it.
    return np.sum(np.einsum("...ij,...jk->...ik", A, B) ** 2)


def interleaved_einsum(A, B, X):
    # each operand followed by its axes' labels (and the output's last): as 'ab,bc->ca'
    return np.sum(np.einsum(A, [0, 1], B, [1, 2], [2, 0]) ** 2) + np.sum(np.einsum(X, [Ellipsis, 0, 0], [Ellipsis]))


# ------------------------------------------------ batched products and tensordot


def attention_scores(Q, K, V):
    # Scaled dot-product attention over a batch: softmax(Q K^T / sqrt(d)) V.
    batch, n, d = Q.shape
    scores = Q @ K.transpose(0, 2, 1) / np.sqrt(d)
    weights = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return np.sum((weights @ V) ** 2)


def shared_weights_over_a_batch(W, X):
    # W (m, n) @ X (b, n, p): W is broadcast over the batch, its gradient summed over it.
    return np.sum(np.tanh(W @ X))


def batch_times_vector(X, v):
    # (b, m, n) @ (n,): the vector promoted, its axis contracted.
    return np.sum(np.matmul(X, v) ** 2)


def vector_times_batch(v, Y):
    # (n,) @ (b, n, p): v's gradient sums over the batch.
    return np.sum(np.tanh(v @ Y))


def broadcast_batches(A, B, C):
    # batch axes of length 1 broadcast: (2, 1, m, k) @ (3, k, n), then with (n, p).
    return np.sum((A @ B @ C) ** 2)


def tensordot_layer(W, M):
    # A 3-D weight contracted with a matrix over two axes, then a nonlinearity.
    return np.sum(np.tanh(np.tensordot(W, M, axes=([1, 2], [0, 1]))))


def tensordot_int_axes(W, M):
    return np.sum(np.tensordot(W, M, axes=1) ** 2)


def dot_of_many_dimensions(X, v, Y):
    # np.dot of an N-D with a 1-D array (the last axis), and of N-D with M-D.
    return np.sum(np.dot(X, v) ** 2) + np.sum(np.dot(X, Y) ** 2)


def products_with_numbers(x, s):
    # np.dot and np.inner with a float operand multiply; np.vdot flattens.
    return np.sum(np.dot(s, x) ** 2) + np.sum(np.inner(x, 3.0)) + np.vdot(x, x) * s


def inner_of_many_dimensions(X, Y, M):
    # np.inner contracts the last axes: a 3-D with a 3-D, a 3-D with a matrix.
    return np.sum(np.inner(X, Y) ** 2) + np.sum(np.inner(X, M) ** 2)


def vdot_of_matrices(A, B):
    return np.vdot(A, B) ** 2


# ------------------------------------------------ shapes as constant expressions


def mixture(x, mu):
    # log-likelihood of a 3-component mixture, the differences laid out in np.zeros((len(x), 3)).
    d = np.zeros((len(x), 3)) + x[:, None] - mu[None, :]
    return np.sum(np.log(np.sum(np.exp(-0.5 * d ** 2), axis=1)))


def flatten_by_arithmetic(X):
    n, d = X.shape
    v = np.reshape(X, (n * d,))
    w = X.reshape(n * d - 1 + 1)
    return v @ w + np.sum(np.ones(n + 1)) * np.sum(X)


def constant_shapes(X):
    n, d = X.shape
    half = np.full((n, 2), 0.5)
    eye = np.eye(len(X))
    first = np.zeros((X.shape[0], d // 2 + 1))
    return np.sum(eye @ X[:, :2] * half) + np.sum(first) + np.sum(X[: n - 1] ** 2)


def reshape_by_product(x):
    return np.sum(x.reshape(5 * 4) ** 2)


def trace_of_a_scalar_plus_a_matrix(x, A):
    # x + A broadcasts the number x: its tangent must have the matrix's shape.
    return np.einsum("ii", x + A) + np.sum((x + A) @ A)


# ------------------------------------------------ refused


def misaligned_einsum(A, B):
    return np.sum(np.einsum("ij,jk->ik", A, B))  # <-


def einsum_output_letter_unknown(A):
    return np.sum(np.einsum("ij->ik", A))  # <-


def einsum_without_subscripts(A, B):
    return np.sum(np.einsum(A, B))  # <-


def batch_axes_that_do_not_broadcast(A, B):
    return np.sum(A @ B)  # <-


def shape_from_a_float(x, k):
    return np.sum(np.zeros((len(x), k)) + x[:, None])  # <-
