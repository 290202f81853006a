"""Lowering of `for` loops over range(...) and `while` loops into `loop` equations
(see symdiff/loops.py).

The body is lowered into a function of its own: its parameters are the loop
index, the names the body reassigns that were bound before the loop
(loop-carried: `s = s + x`), and the outer variables it reads; its results are
the carried names at the end of an iteration. After the loop each carried name
is its value after the last iteration (its value before the loop when there is
none); a name first bound inside the body is unbound after it, as its value
would depend on the trip count.

Before that, desugar.py rewrites the loop's syntax: a loop over a sequence
becomes a range loop that indexes it, `break` and `continue` become carried
flags (so the adjoint replays the branches they took), a return inside the loop
becomes a break. A loop over a literal tuple, or one that builds a list over a
trip count known now, is written out iteration by iteration instead.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import replace

from ..errors import ShapeError
from ..ir import Const, Func, Param, Var
from ..trees import unflatten
from . import containers
from .desugar import Jumps, indexed, reversed_loop
from .lists import running_lists
from .parse import ConstRef, ConstTuple, FunctionRef, UserFunction
from .scope import constant_tuple, is_builtin_call, user_module_attribute
from .state import Lowering, NeedsShapes, bind, emit, error, expr, shape, statement
from .syntax import at, is_value, own_nodes
from .values import DictValue, ListValue, LocalFunction, RunningList, is_atom, is_container


def for_loop(st: Lowering, stmt: ast.For):
    """`for T in ...:` over range(...), a sequence (also zipped, enumerated, reversed), or
    a literal or module tuple (written out)."""
    if stmt.orelse:
        raise error(st, stmt, "for ... else cannot be differentiated; move the else block after the loop")
    backwards = False
    if is_builtin_call(st, stmt.iter, "reversed"):
        stmt, backwards = reversed_loop(st, stmt)
    if isinstance(stmt.iter, (ast.Tuple, ast.List)):
        _unrolled(st, stmt, stmt.iter.elts)
        return
    constants = constant_tuple(st, stmt.iter)
    if constants is not None:  # for c in COEFFICIENTS: a module's tuple of numbers
        _unrolled(st, stmt, [at(ast.Constant(v), stmt.iter) for v in constants])
        return
    written = False
    if not is_builtin_call(st, stmt.iter, "range"):
        stmt, written = indexed(st, stmt, backwards)
    if not isinstance(stmt.target, ast.Name):
        raise error(st, stmt.target, "the loop variable must be one name; unpack inside the body")
    bounds = _range_bounds(st, stmt.iter)
    _loop(st, stmt, "range", bounds, stmt.target.id, written)


def while_loop(st: Lowering, stmt: ast.While):
    """`while test:`."""
    if stmt.orelse:
        raise error(st, stmt, "while ... else cannot be differentiated; move the else block after the loop")
    _loop(st, stmt, "while", (), None)


def _loop(st: Lowering, stmt, kind: str, bounds: tuple, target: str | None, written: bool = False):
    """A `loop` equation for `stmt`, and its carried names bound to their final values
    (a return in it was made a break by `desugar.returning_loop` already). A loop that
    builds a list, or that `indexed` reads a literal in (`written`), is written out.

    A value returned from inside the loop starts as 0.0 before it; with shapes known
    and an array returned, the loop is lowered again from zeros of the array's shape
    (the shape its return gave in the first attempt)."""
    returned = [n for n in _assigned(stmt.body) if n.startswith("result") and "@" in n]
    if st.code.shapes is None or not returned:
        return _loop_once(st, stmt, kind, bounds, target, written)
    saved = _saved(st)
    st.returned_shapes.clear()
    try:
        return _loop_once(st, stmt, kind, bounds, target, written)
    except ShapeError:
        shapes = {n: s for n, s in st.returned_shapes.items() if n in returned and s != ()}
        if not shapes:
            raise
    _restore(st, saved)
    for name, known in shapes.items():
        bind(st, name, emit(st, stmt, "zeros", (), "numpy", params=(("shape", known),)))
    return _loop_once(st, stmt, kind, bounds, target, written)


def _saved(st: Lowering) -> tuple:
    """What lowering a loop changes, to lower it again (`_restore`)."""
    code = st.code
    return len(code.eqns), dict(code.values), dict(st.env), dict(st.unbound), dict(code.shapes)


def _restore(st: Lowering, saved: tuple) -> None:
    """The state as `_saved` saw it. The dicts are restored in place: states that share
    them (an inlined function's, a loop body's) see the restored ones too."""
    code = st.code
    count, values, env, unbound, shapes = saved
    del code.eqns[count:]
    for now, then in ((code.values, values), (st.unbound, unbound), (code.shapes, shapes)):
        now.clear()
        now.update(then)
    st.env = env  # (a new dict: a function defined before the loop keeps the one it closed over)


def _loop_once(st: Lowering, stmt, kind: str, bounds: tuple, target: str | None, written: bool = False):
    after = _read_after(st, stmt, kind, target)
    if after is not None:  # `for k in range(n): ...` then k read after the loop: carry it too
        bind(st, after, st.env[target] if is_atom(st.env.get(target)) else bounds[0])
        stmt = copy.copy(stmt)
        stmt.body = [at(ast.Assign([ast.Name(after, ast.Store())], ast.Name(target, ast.Load())),
                        stmt.body[0]), *stmt.body]
    jumps = Jumps(stmt)
    if kind == "while" and not jumps.broke:
        test = expr(st, stmt.test)
        # (`while True:` as written, not a condition true only at first: `while i < 3:` with i = 0)
        if isinstance(test, Const) and test.folds and test.value and isinstance(stmt.test, ast.Constant):
            raise error(st, stmt, "this while loop never ends (its condition is always true and "
                        "there is no break); give it a condition on the values it computes")
    if jumps.broke:  # (the continue flag is set anew at the start of each iteration)
        bind(st, jumps.broke, Const(False))
    stmt = jumps.rewritten()
    written = written or _indexes_container(st, stmt.body, target)  # layers[i]: i must be known
    if (written or _appends(st, stmt.body)) and (written or _trip_count(st, kind, bounds) is not None):
        _written_out(st, stmt, kind, bounds, target)
    else:
        if _appends(st, stmt.body):  # a trip count only the values tell: running aggregates
            stmt = running_lists(st, stmt)
        _carried_loop(st, stmt, kind, bounds, target, jumps.broke)
    if after is not None:
        bind(st, target, st.env.pop(after))


def _read_after(st: Lowering, stmt, kind: str, target: str | None) -> str | None:
    """The name carrying a range loop's variable out of it, if the function reads the
    variable after the loop (and the body does not reassign it); else None."""
    if kind != "range" or target is None or target in _assigned(stmt.body):
        return None
    end = (stmt.end_lineno, stmt.end_col_offset)
    if not any(isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id == target
               and (node.lineno, node.col_offset) > end for node in ast.walk(st.src.node)):
        return None
    return f"{target}@{stmt.lineno}"


def _carried_loop(st: Lowering, stmt, kind: str, bounds: tuple, target: str | None, broke: str | None = None):
    """The `loop` equation, its carried names bound to their values after it (a range
    loop that breaks stops after the iteration that sets `broke`)."""
    assigned = _assigned(stmt.body)
    carried = [n for n in assigned if n in st.env and is_atom(st.env[n]) and n != target]
    boxes = {n: containers.value_tree(st, stmt, st.env[n]) for n in assigned
             if n in st.env and is_container(st.env[n]) and n != target}  # (carried leaf by leaf)
    for n, (_, leaves) in boxes.items():
        for k, leaf in enumerate(leaves):
            st.env[f"{n}@{k}"] = leaf
        carried += [f"{n}@{k}" for k in range(len(leaves))]
    inits = [st.env[n] for n in carried]
    if kind == "while":
        test = expr(st, stmt.test)
        if isinstance(test, Const) and test.folds and not test.value:
            return  # never runs
        inits.append(test)
    body, free = _body(st, stmt, kind, target, carried, inits, boxes)
    params = (("body", body), ("carried", len(inits)), ("kind", kind))  # (inits: one per input)
    params += (("cond", len(carried)),) if kind == "while" else ()
    params += (("stop", carried.index(broke)),) if kind == "range" and broke in carried else ()
    loop = emit(st, stmt, "loop", (*bounds, *inits, *free), "op", name="loop", params=params)
    for k, name in enumerate(carried):
        bind(st, name, emit(st, stmt, "pick", (loop,), "op", name=name, params=(("index", k),)))
        if isinstance(inits[k], Var):  # (the same array, where the body updates it in place)
            st.code.origins[st.env[name].name] = (inits[k],)
    for n, (tree, leaves) in boxes.items():
        bind(st, n, unflatten(tree, [st.env.pop(f"{n}@{k}") for k in range(len(leaves))], DictValue, ListValue))
    for name in assigned:
        if name not in carried and name not in boxes:
            st.env.pop(name, None)
            st.unbound[name] = (f"is assigned only inside the loop on line {stmt.lineno}, so its "
                                "value after it depends on the trip count; assign it before the loop")


def _body(st: Lowering, stmt, kind: str, target: str | None, carried: list, inits: list, boxes: dict) -> tuple:
    """(the loop's body as a function of the index, the carried values (and, for a while
    loop, the condition) and the outer variables it reads; those outer variables). The
    containers `boxes` (name -> their tree and leaves) are carried as their leaves
    (named `name@k` in `carried`): each iteration must leave them of the same structure."""
    index = [Var(st.code.names.fresh(target))] if target is not None else []
    inputs = [Var(st.code.names.fresh(n)) for n in carried]
    inputs += [Var(st.code.names.fresh("looping"))] if kind == "while" else []
    if st.code.shapes is not None:
        for var, init in zip(index + inputs, [Const(0)] * len(index) + inits, strict=True):
            st.code.shapes[var.name] = shape(st, init)
    env = {**st.env, **{target: v for v in index}, **dict(zip(carried, inputs, strict=False))}
    for var, init in zip(inputs, inits, strict=False):  # (an update in place reaches the initial value)
        if isinstance(init, Var):
            st.code.origins[var.name] = (init,)
    for n, (tree, leaves) in boxes.items():
        env[n] = unflatten(tree, [env[f"{n}@{k}"] for k in range(len(leaves))], DictValue, ListValue)
    inner = replace(st, code=replace(st.code, eqns=[], values=dict(st.code.values), guard=()), env=env)
    for each in stmt.body:
        statement(inner, each)
    for n, (tree, _) in boxes.items():
        found, leaves = containers.value_tree(inner, stmt, inner.env.get(n))
        if found != tree:
            raise error(st, stmt, f"{n} is a container whose structure this loop changes (its "
                        "items, keys or length); keep its structure the same in every iteration")
        inner.env.update((f"{n}@{k}", leaf) for k, leaf in enumerate(leaves))
    results = tuple(inner.env[n] for n in carried)
    results += (expr(inner, stmt.test),) if kind == "while" else ()
    eqns = tuple(inner.code.eqns)
    free = _free_vars(eqns, results, {v.name for v in index + inputs})
    return Func(f"loop_{stmt.lineno}", tuple(Param(v) for v in (*index, *inputs, *free)), eqns,
                results, st.src.loc(stmt)), free


def _unrolled(st: Lowering, stmt: ast.For, elements: list[ast.expr]):
    """A loop over a literal tuple or list (`for c in (0.5, 2.0):`), written out: the
    target is assigned each element in turn, then the body runs. A function
    (`for g in (math.sin, np.exp):`) is put in place of the target in the body."""
    if any(isinstance(e, ast.Starred) for e in elements):
        raise error(st, stmt.iter, "a starred element in the sequence of a for loop is not "
                    "supported; list the elements one by one")
    jumps = Jumps(stmt)  # (a return became a break in statements())
    if jumps.broke:
        bind(st, jumps.broke, Const(False))
    stmt = jumps.rewritten()
    for element in elements:
        if isinstance(stmt.target, ast.Name) and _names_function(st, element):
            if stmt.target.id in _assigned(stmt.body):
                raise error(st, stmt.target, "the loop runs over functions and its body rebinds "
                            f"{stmt.target.id}; use another name in the body")
            for inner in stmt.body:
                statement(st, _substituted(inner, stmt.target.id, element))
            continue
        statement(st, at(ast.Assign([stmt.target], element), element))
        for inner in stmt.body:
            statement(st, inner)


def _names_function(st: Lowering, node: ast.expr) -> bool:
    """Whether `node` names a function (math.sin, a helper, a lambda bound to a name)."""
    if isinstance(node, ast.Attribute):
        return not is_value(node, st.env) and not isinstance(
            user_module_attribute(st, node), (ConstRef, ConstTuple))
    if isinstance(node, ast.Name):
        if node.id in st.env:
            return isinstance(st.env[node.id], LocalFunction)
        return isinstance(st.src.lookup(node.id), (FunctionRef, UserFunction))
    return False


def _appends(st: Lowering, body: list[ast.stmt]) -> bool:
    """Whether `body` appends to a list bound before it (lists.py), or binds such a list's
    name anew (`ys += [y]`, `ys = ys + [y]`)."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and isinstance(node.func.value, ast.Name) and node.func.attr == "append"
               and isinstance(st.env.get(node.func.value.id), (ListValue, RunningList))
               or isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
               and isinstance(st.env.get(node.id), ListValue)
               for node in own_nodes(body, into_loops=True))


