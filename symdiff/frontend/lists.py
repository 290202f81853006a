"""Lists as accumulators: `ys = []`, `ys.append(y)` (or `ys += [y]`) in a loop, then
`np.stack(ys)`, `np.array(ys)`, `sum(ys)`, `ys[-1]` or `len(ys)`; and lists as values: a
display or a comprehension (comprehensions.py), joined (`xs + ys`) or repeated (`xs * 2`),
read by `sum`, `len`, `max`, `min`, `math.fsum`, `math.prod`, `np.array`
(`np.array([[a, b], [c, d]])`, a stack of stacks), or any other NumPy function, which
reads it as an array (`np.mean([x, y])`).

While lowering, a list is a `values.ListValue`: the tuple of the values appended
so far, each an atom of the IR; `append` binds the name to a longer one. No list
reaches the generated code: reading one gives its elements (stacked, summed, or
one of them). A loop that appends to a list bound before it is written out
iteration by iteration (loops.py) where its trip count is known when symdiff
transforms the function.

Where only the values tell the list's length (a loop of unknown trip count
appends to it, or one branch of an `if` does), it becomes a `values.RunningList`:
the names of the aggregates the function reads, `ys_sum`, `ys_last`, `ys_len`,
carried by the loop and merged after the `if` (branches.py) like any other
variable. Other reads of such a list are refused.
"""

from __future__ import annotations

import ast
import copy

from ..ir import Const
from ..primitives import LIBRARY, PRIMS
from . import containers
from .arrays import static_params
from .library import call, callee, library_call
from .scope import constant_tuple, is_builtin_call, user_module_attribute
from .state import Lowering, bind, emit, error, expr
from .syntax import at, is_value, own_nodes
from .values import ListValue, RunningList


# NumPy functions that read a list of values as one array: np.stack(ys) and np.array(ys).
_STACKING = {"stack", "array", "asarray"}


def append_statement(st: Lowering, stmt: ast.Expr) -> bool:
    """Lower `ys.append(y)` where ys is a list being built; whether `stmt` was one."""
    call_node = stmt.value
    if not (isinstance(call_node, ast.Call) and isinstance(call_node.func, ast.Attribute)
            and listed(st, call_node.func.value) is not None):
        return False
    if getattr(call_node.func.value, "id", None) not in st.env:  # COEFFS.append(x): a module's tuple
        raise error(st, call_node, f"{ast.unparse(call_node.func.value)} is a module-level tuple, which "
                    "cannot change; build a list of your own (ys = [...], then ys.append(x))")
    if call_node.func.attr != "append" or len(call_node.args) != 1 or call_node.keywords:
        raise error(st, call_node, f"list.{call_node.func.attr}(...) is not supported; build the list "
                    "with append(value) alone")
    value = expr(st, call_node.args[0])
    if isinstance(value, (tuple, ListValue, RunningList)):
        raise error(st, call_node.args[0], "append one number or array at a time")
    name = call_node.func.value.id
    running = st.env[name]
    if isinstance(running, ListValue):
        bind(st, name, ListValue((*running, value)))
        return True
    for kind, held in running.aggregates.items():
        if kind == "last":
            bind(st, held, value)
        else:
            bind(st, held, emit(st, call_node, "add", (st.env[held], value if kind == "sum" else Const(1))))
    bind(st, name, RunningList(name, running.aggregates, empty=False))
    return True


def running_lists(st: Lowering, loop: ast.For | ast.While) -> ast.For | ast.While:
    """`loop`, which appends to lists and whose trip count only the values tell,
    with those lists kept as running aggregates (see RunningList) it carries."""
    lists = {}
    for node in own_nodes(loop.body, into_loops=True):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id in st.env:
            name = node.func.value.id
            value = st.env[name]
            if isinstance(value, ListValue):
                value = running(st, name, value)
            if isinstance(value, RunningList):
                lists[name] = value
    loop = copy.deepcopy(loop)
    loop.body = [new for stmt in loop.body for new in _as_list(_Running(st, lists).visit(stmt))]
    for name, kept in lists.items():  # (it will have an element after the loop only if it has one now)
        bind(st, name, kept)
    return loop


