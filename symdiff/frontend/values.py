"""What a source name can be bound to while lowering, besides an atom of the IR.

A name in the function being lowered denotes an atom (`ir.Var` or `ir.Const`), or
one of the values below, which exist only while lowering: none of them reaches the
IR. Reading one where a number is needed is a located error, raised where the
equation that would read it is emitted.

    ListValue     a list being built whose length is known: its elements so far
    RunningList   a list whose length only the values tell: its running aggregates
    LocalFunction a `def` nested in the function, or a lambda bound to a name
    ObjectValue   a method's receiver (`self`): its attributes are read, never it
    tuple         a tuple of values: the several values a call of a helper returned,
                  a tuple display, or a tuple parameter (containers.py)
    DictValue     a dict of values with string keys: a display, or a dict parameter

Every construct's module may import this one; it imports none of them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..ir import Const, Var
from .parse import Source


def is_atom(value) -> bool:
    """Whether `value` is an atom of the IR (not one of the values above)."""
    return isinstance(value, (Const, Var))


class ListValue(tuple):
    """A list being built: its elements so far (atoms)."""


class DictValue(dict):
    """A dict whose keys are strings and whose values are atoms or values of this
    module (containers.py); never changed once built."""


def is_container(value) -> bool:
    """Whether `value` is a tuple, a list of known length or a dict of values."""
    return isinstance(value, (tuple, DictValue))


class RunningList:
    """A list built where its length only the values tell (a loop of unknown trip
    count, or an `if` appending in one branch): kept as running aggregates,
    `aggregates` mapping 'sum', 'last' and 'len' to the names that hold them (those
    the function reads), so no list reaches the IR. `empty`: it may have no element."""

    __slots__ = ("name", "aggregates", "empty")

    def __init__(self, name: str, aggregates: dict, empty: bool):
        self.name, self.aggregates, self.empty = name, aggregates, empty


@dataclass(frozen=True)
class LocalFunction:
    """A `def` nested in the function, or a lambda bound to a name."""

    node: ast.FunctionDef | ast.Lambda
    name: str
    defaults: dict = field(compare=False)  # parameter name -> atom, evaluated where defined
    scope: dict = field(compare=False)     # the variables of the function that defined it
    src: Source = field(compare=False)     # that function's source (its globals)


@dataclass(frozen=True, eq=False)
class ObjectValue:
    """What a method's receiver is bound to while lowering (receivers.py): its parameter
    (None where the receiver is bound to an object) and its `receivers.Receiver`."""

    var: Var | None
    receiver: object
