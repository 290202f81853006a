"""Lists as accumulators: `ys = []`, `ys.append(y)` in a loop, then `np.stack(ys)`,
`np.array(ys)`, `sum(ys)`, `ys[-1]` or `len(ys)`.

A mixin of `lower._Lowering`. While lowering, a list is a `ListValue`: the tuple
of the values appended so far, each an atom of the IR; `append` binds the name
to a longer one. No list reaches the generated code: reading one gives its
elements (stacked, summed, or one of them). A loop that appends to a list bound
before it is written out iteration by iteration (lower_loops.py) where its trip
count is known when symdiff transforms the function.

Where only the values tell the list's length (a loop of unknown trip count
appends to it, or one branch of an `if` does), it becomes a `RunningList`: the
names of the aggregates the function reads, `ys_sum`, `ys_last`, `ys_len`,
carried by the loop and merged after the `if` like any other variable. Other
reads of such a list are refused.
"""

from __future__ import annotations

import ast
import copy

from ..ir import Const
from ..primitives import PRIMS
from .syntax import is_value, own_nodes
from .values import ListValue, RunningList


def list_reads(tree: ast.AST, name: str) -> set[str]:
    """How `tree` reads the list `name`: 'sum' (sum(name)), 'last' (name[-1]), 'len'."""
    reads = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("sum", "len") \
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            reads.add(node.func.id)
        elif _is_last(node, name):
            reads.add("last")
    return reads


def _is_last(node, name: str) -> bool:
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name \
        and isinstance(node.slice, ast.UnaryOp) and isinstance(node.slice.op, ast.USub) \
        and isinstance(node.slice.operand, ast.Constant) and node.slice.operand.value == 1


def _advice(name: str) -> str:
    return (f"{name} is built where its length only the values tell (a loop whose trip count "
            "depends on them, or an append in one branch of an if), so symdiff keeps only its sum, "
            f"last element and length; read it with sum({name}), {name}[-1] or len({name}), or "
            "build it in a loop over range(...) of a number or a length")


class _Running(ast.NodeTransformer):
    """A loop body with `ys.append(v)` updating the running aggregates of ys, and
    sum(ys), ys[-1], len(ys) reading them; any other read of ys is refused."""

    def __init__(self, lowering, lists: dict):
        self.lowering, self.lists = lowering, lists  # name -> RunningList

    def visit_Expr(self, node):
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append" \
                and isinstance(call.func.value, ast.Name) and call.func.value.id in self.lists \
                and len(call.args) == 1 and not call.keywords:
            running = self.lists[call.func.value.id]
            new = f"{running.name}_new@list"
            value = self.visit(call.args[0])
            updates = [ast.Assign([ast.Name(new, ast.Store())], value)]
            step = {"sum": ast.BinOp(ast.Name(running.aggregates.get("sum"), ast.Load()), ast.Add(),
                                     ast.Name(new, ast.Load())),
                    "last": ast.Name(new, ast.Load()),
                    "len": ast.BinOp(ast.Name(running.aggregates.get("len"), ast.Load()), ast.Add(),
                                     ast.Constant(1))}
            for kind, held in running.aggregates.items():
                updates.append(ast.Assign([ast.Name(held, ast.Store())], step[kind]))
            return [ast.copy_location(u, node) for u in updates]
        return self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in ("sum", "len") and len(node.args) == 1 \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in self.lists:
            return ast.copy_location(ast.Name(self.lists[node.args[0].id].aggregates[node.func.id],
                                              ast.Load()), node)
        return self.generic_visit(node)

    def visit_Subscript(self, node):
        running = self.lists.get(getattr(node.value, "id", None))
        if running is not None and _is_last(node, running.name):
            if running.empty:
                raise self.lowering.error(node, f"{running.name}[-1] reads a list that is empty before "
                                          "this loop; start the list with a first element, or keep the "
                                          "last value in a variable")
            return ast.copy_location(ast.Name(running.aggregates["last"], ast.Load()), node)
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.lists:
            raise self.lowering.error(node, _advice(node.id))
        return node


