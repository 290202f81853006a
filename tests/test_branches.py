"""Branches: if / elif / else, conditional expressions, and / or / not, chained
comparisons and early returns (branch_cases.py).

Each function is checked against its hand-written derivative on both sides of
every boundary, against central differences, and by `symdiff.verify` (SymPy's
Piecewise derivative); the generated code is checked to read like the source.
"""

import ast
import inspect
from dataclasses import replace

import numpy as np
import pytest

import symdiff
from symdiff.driver import derive
from symdiff.errors import ShapeError
from symdiff.frontend.parse import parse_function
from symdiff.primitives import PRIMS
from symdiff.verification.scalars import check

from .cases import branch_cases as cases

RTOL = 1e-12
# (function, its derivative, points on every side of its boundaries)
SCALAR = [
    (cases.sqrt_or_negate, cases.d_sqrt_or_negate, [(2.0,), (0.3,), (-2.0,), (-0.5,)]),
    (cases.three_way, cases.d_three_way, [(2.0, 1.0), (0.5, 1.0), (-0.5, 1.0), (-2.0, -3.0)]),
    (cases.chained_and_not, cases.d_chained_and_not, [(0.5,), (1.5,), (3.5,), (-0.5,)]),
    (cases.short_circuit, cases.d_short_circuit, [(4.0,), (2.0,), (-1.0,)]),
    (cases.value_or, cases.d_value_or, [(2.0, 3.0), (1.0, 3.0), (-1.5, 0.5)]),
    (cases.nested_returns, cases.d_nested_returns, [(1.0, 2.0), (1.0, -2.0), (-1.0, 2.0)]),
    (cases.only_in_a_branch, cases.d_only_in_a_branch, [(2.0, 0.5), (0.5, 0.5)]),
    (cases.static_condition, cases.d_static_condition, [(-2.0,), (1.5,)]),
]
IDS = [fun.__name__ for fun, _, _ in SCALAR]


def assert_close(actual, expected, what):
    error = abs(float(actual) - float(expected))  # NaN fails: NaN <= tol is False
    assert error <= RTOL * max(1.0, abs(float(expected))), f"{what}: got {actual!r}, expected {expected!r}"


def every_param(fun):
    return tuple(range(len(inspect.signature(fun).parameters)))


@pytest.mark.parametrize("fun, derivative, points", SCALAR, ids=IDS)
def test_gradient_matches_the_hand_derivative_on_every_side(fun, derivative, points):
    gradient = symdiff.grad(fun, wrt=every_param(fun))
    for point in points:
        expected = derivative(*point)
        expected = expected if isinstance(expected, tuple) else (expected,)
        got = gradient(*point)
        assert len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            assert isinstance(g, float), f"{fun.__name__}{point}: {g!r} is not a float"
            assert_close(g, e, f"{fun.__name__}{point}")


@pytest.mark.parametrize("fun, derivative, points", SCALAR, ids=IDS)
def test_value_and_grad_returns_the_function_value(fun, derivative, points):
    both = symdiff.value_and_grad(fun, wrt=every_param(fun))
    for point in points:
        value, _ = both(*point)
        assert value == fun(*point)


@pytest.mark.parametrize("fun, derivative, points", SCALAR, ids=IDS)
def test_verify_accepts_against_sympy_piecewise(fun, derivative, points):
    report = symdiff.verify(fun, wrt=every_param(fun))
    assert report.points >= 6
    assert report.max_error <= 1e-9


def test_verify_catches_a_wrong_rule_in_one_branch():
    # -x' = +1 in the else branch only: SymPy's Piecewise derivative disagrees there.
    wrong = dict(PRIMS)
    wrong["neg"] = replace(PRIMS["neg"], partials=(lambda b, o, x: 1.0,))
    derivation, _ = derive(parse_function(cases.sqrt_or_negate), (0,), prims=wrong)
    with pytest.raises(symdiff.VerificationError, match="a derivative rule is wrong"):
        check(derivation)


def test_verify_is_not_misled_by_the_point_an_interrupted_check_was_following():
    # An exception (KeyboardInterrupt, say) can interrupt verify while it follows a point
    # through a loop; the point left behind must not decide the branches of the next check (here x > 0 at x = 5
    # for every point, which would make the else branch's gradient look wrong).
    import sympy as sp

    from symdiff.verification import symbolic

    symbolic._GUIDE.append({sp.Symbol("x", real=True): sp.Float(5.0, 30)})
    report = symdiff.verify(cases.sqrt_or_negate)
    assert report.max_error <= 1e-9 and not symbolic._GUIDE


def test_the_branch_not_taken_is_not_evaluated():
    # sqrt(-2.0) would raise ValueError: the generated code branches as the source does.
    assert symdiff.grad(cases.sqrt_or_negate)(-2.0) == -1.0


def test_generated_code_reads_like_the_source():
    body = inspect.getsource(symdiff.grad(cases.three_way, wrt=(0, 1)))
    assert body == '''def grad_three_way(x, y):
    """Gradient of three_way with respect to x, y."""
    if not type(x) is type(y) is float:
        _check_arguments('grad_three_way', 'numbers', x=x, y=y)
    a = x > y
    # line 21: if x > y:
    if a:
        w = 2.0
        x_bar = w * y
        y_bar = w * x
    else:
        b = x > 0
        w = 3.0 if b else 1.0
        x_bar = w if b else 0.0
        y_bar = 0.0 if b else w * math.cos(y)
    return x_bar, y_bar
'''


def test_early_return_becomes_if_else_with_one_name():
    source = symdiff.grad(cases.sqrt_or_negate).source
    assert ("    if a:\n        sqrt_or_negate = math.sqrt(x)\n        x_bar = 0.5 / sqrt_or_negate\n"
            "    else:\n        x_bar = -1.0\n") in source
    lowered = str(symdiff.grad(cases.sqrt_or_negate).lowered)
    assert lowered == ("a = x > 0\nif a:\n    sqrt_or_negate = sqrt(x)\nelse:\n    sqrt_or_negate_1 = -x\n"
                       "sqrt_or_negate_2 = sqrt_or_negate if a else sqrt_or_negate_1")


def test_conditions_of_comparisons_print_as_and():
    source = symdiff.grad(cases.chained_and_not).source
    assert "d = a and b" in source and "not" in source
    ast.parse(source)


def test_array_function_with_a_data_dependent_branch():
    gradient = symdiff.grad(cases.array_branch)
    for w in (np.array([1.0, -0.5, 2.0]), np.array([-1.0, 0.5, -2.0])):
        np.testing.assert_allclose(gradient(w), cases.d_array_branch(w), rtol=1e-14)


def test_an_array_condition_is_refused_with_advice():
    with pytest.raises(ShapeError) as info:
        symdiff.grad(cases.array_condition)(np.ones(3))
    message = str(info.value)
    line = next(i for i, text in enumerate(inspect.getsource(cases).splitlines(), 1) if "# <-" in text)
    assert message.startswith(f"{cases.__file__}:{line}:")
    assert "np.where" in message
