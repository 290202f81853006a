"""Lowering of containers: tuples, lists and dicts of numbers and arrays as values.

No container reaches the IR. A container parameter (its structure known from the
arguments: `trees.Tree`) is one parameter per leaf, bound to a tuple, a
`values.ListValue` or a `values.DictValue` of those leaves' variables
(`tree_params`); a tuple or dict display is such a value of the values in it. Reading
them is done now, while lowering:

    params["W"], pair[0], pair[1:]   the item (`item`)
    len(layers)                      a constant (`length`)
    a, b = pair; (a, b), c = f(x)    names bound to the items (`unpack`), nested
    first, *rest = xs                rest: a list of the remaining items

So `W = params["W"]` binds W to the leaf's variable, and equations only ever read
atoms. A parameter read as a container but given as a number or an array (its
structure unknown) is a `NeedsContainers` error: api.py generates such a function's
code at its first call, from the arguments' structure.
"""

from __future__ import annotations

import ast

from ..errors import NeedsContainers
from ..ir import Const, Param, Var
from ..trees import LEAF, Tree, leaf_name, paths, unflatten
from .scope import is_builtin_call
from .state import Lowering, bind, error, expr
from .values import DictValue, ListValue, RunningList, is_atom, is_container


def tree_params(st: Lowering, arg: str, tree: Tree, shapes=None) -> list[Param]:
    """The parameters of the leaves of the container parameter `arg` (of structure
    `tree`; `shapes` its leaves' shapes, where known), which is bound to them."""
    sources = {a.arg for a in st.src.params}  # (a leaf named after a key must not take a parameter's name)
    unpacked = _unpacked_names(st.src.node, arg)  # W, b = params: the leaves are W and b
    items = _unpacked_names(st.src.node, arg, loops=True)  # for W, b in layers: each layer's are W, b
    names = [unpacked.get(path) or items.get(path[1:]) or leaf_name(arg, path) for path in paths(tree)]
    leaves = [Var(st.code.names.fresh(n if n not in sources else f"{arg}_{n}")) for n in names]
    if st.code.shapes is not None and shapes is not None:
        st.code.shapes.update((v.name, tuple(s)) for v, s in zip(leaves, shapes, strict=True))
    st.env[arg] = unflatten(tree, leaves, DictValue, ListValue)
    return [Param(v) for v in leaves]


def _unpacked_names(node, arg: str, loops: bool = False) -> dict:
    """path -> name, for the names a statement of the function's body unpacks the parameter
    `arg` into (`(W, b), c = arg` gives (0, 0) -> W, (0, 1) -> b, (1,) -> c); with `loops`,
    those a loop over it unpacks each item into (`for W, b in arg` gives (0,) -> W, (1,) -> b)."""
    names = {}

    def visit(target, path):
        if isinstance(target, ast.Name):
            names[path] = target.id
        elif isinstance(target, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in target.elts):
            for k, element in enumerate(target.elts):
                visit(element, path + (k,))

    for stmt in ast.walk(node) if loops else getattr(node, "body", []):
        if loops and isinstance(stmt, ast.For):
            sequence = stmt.iter.value if isinstance(stmt.iter, ast.Subscript) else stmt.iter
            if isinstance(sequence, ast.Name) and sequence.id == arg:
                visit(stmt.target, ())
        elif not loops and isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name) \
                and stmt.value.id == arg:
            visit(stmt.targets[-1], ())
    names.pop((), None)
    return names


def value_tree(st: Lowering, node, value) -> tuple[Tree, list]:
    """(the structure of the value `value`, its leaves: atoms); a value that is neither an
    atom nor a container of them (a function, a list built in a loop) is refused at `node`."""
    if is_atom(value):
        return LEAF, [value]
    if not is_container(value):
        raise error(st, node, "a container here holds a value that is not a number or an array "
                    "(a function, a list built in a loop); keep numbers and arrays in it")
    keys = tuple(value) if isinstance(value, DictValue) else tuple(range(len(value)))
    parts = [value_tree(st, node, value[k]) for k in keys]
    kind = "dict" if isinstance(value, DictValue) else "list" if isinstance(value, ListValue) else "tuple"
    return Tree(kind, keys, tuple(t for t, _ in parts)), [leaf for _, leaves in parts for leaf in leaves]