def _indexes_container(st: Lowering, body: list[ast.stmt], target: str | None) -> bool:
    """Whether `body` indexes a tuple, list or dict bound before it with the loop's
    variable (`layers[i]`), which only a known index can read (containers.py)."""
    return target is not None and any(
        isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
        and is_container(st.env.get(node.value.id))
        and any(isinstance(n, ast.Name) and n.id == target for n in ast.walk(node.slice))
        for node in own_nodes(body, into_loops=True))


def _written_out(st: Lowering, stmt, kind: str, bounds: tuple, target: str | None):
    """A loop that appends to a list (or indexes a literal), lowered iteration by
    iteration: its trip count must be known now (the list's length is)."""
    known = _trip_count(st, kind, bounds)
    if known is None:
        raise error(st, stmt.iter, "zip or enumerate over a literal tuple or list needs a trip "
                    "count symdiff knows; pass the literal as a parameter instead")
    for index in range(*known):
        if target is not None:
            bind(st, target, Const(index))
        for inner in stmt.body:
            statement(st, inner)


def _trip_count(st: Lowering, kind: str, bounds: tuple) -> tuple | None:
    """The numbers (start, stop, step) of a range loop, None where only the values tell.

    Raises:
        NeedsShapes: the bounds come from shapes (`len(xs)`), not known yet.
    """
    known = [b.value for b in bounds if isinstance(b, Const) and isinstance(b.value, int)]
    if kind == "range" and len(known) != 3 and st.code.shapes is None and _from_shapes(st, bounds):
        raise NeedsShapes(bounds)
    return tuple(known) if kind == "range" and len(known) == 3 else None


