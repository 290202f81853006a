"""Lowering of branches: if / elif / else, conditional expressions, and / or /
not, chained comparisons and early returns.

A mixin of `lower._Lowering`. Each branch is lowered under a guard (see ir.py):
its equations run only when the condition has the branch's truth value. After
an `if`, every name bound differently in the two branches is merged by a `cond`
equation; a name bound in one branch only is unbound after it (reading it is an
error). An `if` with a `return` on some path takes the statements after it into
each branch that does not return, so every path ends in a return, and the
function's results are merged like names.

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
from .syntax import always_returns
from .values import ListValue, RunningList, is_atom

CMPOPS = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge", ast.Eq: "eq", ast.NotEq: "ne"}
# Operations that cannot raise on numbers: a condition built from them needs no guard.
SAFE = frozenset({"add", "sub", "mul", "neg", "lt", "le", "gt", "ge", "eq", "ne", "not", "and", "or",
                  "abs", "max", "min", "float"})


class BranchLowering:
    """Methods of `lower._Lowering` for branches (it supplies expr, emit, statement, error)."""

    @contextlib.contextmanager
    def guarded(self, cond, polarity: bool):
        self.guard = self.guard + ((cond, polarity),)
        try:
            yield
        finally:
            self.guard = self.guard[:-1]

    def merge(self, node, cond, a, b, name=None):
        """The value that is `a` where `cond` holds, else `b`."""
        if atom_key(a) == atom_key(b):
            return a
        if _is_true(a) and _is_false(b) and self.is_condition(cond):  # flag = True if c else False
            return cond
        return self.emit(node, "cond", (cond, a, b), name=name)

    def statement_If(self, stmt: ast.If):
        """An `if` with no return in it: both branches, then merged names."""
        cond = self.expr(stmt.test)
        if _static(cond):
            for inner in stmt.body if cond.value else stmt.orelse:
                self.statement(inner)
            return
        before = self.env
        envs = []
        for polarity, body in ((True, stmt.body), (False, stmt.orelse)):
            self.env = dict(before)
            with self.guarded(cond, polarity):
                for inner in body:
                    self.statement(inner)
            envs.append(self.env)
        self.env = dict(before)
        then_env, else_env = envs
        for name in dict.fromkeys([*then_env, *else_env]):
            a, b = then_env.get(name), else_env.get(name)
            lists = (ListValue, RunningList)
            if isinstance(a, ListValue) and isinstance(b, ListValue) and len(a) == len(b):
                self.bind(name, ListValue(self.merge(stmt, cond, x, y) for x, y in zip(a, b, strict=True)))
            elif isinstance(a, lists) and isinstance(b, lists):  # grown differently: running aggregates
                self.bind(name, self.merged_list(stmt, cond, name, (a, b), envs))
            elif isinstance(a, lists) or isinstance(b, lists):
                self.env.pop(name, None)
                self.unbound[name] = (f"is a list in only one branch of the if on line {stmt.lineno}; "
                                      "make it a list before the if")
            elif a is None or b is None or (a is not b and not all(map(is_atom, (a, b)))):
                self.env.pop(name, None)  # (or two different functions)
                self.unbound[name] = (f"is assigned in only one branch of the if on line {stmt.lineno}; "
                                      "assign it before the if, or in both branches")
            else:
                self.bind(name, self.merge(stmt, cond, a, b, name))

    def returning_if(self, stmt: ast.If, rest: list[ast.stmt]) -> tuple:
        """An `if` that returns on some path, followed by `rest`: the merged results."""
        branches = [body if always_returns(body) else body + rest for body in (stmt.body, stmt.orelse)]
        cond = self.expr(stmt.test)
        if _static(cond):
            return self.statements(branches[0] if cond.value else branches[1], stmt)
        before = self.env
        results = []
        for polarity, body in zip((True, False), branches, strict=True):
            self.env = dict(before)
            with self.guarded(cond, polarity):
                results.append(self.statements(body, stmt))
        self.env = before
        then_results, else_results = results
        if len(then_results) != len(else_results):
            raise self.error(stmt, f"{self.src.name} returns {len(then_results)} value(s) when this "
                             f"condition holds and {len(else_results)} otherwise; return the same "
                             "number of values on every path")
        name = self.result_name if len(then_results) == 1 else None
        return tuple(self.merge(stmt, cond, a, b, name)
                     for a, b in zip(then_results, else_results, strict=True))

    # ------------------------------------------------------------ expressions
    def expr_IfExp(self, node, name):
        cond = self.expr(node.test)
        if _static(cond):
            return self.expr(node.body if cond.value else node.orelse, name)
        with self.guarded(cond, True):
            a = self.expr(node.body)
        with self.guarded(cond, False):
            b = self.expr(node.orelse)
        return self.merge(node, cond, a, b, name)

    def expr_BoolOp(self, node, name):
        atom = self.expr(node.values[0])
        op = "and" if isinstance(node.op, ast.And) else "or"
        for i, value in enumerate(node.values[1:], start=2):
            last = i == len(node.values)
            atom = self.short_circuit(node, op, atom, lambda v=value: self.expr(v), name if last else None)
        return atom

    def expr_Compare(self, node, name):
        operands = [node.left, *node.comparators]
        for op in node.ops:
            if type(op) not in CMPOPS:
                raise self.error(node, "identity and membership tests (is, in) are not supported; "
                                 "compare values with <, <=, >, >=, == or !=")
        left = self.expr(operands[0])
        right = self.expr(operands[1])
        result = self.emit(node, CMPOPS[type(node.ops[0])], (left, right),
                           name=name if len(node.ops) == 1 else None)
        for i, op in enumerate(node.ops[1:], start=1):  # a < b < c: a < b and b < c, b computed once
            operands_seen = []

            def compare(left=right, right_node=operands[i + 1], op=op):
                operands_seen.append(self.expr(right_node))
                return self.emit(node, CMPOPS[type(op)], (left, operands_seen[-1]))

            last = i == len(node.ops) - 1
            result = self.short_circuit(node, "and", result, compare, name if last else None)
            if not operands_seen:  # decided while lowering: the rest is not evaluated
                return result
            right = operands_seen[-1]
        return result

    def short_circuit(self, node, op: str, left, right, name=None):
        """`left and right()` / `left or right()`, with `right()` lowering the right operand."""
        if _static(left):
            return right() if bool(left.value) == (op == "and") else left
        mark = len(self.eqns)
        with self.guarded(left, op == "and"):
            value = right()
        made = self.eqns[mark:]
        if self.is_condition(left) and self.is_condition(value) and all(e.prim in SAFE for e in made):
            self.eqns[mark:] = [e.with_args(e.args, guard=self.guard) for e in made]
            return self.emit(node, op, (left, value), name=name)
        return self.merge(node, left, value, left, name) if op == "and" else \
            self.merge(node, left, left, value, name)

    def is_condition(self, atom) -> bool:
        """Whether `atom` is a truth value: True/False or a comparison, not, and, or."""
        if isinstance(atom, Const):
            return isinstance(atom.value, bool)
        made = next((e for e in reversed(self.eqns) if e.out == atom), None)
        return made is not None and PRIMS[made.prim].kind == "bool"


def _is_true(atom) -> bool:
    return isinstance(atom, Const) and atom.value is True


def _is_false(atom) -> bool:
    return isinstance(atom, Const) and atom.value is False


def _static(atom) -> bool:
    """Whether a condition is known while lowering (a literal or library constant)."""
    return isinstance(atom, Const) and atom.folds

