"""Which updates the emitter writes in place, and which loops copy an array on entry.

An update `x_1 = setitem(x, v, index=...)` (or additem, `x[index] += v`;
primitives/updates.py) is a new version of x. Printed as a copy,
`x_1 = _setitem(x, index, v)`, it costs a copy of x; printed in place, `x[index] = v`
(x_1 then names the same array), it costs only the entries written. It is written in place where that changes nothing anyone reads:

  * nothing after it reads x (no equation, guard or result of its block);
  * x is an array of the block's own: made in the block by an operation that returns
    a new array (not a view, not a value a helper or a loop returned, not a branch's
    choice), or itself an update of one; or a loop's carried value (below).

A loop's carried value is the body's own when each iteration hands the next one its
own array (the body's result for it is an own array, or the value itself), and the
tape does not record it (the adjoint would read an array changed since). Its initial
value is then updated too: where that is not an array of the function's own that
nothing after the loop reads (a parameter, the caller's array), the loop copies it
once on entry, `h = np.copy(h0)`, and the body writes into the copy. So a buffer
filled in a loop, `h = np.zeros((T, n)); for t ...: h[t] = ...`, is written in
place with no copy per iteration, and the generated code never changes an argument.
"""

from __future__ import annotations

import ast

from ..ir import Func, Var, flat_results, loop_leading_args

UPDATES = ("setitem", "additem")  # (primitives/updates.py)
_NOT_FRESH = frozenset({"cond", "custom", "attr"})  # (a choice of values, a user's function, an attribute)
UPDATE_HELPERS = {"_setitem": '''
def _setitem(array, index, values):
    """A copy of `array` with `values` at `index`: x[index] = values, x left as it was."""
    total = np.copy(array)
    total[index] = values
    return total
''', "_additem": '''
def _additem(array, index, values):
    """A copy of `array` with `values` added at `index`: x[index] += values, x left as it was."""
    total = np.copy(array)
    total[index] += values
    return total
'''}  # (the updates printed as copies, emit.py)
_AUGMENTED = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def update_statement(target: ast.Subscript, value: ast.expr, prim: str) -> ast.stmt:
    """The statement of an update written in place: `x[index] = v`, `x[index] += v` for
    additem (`-= c` for adding a negative number -c), and `x[index] op= v` for
    `x[index] = x[index] op v`."""
    if prim == "additem" and isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub) \
            and isinstance(value.operand, ast.Constant):
        return ast.AugAssign(target, ast.Sub(), value.operand)  # (x - c is x + (-c) exactly)
    if prim == "additem":
        return ast.AugAssign(target, ast.Add(), value)
    read = ast.dump(ast.Subscript(target.value, target.slice, ast.Load()))
    if isinstance(value, ast.BinOp) and isinstance(value.op, _AUGMENTED) and ast.dump(value.left) == read:
        return ast.AugAssign(target, value.op, value.right)
    return ast.Assign([target], value)


def in_place_updates(func: Func, prims) -> tuple[set[str], set[tuple[str, int]], set[str], set[str]]:
    """For `func` and the loops in it: (the outputs of the setitems written in place,
    (loop, carried index) of the loops that copy that initial value on entry, the
    getitems printed as copies, the variables never printed inline: those that read an
    array written in place, which must be read before the write)."""
    decided = (set(), set(), set(), set())
    _block(func, set(), prims, decided)
    return decided


def _block(func: Func, own: set[str], prims, decided: tuple) -> None:
    """Decide the updates of one block; `own` holds its parameters that are its own arrays."""
    written, _, copies, kept = decided
    direct, through, views = _reads(func, prims)
    own = set(own)
    made = {e.out.name: e for e in func.body}
    for i, eqn in enumerate(func.body):
        if eqn.prim == "loop":
            _loop(eqn, i, own, through, prims, decided)
        elif eqn.prim in UPDATES:
            x = eqn.args[0]
            if isinstance(x, Var) and x.name in own and direct.get(x.name, -1) <= i and x not in eqn.args[1:]:
                live = [(v, read) for v, read in views.get(x.name, ()) if through.get(v, -1) > i]
                if all(read for _, read in live):  # (an entry read from x and needed later: copied)
                    written.add(eqn.out.name)
                    copies.update(v for v, _ in live)
                    kept.update(_readers(func, i, x.name, views))
            own.add(eqn.out.name)  # (a copy, or the same own array)
        elif _fresh(eqn, prims) or _handed_back(eqn, made, prims):
            own.add(eqn.out.name)


