"""Lowering of branches: if / elif / else, conditional expressions, and / or /
not, chained comparisons and early returns.

Each branch is lowered under a guard (see ir.py): its equations run only when
the condition has the branch's truth value. After an `if`, every name bound
differently in the two branches is merged by a `cond` equation; a name bound in
one branch only is unbound after it (reading it is an error); a list grown
differently in the two is merged as running aggregates (lists.py). An `if` with
a `return` on some path takes the statements after it into each branch that
does not return, so every path ends in a return, and the function's results are
merged like names.

`and` / `or` keep Python's short circuit: the right operand is lowered under a
guard, unless it is a condition computed only by operations that cannot raise
(comparisons, + - *, abs, max, min, not), which are cheaper run unguarded and
print as `a and b`.
"""

from __future__ import annotations

import ast
import contextlib

from ..ir import Const, atom_key
from ..primitives import PRIMS
from ..trees import unflatten
from . import containers
from .lists import running
from .state import Lowering, bind, emit, error, expr, statement, statements
from .syntax import always_returns
from .values import DictValue, ListValue, RunningList, is_atom

CMPOPS = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge", ast.Eq: "eq", ast.NotEq: "ne"}


@contextlib.contextmanager
def guarded(st: Lowering, cond, polarity: bool):
    """The equations lowered inside run only where `cond` is `polarity`."""
    code = st.code
    code.guard = code.guard + ((cond, polarity),)
    try:
        yield
    finally:
        code.guard = code.guard[:-1]


def merge(st: Lowering, node, cond, a, b, name=None):
    """The value that is `a` where `cond` holds, else `b`."""
    if atom_key(a) == atom_key(b):
        return a
    if _is_true(a) and _is_false(b) and is_condition(st, cond):  # flag = True if c else False
        return cond
    return emit(st, node, "cond", (cond, a, b), name=name)


def if_statement(st: Lowering, stmt: ast.If):
    """An `if` with no return in it: both branches, then merged names."""
    cond = expr(st, stmt.test)
    if _static(cond):
        for inner in stmt.body if cond.value else stmt.orelse:
            statement(st, inner)
        return
    before = st.env
    envs = []
    for polarity, body in ((True, stmt.body), (False, stmt.orelse)):
        st.env = dict(before)
        with guarded(st, cond, polarity):
            for inner in body:
                statement(st, inner)
        envs.append(st.env)
    st.env = dict(before)
    for name in dict.fromkeys([*envs[0], *envs[1]]):
        _merge_name(st, stmt, cond, name, envs)


def _merge_name(st: Lowering, stmt: ast.If, cond, name: str, envs: list):
    """Bind `name` after the if to its merged value, or unbind it, saying why."""
    a, b = envs[0].get(name), envs[1].get(name)
    lists = (ListValue, RunningList)
    if _fixed_container(a) and _fixed_container(b):
        _merge_containers(st, stmt, cond, name, a, b)
    elif isinstance(a, ListValue) and isinstance(b, ListValue) and len(a) == len(b):
        bind(st, name, ListValue(merge(st, stmt, cond, x, y) for x, y in zip(a, b, strict=True)))
    elif isinstance(a, lists) and isinstance(b, lists):  # grown differently: running aggregates
        bind(st, name, _merged_list(st, stmt, cond, name, (a, b), envs))
    elif isinstance(a, lists) or isinstance(b, lists):
        st.env.pop(name, None)
        st.unbound[name] = (f"is a list in only one branch of the if on line {stmt.lineno}; "
                            "make it a list before the if")
    elif a is b and not is_atom(a):  # (a function, bound before the if, both branches keep)
        bind(st, name, a)
    elif a is not None and b is not None and not all(map(is_atom, (a, b))):
        st.env.pop(name, None)
        st.unbound[name] = (f"is a different function in each branch of the if on line {stmt.lineno}; "
                            "call each where it is bound, or choose between their values")
    elif a is None or b is None:
        st.env.pop(name, None)
        st.unbound[name] = (f"is assigned in only one branch of the if on line {stmt.lineno}; "
                            "assign it before the if, or in both branches")
    else:
        bind(st, name, merge(st, stmt, cond, a, b, name))


def _fixed_container(value) -> bool:
    """Whether `value` is a tuple or a dict of values (not a list, which may grow)."""
    return isinstance(value, (tuple, DictValue)) and not isinstance(value, ListValue)


def _merge_containers(st: Lowering, stmt: ast.If, cond, name: str, a, b):
    """A tuple or dict bound in both branches: merged leaf by leaf, if both have one structure."""
    (tree, left), (other, right) = containers.value_tree(st, stmt, a), containers.value_tree(st, stmt, b)
    if tree != other:
        st.env.pop(name, None)
        st.unbound[name] = (f"is a container of another structure in each branch of the if on line "
                            f"{stmt.lineno}; give it the same items (keys, lengths) in both")
        return
    merged = [merge(st, stmt, cond, x, y) for x, y in zip(left, right, strict=True)]
    bind(st, name, unflatten(tree, merged, DictValue, ListValue))


