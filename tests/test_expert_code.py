"""Array gradients written the way an expert writes them (issue 17): the softmax
cross-entropy of a tanh layer without the zero gradient of its max shift, its one-hot
term subtracted in place, single-use values inline (so NumPy reuses their memory);
Rosenbrock's slice adjoints into one buffer; and what must not change: a zero term
that widens a sum, a value read after an array it reads is written, scalar code's
Wengert list. Each gradient is also checked against the closed form."""

import re

import numpy as np
import pytest

import symdiff

from .support.helpers import defined, module_from_text

SOURCE = """
    import numpy as np

    def mlp_ce(W1, b1, W2, b2, X, labels):
        H = np.tanh(X @ W1.T + b1)
        S = H @ W2.T + b2
        S = S - np.max(S, axis=1, keepdims=True)
        return -np.mean((S - np.log(np.sum(np.exp(S), axis=1, keepdims=True)))[np.arange(6), labels])

    def widened(x, w):
        return np.sum(np.sin(x) + 0.0 * w)

    def negated_scale(x):
        return np.sum(-(2.0 * x[1:]) * x[:-1])

    def shifted(x):
        return np.sum(np.sin(-(3.0 * x) - x * x))

    def scalar(x):
        return (x * x - 1.0) ** 2

    def logistic_nll(w, X, y):
        z = X @ w
        return np.sum(np.logaddexp(0.0, z) - y * z)
    """


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return module_from_text(tmp_path_factory.mktemp("expert"), "expert", SOURCE)


def _mlp_problem():
    rng = np.random.default_rng(3)
    X, labels = rng.normal(size=(6, 5)), np.array([0, 2, 1, 1, 0, 2])
    return rng.normal(size=(4, 5)), rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3), X, labels


def _mlp_closed_form(W1, b1, W2, b2, X, labels):
    H = np.tanh(X @ W1.T + b1)
    Z = H @ W2.T + b2
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(len(labels)), labels] -= 1.0
    P /= len(labels)
    C = (P @ W2) * (1.0 - H * H)
    return C.T @ X, C.sum(axis=0), P.T @ H, P.sum(axis=0)


