"""Containers as values (pytrees): the structure of nested tuples, lists and dicts of
numbers and arrays, their leaves, and the way back.

A `Tree` describes one argument's structure, computed from its value at call time
(`structure`): a leaf (a number or an array), or a tuple, list or dict of trees. The
code symdiff generates for a function taking containers is specialised per
structure, as array code is per shape: its Wengert list takes one parameter per leaf
(`leaves`, in the order `flatten` gives), and the emitted function unpacks them at
its entry (`W = params["W"]`) and packs the gradient at its end (`Packed`:
`return {"W": W_bar, "b": b_bar}`).

    >>> tree = structure({"W": 1.0, "b": (2.0, 3.0)})
    >>> paths(tree)
    [('W',), ('b', 0), ('b', 1)]
    >>> unflatten(tree, flatten({"W": 1.0, "b": (2.0, 3.0)}))
    {'W': 1.0, 'b': (2.0, 3.0)}

This module imports nothing of symdiff's: the faces, the driver and the passes read it.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {tuple: "tuple", list: "list", dict: "dict"}


@dataclass(frozen=True)
class Tree:
    """The structure of a value: `kind` 'leaf', 'tuple', 'list' or 'dict'; `keys` a dict's
    keys in order (a tuple's or a list's indices); `children` the trees of the items."""

    kind: str
    keys: tuple = ()
    children: tuple = ()

    @property
    def is_leaf(self) -> bool:
        return self.kind == "leaf"

    def __len__(self) -> int:
        return len(self.children)


LEAF = Tree("leaf")


class StructureError(ValueError):
    """A container symdiff cannot take apart: the message says which item and why."""


def is_container(value) -> bool:
    """Whether `value` is a tuple, a list or a dict (of its exact type: a NamedTuple is not)."""
    return type(value) in KINDS


def structure(value, where: str = "") -> Tree:
    """The `Tree` of `value`.

    Raises:
        StructureError: a dict has a key that is not a string, or a leaf is neither a
            number nor an array (`where` names the value in the message).
    """
    kind = KINDS.get(type(value))
    if kind is None:
        return LEAF
    if kind == "dict":
        bad = [k for k in value if type(k) is not str]
        if bad:
            raise StructureError(f"{where} is a dict with the key {bad[0]!r}, not a string; "
                                 "use string keys ({'W': W, 'b': b})")
        keys = tuple(value)
    else:
        keys = tuple(range(len(value)))
    return Tree(kind, keys, tuple(structure(value[k], f"{where}[{k!r}]") for k in keys))


def flatten(value, tree: Tree | None = None) -> list:
    """The leaves of `value`, depth first, in key order (that of `paths`)."""
    tree = structure(value) if tree is None else tree
    if tree.is_leaf:
        return [value]
    return [leaf for k, child in zip(tree.keys, tree.children, strict=True) for leaf in flatten(value[k], child)]


def unflatten(tree: Tree, leaves, dict_type=dict, list_type=list):
    """The value of structure `tree` whose leaves are `leaves` (the inverse of `flatten`),
    its dicts and lists made by `dict_type` and `list_type`."""
    items = iter(leaves)
    value = _build(tree, items, dict_type, list_type)
    if next(items, None) is not None:
        raise ValueError("more leaves than the tree has")
    return value


def _build(tree: Tree, items, dict_type, list_type):
    if tree.is_leaf:
        return next(items)
    built = [_build(child, items, dict_type, list_type) for child in tree.children]
    if tree.kind == "dict":
        return dict_type(zip(tree.keys, built, strict=True))
    return tuple(built) if tree.kind == "tuple" else list_type(built)


def paths(tree: Tree, prefix: tuple = ()) -> list[tuple]:
    """The path (keys from the root) of each leaf, in the order of `flatten`."""
    if tree.is_leaf:
        return [prefix]
    return [p for k, child in zip(tree.keys, tree.children, strict=True) for p in paths(child, prefix + (k,))]


def leaf_name(base: str, path: tuple) -> str:
    """A readable name for the leaf at `path` of the argument `base`: the last key where
    it is an identifier (`params["W"]` is `W`), else the path joined (`layers[0][1]` is
    `layers_0_1`)."""
    last = path[-1] if path else None
    if isinstance(last, str) and last.isidentifier() and not last.startswith("_"):
        return last
    words = [base] + [str(k) if isinstance(k, int) else "".join(c if c.isalnum() else "_" for c in k)
                      for k in path]
    return "_".join(words)


class Packed(tuple):
    """Results grouped as the value of a `Tree` (a dict of gradients, a list of them): a
    tuple of the leaves' atoms, with the tree they fill. Passes read it as a tuple; the
    emitter prints it as a display of its kind."""

    tree: Tree

    def __new__(cls, tree: Tree, leaves):
        packed = super().__new__(cls, leaves)
        packed.tree = tree
        return packed
