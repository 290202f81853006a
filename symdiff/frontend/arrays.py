"""Lowering of array code: shapes, indexing, methods and static parameters.

A mixin of `lower._Lowering`. Array code is lowered twice: once without shapes,
where `x.shape[0]` becomes a `dim` equation (marking the function as array
code), and once per combination of argument shapes, where it is a constant and
every intermediate's shape is known.
"""

from __future__ import annotations

import ast

import numpy as np

from ..errors import ShapeError, UnknownFunctionError
from ..ir import Const, Var, as_atom
from ..primitives import PRIMS
from .syntax import is_shape

METHODS = {"sum": "sum", "mean": "mean", "reshape": "reshape", "dot": "dot", "transpose": "transpose",
           "max": "amax", "min": "amin", "var": "var", "std": "std", "clip": "clip", "ravel": "ravel",
           "prod": "prod"}


class ArrayLowering:
    """Methods of `lower._Lowering` for arrays (it supplies expr, emit, error, env)."""

    def shape(self, atom) -> tuple:
        return self.shapes[atom.name] if isinstance(atom, Var) else tuple(np.shape(atom.value))

    def dim(self, node, array, axis):
        """`array.shape[axis]`: a constant when shapes are known, else a `dim` equation."""
        if self.shapes is None:
            return self.emit(node, "dim", (array,), "numpy", params=(("axis", axis),))
        shape = self.shape(array)
        if not -len(shape) <= axis < len(shape):
            raise self.error(node, f"axis {axis} is out of range for an array of shape {shape}; "
                             "index an existing axis", ShapeError)
        return Const(shape[axis])

    def expr_Subscript(self, node, name):
        item = self.list_item(node)  # ys[-1] of a list being built
        if item is not None:
            return item
        if is_shape(node.value, self.env):  # X.shape[0]
            axis = self.literal(node.slice, "index")
            if not isinstance(axis, int):
                raise self.error(node, "x.shape must be indexed with one integer; use x.shape[0]")
            return self.dim(node, self.expr(node.value.value), axis)
        array = self.expr(node.value)
        entries = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        arrays: list = []
        template = tuple(self.index_entry(e, arrays) for e in entries)
        return self.emit(node, "getitem", (array, *arrays), "numpy", name=name, params=(("index", template),))

    def index_entry(self, node, arrays: list) -> tuple:
        """One entry of an index template (see arrays.py); index arrays go to `arrays`."""
        if isinstance(node, ast.Slice):
            return ("slice", *(self.static_int(b, "slice bound") for b in (node.lower, node.upper, node.step)))
        if isinstance(node, ast.Constant) and node.value is None:
            return ("none",)
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return ("ellipsis",)
        atom = self.expr(node)
        if isinstance(atom, Const) and isinstance(atom.value, (int, np.integer)) and atom.folds:
            return ("int", int(atom.value))
        if isinstance(atom, Const):
            raise self.error(node, f"the index {atom} is not an integer; index with ints, slices, "
                             "None, ... or integer arrays")
        made = next((e for e in reversed(self.eqns) if e.out == atom), None)
        if made is not None and PRIMS[made.prim].kind == "bool":
            raise self.error(node, "indexing with a boolean mask gives a result whose shape depends "
                             "on the data; use np.where(mask, x, 0.0) instead", ShapeError)
        arrays.append(atom)
        return ("arg", len(arrays) - 1) + (("distinct",) if made and made.prim == "arange" else ())

    def static_int(self, node, what: str):
        """A bound known before the function runs: a literal, or a constant such as x.shape[0]."""
        if node is None:
            return None
        atom = self.expr(node)
        if isinstance(atom, Const) and isinstance(atom.value, (int, np.integer)) and atom.folds:
            return int(atom.value)
        if self.shapes is None:
            return None  # not yet known: array code is lowered again with its shapes
        raise self.error(node, f"the {what} must be an integer known from the shapes (a literal or "
                         "x.shape[0]); symdiff specializes array code to shapes")

    def method(self, func: ast.Attribute) -> tuple[str, str, str]:
        if func.attr not in METHODS:
            raise self.error(func, f"the method .{func.attr}() is not supported; supported methods: "
                             f"{', '.join(sorted(METHODS))}", UnknownFunctionError)
        return METHODS[func.attr], "numpy", f".{func.attr}"

    def static_params(self, node, row, spelled: str, extra: list) -> tuple:
        """Static keyword parameters (axis=0, keepdims=True) from extra positionals and keywords."""
        names = [n for n, _ in row.params]
        if row.name in ("reshape", "transpose") and len(extra) > 1:  # x.reshape(3, 4)
            extra = [ast.Tuple(extra, ast.Load())]
        if len(extra) > len(names):
            raise self.error(node, f"{spelled} takes {row.arity} array argument(s) and the parameters "
                             f"{', '.join(names) or 'none'}; got {len(extra)} more arguments")
        given = dict(zip(names, extra)) | {k.arg: k.value for k in node.keywords}
        for key in given:
            if key not in names:
                raise self.error(node, f"{spelled} has no parameter {key} symdiff supports; "
                                 f"supported: {', '.join(names) or 'none'}")
        return tuple((key, self.literal(given[key], key)) for key in names if key in given)

    def literal(self, node, key: str):
        """A static parameter: a literal, or an int known from the shapes (x.shape[0])."""
        try:
            return ast.literal_eval(node)
        except ValueError:
            pass
        if isinstance(node, (ast.Name, ast.Subscript, ast.Call, ast.Attribute)):
            value = self.static_int(node, f"parameter {key}")
            if value is not None or self.shapes is None:
                return value
        raise self.error(node, f"the parameter {key} must be a constant (an int, a tuple of "
                         "ints, True or False) so that shapes are known")


class Emitter:
    """The `ir.Builder` interface over a lowering, for rows lowered into others."""

    def __init__(self, lowering, node: ast.AST):
        self.lowering, self.node = lowering, node

    def shape(self, atom):
        """The atom's shape, or None while shapes are not known."""
        return None if self.lowering.shapes is None else self.lowering.shape(atom)

    def __getattr__(self, prim: str):
        row = PRIMS[prim]
        ns = "op" if "op" in row.spelling else "numpy"
        return lambda *args, **params: self.lowering.emit(
            self.node, prim, tuple(map(as_atom, args)), ns, params=tuple(params.items()))

