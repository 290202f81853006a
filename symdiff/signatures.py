"""What generated array code is specialized for: the signature of each argument.

Array code is generated per argument shapes (api.py's `_specializing`), and marked
where a value holds booleans (a mask) or integers; `per_signature` keeps a function made
for each combination of argument types and signatures (a Jacobian's or a Hessian's
reader of its batched code).
"""

from __future__ import annotations

import numpy as np

from .errors import ShapeError


def signature_of(value) -> tuple:
    """What a specialization depends on: the shape, marked when the value holds booleans
    (a mask) or integers (so that its gradient code still returns floats), and for a tuple
    (checked where the code is generated: arguments.refuse_tuples)."""
    if type(value) is np.ndarray:  # (the common case, first: it costs every call)
        kind = value.dtype.kind
        return value.shape if kind not in "biu" else (value.shape, "bool" if kind == "b" else "int")
    if type(value) is tuple:
        return ("tuple", signature_of(np.asarray(value)))
    shape = np.shape(value)
    if getattr(getattr(value, "dtype", None), "kind", None) == "b":
        return (shape, "bool")
    return (shape, "int") if integral(value) else shape


def integral(value) -> bool:
    """Whether `value` is a bool, an int or an array of them."""
    if isinstance(value, (bool, int, np.integer, np.bool_)):
        return True
    return getattr(getattr(value, "dtype", None), "kind", None) in ("b", "i", "u")


def refuse_masks(lowered, args):
    """Boolean arrays used as indices would give data-dependent shapes: refuse them."""
    masks = {p.var.name for p, a in zip(lowered.params, args) if getattr(a, "dtype", None) == bool}
    for eqn in lowered.body:
        if eqn.prim == "getitem" and any(getattr(a, "name", None) in masks for a in eqn.args[1:]):
            raise ShapeError(eqn.loc, "indexing with a boolean mask gives a result whose shape "
                             "depends on the data; use np.where(mask, x, 0.0) instead")


def per_signature(reader, refuse):
    """A function of the arguments that calls `reader(args)`'s function, made once per
    argument types and shapes (what the code is generated for) after `refuse(args)`."""
    readers = {}

    def call(*args):
        refuse(args)
        key = tuple((type(a), signature_of(a)) for a in args)
        found = readers.get(key)
        if found is None:
            found = reader(args)
            value = found(*args)
            readers[key] = found  # (once it gave a value: never for arguments it refuses)
            return value
        return found(*args)
    return call
