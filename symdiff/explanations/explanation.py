"""Explain: the chain rule written out for a function, the way a lecture derives it.

`explain(source, wrt, point)` lowers the function, follows it along the path it
takes at `point` (branches decided, loops unrolled, helpers inlined: the list
of elementary steps that actually ran), and derives:

  * the forward pass: each step `c = a + b` with its value (and shape);
  * the local partials: `∂d/∂c = 1/(2*sqrt(c))`, SymPy's derivative of the
    step's meaning, with its value; for an array step the matrix form of its
    adjoint (`∂f/∂W = ∂f/∂z · xᵀ`);
  * the backward pass: each adjoint as the sum over its children,
    `∂f/∂c = ∂f/∂d·∂d/∂c + ∂f/∂e·∂e/∂c`, with values; or, in forward mode, the
    tangent recurrences `ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ`;
  * the closed form SymPy gives for the derivative, and whether it agrees (for
    array functions: central differences at the point instead).

The numbers come from symdiff's own rules (the partials and adjoint rules the
generated code uses, run on the values), so an explanation agrees with the
generated gradient, including the conventions at kinks. The Explanation is in
document.py, its renderers in text.py, markdown.py and dot.py.
"""

from __future__ import annotations

import math

import numpy as np

from ..verification.budget import MAX_NODES, Progress
from ..ir import Builder, Const, Eqn, Func, Var, all_eqns, flat_results, format_eqn, short_circuits
from ..loops import while_iterations
from ..primitives import PRIMS
from ..transforms.reverse import backprop
from .document import Derivative, ExplainError, Explanation, Partial, Step
from .meaning import meaning_of, step_symbols

STEP_LIMIT = 2000  # more steps than anyone reads: explain a smaller case
AGREE_RTOL = 1e-8  # the backward pass against SymPy's closed form, relative to max(1, |exact|)
DIFFERENCE_RTOL = 1e-5  # ...against central differences (their own accuracy), for arrays


# ------------------------------------------------------------------ the path taken

