"""Calls to the user's own functions: the `call` primitive, and its adjoint.

A helper defined in the module (or imported from another) is lowered once per
way it is called (the shapes of its arguments) into its own `ir.Func`, held by
a `Callee`, and a call becomes one equation `y = call(*args, callee=C)`; a
helper returning several values gives `t = call(...)` read by `pick`s, like a
loop. The generated module defines each callee once, as a function of its
own, and the code calls it by name.

Reverse mode differentiates a callee once per pattern of use (which arguments
are active, which results receive a cotangent, the shapes) into a second
function, its vector-Jacobian product, which recomputes the callee's forward
sweep from the arguments and returns the arguments' cotangents:

    def sigmoid(z):                      def sigmoid_vjp(z, s_bar):
        a = -z                               ...
        ...                                  return z_bar
        return s

    def grad_f(x):
        h = sigmoid(x)                   # the forward sweep calls the helper
        ...
        x_bar = sigmoid_vjp(x, h_bar)    # the adjoint sweep its VJP
        return x_bar

Recomputing the helper's forward sweep in its VJP (what Tapenade calls joint
mode) keeps no tape across a call: memory stays that of one call, at the cost
of running the helper's forward sweep twice.
"""

from __future__ import annotations

from dataclasses import replace

from .ir import Builder, Func, Var, evaluate_ir, loop_leading_args
from .loops import Shapes


class Callee:
    """A user function the generated code calls: its IR, emitted once as its own def.

    Compared by identity: each way a helper is called is lowered once and shared
    by its call sites, so equal calls are recognised without comparing bodies.
    """

    __slots__ = ("func", "vjps")

    def __init__(self, func: Func):
        self.func = func
        self.vjps: dict = {}  # (wrt, seeded, shapes, prims id) -> the VJP's Callee

    def __repr__(self) -> str:
        return self.func.name


def run_call(*args, callee: Callee):
    return evaluate_ir(callee.func, *args)


def call_shape(*shapes, callee: Callee):
    from .transforms.reverse import infer_shapes

    func = callee.func
    inner = infer_shapes(func, dict(zip((p.var.name for p in func.params), shapes, strict=True)))
    results = [inner[r.name] if isinstance(r, Var) else tuple(getattr(r.value, "shape", ()))
               for r in func.results]
    return results[0] if len(results) == 1 else Shapes(results)


def eqn_kind(eqn, kinds: list):
    """The kind of `eqn`'s result given its arguments' (see primitives.result_kind); for a
    call returning several values, a tuple of them, which its picks read."""
    from .primitives import result_kind

    if eqn.prim == "call":
        return _call_kinds(dict(eqn.params)["callee"].func, kinds)
    if eqn.prim == "loop":
        return _loop_kinds(dict(eqn.params), kinds)
    if eqn.prim == "attr":  # (a method's object's attribute: as its value was, or a float)
        return dict(eqn.params).get("kind", "float")
    if eqn.prim == "pick" and isinstance(kinds[0], tuple):
        index = dict(eqn.params)["index"]
        return "any" if index == "tape" else kinds[0][index]
    return result_kind(eqn.prim, eqn.ns, kinds)


_ORDER = ("bool", "int", "float")


def _join(a, b) -> str:
    """The kind of a value that is sometimes of kind `a` and sometimes of kind `b`."""
    if a == b:
        return a
    if "any" in (a, b) or isinstance(a, tuple) or isinstance(b, tuple):
        return "any"
    return _ORDER[max(_ORDER.index(a), _ORDER.index(b))]