def test_the_mlp_cross_entropy_gradient_is_the_expert_s(module):
    args = _mlp_problem()
    gradient = symdiff.grad(module.mlp_ce, wrt=("W1", "b1", "W2", "b2"))
    for got, want in zip(gradient(*args), _mlp_closed_form(*args), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    text = defined(gradient.source, "grad_mlp_ce")
    # the max shift's gradient, proved zero, costs nothing: no tie mask, no -0.0 * (...)
    assert "-0.0" not in text and "==" not in text and "0.0 *" not in text, text
    assert re.search(r"\n    (\w+)\[np\.arange\(6\), labels\] -= 0\.16666666666666666\n", text), text
    # single-use values inline: NumPy computes `t + b1` into the temporary `t` it owns
    assert "H = np.tanh(X @ W1.T + b1)" in text and "H_bar" not in text, text
    assert re.search(r"\n    \w+ = \w+ @ W2 \* \(1\.0 - H \* H\)\n", text), text


def test_a_zero_term_is_dropped_only_where_it_adds_no_axes(module):
    x, w = np.linspace(0.1, 0.6, 3), np.ones((2, 3))
    narrow = symdiff.value_and_grad(module.widened)
    value, x_bar = narrow(x, w[0])
    assert value == pytest.approx(np.sum(np.sin(x))) and np.allclose(x_bar, np.cos(x))
    assert not re.search(r"\bw\b", defined(narrow.source, "value_and_grad_widened").split('"""')[2]), narrow.source
    value, x_bar = narrow(x, w)  # (0.0 * w broadcasts sin(x) to 2 rows: it stays)
    assert value == pytest.approx(2 * np.sum(np.sin(x))) and np.allclose(x_bar, 2 * np.cos(x))
    assert "0.0 * w" in narrow.source, narrow.source


def test_slice_adjoints_and_negated_constants(module):
    x = np.array([0.5, -1.0, 2.0, 0.25])
    gradient = symdiff.grad(module.negated_scale)
    want = np.zeros(4)
    want[:-1] -= 2.0 * x[1:]
    want[1:] -= 2.0 * x[:-1]
    np.testing.assert_allclose(gradient(x), want, rtol=1e-15)
    text = defined(gradient.source, "grad_negated_scale")
    assert text.count("np.zeros((4,))") == 1 and "x_bar[:-1] = " in text and "x_bar[1:] " in text, text
    assert "-2.0 * " in text and "-(" not in text and "_scatter" not in text, text


def test_a_negated_multiple_minus_a_value_takes_the_sign_into_the_constant(module):
    x = np.array([0.5, -1.0, 2.0])
    value, x_bar = symdiff.value_and_grad(module.shifted)(x)
    d = -3.0 * x - x * x
    assert value == pytest.approx(np.sum(np.sin(d))) and np.allclose(x_bar, np.cos(d) * (-3.0 - 2.0 * x))
    assert "d = -3.0 * x - x * x" in symdiff.value_and_grad(module.shifted).source


def test_scalar_code_keeps_its_wengert_list(module):
    gradient = symdiff.grad(module.scalar)
    assert gradient(0.5) == pytest.approx(2 * (0.25 - 1.0) * 2 * 0.5)
    text = defined(gradient.source, "grad_scalar")
    assert "a = x * x" in text, text


def test_the_call_of_array_code_follows_new_shapes_and_kinds(module):
    gradient = symdiff.grad(module.negated_scale)
    x = np.arange(1.0, 5.0)
    first = gradient(x)
    again = gradient(np.arange(1, 5))  # ints: code of its own, that still returns floats
    assert again.dtype == np.float64 and np.array_equal(first, again)
    longer = gradient(np.arange(1.0, 6.0))
    assert longer.shape == (5,) and len(gradient.specializations) == 3


def test_a_long_chain_of_adjoints_is_named_every_few_operations(tmp_path):
    # (inline all the way, 300 adjoints would nest past Python's 200 parentheses)
    body = "".join("    h = np.tanh(W @ h)\n" for _ in range(300))
    deep = module_from_text(tmp_path, "deep", f"import numpy as np\n\ndef deep(x, W):\n    h = x\n{body}"
                            "    return np.sum(h)\n")
    x, W = np.array([0.3, -0.2, 0.5]), np.array([[0.9, 0.2, 0.0], [-0.1, 1.1, 0.3], [0.2, 0.0, 1.0]])
    hs = [x]
    for _ in range(300):
        hs.append(np.tanh(W @ hs[-1]))
    want = np.ones(3)
    for h in reversed(hs[1:]):
        want = W.T @ (want * (1.0 - h * h))
    gradient = symdiff.grad(deep.deep)
    np.testing.assert_allclose(gradient(x, W), want, rtol=1e-10)
    assert max(line.count("(") for line in gradient.source.splitlines()) < 20, gradient.source


def test_the_logistic_loss_gradient_is_a_sigmoid_without_the_loss_itself(module):
    """d/dz logaddexp(0, z) is the sigmoid, one exp (not exp(z - logaddexp(0, z)), which
    recomputes the loss); capped, it stays finite and silent where exp(-z) overflows."""
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(7, 3)), (rng.random(7) < 0.5).astype(float)
    w = rng.normal(size=3)
    gradient = symdiff.grad(module.logistic_nll)
    np.testing.assert_allclose(gradient(w, X, y), X.T @ (1.0 / (1.0 + np.exp(-(X @ w))) - y), rtol=1e-13)
    text = defined(gradient.source, "grad_logistic_nll")
    assert "logaddexp" not in text and text.count("np.exp(") == 1, text
    far = np.array([[800.0], [-800.0], [0.0]])
    with np.errstate(over="raise", invalid="raise"):  # (exp(800) is not taken)
        got = symdiff.grad(module.logistic_nll)(np.array([1.0]), far, np.array([1.0, 0.0, 1.0]))
    assert np.isfinite(got[0]) and abs(got[0]) < 1e-300  # (both far rows are fitted: a zero gradient)
