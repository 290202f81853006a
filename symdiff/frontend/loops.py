"""Lowering of `for` loops over range(...) and `while` loops into `loop` equations
(see symdiff/loops.py).

The body is lowered into a function of its own: its parameters are the loop
index, the names the body reassigns that were bound before the loop
(loop-carried: `s = s + x`), and the outer variables it reads; its results are
the carried names at the end of an iteration. After the loop each carried name
is its value after the last iteration (its value before the loop when there is
none); a name first bound inside the body is unbound after it, as its value
would depend on the trip count.

Before that, the loop's syntax is rewritten: a loop over a sequence becomes a
range loop that indexes it, `break` and `continue` become carried flags
(`Jumps`, so the adjoint replays the branches they took), a return inside the
loop becomes a break (`returning_loop`). A loop over a literal tuple, or one that builds a list over a
trip count known now, is written out iteration by iteration instead.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import replace

from ..errors import ShapeError
from ..ir import Const, Func, Param, Var
from .lists import running_lists
from .parse import ConstRef, ConstTuple, FunctionRef, UserFunction
from .scope import constant_tuple, is_builtin_call, user_module_attribute
from .state import Lowering, NeedsShapes, bind, emit, error, expr, shape, statement
from .syntax import at, is_value, own_nodes, returns_somewhere
from .values import ListValue, LocalFunction, RunningList, is_atom


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
    (a return in it was made a break by `returning_loop` already). A loop that
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
    inits = [st.env[n] for n in carried]
    if kind == "while":
        test = expr(st, stmt.test)
        if isinstance(test, Const) and test.folds and not test.value:
            return  # never runs
        inits.append(test)
    body, free = _body(st, stmt, kind, target, carried, inits)
    params = (("body", body), ("carried", len(inits)), ("kind", kind))  # (inits: one per input)
    params += (("cond", len(carried)),) if kind == "while" else ()
    params += (("stop", carried.index(broke)),) if kind == "range" and broke in carried else ()
    loop = emit(st, stmt, "loop", (*bounds, *inits, *free), "op", name="loop", params=params)
    for k, name in enumerate(carried):
        bind(st, name, emit(st, stmt, "pick", (loop,), "op", name=name, params=(("index", k),)))
    for name in assigned:
        if name not in carried:
            st.env.pop(name, None)
            st.unbound[name] = (f"is assigned only inside the loop on line {stmt.lineno}, so its "
                                "value after it depends on the trip count; assign it before the loop")


def _body(st: Lowering, stmt, kind: str, target: str | None, carried: list, inits: list) -> tuple:
    """(the loop's body as a function of the index, the carried values (and, for a while
    loop, the condition) and the outer variables it reads; those outer variables)."""
    index = [Var(st.code.names.fresh(target))] if target is not None else []
    inputs = [Var(st.code.names.fresh(n)) for n in carried]
    inputs += [Var(st.code.names.fresh("looping"))] if kind == "while" else []
    if st.code.shapes is not None:
        for var, init in zip(index + inputs, [Const(0)] * len(index) + inits, strict=True):
            st.code.shapes[var.name] = shape(st, init)
    env = {**st.env, **{target: v for v in index}, **dict(zip(carried, inputs, strict=False))}
    inner = replace(st, code=replace(st.code, eqns=[], values=dict(st.code.values), guard=()), env=env)
    for each in stmt.body:
        statement(inner, each)
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
    """Whether `body` appends to a list bound before it (lists.py)."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and isinstance(node.func.value, ast.Name) and node.func.attr == "append"
               and isinstance(st.env.get(node.func.value.id), (ListValue, RunningList))
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
    """Whether the atoms are numbers or come from shapes (len(xs)) alone."""
    made = {e.out.name: e for e in st.code.eqns}
    todo = list(atoms)
    while todo:
        atom = todo.pop()
        if isinstance(atom, Const):
            continue
        eqn = made.get(atom.name)
        if eqn is None:
            return False
        if eqn.prim != "dim":
            todo.extend(eqn.args)
    return True


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
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    names[name.id] = None
    return list(names)