# NumPy functions that read a list of values as one array: np.stack(ys) and np.array(ys).
_STACKING = {"stack", "array", "asarray"}


class ListLowering:
    """Methods of `lower._Lowering` for lists (it supplies expr, emit, call, error)."""

    def statement_append(self, stmt: ast.Expr) -> bool:
        """Lower `ys.append(y)` where ys is a list being built; whether `stmt` was one."""
        call = stmt.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and self.listed(call.func.value) is not None):
            return False
        if call.func.attr != "append" or len(call.args) != 1 or call.keywords:
            raise self.error(call, f"list.{call.func.attr}(...) is not supported; build the list "
                             "with append(value) alone")
        value = self.expr(call.args[0])
        if isinstance(value, (tuple, ListValue, RunningList)):
            raise self.error(call.args[0], "append one number or array at a time")
        name = call.func.value.id
        running = self.env[name]
        if isinstance(running, ListValue):
            self.bind(name, ListValue((*running, value)))
            return True
        for kind, held in running.aggregates.items():
            if kind == "last":
                self.bind(held, value)
            else:
                self.bind(held, self.emit(call, "add", (self.env[held], value if kind == "sum" else Const(1))))
        self.bind(name, RunningList(name, running.aggregates, empty=False))
        return True

    def running_lists(self, loop: ast.For | ast.While) -> ast.For | ast.While:
        """`loop`, which appends to lists and whose trip count only the values tell,
        with those lists kept as running aggregates (see RunningList) it carries."""
        lists = {}
        for node in own_nodes(loop.body, into_loops=True):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in self.env:
                name = node.func.value.id
                value = self.env[name]
                if isinstance(value, ListValue):
                    value = self.running(name, value)
                if isinstance(value, RunningList):
                    lists[name] = value
        loop = copy.deepcopy(loop)
        loop.body = [new for stmt in loop.body for new in _as_list(_Running(self, lists).visit(stmt))]
        for name, running in lists.items():  # (it will have an element after the loop only if it has one now)
            self.bind(name, running)
        return loop

    def running(self, name: str, elements, node=None) -> RunningList:
        """The list `elements` as running aggregates: those the function reads."""
        aggregates = {kind: f"{name}_{kind}@list" for kind in sorted(list_reads(self.src.node, name))}
        for kind, held in aggregates.items():
            if kind == "sum":
                total = Const(0)  # (Python's sum starts from the int 0)
                for element in elements:
                    total = self.emit(node or self.src.node, "add", (total, element))
                self.bind(held, total)
            elif kind == "last":
                self.bind(held, elements[-1] if elements else Const(0.0))  # (never read while empty)
            else:
                self.bind(held, Const(len(elements)))
        return RunningList(name, aggregates, empty=not elements)

    def merged_list(self, stmt: ast.If, cond, name: str, sides: tuple, envs: list) -> RunningList:
        """A list after an if whose branches grew it differently: its running aggregates
        on each side (computed under that side's guard), merged."""
        values, empty = [], False
        for polarity, side, env in zip((True, False), sides, envs, strict=True):
            outer, self.env = self.env, env
            with self.guarded(cond, polarity):
                running = self.running(name, side, stmt) if isinstance(side, ListValue) else side
            self.env = outer
            values.append({kind: env[held] for kind, held in running.aggregates.items()})
            empty = empty or running.empty
        aggregates = {kind: f"{name}_{kind}@list" for kind in values[0]}
        for kind, held in aggregates.items():
            self.bind(held, self.merge(stmt, cond, values[0][kind], values[1][kind], held))
        return RunningList(name, aggregates, empty)

    def list_display(self, node: ast.List | ast.Tuple) -> ListValue:
        """`[a, b]` assigned to a name (a list to append to), or given to np.array."""
        elements = []
        for element in node.elts:
            value = self.expr(element)
            if isinstance(value, (tuple, ListValue)) or isinstance(element, ast.Starred):
                raise self.error(element, "a list holds numbers or arrays here; nested lists and "
                                 "starred elements are not supported")
            elements.append(value)
        return ListValue(elements)

    def listed(self, node) -> ListValue | None:
        """The list `node` names, if it names one (a name unbound after an if or a loop
        gets its located error here, which says why)."""
        if isinstance(node, ast.Name) and node.id in self.unbound:
            self.expr(node)
        if isinstance(node, ast.Name) and isinstance(self.env.get(node.id), (ListValue, RunningList)):
            return self.env[node.id]
        return None

    def list_call(self, node: ast.Call, name):
        """np.stack(ys), np.array(ys), sum(ys), len(ys) of a list being built, or None."""
        func = node.func
        if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) and isinstance(func, ast.Attribute) \
                and func.attr in ("array", "asarray") and not is_value(func.value, self.env):
            elements = self.list_display(node.args[0])  # np.array([1.0, 2.0, x])
        elif node.args and self.listed(node.args[0]) is not None:
            elements = self.listed(node.args[0])
        else:
            return None
        spelled = ast.unparse(func)
        if isinstance(elements, RunningList):
            if isinstance(func, ast.Name) and func.id in ("sum", "len") and func.id not in self.env \
                    and len(node.args) == 1 and not node.keywords and func.id in elements.aggregates:
                return self.env[elements.aggregates[func.id]]
            raise self.error(node, f"{spelled}({elements.name}): " + _advice(elements.name))
        if isinstance(func, ast.Name) and func.id in ("sum", "len") and func.id not in self.env \
                and len(node.args) == 1 and not node.keywords:
            if func.id == "len":
                return Const(len(elements))
            total = Const(0)  # (Python's sum starts from the int 0)
            for element in elements:
                total = self.emit(node, "add", (total, element))
            return total
        if isinstance(func, ast.Attribute) and func.attr in _STACKING and not is_value(func.value, self.env):
            if not elements:
                raise self.error(node, f"{spelled} of an empty list has no shape to differentiate; "
                                 "append to the list at least once")
            if func.attr != "stack" and (node.keywords or len(node.args) > 1):
                raise self.error(node, f"{spelled}(list) takes no other arguments here; "
                                 "use np.stack(list, axis=...)")
            params = self.static_params(node, PRIMS["stack"], spelled, node.args[1:])
            return self.call(node, "stack", "numpy", spelled, list(elements), name, params)
        raise self.error(node, f"{spelled} of a list is not supported; use np.stack(list), "
                         "np.array(list), sum(list), len(list) or list[i]")

    def list_item(self, node: ast.Subscript):
        """ys[i] of a list being built, for a constant i; None if `node` reads no list."""
        elements = self.listed(node.value)
        if elements is None and isinstance(node.value, (ast.Tuple, ast.List)):  # (0.5, 1.5)[k]
            elements = self.list_display(node.value)
        if elements is None:
            return None
        if isinstance(elements, RunningList):
            if not _is_last(node, elements.name) or "last" not in elements.aggregates:
                raise self.error(node, _advice(elements.name))
            if elements.empty:
                raise self.error(node, f"{elements.name} may be empty here (a loop whose trip count only "
                                 "the values tell appended to it, and it was empty before); start the "
                                 "list with a first element, or keep the last value in a variable")
            return self.env[elements.aggregates["last"]]
        index = self.expr(node.slice)
        if not (isinstance(index, Const) and isinstance(index.value, int)
                and -len(elements) <= index.value < len(elements)):
            raise self.error(node, f"a list of {len(elements)} element(s) is indexed with a number "
                             "symdiff cannot check here; index it with a constant in range")
        return elements[index.value]


def _as_list(result) -> list:
    return result if isinstance(result, list) else [result]
