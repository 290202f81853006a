"""Calls to the user's own functions (call_cases.py): helpers in the module or
imported, keyword and default arguments, several return values, closures,
nested defs and lambdas bound to names are inlined and differentiated; each
is checked against its hand-written derivative and by `symdiff.verify`."""

import inspect

import numpy as np
import pytest

import symdiff

from . import call_cases as cases

RTOL = 1e-12
SCALAR = [
    (cases.keywords_defaults_and_tuples, [(0.7, -1.2), (-2.0, 0.4)]),
    (cases.nested_def_and_lambda, [(0.7,), (-1.5,)]),
    (cases.calls_a_closure, [(0.7,), (-1.5,)]),
    (cases.imported_helpers, [(0.7,), (-1.5,)]),
    (cases.helper_in_a_branch, [(0.7,), (-1.5,)]),
]
IDS = [fun.__name__ for fun, _ in SCALAR]


def every_param(fun):
    return tuple(range(len(inspect.signature(fun).parameters)))


@pytest.mark.parametrize("fun, points", SCALAR, ids=IDS)
def test_gradient_matches_the_hand_derivative(fun, points):
    derivative = getattr(cases, "d_" + fun.__name__)
    gradient = symdiff.grad(fun, wrt=every_param(fun))
    for point in points:
        expected = derivative(*point)
        expected = expected if isinstance(expected, tuple) else (expected,)
        for got, want in zip(gradient(*point), expected, strict=True):
            error = abs(got - want)
            assert error <= RTOL * max(1.0, abs(want)), f"{fun.__name__}{point}: {got} != {want}"


@pytest.mark.parametrize("fun, points", SCALAR, ids=IDS)
def test_verify_accepts(fun, points):
    assert symdiff.verify(fun, wrt=every_param(fun)).max_error <= 1e-9


def test_helpers_are_inlined_under_the_callers_names():
    lowered = str(symdiff.grad(cases.keywords_defaults_and_tuples).lowered)
    assert "u = b + d" in lowered.splitlines()  # u = poly(x, 2.0, b=y): poly's result is u
    assert "sin(x)" in lowered and "poly" not in lowered


def test_array_helper_from_another_module():
    rng = np.random.default_rng(0)
    w, X, y = rng.normal(size=3), rng.normal(size=(8, 3)), (rng.random(8) > 0.5).astype(float)
    got = symdiff.grad(cases.logistic_loss)(w, X, y)
    np.testing.assert_allclose(got, cases.d_logistic_loss(w, X, y), rtol=1e-12)


def test_constants_of_another_module_are_taken_as_numbers():
    # call_helpers.OFFSET is not visible from the generated code's module: inlined as 0.5.
    source = symdiff.grad(cases.imported_helpers).source
    assert "OFFSET" not in source and "0.5" in source
