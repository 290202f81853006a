"""Lowering of `for` loops over range(...) and `while` loops into `loop` equations
(see loops.py).

A mixin of `lower._Lowering`. The body is lowered into a function of its own:
its parameters are the loop index, the names the body reassigns that were bound
before the loop (loop-carried: `s = s + x`), and the outer variables it reads;
its results are the carried names at the end of an iteration. After the loop
each carried name is its value after the last iteration (its value before the
loop when there is none); a name first bound inside the body is unbound after
it, as its value would depend on the trip count.

`break` and `continue` become flags before lowering (`_Jumps`): a break
sets `broke`, after which the rest of the body and every later iteration do
nothing (a while loop's condition becomes `not broke and ...`); a continue sets
`skipped`, which guards the rest of this iteration's body. The flags are
ordinary carried truth values, so the adjoint replays the branches they took.
"""

from __future__ import annotations

import ast
import copy

from ..errors import ShapeError
from ..ir import Const, Func, Param, Var
from .parse import ConstRef, ConstTuple, FunctionRef, Unknown, UserFunction
from .syntax import is_value, own_nodes, returns_somewhere
from .values import ListValue, LocalFunction, RunningList, is_atom


class LoopLowering:
    """Methods of `lower._Lowering` for loops (it supplies expr, emit, statement, error)."""

    def statement_For(self, stmt: ast.For):
        if stmt.orelse:
            raise self.error(stmt, "for ... else cannot be differentiated; move the else block after the loop")
        backwards = False
        if self.is_builtin_call(stmt.iter, "reversed"):
            stmt, backwards = self.reversed_loop(stmt)
        if isinstance(stmt.iter, (ast.Tuple, ast.List)):
            self.unrolled(stmt, stmt.iter.elts)
            return
        constants = self.constant_tuple(stmt.iter)
        if constants is not None:  # for c in COEFFICIENTS: a module's tuple of numbers
            self.unrolled(stmt, [_at(ast.Constant(v), stmt.iter) for v in constants])
            return
        written = False
        if not self.is_builtin_call(stmt.iter, "range"):
            stmt, written = self.indexed(stmt, backwards)
        if not isinstance(stmt.target, ast.Name):
            raise self.error(stmt.target, "the loop variable must be one name; unpack inside the body")
        bounds = self.range_bounds(stmt.iter)
        self.loop(stmt, "range", bounds, stmt.target.id, written)

    def statement_While(self, stmt: ast.While):
        if stmt.orelse:
            raise self.error(stmt, "while ... else cannot be differentiated; move the else block after the loop")
        self.loop(stmt, "while", (), None)

    def loop(self, stmt, kind: str, bounds: tuple, target: str | None, written: bool = False):
        """A `loop` equation for `stmt`, and its carried names bound to their final values
        (a return in it was made a break by `returning_loop` already). A loop that builds
        a list, or that `indexed` reads a literal in (`written`), is written out.

        A value returned from inside the loop starts as 0.0 before it; with shapes known
        and an array returned, the loop is lowered again from zeros of the array's shape
        (the shape its return gave in the first attempt)."""
        returned = [n for n in _assigned(stmt.body) if n.startswith("result") and "@" in n]
        if self.shapes is None or not returned:
            return self.loop_once(stmt, kind, bounds, target, written)
        state = (len(self.eqns), dict(self.values), dict(self.env), dict(self.unbound), dict(self.shapes))
        self.returned_shapes = {}
        try:
            return self.loop_once(stmt, kind, bounds, target, written)
        except ShapeError:
            shapes = {n: s for n, s in self.returned_shapes.items() if n in returned and s != ()}
            if not shapes:
                raise
        del self.eqns[state[0]:]
        self.values, self.env, self.unbound, self.shapes = state[1:]
        for name, shape in shapes.items():
            self.bind(name, self.emit(stmt, "zeros", (), "numpy", params=(("shape", shape),)))
        return self.loop_once(stmt, kind, bounds, target, written)

    def loop_once(self, stmt, kind: str, bounds: tuple, target: str | None, written: bool = False):
        after = self.read_after(stmt, kind, target)
        if after is not None:  # `for k in range(n): ...` then k read after the loop: carry it too
            self.bind(after, self.env[target] if is_atom(self.env.get(target)) else bounds[0])
            stmt = copy.copy(stmt)
            stmt.body = [_at(ast.Assign([ast.Name(after, ast.Store())], ast.Name(target, ast.Load())),
                             stmt.body[0]), *stmt.body]
        jumps = _Jumps(stmt)
        if kind == "while" and not jumps.broke:
            test = self.expr(stmt.test)
            if isinstance(test, Const) and test.folds and test.value and _literal(stmt.test):
                raise self.error(stmt, "this while loop never ends (its condition is always true and "
                                 "there is no break); give it a condition on the values it computes")
        if jumps.broke:  # (the continue flag is set anew at the start of each iteration)
            self.bind(jumps.broke, Const(False))
        stmt = jumps.rewritten()
        if (written or self.appends(stmt.body)) and (written or self.trip_count(kind, bounds) is not None):
            self.written_out(stmt, kind, bounds, target, literal=written)
        else:
            if self.appends(stmt.body):  # a trip count only the values tell: running aggregates
                stmt = self.running_lists(stmt)
            self.carried_loop(stmt, kind, bounds, target, jumps.broke)
        if after is not None:
            self.bind(target, self.env.pop(after))

    def returning_loop(self, stmt: ast.For | ast.While, rest: list[ast.stmt]) -> list[ast.stmt]:
        """A loop with a return in it, followed by `rest`, as statements without one:
        each `return v` sets `result = v` and a flag, then breaks (out of every loop up to
        this one); after the loop, `if returned: return result`, then `rest`."""
        returns = sorted((n for n in own_nodes(stmt.body, into_loops=True) if isinstance(n, ast.Return)),
                         key=lambda n: (n.lineno, n.col_offset))
        counts = {len(r.value.elts) if isinstance(r.value, ast.Tuple) else 1 for r in returns}
        if len(counts) != 1 or any(r.value is None for r in returns):
            raise self.error(returns[0], "the returns in this loop return different numbers of values, "
                             "or none; return the same number of values from every return")
        flag = f"returned@{stmt.lineno}"
        count = counts.pop()
        results = [f"result{k if count > 1 else ''}@{stmt.lineno}" for k in range(count)]

        def store(names: list[str]) -> ast.expr:
            elts = [ast.Name(n, ast.Store()) for n in names]
            return elts[0] if len(elts) == 1 else ast.Tuple(elts, ast.Store())

        def rewrite(body: list[ast.stmt]) -> list[ast.stmt]:
            out = []
            for inner in body:
                if isinstance(inner, ast.Return):
                    out += [_at(ast.Assign([store(results)], inner.value), inner),
                            _at(ast.Assign([store([flag])], ast.Constant(True)), inner),
                            _at(ast.Break(), inner)]
                elif isinstance(inner, ast.If) and returns_somewhere(inner):
                    out.append(_at(ast.If(inner.test, rewrite(inner.body), rewrite(inner.orelse)), inner))
                elif isinstance(inner, (ast.For, ast.While)) and returns_somewhere(inner):
                    loop = copy.copy(inner)
                    loop.body = rewrite(inner.body)
                    out += [loop, _at(ast.If(ast.Name(flag, ast.Load()), [ast.Break()], []), inner)]
                else:
                    out.append(inner)
            return out

        loop = copy.copy(stmt)
        loop.body = rewrite(stmt.body)
        before = [_at(ast.Assign([store([name])], ast.Constant(value)), stmt)
                  for name, value in ((flag, False), *((r, 0.0) for r in results))]
        value = ast.Name(results[0], ast.Load()) if len(results) == 1 else \
            ast.Tuple([ast.Name(r, ast.Load()) for r in results], ast.Load())
        after = _at(ast.If(ast.Name(flag, ast.Load()), [_at(ast.Return(value), stmt)], []), stmt)
        return [*before, loop, after, *rest]

    def read_after(self, stmt, kind: str, target: str | None) -> str | None:
        """The name carrying a range loop's variable out of it, if the function reads the
        variable after the loop (and the body does not reassign it); else None."""
        if kind != "range" or target is None or target in _assigned(stmt.body):
            return None
        end = (stmt.end_lineno, stmt.end_col_offset)
        if not any(isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id == target
                   and (node.lineno, node.col_offset) > end for node in ast.walk(self.src.node)):
            return None
        return f"{target}@{stmt.lineno}"

    def carried_loop(self, stmt, kind: str, bounds: tuple, target: str | None, broke: str | None = None):
        """The `loop` equation, its carried names bound to their values after it (a range
        loop that breaks stops after the iteration that sets `broke`)."""
        assigned = _assigned(stmt.body)
        carried = [n for n in assigned if n in self.env and is_atom(self.env[n]) and n != target]
        inits = [self.env[n] for n in carried]
        if kind == "while":
            test = self.expr(stmt.test)
            if isinstance(test, Const) and test.folds and not test.value:
                return  # never runs
            inits.append(test)
        index = [Var(self.names.fresh(target))] if target is not None else []
        inputs = [Var(self.names.fresh(n)) for n in carried]
        inputs += [Var(self.names.fresh("looping"))] if kind == "while" else []
        outer = (self.eqns, self.values, self.guard, self.env)
        if self.shapes is not None:
            for var, init in zip(index + inputs, [Const(0)] * len(index) + inits, strict=True):
                self.shapes[var.name] = self.shape(init)
        self.eqns, self.values, self.guard = [], dict(self.values), ()
        self.env = {**self.env, **{target: v for v in index}, **dict(zip(carried, inputs, strict=False))}
        try:
            for inner in stmt.body:
                self.statement(inner)
            results = tuple(self.env[n] for n in carried)
            results += (self.expr(stmt.test),) if kind == "while" else ()
            body_eqns = tuple(self.eqns)
        finally:
            self.eqns, self.values, self.guard, self.env = outer
        free = _free_vars(body_eqns, results, {v.name for v in index + inputs})
        body = Func(f"loop_{stmt.lineno}", tuple(Param(v) for v in (*index, *inputs, *free)), body_eqns,
                    results, self.src.loc(stmt))
        params = (("body", body), ("carried", len(inputs)), ("kind", kind))
        params += (("cond", len(carried)),) if kind == "while" else ()
        params += (("stop", carried.index(broke)),) if kind == "range" and broke in carried else ()
        loop = self.emit(stmt, "loop", (*bounds, *inits, *free), "op", name="loop", params=params)
        for k, name in enumerate(carried):
            self.bind(name, self.emit(stmt, "pick", (loop,), "op", name=name, params=(("index", k),)))
        for name in assigned:
            if name not in carried:
                self.env.pop(name, None)
                self.unbound[name] = (f"is assigned only inside the loop on line {stmt.lineno}, so its "
                                      "value after it depends on the trip count; assign it before the loop")

    def constant_tuple(self, node: ast.expr) -> tuple | None:
        """The numbers of a module-level tuple `node` names (COEFFS, cfh.COEFFS), or None."""
        if isinstance(node, ast.Name) and node.id not in self.env:
            ref = self.src.lookup(node.id)
        else:
            ref = self.user_module_attribute(node)
        return ref.values if isinstance(ref, ConstTuple) else None

    def unrolled(self, stmt: ast.For, elements: list[ast.expr]):
        """A loop over a literal tuple or list (`for c in (0.5, 2.0):`), written out: the
        target is assigned each element in turn, then the body runs. A function
        (`for g in (math.sin, np.exp):`) is put in place of the target in the body."""
        if any(isinstance(e, ast.Starred) for e in elements):
            raise self.error(stmt.iter, "a starred element in the sequence of a for loop is not "
                             "supported; list the elements one by one")
        jumps = _Jumps(stmt)  # (a return became a break in statements())
        if jumps.broke:
            self.bind(jumps.broke, Const(False))
        stmt = jumps.rewritten()
        for element in elements:
            if isinstance(stmt.target, ast.Name) and self.names_function(element):
                if stmt.target.id in _assigned(stmt.body):
                    raise self.error(stmt.target, "the loop runs over functions and its body rebinds "
                                     f"{stmt.target.id}; use another name in the body")
                for inner in stmt.body:
                    self.statement(_substituted(inner, stmt.target.id, element))
                continue
            self.statement(_at(ast.Assign([stmt.target], element), element))
            for inner in stmt.body:
                self.statement(inner)

    def names_function(self, node: ast.expr) -> bool:
        """Whether `node` names a function (math.sin, a helper, a lambda bound to a name)."""
        if isinstance(node, ast.Attribute):
            return not is_value(node, self.env) and not isinstance(
                self.user_module_attribute(node), (ConstRef, ConstTuple))
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return isinstance(self.env[node.id], LocalFunction)
            return isinstance(self.src.lookup(node.id), (FunctionRef, UserFunction))
        return False

    def appends(self, body: list[ast.stmt]) -> bool:
        """Whether `body` appends to a list bound before it (lower_lists.py)."""
        return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and isinstance(node.func.value, ast.Name) and node.func.attr == "append"
                   and isinstance(self.env.get(node.func.value.id), (ListValue, RunningList))
                   for node in own_nodes(body, into_loops=True))

    def written_out(self, stmt, kind: str, bounds: tuple, target: str | None, literal: bool = False):
        """A loop that appends to a list (or indexes a `literal`), lowered iteration by
        iteration: its trip count must be known now (the list's length is)."""
        known = self.trip_count(kind, bounds)
        if known is None:
            raise self.error(stmt.iter, "zip or enumerate over a literal tuple or list needs a trip "
                             "count symdiff knows; pass the literal as a parameter instead")
        for index in range(*known):
            if target is not None:
                self.bind(target, Const(index))
            for inner in stmt.body:
                self.statement(inner)

    def trip_count(self, kind: str, bounds: tuple) -> tuple | None:
        """The numbers (start, stop, step) of a range loop, None where only the values tell.

        Raises:
            NeedsShapes: the bounds come from shapes (`len(xs)`), not known yet.
        """
        known = [b.value for b in bounds if isinstance(b, Const) and isinstance(b.value, int)]
        if kind == "range" and len(known) != 3 and self.shapes is None and self.from_shapes(bounds):
            raise NeedsShapes(bounds)
        return tuple(known) if kind == "range" and len(known) == 3 else None

    def from_shapes(self, atoms) -> bool:
        """Whether the atoms are numbers or come from shapes (len(xs)) alone."""
        made = {e.out.name: e for e in self.eqns}
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

    def reversed_loop(self, stmt: ast.For) -> tuple[ast.For, bool]:
        """`for T in reversed(seq):` as a loop forwards over the reversed sequence: a literal
        or module tuple reversed, `range(stop - 1, start - 1, -1)` (any bounds, step 1) or
        the reversed range of constant bounds; and whether a sequence remains to be
        indexed backwards (a parameter, an array's rows)."""
        call = stmt.iter
        if len(call.args) != 1 or call.keywords:
            raise self.error(call, "reversed takes one sequence")
        inner, loop = call.args[0], copy.copy(stmt)
        constants = self.constant_tuple(inner)
        if isinstance(inner, (ast.Tuple, ast.List)):
            loop.iter = _at(ast.Tuple(inner.elts[::-1], ast.Load()), inner)
        elif constants is not None:
            loop.iter = _at(ast.Tuple([ast.Constant(v) for v in reversed(constants)], ast.Load()), inner)
        elif self.is_builtin_call(inner, "range") and 1 <= len(inner.args) <= 3 and not inner.keywords:
            args = inner.args
            if len(args) == 3 and not _is_literal(args[2], 1):
                try:
                    values = range(*(ast.literal_eval(a) for a in args))[::-1]
                except (ValueError, TypeError):
                    raise self.error(inner, "reversed(range(start, stop, step)) with a step other than 1 "
                                     "needs numbers for its bounds; loop forwards and index "
                                     "backwards, or write the reversed range out") from None
                bounds = [ast.Constant(v) for v in (values.start, values.stop, values.step)]
            else:
                start = args[0] if len(args) >= 2 else ast.Constant(0)
                stop = args[1] if len(args) >= 2 else args[0]
                bounds = [ast.BinOp(stop, ast.Sub(), ast.Constant(1)), ast.BinOp(start, ast.Sub(), ast.Constant(1)),
                          ast.Constant(-1)]
            loop.iter = _at(ast.Call(ast.Name("range", ast.Load()), bounds, []), inner)
        elif self.is_builtin_call(inner, "zip") or self.is_builtin_call(inner, "enumerate"):
            raise self.error(inner, "reversed() of zip or enumerate fails in Python (they are not "
                             "sequences); reverse the sequences inside: zip(reversed(a), reversed(b))")
        else:
            loop.iter = inner
            return loop, True
        return loop, False

    def indexed(self, stmt: ast.For, backwards: bool = False) -> tuple[ast.For, bool]:
        """`for T in seq:` as `for i in range(len(seq)): T = seq[i]`; likewise over
        `zip(a, b, ...)` (T = a[i], b[i], ... up to the shortest) and `enumerate(seq,
        start)` (T = i + start, seq[i]). seq is a tuple or an array (its rows), or
        a literal tuple or list inside zip or enumerate: then the loop must be written out
        (the second result), which makes its index a number and `(0.5, 1.5)[i]` an element."""
        index = _at(ast.Name(f"index@{stmt.lineno}", ast.Load()), stmt.iter)

        def element(node: ast.expr) -> tuple[ast.expr, list[ast.expr]]:
            """The element at `index` of the sequence `node`, and the sequences whose length bounds it."""
            if self.is_builtin_call(node, "zip") and node.args and not node.keywords:
                parts = [element(arg) for arg in node.args]
                return ast.Tuple([e for e, _ in parts], ast.Load()), [s for _, seqs in parts for s in seqs]
            if self.is_builtin_call(node, "enumerate") and 1 <= len(node.args) <= 2:
                start = node.args[1] if len(node.args) == 2 else next(
                    (k.value for k in node.keywords if k.arg == "start"), None)
                if len(node.keywords) > (start is not None and len(node.args) == 1):
                    raise self.error(node, "enumerate takes a sequence and a start here")
                value, seqs = element(node.args[0])
                count = index if start is None else ast.BinOp(index, ast.Add(), start)
                return ast.Tuple([count, value], ast.Load()), seqs
            if isinstance(node, (ast.Tuple, ast.List)) and node is not stmt.iter and not any(
                    isinstance(e, ast.Starred) for e in node.elts):
                literal.append(node)
                return ast.Subscript(node, index, ast.Load()), [ast.Constant(len(node.elts))]
            if isinstance(node, (ast.Tuple, ast.List, ast.Call, ast.GeneratorExp, ast.ListComp)):
                what = {ast.GeneratorExp: "a generator expression", ast.ListComp: "a list comprehension",
                        ast.Call: "the result of a call"}.get(type(node), "a tuple or list with starred items")
                raise self.error(node, f"this loop runs over {what}; symdiff loops over range(...), "
                                 "literal tuples or lists and parameters (tuples, array rows), also "
                                 "through zip, enumerate and reversed: pass the sequence as a "
                                 "parameter, or loop over range(...) and compute each element")
            return ast.Subscript(node, index, ast.Load()), [node]

        literal: list[ast.expr] = []
        value, sequences = element(stmt.iter)
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
            _at(node, stmt.iter)
        return loop, bool(literal)

    def is_builtin_call(self, node: ast.expr, name: str) -> bool:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
                and name not in self.env):
            return False
        ref = self.src.lookup(name)  # (None from a file read statically: nothing shadows it there)
        return ref is None or (isinstance(ref, Unknown) and ref.what in (f"type {name}", f"builtin {name}"))

    def range_bounds(self, node: ast.expr) -> tuple:
        """(start, stop, step) of `range(...)`."""
        if not (self.is_builtin_call(node, "range") and not node.keywords and 1 <= len(node.args) <= 3):
            raise self.error(node, "range(...) takes one to three positional arguments")
        atoms = [self.expr(a) for a in node.args]
        if len(atoms) == 1:
            return Const(0), atoms[0], Const(1)
        return (atoms[0], atoms[1], atoms[2] if len(atoms) == 3 else Const(1))


