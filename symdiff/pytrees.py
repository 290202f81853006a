"""Derivatives of functions that take containers (pytrees), generated per structure.

A function that reads a parameter as a container (`params["W"]`, `W, b = params`,
`for W, b in layers`) cannot be lowered before its arguments are known: their
structure says which leaves there are. `specializing` returns what `grad` (and the
other modes) give for it: a function that, at each call, takes the structure of
the arguments (trees.py) and the shapes of their leaves, generates the derivative
for them once (driver.derive with `trees`) and calls it. The generated code takes
the containers as the function does and returns each gradient in the structure of
its argument: a dict of arrays for a dict of arrays (backend/packing.py). For jvp,
the tangent of a container is a container of the same structure.

The arguments are checked before any code is generated: a dict whose keys are not
strings, a leaf that is not a real number or array, or a tangent of another
structure is an `ArgumentError` located at its parameter.

A call costs one walk over the arguments (`specialization_key`: a list of floats is
one C-level type count, 10 ns an entry) and one lookup: a gradient's code for a
key seen before is called at once (`direct`, which api.py's wrapper reads too);
only a new key, or a jvp's or vjp's (co)tangents, take the slower path that binds
the arguments and checks their structure.
"""

from __future__ import annotations

import inspect
from operator import countOf

import numpy as np

from .driver import argument_check, derive
from .errors import ArgumentCheck
from .frontend.parse import Source
from .frontend.wrt import Wrt
from .signatures import integral
from .trees import StructureError, Tree, flatten, is_container, structure


def specializing(fun, source: Source, wrt: Wrt, kind: str, generated_now=None):
    """The `kind` derivative ('grad', 'value_and_grad', 'jvp', 'vjp') of `fun` with
    respect to `wrt`, generated for the structure and shapes of each call's arguments;
    `generated_now(derivation)` is told of each new one (so that the function the user
    holds shows its `.source`)."""
    names = [a.arg for a in source.params]
    signature = inspect.signature(fun)
    check = argument_check(source, names)
    specialized, known = {}, {}  # key -> the generated code; and (the containers' trees, the result's)
    # key -> the generated code, for calls that need no other check: a gradient's, every
    # argument by position (what most calls are)
    direct = {}

    def containers_of(*args, **kwargs):
        if not kwargs:
            generated = direct.get(tuple(map(specialization_key, args)))
            if generated is not None:
                return generated(*args)
        generated, args = specialized_for(args, kwargs)
        return generated(*args)

    def specialized_for(args, kwargs):
        """The code generated for the structure and shapes of `args` (generating it now
        if new), and the arguments as it takes them (by position)."""
        head, tail = _split(signature, names, kind, len(wrt.indices), args, kwargs)
        key = tuple(map(specialization_key, head))  # (what every call costs: one walk over the arguments)
        generated = specialized.get(key)
        if generated is None:
            given = dict(zip(names, head, strict=True))
            trees = {n: t for n, v in given.items() if (t := _tree(check, containers_of.__name__, n, v)) is not None}
            shapes = {n: np.shape(v) for n, v in given.items() if n not in trees}
            leaves = {n: (t, [np.shape(leaf) for leaf in flatten(given[n], t)]) for n, t in trees.items()}
            ints = {n for n, v in given.items() if n not in trees and integral(v)}
            derivation, _ = derive(source, wrt, kind, shapes=shapes, ints=ints, trees=leaves)
            generated = specialized[key] = derivation.function
            known[key] = (trees, derivation.result)
            containers_of.source, containers_of.derivation = derivation.source, derivation
            containers_of.lowered = derivation.lowered
            if generated_now is not None:
                generated_now(derivation)
            if kind in ("grad", "value_and_grad") and not kwargs and len(args) == len(names):
                direct[key] = generated
        trees, result = known[key]
        if kind == "jvp":
            _check_tangents(check, containers_of.__name__, names, wrt, trees, tail)
        if kind == "vjp" and result is not None and (len(tail) != 1 or not _fits(tail[0], result)):
            check.refuse(None, f"{containers_of.__name__}: {source.name} returns a container; pass one "
                         "cotangent of its structure (same keys, same lengths) after the arguments")
        return generated, (*head, *tail)

    containers_of.__name__ = f"{kind}_{source.name}"
    containers_of.__qualname__ = f"symdiff.{kind}({fun.__qualname__}, wrt={', '.join(names[i] for i in wrt.indices)})"
    containers_of.specializations = specialized
    containers_of.direct = direct  # (api.py's wrapper looks there first)
    containers_of.specialized = lambda *args, **kwargs: specialized_for(args, kwargs)[0]
    containers_of.fun, containers_of.wrt, containers_of.containers = fun, tuple(names[i] for i in wrt.indices), True
    containers_of.source = (f"# {kind}({source.name}) is generated for the structure and shapes of the "
                            "arguments at its first call; call it, then read .source\n")
    return containers_of


