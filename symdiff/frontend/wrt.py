"""Which parameters to differentiate: `wrt` as the user wrote it (an index, a name, or
a tuple of them) resolved against a function's parameters, once, before its body is
lowered, so that a bad `wrt` is reported first.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import WrtError
from ..ir import Func
from .parse import Source, refuse_star_params


class Wrt(NamedTuple):
    """The differentiated parameters, resolved: their indices, and whether the user
    asked for a tuple (then the gradients come as a tuple too)."""

    indices: tuple[int, ...]
    many: bool


def resolve_wrt(func: Func | Source, wrt) -> Wrt:
    """`wrt` as parameter indices, and whether the caller asked for a tuple (a `Wrt`
    is returned as it is: it was resolved already).

    `func` is the lowered function, or its parsed source: so a bad `wrt` is reported
    before lowering, which may fail on the body.

    Raises:
        WrtError: an entry names no parameter, is of the wrong type (bool, float),
            repeats, or `wrt` is empty.
        UnsupportedSyntaxError: the source has a *args or **kwargs parameter.
    """
    if isinstance(wrt, Wrt):
        return wrt
    if isinstance(func, Source):
        refuse_star_params(func.node.args, func.loc)  # (then there is no list to check against)
        names, loc, name = [a.arg for a in func.params], func.loc(), func.name
    else:
        names, loc, name = [p.var.name for p in func.params], func.loc, func.name
    many = isinstance(wrt, (tuple, list))
    entries = list(wrt) if many else [wrt]
    listing = ", ".join(names) or "none"
    indices = []
    for entry in entries:
        if isinstance(entry, str) and entry in names:
            indices.append(names.index(entry))
        elif isinstance(entry, int) and not isinstance(entry, bool) and -len(names) <= entry < len(names):
            indices.append(entry % len(names))
        else:
            raise WrtError(loc, f"wrt={entry!r} names no parameter of {name} "
                           f"(parameters: {listing}); pass a parameter name or index")
    if len(set(indices)) != len(indices):
        raise WrtError(loc, f"wrt={wrt!r} names a parameter twice; name each once")
    if not indices:
        raise WrtError(loc, "wrt=() asks for no gradient; name at least one parameter")
    return Wrt(tuple(indices), many)
