"""Every row of the primitive table, scalar and array, through the passes that use it.

For each row (in each library spelling, for operations on numbers) one equation
`out = prim(x0, x1, ...)` is built as IR, on numbers drawn from the row's sample
intervals (arrays of the row's `example` shapes for array operations), and:

  * its symbolic execution (the row's SymPy meaning, or NumPy on arrays of SymPy
    numbers) agrees with its evaluation;
  * reverse mode (`pullback`, the row's partials or VJP) agrees with central
    differences of <c, out> for a random cotangent c;
  * forward mode (`forward`, the partials, or the row's linear/bilinear flag or
    tangent rule) satisfies the dot-product identity <jvp(t), c> == <t, vjp(c)>.

A row that carries no gradient must get a zero one. Rows that are not tested here
say why in `NOT_HERE`; any other row without what its test needs fails.
"""

import math

import numpy as np
import pytest
import sympy

from symdiff.errors import Loc
from symdiff.ir import Eqn, Func, Param, Var, evaluate_ir
from symdiff.primitives import LAZY_MODULES, MODULES, PRIMS, ROWS
from symdiff.transforms.forward import forward
from symdiff.transforms.reverse import pullback
from symdiff.verification.symbolic import to_sympy

from .support.libraries import skip_where_missing

NOT_HERE = {  # row -> why it is not tested here, and where it is
    "cond": "the merge of a branch: reverse and forward mode handle it themselves (test_branches.py)",
    "custom": "a user's rule: its partials are the user's (test_custom.py)",
    "attr": "an attribute of a method's object, a constant (test_methods.py)",
    "dim": "a length: an int, no gradient (test_arrays.py)",
    **{name: "no array argument to differentiate" for name in ("eye", "ones", "zeros", "arange")},
    "float32": "a rounding cast, never differentiated: refused (test_elementwise.py)",
    **{row.name: "integers only, no derivative: evaluation in test_primitives.py, a differentiated "
       "argument refused in test_iteration.py" for row in ROWS if row.integer_only},
}
TESTED = [row for row in ROWS if not row.structured and row.lowering is None and row.name not in NOT_HERE]


def _spelled(row, ns) -> bool:
    try:
        row.impl(ns)
    except AttributeError:
        return False
    return True


def _spellings(row) -> list[str]:
    """The libraries to test `row` in: every one that spells it, for a scalar row; NumPy
    (or the operator) for an array one."""
    spellings = [ns for ns in row.spelling if ns in LAZY_MODULES or (ns == "op" or ns in MODULES) and _spelled(row, ns)]
    return spellings if row.elementwise else spellings[:1]


CASES = [(row, ns) for row in TESTED for ns in _spellings(row)]
IDS = [f"{row.name}-{ns}" for row, ns in CASES]


@pytest.fixture(autouse=True)
def _library_installed(request):
    """Skip a row that needs SciPy where it is not installed (tests/support/libraries.py)."""
    params = request.node.callspec.params if hasattr(request.node, "callspec") else {}
    if "ns" in params:
        skip_where_missing(params["row"], params["ns"])


def example(row):
    """(the arguments' shapes or ('bool', shape), the static parameters) of a call."""
    if row.elementwise and not row.example:
        return [()] * row.arity, ()
    assert row.example, f"{row.name} needs an `example` (shapes and parameters) for its tests"
    return list(row.example[0]), tuple(row.example[1])


def _spd(rng, shape):
    """Symmetric positive definite matrices, eigenvalues apart from 0 and (almost surely) from
    each other."""
    m = rng.normal(size=shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


MATRICES = {  # the kinds of arrays an `example` may ask for, (kind, shape)
    "bool": lambda rng, shape: rng.uniform(size=shape) > 0.5,
    "spd": _spd,
    # square, invertible and well-conditioned: the diagonal pushed out
    "square": lambda rng, shape: rng.uniform(-1.0, 1.0, size=shape) + 3.0 * np.eye(shape[-1]),
}


def _kind(shape):
    """The kind of an example's argument, ('spd', (3, 3)) -> 'spd'; None for a plain shape."""
    return shape[0] if isinstance(shape, tuple) and shape[:1] and isinstance(shape[0], str) else None


def draw(row, rng, shapes):
    """Arguments from the row's sample intervals (off its domain's edges), of `shapes`."""
    for _ in range(1000):
        values = []
        for i, shape in enumerate(shapes):
            if _kind(shape) is not None:
                values.append(MATRICES[shape[0]](rng, shape[1]))
                continue
            low, high = row.sample[min(i, len(row.sample) - 1)] if row.sample else (-2.0, 2.0)
            value = rng.uniform(low, high, size=shape)
            values.append(float(value) if shape == () else value)
        if row.domain is None or np.all(np.vectorize(row.domain)(*values)):
            return values
    raise AssertionError(f"no point in {row.name}'s domain")


def one_equation(row, ns, shapes, params) -> tuple[Func, dict]:
    """`out = prim(x0, ...)` as a Func, and its parameters' shapes."""
    names = [f"x{i}" for i in range(len(shapes))]
    out = Var("out")
    eqn = Eqn(out, row.name, tuple(Var(n) for n in names), ns, params)
    func = Func("f", tuple(Param(Var(n)) for n in names), (eqn,), (out,), Loc("test", 1, 1),
                modules=(("numpy", "np"),) if ns == "numpy" else ())
    given = {n: (s[1] if _kind(s) is not None else s) for n, s in zip(names, shapes)}
    return func, given


def differentiated(row, shapes) -> tuple[int, ...]:
    """The arguments to differentiate in: not masks, and not those the row refuses (`fixed`)."""
    fixed = {i for i, _ in row.fixed}
    return tuple(i for i, s in enumerate(shapes) if _kind(s) != "bool" and i not in fixed)


def inner(a, b) -> float:
    return float(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))