class _Trace:
    """Runs a lowered function along the path taken, appending each elementary step with
    a name of its own (a step repeated by a loop or a second call gets `s_2`, `s_3`)."""

    def __init__(self, func: Func, values: dict | None, prims):
        self.prims = prims
        self.known = values is not None
        self.values = dict(values or {})
        self.steps: list[Step] = []
        self.ir_names = {eqn.out.name for eqn in _every_eqn(func)}  # (suffixed names avoid them)
        self.seen = {p.var.name for p in func.params}

    def fresh(self, name: str) -> str:
        """`name` the first time (without a loop's `@line` mark), then `name_2`, `name_3`..."""
        base = name.split("@")[0]
        candidate, count = base, 1
        while candidate in self.seen or (count > 1 and candidate in self.ir_names):
            count += 1
            candidate = f"{base}_{count}"
        self.seen.add(candidate)
        return candidate

    def value(self, atom):
        if isinstance(atom, Const):
            return atom.value
        return self.values.get(atom.name)

    def decide(self, atom, eqn: Eqn) -> bool:
        if isinstance(atom, Const):
            return bool(atom.value)
        if not self.known:
            raise ExplainError(eqn.loc, f"this {_construct(eqn)} depends on the values; give a point "
                               "to explain the path taken there (--at x=0.7, or explain(f, 0.7))")
        return bool(self.values[atom.name])

    def run(self, func: Func, inputs: list) -> tuple:
        env = dict(zip((p.var.name for p in func.params), inputs, strict=True))

        def read(atom):
            return env[atom.name] if isinstance(atom, Var) else atom

        for eqn in func.body:
            if not all(self.decide(read(c), eqn) == polarity for c, polarity in eqn.guard):
                continue
            if eqn.prim == "cond":  # (only the branch taken has a value)
                env[eqn.out.name] = read(eqn.args[1] if self.decide(read(eqn.args[0]), eqn) else eqn.args[2])
                continue
            if short_circuits(eqn, lambda atom: self.decide(read(atom), eqn)):
                env[eqn.out.name] = read(eqn.args[0])  # (`a and b`, a false: b may have no value)
                continue
            args = [read(a) for a in eqn.args]
            if eqn.prim == "pick":
                env[eqn.out.name] = args[0][dict(eqn.params)["index"]]
            elif eqn.prim == "call":  # (several results are read by picks)
                results = self.run(dict(eqn.params)["callee"].func, args)
                env[eqn.out.name] = results[0] if len(results) == 1 else results
            elif eqn.prim == "loop":
                env[eqn.out.name] = self.loop(eqn, args)
            else:
                env[eqn.out.name] = self.step(eqn, args)
        return tuple(read(r) for r in flat_results(func.results))

    def step(self, eqn: Eqn, args) -> Var:
        if len(self.steps) >= STEP_LIMIT:
            raise ExplainError(eqn.loc, f"the path taken has more than {STEP_LIMIT} steps, too many "
                               "to read; explain a smaller case (fewer loop iterations)")
        out = Var(self.fresh(eqn.out.name))
        traced = Eqn(out, eqn.prim, tuple(args), eqn.ns, eqn.params, eqn.loc)
        value = None
        if self.known:
            impl = self.prims[eqn.prim].impl(eqn.ns)
            try:
                value = impl(*(self.value(a) for a in args), **dict(eqn.params))
            except (ArithmeticError, ValueError) as exc:  # (log(0): the user's point, not a bug)
                raise ExplainError(eqn.loc, f"{format_eqn(traced)} is not defined at the point given "
                                   f"({exc}); explain another point") from None
            self.values[out.name] = value
        self.steps.append(Step(traced, value))
        return out

    def loop(self, eqn: Eqn, args) -> tuple:
        params = dict(eqn.params)
        body, count, kind = params["body"], params["carried"], params["kind"]
        if kind == "range":
            bounds = [self.value(a) for a in args[:3]]
            if any(b is None for b in bounds):
                self.decide(args[1], eqn)  # (raises: the count depends on the values)
            rest = args[3:]
            entries = ((Const(i),) for i in range(*(int(b) for b in bounds)))
        else:
            rest = args
            entries = _iterations(lambda: self.decide(state[params["cond"]], eqn), eqn)
        state, free = list(rest[:count]), list(rest[count:])
        for entry in entries:
            state = list(self.run(body, [*entry, *state, *free]))
            if params.get("stop") is not None and self.decide(state[params["stop"]], eqn):
                break
        return tuple(state)


def _iterations(holds, eqn: Eqn):
    """loops.while_iterations, its limit (which STEP_LIMIT mostly reaches first) an
    ExplainError located at the loop."""
    try:
        yield from while_iterations(holds)
    except ArithmeticError as exc:
        raise ExplainError(eqn.loc, f"{exc}; explain a point where it ends sooner") from None


def _every_eqn(func: Func):
    for eqn in all_eqns(func):
        yield eqn
        if eqn.prim == "call":
            yield from _every_eqn(dict(eqn.params)["callee"].func)


def _construct(eqn: Eqn) -> str:
    return {"loop": "loop"}.get(eqn.prim, "branch")


# ------------------------------------------------------------------ numbers by symdiff's rules

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
        ns = self._spelling_ns(row)
        if ns is None and row.expand is not None:
            return row.expand(self, *args)
        return row.impl(ns or "numpy")(*(self.read(a) for a in args), **params)

    def shape(self, atom) -> tuple:
        return tuple(np.shape(self.read(atom)))


# ------------------------------------------------------------------ the derivation

