"""Buffers a range loop writes slot by slot: what the adjoint reads from them needs no tape.

A loop that fills a buffer, `for t in range(1, T): h[t] = f(h[t - 1])`, carries h, and
its body reads h[t - 1] at iteration t. The adjoint needs that read again, and would
record the whole of h on the tape at every iteration (a copy each time). But the slot
t - 1 is written at iteration t - 1 and never after: every later iteration writes
further on. So the value read at iteration t is that slot of h after the loop, which
the adjoint reads instead, and nothing is recorded.

`final_reads` finds the carried values for which this holds: in a range loop with a
known start and a positive known step, the body writes the carried value once per
iteration, `setitem(h, v, t + c_w, ...)`, as the carried result, and reads it only as
`h[t + c_r, ...]` with c_r < c_w (slots behind the one written), none of them negative
(a negative index counts from the end, which later iterations write).
"""

from __future__ import annotations

from ..ir import Const, Eqn, Func, Var


def final_reads(eqn: Eqn, body: Func, carried: list[int], it: int) -> list[int]:
    """The carried indices (among `carried`) whose reads in `body` may read the loop's
    final value instead (see the module docstring)."""
    params = dict(eqn.params)
    if params["kind"] != "range" or params.get("stop") is not None:
        return []
    start, _, step = eqn.args[:3]
    if not (_int(start) and _int(step) and step.value > 0):
        return []
    index = body.params[0].var
    offsets = _offsets(body, index)
    return [j for j in carried if _written_once(body, body.params[it + j].var, j, offsets, start.value)]


def _written_once(body: Func, var: Var, j: int, offsets: dict, start: int) -> bool:
    """Whether `var` is read only behind the slot the body then writes, as its result j."""
    writes = [e for e in body.body if var in e.reads and e.prim == "setitem"]
    reads = [e for e in body.body if var in e.reads and e.prim != "setitem"]
    if len(writes) != 1 or writes[0].out != body.results[j] or writes[0].args[0] != var \
            or var in writes[0].args[1:] or body.results.count(writes[0].out) != 1:
        return False
    if any(writes[0].out in e.reads for e in body.body) or var in body.results:
        return False
    written = _slot(writes[0], 2, offsets)
    if written is None or start + written < 0:
        return False
    for read in reads:
        slot = _slot(read, 1, offsets) if read.prim == "getitem" and read.args[0] == var \
            and var not in read.args[1:] else None
        if slot is None or slot >= written or start + slot < 0:
            return False
    return True


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
