"""Loops in the IR: the `loop` and `pick` primitives.

A `for` loop is one equation `L = loop(*args, body=B, carried=k, kind=...)`
whose body `B` is a nested `ir.Func`, run once per iteration:

  * kind 'range': args are (start, stop, step, *inits, *free); B's parameters
    are (index, *carried, *free) and its results the carried values at the end
    of the iteration; `record` lists the parameters of B to append to a tape
    each iteration (for the adjoint), made the loop's last output;
  * kind 'while': args are (*inits, *free); B's parameters are (*carried, *free);
    the carried value `cond` (an index) is the loop's condition, computed before
    the loop (its init) and at the end of every iteration;
  * a range loop with a break has `stop`: the index of the carried flag the break
    sets; the loop ends after the iteration that sets it (later ones would do
    nothing: their body is guarded by the flag);
  * kind 'tape': args are (tape, *inits, *free); B's parameters are (*recorded,
    *carried, *free), run over the tape's entries in reverse order. Where the
    forward loop recorded only its index and did not break, the tape is
    `range(start, stop, step)` itself (a `range` equation), counted backwards.

Free variables are B's parameters named as the outer variables they are, so
the emitted loop reads them directly. `y = pick(L, index=j)` is the j-th
carried value after the loop (or the tape, for index 'tape').
"""

from __future__ import annotations

from .ir import Func, evaluate_ir, loop_leading_args


class Shapes(tuple):
    """The shapes of a loop's outputs (a loop's own "shape")."""


def run_loop(args, body: Func, carried: int, kind: str, record=(), run_body=None, cond=None,
             decide=bool, stop=None):
    """The loop's outputs: its carried values, then the tape if it records one.

    `decide` gives a while condition's truth value (symbolic execution decides it
    at the point being checked)."""
    run_body = run_body or (lambda *values: _as_tuple(evaluate_ir(body, *values)))
    if kind == "range":
        first, last, step = (int(a) for a in args[:3])
        rest = args[3:]
        entries = ((i,) for i in range(first, last, step))
    elif kind == "while":
        rest = args
        entries = while_iterations(lambda: decide(state[cond]))
    else:
        rest = args[1:]
        entries = (e if isinstance(e, tuple) else (e,) for e in reversed(args[0]))  # (a range: indices)
    state, free = list(rest[:carried]), list(rest[carried:])
    tape = []
    for entry in entries:
        if record:
            everything = (*entry, *state)
            tape.append(tuple(everything[j] for j in record))
        state = list(run_body(*entry, *state, *free))
        if stop is not None and decide(state[stop]):  # (a break: the rest would do nothing)
            break
    return (*state, tape) if record else tuple(state)


WHILE_LIMIT = 10_000  # iterations after which evaluating a while loop in the IR gives up (never hang;
# verify samples points where the loop may not end: each such point costs this many)


def while_iterations(holds):
    """One () per iteration while `holds()`; ArithmeticError past `WHILE_LIMIT`."""
    count = 0
    while holds():
        count += 1
        if count > WHILE_LIMIT:
            raise ArithmeticError(f"a while loop ran {WHILE_LIMIT} times without ending here")
        yield ()


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def body_shapes(shapes, body: Func, kind: str, prims=None) -> tuple:
    """(the shapes of an iteration's own values, of the carried and free values, and of
    the body's results) given the shapes of a loop's arguments: a range's index is a
    number, a tape's entries have the shapes of what it recorded."""
    from .transforms.reverse import infer_shapes

    iteration = {"range": ((),), "while": ()}.get(kind, tuple(shapes[0]))
    rest = shapes[loop_leading_args(kind):]
    params = dict(zip((p.var.name for p in body.params), (*iteration, *rest), strict=True))
    inner = infer_shapes(body, params, *((prims,) if prims is not None else ()))
    return iteration, rest, [inner[r.name] if hasattr(r, "name") else () for r in body.results]


def loop_shape(*shapes, body, carried, kind, record=(), cond=None, stop=None):
    iteration, rest, results = body_shapes(shapes, body, kind)
    for name, before, after in zip(body.params[len(iteration):], rest, results):
        if tuple(before) != tuple(after):
            raise ValueError(f"the loop changes the shape of {name.var.name} from {before} to "
                             f"{after}; keep a loop-carried value's shape")
    recorded = Shapes(((*iteration, *rest)[j] for j in record))
    return Shapes((*results, recorded) if record else results)


def pick_shape(shapes, index):
    return shapes[-1] if index == "tape" else shapes[index]


def pick(outputs, index):
    return outputs[-1] if index == "tape" else outputs[index]
