"""Custom derivative rules (custom.py): the function is one opaque primitive whose
partials are the functions given, in reverse and forward mode, for arrays, for
functions without source, in `verify` and in the CLI."""

import math

import numpy as np
import pytest

import symdiff
from symdiff import cli

from . import custom_cases as cases


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
    x = np.array([-0.7, 0.3, 1.6])
    with pytest.raises(symdiff.UnknownFunctionError, match="np.sinc is not a function symdiff"):
        symdiff.grad(cases.uses_sinc)(x)
    symdiff.custom_derivative(cases.d_sinc)(np.sinc)
    try:
        got = symdiff.grad(cases.uses_sinc)(x)
    finally:
        del symdiff.custom.RULES[np.sinc]
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
