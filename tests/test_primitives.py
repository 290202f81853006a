"""Table-driven tests: every row of the primitive table, in every library spelling.

For each row and each library that spells it: evaluation agrees with the row's
SymPy meaning; each partial derivative, built as IR by the row's rule and run,
agrees with `sympy.diff` of that meaning and with central differences, at
points drawn from the row's sample intervals.
"""

import math
import random

import pytest
import sympy

from symdiff.errors import Loc
from symdiff.builder import Builder
from symdiff.ir import as_atom, Eqn, Func, NameAllocator, Param, Var, evaluate_ir
from symdiff.primitives import LAZY_MODULES, MODULES, PRIMS, ROWS
from symdiff.verification.symbolic import drop_nondifferentiable, evaluate_at

from .support.libraries import installed, skip_where_missing

SCALAR_ROWS = [row for row in ROWS if row.elementwise and row.vjp is None]  # others: test_arrays.py
CASES = [(row, ns) for row in SCALAR_ROWS for ns in row.spelling
         if ns in ("op", *LAZY_MODULES) or hasattr(MODULES[ns], row.spelling[ns])]  # (SciPy: skipped if absent)
IDS = [f"{row.name}-{ns}" for row, ns in CASES]


@pytest.fixture(autouse=True)
def _library_installed(request):
    """Skip a row that needs SciPy where it is not installed (tests/support/libraries.py)."""
    params = request.node.callspec.params if hasattr(request.node, "callspec") else {}
    if "ns" in params:
        skip_where_missing(params["row"], params["ns"])


def points(row, count=6, seed=0):
    rng = random.Random(hash(row.name) % 1000 + seed)
    found = []
    while len(found) < count:
        point = tuple(rng.randint(int(lo), int(hi)) if row.integer_only else rng.uniform(lo, hi)
                      for lo, hi in row.sample)  # (math.factorial takes ints)
        if row.domain is None or row.domain(*point):
            found.append(point)
    return found


def close(a, b, tol=1e-12):
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


def partial_func(row, ns, index):
    """A Func returning d row(x0, x1, ...)/d x_index, built by the row's rule."""
    params = tuple(Param(Var(f"x{i}")) for i in range(row.arity))
    args = tuple(p.var for p in params)
    names = NameAllocator({"x0", "x1"})
    out = Var("out")
    eqns = [Eqn(out, row.name, args, ns)]
    builder = Builder(names, PRIMS, ns=ns if ns in ("math", "numpy") else "math")
    rule = row.partials[index]  # (None: a symbolic zero)
    result = None if rule is None else rule(builder, out, *args)
    results = () if result is None else (as_atom(result),)
    return Func("p", params, tuple(eqns + builder.eqns), results, Loc("test", 1, 1))


@pytest.mark.parametrize("row,ns", CASES, ids=IDS)
def test_evaluation_matches_sympy(row, ns):
    symbols = sympy.symbols(f"x0:{row.arity}", real=True)
    expr = row.sympy(*symbols)
    for point in points(row):
        value = row.impl(ns)(*point)
        exact = evaluate_at(expr, symbols, point)
        assert close(value, exact), (point, value, exact)


@pytest.mark.parametrize("row,ns", [c for c in CASES if c[0].differentiable], ids=[
    i for c, i in zip(CASES, IDS) if c[0].differentiable])
def test_each_partial_matches_sympy_diff_and_finite_differences(row, ns):
    symbols = sympy.symbols(f"x0:{row.arity}", real=True)
    expr = row.sympy(*symbols)
    for index in set(range(row.arity)) - {i for i, _ in row.fixed}:  # (fixed: refused, test_elementwise.py)
        func = partial_func(row, ns, index)
        exact = drop_nondifferentiable(sympy.diff(expr, symbols[index]))
        for point in points(row):
            value = evaluate_ir(func, *point) if func.results else 0.0
            assert close(value, evaluate_at(exact, symbols, point), 1e-10), (index, point)
            assert close(value, central_difference(row.impl(ns), point, index), 1e-5), (index, point)


# (integer-only rows, math.factorial, have no derivative at all: their argument is never
# differentiated, test_iteration.py)
@pytest.mark.parametrize("row", [r for r in SCALAR_ROWS if not r.differentiable and not r.integer_only],
                         ids=lambda r: r.name)
def test_piecewise_constant_rows_have_zero_derivative_in_sympy_too(row):
    symbols = sympy.symbols(f"x0:{row.arity}", real=True)
    for symbol in symbols:
        derivative = drop_nondifferentiable(sympy.diff(row.sympy(*symbols), symbol))
        for point in points(row):
            assert evaluate_at(derivative, symbols, point) == 0


def central_difference(fn, point, index, h=1e-6):
    up = list(point)
    down = list(point)
    up[index] += h
    down[index] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


def test_every_row_has_sample_intervals_for_each_argument():
    for row in SCALAR_ROWS:
        assert len(row.sample) == row.arity, row.name


def test_every_library_spelling_resolves_to_a_callable():
    for row, ns in CASES:
        if ns not in LAZY_MODULES or installed(ns):  # (SciPy's, where it is installed)
            assert callable(row.impl(ns)), (row.name, ns)


def test_sign_without_numpy_is_expanded_with_sign_of_zero_zero():
    names = NameAllocator({"x"})
    builder = Builder(names, PRIMS, ns="math")
    result = builder.sign(Var("x"))
    func = Func("s", (Param(Var("x")),), tuple(builder.eqns), (result,), Loc("t", 1, 1))
    assert {e.prim for e in func.body} == {"gt", "lt", "float", "sub"}
    assert [evaluate_ir(func, v) for v in (-2.5, 0.0, 3.0)] == [-1.0, 0.0, 1.0]
    assert math.copysign(1.0, evaluate_ir(func, 0.0)) == 1.0