def explain(source, wrt=0, point: dict | None = None, mode: str = "reverse", prims=None,
            max_nodes: int = MAX_NODES, progress: bool | None = None) -> Explanation:
    """Derive `source`'s gradient step by step (see the module docstring).

    Args:
        source: a parsed function (parse.parse_function or parse.parse_file).
        wrt: as for `grad`: an index, a name or a tuple of them.
        point: parameter name -> value; None for the symbolic derivation only
            (then the function may not branch or loop on values, and may not use
            arrays).
        mode: 'reverse' (adjoints) or 'forward' (tangents, one pass per wrt).
        progress: show what it is doing on stderr after a second (None: where
            stderr is a terminal).
        max_nodes: the largest closed form (a tree) given to SymPy; past it the
            passes are checked against central differences to 30 digits.
    """
    from ..driver import is_array_code, resolve_wrt
    from ..frontend.lower import lower

    prims = prims or PRIMS
    if mode not in ("reverse", "forward"):
        raise ExplainError(source.loc(), f"explain's mode is 'reverse' or 'forward', not {mode!r}")
    shapes = {name: tuple(np.shape(v)) for name, v in point.items()} if point is not None else {}
    lowered = lower(source, shapes if any(shapes.values()) else None)
    if point is None and is_array_code(lowered, prims):
        raise ExplainError(lowered.loc, f"{lowered.name} uses array operations: explaining it needs "
                           "the values (--at W=[[1,2],[3,4]] or --shape W=2x2, or explain(f, W))")
    indices, _ = resolve_wrt(lowered, wrt)
    names = tuple(p.var.name for p in lowered.params)
    wrt_names = tuple(names[i] for i in indices)
    if point is not None:
        missing = [n for n in names if n not in point]
        if missing:
            raise ExplainError(lowered.loc, f"explain needs a value for every parameter at the point; "
                               f"give {', '.join(missing)} too")
        point = {n: point[n] for n in names}
    trace = _Trace(lowered, point, prims)
    results = trace.run(lowered, [Var(n) for n in names])
    if len(results) != 1:
        raise ExplainError(lowered.loc, f"{lowered.name} returns {len(results)} values; explain "
                           "derives the gradient of one scalar: return one of them")
    output = results[0]
    if point is not None and np.ndim(trace.value(output)) != 0:
        raise ExplainError(lowered.loc, f"{lowered.name} returns an array of shape "
                           f"{np.shape(trace.value(output))}; explain derives the gradient of one "
                           "scalar: return np.sum(...) of it, or one entry")
    steps = trace.steps
    if isinstance(output, Var) and output.name in names:  # `return x`: the identity, as one step
        steps.append(Step(Eqn(Var(trace.fresh(lowered.name)), "float", (output,), "builtins"),
                          trace.value(output)))
        output = steps[-1].eqn.out
    values = trace.values
    result = Explanation(lowered.name, names, wrt_names, point, mode, steps,
                         output.name if isinstance(output, Var) else str(output), loc=lowered.loc)
    if point is not None:
        result.shapes = {name: tuple(np.shape(v)) for name, v in values.items()}
    active = _active(steps, wrt_names, result.output, prims)
    numbers = _Numbers(values, prims, result.arrays) if point is not None else None
    shown = Progress(f"explain {lowered.name}", progress)
    try:
        for number, step in enumerate(steps, 1):
            shown.update(f"local partials, step {number} of {len(steps)}")
            _partials(step, active, prims, numbers, result)
        shown.update("the backward pass" if mode == "reverse" else "the tangent pass")
        if mode == "reverse":
            _backward(result, active, prims, numbers)
        else:
            _forward(result, active, prims, numbers)
        shown.update("the closed form")
        _closed_form(result, lowered, prims, max_nodes)
    finally:
        shown.done()
    return result


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


def _partials(step: Step, active: set, prims, numbers, result: Explanation):
    """Each active argument's partial: SymPy's derivative of the step (elementwise steps)
    or its adjoint rule's matrix form (array steps); values by symdiff's own rules."""
    import sympy as sp

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
    numbers.ns = eqn.ns if eqn.ns in ("math", "numpy") else numbers.fallback_ns
    total = 0.0
    for arg, rule in zip(eqn.args, row.partials, strict=False):
        if isinstance(arg, Var) and arg.name == parent and rule is not None:
            total = total + numbers.read(rule(numbers, eqn.out, *eqn.args))
    return total


