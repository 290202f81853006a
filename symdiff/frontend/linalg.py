"""Lowering of the np.linalg functions that return several values: slogdet, eigh, svd,
qr, lstsq.

Each value is a row of its own (`Prim.output`: value i of n); a call lowers to one
equation per value, on the same arguments and parameters, and its result is the
tuple of them (values.py), which `s, ld = np.linalg.slogdet(a)` unpacks and
`np.linalg.slogdet(a)[1]` indexes (`item`). The values nothing reads are removed
with the dead code; those read are printed as one call (backend/emit.py). The
singular values alone (`compute_uv=False`) are those of the reduced svd: its vectors
are what their derivatives read, and so it is computed once.

Refused, with what to write instead: svd's vectors with full_matrices=True of a
non-square matrix (the extra vectors are not unique, they have no derivative), qr
of a wide matrix or in another mode than 'reduced', and lstsq's values other than
its solution.
"""

from __future__ import annotations

import ast

from ..errors import ShapeError, SymdiffError
from ..ir import Const
from ..primitives import PRIMS, ROWS
from .arrays import literal, static_params
from .library import call, callee
from .state import Lowering, emit, error, expr, shape
from .syntax import is_value

# the spelling of each function returning several values -> its rows, in order
SEVERAL = {}
for _row in ROWS:
    if _row.output:
        SEVERAL.setdefault(_row.spelling["numpy"], []).append(_row)
for _rows in SEVERAL.values():
    _rows.sort(key=lambda r: r.output[0])

_LSTSQ_REST = "residuals, rank and singular values"


def _library_function(st: Lowering, call_node) -> tuple | None:
    """(primitive, namespace, spelling) of a call of a library function returning several
    values (its rows' first), else None."""
    if not (isinstance(call_node, ast.Call) and isinstance(call_node.func, ast.Attribute)
            and not is_value(call_node.func.value, st.env)):
        return None
    try:
        found = callee(st, call_node.func)
    except SymdiffError:
        return None  # (not a library function: lowering the call says so)
    return found if PRIMS[found[0]].output else None


def several(st: Lowering, node: ast.Call, name):
    """The values of `np.linalg.slogdet(a)` (eigh, svd, qr, lstsq): a tuple of atoms;
    None for a call of another function."""
    found = _library_function(st, node)
    if found is None:
        return None
    prim, ns, spelled = found
    positional = list(node.args)
    row = PRIMS[prim]
    rows = SEVERAL[row.spelling[ns]]
    params = dict(static_params(st, node, row, spelled, positional[row.arity:]))
    if len(positional) < row.arity:
        raise error(st, node, f"{spelled} takes {row.arity} array argument(s), got {len(positional)}")
    args = [expr(st, a) for a in positional[:row.arity]]
    if rows[0].name == "svd_u":
        if params.pop("compute_uv", True) is False:  # the values alone: of the svd the derivatives need
            return call(st, node, "svd_s", ns, spelled, args, name, (("full_matrices", False),))
        _refuse_full_matrices(st, node, spelled, args[0], params)
    if rows[0].name == "qr_q":
        _refuse_qr(st, node, spelled, args[0], params)
    if rows[0].name == "lstsq":
        _refuse_lstsq_rest(st, node, spelled)
    count = row.output[1]
    names = st.unpacked if len(st.unpacked) == count else [None] * count
    by_index = {value.output[0]: value for value in rows}
    # (lstsq's values but its solution have no row: refused where read, _refuse_lstsq_rest, item)
    return tuple(emit(st, node, by_index[i].name, args, ns, name=target, params=tuple(params.items()))
                 if i in by_index else Const(None) for i, target in enumerate(names))


def _refuse_full_matrices(st: Lowering, node, spelled: str, a, params: dict):
    if st.code.shapes is None or not params.get("full_matrices", True):
        return
    m, n = shape(st, a)[-2:]
    if m != n:
        raise error(st, node, f"{spelled} with full_matrices=True (the default) of a {m} x {n} matrix "
                    "returns singular vectors beyond the first min(m, n), which are not unique and "
                    "have no derivative; pass full_matrices=False (or compute_uv=False for the "
                    "singular values alone)", ShapeError)


def _refuse_qr(st: Lowering, node, spelled: str, a, params: dict):
    if params.get("mode", "reduced") != "reduced":
        raise error(st, node, f"{spelled} with mode={params['mode']!r} is not supported; use the "
                    "default mode='reduced' (Q and R)")
    if st.code.shapes is not None:
        m, n = shape(st, a)[-2:]
        if m < n:
            raise error(st, node, f"{spelled} of a wide {m} x {n} matrix: its R is not invertible "
                        "and its derivative is not supported; decompose a matrix with at least as "
                        "many rows as columns (the transpose)", ShapeError)


def _refuse_lstsq_rest(st: Lowering, node, spelled: str):
    if any(target is None or not target.startswith("_") for target in st.unpacked[1:]):
        raise error(st, node, f"{spelled}: only its solution (the first value) is supported, not its "
                    f"{_LSTSQ_REST}; unpack those into _ (x, _, _, _ = {spelled}(a, b, rcond=None)) "
                    "and compute the residuals from x, np.sum((a @ x - b) ** 2, axis=0)")


def item(st: Lowering, node: ast.Subscript):
    """`np.linalg.slogdet(a)[1]`: one of the values of a call returning several; None
    for other subscripts."""
    call_node = node.value
    found = _library_function(st, call_node)
    if found is None:
        return None
    prim, ns, spelled = found
    index = literal(st, node.slice, "index")
    count = PRIMS[prim].output[1]
    if type(index) is not int or not -count <= index < count:
        raise error(st, node, f"{spelled}(...) returns {count} values; index it with an int from 0 "
                    f"to {count - 1}, or unpack them")
    if prim == "lstsq" and index % count:
        raise error(st, node, f"{spelled}(...)[{index}]: only its solution, [0], is supported, not "
                    f"its {_LSTSQ_REST}; compute the residuals from the solution x, "
                    "np.sum((a @ x - b) ** 2, axis=0)")
    values = expr(st, call_node)
    if not isinstance(values, tuple):  # (svd with compute_uv=False: the values alone, an array)
        return None
    return values[index]
