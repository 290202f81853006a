"""Matrix calculus from the lecture notes, for the symdiff CLI.

Array code is differentiated for given shapes:

    symdiff examples/matrix.py:product --wrt X,Y --shape X=2x3,Y=3x4,G=2x4
    symdiff examples/matrix.py:mlp_batch --wrt W,v --shape W=128x784,v=128,X=256x784,y=256

symdiff reads this file statically; it never imports or runs it.
"""

import numpy as np


def quadratic_form(x, A):
    """x^T A x, whose gradient is (A + A^T) x."""
    return x @ A @ x


def product(X, Y, G):
    """Z = X Y, seen through L = sum(Z * G): X_bar = Z_bar Y^T, Y_bar = X^T Z_bar."""
    Z = X @ Y
    return np.sum(Z * G)


def mlp(W, v, x, y):
    """The two-layer network of the notes: h = W x, a = sigma(h), o = v^T a, L = (y - o)^2 / 2."""
    h = W @ x
    a = 1 / (1 + np.exp(-h))
    o = v @ a
    return 0.5 * (y - o) ** 2


def mlp_batch(W, v, X, y):
    """The same network on a mini-batch X (n x d), with the mean loss."""
    H = X @ W.T
    A = 1 / (1 + np.exp(-H))
    o = A @ v
    return 0.5 * np.mean((y - o) ** 2)


def dense_tanh(X, W, b):
    """A tanh layer with a bias broadcast over the batch."""
    return np.sum(np.tanh(X @ W.T + b))


def softmax_cross_entropy(W, b, X, Y, lam):
    """J = -sum(Y * log softmax(X W^T + b)) / n + lam * sum(W^2), Y one-hot."""
    S = X @ W.T + b
    P = np.exp(S) / np.sum(np.exp(S), axis=1, keepdims=True)
    return -np.sum(Y * np.log(P)) / X.shape[0] + lam * np.sum(W**2)


def softmax_cross_entropy_labels(W, b, X, labels, lam):
    """The mini-batch version: integer labels and a max-shifted log-softmax."""
    S = X @ W.T + b
    S = S - np.max(S, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    n = X.shape[0]
    return -np.mean(logp[np.arange(n), labels]) + lam * np.sum(W * W)


def multiclass_svm(W, X, labels):
    """sum over j != y of max(0, s_j - s_y + 1), averaged over the batch."""
    S = X @ W.T
    n = X.shape[0]
    correct = S[np.arange(n), labels]
    margins = np.maximum(0.0, S - correct[:, None] + 1.0)
    return (np.sum(margins) - n) / n


def relu_network(W1, b1, W2, b2, X, y):
    """Two ReLU layers and a squared error."""
    H = np.maximum(0.0, X @ W1.T + b1)
    out = H @ W2 + b2
    return 0.5 * np.mean((out - y) ** 2)
