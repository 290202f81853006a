"""Array functions with array results, one per batching rule (transforms/batching.py):
each moves an axis, contracts, indexes or joins in a way the batch axis must get past.
`CASES` gives the arguments' shapes; `APART` are those batching refuses (index arrays
apart from each other, a loop), which jacobian and hessian compute one column at a time."""

import numpy as np


def stacked_matmul(A, B):
    return np.tanh(A @ B)


def vector_times_stack(x, B):
    return np.sin(x @ B)


def stack_times_vector(A, x):
    return np.exp(A @ x) * x[0]


def dot_products(x, y):
    return np.cos(x @ y) * x + np.dot(x, y) * y


def matrix_vector(A, x):
    return A.T @ np.dot(A, np.sin(x)) + x[:2] @ A


def tensordot_left(a, b):
    return np.sin(np.tensordot(a, b, axes=([1], [0])))


def tensordot_right(a, b):
    return np.tensordot(a, np.cos(b), axes=1) * 2.0


def einsum_ellipsis(a, b):
    return np.einsum("...ij,jk->...ik", np.sin(a), b) + np.einsum("ij,ij", a[0], a[1])


def reductions(x):
    return np.sum(np.exp(x), axis=(0, -1)) + np.mean(x * x, axis=1).sum(axis=-1, keepdims=True)


def moved_axes(x):
    return np.transpose(np.sin(x), (2, 0, 1)) * np.sum(x) + np.swapaxes(x, 0, 2) + np.expand_dims(x[0], 1)[..., 0]


def shaped(x):
    return np.reshape(np.cos(x), (2, -1)) + np.broadcast_to(x[0, :1], (2, 6)) + np.tile(x[1, :3], 2) * 0.5


def indexed(x, idx):
    return np.sin(x[idx]) + x[0:3, ::-1][::-1] + x[None, 0, ...]


def written(x):
    y = np.zeros((4, 3))
    y[1:] = np.sin(x[:3])
    y[0] += x[3] * x[0]
    return y * 2.0


def joined(x, y):
    return np.concatenate([np.sin(x), y, x * y], axis=-1) + np.stack([x, y, x], axis=1).reshape(3, 6)


def along_axes(x):
    return np.cumsum(np.sin(x), axis=1) + np.flip(x, axis=0) + np.roll(x * x, 1, axis=-1) + np.flip(x)


def padded_and_repeated(x):
    return np.pad(np.sin(x), 1)[1:4] + np.repeat(x, 2, axis=1)


def diagonals(x, M):
    return np.diag(np.sin(x)) @ M + np.diag(M * x) + np.trace(M * x[:, None]) + np.diagonal(M).sum()


def solved(A, b, B):
    return np.linalg.solve(A, np.sin(b)) + np.linalg.solve(A, B * b[:, None]).sum(axis=1)


def outer_products(x, y):
    return np.outer(np.sin(x), y) + np.outer(x, np.cos(y)) + np.outer(x, x)[:, :2]


def branched(x):
    if np.sum(x) > 0:
        y = np.sin(x) * x
    else:
        y = x * 1.5
    return np.where(x > 0.1, y, -x) + np.maximum(x, 0.0) * np.abs(x)


def softmax_cross_entropy(W, X, labels):
    logits = X @ W
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -logp[np.arange(X.shape[0]), labels] + 0.1 * np.sum(W * W)


def apart_indices(x):
    return np.sin(x[[0, 1], :, [1, 0]])


def looped(x):
    y = x
    for _ in range(3):
        y = np.sin(y) * x
    return y


def looped_loss(x):
    y = x
    for _ in range(3):
        y = np.sin(y) * x
    return np.sum(y * y)


INDEX = np.array([2, 0, 2])
LABELS = np.array([1, 0, 2, 1])

# function -> the arguments' shapes (an int array is passed as it is, not differentiated)
CASES = {
    stacked_matmul: ((2, 3, 4), (4, 2)), vector_times_stack: ((4,), (3, 4, 2)),
    stack_times_vector: ((2, 3, 4), (4,)), dot_products: ((3,), (3,)), matrix_vector: ((2, 3), (3,)),
    tensordot_left: ((2, 3), (3, 4)), tensordot_right: ((2, 3), (3, 2)), einsum_ellipsis: ((2, 3, 3), (3, 2)),
    reductions: ((2, 3, 4),), moved_axes: ((2, 2, 2),), shaped: ((2, 6),), indexed: ((3, 4), INDEX),
    written: ((4, 3),), joined: ((3, 2), (3, 2)), along_axes: ((3, 4),), padded_and_repeated: ((3, 2),),
    diagonals: ((3,), (3, 3)), solved: ("square", (3,), (3, 2)), outer_products: ((3,), (2,)),
    branched: ((4,),), softmax_cross_entropy: ((3, 3), (4, 3), LABELS),
}
APART = {apart_indices: ((3, 2, 2),), looped: ((3,),)}


def arguments(shapes, seed: int = 0) -> list:
    """Arguments of those shapes, the same on every machine ("square": a well-conditioned
    3 x 3 matrix; an int array: itself)."""
    rng = np.random.default_rng(seed)
    made = []
    for shape in shapes:
        if isinstance(shape, np.ndarray):
            made.append(shape)
        elif shape == "square":
            made.append(np.eye(3) * 3.0 + rng.normal(size=(3, 3)) * 0.3)
        else:
            made.append(rng.normal(size=shape) * 0.7)
    return made
