"""Loops rewritten, as syntax, into the forms loops.py lowers.

Each function takes a loop's `ast` node and returns new nodes (the input is never
changed; new nodes carry the source location of what they replace, so errors
still point at the user's code):

    returning_loop  a return inside a loop: `result = v`, a flag, and breaks out of
                    every loop up to this one; after it `if returned: return result`
    Jumps           break and continue: flags (`broke@LINE`, `skipped@LINE`) that
                    guard the rest of the body and, for break, later iterations
    reversed_loop   `for T in reversed(seq)`: a loop forwards over the reversed
                    sequence, or a note that seq must be indexed backwards
    indexed         `for T in seq` (and zip, enumerate): a range loop that indexes
                    (written out where seq is a literal or a local list)
"""

from __future__ import annotations

import ast
import copy

from ..ir import Const
from . import containers
from .scope import constant_tuple, is_builtin_call
from .state import Lowering, bind, error, expr
from .syntax import at, own_nodes, returns_somewhere
from .values import DictValue


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
    index = at(ast.Name(f"index@{stmt.lineno}:{stmt.col_offset}", ast.Load()), stmt.iter)
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


def _element(st: Lowering, node: ast.expr, index: ast.expr, stmt: ast.For, literal: list):
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
    if is_builtin_call(st, node, "reversed") and len(node.args) == 1 and not node.keywords \
            and node is not stmt.iter:  # zip(xs, reversed(ys)): ys indexed from its end
        return _reversed_element(st, node.args[0], index, stmt, literal)
    if isinstance(node, (ast.Tuple, ast.List)) and node is not stmt.iter and not any(
            isinstance(e, ast.Starred) for e in node.elts):
        literal.append(node)
        return ast.Subscript(node, index, ast.Load()), [ast.Constant(len(node.elts))]
    if isinstance(node, (ast.Subscript, ast.Name)) and isinstance(containers.container(st, node), DictValue) \
            or isinstance(node, ast.Call) and containers.dict_view(st, node) is not None:
        held = f"items@{node.lineno}:{node.col_offset}"  # for k in params, params.items(): written out
        viewed = containers.dict_view(st, node) if isinstance(node, ast.Call) else \
            tuple(map(Const, containers.container(st, node)))  # (a dict's keys)
        bind(st, held, viewed)
        literal.append(node)
        return _element(st, at(ast.Name(held, ast.Load()), node), index, stmt, literal)
    if isinstance(node, ast.Subscript) and containers.container(st, node) is not None:
        held = f"items@{node.lineno}:{node.col_offset}"  # for W, b in layers[:-1]: its items now
        bind(st, held, containers.container(st, node))
        literal.append(node)
        return _element(st, at(ast.Name(held, ast.Load()), node), index, stmt, literal)
    if isinstance(node, ast.Name) and isinstance(st.env.get(node.id), tuple) or \
            constant_tuple(st, node) is not None:
        literal.append(node)  # coeffs = [1.0, -2.0]; for c in coeffs: its length is known now
        return ast.Subscript(node, index, ast.Load()), [node]
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):  # for y in (f(v) for v in vs): its elements
        held = f"items@{node.lineno}:{node.col_offset}"
        bind(st, held, expr(st, node))  # (a list of a length known now, or a located error)
        literal.append(node)
        return _element(st, at(ast.Name(held, ast.Load()), node), index, stmt, literal)
    if isinstance(node, (ast.Tuple, ast.List, ast.Call)):
        what = {ast.Call: "the result of a call"}.get(type(node), "a tuple or list with starred items")
        raise error(st, node, f"this loop runs over {what}; symdiff loops over range(...), "
                    "literal tuples or lists, local lists, comprehensions and parameters "
                    "(tuples, array rows), also through zip, enumerate and reversed: pass "
                    "the sequence as a parameter, or loop over range(...) and compute each element")
    return ast.Subscript(node, index, ast.Load()), [node]


def _reversed_element(st: Lowering, inner: ast.expr, index: ast.expr, stmt: ast.For, literal: list):
    """The element at `index` of `reversed(inner)` (inside zip or enumerate), and the
    sequences whose length bounds it."""
    if is_builtin_call(st, inner, "zip") or is_builtin_call(st, inner, "enumerate"):
        raise error(st, inner, "reversed() of zip or enumerate fails in Python (they are not "
                    "sequences); reverse the sequences inside: zip(reversed(a), reversed(b))")
    _, sequences = _element(st, inner, index, stmt, literal)
    length = sequences[0] if isinstance(sequences[0], ast.Constant) else \
        ast.Call(ast.Name("len", ast.Load()), [sequences[0]], [])
    backwards = at(ast.BinOp(ast.BinOp(length, ast.Sub(), ast.Constant(1)), ast.Sub(), index), inner)
    return _element(st, inner, backwards, stmt, literal)[0], sequences


def _assignments(target: ast.expr, value: ast.expr, where: ast.AST) -> list[ast.stmt]:
    """`target = value` as assignments of names (a nested tuple target, unpacked)."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Tuple) \
            and len(target.elts) == len(value.elts):  # (else lowering the assignment says so)
        return [a for t, v in zip(target.elts, value.elts, strict=True) for a in _assignments(t, v, where)]
    return [at(ast.Assign([target], value), where)]


def _is_literal(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value
