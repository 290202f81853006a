"""Lowering of calls to math and NumPy functions and array methods: one primitive each.

A call names a row of the table of primitives (through `primitives.LIBRARY`, or
`arrays.METHODS` for `x.sum()`); its array arguments become the equation's
arguments and the rest its static parameters (`axis=0`). A few calls are
rewritten on the way: `len(x)` is `x.shape[0]`, `log(x, b)` is `log(x) / log(b)`,
`max`/`min`/`hypot` of more than two values fold pairwise, `min(len(xs), 3)` of
ints is a number, and a row with a `lowering` (np.var, np.clip) is written with
other primitives.
"""

from __future__ import annotations

import ast

from ..errors import ShapeError, UnknownFunctionError
from ..ir import Const
from ..primitives import LIBRARY, PRIMS
from .arrays import Emitter, dim, method, static_params
from .parse import FunctionRef
from .scope import module_of, resolve
from .state import Lowering, emit, error, expr
from .syntax import describe, is_value
from .values import ListValue


def library_call(st: Lowering, node: ast.Call, name):
    """`np.exp(x)`, `max(a, b)`, `x.sum(axis=0)`, `np.einsum('ij,jk->ik', a, b)`, ..."""
    if isinstance(node.func, ast.Attribute) and is_value(node.func.value, st.env):
        prim, ns, spelled = method(st, node.func)  # x.sum(axis=0)
        positional = [node.func.value, *node.args]
    else:
        (prim, ns, spelled), positional = callee(st, node.func), list(node.args)
    row = PRIMS[prim]
    if prim == "clip":
        return _clip(st, node, ns, spelled, positional, name)
    if row.params_first:  # np.einsum('ij,jk->ik', a, b): the parameters, then the arrays
        count = len(row.params)
        positional = [*positional[count:], *positional[:count]]
    if row.sequence:  # np.concatenate([a, b], axis=0): the list holds the arrays
        if not positional or not isinstance(positional[0], (ast.List, ast.Tuple)):
            raise error(st, node, f"{spelled} takes a list of arrays written out: "
                        f"{spelled}([a, b], ...)")
        params = static_params(st, node, row, spelled, positional[1:])
        args = [expr(st, a) for a in positional[0].elts]
        return call(st, node, prim, ns, spelled, args, name, params)
    count = row.arity if row.params else len(positional)
    params = static_params(st, node, row, spelled, positional[count:])
    args = [_argument(st, row, a) for a in positional[:count]]
    return call(st, node, prim, ns, spelled, args, name, params)


def _argument(st: Lowering, row, node):
    """An argument's value: for a row lowered into others, a list written out is its
    elements (np.select's conditions, np.take's indices)."""
    if row.lowering is not None and isinstance(node, (ast.List, ast.Tuple)):
        return ListValue(expr(st, element) for element in node.elts)
    return expr(st, node)


def call(st: Lowering, node, prim, ns, spelled, args, name, params=()):
    """The value of the primitive `prim` (spelled `spelled`) of the lowered `args`."""
    row = PRIMS[prim]
    if row.lowering is not None:  # np.var, np.clip, ...: written with other primitives
        try:
            return row.lowering(Emitter(st, node), *args, **dict(params))
        except ValueError as exc:  # (the arguments or parameters do not fit)
            raise error(st, node, f"{spelled}: {exc}", ShapeError) from None
    if dict(params).get("initial") is not None:  # np.max(x, initial=0.0): the reduction, then the start value
        return _with_initial(st, node, prim, ns, spelled, args, name, params)
    if prim == "dim" and len(args) == 1:  # len(x) = x.shape[0]
        return dim(st, node, args[0], 0)
    if prim == "log" and len(args) == 2:  # log(x, base) = log(x) / log(base)
        logs = [emit(st, node, "log", (a,), ns) for a in args]
        return emit(st, node, "div", logs, name=name)
    if prim in ("max", "min") and all(isinstance(a, Const) and type(a.value) is int for a in args):
        return Const((max if prim == "max" else min)(a.value for a in args))  # min(len(xs), 3)
    if prim in ("max", "min", "hypot") and len(args) > 2:  # fold pairwise
        args = [emit(st, node, prim, args[:2], ns), *args[2:]]
        return call(st, node, prim, ns, spelled, args, name, params)
    if not row.sequence and len(args) not in (row.arities or (row.arity,)):
        expected = " or ".join(map(str, row.arities or (row.arity,)))
        raise error(st, node, f"{spelled} takes {expected} argument(s) here, got {len(args)}"
                    + ("; max/min of an iterable is not supported, list the values" if
                       prim in ("max", "min") and len(args) == 1 else ""))
    return emit(st, node, prim, args, ns, name=name, params=params)


