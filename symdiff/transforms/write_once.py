"""Buffers a range loop writes slot by slot: what the adjoint reads from them needs no tape.

A loop that fills a buffer, `for t in range(1, T): h[t] = f(h[t - 1], h[t])`, carries h,
and its body reads h[t - 1] and h[t] at iteration t. The adjoint needs those reads again,
and would record the whole of h on the tape at every iteration (a copy each time). But
the body writes slot t at iteration t and no other: every slot is written once, in order.
So the slot t - 1, behind the one written, holds at iteration t what it holds after the
loop, and the slot t, not yet written, what it held before the loop: the adjoint reads
them there, and nothing is recorded.

`buffer_reads` finds the reads for which this holds: in a range loop with a known start
and a positive known step, the body writes a carried value once per iteration,
`setitem(h, v, t + c_w, ...)`, as that carried result, and reads it only as
`h[t + c, ...]`; a read with c < c_w is the slot's final value, one with c >= c_w its
initial value (a slot ahead is written by a later iteration only). No index may be
negative at the start (it counts from the end, which later iterations write).
"""

from __future__ import annotations

from ..ir import Const, Eqn, Func, Var


def buffer_reads(eqn: Eqn, body: Func, it: int) -> dict[str, tuple[str, int]]:
    """The body's reads of carried buffers the adjoint may read elsewhere (see the module
    docstring): getitem output -> ('final', j) or ('initial', j), j the carried index.
    A carried value is in it with all of its reads, or not at all."""
    params = dict(eqn.params)
    if params["kind"] != "range" or params.get("stop") is not None:
        return {}
    start, _, step = eqn.args[:3]
    if not (_int(start) and _int(step) and step.value > 0):
        return {}
    offsets = _offsets(body, body.params[0].var)
    found: dict[str, tuple[str, int]] = {}
    for j in range(len(body.results)):
        found.update(_slot_reads(body, body.params[it + j].var, j, offsets, start.value))
    return found


def _slot_reads(body: Func, var: Var, j: int, offsets: dict, start: int) -> dict:
    """getitem output -> where the adjoint reads it, for the carried value `var` (result j),
    if the body writes it once per iteration and reads it only at offsets from the index."""
    writes = [e for e in body.body if var in e.reads and e.prim == "setitem"]
    reads = [e for e in body.body if var in e.reads and e.prim != "setitem"]
    if len(writes) != 1 or writes[0].out != body.results[j] or writes[0].args[0] != var \
            or var in writes[0].args[1:] or body.results.count(writes[0].out) != 1:
        return {}
    if any(writes[0].out in e.reads for e in body.body) or var in body.results:
        return {}
    written = _slot(writes[0], 2, offsets)
    if written is None or start + written < 0:
        return {}
    found = {}
    for read in reads:
        slot = _slot(read, 1, offsets) if read.prim == "getitem" and read.args[0] == var \
            and var not in read.args[1:] else None
        if slot is None or start + slot < 0:
            return {}
        found[read.out.name] = ("final" if slot < written else "initial", j)
    return found


def _slot(eqn: Eqn, arrays_from: int, offsets: dict):
    """c where `eqn` (a getitem or setitem) indexes its first axis at t + c, else None."""
    template = dict(eqn.params)["index"]
    if not template or template[0][0] != "arg":
        return None
    atom = eqn.args[arrays_from + template[0][1]]
    return offsets.get(atom.name) if isinstance(atom, Var) else None


def _offsets(body: Func, index: Var) -> dict[str, int]:
    """Variable -> c, for the variables of `body` that hold t + c (t the loop's index)."""
    offsets = {index.name: 0}
    for eqn in body.body:
        if eqn.prim in ("add", "sub") and not eqn.guard and len(eqn.args) == 2:
            x, y = eqn.args
            if isinstance(x, Var) and x.name in offsets and _int(y):
                offsets[eqn.out.name] = offsets[x.name] + (y.value if eqn.prim == "add" else -y.value)
            elif eqn.prim == "add" and isinstance(y, Var) and y.name in offsets and _int(x):
                offsets[eqn.out.name] = offsets[y.name] + x.value
    return offsets


def _int(atom) -> bool:
    return isinstance(atom, Const) and type(atom.value) is int
