"""Lists as accumulators: `ys = []`, `ys.append(y)` in a loop, then `np.stack(ys)`,
`np.array(ys)`, `sum(ys)`, `ys[-1]` or `len(ys)`.

A mixin of `lower._Lowering`. While lowering, a list is a `ListValue`: the tuple
of the values appended so far, each an atom of the IR; `append` binds the name
to a longer one. No list reaches the generated code: reading one gives its
elements (stacked, summed, or one of them). A loop that appends to a list bound
before it is written out iteration by iteration (lower_loops.py), so its trip
count must be known when symdiff transforms the function.
"""

from __future__ import annotations

import ast

from .ir import Const
from .lower_arrays import is_value
from .primitives import PRIMS


class ListValue(tuple):
    """A list being built: its elements so far (atoms)."""


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
        if isinstance(value, (tuple, ListValue)):
            raise self.error(call.args[0], "append one number or array at a time")
        name = call.func.value.id
        self.bind(name, ListValue((*self.env[name], value)))
        return True

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
        if isinstance(node, ast.Name) and isinstance(self.env.get(node.id), ListValue):
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
        index = self.expr(node.slice)
        if not (isinstance(index, Const) and isinstance(index.value, int)
                and -len(elements) <= index.value < len(elements)):
            raise self.error(node, f"a list of {len(elements)} element(s) is indexed with a number "
                             "symdiff cannot check here; index it with a constant in range")
        return elements[index.value]