_MATRIX_RULES = {  # prim -> (rule for argument 0, rule for argument 1); {g} the child's adjoint
    "matmul": ("{g} · {1}ᵀ", "{0}ᵀ · {g}"),
    "dot": ("{g} · {1}ᵀ", "{0}ᵀ · {g}"),
    "transpose": ("{g}ᵀ",),
    "sum": ("{g} copied to every entry summed",),
    "mean": ("{g} / n copied to every entry averaged",),
    "amax": ("{g} at the largest entries (shared between ties)",),
    "amin": ("{g} at the smallest entries (shared between ties)",),
    "reshape": ("{g} reshaped back",),
    "getitem": ("{g} scattered back into zeros",),
}


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
    rules = _MATRIX_RULES.get(eqn.prim)
    if rules is None or position >= len(rules):
        return f"the adjoint rule of {eqn.prim} applied to {g}"
    return rules[position].format(*names, g=g)


def _backward(result: Explanation, active: set, prims, numbers):
    """Adjoints in reverse order, each the sum over its children of adjoint · partial;
    values by running symdiff's adjoint rules on the numbers."""
    result.adjoints[result.output] = Derivative(result.output, [], 1.0)
    for step in reversed(result.steps):
        own = result.adjoints.get(step.name)
        if own is None or not step.partials:
            continue
        shares = {}
        if numbers is not None:
            terms = {}
            backprop(numbers, step.eqn, own.value, active, terms, prims)
            for parent, pieces in terms.items():
                shares[parent] = sum(g if local is None else g * numbers.read(local)
                                     for g, local, _ in pieces)
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


def _forward(result: Explanation, active: set, prims, numbers):
    """One tangent pass per wrt parameter, seeded with 1 for it (all ones for an array:
    the derivative along that direction) and 0 for the others: each step's tangent is
    the sum over its active arguments of partial · tangent; values by the tangent rules
    symdiff's forward mode uses."""
    from ..transforms.forward import tangent_of

    for name in result.wrt:
        tangents = {w: Derivative(w, [], _filled(result.shapes.get(w, ()), 1.0 if w == name else 0.0))
                    for w in result.wrt}
        dots = {w: d.value for w, d in tangents.items()}
        for step in result.steps:
            if not step.partials:
                continue
            tangent = tangents[step.name] = Derivative(step.name, list(step.partials.values()))
            if numbers is not None:
                numbers.ns = step.eqn.ns if step.eqn.ns in ("math", "numpy") else numbers.fallback_ns
                value = tangent_of(numbers, step.eqn, dots, prims)
                tangent.value = dots[step.name] = 0.0 if value is None else numbers.read(value)
        result.tangents[name] = tangents


def _difference(worst: float, floor: float) -> str:
    """The largest relative difference in words; below `floor` (rounding, or the
    differences' own error) only the bound, so the text is the same on every machine."""
    if worst < floor:
        return f"relative difference below {floor:.0e}"
    return f"largest relative difference {worst:.1e}"


def _filled(shape, value: float):
    return np.full(shape, value) if shape else value


def _closed_form(result: Explanation, lowered: Func, prims, max_nodes: int):
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
    from ..verification.symbolic import drop_nondifferentiable

    result.closed_form = exprs.get(result.output, _sympy().sympify(result.output))
    for name in result.wrt:
        result.gradient[name] = drop_nondifferentiable(_sympy().diff(result.closed_form, exprs[name]))
    if result.point is None:
        _symbolic_agreement(result, exprs)
        return
    _against_closed_form(result, exprs)


def _sympy():
    import sympy

    return sympy