def _free_vars(eqns, results, bound: set) -> list[Var]:
    """The outer variables `eqns` and `results` read, in order of first use."""
    defined = set(bound) | {e.out.name for e in eqns}
    free: dict[str, Var] = {}
    for atom in [a for e in eqns for a in e.reads] + list(results):
        if isinstance(atom, Var) and atom.name not in defined:
            free.setdefault(atom.name, atom)
    return list(free.values())


def returning_loop(st: Lowering, stmt: ast.For | ast.While, rest: list[ast.stmt]) -> list[ast.stmt]:
    """A loop with a return in it, followed by `rest`, as statements without one:
    each `return v` sets `result = v` and a flag, then breaks (out of every loop up to
    this one); after the loop, `if returned: return result`, then `rest`."""
    returns = sorted((n for n in own_nodes(stmt.body, into_loops=True) if isinstance(n, ast.Return)),
                     key=lambda n: (n.lineno, n.col_offset))
    counts = {len(r.value.elts) if isinstance(r.value, ast.Tuple) else 1 for r in returns}
    if len(counts) != 1 or any(r.value is None for r in returns):
        raise error(st, returns[0], "the returns in this loop return different numbers of values, "
                    "or none; return the same number of values from every return")
    flag = f"returned@{stmt.lineno}"
    count = counts.pop()
    results = [f"result{k if count > 1 else ''}@{stmt.lineno}" for k in range(count)]
    loop = copy.copy(stmt)
    loop.body = _returns_as_breaks(stmt.body, results, flag)
    before = [at(ast.Assign([_store([name])], ast.Constant(value)), stmt)
              for name, value in ((flag, False), *((r, 0.0) for r in results))]
    value = ast.Name(results[0], ast.Load()) if len(results) == 1 else \
        ast.Tuple([ast.Name(r, ast.Load()) for r in results], ast.Load())
    after = at(ast.If(ast.Name(flag, ast.Load()), [at(ast.Return(value), stmt)], []), stmt)
    return [*before, loop, after, *rest]


def _returns_as_breaks(body: list[ast.stmt], results: list[str], flag: str) -> list[ast.stmt]:
    out = []
    for inner in body:
        if isinstance(inner, ast.Return):
            out += [at(ast.Assign([_store(results)], inner.value), inner),
                    at(ast.Assign([_store([flag])], ast.Constant(True)), inner),
                    at(ast.Break(), inner)]
        elif isinstance(inner, ast.If) and returns_somewhere(inner):
            out.append(at(ast.If(inner.test, _returns_as_breaks(inner.body, results, flag),
                                 _returns_as_breaks(inner.orelse, results, flag)), inner))
        elif isinstance(inner, (ast.For, ast.While)) and returns_somewhere(inner):
            loop = copy.copy(inner)
            loop.body = _returns_as_breaks(inner.body, results, flag)
            out += [loop, at(ast.If(ast.Name(flag, ast.Load()), [ast.Break()], []), inner)]
        else:
            out.append(inner)
    return out


def _store(names: list[str]) -> ast.expr:
    elts = [ast.Name(n, ast.Store()) for n in names]
    return elts[0] if len(elts) == 1 else ast.Tuple(elts, ast.Store())


