"""The local partials and the backward (or tangent) passes along the path taken.

In: an Explanation whose steps are the path taken (trace.py), the values computed
on it (None without a point), the primitive table. Out: the same Explanation,
filled in place: each step's `partials` (SymPy's derivative of the step for an
elementwise step, the matrix form of its adjoint rule for an array step), then
`adjoints` (reverse mode) or `tangents` (forward mode), with values at a point.

The values come from symdiff's own rules, run on the numbers: the partial rules of
the table, `backprop`'s adjoint rules and `tangent_of`'s tangent rules. So an
explanation agrees with the generated code, conventions at kinks included.
"""

from __future__ import annotations

import numpy as np

from ..builder import Builder
from ..ir import Const, Eqn, Var
from ..primitives import PRIMS
from ..transforms.adjoints import backprop
from ..transforms.forward import tangent_of
from ..verification.budget import Progress
from .document import Derivative, Explanation, Partial, Step
from .meaning import meaning_of, step_symbols, sympy_module


class _Numbers(Builder):
    """A Builder whose equations are evaluated at once: running a partial or adjoint rule
    on it gives the rule's value at the point (atoms are read from `values`)."""

    def __init__(self, values: dict, prims, shaped: bool):
        super().__init__(None, prims, fallback_ns="numpy" if shaped else "math",
                         shapes={} if shaped else None)
        self.values = values

    def read(self, atom):
        if isinstance(atom, Var):
            return self.values[atom.name]
        return atom.value if isinstance(atom, Const) else atom

    def emit(self, prim: str, *args, name: str | None = None, **params):
        row = self.prims[prim]
        ns = self._spelling_ns(row)  # (Builder's own lookup, which this subclass reuses)
        if ns is None and row.expand is not None:
            return row.expand(self, *args)
        return row.impl(ns or "numpy")(*(self.read(a) for a in args), **params)

    def shape(self, atom) -> tuple:
        return tuple(np.shape(self.read(atom)))

    def spell_as(self, eqn: Eqn):
        """Evaluate rules in `eqn`'s library, as the generated code for it would."""
        self.ns = eqn.ns if eqn.ns in ("math", "numpy") else self.fallback_ns


def derive_passes(result: Explanation, values: dict | None, prims, shown: Progress):
    """Fill `result`'s partials, then its adjoints or tangents (see the module docstring);
    `shown` tells a terminal which part is being derived."""
    active = _active(result.steps, result.wrt, result.output, prims)
    numbers = _Numbers(values, prims, result.arrays) if result.point is not None else None
    for count, step in enumerate(result.steps, 1):
        shown.update(f"local partials, step {count} of {len(result.steps)}")
        _partials(step, active, prims, numbers, result)
    if result.mode == "reverse":
        shown.update("the backward pass")
        _backward(result, active, prims, numbers)
    else:
        shown.update("the tangent pass")
        _tangents(result, prims, numbers)


def _active(steps, wrt: tuple, output: str, prims) -> set:
    """The names that depend on a wrt parameter and reach the output."""
    depends = set(wrt)
    for step in steps:
        if prims[step.eqn.prim].differentiable and any(
                isinstance(a, Var) and a.name in depends for a in step.eqn.args):
            depends.add(step.name)
    reaches = {output}
    for step in reversed(steps):
        if step.name in reaches:
            reaches.update(a.name for a in step.eqn.args if isinstance(a, Var))
    return depends & reaches


def _partials(step: Step, active: set, prims, numbers: _Numbers | None, result: Explanation):
    """Each active argument's partial: SymPy's derivative of the step (elementwise steps)
    or its adjoint rule's matrix form (array steps); values by symdiff's own rules."""
    sp = sympy_module()
    eqn, row = step.eqn, prims[step.eqn.prim]
    parents = []
    for a in eqn.args:
        if isinstance(a, Var) and a.name in active and a.name not in parents:
            parents.append(a.name)
    if step.name not in active or not row.differentiable:
        return
    array_step = result.arrays and not (row.elementwise and all(
        result.shapes.get(a.name, ()) == () for a in eqn.args if isinstance(a, Var)))
    for parent in parents:
        partial = Partial(step.name, parent)
        if row.elementwise and row.partials is not None:
            try:
                partial.expr = sp.diff(meaning_of(eqn, prims, step_symbols(eqn)), sp.Symbol(parent))
            except (TypeError, ValueError, AttributeError):  # SymPy has no derivative to show
                partial.expr = None
            if numbers is not None:
                partial.value = _local_value(eqn, parent, row, numbers)
        if array_step:
            partial.rule = _matrix_rule(eqn, parent, result)
        step.partials[parent] = partial


