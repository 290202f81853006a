"""The closed form and the check: whether the passes along the path agree with SymPy.

In: an Explanation whose passes are derived (passes.py), the lowered function, the
primitive table and the largest closed form to build. Out: the same Explanation,
filled in place: `closed_form` and `gradient` (SymPy's derivative of it), `exact`
(its value at the point), `agrees` and `agreement` (how it was established, in
words that are the same on every machine), or `too_large`.

The check, by what there is:
  * a point and a closed form: the passes against SymPy's derivative at the point;
  * no point: the chain of partials composed symbolically, against SymPy's
    derivative at SYMBOLIC_POINTS random points;
  * a closed form over `max_nodes`: central differences of f to 30 digits;
  * array code (no closed form here): central differences at the point.
"""

from __future__ import annotations

import math

import numpy as np

from ..ir import Func, Var, evaluate_ir
from ..verification.budget import ClosedFormTooLarge, SizeLimit
from ..verification.symbolic import central_differences, drop_nondifferentiable
from .document import Explanation
from .meaning import meaning_of, step_symbols, sympy_module

AGREE_RTOL = 1e-8  # the backward pass against SymPy's closed form, relative to max(1, |exact|)
DIFFERENCE_RTOL = 1e-5  # ...against central differences (their own accuracy), for arrays
SYMBOLIC_POINTS = 3


def check(result: Explanation, lowered: Func, prims, max_nodes: int):
    """SymPy's closed form of f and of its derivatives, and whether the passes agree.

    A closed form larger than `max_nodes` (a tree; a loop makes it grow exponentially
    with the trip count) is not built further: at a point, the passes are compared
    with central differences of f to 30 digits instead."""
    if result.arrays:
        _against_differences(result, lowered, prims)
        return
    exprs = _step_forms(result, prims, max_nodes)
    if exprs is None:
        result.too_large = f"the closed form has more than {max_nodes:,} nodes (max_nodes, --max-nodes)"
        if result.point is None:
            result.agreement = f"{result.too_large}: give a point (--at) to check the passes numerically"
        else:
            _against_precise_differences(result, lowered, prims)
        return
    sp = sympy_module()
    result.closed_form = exprs.get(result.output, sp.sympify(result.output))
    for name in result.wrt:
        result.gradient[name] = drop_nondifferentiable(sp.diff(result.closed_form, exprs[name]))
    if result.point is None:
        _symbolic_agreement(result, exprs)
        return
    _against_closed_form(result, exprs)


def _step_forms(result: Explanation, prims, max_nodes: int) -> dict | None:
    """Each step's closed form in the parameters; None once one has more than `max_nodes`."""
    sp = sympy_module()
    exprs = {name: sp.Symbol(name, real=True) for name in result.params}
    limit = SizeLimit(max_nodes)
    for step in result.steps:
        args = [exprs[a.name] if isinstance(a, Var) else s
                for a, s in zip(step.eqn.args, step_symbols(step.eqn), strict=True)]
        exprs[step.name] = meaning_of(step.eqn, prims, args)
        try:
            limit.check(exprs[step.name])
        except ClosedFormTooLarge:
            return None
    return exprs


def _difference(worst: float, floor: float) -> str:
    """The largest relative difference in words; below `floor` (rounding, or the
    differences' own error) only the bound, so the text is the same on every machine."""
    if worst < floor:
        return f"relative difference below {floor:.0e}"
    return f"largest relative difference {worst:.1e}"


# ------------------------------------------------------------------ at the point

def _against_closed_form(result: Explanation, exprs: dict):
    """The passes' derivative at the point against the closed form's."""
    sp = sympy_module()
    point = {exprs[n]: sp.Integer(int(v)) if isinstance(v, (int, np.integer)) else sp.Float(float(v), 30)
             for n, v in result.point.items()}
    exact = {}
    for name in result.wrt:
        exact[name] = complex(result.gradient[name].subs(point).evalf(30))
    _judge(result, exact, AGREE_RTOL, 1e-12, "SymPy's derivative")


def _against_precise_differences(result: Explanation, lowered: Func, prims):
    """The passes' derivative at the point against central differences of f to 30 digits."""
    point = [result.point[n] for n in result.params]
    indices = [result.params.index(n) for n in result.wrt]
    values = central_differences(lowered, point, indices, prims)
    _judge(result, dict(zip(result.wrt, values, strict=True)), AGREE_RTOL, 1e-12, "the central difference")


def _judge(result: Explanation, exact: dict, rtol: float, floor: float, what: str):
    """Whether the passes agree with `exact` (`what`'s value per wrt name) to `rtol`."""
    worst = 0.0
    for name, value in exact.items():
        if value.imag != 0 or not math.isfinite(value.real):
            result.agrees, result.agreement = None, f"{what} is not a finite real number at the point ({value})"
            return
        result.exact[name] = value.real
        mine = float(result.derivative_of(name))
        worst = max(worst, abs(mine - value.real) / max(1.0, abs(value.real)))
    result.agrees = bool(worst <= rtol)
    result.agreement = _difference(worst, floor)


