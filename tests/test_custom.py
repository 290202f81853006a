"""Custom derivative rules (custom.py): the function is one opaque primitive whose
partials are the functions given, in reverse and forward mode, for arrays, for
functions without source, in `verify` and in the CLI."""

import math

import numpy as np
import pytest

import symdiff
import symdiff.primitives.custom
from symdiff import cli

from .cases import custom_cases as cases


def test_the_gradient_calls_the_given_partial_not_the_source():
    gradient = symdiff.grad(cases.smooth_hinge, wrt=("x", "y"))
    assert "d_softplus(" in gradient.source and "log1p" not in gradient.source
    x, y = 0.4, -1.5
    s = 1.0 / (1.0 + math.exp(-(1.0 - x * y)))
    got = gradient(x, y)
    assert math.isclose(got[0], -y * s + x, rel_tol=1e-15) and math.isclose(got[1], -x * s, rel_tol=1e-15)
    # where the naive formula overflows, the rule's function and partial do not
    assert gradient(-400.0, 1.0) == (-1.0 - 400.0, 400.0)


def test_forward_mode_uses_the_partials_too():
    tangent = symdiff.jvp(cases.smooth_hinge, wrt=("x", "y"))
    assert "softplus(" in tangent.source and "d_softplus(" in tangent.source
    value, dot = tangent(0.4, -1.5, 1.0, 2.0)
    gradient = symdiff.grad(cases.smooth_hinge, wrt=("x", "y"))(0.4, -1.5)
    assert value == cases.smooth_hinge(0.4, -1.5)
    assert math.isclose(dot, gradient[0] + 2.0 * gradient[1], rel_tol=1e-14)


def test_array_arguments_broadcast_and_partials_given_as_lambdas():
    rng = np.random.default_rng(2)
    W, v = rng.normal(size=(3, 2)), rng.normal(size=2)
    W_bar, v_bar = symdiff.grad(cases.opaque_energy, wrt=("W", "v"))(W, v)
    s = np.sin(W * v)
    np.testing.assert_allclose(W_bar, 2 * s * np.cos(W * v) * v, rtol=1e-12)
    np.testing.assert_allclose(v_bar, np.sum(2 * s * np.cos(W * v) * W, axis=0), rtol=1e-12)


def test_a_function_without_source_gets_a_rule():
    # np.sinc has a row of the table (primitives/elementwise.py); a rule registered for it wins
    x = np.array([-0.7, 0.3, 1.6])
    assert "d_sinc" not in symdiff.grad(cases.uses_sinc).source
    symdiff.custom_derivative(cases.d_sinc)(np.sinc)
    try:
        gradient = symdiff.grad(cases.uses_sinc)
        got = gradient(x)
    finally:
        del symdiff.primitives.custom.RULES[np.sinc]
    assert "d_sinc(x)" in gradient.source
    np.testing.assert_allclose(got, np.sinc(x) + x * cases.d_sinc(x), rtol=1e-12)


def test_verify_takes_the_rule_as_the_derivative():
    report = symdiff.verify(cases.smooth_hinge, wrt=("x", "y"))
    assert report.max_error <= 1e-12
    assert "d_softplus" in str(report)


def test_a_rule_with_too_few_partials_is_refused_where_it_is_called():
    with pytest.raises(symdiff.UnsupportedSyntaxError) as info:
        symdiff.grad(cases.calls_two_arguments, wrt="y")
    line = open(cases.__file__).read().splitlines().index("    return two_arguments(x, y)") + 1
    assert str(info.value).startswith(f"{cases.__file__}:{line}:")
    assert "gives 1 partial(s), but it is called with an argument 2" in str(info.value)


