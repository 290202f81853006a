"""Lowering of array code: shapes, indexing, array attributes, methods and static parameters.

Array code is lowered twice: once without shapes, where `x.shape[0]` becomes a
`dim` equation (marking the function as array code), and once per combination
of argument shapes, where it is a constant and every intermediate's shape is
known (`state.Code.shapes`). A static parameter (`axis=0`, a slice bound, a shape)
must be a literal or an int known from the shapes, where integer arithmetic of them
(`n * d`, `len(x) + 1`) is folded.
"""

from __future__ import annotations

import ast
import operator

import numpy as np

from ..errors import ShapeError, UnknownFunctionError
from ..ir import Const, as_atom
from ..primitives import PRIMS
from .state import Lowering, emit, error, expr, shape
from .syntax import is_shape

METHODS = {"sum": "sum", "mean": "mean", "reshape": "reshape", "dot": "dot", "transpose": "transpose",
           "max": "amax", "min": "amin", "var": "var", "std": "std", "clip": "clip", "ravel": "ravel",
           "prod": "prod", "flatten": "ravel", "squeeze": "squeeze", "astype": "asarray", "copy": "copy",
           "cumsum": "cumsum", "cumprod": "cumprod", "swapaxes": "swapaxes", "diagonal": "diagonal",
           "trace": "trace", "repeat": "repeat", "take": "take", "argsort": "argsort"}
_FLOAT_TYPES = {"float", "float64", "double", "f8", "float_"}


def dim(st: Lowering, node, array, axis):
    """`array.shape[axis]`: a constant when shapes are known, else a `dim` equation."""
    if st.code.shapes is None:
        return emit(st, node, "dim", (array,), "numpy", params=(("axis", axis),))
    known = shape(st, array)
    if not -len(known) <= axis < len(known):
        raise error(st, node, f"axis {axis} is out of range for an array of shape {known}; "
                    "index an existing axis", ShapeError)
    return Const(known[axis])


def subscript(st: Lowering, node: ast.Subscript, name):
    """`x[...]` of an array, or `X.shape[0]`: a `getitem` equation, or the axis's length."""
    if is_shape(node.value, st.env):  # X.shape[0]
        axis = literal(st, node.slice, "index")
        if not isinstance(axis, int):
            raise error(st, node, "x.shape must be indexed with one integer; use x.shape[0]")
        return dim(st, node, expr(st, node.value.value), axis)
    array = expr(st, node.value)
    if isinstance(array, tuple):  # np.split(x, 3)[0]: one of several values
        return _one_of(st, node, array)
    template, arrays = index_template(st, node.slice)
    return emit(st, node, "getitem", (array, *arrays), "numpy", name=name, params=(("index", template),))


def index_template(st: Lowering, index: ast.expr) -> tuple[tuple, list]:
    """(the template of the index `index` (see primitives/arrays.py), its index arrays)."""
    entries = index.elts if isinstance(index, ast.Tuple) else [index]
    arrays: list = []
    return tuple(_index_entry(st, e, arrays) for e in entries), arrays


def _one_of(st: Lowering, node: ast.Subscript, values: tuple):
    """values[k] of the several values a call gave (np.split's pieces), k a constant int."""
    index = None if isinstance(node.slice, (ast.Slice, ast.Tuple)) else expr(st, node.slice)
    if not (isinstance(index, Const) and type(index.value) is int and -len(values) <= index.value < len(values)):
        raise error(st, node, f"a call giving {len(values)} values is indexed with something other than "
                    "a constant int in range; index it with one (np.split(x, 2)[0]) or unpack the "
                    "values (a, b = np.split(x, 2))")
    return values[index.value]


def _index_entry(st: Lowering, node, arrays: list) -> tuple:
    """One entry of an index template (see primitives/arrays.py); index arrays go to `arrays`."""
    if isinstance(node, ast.Slice):
        return ("slice", *(static_int(st, b, "slice bound") for b in (node.lower, node.upper, node.step)))
    if isinstance(node, ast.Constant) and node.value is None:
        return ("none",)
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return ("ellipsis",)
    if isinstance(node, ast.List):  # x[[0, 2, 1]]: an integer array index
        atom = _index_list(st, node)
    else:
        atom = expr(st, node)
    if isinstance(atom, Const) and isinstance(atom.value, (int, np.integer)) and atom.folds:
        return ("int", int(atom.value))
    if isinstance(atom, Const) and atom.value is None:  # np.newaxis
        return ("none",)
    if isinstance(atom, Const):
        raise error(st, node, f"the index {atom} is not an integer; index with ints, slices, "
                    "None, ... or integer arrays")
    made = next((e for e in reversed(st.code.eqns) if e.out == atom), None)
    if made is not None and PRIMS[made.prim].kind == "bool":
        raise error(st, node, "indexing with a boolean mask gives a result whose shape depends "
                    "on the data; use np.where(mask, x, 0.0) instead", ShapeError)
    arrays.append(atom)
    return ("arg", len(arrays) - 1) + (("distinct",) if made and made.prim == "arange" else ())


