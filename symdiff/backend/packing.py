"""Containers at the boundary of generated code: leaves unpacked at its entry, gradients
packed at its end.

The Wengert list of a function taking containers has one parameter per leaf
(frontend/containers.py). The function emitted from its derivative takes the
containers themselves, as the user's function does:

    def grad_mlp_loss(params, x, y):
        W1 = params['W1']
        b1 = params['b1']
        ...
        return {'W1': W1_bar, 'b1': b1_bar}

`packed` regroups a derivative's results (a `trees.Packed` of the leaves' gradients
per container) and describes its signature as `Slot`s; `arguments` and
`unpacking` print that signature and the entry's assignments.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from ..ir import Func, NameAllocator, Param, flat_results
from ..trees import Packed, Tree, paths


@dataclass(frozen=True)
class Slot:
    """A parameter of the emitted function that holds a container: its name, its tree,
    and the leaves' parameters of the IR, in the order of `trees.paths`."""

    name: str
    tree: Tree
    leaves: tuple[Param, ...]


def spans(names: list[str], trees: dict) -> list[tuple[int, int]]:
    """For each of the source parameters `names`, the range of the IR's parameters that
    hold it: one, or one per leaf of its tree (`trees`: name -> (Tree, shapes))."""
    out, start = [], 0
    for name in names:
        count = len(paths(trees[name][0])) if name in trees else 1
        out.append((start, start + count))
        start += count
    return out


def packed(func: Func, mode: str, names: list[str], trees: dict, wrt: tuple, many: bool, result=None):
    """(`func` with its gradients grouped, the signature as params and `Slot`s) for the
    derivative of a function with container parameters.

    Args:
        func: the simplified derivative, its results flat: the gradients of each leaf of
            the parameters differentiated (after the value, but for 'grad'); 'jvp':
            its tangent parameters, one per leaf differentiated, follow the others.
        names: the source parameters, in order; `trees` those that are containers.
        wrt: the indices of the parameters differentiated, among `names`; `many`: a
            tuple of gradients was asked for.
        result: the `Tree` of the function's result where it is a container (jvp's
            value and tangent, vjp's value and cotangent take its structure), or None.
    """
    ranges = spans(names, trees)
    params = func.params
    func = replace(func, doc=_doc(func, names, ranges, wrt))
    signature = [Slot(n, trees[n][0], params[a:b]) if n in trees else params[a]
                 for n, (a, b) in zip(names, ranges, strict=True)]
    count = ranges[-1][1] if ranges else 0
    if mode == "jvp":
        taken = NameAllocator.for_func(func)
        taken.taken |= set(names)
        tangents = iter(params[count:])
        for i in wrt:
            a, b = ranges[i]
            leaves = tuple(next(tangents) for _ in range(b - a))
            signature.append(Slot(taken.fresh(f"{names[i]}_dot"), trees[names[i]][0], leaves)
                             if names[i] in trees else leaves[0])
        if result is not None:
            value, tangent = func.results
            func = replace(func, results=tuple(Packed(result, flat_results((r,))) for r in (value, tangent)))
        return func, tuple(signature)
    if result is not None:  # vjp: a cotangent per leaf of the result, in a container of its structure
        cotangents = NameAllocator.for_func(func)
        cotangents.taken |= set(names)
        slot = Slot(cotangents.fresh("out_bar"), result, params[count:])
        signature.append(slot)
        doc = _renamed(func.doc, " given ", ", ".join(p.var.name for p in slot.leaves), slot.name, ".")
        func = replace(func, doc=doc, results=(Packed(result, flat_results(func.results[:1])), *func.results[1:]))
    else:
        signature += params[count:]  # (vjp's cotangents, one per result)
    results = func.results
    value, grads = (results[:1], results[1:]) if mode != "grad" else ((), results)
    groups, start = [], 0
    for i in wrt:
        width = ranges[i][1] - ranges[i][0]
        leaves = grads[start:start + width]
        groups.append(Packed(trees[names[i]][0], leaves) if names[i] in trees else leaves[0])
        start += width
    grouped = tuple(groups) if many else groups[0]
    return replace(func, results=(*value, grouped)), tuple(signature)


def _doc(func: Func, names: list[str], ranges: list, wrt: tuple) -> str:
    """The docstring naming the containers differentiated, not their leaves ("with respect
    to params", not "to W1, b1, W2, b2")."""
    leaves = [func.params[k].var.name for i in wrt for k in range(*ranges[i])]
    doc = func.doc
    for marker, suffix, end in ((" with respect to ", "", "."), (" along ", "", "."), (": ", "_bar", " given ")):
        doc = _renamed(doc, marker, ", ".join(f"{n}{suffix}" for n in leaves),
                       ", ".join(f"{names[i]}{suffix}" for i in wrt), end)
    return doc


def _renamed(doc: str, marker: str, old: str, new: str, end: str) -> str:
    """`doc` with `old` replaced by `new` where it follows `marker` and precedes `end`."""
    head, found, tail = doc.partition(marker)
    return head + found + new + tail[len(old):] if found and tail.startswith(old + end) else doc


def arguments(signature) -> ast.arguments:
    """The emitted function's parameters: a container's name, or an IR parameter's."""
    args = [ast.arg(s.name if isinstance(s, Slot) else s.var.name) for s in signature]
    return ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def unpacking(signature) -> list[ast.stmt]:
    """`W = params['W']` for each leaf of each container of the signature; `x_0, x_1, x_2
    = x` for a list or tuple of leaves (one unpacking: about half the time of indexing
    each, and it refuses another length)."""
    statements = []
    for slot in signature:
        if not isinstance(slot, Slot):
            continue
        if slot.tree.kind != "dict" and slot.leaves and all(child.is_leaf for child in slot.tree.children):
            names = [ast.Name(leaf.var.name, ast.Store()) for leaf in slot.leaves]
            statements.append(ast.Assign([ast.Tuple(names, ast.Store())], ast.Name(slot.name, ast.Load())))
            continue
        for leaf, path in zip(slot.leaves, paths(slot.tree), strict=True):
            value = ast.Name(slot.name, ast.Load())
            for key in path:
                value = ast.Subscript(value, ast.Constant(key), ast.Load())
            statements.append(ast.Assign([ast.Name(leaf.var.name, ast.Store())], value))
    return statements


def display(tree: Tree, items):
    """The display (`{'W': ..., 'b': ...}`, `[..., ...]`, `(..., ...)`) of `tree` holding
    the printed leaves `items` (an iterator, consumed in order)."""
    if tree.is_leaf:
        return next(items)
    children = [display(child, items) for child in tree.children]
    if tree.kind == "dict":
        return ast.Dict([ast.Constant(k) for k in tree.keys], children)
    return (ast.Tuple if tree.kind == "tuple" else ast.List)(children, ast.Load())