def _step_forms(result: Explanation, prims, max_nodes: int) -> dict | None:
    """Each step's closed form in the parameters; None once one has more than `max_nodes`."""
    from ..verification.budget import tree_size

    sp = _sympy()
    exprs = {name: sp.Symbol(name, real=True) for name in result.params}
    sizes: dict = {}
    for step in result.steps:
        args = [exprs[a.name] if isinstance(a, Var) else s
                for a, s in zip(step.eqn.args, step_symbols(step.eqn), strict=True)]
        exprs[step.name] = meaning_of(step.eqn, prims, args)
        if tree_size(sp.sympify(exprs[step.name]), sizes, max_nodes) > max_nodes:
            return None
    return exprs


def _against_closed_form(result: Explanation, exprs: dict):
    """The passes' derivative at the point against the closed form's."""
    sp = _sympy()
    point = {exprs[n]: sp.Integer(int(v)) if isinstance(v, (int, np.integer)) else sp.Float(float(v), 30)
             for n, v in result.point.items()}
    exact = {}
    for name in result.wrt:
        exact[name] = complex(result.gradient[name].subs(point).evalf(30))
    _judge(result, exact, AGREE_RTOL, 1e-12, "SymPy's derivative")


def _against_precise_differences(result: Explanation, lowered: Func, prims):
    """The passes' derivative at the point against central differences of f to 30 digits."""
    from ..verification.symbolic import central_differences

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
    """For array functions: the backward pass against central differences at the point."""
    from ..ir import evaluate_ir

    point = {n: np.array(v, dtype=float) if np.ndim(v) else float(v) for n, v in result.point.items()}

    def f(**values):
        return float(evaluate_ir(lowered, *(values[n] for n in result.params), prims=prims))

    worst = 0.0
    if result.mode == "forward":  # the derivative along all ones
        for name in result.wrt:
            base = np.asarray(point[name], dtype=float)
            h = 1e-6 * max(1.0, float(np.max(np.abs(base), initial=0.0)))
            up, down = base + h, base - h
            estimate = (f(**{**point, name: up if up.shape else float(up)})
                        - f(**{**point, name: down if down.shape else float(down)})) / (2 * h)
            mine = float(result.derivative_of(name))
            worst = max(worst, abs(mine - estimate) / max(1.0, abs(estimate)))
        result.agrees = bool(worst <= DIFFERENCE_RTOL)
        result.agreement = f"along all ones, {_difference(worst, 1e-8)}"
        return
    for name in result.wrt:
        base = np.asarray(point[name], dtype=float)
        mine = np.broadcast_to(np.asarray(result.derivative_of(name), dtype=float), base.shape)
        for index in np.ndindex(base.shape):
            h = 1e-6 * max(1.0, abs(base[index]))
            up, down = base.copy(), base.copy()
            up[index] += h
            down[index] -= h
            estimate = (f(**{**point, name: up if up.shape else float(up)})
                        - f(**{**point, name: down if down.shape else float(down)})) / (2 * h)
            worst = max(worst, abs(mine[index] - estimate) / max(1.0, abs(estimate)))
    result.agrees = bool(worst <= DIFFERENCE_RTOL)
    result.agreement = _difference(worst, 1e-8)


SYMBOLIC_POINTS = 3


def _symbolic_agreement(result: Explanation, exprs: dict):
    """Without a point: the backward (or tangent) pass composed symbolically from the
    local partials, against SymPy's derivative of the closed form, at random points."""
    import sympy as sp

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
    rng = np.random.default_rng(0)
    compared, worst = 0, 0.0
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
        worst = max([worst] + [abs(a.real - b.real) / max(1.0, abs(b.real)) for a, b in pairs])
        compared += 1
        if compared == SYMBOLIC_POINTS:
            break
    if compared == 0:
        result.agreement = "no random point in [0.2, 1.8] where both are real and finite"
        return
    result.agrees = bool(worst <= AGREE_RTOL)
    result.agreement = f"at {compared} random points, {_difference(worst, 1e-12)}"