# ---------------------------------------------------------------- displays

def tuple_display(st: Lowering, node: ast.Tuple, name=None) -> tuple:
    """`(a, b)` as a value: the tuple of its items' values."""
    for element in node.elts:
        if isinstance(element, ast.Starred):
            raise error(st, element, "a starred item in a tuple is not supported; list the items one by one")
    return tuple(expr(st, element) for element in node.elts)


def dict_display(st: Lowering, node: ast.Dict, name=None) -> DictValue:
    """`{"W": W, "b": b}` as a value: a dict of its values, by string key."""
    items = DictValue()
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            raise error(st, value, "**-unpacking in a dict display is not supported; "
                        "write each key: {'W': W, 'b': b}")
        if not (isinstance(key, ast.Constant) and type(key.value) is str):
            raise error(st, key, f"the dict key {ast.unparse(key)} is not a string constant; "
                        "symdiff takes dicts with string keys written out ({'W': W})")
        items[key.value] = expr(st, value)
    return items


# ---------------------------------------------------------------- reading

def container(st: Lowering, node: ast.expr):
    """The container `node` denotes (a name bound to one, or an item of one), or None."""
    if isinstance(node, ast.Name) and is_container(st.env.get(node.id)):
        return st.env[node.id]
    if isinstance(node, ast.Subscript) and container(st, node.value) is not None:
        found = item(st, node)
        return found if is_container(found) else None
    if isinstance(node, ast.Call):  # helper(x)[1], np.split(x, 2)[0]
        found = expr(st, node)  # (lowered again if it is no container: the same equations, numbered once)
        return found if is_container(found) else None
    return None


def item(st: Lowering, node: ast.Subscript):
    """`c[k]` of a container c: the item's value; None where `node.value` is no container.

    Raises:
        NeedsContainers: `x["W"]` of a value that is not a dict.
    """
    held = container(st, node.value)
    if held is None:
        if isinstance(node.slice, ast.Constant) and type(node.slice.value) is str:
            raise _needs(st, node, f"{ast.unparse(node)} reads the key {node.slice.value!r} of "
                         f"{ast.unparse(node.value)}, which is not a dict here; pass a dict of "
                         "numbers and arrays")
        return None
    if isinstance(held, DictValue):
        return _dict_item(st, node, held)
    if isinstance(node.slice, ast.Slice):
        return _sliced(st, node, held)
    index = expr(st, node.slice)
    if not (isinstance(index, Const) and type(index.value) is int and -len(held) <= index.value < len(held)):
        raise error(st, node.slice, f"a tuple or list of {len(held)} item(s) is indexed with "
                    f"{ast.unparse(node.slice)}, which symdiff cannot check here; index it with an "
                    "integer constant in range")
    return held[index.value]


def _dict_item(st: Lowering, node: ast.Subscript, held: DictValue):
    key = node.slice
    value = key.value if isinstance(key, ast.Constant) else getattr(expr(st, key), "value", None)
    if type(value) is not str:  # (a name bound to a key: for k in params)
        raise error(st, key, f"a dict is indexed with {ast.unparse(key)}; index it with a "
                    "string constant (params['W']) or a key it gave (for k in params)")
    if value not in held:
        keys = f"its keys: {', '.join(map(repr, held))}" if held else "it has none"
        raise error(st, key, f"the dict {ast.unparse(node.value)} has no key {value!r} ({keys}); "
                    "use one of its keys, or pass a dict that has it")
    return held[value]


VIEWS = ("keys", "values", "items")


