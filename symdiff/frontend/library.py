"""Lowering of calls to math and NumPy functions and array methods: one primitive each.

A call names a row of the table of primitives (through `primitives.LIBRARY`, or
`arrays.METHODS` for `x.sum()`); its array arguments become the equation's
arguments and the rest its static parameters (`axis=0`). A few calls are
rewritten on the way: `len(x)` is `x.shape[0]`, `log(x, b)` is `log(x) / log(b)`,
`max`/`min`/`hypot` of more than two values fold pairwise, `min(len(xs), 3)` of
ints is a number, so is an integer function of ints known now (`math.factorial(3)`),
and a row with a `lowering` (np.var, np.clip) is written with other primitives.
"""

from __future__ import annotations

import ast
import difflib
import string

from ..errors import ShapeError, UnknownFunctionError
from ..ir import Const
from ..primitives import LIBRARY, PRIMS
from . import containers
from .arrays import Emitter, dim, method, static_params
from .parse import FunctionRef
from .scope import module_of, resolve
from .state import Lowering, emit, error, expr, shape
from .syntax import describe, is_value
from .values import ListValue


# np.empty's entries are unspecified until written: its zeros are one choice of them (a
# program that reads an entry before writing it has no derivative to give either way).
UNINITIALIZED = {("numpy", "empty"): "zeros", ("numpy", "empty_like"): "zeros_like"}


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
    if row.params_first:  # np.einsum('ij,jk->ik', a, b): a parameter, then the arrays
        count = 1
        if row.variadic and not (positional and isinstance(positional[0], ast.Constant)
                                 and isinstance(positional[0].value, str)):
            positional = interleaved(st, node, spelled, positional)
        params = static_params(st, node, row, spelled, positional[:count])
        args = [expr(st, a) for a in positional[count:]]
        return call(st, node, prim, ns, spelled, args, name, params)
    if row.sequence:  # np.concatenate([a, b], axis=0): the list holds the arrays
        held = containers.container(st, positional[0]) if positional else None
        if held is not None:  # np.concatenate(ws) of a list or tuple of arrays
            params = static_params(st, node, row, spelled, positional[1:])
            return call(st, node, prim, ns, spelled, list(held), name, params)
        if positional and containers.parameter(st, positional[0]):
            raise containers.needs_sequence(st, node, positional[0])
        if not positional or not isinstance(positional[0], (ast.List, ast.Tuple)):
            raise error(st, node, f"{spelled} takes a list of arrays written out: "
                        f"{spelled}([a, b], ...)")
        params = static_params(st, node, row, spelled, positional[1:])
        args = [expr(st, a) for a in positional[0].elts]
        return call(st, node, prim, ns, spelled, args, name, params)
    count = row.arity if row.params else len(positional)
    node, arrays = _array_keywords(st, node, row)
    params = static_params(st, node, row, spelled, positional[count:]) + arrays
    args = [_argument(st, row, a) for a in positional[:count]]
    return call(st, node, prim, ns, spelled, args, name, params)


