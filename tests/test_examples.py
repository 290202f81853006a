"""The examples' functions differentiate correctly, without their optional
dependencies (scikit-learn and SciPy are needed only to run the scripts)."""

import numpy as np
import pytest

import symdiff

from .support.examples_loader import load_example

def test_rosenbrock_gradient_matches_its_closed_form():
    x = np.array([-1.2, 1.0, -0.5, 0.8, 1.5])
    expected = np.zeros(5)
    expected[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    expected[1:] += 200 * (x[1:] - x[:-1] ** 2)
    assert np.allclose(symdiff.grad(load_example("scipy_minimize").rosenbrock)(x), expected, rtol=1e-13)


@pytest.mark.slow  # (SymPy differentiates an MLP and a softmax entry by entry: 10 s)
def test_digits_losses_agree_with_sympy_on_small_shapes():
    digits = load_example("train_digits")
    rng = np.random.default_rng(3)
    X, labels = rng.normal(size=(3, 4)), np.array([0, 2, 1])
    softmax = symdiff.verify(digits.softmax_loss, wrt=(0, 1),
                             args=(rng.normal(size=(3, 4)), rng.normal(size=3), X, labels, 0.01))
    mlp = symdiff.verify(digits.mlp_loss, wrt=(0, 1, 2, 3),
                         args=(rng.normal(size=(2, 4)), rng.normal(size=2), rng.normal(size=(3, 2)),
                               rng.normal(size=3), X, labels, 0.01))
    assert softmax.reference == mlp.reference == "SymPy"
    assert max(softmax.max_error, mlp.max_error) < 1e-10
