"""Symbolic execution: the IR run on SymPy values, and what SymPy makes of them.

`to_sympy(func, inputs)` runs an `ir.Func` on SymPy expressions (or NumPy arrays of
them), each primitive through its row's SymPy meaning, and returns the closed form
of each result; loops run iteration by iteration and calls in place (`structured`).
Constants become exact SymPy numbers where they are named or short fractions
(`sympy_constant`). `differentiate` is SymPy's derivative of such a closed form,
`evaluate_at` its value at a point to 30 digits, and `central_differences` a
derivative computed from the function's 30-digit values alone, where a closed form
is too large to differentiate. Nothing here compares derivatives: the checks do
(scalars.py, arrays.py), and explain shows the same values step by step.

Piecewise-constant operations (floor, sign, comparisons, ...) have derivative 0
almost everywhere; SymPy's unevaluated `Derivative(floor(x), x)` and
`DiracDelta` terms are replaced by 0 accordingly.

A branch's condition is a Piecewise, unless a point is followed (`following`): then
branches and while conditions are decided as that point decides them, and the
closed form is that of the path the point takes (the primitives' SymPy meaning of
a branch asks `taken_at_guide`). A closed form with a limit (budget.py) is measured
as it is built and stops at the first value larger than the limit.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from fractions import Fraction

import numpy as np

from .budget import SizeLimit
from ..errors import VerificationError
from ..ir import Const, Func, Var, evaluate_eqn, flat_results, run_loop
from ..primitives import PRIMS
from ..primitives.scalar import branch, real_number, truth

_CONSTANT_LABELS = {"pi": "pi", "e": "E", "tau": "tau", "inf": "oo"}


def _sp():
    import sympy

    return sympy


def sympy_constant(const: Const):
    """A SymPy number for `const`: exact for named constants and short fractions."""
    sp = _sp()
    attr = (const.label or "").rpartition(".")[2]
    if const.label and "." in const.label and attr in _CONSTANT_LABELS:
        return 2 * sp.pi if attr == "tau" else getattr(sp, _CONSTANT_LABELS[attr])
    value = const.value
    if isinstance(value, bool) or isinstance(value, int):
        return sp.Integer(int(value))
    value = float(value)
    if not math.isfinite(value):
        return sp.oo if value > 0 else (-sp.oo if value < 0 else sp.nan)
    ratio = Fraction(value)
    return sp.Rational(ratio.numerator, ratio.denominator) if ratio.denominator <= 1024 else sp.Float(value, 17)


def to_sympy(func: Func, inputs, prims=PRIMS, limit: SizeLimit | None = None) -> tuple:
    """Run `func` on SymPy expressions `inputs` (one per parameter); returns its flat results.

    A comparison of values that depend on no input is decided as the float code
    decides it: `0.0 < math.sin(math.pi)` holds in floats (sin of the float pi is
    1.2e-16), though not in exact arithmetic, and the generated code takes that
    branch. So constant values are also computed in floats, beside their exact form.

    With a `limit`, every value is measured as it is made (in loops and called
    functions too), and `ClosedFormTooLarge` stops the run at the first one larger:
    SymPy then never compares or rewrites a tree larger than the limit.
    """
    env = dict(zip((p.var.name for p in func.params), inputs, strict=True))
    floats: dict[str, object] = {}  # the float value of each value that depends on no input

    def read(atom):
        return env[atom.name] if isinstance(atom, Var) else sympy_constant(atom)

    def float_of(atom):
        return floats.get(atom.name) if isinstance(atom, Var) else atom.value

    for eqn in func.body:
        row = prims[eqn.prim]
        values = [float_of(a) for a in eqn.args]
        if (row.sympy is not None or row.structured) and not eqn.guard and all(v is not None for v in values):
            try:
                floats[eqn.out.name] = evaluate_eqn(eqn, values, prims)
            except (ArithmeticError, ValueError, TypeError):
                pass
        if row.comparison and eqn.out.name in floats:
            env[eqn.out.name] = _sp().Integer(bool(floats[eqn.out.name]))
        elif row.structured or eqn.prim == "cond":  # (the IR's own, and a branch's merge)
            env[eqn.out.name] = structured(eqn.prim, [read(a) for a in eqn.args], dict(eqn.params), prims, limit)
        else:
            env[eqn.out.name] = apply_primitive(row, eqn, [read(a) for a in eqn.args])
        if limit is not None:
            limit.check(env[eqn.out.name])
    return tuple(read(r) for r in flat_results(func.results))


def structured(prim: str, args, params: dict, prims=PRIMS, limit: SizeLimit | None = None):
    """A loop (its iterations run on SymPy values), a call of a helper, a pick of one of
    their outputs, a range, or a branch's merge (the branch the point followed takes)."""
    if prim == "pick":
        return args[0][-1] if params["index"] == "tape" else args[0][params["index"]]
    if prim == "range":  # (a tape of indices)
        return range(*(int(a) for a in args))
    if prim == "cond":
        return _merge(*args, prims)
    if prim == "call":
        results = to_sympy(params["callee"].func, args, prims, limit)
        return results[0] if len(results) == 1 else results
    if params["kind"] == "range" and not all(getattr(a, "is_Integer", isinstance(a, int)) for a in args[:3]):
        raise VerificationError(params["body"].loc, "the trip count of this loop depends on a "
                                "parameter; give its value to verify: symdiff.verify(f, args=(...))")
    return run_loop(args, run_body=lambda *values: to_sympy(params["body"], values, prims, limit),
                    decide=decide, **params)