def running(st: Lowering, name: str, elements, node=None, reads=None) -> RunningList:
    """The list `elements` as running aggregates: `reads` ('sum', 'last', 'len'), by default
    those the function reads of `name`."""
    reads = list_reads(st.src.node, name) if reads is None else reads
    aggregates = {kind: f"{name}_{kind}@list" for kind in sorted(reads)}
    for kind, held in aggregates.items():
        if kind == "sum":
            bind(st, held, _sum(st, node or st.src.node, elements))
        elif kind == "last":
            bind(st, held, elements[-1] if elements else Const(0.0))  # (never read while empty)
        else:
            bind(st, held, Const(len(elements)))
    return RunningList(name, aggregates, empty=not elements)


def _sum(st: Lowering, node, elements, prim: str = "add"):
    """sum(elements) (prim 'add'), or math.prod(elements) ('mul')."""
    total = Const(0 if prim == "add" else 1)  # (Python's sum starts from the int 0, prod from 1)
    for element in elements:
        total = emit(st, node, prim, (total, element))
    return total


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


def list_operand(st: Lowering, node: ast.expr):
    """An operand of + or *: a list or tuple display as its elements, else its value."""
    return list_display(st, node) if isinstance(node, (ast.List, ast.Tuple)) else expr(st, node)


def list_arithmetic(st: Lowering, node, prim: str, sides: tuple, left, right) -> ListValue | None:
    """`xs + ys` of lists (one list: xs's elements, then ys's) and `xs * k`, `k * xs` for a
    constant int k (xs's elements k times), as Python has them (`sides`: the operands'
    nodes); None where neither operand is a list. Other arithmetic on a list is refused with what to write."""
    if not any(isinstance(v, (tuple, RunningList)) for v in (left, right)):
        return None
    if {type(side) for side in sides} == {ast.List, ast.Tuple}:
        raise error(st, node, "a list and a tuple are joined with +, which fails in Python; "
                    "write both as lists ([a] + [b]) or both as tuples")
    for value in (left, right):
        if isinstance(value, RunningList):
            raise error(st, node, _advice(value.name))
    if prim == "add" and all(isinstance(v, tuple) for v in (left, right)):
        return ListValue((*left, *right))
    if prim == "mul":
        items, count = (left, right) if isinstance(left, tuple) else (right, left)
        if isinstance(count, Const) and type(count.value) is int and count.folds:
            return ListValue(tuple(items) * count.value)
        if isinstance(count, Const) and type(count.value) is float:
            raise error(st, node, f"a list is used as a number here (times {count.value!r}); Python repeats "
                        "a list by an int only (xs * 2); for elementwise products write np.array(xs) * v")
        what = "a list" if isinstance(items, ListValue) else "a tuple"
        raise error(st, node, f"{what} is repeated by a count symdiff cannot know now; repeat it "
                    "a constant int number of times (xs * 2), or for elementwise products write "
                    "np.array(xs) * v")
    symbol = {"add": "+", "sub": "-", "div": "/", "pow": "**", "matmul": "@"}.get(prim, prim)
    other = "a list" if all(isinstance(v, tuple) for v in (left, right)) else "a number"
    raise error(st, node, f"{symbol} of a list and {other} is not list arithmetic (Python has xs + ys "
                f"and xs * k only); for elementwise arithmetic write np.array(xs) {symbol} ...")


def list_display(st: Lowering, node: ast.List | ast.Tuple) -> ListValue:
    """`[a, b]` assigned to a name (a list to append to), or given to np.array."""
    elements = []
    for element in node.elts:
        value = expr(st, element)
        if isinstance(value, (tuple, ListValue)) or isinstance(element, ast.Starred):
            raise error(st, element, "a list holds numbers or arrays here; nested lists and "
                        "starred elements are not supported")
        elements.append(value)
    return ListValue(elements)