def dict_view(st: Lowering, node: ast.Call):
    """`params.keys()`, `.values()`, `.items()` of a dict: the tuple of its keys (string
    constants), values or (key, value) pairs; None if `node` is no such call."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in VIEWS and not node.args and not node.keywords):
        return None
    held = container(st, func.value)
    if held is None and parameter(st, func.value):
        raise _needs(st, node, f"{ast.unparse(node)} reads {func.value.id} as a dict, which it is not "
                     "here; pass a dict of numbers and arrays")
    if not isinstance(held, DictValue):
        return None
    keys = tuple(Const(k) for k in held)
    return {"keys": keys, "values": tuple(held.values()),
            "items": tuple(zip(keys, held.values(), strict=True))}[func.attr]


def _sliced(st: Lowering, node: ast.Subscript, held: tuple):
    """`c[1:]` of a tuple or list: the items it picks, of the same kind."""
    bounds = [None if b is None else expr(st, b) for b in (node.slice.lower, node.slice.upper, node.slice.step)]
    if not all(b is None or isinstance(b, Const) and type(b.value) is int for b in bounds):
        raise error(st, node.slice, "a tuple is sliced with bounds symdiff cannot check here; "
                    "slice it with integer constants")
    picked = held[slice(*(None if b is None else b.value for b in bounds))]
    return ListValue(picked) if isinstance(held, ListValue) else tuple(picked)


def length(st: Lowering, node: ast.Call):
    """`len(c)` of a container c: the constant; None if `node` is no such call."""
    if not (is_builtin_call(st, node, "len") and len(node.args) == 1 and not node.keywords):
        return None
    held = container(st, node.args[0])
    return None if held is None else Const(len(held))


# ---------------------------------------------------------------- unpacking

def unpack(st: Lowering, target: ast.Tuple | ast.List, value, node: ast.expr):
    """`target = value` for a tuple target and the value `value` (of the source `node`):
    each name bound to its item, nested targets unpacked in turn, a starred one bound
    to the list of the items left.

    Raises:
        NeedsContainers: `value` is a number or an array (a parameter not given as a tuple).
    """
    if isinstance(value, DictValue):
        raise error(st, node, f"unpacking the dict {ast.unparse(node)} gives its keys; read "
                    "its values by key (W = params['W'])")
    if isinstance(value, RunningList) or not is_container(value):
        raise _needs(st, node, f"unpacking {ast.unparse(node)}, which is not a tuple or list here; "
                     "pass a tuple (W, b), or read an array's rows by index (x[0], x[1])")
    items = _spread(st, target, tuple(value), node)
    for element, held in zip(target.elts, items, strict=True):
        assign_value(st, element, held, node)


def _spread(st: Lowering, target, items: tuple, node) -> list:
    """`items` matched to the names of `target`: one each, the starred one a list."""
    starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
    count = len(target.elts) - len(starred)
    if len(starred) > 1 or (len(items) != count if not starred else len(items) < count):
        raise error(st, target, f"unpacking {len(items)} value(s) into {count} name(s)"
                    f"{' and a starred one' if starred else ''}; make the counts match")
    if not starred:
        return list(items)
    k = starred[0]
    tail = len(target.elts) - k - 1
    return [*items[:k], ListValue(items[k:len(items) - tail]), *items[len(items) - tail:]]


def assign_value(st: Lowering, target: ast.expr, value, node: ast.expr):
    """Bind the target `target` (a name, a starred name, a nested tuple) to `value`."""
    if isinstance(target, ast.Starred):
        target = target.value
    if isinstance(target, (ast.Tuple, ast.List)):
        unpack(st, target, value, node)
    elif isinstance(target, ast.Name):
        bind(st, target.id, value)
    else:
        raise error(st, target, "unpacking into an element or attribute is not supported; "
                    "unpack into plain names")


def parameter(st: Lowering, node: ast.expr) -> bool:
    """Whether `node` names a parameter bound to a number or an array (not to a container)."""
    return isinstance(node, ast.Name) and isinstance(st.env.get(node.id), Var) \
        and node.id in {a.arg for a in st.src.params}


def needs_sequence(st: Lowering, node: ast.Call, arg: ast.expr) -> NeedsContainers:
    """The error for `node`, which reads the parameter `arg` as a list or tuple it is not."""
    return _needs(st, node, f"{ast.unparse(node.func)}({arg.id}) reads {arg.id} as a list or tuple "
                  f"of values, which it is not here; pass a list or tuple of arrays (an array's "
                  "entries: np.sum)")


def _needs(st: Lowering, node, detail: str) -> NeedsContainers:
    return NeedsContainers(st.src.loc(node), detail)
