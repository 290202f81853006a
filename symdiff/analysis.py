"""What the passes share about a lowered function: shapes, kinds and activity.

  * `infer_shapes(func, param_shapes)`: every variable's shape; `result_shape` is one
    equation's, loops (their body's shapes, to a fixed carried shape), calls (the
    callee's results) and picks included. A loop or a call returning several values
    has `Shapes`, a tuple of its outputs' shapes.
  * `eqn_kind`: whether an equation's value is a bool, an int, a float or 'any',
    through loops (to a fixed point) and calls.
  * `active_vars`, `active_in_loop`: the names that depend differentiably on the
    parameters differentiated.
  * `integer_params`, `fallback_ns`, `is_array_code`: how the function uses its
    parameters and libraries, and whether its derivative depends on shapes.

Reverse mode, forward mode, simplification, lowering and emission read these; none of
them reads another pass's internals.
"""

from __future__ import annotations

import numpy as np

from .errors import ShapeError
from .ir import Eqn, Func, Var, all_eqns, loop_leading_args
from .primitives import PRIMS, result_kind


class Shapes(tuple):
    """The shapes of a loop's or a call's outputs (its own "shape")."""


# ---------------------------------------------------------------- shapes

def infer_shapes(func: Func, param_shapes: dict, prims=PRIMS) -> dict:
    """The shape of every variable of `func`, given the parameters' shapes."""
    shapes = dict(param_shapes)

    def shape(atom):
        return shapes[atom.name] if isinstance(atom, Var) else tuple(getattr(atom.value, "shape", ()))

    for eqn in func.body:
        try:
            shapes[eqn.out.name] = result_shape(eqn.prim, [shape(a) for a in eqn.args], eqn.params, prims)
        except ValueError as exc:
            raise ShapeError(eqn.loc or func.loc, f"{eqn.prim}: {exc}; check the arguments' shapes") from None
    return shapes


def result_shape(prim: str, shapes: list, params=(), prims=PRIMS):
    """The shape of `prim`'s result given its arguments' shapes and static parameters."""
    params = dict(params)
    if prim == "loop":
        return _loop_shape(shapes, prims, **params)
    if prim == "call":
        return _call_shape(shapes, params["callee"], prims)
    if prim == "pick":
        return shapes[0][-1] if params["index"] == "tape" else shapes[0][params["index"]]
    if prim == "range":
        return Shapes([()])
    return prims[prim].result_shape(shapes, tuple(params.items()))


def body_shapes(shapes, body: Func, kind: str, prims=PRIMS) -> tuple:
    """(the shapes of an iteration's own values, of the carried and free values, and of
    the body's results) given the shapes of a loop's arguments: a range's index is a
    number, a tape's entries have the shapes of what it recorded."""
    iteration = {"range": ((),), "while": ()}.get(kind, tuple(shapes[0]))
    rest = shapes[loop_leading_args(kind):]
    params = dict(zip((p.var.name for p in body.params), (*iteration, *rest), strict=True))
    inner = infer_shapes(body, params, prims)
    return iteration, rest, [inner[r.name] if hasattr(r, "name") else () for r in body.results]


def _loop_shape(shapes, prims, body, carried, kind, record=(), cond=None, stop=None):
    iteration, rest, results = body_shapes(shapes, body, kind, prims)
    for name, before, after in zip(body.params[len(iteration):], rest, results):
        if tuple(before) != tuple(after):
            raise ValueError(f"the loop changes the shape of {name.var.name} from {before} to "
                             f"{after}; keep a loop-carried value's shape")
    recorded = Shapes(((*iteration, *rest)[j] for j in record))
    return Shapes((*results, recorded) if record else results)


def _call_shape(shapes, callee, prims):
    func = callee.func
    inner = infer_shapes(func, dict(zip((p.var.name for p in func.params), shapes, strict=True)), prims)
    results = [inner[r.name] if isinstance(r, Var) else tuple(getattr(r.value, "shape", ()))
               for r in func.results]
    return results[0] if len(results) == 1 else Shapes(results)


# ---------------------------------------------------------------- kinds