def _loop_kinds(params: dict, kinds: list) -> tuple:
    """The kinds of a loop's outputs: each carried value's initial kind joined with the
    kinds the body gives it, to a fixed point (a counter `k = 0; k = k + 1` stays an
    int, `s = 0; s = s + x` becomes a float); then the tape's, if it records one."""
    body, count, kind = params["body"], params["carried"], params["kind"]
    lead = loop_leading_args(kind)
    entries = len(body.params) - len(kinds) + lead  # the index, or a tape entry's values
    entry = ["int" if kind == "range" else "any"] * entries
    carried, free = list(kinds[lead:lead + count]), list(kinds[lead + count:])
    for _ in range(len(_ORDER) + 1):  # each round raises a kind or ends
        results = _call_kinds(body, [*entry, *carried, *free])
        results = results if isinstance(results, tuple) else (results,)
        joined = [_join(a, b) for a, b in zip(carried, results, strict=True)]
        if joined == carried:
            break
        carried = joined
    else:
        carried = ["any"] * count
    return (*carried, "any") if params.get("record") else tuple(carried)


def _call_kinds(func: Func, kinds: list):
    """The kind of what `func` returns given its arguments' kinds."""
    from .transforms.simplify import const_kind

    env = dict(zip((p.var.name for p in func.params), kinds, strict=True))

    def kind(atom):
        return env.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    for eqn in func.body:
        env[eqn.out.name] = eqn_kind(eqn, [kind(a) for a in eqn.args])
    results = tuple(kind(r) for r in func.results)
    return results[0] if len(results) == 1 else results


def call_adjoint(builder: Builder, eqn, call_terms: list, active: set, terms: dict, prims):
    """Emit the call of the callee's VJP; add the arguments' cotangents to `terms`."""
    from .transforms.reverse import summed_adjoint

    callee = dict(eqn.params)["callee"]
    results = callee.func.results
    wrt = tuple(i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name in active)
    cotangents: dict[int, list] = {}
    if len(results) == 1:
        cotangents[0] = call_terms
    else:
        for g, (_, j), guard in call_terms:
            cotangents.setdefault(j, []).append((g, None, guard))
    seeded = tuple(sorted(j for j in cotangents if isinstance(results[j], Var)))
    if not wrt or not seeded:
        return
    shapes = None if builder.shapes is None else tuple(builder.shape(a) for a in eqn.args)
    vjp = callee_vjp(callee, wrt, seeded, shapes, prims)
    seeds = []
    for j in seeded:
        g = summed_adjoint(builder, None, cotangents[j], anonymous=True)
        if shapes is not None:
            result_shape = builder.shape(eqn.out)
            g = builder.exact(g, result_shape if len(results) == 1 else result_shape[j])
        seeds.append(g)
    builder.guard = eqn.guard
    out = builder.emit("call", *eqn.args, *seeds, callee=vjp)
    for n, i in enumerate(wrt):
        g = out if len(wrt) == 1 else builder.pick(out, index=n)
        terms.setdefault(eqn.args[i].name, []).append((g, None, eqn.guard))


def callee_vjp(callee: Callee, wrt: tuple, seeded: tuple, shapes, prims) -> Callee:
    """The VJP of `callee` (see the module docstring), built once per pattern of use.

    Its parameters are the callee's, then a cotangent per seeded result; its
    results the cotangents of the parameters in `wrt`, each of its parameter's
    shape and never an alias of an argument.
    """
    key = (wrt, seeded, shapes, id(prims))
    if key not in callee.vjps:
        callee.vjps[key] = Callee(_build_vjp(callee.func, wrt, seeded, shapes, prims))
    return callee.vjps[key]


def _build_vjp(func: Func, wrt: tuple, seeded: tuple, shapes, prims) -> Func:
    from .transforms.reverse import own_gradients, pullback, with_cotangent_shapes
    from .transforms.simplify import simplify

    param_shapes = None if shapes is None else dict(zip((p.var.name for p in func.params), shapes, strict=True))
    vjp = pullback(func, wrt, prims, param_shapes, seeded)
    vjp = simplify(replace(vjp, name=f"{func.name}_vjp"), prims)
    if shapes is None:
        return vjp
    return own_gradients(vjp, wrt, prims, with_cotangent_shapes(func, vjp, param_shapes, prims, seeded))