def _merged_list(st: Lowering, stmt: ast.If, cond, name: str, sides: tuple, envs: list) -> RunningList:
    """A list after an if whose branches grew it differently: its running aggregates
    on each side (computed under that side's guard), merged."""
    values, empty = [], False
    for polarity, side, env in zip((True, False), sides, envs, strict=True):
        outer, st.env = st.env, env
        with guarded(st, cond, polarity):
            kept = running(st, name, side, stmt) if isinstance(side, ListValue) else side
        st.env = outer
        values.append({kind: env[held] for kind, held in kept.aggregates.items()})
        empty = empty or kept.empty
    aggregates = {kind: f"{name}_{kind}@list" for kind in values[0]}
    for kind, held in aggregates.items():
        bind(st, held, merge(st, stmt, cond, values[0][kind], values[1][kind], held))
    return RunningList(name, aggregates, empty)


def returning_if(st: Lowering, stmt: ast.If, rest: list[ast.stmt]) -> tuple:
    """An `if` that returns on some path, followed by `rest`: the merged results."""
    branches = [body if always_returns(body) else body + rest for body in (stmt.body, stmt.orelse)]
    cond = expr(st, stmt.test)
    if _static(cond):
        return statements(st, branches[0] if cond.value else branches[1], stmt)
    before = st.env
    results = []
    for polarity, body in zip((True, False), branches, strict=True):
        st.env = dict(before)
        with guarded(st, cond, polarity):
            results.append(statements(st, body, stmt))
    st.env = before
    then_results, else_results = results
    if len(then_results) != len(else_results):
        raise error(st, stmt, f"{st.src.name} returns {len(then_results)} value(s) when this "
                    f"condition holds and {len(else_results)} otherwise; return the same "
                    "number of values on every path")
    name = st.result_name if len(then_results) == 1 else None
    return tuple(merge(st, stmt, cond, a, b, name)
                 for a, b in zip(then_results, else_results, strict=True))


# ---------------------------------------------------------------- expressions

def if_expression(st: Lowering, node: ast.IfExp, name):
    """`a if c else b`."""
    cond = expr(st, node.test)
    if _static(cond):
        return expr(st, node.body if cond.value else node.orelse, name)
    with guarded(st, cond, True):
        a = expr(st, node.body)
    with guarded(st, cond, False):
        b = expr(st, node.orelse)
    return merge(st, node, cond, a, b, name)


def bool_op(st: Lowering, node: ast.BoolOp, name):
    """`a and b and ...`, `a or b or ...`."""
    atom = expr(st, node.values[0])
    op = "and" if isinstance(node.op, ast.And) else "or"
    for i, value in enumerate(node.values[1:], start=2):
        last = i == len(node.values)
        atom = short_circuit(st, node, op, atom, lambda v=value: expr(st, v), name if last else None)
    return atom


def compare(st: Lowering, node: ast.Compare, name):
    """`a < b`, and chains `a < b < c` (b computed once)."""
    operands = [node.left, *node.comparators]
    for op in node.ops:
        if type(op) not in CMPOPS:
            raise error(st, node, "identity and membership tests (is, in) are not supported; "
                        "compare values with <, <=, >, >=, == or !=")
    left = expr(st, operands[0])
    right = expr(st, operands[1])
    result = emit(st, node, CMPOPS[type(node.ops[0])], (left, right),
                  name=name if len(node.ops) == 1 else None)
    for i, op in enumerate(node.ops[1:], start=1):  # a < b < c: a < b and b < c, b computed once
        operands_seen = []

        def compared(left=right, right_node=operands[i + 1], op=op):
            operands_seen.append(expr(st, right_node))
            return emit(st, node, CMPOPS[type(op)], (left, operands_seen[-1]))

        last = i == len(node.ops) - 1
        result = short_circuit(st, node, "and", result, compared, name if last else None)
        if not operands_seen:  # decided while lowering: the rest is not evaluated
            return result
        right = operands_seen[-1]
    return result


def short_circuit(st: Lowering, node, op: str, left, right, name=None):
    """`left and right()` / `left or right()`, with `right()` lowering the right operand."""
    if _static(left):
        return right() if bool(left.value) == (op == "and") else left
    eqns = st.code.eqns
    mark = len(eqns)
    with guarded(st, left, op == "and"):
        value = right()
    made = eqns[mark:]
    if is_condition(st, left) and is_condition(st, value) and all(PRIMS[e.prim].never_raises for e in made):
        eqns[mark:] = [e.with_args(e.args, guard=st.code.guard) for e in made]
        return emit(st, node, op, (left, value), name=name)
    return merge(st, node, left, value, left, name) if op == "and" else \
        merge(st, node, left, left, value, name)


def is_condition(st: Lowering, atom) -> bool:
    """Whether `atom` is a truth value: True/False or a comparison, not, and, or."""
    if isinstance(atom, Const):
        return isinstance(atom.value, bool)
    made = next((e for e in reversed(st.code.eqns) if e.out == atom), None)
    return made is not None and PRIMS[made.prim].kind == "bool"


def _is_true(atom) -> bool:
    return isinstance(atom, Const) and atom.value is True


def _is_false(atom) -> bool:
    return isinstance(atom, Const) and atom.value is False


def _static(atom) -> bool:
    """Whether a condition is known while lowering (a literal or library constant)."""
    return isinstance(atom, Const) and atom.folds