class NeedsShapes(Exception):
    """A loop builds a list over a length that only the arguments' shapes tell: the
    function is array code, lowered again with the shapes at its first call."""

    def __init__(self, bounds):
        super().__init__()
        self.bounds = bounds


class _Jumps:
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
            body = [_at(ast.If(self.running(broke_only=True), body, []), self.loop.body[0])]
            if test is not None:
                test = _at(ast.BoolOp(ast.And(), [self.running(broke_only=True), test]), test)
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
                out.append(_at(ast.If(stmt.test, self.block(stmt.body), self.block(stmt.orelse)), stmt))
                rest = self.block(stmts[i + 1:])
                if rest:
                    out.append(_at(ast.If(self.running(), rest, []), stmts[i + 1]))
                return out
            out.append(stmt)
        return out

    def running(self, broke_only: bool = False) -> ast.expr:
        """`not (broke or skipped)`, with the flags this loop has (`not broke`)."""
        flags = [ast.Name(f, ast.Load()) for f in (self.broke, None if broke_only else self.skipped) if f]
        either = flags[0] if len(flags) == 1 else ast.BoolOp(ast.Or(), flags)
        return _at(ast.UnaryOp(ast.Not(), either), self.loop)

    @staticmethod
    def assign(flag: str, value: bool, where: ast.AST) -> ast.stmt:
        return _at(ast.Assign([ast.Name(flag, ast.Store())], ast.Constant(value)), where)