def _merge(c, a, b, prims):
    """`a if c else b`: a Piecewise, or the branch taken at the point verification follows
    (`taken_at_guide`), keeping the closed form small."""
    taken = taken_at_guide(truth(c)) if not isinstance(c, np.ndarray) else None
    if taken is not None:
        return a if taken else b
    if any(isinstance(v, np.ndarray) for v in (c, a, b)):
        return np.vectorize(lambda *xs: prims["cond"].sympy(*xs), otypes=[object])(c, a, b)
    return branch(truth(c), a, b)


def apply_primitive(row, eqn, args):
    """A primitive on SymPy expressions, or on NumPy arrays of them (dtype object)."""
    params = dict(eqn.params)
    if row.sympy is None:  # an array operation: NumPy's own function works on object arrays
        return row.impl(eqn.ns)(*args, **params)
    if row.elementwise and any(isinstance(a, np.ndarray) for a in args):
        return np.vectorize(lambda *xs: row.sympy(*xs, **params), otypes=[object])(*args)
    return row.sympy(*args, **params)


def drop_nondifferentiable(expr):
    """Replace derivatives of piecewise-constant functions by their a.e. value 0.

    What is left unevaluated is evaluated (`doit`) only where something was replaced:
    re-evaluating every Max and Min of a softmax costs SymPy seconds."""
    sp = _sp()
    if not expr.has(sp.Derivative, sp.DiracDelta, sp.Subs):
        return expr
    flat = (sp.floor, sp.ceiling, sp.sign)
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, flat),
                        lambda e: sp.S.Zero)
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero).doit()


def _step_function(name: str):
    """A SymPy function with derivative 0: a floor or ceiling seen by `diff`."""
    return type(name, (_sp().Function,), {"fdiff": lambda self, argindex=1: _sp().S.Zero})


def differentiate(expr, symbol):
    """d expr / d symbol, with the a.e.-zero derivatives of step functions as 0.

    floor and ceiling are swapped for functions of derivative 0 while SymPy
    differentiates: its own diff of floor(floor(x/2)/3) fails comparing the
    conditions of the Derivative terms it builds.
    """
    sp = _sp()
    expr = sp.sympify(expr)  # (a loop can leave a plain int: its index)
    steps = {sp.floor: _step_function("step_floor"), sp.ceiling: _step_function("step_ceiling")}
    for step, flat in steps.items():
        expr = expr.replace(step, flat)
    derivative = sp.diff(expr, symbol)
    for step, flat in steps.items():
        derivative = derivative.replace(flat, step)
    return drop_nondifferentiable(derivative)


DIFFERENCE_STEP = 1e-10  # relative; to 30 digits, truncation and rounding errors are near 1e-20


def central_differences(func: Func, point, wrt, prims=PRIMS) -> list[complex]:
    """d func / d (each parameter in `wrt`) at `point` (a value per parameter) by central
    differences, the function evaluated to 30 digits by the primitives' SymPy meanings
    (never by generated code). With a step of 1e-10 (relative), truncation and rounding
    errors are both near 1e-20: far below any tolerance a check uses."""
    sp = _sp()
    base = [sp.Integer(int(v)) if isinstance(v, (int, np.integer)) and not isinstance(v, bool)
            else sp.Float(float(v), 30) for v in point]
    derivatives = []
    for i in wrt:
        h = sp.Float(DIFFERENCE_STEP * max(1.0, abs(float(point[i]))), 30)
        up, down = list(base), list(base)
        up[i], down[i] = base[i] + h, base[i] - h
        difference = to_sympy(func, up, prims)[0] - to_sympy(func, down, prims)[0]
        derivatives.append(complex(real_number(difference / (2 * h))))
    return derivatives