def const_kind(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    return "int" if isinstance(value, (int, np.integer)) else "float"


def eqn_kind(eqn: Eqn, kinds: list):
    """The kind of `eqn`'s result given its arguments' (see primitives.result_kind); for a
    call returning several values, a tuple of them, which its picks read."""
    if eqn.prim == "call":
        return _call_kinds(dict(eqn.params)["callee"].func, kinds)
    if eqn.prim == "loop":
        return _loop_kinds(dict(eqn.params), kinds)
    if eqn.prim == "attr":  # (a method's object's attribute: as its value was, or a float)
        return dict(eqn.params).get("kind", "float")
    if eqn.prim == "arange":  # np.arange(2) holds ints, np.arange(2.0) floats
        return const_kind(dict(eqn.params)["stop"])
    if eqn.prim in ("setitem", "additem"):  # x[i] = v keeps x's dtype (a float written to ints is cut)
        return kinds[0]
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
    env = dict(zip((p.var.name for p in func.params), kinds, strict=True))

    def kind(atom):
        return env.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    for eqn in func.body:
        env[eqn.out.name] = eqn_kind(eqn, [kind(a) for a in eqn.args])
    results = tuple(kind(r) for r in func.results)
    return results[0] if len(results) == 1 else results


def value_kinds(func: Func, kinds: dict) -> dict:
    """Variable -> kind, for `func` and the bodies of its loops, given its parameters' kinds."""
    env = dict(kinds)

    def kind(atom):
        return env.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    for eqn in func.body:
        args = [kind(a) for a in eqn.args]
        env[eqn.out.name] = eqn_kind(eqn, args)
        if eqn.prim == "loop":
            params = dict(eqn.params)
            body, lead, count = params["body"], loop_leading_args(params["kind"]), params["carried"]
            entry = ["int" if params["kind"] == "range" else "any"] * (len(body.params) - len(args) + lead)
            inner = entry + list(env[eqn.out.name][:count]) + args[lead + count:]
            env.update(value_kinds(body, dict(zip((p.var.name for p in body.params), inner, strict=True))))
    return env


def truncating_update(func: Func, kinds: dict) -> Eqn | None:
    """An update `x[i] = v` (or +=) of `func` or its loops that writes a float into an array
    of ints or bools, which NumPy cuts to the array's kind (no derivative flows), given
    the kinds of the parameters by name; None if there is none."""
    env = value_kinds(func, kinds)

    def kind(atom):
        return env.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    return next((e for e in all_eqns(func) if e.prim in ("setitem", "additem")
                 and kind(e.args[0]) in ("int", "bool") and kind(e.args[1]) == "float"), None)


def is_array_code(func: Func, prims=None) -> bool:
    """Whether `func` uses an operation that is not elementwise (then shapes are needed).

    A `cond` (the merge of an if), the structured equations (a loop counts by its body,
    a call by its callee) and an attribute of a method's object are not elementwise but
    work on numbers too.
    """
    prims = prims or PRIMS
    for eqn in func.body:
        if eqn.prim == "loop" and is_array_code(dict(eqn.params)["body"], prims):
            return True
        if eqn.prim == "call" and is_array_code(dict(eqn.params)["callee"].func, prims):
            return True
        row = prims[eqn.prim]
        if not row.elementwise and not row.structured and eqn.prim not in ("cond", "attr"):
            return True
    return False


# ---------------------------------------------------------------- activity and use

def active_vars(func: Func, wrt: tuple[int, ...], prims=PRIMS) -> set[str]:
    """Names whose value depends differentiably on the parameters in `wrt`."""
    active = {func.params[i].var.name for i in wrt}
    for eqn in func.body:
        if prims[eqn.prim].differentiable and any(
                isinstance(a, Var) and a.name in active for a in eqn.args):
            active.add(eqn.out.name)
    return active


def loop_layout(kind: str) -> tuple[int, int]:
    """(arguments before the carried values, body parameters before them) of a loop kind."""
    return {"range": (3, 1), "while": (0, 0), "tape": (1, None)}[kind]


def active_in_loop(eqn: Eqn, active, prims=PRIMS) -> tuple[list[int], list[int]]:
    """The loop's carried values that depend on an active variable (one of `active`,
    names), directly or through an iteration, and its active free variables, by index."""
    params = dict(eqn.params)
    body, k = params["body"], params["carried"]
    skip, it = loop_layout(params["kind"])
    inits, frees = eqn.args[skip:skip + k], eqn.args[skip + k:]
    free_active = [i for i, a in enumerate(frees) if isinstance(a, Var) and a.name in active]
    carried = {j for j, a in enumerate(inits) if isinstance(a, Var) and a.name in active}
    while True:  # a carried value is active when its next value depends on an active one
        wrt = tuple(it + j for j in sorted(carried)) + tuple(it + k + i for i in free_active)
        inner = active_vars(body, wrt, prims)
        grown = carried | {j for j, r in enumerate(body.results) if isinstance(r, Var) and r.name in inner}
        if grown == carried:
            return sorted(carried), free_active
        carried = grown


def fallback_ns(func: Func) -> str:
    """The library derivative code calls where the primal used an operator or builtin."""
    return "numpy" if any(ns == "numpy" for ns, _ in func.modules) else "math"


def integer_params(func: Func, prims=PRIMS) -> set[str]:
    """The parameters `func` uses as integers: a range's bound or step, or an operand of
    an operation seldom applied to floats (%, //, ==, !=: `Prim.integral_operands`)."""
    params = {p.var.name for p in func.params}
    used = set()
    for eqn in all_eqns(func):
        if eqn.prim in prims and prims[eqn.prim].integral_operands:
            used.update(a.name for a in eqn.args if isinstance(a, Var))
        elif eqn.prim == "loop" and dict(eqn.params)["kind"] == "range":
            used.update(a.name for a in eqn.args[:3] if isinstance(a, Var))
    return used & params


def integer_only_misuse(func: Func, wrt: tuple[int, ...], prims=PRIMS) -> Eqn | None:
    """The first equation applying an integer-only function (`Prim.integer_only`:
    math.factorial) to a value depending on the parameters in `wrt`, or giving one where
    its row is not differentiated (`Prim.fixed`: polygamma's order), in loops too; else None."""
    active = active_vars(func, wrt, prims)
    for eqn in func.body:
        row = prims[eqn.prim]
        indices = range(len(eqn.args)) if row.integer_only else [i for i, _ in row.fixed if i < len(eqn.args)]
        if any(isinstance(eqn.args[i], Var) and eqn.args[i].name in active for i in indices):
            return eqn
        if eqn.prim == "loop":
            params = dict(eqn.params)
            carried, free = active_in_loop(eqn, active, prims)
            it = loop_layout(params["kind"])[1]
            inner = tuple(it + j for j in carried) + tuple(it + params["carried"] + i for i in free)
            found = integer_only_misuse(params["body"], inner, prims)
            if found is not None:
                return found
    return None