def _assignments(target: ast.expr, value: ast.expr, where: ast.AST) -> list[ast.stmt]:
    """`target = value` as assignments of names (a nested tuple target, unpacked)."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Tuple) \
            and len(target.elts) == len(value.elts):  # (else lowering the assignment says so)
        return [a for t, v in zip(target.elts, value.elts, strict=True) for a in _assignments(t, v, where)]
    return [_at(ast.Assign([target], value), where)]


def _substituted(stmt: ast.stmt, name: str, value: ast.expr) -> ast.stmt:
    """A copy of `stmt` reading `value` wherever it reads `name`."""
    class Substitute(ast.NodeTransformer):
        def visit_Name(self, node):
            if node.id == name and isinstance(node.ctx, ast.Load):
                return ast.copy_location(copy.deepcopy(value), node)
            return node

    return Substitute().visit(copy.deepcopy(stmt))


def _at(node: ast.AST, where: ast.AST) -> ast.AST:
    """`node` (and the nodes in it without a location) placed at `where`'s source location."""
    for inner in ast.walk(node):
        if not hasattr(inner, "lineno"):
            ast.copy_location(inner, where)
    return ast.copy_location(node, where)


def _is_literal(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def _literal(test: ast.expr) -> bool:
    """Whether a while condition is a literal (`while True:`), not a value that is
    constant only at first (`while i < 3:` with `i = 0`)."""
    return isinstance(test, ast.Constant)


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