def listed(st: Lowering, node) -> ListValue | RunningList | None:
    """The list `node` names, if it names one (a name unbound after an if or a loop
    gets its located error here, which says why)."""
    if isinstance(node, ast.Name) and node.id in st.unbound:
        expr(st, node)
    if isinstance(node, ast.Name) and isinstance(st.env.get(node.id), (ListValue, RunningList)):
        return st.env[node.id]
    if isinstance(node, ast.Name) and type(st.env.get(node.id)) is tuple:  # a tuple: read as a list
        return ListValue(st.env[node.id])
    constants = constant_tuple(st, node)  # COEFFS = [1.0, -2.0] at module level: its numbers now
    return ListValue(Const(v) for v in constants) if constants is not None else None


def list_call(st: Lowering, node: ast.Call, name):
    """A call that reads a list: np.stack(ys), np.array(ys), sum(ys), len(ys), max(ys) of a
    list being built, of a list display (`np.array([[a, b], [c, d]])`, `np.mean([x, y])`)
    or of a comprehension; None if `node` reads no list."""
    reader = _reader(st, node)
    elements = _elements(st, node, reader) if reader is not None else None
    if elements is None and (reader == "sum" or reader == "stack" and node.func.attr == "stack") \
            and containers.parameter(st, node.args[0]):
        raise containers.needs_sequence(st, node, node.args[0])  # sum(ws): ws is to be a list
    if elements is None:
        return None
    spelled = ast.unparse(node.func)
    if isinstance(elements, RunningList):
        if reader in elements.aggregates and len(node.args) == 1 and not node.keywords:
            return st.env[elements.aggregates[reader]]
        raise error(st, node, f"{spelled}({elements.name}): " + _advice(elements.name))
    if reader in ("sum", "len", "max", "min", "prod") and (node.keywords or len(node.args) > 1):
        raise error(st, node, f"{spelled} of a list takes no other arguments here")
    if reader == "len":
        return Const(len(elements))
    if reader in ("sum", "prod"):
        return _sum(st, node, elements, "add" if reader == "sum" else "mul")
    if reader in ("max", "min"):
        return _extreme(st, node, spelled, elements, name)
    if reader == "stack":
        return _stacked(st, node, spelled, elements, name)
    if reader == "sequence":
        return _joined(st, node, spelled, elements, name)
    return _of_array(st, node, _stacked(st, node, spelled, elements, None, "np.array"), name)


def _reader(st: Lowering, node: ast.Call) -> str | None:
    """How the call `node` reads a list given as its first argument: 'sum', 'len', 'max',
    'min' (builtins; math.fsum is 'sum'), 'prod' (math.prod), 'stack' (np.stack, np.array, np.asarray),
    'sequence' (np.concatenate and others that take a list of arrays), 'numpy' (another NumPy
    function: of the list as an array), or None."""
    func = node.func
    if not node.args:
        return None
    if isinstance(func, ast.Name):
        return func.id if func.id in ("sum", "len", "max", "min") and is_builtin_call(st, node, func.id) \
            else None
    if not isinstance(func, ast.Attribute) or is_value(func.value, st.env) or not isinstance(
            func.value, (ast.Name, ast.Attribute)) or user_module_attribute(st, func) is not None:
        return None
    module = st.src.lookup(func.value.id) if isinstance(func.value, ast.Name) else None
    if module is not None and getattr(module, "ns", None) == "math":
        return {"fsum": "sum", "prod": "prod"}.get(func.attr)
    if func.attr in _STACKING:
        return "stack"
    entry = LIBRARY.get(("numpy", _dotted(func)))
    row = PRIMS[entry[0]] if entry is not None else None
    if row is not None and row.sequence:  # np.concatenate(parts): the arrays are the list's elements
        return "sequence"
    if row is None or row.params_first or row.arity == 0:  # (np.zeros((3, 4)): a shape)
        return None
    if row.name == "select":
        return None  # np.select([c1, c2], ...): the lowering's own lists (library._argument)
    return "numpy"


def _dotted(func: ast.Attribute) -> str:
    """`linalg.norm` for np.linalg.norm, `sum` for np.sum."""
    return f"{func.value.attr}.{func.attr}" if isinstance(func.value, ast.Attribute) else func.attr