def interleaved(st: Lowering, node, spelled: str, positional: list) -> list:
    """`np.einsum(a, [0, 1], b, [1, 2], [0, 2])` as `np.einsum('ab,bc->ac', a, b)`: each
    operand followed by its axes' labels (ints, `...`), then the output's, optionally."""
    pairs, output = positional[:len(positional) // 2 * 2], positional[len(positional) // 2 * 2:]
    try:
        labels = [_labels(entry) for entry in pairs[1::2] + output]
    except ValueError:
        raise error(st, node, f"{spelled} takes its subscripts as a string first, "
                    f"{spelled}('ij,jk->ik', a, b), or each operand followed by a list of int "
                    f"labels of its axes, {spelled}(a, [0, 1], b, [1, 2])") from None
    inputs = ",".join(labels[:len(pairs) // 2])
    subscripts = inputs + ("->" + labels[-1] if output else "")
    return [ast.copy_location(ast.Constant(subscripts), node), *pairs[0::2]]


def _labels(entry) -> str:
    """A literal list of axis labels (ints below 52, `...`) as einsum letters."""
    if not isinstance(entry, (ast.List, ast.Tuple)):
        raise ValueError("not a list of labels")
    letters = ""
    for label in entry.elts:
        value = label.value if isinstance(label, ast.Constant) else None
        if value is Ellipsis or isinstance(label, ast.Name) and label.id == "Ellipsis":
            letters += "..."
        elif type(value) is int and 0 <= value < len(string.ascii_letters):
            letters += string.ascii_letters[value]
        else:
            raise ValueError("not a label")
    return letters


# Rows lowered into others that read a list written out as its elements, not as an array.
_OWN_LISTS = ("select", "take")


def _array_keywords(st: Lowering, node: ast.Call, row) -> tuple[ast.Call, tuple]:
    """The call without the keywords that give arrays (`Prim.array_params`: logsumexp's b=),
    and (name, value) pairs of those."""
    taken = [k for k in node.keywords if k.arg in row.array_params]
    if not taken:
        return node, ()
    rest = ast.Call(node.func, node.args, [k for k in node.keywords if k not in taken])
    return ast.copy_location(rest, node), tuple((k.arg, expr(st, k.value)) for k in taken)


def _argument(st: Lowering, row, node):
    """An argument's value: for a row lowered into others, a list written out is its
    elements (np.select's conditions, np.take's indices), or else the array they stack
    into (np.cross(x, [0.0, 0.0, 1.0]))."""
    if row.lowering is None or not isinstance(node, (ast.List, ast.Tuple)):
        return expr(st, node)
    elements = ListValue(expr(st, element) for element in node.elts)
    if row.name in _OWN_LISTS:
        return elements
    if not elements or any(isinstance(e, tuple) for e in elements):
        raise error(st, node, "a list given here is read as an array: give it numbers or arrays "
                    "of one shape (a nested list: build it with np.array first)")
    return call(st, node, "stack", "numpy", "np.array", list(elements), None, (("axis", 0),))


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
    if row.integer_only and all(isinstance(a, Const) and a.folds for a in args):
        return _integer_now(st, node, row, ns, spelled, args)  # math.factorial(3), a written-out k
    if prim in ("max", "min") and all(isinstance(a, Const) and type(a.value) is int for a in args):
        return Const((max if prim == "max" else min)(a.value for a in args))  # min(len(xs), 3)
    if prim in ("max", "min", "hypot") and len(args) > 2:  # fold pairwise
        args = [emit(st, node, prim, args[:2], ns), *args[2:]]
        return call(st, node, prim, ns, spelled, args, name, params)
    if not (row.sequence or row.variadic) and len(args) not in (row.arities or (row.arity,)):
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


def _integer_now(st: Lowering, node, row, ns: str, spelled: str, args) -> Const:
    """An integer function of ints known now (`math.factorial(k)` with k a written-out
    loop's index): its value."""
    if len(args) not in (row.arities or (row.arity,)):
        raise error(st, node, f"{spelled} takes {' or '.join(map(str, row.arities or (row.arity,)))} "
                    f"argument(s) here, got {len(args)}")
    values = [a.value for a in args]
    if not all(type(v) is int for v in values):
        raise error(st, node, f"{spelled} takes integers, not {', '.join(map(repr, values))}; "
                    "give it an int (a loop counter, int(k))")
    try:
        return Const(row.impl(ns)(*values))
    except ValueError as exc:  # math.factorial(-1)
        raise error(st, node, f"{spelled}({', '.join(map(str, values))}) fails in Python ({exc}); "
                    "give it the integers it is defined for") from None


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
        attr = module.prefix + attr  # (sps.expit, sps being scipy.special: special.expit)
        if (module.ns, attr) in LIBRARY:
            return (*LIBRARY[(module.ns, attr)], spelled)
        if (module.ns, attr) in UNINITIALIZED:  # a buffer to fill (updates.py)
            return UNINITIALIZED[(module.ns, attr)], "numpy", spelled
        if attr.startswith("random."):
            raise error(st, func, f"{spelled} draws random numbers, which have no derivative; draw "
                        "them outside the function and pass them as a parameter",
                        UnknownFunctionError)
        raise error(st, func, f"{spelled} is not a function symdiff can differentiate; "
                    f"{_closest(module, attr)}give it a derivative with symdiff.custom_derivative",
                    UnknownFunctionError)
    raise error(st, func, f"calling {describe(func)} is not supported; call math or NumPy "
                "functions, or functions of yours written in Python (def or lambda)",
                UnknownFunctionError)


def _closest(module, attr: str) -> str:
    """"did you mean np.tanh? or " for a name close to one of the module's functions
    (np.tanhh), else "", so that the message stays one short line."""
    spellings = sorted(spelled[len(module.prefix):] for (space, spelled) in LIBRARY
                       if space == module.ns and spelled.startswith(module.prefix))
    close = difflib.get_close_matches(attr[len(module.prefix):], spellings, n=1, cutoff=0.75)
    return f"did you mean {module.alias}.{close[0]}? or " if close else ""


def concatenation(st: Lowering, node: ast.Subscript, name):
    """`np.r_[a, b, 1.0]` (along the first axis, numbers as one entry each) and `np.c_[a, b]`
    (vectors as columns, side by side): np.concatenate of the pieces; None for other
    subscripts. Slices and string directives inside (`np.r_[0:3]`, `np.r_['0,2', ...]`)
    are refused."""
    if not (isinstance(node.value, ast.Attribute) and node.value.attr in ("r_", "c_")
            and isinstance(node.value.value, ast.Name) and node.value.value.id not in st.env):
        return None
    module = module_of(st, node.value)
    if module.ns != "numpy":
        return None
    spelled = f"{module.alias}.{node.value.attr}"
    entries = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if any(isinstance(e, ast.Slice) or isinstance(e, ast.Constant) and isinstance(e.value, str) for e in entries):
        raise error(st, node, f"{spelled}[...] with a slice or a string directive is not supported; "
                    "build the range with np.arange and join with np.concatenate or np.stack")
    pieces = [expr(st, e) for e in entries]
    if st.code.shapes is None:  # (not yet known: array code is lowered again with its shapes)
        return emit(st, node, "concatenate", pieces, "numpy", name=name, params=(("axis", 0),))
    columns = node.value.attr == "c_"
    shaped = []
    for piece, entry in zip(pieces, entries):
        rank = len(shape(st, piece))
        if columns and rank == 0:
            raise error(st, entry, f"{spelled}[...] of a number is not supported; join vectors or "
                        "matrices (np.c_[x, y]), or write np.array([...])")
        if rank == 0 or columns and rank == 1:  # a number as (1,), a vector as a column (n, 1)
            shaped.append(emit(st, entry, "reshape", (piece,), "numpy",
                               params=(("shape", (-1, 1) if columns else (1,)),)))
        else:
            shaped.append(piece)
    return emit(st, node, "concatenate", shaped, "numpy", name=name, params=(("axis", 1 if columns else 0),))