def _local_value(eqn: Eqn, parent: str, row, numbers: _Numbers):
    """∂out/∂parent at the point by the partial rules symdiff's code uses (summed where
    the parent is several arguments, as in x * x)."""
    numbers.spell_as(eqn)
    total = 0.0
    for arg, rule in zip(eqn.args, row.partials, strict=False):
        if isinstance(arg, Var) and arg.name == parent and rule is not None:
            total = total + numbers.read(rule(numbers, eqn.out, *eqn.args))
    return total


def _matrix_rule(eqn: Eqn, parent: str, result: Explanation) -> str:
    row = PRIMS[eqn.prim]
    names = [a.name if isinstance(a, Var) else str(a) for a in eqn.args]
    g = f"∂f/∂{eqn.out.name}"
    position = names.index(parent)
    if row.elementwise:
        rule = f"{g} ⊙ ∂{eqn.out.name}/∂{parent}"
        if result.shapes.get(parent, ()) != result.shapes.get(eqn.out.name, ()):
            rule += ", summed over the broadcast axes"
        return rule
    rules = row.adjoint_text
    if position >= len(rules):
        return f"the adjoint rule of {eqn.prim} applied to {g}"
    return rules[position].format(*names, g=g)


def _backward(result: Explanation, active: set, prims, numbers: _Numbers | None):
    """Adjoints in reverse order, each the sum over its children of adjoint · partial;
    values by running symdiff's adjoint rules on the numbers."""
    result.adjoints[result.output] = Derivative(result.output, [], 1.0)
    for step in reversed(result.steps):
        own = result.adjoints.get(step.name)
        if own is None or not step.partials:
            continue
        shares = _shares(step, own.value, active, prims, numbers) if numbers is not None else {}
        for parent, partial in step.partials.items():
            partial.contribution = shares.get(parent)
            if partial.contribution is not None and result.arrays:  # (a reduction's share broadcasts)
                partial.contribution = np.broadcast_to(partial.contribution, result.shapes[parent]).copy()
            adjoint = result.adjoints.setdefault(parent, Derivative(parent, []))
            adjoint.terms.append(partial)
            if partial.contribution is not None:
                adjoint.value = partial.contribution if adjoint.value is None else \
                    adjoint.value + partial.contribution
    for name in result.wrt:
        result.adjoints.setdefault(name, Derivative(name, [], 0.0 if numbers is not None else None))


def _shares(step: Step, adjoint, active: set, prims, numbers: _Numbers) -> dict:
    """Each parent's share of the step's adjoint, by the adjoint rules `reverse` emits."""
    terms: dict = {}
    backprop(numbers, step.eqn, adjoint, active, terms, prims)
    return {parent: sum(g if local is None else g * numbers.read(local) for g, local, _ in pieces)
            for parent, pieces in terms.items()}


def _tangents(result: Explanation, prims, numbers: _Numbers | None):
    """One tangent pass per wrt parameter, seeded with 1 for it (all ones for an array:
    the derivative along that direction) and 0 for the others: each step's tangent is
    the sum over its active arguments of partial · tangent; values by the tangent rules
    symdiff's forward mode uses."""
    for name in result.wrt:
        tangents = {w: Derivative(w, [], _filled(result.shapes.get(w, ()), 1.0 if w == name else 0.0))
                    for w in result.wrt}
        dots = {w: d.value for w, d in tangents.items()}
        for step in result.steps:
            if not step.partials:
                continue
            tangent = tangents[step.name] = Derivative(step.name, list(step.partials.values()))
            if numbers is not None:
                numbers.spell_as(step.eqn)
                value = tangent_of(numbers, step.eqn, dots, prims)
                tangent.value = dots[step.name] = 0.0 if value is None else numbers.read(value)
        result.tangents[name] = tangents


def _filled(shape, value: float):
    return np.full(shape, value) if shape else value