def _elements(st: Lowering, node: ast.Call, reader: str):
    """The list `node`'s first argument is (its elements, or its running aggregates), or None
    if it is no list: a display, a comprehension or a name bound to a list."""
    first = node.args[0]
    if isinstance(first, (ast.List, ast.Tuple)):
        if reader == "sequence" or reader == "stack" and node.func.attr == "stack":
            return None  # np.stack([a, b], axis=1): the row's own list of arrays (library.py)
        return array_display(st, first) if reader in ("stack", "numpy") else list_display(st, first)
    if isinstance(first, (ast.ListComp, ast.GeneratorExp)) or is_list_arithmetic(st, first):
        return expr(st, first)  # (comprehensions.py: its elements, written out; xs + ys: joined)
    return listed(st, first)


def is_list_arithmetic(st: Lowering, node) -> bool:
    """Whether `node` is `xs + ys` or `xs * k` with a list operand (a display, a
    comprehension, a name bound to a list), seen from its form alone."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult))):
        return False
    return any(isinstance(side, (ast.List, ast.Tuple, ast.ListComp)) or is_list_arithmetic(st, side)
               or isinstance(side, ast.Name) and isinstance(st.env.get(side.id), (ListValue, RunningList))
               for side in (node.left, node.right))


def _extreme(st: Lowering, node: ast.Call, spelled: str, elements: ListValue, name):
    """max(list) or min(list): of its elements, pairwise."""
    if not elements:
        raise error(st, node, f"{spelled} of an empty list fails in Python; give it an element")
    if len(elements) == 1:
        return elements[0]
    prim, ns, _ = callee(st, node.func)
    return call(st, node, prim, ns, spelled, list(elements), name)


def _of_array(st: Lowering, node: ast.Call, array, name):
    """`np.f(list, ...)` as `np.f(np.array(list), ...)`: the call, its list replaced by the
    stacked array (bound, for the call's lowering to read, to a name no source can write)."""
    held = f"array@{node.lineno}:{node.col_offset}"
    bind(st, held, array)
    rewritten = copy.copy(node)
    rewritten.args = [at(ast.Name(held, ast.Load()), node.args[0]), *node.args[1:]]
    try:
        return library_call(st, rewritten, name)
    finally:
        st.env.pop(held, None)


def _stacked(st: Lowering, node: ast.Call, spelled: str, elements: ListValue, name, reading=None):
    """np.stack(ys, ...), np.array(ys): the elements stacked into one array (`reading`: the
    spelling to check the call's other arguments against, np.array's where another
    NumPy function reads the list)."""
    if not elements:
        raise error(st, node, f"{spelled} of an empty list has no shape to differentiate; "
                    "append to the list at least once")
    if reading is not None:
        return call(st, node, "stack", "numpy", reading, list(elements), name, (("axis", 0),))
    if node.func.attr != "stack" and (node.keywords or len(node.args) > 1):
        raise error(st, node, f"{spelled}(list) takes no other arguments here; "
                    "use np.stack(list, axis=...)")
    params = static_params(st, node, PRIMS["stack"], spelled, node.args[1:])
    return call(st, node, "stack", "numpy", spelled, list(elements), name, params)


def _joined(st: Lowering, node: ast.Call, spelled: str, elements: ListValue, name):
    """np.concatenate(parts, ...), np.hstack(parts), np.column_stack(parts), ... of a list:
    the function of its elements, as of a list written out."""
    if not elements:
        raise error(st, node, f"{spelled} of an empty list has no shape to differentiate; "
                    "append to the list at least once")
    prim, ns, _ = callee(st, node.func)
    params = static_params(st, node, PRIMS[prim], spelled, node.args[1:])
    return call(st, node, prim, ns, spelled, list(elements), name, params)


def array_display(st: Lowering, node: ast.List | ast.Tuple) -> ListValue:
    """The elements of a list display read as an array (`np.array([[a, b], [c, d]])`): a
    nested display, or a name bound to a list, is stacked into one of them."""
    elements = []
    for element in node.elts:
        if isinstance(element, ast.Starred):
            raise error(st, element, "a starred element is not supported here; list the elements "
                        "one by one")
        if isinstance(element, (ast.List, ast.Tuple)):
            value = array_display(st, element)
        else:
            value = expr(st, element)
        if isinstance(value, RunningList):
            raise error(st, element, _advice(value.name))
        if isinstance(value, ListValue):
            if not value:
                raise error(st, element, "an empty list has no shape to differentiate; give it elements")
            value = call(st, element, "stack", "numpy", "np.array", list(value), None, (("axis", 0),))
        elements.append(value)
    return ListValue(elements)


def list_item(st: Lowering, node: ast.Subscript):
    """ys[i] of a list being built, for a constant i; None if `node` reads no list."""
    elements = listed(st, node.value)
    if elements is None and isinstance(node.value, (ast.Tuple, ast.List)):  # (0.5, 1.5)[k]
        elements = list_display(st, node.value)
    if elements is None:
        return None
    if isinstance(elements, RunningList):
        if not _is_last(node, elements.name) or "last" not in elements.aggregates:
            raise error(st, node, _advice(elements.name))
        if elements.empty:
            raise error(st, node, f"{elements.name} may be empty here (a loop whose trip count only "
                        "the values tell appended to it, and it was empty before); start the "
                        "list with a first element, or keep the last value in a variable")
        return st.env[elements.aggregates["last"]]
    index = expr(st, node.slice)
    if not (isinstance(index, Const) and isinstance(index.value, int)
            and -len(elements) <= index.value < len(elements)):
        raise error(st, node, f"a list of {len(elements)} element(s) is indexed with a number "
                    "symdiff cannot check here; index it with a constant in range")
    return elements[index.value]


def _is_last(node, name: str) -> bool:
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name \
        and isinstance(node.slice, ast.UnaryOp) and isinstance(node.slice.op, ast.USub) \
        and isinstance(node.slice.operand, ast.Constant) and node.slice.operand.value == 1


def _advice(name: str) -> str:
    return (f"{name} is built where its length only the values tell (a loop whose trip count "
            "depends on them, or an append in one branch of an if), so symdiff keeps only its sum, "
            f"last element and length; read it with sum({name}), {name}[-1] or len({name}), or "
            "build it in a loop over range(...) of a number or a length")


def _as_list(result) -> list:
    return result if isinstance(result, list) else [result]


class _Running(ast.NodeTransformer):
    """A loop body with `ys.append(v)` updating the running aggregates of ys, and
    sum(ys), ys[-1], len(ys) reading them; any other read of ys is refused."""

    def __init__(self, st: Lowering, lists: dict):
        self.st, self.lists = st, lists  # name -> RunningList

    def visit_Expr(self, node):
        call_node = node.value
        if isinstance(call_node, ast.Call) and isinstance(call_node.func, ast.Attribute) \
                and call_node.func.attr == "append" and isinstance(call_node.func.value, ast.Name) \
                and call_node.func.value.id in self.lists and len(call_node.args) == 1 and not call_node.keywords:
            return self.appended(node, self.lists[call_node.func.value.id], call_node.args[0])
        return self.generic_visit(node)

    def appended(self, node: ast.Expr, running: RunningList, value: ast.expr) -> list[ast.stmt]:
        """`running.append(value)` as assignments of its aggregates."""
        new = f"{running.name}_new@list"
        updates = [ast.Assign([ast.Name(new, ast.Store())], self.visit(value))]
        step = {"sum": ast.BinOp(ast.Name(running.aggregates.get("sum"), ast.Load()), ast.Add(),
                                 ast.Name(new, ast.Load())),
                "last": ast.Name(new, ast.Load()),
                "len": ast.BinOp(ast.Name(running.aggregates.get("len"), ast.Load()), ast.Add(),
                                 ast.Constant(1))}
        for kind, held in running.aggregates.items():
            updates.append(ast.Assign([ast.Name(held, ast.Store())], step[kind]))
        return [ast.copy_location(u, node) for u in updates]

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
                raise error(self.st, node, f"{running.name}[-1] reads a list that is empty before "
                            "this loop; start the list with a first element, or keep the "
                            "last value in a variable")
            return ast.copy_location(ast.Name(running.aggregates["last"], ast.Load()), node)
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.lists:
            raise error(self.st, node, _advice(node.id))
        return node
