"""Adjoints accumulated into the entries read, not into a whole array of zeros.

The adjoint of a read `y = x[index]` is `scatter_add(y_bar)`: zeros of x's shape with
y_bar at index, added to x's adjoint, `x_bar = a + scatter_add(y_bar, index)`, which
costs two arrays of x's size. Where the index picks no entry twice (ints and slices,
or an index array known to be distinct) and `a` has x's shape, the same sum is

    x_bar = additem(a, y_bar, index)      (primitives/updates.py)

which the emitter writes in place where nothing reads `a` after (backend/inplace.py):
`a[index] += y_bar`, a cost of the entries read. In a loop that reads a
buffer slot by slot, that is the difference between O(n) and O(n^2). The same
holds for a scatter_add with additems onto it, each read once: the adjoint of
reading x[j] and x[i] in one iteration (`_additem(_scatter(shape, j, u), i, v)`)
added to an accumulator becomes two additems on the accumulator, `a[j] += u;
a[i] += v`.

Input and output: a simplified function specialized to shapes; the same values.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..analysis import body_shapes, infer_shapes, value_kinds
from ..ir import Eqn, Func, Var, flat_results, loop_leading_args


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
    dropped: set[int] = set()  # (the equations rewritten, by id)
    for eqn in func.body:
        if eqn.prim == "loop":
            eqn = _loop(eqn, known, prims, kinds)
        found = _scatter_term(eqn, made, uses, known, kinds)
        if found is None:
            body.append(eqn)
            continue
        a, chain = found  # (a scatter_add, then the additems onto it, each read once)
        for k, step in enumerate(chain):
            g, *arrays = step.args if step.prim == "scatter_add" else step.args[1:]
            out = eqn.out if k == len(chain) - 1 else step.out
            body.append(Eqn(out, "additem", (a, g, *arrays), "numpy", (("index", dict(step.params)["index"]),),
                            eqn.loc, eqn.guard))
            made[out.name] = body[-1]  # (an additem chain, in turn, for a sum read later)
            a = out
        dropped.update(id(step) for step in chain)
    body = [e for e in body if id(e) not in dropped]
    return replace(func, body=tuple(_threaded(body, list(flat_results(func.results)), known, kinds)))


def _threaded(body: list, results: list, known: dict, kinds: dict) -> list:
    """`body` where a loop's carried accumulator starts from zeros and is then added to an
    adjoint `a` (`acc = zeros; for ...: acc[j] += ...; a_1 = a + acc`) starts from `a`
    instead (`for ...: a[j] += ...`): the same sum, without a zeroed array and a sum of
    arrays per run of the loop (per iteration of an outer loop)."""
    while True:
        found = _accumulator(body, results, known, kinds)
        if found is None:
            return body
        loop, j, zeros, pick, total, a = found
        params = dict(loop.params)
        at = loop_leading_args(params["kind"]) + j
        body[body.index(loop)] = replace(loop, args=loop.args[:at] + (a,) + loop.args[at + 1:])
        body[body.index(pick)] = replace(pick, out=total.out)
        body.remove(total)
        body.remove(zeros)


def _accumulator(body: list, results: list, known: dict, kinds: dict):
    """(loop, j, the zeros it starts from, its pick, the sum a + pick, a) of the first
    accumulator `_threaded` rewrites, or None."""
    uses: dict[str, int] = {}
    for atom in [a for e in body for a in e.reads] + results:
        if isinstance(atom, Var):
            uses[atom.name] = uses.get(atom.name, 0) + 1
    position = {e.out.name: i for i, e in enumerate(body)}
    readers = {atom.name: e for e in body for atom in e.reads if isinstance(atom, Var)}
    for i, eqn in enumerate(body):
        if eqn.prim != "loop":
            continue
        params = dict(eqn.params)
        skip = loop_leading_args(params["kind"])
        for j in range(params["carried"]):
            init = eqn.args[skip + j]
            pick = next((e for e in body if e.prim == "pick" and e.args[0] == eqn.out
                         and dict(e.params)["index"] == j), None)
            zeros = body[position[init.name]] if isinstance(init, Var) and init.name in position else None
            total = readers.get(pick.out.name) if pick is not None else None
            if zeros is None or zeros.prim != "zeros" or uses.get(init.name) != 1 or total is None \
                    or total.prim != "add" or uses.get(pick.out.name) != 1 or total.guard != eqn.guard \
                    or not _additive(params, j, eqn.args[skip:]):
                continue
            a = total.args[1] if total.args[0] == pick.out else total.args[0]
            if isinstance(a, Var) and kinds.get(a.name) == "float" and a != pick.out \
                    and known.get(a.name) == known.get(init.name) and position.get(a.name, -1) < i:
                return eqn, j, zeros, pick, total, a
    return None


def _additive(params: dict, j: int, rest: tuple) -> bool:
    """Whether the loop's body only adds to its carried value j: its result is additems
    (or sums) onto the body's parameter, which nothing else reads, and it is not taped."""
    body = params["body"]
    it = len(body.params) - len(rest)
    param = body.params[it + j].var
    if it + j in params.get("record", ()) or j in (params.get("cond"), params.get("stop")):
        return False
    made = {e.out.name: e for e in body.body}
    reads = [a for e in body.body for a in e.reads] + list(flat_results(body.results))
    atom, chain = body.results[j], 0
    while atom != param:
        step = made.get(atom.name) if isinstance(atom, Var) else None
        if step is None or step.prim not in ("additem", "add") or step.guard:
            return False
        atom = step.args[0] if step.prim == "additem" else next((a for a in step.args if a == param or (
            isinstance(a, Var) and made.get(a.name) is not None and made[a.name].prim in ("additem", "add")
            and a in reads)), None)
        if atom is None:
            return False
        chain += 1
    return reads.count(param) == 1 and chain > 0


def _scatter_term(eqn: Eqn, made: dict, uses: dict, known: dict, kinds: dict):
    """(a, [scatter_add, additem, ...]) where `eqn` is `a + s` to rewrite: s a scatter_add
    of an index that repeats no entry, or additems of such indices onto one, each read
    only by the next (`_additem(_scatter(shape, np.s_[j], u), np.s_[i], v)`, the adjoint
    of reading x[i] and x[j])."""
    if eqn.prim != "add" or len(eqn.args) != 2:
        return None
    for a, s in (eqn.args, eqn.args[::-1]):
        if not isinstance(a, Var) or kinds.get(a.name) != "float" or known.get(a.name) != known.get(eqn.out.name):
            continue
        chain = _chain(s, eqn.guard, made, uses, known)
        if chain is not None and known.get(a.name) == tuple(dict(chain[0].params)["shape"]):
            return a, chain
    return None


def _chain(atom, guard, made: dict, uses: dict, known: dict) -> list[Eqn] | None:
    """[scatter_add, additem, ...] ending in `atom`, or None."""
    chain = []
    while True:
        step = made.get(atom.name) if isinstance(atom, Var) else None
        if step is None or step.prim not in ("scatter_add", "additem") or uses.get(atom.name) != 1 \
                or step.guard != guard:
            return None
        params = dict(step.params)
        arrays = [_shape(x, known) for x in step.args[1 if step.prim == "scatter_add" else 2:]]
        repeats = any(entry[0] == "arg" and arrays[entry[1]] != () for entry in params["index"]) \
            and not params.get("distinct")  # (one int from an array, x[idx[k]], repeats nothing)
        if repeats:
            return None
        chain.insert(0, step)
        if step.prim == "scatter_add":
            return chain
        atom = step.args[0]


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
