"""The path taken: a lowered function followed at a point, as the list of steps that ran.

In: a lowered function (frontend/lower.py), its parameters' values at the point
(or None: then it may not branch or loop on values), the primitive table. Out:
the elementary steps in the order they ran, each a `Step` on a name of its own
(a step repeated by a loop or a second call gets `s_2`, `s_3`), with its value;
the output's name; and every value computed on the way. Branches are decided,
loops unrolled and helpers inlined; a comparison that decides a branch is a step.

Raises ExplainError where the path cannot be followed (a branch on values without
a point, a step undefined at the point, more than STEP_LIMIT steps, several
results or an array result).
"""

from __future__ import annotations

import numpy as np

from ..ir import Const, Eqn, Func, Var, all_eqns, flat_results, format_eqn, short_circuits, while_iterations
from .document import ExplainError, Step

STEP_LIMIT = 2000  # more steps than anyone reads: explain a smaller case


def follow(lowered: Func, point: dict | None, prims) -> tuple[list, str, dict]:
    """The steps of the path `lowered` takes at `point`, the output's name, the values.

    A function that returns a parameter (`return x`) gets the identity as its one step,
    so there is a step to differentiate.
    """
    names = [p.var.name for p in lowered.params]
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
    if isinstance(output, Var) and output.name in names:
        steps.append(Step(Eqn(Var(trace.fresh(lowered.name)), "float", (output,), "builtins"),
                          trace.value(output)))
        output = steps[-1].eqn.out
    return steps, output.name if isinstance(output, Var) else str(output), trace.values


class _Trace:
    """Runs a lowered function along the path taken, appending each elementary step with
    a name of its own."""

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
            env[eqn.out.name] = self.equation(eqn, [read(a) for a in eqn.args])
        return tuple(read(r) for r in flat_results(func.results))

    def equation(self, eqn: Eqn, args: list):
        """What `eqn` gives on the path: a step, a call's or a loop's results, a pick of them."""
        if eqn.prim == "pick":
            return args[0][dict(eqn.params)["index"]]
        if eqn.prim == "call":  # (several results are read by picks)
            results = self.run(dict(eqn.params)["callee"].func, args)
            return results[0] if len(results) == 1 else results
        if eqn.prim == "loop":
            return self.loop(eqn, args)
        return self.step(eqn, args)

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
