"""Adjoints accumulated into the entries read, not into a whole array of zeros.

The adjoint of a read `y = x[index]` is `scatter_add(y_bar)`: zeros of x's shape with
y_bar at index, added to x's adjoint, `x_bar = a + scatter_add(y_bar, index)`, which
costs two arrays of x's size. Where the index picks no entry twice (ints and slices,
or an index array known to be distinct) and `a` has x's shape, the same sum is

    x_bar = additem(a, y_bar, index)      (primitives/updates.py)

which the emitter writes in place where nothing reads `a` after (backend/inplace.py):
`a[index] += y_bar`, a cost of the entries read. In a loop that reads a
buffer slot by slot, that is the difference between O(n) and O(n^2).

Input and output: a simplified function specialized to shapes; the same values.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..analysis import body_shapes, infer_shapes, value_kinds
from ..ir import Eqn, Func, Var, flat_results


def accumulated_scatters(func: Func, shapes: dict, prims, floats: set) -> Func:
    """`func` with each `a + scatter_add(g, index)` as above, in its loops' bodies too,
    where `a` holds floats (an array of ints would cut what is added; `floats`: the
    parameters that are floats)."""
    try:
        known = infer_shapes(func, shapes, prims)
    except (ValueError, KeyError):
        return func  # (reported, located, where the shapes are inferred for the user)
    kinds = value_kinds(func, {p.var.name: "float" if p.var.name in floats else "int" for p in func.params})
    return _block(func, known, prims, kinds)


def _block(func: Func, known: dict, prims, kinds: dict) -> Func:
    uses: dict[str, int] = {}
    for atom in [a for e in func.body for a in e.reads] + list(flat_results(func.results)):
        if isinstance(atom, Var):
            uses[atom.name] = uses.get(atom.name, 0) + 1
    made = {e.out.name: e for e in func.body}
    body: list[Eqn] = []
    dropped: set[str] = set()
    for eqn in func.body:
        if eqn.prim == "loop":
            eqn = _loop(eqn, known, prims, kinds)
        scatter = _scatter_term(eqn, made, uses, known, kinds)
        if scatter is None:
            body.append(eqn)
            continue
        a, s = scatter
        g, *arrays = s.args
        index = dict(s.params)["index"]
        body.append(Eqn(eqn.out, "additem", (a, g, *arrays), "numpy", (("index", index),), eqn.loc, eqn.guard))
        dropped.add(s.out.name)
    return replace(func, body=tuple(e for e in body if e.out.name not in dropped))


def _scatter_term(eqn: Eqn, made: dict, uses: dict, known: dict, kinds: dict):
    """(a, the scatter_add equation) where `eqn` is `a + scatter_add(...)` to rewrite."""
    if eqn.prim != "add" or len(eqn.args) != 2:
        return None
    for a, s in (eqn.args, eqn.args[::-1]):
        scatter = made.get(s.name) if isinstance(s, Var) else None
        if scatter is None or scatter.prim != "scatter_add" or uses.get(s.name) != 1 \
                or scatter.guard != eqn.guard or not isinstance(a, Var) or kinds.get(a.name) != "float":
            continue
        params = dict(scatter.params)
        arrays = [_shape(x, known) for x in scatter.args[1:]]
        repeats = any(entry[0] == "arg" and arrays[entry[1]] != () for entry in params["index"]) \
            and not params.get("distinct")  # (one int from an array, x[idx[k]], repeats nothing)
        if not repeats and known.get(a.name) == tuple(params["shape"]) == known.get(eqn.out.name):
            return a, scatter
    return None


def _loop(eqn: Eqn, known: dict, prims, kinds: dict) -> Eqn:
    params = dict(eqn.params)
    body = params["body"]
    try:
        iteration, rest, _ = body_shapes([_shape(a, known) for a in eqn.args], body, params["kind"], prims)
        inner = infer_shapes(body, dict(zip((p.var.name for p in body.params), (*iteration, *rest),
                                            strict=True)), prims)
    except (ValueError, KeyError, TypeError):
        return eqn
    rewritten = _block(body, inner, prims, kinds)
    return Eqn(eqn.out, eqn.prim, eqn.args, eqn.ns,
               tuple((k, rewritten if k == "body" else v) for k, v in eqn.params), eqn.loc, eqn.guard)


def _shape(atom, known: dict):
    return known[atom.name] if isinstance(atom, Var) else tuple(np.shape(atom.value))
