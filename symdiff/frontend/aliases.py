"""Aliasing: which names an update in place would change besides the one written.

Lowering gives every update of an array a new version (updates.py), so only the name
written is rebound. Python changes the array object itself, and every other name bound
to it sees the change: `y = x` then `x[0] = 1`, a view `row = A[0]` then `row[:] = 0`,
a parameter of a helper the caller still holds, a tuple or dict holding it. Versioning the one name would give the
others the old value, a wrong number no one sees; so such an update is refused, located,
saying to copy the array first, where another name that shares its memory is read later
(in a helper, also where the array may be a view at all: its base may be the caller's).

Memory is shared along `Code.origins` (state.py): a view with its base (x[0], x.T,
np.reshape(x, ...), np.asarray(x): the rows marked `view`), a merge of branches with its
two values, a loop's carried value with its initial value, a helper's value with its
arguments (it may return one), an attribute of a method's object with that object. Value numbering never merges
two new arrays (state.FRESH), so `a = np.zeros(3)` and `b = np.zeros(3)` stay apart.
"""

from __future__ import annotations

import ast

from ..ir import Var
from .state import OUTSIDE_ARRAY, Lowering, error
from .values import is_atom


def sharing(st: Lowering, atom) -> set[str]:
    """The variables whose memory `atom` may share, itself included."""
    found, todo = set(), [atom]
    while todo:
        var = todo.pop()
        if isinstance(var, Var) and var.name not in found:
            found.add(var.name)
            todo.extend(st.code.origins.get(var.name, ()))
    return found


def refuse_shared(st: Lowering, name: str, node: ast.AST, what: str, after: ast.AST) -> None:
    """Refuse the update `what` (at `node`, evaluated up to `after`) of the array bound to
    `name` where another name that shares its memory is read after it; in a helper, where
    the array may be a view of another or a branch's choice of arrays at all (the caller
    may hold that array under a name of its own).

    Raises:
        UnsupportedSyntaxError: the update would change an array another name sees.
    """
    if st.code.shapes is None:
        return  # (an update makes array code, lowered again with its shapes: decided then)
    atom = st.env[name]
    if len(st.call_stack) > 1 and isinstance(atom, Var) and st.code.origins.get(atom.name):
        raise error(st, node, f"{what} writes into {name}, which may be a view of another array "
                    f"(an index, .T, a reshape, np.asarray, or a branch's choice of arrays) that the "
                    f"caller of {st.src.name} may hold: the write would change it too; copy it first: "
                    f"{name} = {name}.copy() (or np.array({name}))")
    mine = sharing(st, atom)
    if OUTSIDE_ARRAY.name in mine:
        raise error(st, node, f"{what} writes into {name}, an array of the method's object (self.w): "
                    "a function symdiff differentiates must not change its object; copy it first: "
                    f"{name} = {name}.copy()")
    for other, value in st.env.items():
        shared = any(mine & sharing(st, leaf) for leaf in _leaves(value))
        if other != name and shared and read_later(st, other, after):
            raise error(st, node, f"{what} writes into {name}, and {other} is (or holds) the same array "
                        f"(or a view of it or its base), read later, which the write would change too; copy "
                        f"it first: {name} = {name}.copy() (or np.array({name})) before writing, or "
                        f"{other} = {other}.copy() where {other} is bound")


def _leaves(value) -> list:
    """The atoms of a name's value: itself, or those a tuple, list or dict holds."""
    if is_atom(value):
        return [value]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, tuple):
        return [leaf for v in value for leaf in _leaves(v)]
    return []


def read_later(st: Lowering, name: str, after: ast.AST) -> bool:
    """Whether the source reads `name` after `after`, or in a loop around it before a
    statement of the loop's body rebinds it (the next iteration's read)."""
    end = (after.end_lineno, after.end_col_offset)
    loops = [n for n in ast.walk(st.src.node) if isinstance(n, (ast.For, ast.While)) and _inside(after, n)]
    for read in ast.walk(st.src.node):
        if isinstance(read, ast.Name) and read.id == name and isinstance(read.ctx, ast.Load):
            if (read.lineno, read.col_offset) > end or any(
                    _inside(read, loop) and not _rebound_before(loop, name, read) for loop in loops):
                return True
    return False


def _rebound_before(loop: ast.AST, name: str, read: ast.AST) -> bool:
    """Whether a statement of `loop`'s body before the one holding `read` binds `name`."""
    for stmt in loop.body:
        if _inside(read, stmt):
            return False
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return True
    return False


def assigned_before(st: Lowering, name: str, node: ast.AST) -> bool:
    """Whether the source binds `name` (not as a parameter) before `node`."""
    start = (node.lineno, node.col_offset)
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
               and (n.lineno, n.col_offset) < start for n in ast.walk(st.src.node))


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    return (outer.lineno, outer.col_offset) <= (node.lineno, node.col_offset) and \
        (node.end_lineno, node.end_col_offset) <= (outer.end_lineno, outer.end_col_offset)
