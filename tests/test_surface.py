"""The surface corpora (tests/cases/autograd_surface.py, realistic_programs.py), case by case.

Every case symdiff is expected to differentiate must give a gradient with the type
and shape of its arguments that agrees with central differences, and a jvp whose
value is the function's and whose tangent agrees with central differences along a
random direction and with the gradient by the dot-product identity. Every case in
`EXPECTED_REFUSED` must be refused with a SymdiffError located in a source file
(`file:line:col: ...`), and so must the jvp of a case in `FORWARD_REFUSED`; when
one starts working, its test fails and says to move it out. `KNOWN_WRONG` holds
the cases main gets wrong today, as strict xfails naming the issue: fixed, they
fail here until their entry goes.

The SciPy cases are skipped where SciPy is not installed. Everything is small (a
few entries per argument), so the file stays quick.

benchmarks/corpus_coverage.py prints the same verdicts as a table, with the totals.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import symdiff

from .cases import autograd_surface, realistic_programs
from .support import surface

CASES = autograd_surface.CASES + realistic_programs.CASES
BY_NAME = {case.name: case for case in CASES}
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): \S")
IDENTITY_RTOL = 1e-9

# What main refuses today, case -> the refusal (its message without the location).
EXPECTED_REFUSED = {
    # autograd_surface
    "multigammaln_in_a": "scipy.special.multigammaln: write d as a positive int in the call, multigammaln(a, 2)",
    # realistic_programs
    "scipy_rosen": "*arrays / **arrays parameters cannot be inlined",
}

# Cases whose gradient symdiff gives but whose jvp it refuses, case -> the refusal.
FORWARD_REFUSED = {}

KNOWN_WRONG = {}  # case -> (modes it is wrong or crashes in, why)


def _marked(cases, mode: str) -> list:
    """pytest params of `cases`, KNOWN_WRONG ones in `mode` as strict xfails."""
    params = []
    for case in cases:
        modes, why = KNOWN_WRONG.get(case.name, ((), ""))
        marks = [pytest.mark.xfail(strict=True, reason=why)] if mode in modes else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


DIFFERENTIATED = [case for case in CASES if case.name not in EXPECTED_REFUSED]
FORWARD = [case for case in DIFFERENTIATED if case.name not in FORWARD_REFUSED]
REFUSED = [(case, "reverse") for case in CASES if case.name in EXPECTED_REFUSED] \
    + [(case, "forward") for case in CASES if case.name in FORWARD_REFUSED]


def arguments(case) -> list:
    reason = surface.missing(case)
    if reason:
        pytest.skip(reason)
    return case.arguments()


def differentiated(derive):
    """`derive()`, or a failure that says where a refusal belongs if symdiff refuses."""
    try:
        return derive()
    except symdiff.SymdiffError as error:
        pytest.fail(f"refused: {surface.first_line(error)}\n(a deliberate refusal goes in EXPECTED_REFUSED)")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_function_runs_at_its_point(case):
    # The corpus itself: each function returns one finite number where it is called.
    with np.errstate(all="raise"):
        value = case.fun(*arguments(case))
    assert isinstance(value, (float, np.floating)) and np.isfinite(value), (case.name, value)


@pytest.mark.parametrize("case", _marked(DIFFERENTIATED, "reverse"))
def test_gradient_matches_central_differences(case):
    args = arguments(case)
    with np.errstate(all="ignore"):
        problem = surface.reverse_problem(case, args, differentiated(lambda: surface.gradients(case, args)))
    assert problem is None, f"{case.name} ({case.covers}): {problem}"


@pytest.mark.parametrize("case", _marked(FORWARD, "forward"))
def test_forward_mode_matches_central_differences_and_reverse_mode(case):
    args = arguments(case)
    directions = surface.directions_for(case, args)
    with np.errstate(all="ignore"):
        result = differentiated(lambda: surface.tangent(case, args, directions))
        problem = surface.forward_problem(case, args, directions, result)
        assert problem is None, f"{case.name} ({case.covers}): {problem}"
        expected = sum(surface.inner(g, d) for g, d in zip(surface.gradients(case, args), directions, strict=True))
    assert abs(result[1] - expected) <= IDENTITY_RTOL * max(1.0, abs(expected)), (case.name, result[1], expected)


# The realistic programs also against SymPy's closed form (symdiff.verify: symbolic,
# then at 3 random points; a closed form too large for SymPy falls back, as verify
# documents, to 30-digit central differences). Attention's softmax takes SymPy ~20 s.
SLOW_TO_VERIFY = {"attention"}
# verify takes no containers (a documented refusal): those programs are checked against
# central differences only.
REALISTIC = [pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.name in SLOW_TO_VERIFY else [])
             for case in realistic_programs.CASES if case.name not in EXPECTED_REFUSED
             and not any(isinstance(arg, (dict, tuple, list)) for arg in case.arguments())]


@pytest.mark.parametrize("case", REALISTIC)
def test_realistic_programs_agree_with_sympy(case):
    args = arguments(case)
    with np.errstate(all="ignore"):
        report = symdiff.verify(case.fun, wrt=case.wrt, args=args, points=3, seconds=None)
    assert report.complete and report.points == 3, (case.name, report)
    assert report.max_error <= 1e-7, (case.name, report)


@pytest.mark.parametrize("case,mode", REFUSED, ids=[f"{case.name}-{mode}" for case, mode in REFUSED])
def test_refused_cases_are_refused_with_a_location(case, mode):
    args = arguments(case)
    try:
        if mode == "reverse":
            surface.gradients(case, args)
        else:
            surface.tangent(case, args, surface.directions_for(case, args))
    except symdiff.SymdiffError as error:
        message = str(error)
    else:
        table = "EXPECTED_REFUSED" if mode == "reverse" else "FORWARD_REFUSED"
        pytest.fail(f"{case.name} is differentiated now: move it out of {table} "
                    "(it is then checked against central differences)")
    located = LOCATED.match(message)
    assert located and Path(located["file"]).is_file(), f"{case.name}: not located: {message}"


def test_the_tables_name_cases_of_the_corpora():
    assert len(BY_NAME) == len(CASES), "two cases share a name"
    assert set(EXPECTED_REFUSED) <= set(BY_NAME), set(EXPECTED_REFUSED) - set(BY_NAME)
    assert set(FORWARD_REFUSED) <= set(BY_NAME) - set(EXPECTED_REFUSED), set(FORWARD_REFUSED) - set(BY_NAME)
    assert set(KNOWN_WRONG) <= set(BY_NAME) - set(EXPECTED_REFUSED), set(KNOWN_WRONG) - set(BY_NAME)
    for case in CASES:
        assert case.wrt and len(case.args) == case.fun.__code__.co_argcount, case.name


def test_every_function_autograd_differentiates_has_a_case_or_a_reason():
    covered = {case.covers for case in autograd_surface.CASES}
    assert autograd_surface.AUTOGRAD - covered <= set(autograd_surface.EXCLUDED), \
        sorted(autograd_surface.AUTOGRAD - covered - set(autograd_surface.EXCLUDED))
    assert not covered & set(autograd_surface.EXCLUDED), covered & set(autograd_surface.EXCLUDED)