@pytest.mark.parametrize("row,ns", CASES, ids=IDS)
def test_symbolic_execution_agrees_with_evaluation(row, ns):
    shapes, params = example(row)
    func, _ = one_equation(row, ns, shapes, params)
    rng = np.random.default_rng(1)
    for _ in range(3):
        args = draw(row, rng, shapes)
        value = evaluate_ir(func, *args)
        exact = [np.vectorize(lambda v: sympy.Float(float(v), 30), otypes=[object])(a)
                 if np.ndim(a) else sympy.Float(float(a), 30) for a in args]
        symbolic = np.asarray(to_sympy(func, exact)[0], dtype=object)
        numbers = np.vectorize(lambda e: complex(sympy.N(e, 30)).real, otypes=[float])(symbolic)
        assert np.allclose(numbers, value, rtol=1e-12, atol=1e-12), (args, numbers, value)


@pytest.mark.parametrize("row,ns", CASES, ids=IDS)
def test_reverse_mode_agrees_with_central_differences(row, ns):
    shapes, params = example(row)
    func, given = one_equation(row, ns, shapes, params)
    wrt = differentiated(row, shapes)
    vjp = pullback(func, wrt, PRIMS, given if not row.elementwise else None)
    rng = np.random.default_rng(2)
    for _ in range(3):
        args = draw(row, rng, shapes)
        cotangent = rng.normal(size=np.shape(evaluate_ir(func, *args)))
        grads = evaluate_ir(vjp, *args, cotangent if cotangent.shape else float(cotangent))
        grads = grads if isinstance(grads, tuple) else (grads,)
        for i, grad in zip(wrt, grads, strict=True):
            estimate = central_differences(func, args, i, cotangent)
            assert np.shape(grad) in ((), np.shape(args[i])), (i, np.shape(grad))
            assert np.allclose(np.broadcast_to(grad, np.shape(args[i])), estimate, rtol=1e-5, atol=1e-6), \
                (row.name, i, args, grad, estimate)


@pytest.mark.parametrize("row,ns", CASES, ids=IDS)
def test_forward_and_reverse_mode_satisfy_the_dot_product_identity(row, ns):
    shapes, params = example(row)
    func, given = one_equation(row, ns, shapes, params)
    wrt = differentiated(row, shapes)
    known = given if not row.elementwise else None
    tangent, vjp = forward(func, wrt, PRIMS, known), pullback(func, wrt, PRIMS, known)
    rng = np.random.default_rng(3)
    for _ in range(3):
        args = draw(row, rng, shapes)
        value = evaluate_ir(func, *args)
        directions = [rng.normal(size=np.shape(args[i])) for i in wrt]
        directions = [d if d.shape else float(d) for d in directions]
        cotangent = rng.normal(size=np.shape(value))
        _, jvp = evaluate_ir(tangent, *args, *directions)
        grads = evaluate_ir(vjp, *args, cotangent if cotangent.shape else float(cotangent))
        grads = grads if isinstance(grads, tuple) else (grads,)
        left = inner(np.broadcast_to(jvp, np.shape(value)), cotangent)
        right = sum(inner(d, np.broadcast_to(g, np.shape(d))) for d, g in zip(directions, grads, strict=True))
        assert math.isclose(left, right, rel_tol=1e-10, abs_tol=1e-12), (row.name, left, right)


def central_differences(func, args, index, cotangent, h=1e-6) -> np.ndarray:
    """d <cotangent, func(args)> / d args[index], entry by entry."""
    base = np.asarray(args[index], dtype=float)
    estimate = np.empty(base.shape)
    for entry in np.ndindex(base.shape):
        sides = []
        for sign in (1.0, -1.0):
            moved = base.copy()
            moved[entry] += sign * h
            trial = list(args)
            trial[index] = moved if moved.shape else float(moved)
            sides.append(inner(evaluate_ir(func, *trial), cotangent))
        estimate[entry] = (sides[0] - sides[1]) / (2 * h)
    return estimate


def test_every_row_is_tested_here_or_says_where():
    untested = {row.name for row in ROWS} - {row.name for row, _ in CASES}
    structured = {row.name for row in ROWS if row.structured}
    lowered = {row.name for row in ROWS if row.lowering is not None}  # (lowered into other rows)
    assert untested - structured - lowered == set(NOT_HERE), untested - structured - lowered - set(NOT_HERE)


def test_the_newest_rows_are_one_row_each():
    # np.logaddexp and np.cumsum were added as one row each (primitives/scalar.py, arrays.py)
    assert PRIMS["logaddexp"].spelling == {"numpy": "logaddexp"} and PRIMS["logaddexp"].elementwise
    assert PRIMS["cumsum"].linear and PRIMS["cumsum"].example