_JOIN_INITIAL = {"sum": "add", "prod": "mul", "amax": "max", "amin": "min"}


def _with_initial(st: Lowering, node, prim, ns, spelled, args, name, params):
    """A reduction started from `initial`: the reduction joined with it, as NumPy does."""
    if prim not in _JOIN_INITIAL:
        raise error(st, node, f"{spelled} has no parameter initial; add the start value to the result")
    kept = tuple((k, v) for k, v in params if k != "initial")
    reduced = emit(st, node, prim, args, ns, params=kept)
    join = _JOIN_INITIAL[prim]
    return emit(st, node, join, (reduced, Const(dict(params)["initial"])), "numpy" if join in ("max", "min") else "op",
                name=name)


_CLIP_BOUNDS = {"a_min": 1, "a_max": 2, "min": 1, "max": 2}  # (min=, max=: NumPy 2.1's names)


def _clip(st: Lowering, node: ast.Call, ns, spelled, positional, name):
    """np.clip(x, lo, hi), bounds by position or keyword, None for no bound."""
    given = dict(enumerate(positional))
    for keyword in node.keywords:
        if keyword.arg not in _CLIP_BOUNDS or _CLIP_BOUNDS[keyword.arg] in given:
            raise error(st, node, f"{spelled} takes the array and two bounds (a_min=, a_max=), "
                        f"not {keyword.arg}=; give each bound once")
        given[_CLIP_BOUNDS[keyword.arg]] = keyword.value
    if sorted(given) != [0, 1, 2]:
        raise error(st, node, f"{spelled} needs an array and both bounds, lo and hi (None for no bound)")
    bounds = [Const(None) if isinstance(given[i], ast.Constant) and given[i].value is None
              else expr(st, given[i]) for i in (1, 2)]
    if all(isinstance(b, Const) and b.value is None for b in bounds):
        raise error(st, node, f"{spelled} needs at least one bound that is not None")
    return call(st, node, "clip", ns, spelled, [expr(st, given[0]), *bounds], name)


def callee(st: Lowering, func: ast.expr) -> tuple[str, str, str]:
    """(primitive, namespace, spelling) of the library function `func` names."""
    if isinstance(func, ast.Name) and func.id not in st.env:
        ref = resolve(st, func, func.id)
        if isinstance(ref, FunctionRef):
            return ref.prim, ref.ns, func.id
    elif isinstance(func, ast.Attribute):
        inner = func.value if isinstance(func.value, ast.Attribute) else None  # np.linalg.norm
        module = module_of(st, inner or func)
        attr = f"{inner.attr}.{func.attr}" if inner else func.attr
        spelled = f"{module.alias}.{attr}"
        if (module.ns, attr) in LIBRARY:
            return (*LIBRARY[(module.ns, attr)], spelled)
        if attr.startswith("random."):
            raise error(st, func, f"{spelled} draws random numbers, which have no derivative; draw "
                        "them outside the function and pass them as a parameter",
                        UnknownFunctionError)
        raise error(st, func, f"{spelled} is not a function symdiff can differentiate; "
                    f"supported {module.ns} functions: {_supported(module.ns)}",
                    UnknownFunctionError)
    raise error(st, func, f"calling {describe(func)} is not supported; call math or NumPy "
                "functions, or functions of yours written in Python (def or lambda)",
                UnknownFunctionError)


def _supported(ns: str) -> str:
    return ", ".join(sorted(attr for (space, attr) in LIBRARY if space == ns))
