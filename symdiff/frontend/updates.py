"""Lowering of updates in place: `x[index] = v`, `x[index] op= v`, and `x op= v` on arrays.

Each update gives the array a new version (single assignment): `x[index] = v` binds x
to `setitem(x, v, *index_arrays, index=template)` (primitives/updates.py), so later
reads of x read the new version and reverse mode sees pure equations. `x[index] += v`
(and -=, *=, /=, ...) reads x[index], applies the operator and writes the result back;
`x += v` on an array is `x = x + v` under the same name, where the result keeps x's
shape (NumPy cannot grow an array in place). A number written at a boolean mask,
`x[x < 0] = 0.0`, is `np.where(x < 0, 0.0, x)`.

Python changes the array object itself; an update is refused where that would change
what another name sees (aliases.py): x a view of another array, another name for the
same array read later, or, in a helper, an array the caller passed (or one of the
helper's scope): copy it first (`x = x.copy()`). The generated code never changes an
argument: the emitter writes in place only into arrays of its own (backend/inplace.py).

Code symdiff generated is read back too (a Hessian differentiates the gradient's code):
its helpers `_scatter(shape, np.s_[index], v)`, `_scatter_add(...)`, `_setitem(x,
np.s_[index], v)` and `_additem(...)` are the equations they were printed from.
"""

from __future__ import annotations

import ast

from ..errors import ShapeError
from ..ir import Const, Var
from .aliases import assigned_before, refuse_shared
from .arrays import index_template
from ..primitives import PRIMS
from .parse import UserFunction
from .state import Lowering, bind, emit, error, expr, shape
from .values import ListValue, RunningList, is_atom, is_container


def assign_item(st: Lowering, target: ast.Subscript, value: ast.expr) -> None:
    """`x[index] = value`."""
    name, old = _written(st, target, "the assignment", value)
    mask = _mask(st, target.slice)
    if mask is not None:  # x[x < 0] = 0.0: np.where(mask, value, x)
        bind(st, name, emit(st, target, "where", (mask, _number(st, value, target), old), "numpy", name=name))
        return
    template, arrays = index_template(st, target.slice)
    new = expr(st, value)
    _write(st, target, name, old, new, template, arrays)


def augment_item(st: Lowering, stmt: ast.AugAssign, prim: str) -> None:
    """`x[index] op= value`: x[index] read, `prim` applied with value, written back."""
    target = stmt.target
    name, old = _written(st, target, "the augmented assignment", stmt)
    mask = _mask(st, target.slice)
    if mask is not None:  # x[mask] *= 2.0: np.where(mask, x * 2.0, x)
        updated = emit(st, stmt, prim, (old, _number(st, stmt.value, target)))
        bind(st, name, emit(st, stmt, "where", (mask, updated, old), "numpy", name=name))
        return
    template, arrays = index_template(st, target.slice)
    if prim in ("add", "sub"):  # x[index] += v: v added there, x's adjoint passed on whole
        value = expr(st, stmt.value)
        if prim == "sub":
            value = Const(-value.value) if isinstance(value, Const) and value.folds else \
                emit(st, stmt, "neg", (value,))
        _write(st, stmt, name, old, value, template, arrays, "additem")
        return
    current = emit(st, target, "getitem", (old, *arrays), "numpy", params=(("index", template),))
    updated = emit(st, stmt, prim, (current, expr(st, stmt.value)))
    _write(st, stmt, name, old, updated, template, arrays)


def augment_array(st: Lowering, stmt: ast.AugAssign, updated) -> None:
    """`x op= value` with x an array: `updated`, x op value, is x's new version, of x's shape.
    (On a number, `x op= value` rebinds x, as Python does; lower.py binds it.)"""
    name, old = stmt.target.id, st.env.get(stmt.target.id)
    if st.code.shapes is None or not isinstance(old, Var) or shape(st, old) == ():
        bind(st, name, updated)
        return
    refuse_shared(st, name, stmt, f"{name} {_symbol(stmt.op)}= ...", stmt)
    _refuse_outside(st, name, stmt, f"{name} {_symbol(stmt.op)}= ...")
    if is_atom(updated) and shape(st, updated) != shape(st, old):
        raise error(st, stmt, f"{name} {_symbol(stmt.op)}= ... changes {name} in place, which keeps its "
                    f"shape {shape(st, old)}, but the result has shape {shape(st, updated)}; write "
                    f"{name} = {name} {_symbol(stmt.op)} ... for a new array", ShapeError)
    bind(st, name, updated)