def any_tree(args: tuple, kwargs: dict) -> bool:
    """Whether any of `args` or `kwargs` is a container that array code does not take as an
    array: a dict, a list, or a tuple not of numbers alone."""
    for value in (*args, *kwargs.values()):
        if type(value) in (dict, list) or type(value) is tuple and not all(
                type(v) in (float, int, bool) or isinstance(v, np.number) for v in value):
            return True
    return False


def _split(signature: inspect.Signature, names: list, kind: str, count: int, args: tuple, kwargs: dict):
    """(the function's arguments in order, the tangents or cotangents that follow)."""
    extra = count if kind == "jvp" else max(len(args) - len(names), 0) if kind == "vjp" else 0
    if kind == "jvp" and len(args) < count:
        raise TypeError(f"{kind} of {signature} takes the arguments, then {count} tangent(s)")
    head, tail = (args[:len(args) - extra], args[len(args) - extra:]) if extra else (args, ())
    if not kwargs and len(head) == len(names):  # (every argument by position: what most calls do)
        return tuple(head), tuple(tail)
    bound = signature.bind(*head, **kwargs)
    bound.apply_defaults()
    return tuple(bound.arguments[n] for n in names), tuple(tail)


def _tree(check: ArgumentCheck, name: str, parameter: str, value) -> Tree | None:
    """The structure of `value` given as `parameter` (None where it is no container), its
    leaves checked: real numbers and arrays."""
    try:
        tree = structure(value, parameter)
    except StructureError as exc:
        check.refuse(parameter, f"{name}: {exc}")
    for leaf in flatten(value, tree):
        letter = getattr(getattr(leaf, "dtype", None), "kind", "O")
        if not isinstance(leaf, (int, float)) and letter not in "biuf":
            check.refuse(parameter, f"{name}: {parameter} {'is' if tree.is_leaf else 'holds'} a "
                         f"{type(leaf).__name__}; {name} takes real numbers and NumPy arrays, and "
                         "tuples, lists and dicts of them: pass those")
    return None if tree.is_leaf else tree


def _check_tangents(check: ArgumentCheck, name: str, names: list, wrt: Wrt, trees: dict, tangents: tuple):
    """Refuse a tangent whose structure is not that of its parameter."""
    for i, tangent in zip(wrt.indices, tangents, strict=True):
        expected = trees.get(names[i])
        if not (_fits(tangent, expected) if expected is not None else not is_container(tangent)):
            check.refuse(names[i], f"{name}: the tangent of {names[i]} has another structure than "
                         f"{names[i]}; pass a tangent of the same structure (same keys, same lengths)")


def _fits(value, tree: Tree) -> bool:
    """Whether `value` is a container of the structure `tree`."""
    try:
        return is_container(value) and structure(value) == tree
    except StructureError:
        return False


# Leaves that are one number each, whatever their type: the code generated for a list
# of them depends only on its length.
_NUMBERS = frozenset({float, int, bool, np.float64})


def specialization_key(value):
    """What a specialization depends on, cheap to compute: the structure (types, keys,
    lengths), and each leaf's type, shape and dtype kind; for a list or tuple of Python
    numbers, its type and length only (one test per entry, in C: a list of floats, what
    most calls pass, costs 10 ns an entry)."""
    kind = type(value)
    if kind is dict:
        return dict, tuple((k, specialization_key(v)) for k, v in value.items())
    if kind is tuple or kind is list:
        if countOf(map(type, value), float) == len(value) or _NUMBERS.issuperset(map(type, value)):
            return kind, len(value)
        return kind, tuple(map(specialization_key, value))
    if kind is float or kind is int or kind is bool:
        return kind
    return kind, getattr(value, "shape", None), getattr(getattr(value, "dtype", None), "kind", None)