def test_the_cli_reads_the_rule_statically(capsys):
    assert cli.main([f"{cases.__file__}:smooth_hinge", "--wrt", "x"]) == 0
    out = capsys.readouterr().out
    assert "d_softplus(" in out and "log1p" not in out
    assert cli.main([f"{cases.__file__}:opaque_energy", "--shape", "W=3x2,v=2"]) == 2
    assert "custom derivative the CLI cannot read" in capsys.readouterr().err
    assert cli.main([f"{cases.__file__}:smooth_hinge", "--check"]) == 2
    assert "cannot evaluate it" in capsys.readouterr().err


def central(f, x, h=1e-6):
    """Central differences of a scalar `f` of one array, entry by entry."""
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        step = np.zeros(x.shape)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


HINGE_X, HINGE_Y = np.array([0.4, -2.0, 1.5, 30.0]), np.array([-1.5, 0.5, 1.0, 2.0])


def hinge_by_entries(x, y):
    """hinge_loss as Python runs it on numbers (on arrays softplus's `if` would raise)."""
    return sum(cases.smooth_hinge(a, b) for a, b in zip(x, y, strict=True))


def test_a_rule_written_with_math_applies_to_arrays_entry_by_entry():
    x, y = HINGE_X, HINGE_Y
    by_x = central(lambda t: hinge_by_entries(t, y), x)
    by_y = central(lambda t: hinge_by_entries(x, t), y)
    gradient = symdiff.grad(cases.hinge_loss, wrt=("x", "y"))
    got = gradient(x, y)
    np.testing.assert_allclose(got[0], by_x, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(got[1], by_y, rtol=1e-7, atol=1e-9)
    assert "_elementwise(d_softplus, b)" in gradient.source
    value, dot = symdiff.jvp(cases.hinge_loss, wrt=("x", "y"))(x, y, np.ones(4), 2.0 * np.ones(4))
    assert math.isclose(value, hinge_by_entries(x, y), rel_tol=1e-14)
    assert math.isclose(dot, np.sum(by_x) + 2.0 * np.sum(by_y), rel_tol=1e-7)
    value, (x_bar, y_bar) = symdiff.vjp(cases.hinge_loss, wrt=("x", "y"))(x, y, 3.0)
    np.testing.assert_allclose(x_bar, 3.0 * by_x, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(y_bar, 3.0 * by_y, rtol=1e-7, atol=1e-9)


def test_verify_runs_a_rule_written_with_math_on_arrays():
    report = symdiff.verify(cases.hinge_loss, wrt=("x", "y"), args=(HINGE_X[:3], HINGE_Y[:3]))
    assert report.max_error <= 1e-12 and report.points == 3


def test_a_function_without_source_with_a_partial_written_for_numbers():
    x = np.array([-0.7, 0.0, 0.3, 1.6])
    symdiff.custom_derivative(cases.d_sinc_by_cases)(np.sinc)
    try:
        gradient = symdiff.grad(cases.uses_sinc)
        got = gradient(x)
    finally:
        del symdiff.primitives.custom.RULES[np.sinc]
    np.testing.assert_allclose(got, central(cases.uses_sinc, x), rtol=1e-7, atol=1e-9)
    # np.sinc takes arrays: called as it is; the partial is applied entry by entry
    assert "a = np.sinc(x)" in gradient.source and "_elementwise(d_sinc_by_cases, x)" in gradient.source


def test_a_rule_that_takes_arrays_is_called_on_them_directly():
    W, v = np.array([[0.5, -1.0], [2.0, 0.25], [-0.3, 1.1]]), np.array([0.7, -1.2])
    gradient = symdiff.grad(cases.opaque_energy, wrt="W")
    np.testing.assert_allclose(gradient(W, v), central(lambda t: cases.opaque_energy(t, v), W),
                               rtol=1e-7, atol=1e-9)
    assert "sine_of_product(" in gradient.source
    assert "_elementwise" not in gradient.source and "vectorize" not in gradient.source


def test_code_for_numbers_calls_a_rule_directly():
    gradient = symdiff.grad(cases.smooth_hinge)
    assert "_elementwise" not in gradient.source and "d_softplus(b)" in gradient.source