class Jumps:
    """The break and continue statements of one loop, rewritten into flags.

    The flags' names (`broke@LINE`, `skipped@LINE`) are no Python names, so they
    cannot meet the user's; generated code calls them `broke` and `skipped`."""

    def __init__(self, loop: ast.For | ast.While):
        self.loop = loop
        kinds = {type(node) for node in own_nodes(loop.body, into_loops=False)}
        self.broke = f"broke@{loop.lineno}" if ast.Break in kinds else None
        self.skipped = f"skipped@{loop.lineno}" if ast.Continue in kinds else None

    def rewritten(self) -> ast.For | ast.While:
        """The loop without its own break and continue statements (itself if it has none)."""
        if not (self.broke or self.skipped):
            return self.loop
        body = self.block(self.loop.body)
        if self.skipped:
            body = [self.assign(self.skipped, False, self.loop.body[0]), *body]
        test = getattr(self.loop, "test", None)
        if self.broke:  # (a continue skips the rest of its own iteration only)
            body = [at(ast.If(self.running(broke_only=True), body, []), self.loop.body[0])]
            if test is not None:
                test = at(ast.BoolOp(ast.And(), [self.running(broke_only=True), test]), test)
        rewritten = copy.copy(self.loop)
        rewritten.body = body
        if test is not None:
            rewritten.test = test
        return rewritten

    def block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out = []
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, (ast.Break, ast.Continue)):
                out.append(self.assign(self.broke if isinstance(stmt, ast.Break) else self.skipped,
                                       True, stmt))
                return out  # (the rest of the block never runs)
            if isinstance(stmt, ast.If) and any(
                    isinstance(node, (ast.Break, ast.Continue)) for node in own_nodes([stmt], False)):
                out.append(at(ast.If(stmt.test, self.block(stmt.body), self.block(stmt.orelse)), stmt))
                rest = self.block(stmts[i + 1:])
                if rest:
                    out.append(at(ast.If(self.running(), rest, []), stmts[i + 1]))
                return out
            out.append(stmt)
        return out

    def running(self, broke_only: bool = False) -> ast.expr:
        """`not (broke or skipped)`, with the flags this loop has (`not broke`)."""
        flags = [ast.Name(f, ast.Load()) for f in (self.broke, None if broke_only else self.skipped) if f]
        either = flags[0] if len(flags) == 1 else ast.BoolOp(ast.Or(), flags)
        return at(ast.UnaryOp(ast.Not(), either), self.loop)

    @staticmethod
    def assign(flag: str, value: bool, where: ast.AST) -> ast.stmt:
        return at(ast.Assign([ast.Name(flag, ast.Store())], ast.Constant(value)), where)


def reversed_loop(st: Lowering, stmt: ast.For) -> tuple[ast.For, bool]:
    """`for T in reversed(seq):` as a loop forwards over the reversed sequence: a literal
    or module tuple reversed, `range(stop - 1, start - 1, -1)` (any bounds, step 1) or
    the reversed range of constant bounds; and whether a sequence remains to be
    indexed backwards (a parameter, an array's rows)."""
    call = stmt.iter
    if len(call.args) != 1 or call.keywords:
        raise error(st, call, "reversed takes one sequence")
    inner, loop = call.args[0], copy.copy(stmt)
    constants = constant_tuple(st, inner)
    if isinstance(inner, (ast.Tuple, ast.List)):
        loop.iter = at(ast.Tuple(inner.elts[::-1], ast.Load()), inner)
    elif constants is not None:
        loop.iter = at(ast.Tuple([ast.Constant(v) for v in reversed(constants)], ast.Load()), inner)
    elif is_builtin_call(st, inner, "range") and 1 <= len(inner.args) <= 3 and not inner.keywords:
        loop.iter = at(ast.Call(ast.Name("range", ast.Load()), _reversed_bounds(st, inner), []), inner)
    elif is_builtin_call(st, inner, "zip") or is_builtin_call(st, inner, "enumerate"):
        raise error(st, inner, "reversed() of zip or enumerate fails in Python (they are not "
                    "sequences); reverse the sequences inside: zip(reversed(a), reversed(b))")
    else:
        loop.iter = inner
        return loop, True
    return loop, False


def _reversed_bounds(st: Lowering, inner: ast.Call) -> list[ast.expr]:
    """The bounds of the range `reversed(inner)` runs over, `inner` being a range."""
    args = inner.args
    if len(args) == 3 and not _is_literal(args[2], 1):
        try:
            values = range(*(ast.literal_eval(a) for a in args))[::-1]
        except (ValueError, TypeError):
            raise error(st, inner, "reversed(range(start, stop, step)) with a step other than 1 "
                        "needs numbers for its bounds; loop forwards and index "
                        "backwards, or write the reversed range out") from None
        return [ast.Constant(v) for v in (values.start, values.stop, values.step)]
    start = args[0] if len(args) >= 2 else ast.Constant(0)
    stop = args[1] if len(args) >= 2 else args[0]
    return [ast.BinOp(stop, ast.Sub(), ast.Constant(1)), ast.BinOp(start, ast.Sub(), ast.Constant(1)),
            ast.Constant(-1)]