_GUIDE: list[dict] = []  # the point (symbol -> value) being followed, if any (see `following`)


@contextmanager
def following(point: dict | None):
    """Within the block, symbolic execution follows `point` (symbol -> value): branches
    and while conditions are decided as at that point. With None, no point is
    followed: branches stay Piecewise. On leaving, no point is followed, whatever
    was followed before (an interrupted check can leave nothing behind).

    The point is module state, read by `decide` (which ir.run_loop calls) and by a
    branch's merge, rather than an argument threaded through `to_sympy`, `structured`
    and the loop runner: all three live here now, so it could become one.
    """
    _GUIDE[:] = [] if point is None else [point]
    try:
        yield
    finally:
        _GUIDE.clear()


def decide(condition) -> bool:
    """A while loop's condition during symbolic execution: its truth at the point followed."""
    sp = _sp()
    condition = sp.sympify(condition)
    if condition.is_number or not _GUIDE:
        return bool(condition)
    return bool(_taken(sp, condition, _GUIDE[-1]) != 0)


def taken_at_guide(condition) -> bool | None:
    """Whether a branch's condition holds at the point being followed (None when no
    point is, or the point does not decide it: the branch stays a Piecewise).

    A closed form built iteration by iteration would otherwise nest one Piecewise
    per iteration in the next (a loop that breaks), which SymPy cannot handle."""
    sp = _sp()
    if not _GUIDE:
        return None
    decided = _taken(sp, sp.sympify(condition), _GUIDE[-1])
    return {sp.true: True, sp.false: False}.get(decided)


def evaluate_at(expr, symbols, point, digits: int = 30, mpmath_first: bool = False):
    """`expr` at `point` to `digits` digits (substituting first: evalf's subs= mishandles floor).

    Of a Piecewise (a branch) only the piece taken is evaluated, as Python runs
    only the branch taken: the others may be undefined there (log(x) > 1 under
    x > 0).

    SymPy's evaluation can fail (tan(...) reduces its argument modulo pi with an
    int() that refuses to round) or search for precision for minutes (nests of
    tan, tanh and atan2 of constants); mpmath then evaluates the formula as it
    stands, with `digits` digits. `mpmath_first` tries mpmath before SymPy: it
    costs a compilation per expression, but always ends quickly.
    """
    sp = _sp()
    values = {s: sp.Float(v, digits) for s, v in zip(symbols, point, strict=True)}
    if expr.has(sp.Piecewise):
        return _taken(sp, expr, values).evalf(digits)
    if mpmath_first:
        try:
            return _mpmath_value(sp, expr, symbols, point, digits)
        except (ArithmeticError, ValueError, TypeError, NameError):  # (SymPy decides these)
            pass
    try:
        return expr.xreplace(values).evalf(digits)
    except (NotImplementedError, RecursionError):
        return _mpmath_value(sp, expr, symbols, point, digits)


def _mpmath_value(sp, expr, symbols, point, digits: int):
    import mpmath

    function = sp.lambdify(symbols, expr, modules="mpmath", cse=True)  # (a tree, printed once)
    with mpmath.workdps(digits):
        value = function(*(mpmath.mpf(v) for v in point))
        return sp.sympify(complex(value))


def _taken(sp, expr, values):
    if not expr.args:
        return expr.xreplace(values)
    if isinstance(expr, sp.core.relational.Relational) and not isinstance(expr, (sp.Eq, sp.Ne)):
        sides = [_taken(sp, side, values) for side in expr.args]
        if all(side.is_number for side in sides):
            return expr.func(*(real_number(side) for side in sides))
        return expr.func(*sides)
    if isinstance(expr, sp.Piecewise):
        for piece, condition in expr.args:
            if _taken(sp, condition, values) == sp.true:
                return _taken(sp, piece, values)
        return sp.nan
    if isinstance(expr, (sp.And, sp.Or)):  # short-circuit, in any order SymPy put the terms
        decisive = sp.false if isinstance(expr, sp.And) else sp.true
        decided = []
        for term in expr.args:
            try:
                decided.append(_taken(sp, term, values))
            except TypeError:  # a comparison of non-reals: Python never evaluated it
                decided.append(None)
            if decided[-1] == decisive:
                return decisive
        return expr.func(*decided)
    return expr.func(*(_taken(sp, a, values) for a in expr.args))