def _index_list(st: Lowering, node: ast.List):
    """`[0, 2, 1]` in an index: the integer array NumPy makes of it."""
    values = [expr(st, e) for e in node.elts]
    if not values or not all(isinstance(v, Const) and type(v.value) is int and v.folds for v in values):
        raise error(st, node, "a list in an index must hold integers written out (x[[0, 2]]); "
                    "index with np.arange(...) or an integer array for other indices")
    return emit(st, node, "stack", values, "numpy", params=(("axis", 0),))


def attribute(st: Lowering, node: ast.Attribute, name):
    """`x.T`, `x.ndim` or `x.size` of an array value x."""
    if node.attr == "T":  # x.T
        return emit(st, node, "transpose", (expr(st, node.value),), "numpy", name=name)
    if node.attr in ("ndim", "size") and st.code.shapes is not None:
        known = shape(st, expr(st, node.value))
        return Const(len(known) if node.attr == "ndim" else int(np.prod(known)))
    if node.attr in ("ndim", "size"):
        return emit(st, node, "dim", (expr(st, node.value),), "numpy", params=(("axis", node.attr),))
    if node.attr == "shape":
        raise error(st, node, "x.shape can be indexed (x.shape[0]) or unpacked "
                    "(n, d = x.shape), not used whole")
    raise error(st, node, f"the attribute .{node.attr} of an array is not supported yet; "
                "use a NumPy function (x.T, np.sum, np.reshape, ...)")


def static_int(st: Lowering, node, what: str):
    """A bound known before the function runs: a literal, a constant such as x.shape[0],
    or integer arithmetic of them (`n * d`, `len(x) + 1`)."""
    if node is None:
        return None
    value = _known_int(st, node, what)
    if value is not None or st.code.shapes is None:
        return value  # (None: not yet known, array code is lowered again with its shapes)
    raise error(st, node, f"the {what} must be an integer known from the shapes (a literal, "
                "x.shape[0], len(x), or + - * // of them); symdiff specializes array code to shapes")


_INT_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                   ast.FloorDiv: operator.floordiv}