def _against_differences(result: Explanation, lowered: Func, prims):
    """For array functions: the passes against central differences at the point, entry
    by entry (reverse mode) or along all ones (forward mode, as its tangents are seeded)."""
    point = {n: _as_given(v, n in result.wrt) for n, v in result.point.items()}

    def f(name: str, moved) -> float:
        values = {**point, name: moved if moved.shape else float(moved)}
        return float(evaluate_ir(lowered, *(values[n] for n in result.params), prims=prims))

    worst = 0.0
    for name in result.wrt:
        base = np.asarray(point[name], dtype=float)
        if result.mode == "forward":
            worst = max(worst, _along_ones(result, name, base, f))
        else:
            worst = max(worst, _entry_by_entry(result, name, base, f))
    result.agrees = bool(worst <= DIFFERENCE_RTOL)
    words = _difference(worst, 1e-8)
    result.agreement = f"along all ones, {words}" if result.mode == "forward" else words


def _as_given(value, moved: bool):
    """A value of the point as f reads it: floats where it is differentiated (and moved by
    the differences), else as given (integer indices stay integers: x[i] needs them)."""
    if not moved:
        return np.asarray(value) if np.ndim(value) else value
    return np.array(value, dtype=float) if np.ndim(value) else float(value)


def _along_ones(result: Explanation, name: str, base, f) -> float:
    """The relative difference of the tangent along all ones from its central difference."""
    h = 1e-6 * max(1.0, float(np.max(np.abs(base), initial=0.0)))
    estimate = (f(name, base + h) - f(name, base - h)) / (2 * h)
    mine = float(result.derivative_of(name))
    return abs(mine - estimate) / max(1.0, abs(estimate))


def _entry_by_entry(result: Explanation, name: str, base, f) -> float:
    """The largest relative difference of the adjoint's entries from central differences."""
    mine = np.broadcast_to(np.asarray(result.derivative_of(name), dtype=float), base.shape)
    worst = 0.0
    for index in np.ndindex(base.shape):
        h = 1e-6 * max(1.0, abs(base[index]))
        up, down = base.copy(), base.copy()
        up[index] += h
        down[index] -= h
        estimate = (f(name, up) - f(name, down)) / (2 * h)
        worst = max(worst, abs(mine[index] - estimate) / max(1.0, abs(estimate)))
    return worst


# ------------------------------------------------------------------ without a point

def _symbolic_agreement(result: Explanation, exprs: dict):
    """Without a point: the backward (or tangent) pass composed symbolically from the
    local partials, against SymPy's derivative of the closed form, at random points."""
    derived = _composed(result, exprs)
    compared, worst = 0, 0.0
    for pairs in _at_random_points(result, exprs, derived):
        worst = max([worst] + [abs(a.real - b.real) / max(1.0, abs(b.real)) for a, b in pairs])
        compared += 1
        if compared == SYMBOLIC_POINTS:
            break
    if compared == 0:
        result.agreement = "no random point in [0.2, 1.8] where both are real and finite"
        return
    result.agrees = bool(worst <= AGREE_RTOL)
    result.agreement = f"at {compared} random points, {_difference(worst, 1e-12)}"


def _composed(result: Explanation, exprs: dict) -> dict:
    """Per wrt name, d(output)/d(name) by the chain rule over the local partials, in the
    parameters."""
    sp = sympy_module()
    steps = {sp.Symbol(s.name): exprs[s.name] for s in result.steps}
    steps.update({sp.Symbol(n): exprs[n] for n in result.params})
    derived = {}
    for name in result.wrt:
        chain = {}  # d(step)/d(name), forward, in the steps' symbols
        chain[name] = sp.Integer(1)
        for step in result.steps:
            terms = [p.expr * chain[p.parent] for p in step.partials.values()
                     if p.parent in chain and p.expr is not None]
            if terms:
                chain[step.name] = sp.Add(*terms)
        derived[name] = chain.get(result.output, sp.Integer(0)).xreplace(steps)
    return derived


def _at_random_points(result: Explanation, exprs: dict, derived: dict):
    """(composed, SymPy's) derivative pairs at random points in [0.2, 1.8], where all are
    real and finite; at most 4 * SYMBOLIC_POINTS points are tried."""
    sp = sympy_module()
    rng = np.random.default_rng(0)
    for _ in range(4 * SYMBOLIC_POINTS):
        point = {exprs[n]: sp.Float(rng.uniform(0.2, 1.8), 30) for n in result.params}
        point.update({sp.Symbol(n): v for n, v in zip(result.params, point.values(), strict=True)})
        try:
            pairs = [(complex(derived[n].subs(point).evalf(30)), complex(result.gradient[n].subs(point).evalf(30)))
                     for n in result.wrt]
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v.imag or not math.isfinite(v.real) for pair in pairs for v in pair):
            continue
        yield pairs
