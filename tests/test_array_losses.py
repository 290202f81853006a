"""The lecture notes' losses on arrays (examples/matrix.py): softmax cross-entropy
with one-hot and with integer labels, the multi-class SVM, a ReLU network.
Each gradient is checked against SymPy entry by entry on small shapes, and
against hand-derived formulas from the notes."""


import numpy as np
import pytest

import symdiff

from .support.examples_loader import load_example


matrix = load_example("matrix")
RNG = np.random.default_rng(7)
X = RNG.normal(size=(4, 3))
W = RNG.normal(size=(3, 3))
B = RNG.normal(size=3)
LABELS = np.array([0, 2, 1, 2])
ONE_HOT = np.eye(3)[LABELS]


def softmax(S):
    E = np.exp(S - S.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_cross_entropy_gradient_is_p_minus_y_over_n_plus_weight_decay():
    lam = 0.1
    dW, db = symdiff.grad(matrix.softmax_cross_entropy, wrt=("W", "b"))(W, B, X, ONE_HOT, lam)
    P = softmax(X @ W.T + B)
    assert np.allclose(dW, (P - ONE_HOT).T @ X / 4 + 2 * lam * W, rtol=1e-12, atol=1e-14)
    assert np.allclose(db, (P - ONE_HOT).sum(axis=0) / 4, rtol=1e-12, atol=1e-14)


def test_integer_labels_give_the_same_gradient_as_one_hot():
    one_hot = symdiff.grad(matrix.softmax_cross_entropy, wrt=("W", "b"))(W, B, X, ONE_HOT, 0.1)
    labels = symdiff.grad(matrix.softmax_cross_entropy_labels, wrt=("W", "b"))(W, B, X, LABELS, 0.1)
    for a, b in zip(one_hot, labels, strict=True):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,wrt,args", [
    ("softmax_cross_entropy", ("W", "b"), (W, B, X, ONE_HOT, 0.1)),
    ("softmax_cross_entropy_labels", ("W", "b"), (W, B, X, LABELS, 0.1)),
    ("multiclass_svm", ("W",), (W, X, LABELS)),
    ("relu_network", ("W1", "b1", "W2", "b2"),
     (RNG.normal(size=(3, 3)), RNG.normal(size=3), RNG.normal(size=(3, 2)), RNG.normal(size=2),
      X, RNG.normal(size=(4, 2)))),
])
def test_loss_gradient_agrees_with_sympy_entry_by_entry(name, wrt, args):
    report = symdiff.verify(getattr(matrix, name), wrt=wrt, args=args)
    assert report.reference == "SymPy"
    assert report.max_error < 1e-10


def test_svm_gradient_counts_the_classes_inside_the_margin():
    dW = symdiff.grad(matrix.multiclass_svm)(W, X, LABELS)
    S = X @ W.T
    margins = S - S[np.arange(4), LABELS][:, None] + 1.0
    active = (margins > 0).astype(float)
    active[np.arange(4), LABELS] = 0.0
    active[np.arange(4), LABELS] = -active.sum(axis=1)
    assert np.allclose(dW, active.T @ X / 4, rtol=1e-12, atol=1e-14)


def test_relu_network_gradient_at_a_kink_splits_in_half():
    W1, b1 = np.eye(2), np.zeros(2)
    X0 = np.array([[0.0, 1.0]])  # the first hidden unit sits exactly at its kink
    W2, b2, y = np.ones((2, 1)), np.zeros(1), np.zeros((1, 1))
    db1 = symdiff.grad(matrix.relu_network, wrt="b1")(W1, b1, W2, b2, X0, y)
    # dL/dout = out - y = 1, so dL/dH = W2^T = [1, 1]; ReLU'(0) = 1/2, ReLU'(1) = 1.
    assert db1.tolist() == [0.5, 1.0]