def _handed_back(eqn, made: dict, prims) -> bool:
    """Whether `eqn` picks a carried value that its loop's body makes or updates (then it
    is the loop's own array: a copy made on entry, or an own initial value nothing else
    reads after the loop, written in place)."""
    loop = made.get(eqn.args[0].name) if eqn.prim == "pick" and isinstance(eqn.args[0], Var) else None
    index = dict(eqn.params)["index"] if loop is not None else None
    if loop is None or loop.prim != "loop" or not isinstance(index, int):
        return False
    body = dict(loop.params)["body"]
    inner = {e.out.name: e for e in body.body}
    result = inner.get(getattr(body.results[index], "name", None))
    return result is not None and (_fresh(result, prims) or _handed_back(result, inner, prims))


def _loop(eqn, i: int, own: set, through: dict, prims, decided: tuple) -> None:
    """Decide the updates in a loop's body, and which initial values it copies on entry."""
    written, copied = decided[:2]
    params = dict(eqn.params)
    body, k = params["body"], params["carried"]
    rest = eqn.args[loop_leading_args(params["kind"]):]
    count = len(body.params) - len(rest)
    recorded = set(params.get("record", ()))
    carried = body.params[count:count + k]
    made = {e.out.name: e for e in body.body}
    results = [made.get(getattr(r, "name", None)) for r in body.results[:k]]
    viewed = any(e is not None and not _fresh(e, prims) and e.prim != "setitem"
                 and not _handed_back(e, made, prims) for e in results)
    # (a carried view of an array the next iteration may write into: then none is the body's,
    # but the arrays the body makes still are, and the loops in it decide their own)
    mine = set() if viewed else {p.var.name for j, p in enumerate(carried) if count + j not in recorded
                                 and (body.results[j] == p.var or results[j] is not None)}
    before = set(written)
    _block(body, mine, prims, decided)
    updated = {e.args[0].name for e in body.body if e.out.name in written - before}
    for j, (param, init) in enumerate(zip(carried, rest[:k], strict=True)):
        if param.var.name in updated and not (
                isinstance(init, Var) and init.name in own and through.get(init.name, -1) <= i
                and list(eqn.args).count(init) == 1):
            copied.add((eqn.out.name, j))


def _fresh(eqn, prims) -> bool:
    """Whether `eqn` returns a new array (or number): not a view, a choice or a call's value."""
    row = prims[eqn.prim]
    return eqn.prim not in _NOT_FRESH and not row.structured and not row.view


def _reads(func: Func, prims) -> tuple[dict, dict, dict]:
    """(variable -> the index of the last equation of `func` that reads it, len(body) for a
    result; the same counting the reads of its views (x[i], x.T, a branch's choice of x);
    variable -> its views, each (view, whether it is x[index], printed as a copy if need be))."""
    direct: dict[str, int] = {}
    views: dict[str, list] = {}
    for i, eqn in enumerate(func.body):
        for atom in eqn.reads:
            if isinstance(atom, Var):
                direct[atom.name] = i
        bases = eqn.args[1:] if eqn.prim == "cond" else eqn.args[:1] if prims[eqn.prim].view else ()
        for base in bases:
            if isinstance(base, Var):
                views.setdefault(base.name, []).append((eqn.out.name, eqn.prim == "getitem"))
    for atom in flat_results(func.results):
        if isinstance(atom, Var):
            direct[atom.name] = len(func.body)
    through = dict(direct)
    for name in reversed([p.var.name for p in func.params] + [e.out.name for e in func.body]):
        for view, _ in views.get(name, ()):
            through[name] = max(through.get(name, -1), through.get(view, -1))
    return direct, through, views


def _readers(func: Func, i: int, name: str, views: dict) -> set[str]:
    """`name`, and the outputs of the equations before the i-th that read it or a view of
    it, directly or through values computed from it, and are read after the i-th (an
    expression printed inline there would read the array after the write)."""
    seen, readers = {name} | _view_closure(name, views), set()
    for e in func.body[:i]:
        if any(isinstance(a, Var) and (a.name in seen or a.name in readers) for a in e.reads):
            readers.add(e.out.name)
    later = {a.name for e in func.body[i + 1:] for a in e.reads if isinstance(a, Var)}
    later |= {a.name for a in flat_results(func.results) if isinstance(a, Var)}
    return {name} | (readers & later)


def _view_closure(name: str, views: dict) -> set[str]:
    found, todo = set(), [name]
    while todo:
        for view, _ in views.get(todo.pop(), ()):
            if view not in found:
                found.add(view)
                todo.append(view)
    return found