def indexed(st: Lowering, stmt: ast.For, backwards: bool = False) -> tuple[ast.For, bool]:
    """`for T in seq:` as `for i in range(len(seq)): T = seq[i]`; likewise over
    `zip(a, b, ...)` (T = a[i], b[i], ... up to the shortest) and `enumerate(seq,
    start)` (T = i + start, seq[i]). seq is a tuple or an array (its rows), or
    a literal tuple or list inside zip or enumerate: then the loop must be written out
    (the second result), which makes its index a number and `(0.5, 1.5)[i]` an element."""
    index = at(ast.Name(f"index@{stmt.lineno}", ast.Load()), stmt.iter)
    literal: list[ast.expr] = []
    value, sequences = _element(st, stmt.iter, index, stmt, literal)
    lengths = [seq if isinstance(seq, ast.Constant) else ast.Call(ast.Name("len", ast.Load()), [seq], [])
               for seq in sequences]
    stop = lengths[0] if len(lengths) == 1 else ast.Call(ast.Name("min", ast.Load()), lengths, [])
    loop = copy.copy(stmt)
    loop.target = ast.Name(index.id, ast.Store())
    bounds = [ast.BinOp(stop, ast.Sub(), ast.Constant(1)), ast.Constant(-1), ast.Constant(-1)] \
        if backwards else [stop]
    loop.iter = ast.Call(ast.Name("range", ast.Load()), bounds, [])
    loop.body = [*_assignments(stmt.target, value, stmt), *stmt.body]
    for node in (loop.target, loop.iter, value):
        at(node, stmt.iter)
    return loop, bool(literal)


def _element(st: Lowering, node: ast.expr, index: ast.Name, stmt: ast.For, literal: list):
    """The element at `index` of the sequence `node` (in the loop `stmt`), and the sequences
    whose length bounds it; a literal tuple or list met inside zip or enumerate goes to `literal`."""
    if is_builtin_call(st, node, "zip") and node.args and not node.keywords:
        parts = [_element(st, arg, index, stmt, literal) for arg in node.args]
        return ast.Tuple([e for e, _ in parts], ast.Load()), [s for _, seqs in parts for s in seqs]
    if is_builtin_call(st, node, "enumerate") and 1 <= len(node.args) <= 2:
        start = node.args[1] if len(node.args) == 2 else next(
            (k.value for k in node.keywords if k.arg == "start"), None)
        if len(node.keywords) > (start is not None and len(node.args) == 1):
            raise error(st, node, "enumerate takes a sequence and a start here")
        value, seqs = _element(st, node.args[0], index, stmt, literal)
        count = index if start is None else ast.BinOp(index, ast.Add(), start)
        return ast.Tuple([count, value], ast.Load()), seqs
    if isinstance(node, (ast.Tuple, ast.List)) and node is not stmt.iter and not any(
            isinstance(e, ast.Starred) for e in node.elts):
        literal.append(node)
        return ast.Subscript(node, index, ast.Load()), [ast.Constant(len(node.elts))]
    if isinstance(node, (ast.Tuple, ast.List, ast.Call, ast.GeneratorExp, ast.ListComp)):
        what = {ast.GeneratorExp: "a generator expression", ast.ListComp: "a list comprehension",
                ast.Call: "the result of a call"}.get(type(node), "a tuple or list with starred items")
        raise error(st, node, f"this loop runs over {what}; symdiff loops over range(...), "
                    "literal tuples or lists and parameters (tuples, array rows), also "
                    "through zip, enumerate and reversed: pass the sequence as a "
                    "parameter, or loop over range(...) and compute each element")
    return ast.Subscript(node, index, ast.Load()), [node]


def _assignments(target: ast.expr, value: ast.expr, where: ast.AST) -> list[ast.stmt]:
    """`target = value` as assignments of names (a nested tuple target, unpacked)."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Tuple) \
            and len(target.elts) == len(value.elts):  # (else lowering the assignment says so)
        return [a for t, v in zip(target.elts, value.elts, strict=True) for a in _assignments(t, v, where)]
    return [at(ast.Assign([target], value), where)]


def _is_literal(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value
