"""Every corpus function (corpus.py), differentiated by symdiff and cross-checked.

For each function: the gradient agrees with SymPy's derivative of the same
function object (sympy_reference.py) at points of its domain, comes back as one
float per `wrt` entry, agrees with central finite differences (a third opinion
that shares no code with either), and passes `symdiff.verify`; `value_and_grad`
returns the function's own value. A Hypothesis property repeats the SymPy
comparison at random points of each function's domain.
"""

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff
from symdiff.primitives import MODULES, ROWS

from .cases.corpus import CASES, sample_points
from .support.helpers import assert_jvp_agrees_with_grad
from .support.sympy_reference import reference_gradient, reference_value

IDS = [case.name for case in CASES]
RTOL = 1e-9          # symdiff vs SymPy's 30-digit value, relative to max(1, |exact|)
FD_RTOL = 1e-6       # central differences: truncation ~h^2, rounding ~eps/h
POINTS = 4


def assert_close(actual, expected, rtol, what):
    # Written so that NaN on either side fails: NaN <= tol is False.
    error = abs(float(actual) - float(expected))
    assert error <= rtol * max(1.0, abs(float(expected))), (
        f"{what}: got {actual!r}, expected {expected!r} (error {error:.2e})")


def as_tuple(case, result):
    return tuple(result) if case.many else (result,)


def is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, (bool, np.bool_))


def central_difference(fun, point, index, h=1e-6):
    step = h * max(1.0, abs(point[index]))
    up, down = list(point), list(point)
    up[index] += step
    down[index] -= step
    return (fun(*up) - fun(*down)) / (up[index] - down[index])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sympy_reference_reproduces_the_function(case):
    # The reference is only as good as its shims: its closed form must be the function.
    for point in sample_points(case, POINTS):
        assert_close(reference_value(case.fun, point), case.fun(*point), 1e-12,
                     f"SymPy closed form of {case.name} at {point}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_sympy_derivative(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for point in sample_points(case, POINTS):
        ours = as_tuple(case, gradient(*point))
        exact = reference_gradient(case.fun, case.wrt_names, point)
        for name, mine, ref in zip(case.wrt_names, ours, exact, strict=True):
            assert_close(mine, ref, RTOL, f"d{case.name}/d{name} at {point}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_is_one_float_per_wrt_entry(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    result = gradient(*sample_points(case, 1)[0])
    if case.many:
        assert isinstance(result, tuple) and len(result) == len(case.wrt_names), result
    values = as_tuple(case, result)
    assert all(is_float(v) for v in values), [type(v).__name__ for v in values]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_value_and_grad_returns_the_function_value_and_the_gradient(case):
    both = symdiff.value_and_grad(case.fun, wrt=case.wrt)
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for point in sample_points(case, POINTS):
        value, grads = both(*point)
        # The value comes from the same float operations as the function's: bit-identical.
        assert value == case.fun(*point), f"value of {case.name} at {point}"
        alone = as_tuple(case, gradient(*point))
        for mine, expected in zip(as_tuple(case, grads), alone, strict=True):
            assert_close(mine, expected, 1e-12, f"value_and_grad vs grad of {case.name} at {point}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_central_differences(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for point in sample_points(case, POINTS):
        for name, mine in zip(case.wrt_names, as_tuple(case, gradient(*point)), strict=True):
            index = case.params.index(name)
            estimate = central_difference(case.fun, point, index)
            assert_close(mine, estimate, FD_RTOL, f"d{case.name}/d{name} at {point} vs differences")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_verify_accepts_the_gradient(case):
    report = symdiff.verify(case.fun, wrt=case.wrt)
    assert report.method in ("symbolic", "numeric")
    assert report.points > 0
    assert report.max_error <= 1e-7
    assert len(report.closed_form) == len(case.wrt_names)


def domain_points(case):
    def coordinate(intervals):
        return st.one_of([st.floats(lo, hi, exclude_min=True, exclude_max=True)
                          for lo, hi in intervals])
    return st.tuples(*map(coordinate, case.domain))


@pytest.mark.parametrize("case", CASES, ids=IDS)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_gradient_matches_sympy_at_random_points_of_the_domain(case, data):
    point = data.draw(domain_points(case), label="point")
    ours = as_tuple(case, symdiff.grad(case.fun, wrt=case.wrt)(*point))
    exact = reference_gradient(case.fun, case.wrt_names, point)
    for name, mine, ref in zip(case.wrt_names, ours, exact, strict=True):
        assert_close(mine, ref, RTOL, f"d{case.name}/d{name} at {point}")


def test_corpus_uses_every_scalar_primitive_in_every_library_spelling():
    used = {(eqn.prim, eqn.ns) for case in CASES
            for eqn in symdiff.grad(case.fun, wrt=case.wrt).lowered.body}
    # not / and / or need branches, which the SymPy reference here cannot run:
    # test_branches.py covers them; integer-only rows (math.factorial) take no
    # differentiated value: test_iteration.py covers them.
    spelled = {(row.name, ns) for row in ROWS if row.elementwise and row.vjp is None
               and row.name not in ("not", "and", "or") and not row.integer_only
               for ns, attr in row.spelling.items()
               if ns == "op" or ns in MODULES and hasattr(MODULES[ns], attr)}  # (SciPy's: test_special.py)
    if importlib.util.find_spec("scipy") is None:  # (math.gamma's derivative needs it: refused without)
        spelled -= {("gamma", "math"), ("loggamma", "math")}
    assert spelled - used == set()


def test_corpus_names_are_unique():
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_mode_agrees_with_reverse_mode(case):
    assert_jvp_agrees_with_grad(case.fun, case.wrt_names, case.params, sample_points(case, POINTS))