def _mask(st: Lowering, index: ast.expr):
    """The boolean mask `index` is (`x[x < 0]`, a comparison computed here), else None."""
    if isinstance(index, (ast.Tuple, ast.Slice)):
        return None
    if not (isinstance(index, ast.Compare) or isinstance(index, ast.Name) and isinstance(st.env.get(index.id), Var)):
        return None
    atom = expr(st, index)
    made = next((e for e in reversed(st.code.eqns) if e.out == atom), None)
    if made is None or PRIMS[made.prim].kind != "bool":
        return None
    return atom if st.code.shapes is None or shape(st, atom) != () else None


def _number(st: Lowering, value: ast.expr, target: ast.Subscript):
    """The value written at a mask: a number (an array would have to match the entries picked)."""
    atom = expr(st, value)
    if st.code.shapes is not None and is_atom(atom) and shape(st, atom) != ():
        raise error(st, target, f"{ast.unparse(target)} = ... writes a value of shape {shape(st, atom)} "
                    "at a boolean mask, whose entries only the values tell; write a number there, or "
                    f"{ast.unparse(target.value)} = np.where(mask, value, {ast.unparse(target.value)})",
                    ShapeError)
    return atom


def _write(st: Lowering, node, name: str, old, new, template: tuple, arrays: list, prim="setitem") -> None:
    _refuse_repeats(st, node, template, arrays)
    version = emit(st, node, prim, (old, new, *arrays), "numpy", name=name, params=(("index", template),))
    bind(st, name, version)


def _refuse_repeats(st: Lowering, node, template: tuple, arrays: list) -> None:
    """Refuse an index array that may pick an entry twice: NumPy keeps the last value
    written there, and the others get no gradient, which setitem's VJP does not know.
    Distinct are np.arange(...), a list of distinct ints, and one int (a 0-d index)."""
    if st.code.shapes is None:
        return  # (array code is lowered again with its shapes)
    for entry, atom in zip((e for e in template if e[0] == "arg"), arrays, strict=True):
        if len(entry) > 2 or shape(st, atom) == () or _distinct_literal(st, atom):
            continue
        raise error(st, node, f"{ast.unparse(node)} writes at an index array that may repeat an "
                    "entry, where NumPy keeps only the last value written; write the entries one "
                    "by one in a loop (for k in range(len(idx)): x[idx[k]] = v[k]), or index with "
                    "np.arange(...)")


def _distinct_literal(st: Lowering, atom) -> bool:
    """Whether `atom` is a list of ints written out (`x[[0, 2]]`), no two equal."""
    made = next((e for e in reversed(st.code.eqns) if e.out == atom), None)
    if made is None or made.prim != "stack" or not all(isinstance(a, Const) for a in made.args):
        return False
    values = [a.value for a in made.args]
    return len(set(values)) == len(values)


