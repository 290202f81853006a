"""Comprehensions and generator expressions, lowered as the loops they are.

`[elt for t in seq if c]` (or the generator `(elt for t in seq if c)`) is the loop

    acc = []
    for t in seq:
        if c:
            acc.append(elt)

lowered like any loop that builds a list (loops.py, lists.py): written out where
its trip count is known when symdiff transforms the function, so its value is
the list of its elements (`values.ListValue`); kept as running aggregates
(`values.RunningList`) where only the values tell it. What consumes the
comprehension decides what is kept: `sum(...)`, `math.fsum(...)` and `len(...)`
keep a running sum or length (so `sum(x ** k for k in range(n))`, n an argument,
is a running sum carried by the loop); anything else needs the elements, and a
comprehension whose length the values decide is refused there, at the
comprehension.

The loop targets are renamed `t@LINE:COL` (no Python name: see ir.NameAllocator),
so that, as in Python, they are not bound after the comprehension and cannot meet
the function's own names. The first generator's sequence is read where the
comprehension is, as Python evaluates it.
"""

from __future__ import annotations

import ast
import copy

from .lists import running
from .scope import is_builtin_call
from .state import Lowering, bind, emit, error, expr, statement
from .syntax import at, describe
from .values import ListValue, RunningList

# The builtins whose argument may be a comprehension of any length: what of it they keep.
_AGGREGATES = {"sum": "sum", "len": "len"}


def list_value(st: Lowering, node: ast.ListComp | ast.GeneratorExp, name: str | None = None):
    """The list `node` builds, for a use that needs its elements (`np.array(...)`,
    `ys = [...]` then `ys[i]`): a `ListValue`. Assigned to `name`, a comprehension whose
    length only the values tell is kept as the aggregates the function reads of `name`."""
    accumulator = name if name is not None and name not in _names_in(node) else None
    value = _lowered(st, node, None, accumulator)
    if isinstance(value, RunningList) and accumulator is None:
        raise error(st, node, f"the length of {describe(node)} here only the values tell (a "
                    "trip count that depends on them, or an if filtering on them), so its "
                    "elements cannot be kept; use sum(...) or len(...) of it, or loop over "
                    "range(...) of a number or of a parameter's length")
    return value


def aggregate_call(st: Lowering, node: ast.Call):
    """`sum(genexpr)`, `sum(genexpr, start)`, `math.fsum(genexpr)`, `len([...])` of a
    comprehension of any length: its running sum or length; None for any other call."""
    keep = _aggregate(st, node)
    if keep is None or not node.args or not isinstance(node.args[0], (ast.ListComp, ast.GeneratorExp)):
        return None
    if node.keywords or len(node.args) > (2 if keep == "sum" and isinstance(node.func, ast.Name) else 1):
        raise error(st, node, f"{ast.unparse(node.func)} takes one comprehension here"
                    + (" and a start" if keep == "sum" else ""))
    if keep == "len" and isinstance(node.args[0], ast.GeneratorExp):
        raise error(st, node, "len of a generator fails in Python (a generator has no length); "
                    "take len of a list comprehension, or of the sequence it runs over")
    value = _lowered(st, node.args[0], keep, None)
    total = st.env.pop(value.aggregates[keep])
    if len(node.args) == 2:  # sum(terms, start)
        return emit(st, node, "add", (expr(st, node.args[1]), total))
    return total


def _aggregate(st: Lowering, node: ast.Call) -> str | None:
    """'sum' or 'len' if `node` calls sum, math.fsum or len (unshadowed), else None."""
    func = node.func
    if isinstance(func, ast.Name) and func.id in _AGGREGATES and is_builtin_call(st, node, func.id):
        return _AGGREGATES[func.id]
    if isinstance(func, ast.Attribute) and func.attr == "fsum" and isinstance(func.value, ast.Name) \
            and func.value.id not in st.env and getattr(st.src.lookup(func.value.id), "ns", None) == "math":
        return "sum"
    return None


def _lowered(st: Lowering, node, keep: str | None, accumulator: str | None):
    """Lower the loop `node` is; the list it built (kept as the aggregate `keep`, if given)."""
    _refuse_unsupported(st, node)
    acc = accumulator or f"items@{node.lineno}:{node.col_offset}"
    bind(st, acc, running(st, acc, (), node, reads={keep}) if keep else ListValue(()))
    statement(st, _loop(st, _renamed(node), acc))
    return st.env.pop(acc) if accumulator is None else st.env[acc]


def _refuse_unsupported(st: Lowering, node) -> None:
    for gen in node.generators:
        if gen.is_async:
            raise error(st, node, "an async comprehension cannot be differentiated; use a "
                        "comprehension with for")
    if isinstance(node.elt, (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp)):
        raise error(st, node.elt, f"the elements of this comprehension are lists or tuples "
                    f"({describe(node.elt)}); make each an array, np.array(...), or "
                    "write one comprehension per component")
    for inner in ast.walk(node):
        if isinstance(inner, ast.NamedExpr):
            raise error(st, inner, "the walrus operator := in a comprehension is not supported; "
                        "compute the value in the element itself")


def _loop(st: Lowering, node, acc: str) -> ast.For:
    """The nested loops (and ifs) of the comprehension `node`, appending its element to `acc`."""
    append = ast.Call(ast.Attribute(ast.Name(acc, ast.Load()), "append", ast.Load()), [node.elt], [])
    body: list[ast.stmt] = [at(ast.Expr(at(append, node.elt)), node.elt)]
    for gen in reversed(node.generators):
        for test in reversed(gen.ifs):
            body = [at(ast.If(test, body, []), test)]
        body = [at(ast.For(gen.target, gen.iter, body, []), gen.target)]
    return body[0]


def _renamed(node):
    """A copy of the comprehension `node` with its targets renamed `t@LINE:COL`,
    everywhere but in its first sequence (read outside it)."""
    targets = {n.id for gen in node.generators for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
    renames = {t: f"{t}@{node.lineno}:{node.col_offset}" for t in targets}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, name):
            return ast.copy_location(ast.Name(renames.get(name.id, name.id), name.ctx), name)

    new = copy.deepcopy(node)
    first = new.generators[0].iter
    new.generators[0].iter = ast.Constant(None)  # (not renamed: put back below)
    new = Rename().visit(new)
    new.generators[0].iter = first
    return new


def _names_in(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