def _from_shapes(st: Lowering, atoms) -> bool:
    """Whether the atoms come from shapes (len(xs)) and numbers alone, one shape at least."""
    made = {e.out.name: e for e in st.code.eqns}
    todo, shapes = list(atoms), 0
    while todo:
        atom = todo.pop()
        if isinstance(atom, Const):
            continue
        eqn = made.get(atom.name)
        if eqn is None:
            return False
        shapes += eqn.prim == "dim"
        if eqn.prim != "dim":
            todo.extend(eqn.args)
    return shapes > 0


def _range_bounds(st: Lowering, node: ast.expr) -> tuple:
    """(start, stop, step) of `range(...)`."""
    if not (is_builtin_call(st, node, "range") and not node.keywords and 1 <= len(node.args) <= 3):
        raise error(st, node, "range(...) takes one to three positional arguments")
    atoms = [expr(st, a) for a in node.args]
    if len(atoms) == 1:
        return Const(0), atoms[0], Const(1)
    return (atoms[0], atoms[1], atoms[2] if len(atoms) == 3 else Const(1))


def _substituted(stmt: ast.stmt, name: str, value: ast.expr) -> ast.stmt:
    """A copy of `stmt` reading `value` wherever it reads `name`."""
    class Substitute(ast.NodeTransformer):
        def visit_Name(self, node):
            if node.id == name and isinstance(node.ctx, ast.Load):
                return ast.copy_location(copy.deepcopy(value), node)
            return node

    return Substitute().visit(copy.deepcopy(stmt))


def _assigned(body: list[ast.stmt]) -> list[str]:
    """The names `body` binds, in order of first binding."""
    names: dict[str, None] = {}
    for node in ast.walk(ast.Module(body, [])):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = [node.target]
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        for target in targets:
            for name in ast.walk(_written_name(target)):
                if isinstance(name, ast.Name):
                    names[name.id] = None
    return list(names)


def _written_name(target: ast.expr) -> ast.expr:
    """The name an assignment to `target` rebinds: x for `x[i] = v` (a new version of x)."""
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target


def _free_vars(eqns, results, bound: set) -> list[Var]:
    """The outer variables `eqns` and `results` read, in order of first use."""
    defined = set(bound) | {e.out.name for e in eqns}
    free: dict[str, Var] = {}
    for atom in [a for e in eqns for a in e.reads] + list(results):
        if isinstance(atom, Var) and atom.name not in defined:
            free.setdefault(atom.name, atom)
    return list(free.values())