def _written(st: Lowering, target: ast.Subscript, what: str, after: ast.AST) -> tuple:
    """(the name of the array `target` writes into, its value now), refusing what cannot be
    written: an element of an element, of a list, of a number, or of a shared array."""
    base = target.value
    root = base
    while isinstance(root, ast.Subscript):
        root = root.value
    keyed = any(isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant)
                and isinstance(n.slice.value, str) for n in ast.walk(target))  # (params['W']: a dict's entry)
    if keyed and not isinstance(base, ast.Subscript):
        raise error(st, target, f"{what} to {ast.unparse(target)} changes the dict {ast.unparse(base)} "
                    f"in place, which symdiff does not do; build a new one ({{**{ast.unparse(base)}, "
                    "'key': v}) or use a name of its own")
    held = isinstance(root, ast.Name) and is_container(st.env.get(root.id))
    if isinstance(base, ast.Subscript) and (keyed or held):
        raise error(st, target, f"{what} to {ast.unparse(target)} writes into {ast.unparse(base)}, an "
                    f"entry of {root.id}, which symdiff does not change in place; take the entry out as "
                    f"an array of its own first: w = {ast.unparse(base)}.copy(); w[...] = v")
    if isinstance(base, ast.Subscript):
        raise error(st, target, f"{what} to {ast.unparse(target)} writes into {ast.unparse(base)}, "
                    "an element or view of an array; index once: x[i, j] = v")
    if not isinstance(base, ast.Name):
        raise error(st, target, f"{what} to {ast.unparse(target)} changes a value that is not a "
                    "local array; assign to a local name instead")
    name, value = base.id, st.env.get(base.id)
    if isinstance(value, (ListValue, RunningList)):
        raise error(st, target, f"{what} to an element of the list {name} changes it in place, which "
                    "is not supported; build the list with append or a comprehension, or make it an "
                    "array first (np.array(...))")
    if is_container(value):
        new = f"{{**{name}, 'key': v}}" if isinstance(value, dict) else "a tuple of the new values"
        raise error(st, target, f"{what} to {ast.unparse(target)} changes the "
                    f"{'dict' if isinstance(value, dict) else 'tuple'} {name} in place, which symdiff "
                    f"does not do; build a new one ({new})")
    if not isinstance(value, Var) or (st.code.shapes is not None and shape(st, value) == ()):
        kind = "a constant" if isinstance(value, Const) else "not a local array" if value is None \
            else "a number" if isinstance(value, Var) else "not an array"
        raise error(st, target, f"{what} to {ast.unparse(target)} writes into {name}, which is {kind}; "
                    "write into an array (np.zeros(n), x.copy()) or assign to a new name")
    refuse_shared(st, name, target, f"{what} to {ast.unparse(target)}", after)
    _refuse_outside(st, name, target, f"{what} to {ast.unparse(target)}")
    return name, value


def _refuse_outside(st: Lowering, name: str, node, what: str) -> None:
    """In a helper, refuse writing into an array it did not make: its caller's (a parameter)
    or one of its scope, which the caller would see changed."""
    if len(st.call_stack) > 1 and not assigned_before(st, name, node):
        raise error(st, node, f"{what} writes into {name}, which the helper {st.src.name} was given "
                    f"(a parameter, or a name of the scope around it): the caller's array would "
                    f"change; copy it first in the helper: {name} = {name}.copy()")


_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
            ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}


def _symbol(op: ast.operator) -> str:
    return _SYMBOLS.get(type(op), "?")


_EMITTED = {"_scatter": "scatter_add", "_scatter_add": "scatter_add", "_setitem": "setitem",
            "_additem": "additem"}  # (backend/emit.py's and inplace.py's helpers)


def emitted_helper_call(st: Lowering, node: ast.Call, name: str | None):
    """The equation a helper of generated code was printed from (`_scatter((4, 3),
    np.s_[0], v)` is scatter_add), or None if `node` calls no such helper."""
    func = node.func
    if not isinstance(func, ast.Name) or func.id not in _EMITTED or func.id in st.env:
        return None
    ref = st.src.lookup(func.id)
    if not (isinstance(ref, UserFunction) and ref.key[0].startswith("<symdiff ")) \
            or len(node.args) != 3 or node.keywords or not _is_index(node.args[1]):
        return None
    template, arrays = index_template(st, node.args[1].slice)
    prim = _EMITTED[func.id]
    if prim == "scatter_add":
        size = ast.literal_eval(node.args[0])
        params = (("index", template), ("shape", size), ("distinct", func.id == "_scatter"))
        return emit(st, node, prim, (expr(st, node.args[2]), *arrays), "numpy", name=name, params=params)
    old, new = expr(st, node.args[0]), expr(st, node.args[2])
    return emit(st, node, prim, (old, new, *arrays), "numpy", name=name, params=(("index", template),))


def _is_index(node: ast.expr) -> bool:
    """Whether `node` is `np.s_[...]` (as generated code spells it)."""
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "s_"