def _known_int(st: Lowering, node, what: str):
    """The int `node` stands for, folded where it is arithmetic of known ints; else None."""
    if isinstance(node, ast.BinOp) and type(node.op) in _INT_ARITHMETIC:
        left, right = _known_int(st, node.left, what), _known_int(st, node.right, what)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.FloorDiv) and right == 0:
            raise error(st, node, f"the {what} divides by zero", ShapeError)
        return _INT_ARITHMETIC[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _known_int(st, node.operand, what)
        return None if value is None else -value if isinstance(node.op, ast.USub) else value
    atom = expr(st, node)
    if isinstance(atom, Const) and isinstance(atom.value, (int, np.integer)) and atom.folds \
            and not isinstance(atom.value, bool):
        return int(atom.value)
    return None


def method(st: Lowering, func: ast.Attribute) -> tuple[str, str, str]:
    """(primitive, namespace, spelling) of the array method `x.sum`."""
    if func.attr == "sort":
        raise error(st, func, "x.sort() sorts x in place and returns None; use np.sort(x), "
                    "which returns the sorted values", UnknownFunctionError)
    if func.attr not in METHODS:
        raise error(st, func, f"the method .{func.attr}() is not supported; supported methods: "
                    f"{', '.join(sorted(METHODS))}", UnknownFunctionError)
    return METHODS[func.attr], "numpy", f".{func.attr}"


def static_params(st: Lowering, node, row, spelled: str, extra: list) -> tuple:
    """Static keyword parameters (axis=0, keepdims=True) from extra positionals and keywords."""
    names = [n for n, _ in row.params]
    if row.name in ("reshape", "transpose") and len(extra) > 1:  # x.reshape(3, 4)
        extra = [ast.Tuple(extra, ast.Load())]
    if len(extra) > len(names):
        raise error(st, node, f"{spelled} takes {row.arity} array argument(s) and the parameters "
                    f"{', '.join(names) or 'none'}; got {len(extra)} more arguments")
    given = dict(zip(names, extra)) | {k.arg: k.value for k in node.keywords}
    for key in given:
        if key not in names:
            raise error(st, node, f"{spelled} has no parameter {key} symdiff supports (supported: "
                        f"{', '.join(names) or 'none'}); leave {key} out, or write what it does "
                        "with supported functions")
    return tuple((key, literal(st, given[key], key)) for key in names if key in given)


def literal(st: Lowering, node, key: str):
    """A static parameter: a literal, an int known from the shapes (x.shape[0], n * d),
    or a tuple of them; a list is taken as a tuple (`axes=([1], [0])`)."""
    if key == "dtype":
        return _dtype(st, node)
    if isinstance(node, (ast.Tuple, ast.List)):
        items = tuple(literal(st, e, key) for e in node.elts)
        return None if st.code.shapes is None and None in items else items
    try:
        return _as_tuples(ast.literal_eval(node))
    except ValueError:
        pass
    if isinstance(node, ast.Name) and isinstance(st.env.get(node.id), Const) and \
            not isinstance(st.env[node.id].value, (int, float)):
        return st.env[node.id].value  # a helper's `axis=None`, bound to its default or argument
    if isinstance(node, (ast.Name, ast.Subscript, ast.Call, ast.Attribute, ast.BinOp, ast.UnaryOp)):
        value = _known_int(st, node, f"parameter {key}")
        if value is None:
            value = _library_number(st, node)
        if value is not None or st.code.shapes is None:
            return value
    raise error(st, node, f"the parameter {key} must be a constant (an int, a tuple of ints, "
                "+ - * // of ints such as len(x) or x.shape[0], True or False) so that shapes are known")


def _library_number(st: Lowering, node):
    """A float constant of a library, or its negative (`ord=np.inf`, `-np.inf`); else None."""
    negated = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    if not isinstance(node.operand if negated else node, ast.Attribute):
        return None
    atom = expr(st, node.operand if negated else node)
    if isinstance(atom, Const) and type(atom.value) is float and atom.label and "." in atom.label:
        return -atom.value if negated else atom.value
    return None


def _as_tuples(value):
    """A static parameter written as a list (`axes=[1, 0, 2]`) as the tuple NumPy reads alike
    (parameters are hashed: an equation is numbered by them)."""
    return tuple(map(_as_tuples, value)) if isinstance(value, (list, tuple)) else value


def _hashable(value):
    """A list written as a parameter (np.repeat(x, [1, 2])) as the tuple a parameter is."""
    return tuple(map(_hashable, value)) if isinstance(value, list) else value


def _dtype(st: Lowering, node) -> str:
    """A dtype: float (np.float64, 'float64') only, the one a gradient flows through."""
    spelled = node.value if isinstance(node, ast.Constant) else getattr(node, "attr", getattr(node, "id", ""))
    if spelled in _FLOAT_TYPES:
        return "float64"
    raise error(st, node, f"the dtype {ast.unparse(node)} is not supported: only float (np.float64) "
                "carries a gradient; a cast to int has none (use np.floor or np.round where meant)")


class Emitter:
    """The `ir.Builder` interface over a lowering, for rows lowered into others: `b.exp(x)`
    emits one equation, and a row that is itself lowered (`b.moveaxis(x, ...)`) is
    written with its own lowering."""

    def __init__(self, st: Lowering, node: ast.AST):
        self.st, self.node = st, node

    def shape(self, atom):
        """The atom's shape, or None while shapes are not known."""
        return None if self.st.code.shapes is None else shape(self.st, atom)

    def values_wanted(self) -> int | None:
        """How many names the value is unpacked into (`a, b = np.gradient(X)`), if it is."""
        return len(self.st.unpacked) or None

    def __getattr__(self, prim: str):
        row = PRIMS[prim]
        if row.lowering is not None:
            return lambda *args, **params: row.lowering(
                self, *(a if isinstance(a, tuple) else as_atom(a) for a in args), **params)
        ns = "op" if "op" in row.spelling else "numpy"
        return lambda *args, **params: emit(
            self.st, self.node, prim, tuple(map(as_atom, args)), ns, params=tuple(params.items()))
