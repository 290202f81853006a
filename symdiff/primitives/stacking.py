"""Rows of the primitive table for the rest of NumPy's joining, splitting and reordering:
np.append, np.column_stack, np.dstack, np.hsplit / np.vsplit / np.dsplit, np.rollaxis,
np.gradient and np.partition.

All but one are written with other rows (a `lowering`, as in compositions.py): joins
are np.concatenate of reshaped arrays, splits np.split along the axis they name,
np.rollaxis a transpose, np.gradient differences of slices (it is linear), and
np.partition indexing by np.argpartition, the one row of its own here: an integer
result with no gradient, as np.argsort is. So the gradient of np.partition flows to
the entries it picks, as np.sort's does.

A lowering needs the arguments' shapes, which the builder `b` knows only when the
array code is lowered for them (`b.shape(x)` is None before): then it emits a
placeholder, a copy of its first array, which marks the function as array code.
"""

from __future__ import annotations

import math

from .row import Prim

_ALL = ("slice", None, None, None)


def _is_constant(atom) -> bool:
    """Whether `atom` is an `ir.Const` (this module sits below the IR: it has a value)."""
    return hasattr(atom, "value")


def _composed(name, arity, lowering, params=(), sequence=False):
    """A row lowered into other rows; a placeholder while the shapes are not known."""
    def lower(b, *args, **given):
        atoms = [a for a in args if not isinstance(a, tuple)] + [e for a in args if isinstance(a, tuple) for e in a]
        if atoms and b.shape(atoms[0]) is None:
            return b.copy(atoms[0])
        return lowering(b, *args, **given)
    return Prim(name, arity, {"numpy": name}, None, lowering=lower, params=params,
                shape=lambda *s, **p: (), sequence=sequence)


def _axis(axis, ndim: int, what: str = "axis") -> int:
    if type(axis) is not int or not -ndim <= axis < ndim:
        raise ValueError(f"{what} {axis!r} is not an axis of an array with {ndim} dimension(s)")
    return axis % ndim


def _along(axis: int, start, stop) -> tuple:
    """The getitem template of x[:, ..., start:stop] on `axis`."""
    return (_ALL,) * axis + (("slice", start, stop, None),)


# ---------------------------------------------------------------- joining

def _append(b, arr, values, axis=None):
    """np.append: both flattened and joined (axis None), or joined along the axis (a list
    written out comes stacked into an array: frontend/library.py)."""
    if axis is None:
        return b.concatenate(b.reshape(arr, shape=-1), b.reshape(values, shape=-1), axis=0)
    if len(b.shape(arr)) != len(b.shape(values)):
        raise ValueError(f"with an axis, the values need the array's {len(b.shape(arr))} dimension(s), "
                         f"not {len(b.shape(values))}; reshape them (v[None, :]) or leave axis out")
    return b.concatenate(arr, values, axis=_axis(axis, len(b.shape(arr))))


def _column_stack(b, *arrays):
    """Vectors (and numbers) as columns, matrices as they are, side by side."""
    columns = [b.reshape(a, shape=(-1, 1)) if len(b.shape(a)) < 2 else a for a in arrays]
    return b.concatenate(*columns, axis=1)


def _dstack(b, *arrays):
    """Each array made 3-d as np.atleast_3d makes it, joined along the third axis."""
    return b.concatenate(*(b.atleast_3d(a) for a in arrays), axis=2)


# ---------------------------------------------------------------- splitting

def _split_along(name: str, least: int, axis_of):
    """np.hsplit, np.vsplit, np.dsplit: np.split along the axis `axis_of(ndim)` names, for
    arrays of at least `least` dimensions; several values (unpacked, or indexed)."""
    def lowering(b, x, indices_or_sections=None):
        ndim = len(b.shape(x)) if b.shape(x) is not None else least
        if ndim < least:
            raise ValueError(f"np.{name} needs an array of {least} or more dimensions, not "
                             f"shape {b.shape(x)}")
        return b.split(x, indices_or_sections=indices_or_sections, axis=axis_of(ndim))
    return Prim(name, 1, {"numpy": name}, None, lowering=lowering,
                params=(("indices_or_sections", None),), shape=lambda *s, **p: ())


# ---------------------------------------------------------------- reordering

def _rollaxis(b, x, axis=None, start=0):
    """The axis moved to stand before `start` (NumPy's older np.moveaxis)."""
    ndim = len(b.shape(x))
    axis = _axis(axis, ndim)
    if type(start) is not int or not -ndim <= start <= ndim:
        raise ValueError(f"start {start!r} is not a position in an array with {ndim} dimension(s)")
    start = start + ndim if start < 0 else start  # (as NumPy reads it: -1 is before the last axis)
    order = [i for i in range(ndim) if i != axis]
    order.insert(start - 1 if axis < start else start, axis)
    return x if order == list(range(ndim)) else b.transpose(x, axes=tuple(order))


def _partition(b, x, kth=None, axis=-1, kind="introselect"):
    """x rearranged as np.partition does it: x indexed by np.argpartition's order."""
    if kind != "introselect":
        raise ValueError("np.partition's kind only changes the speed; leave it out")
    if axis is None:
        x, axis = b.reshape(x, shape=-1), 0
    order = b.argpartition(x, kth=kth, axis=axis)
    if len(b.shape(x)) == 1:  # a permutation: its adjoint puts each entry back, none twice
        return b.getitem(x, order, index=(("arg", 0, "distinct"),))
    return b.take_along_axis(x, order, axis=axis)


def _argpartition_shape(x, kth=None, axis=-1) -> tuple:
    n = math.prod(x) if axis is None else x[_axis(axis, len(x))]
    for k in kth if isinstance(kth, tuple) else (kth,):
        if type(k) is not int or not -n <= k < n:
            raise ValueError(f"kth {k!r} is not an entry of an axis of length {n}; give ints in range")
    return (math.prod(x),) if axis is None else tuple(x)


# ---------------------------------------------------------------- np.gradient

def _gradient(b, f, spacing=None, varargs=None, axis=None, edge_order=1):
    """Central differences inside, one-sided ones at the two ends (to `edge_order`), along
    each axis asked for: one array, or several values for several axes. (`varargs`: a
    second spacing given, as NumPy's signature `np.gradient(f, *varargs, ...)` names them.)"""
    if b.shape(f) is None:  # (a placeholder per value: one per axis, or per name unpacked)
        count = len(axis) if isinstance(axis, tuple) else 1 if axis is not None else b.values_wanted()
        copies = tuple(b.copy(f) for _ in range(max(count or 1, 1)))
        return copies[0] if len(copies) == 1 else copies
    ndim = len(b.shape(f))
    if ndim == 0:
        raise ValueError("np.gradient needs an array of 1 or more dimensions, not a number")
    if varargs is not None or spacing is not None and (isinstance(spacing, tuple) or b.shape(spacing) != ()):
        raise ValueError("np.gradient with coordinates or one spacing per axis is not supported; "
                         "give one number as the spacing, or divide by the spacings yourself")
    if edge_order not in (1, 2):
        raise ValueError(f"edge_order must be 1 or 2, not {edge_order!r}")
    axes = tuple(range(ndim)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    slopes = tuple(_slope(b, f, _axis(a, ndim), edge_order) for a in axes)
    if spacing is not None and not (_is_constant(spacing) and spacing.value == 1):
        slopes = tuple(b.div(s, spacing) for s in slopes)
    return slopes[0] if len(slopes) == 1 else slopes


def _slope(b, f, axis: int, edge_order: int):
    """NumPy's np.gradient of f along one axis, for unit spacing."""
    n = b.shape(f)[axis]
    if n < edge_order + 1:
        raise ValueError(f"np.gradient needs at least {edge_order + 1} entries along axis {axis}, "
                         f"which has {n}")

    def entry(k):  # f[..., k:k+1, ...], the axis kept
        return b.getitem(f, index=_along(axis, k, k + 1 or None))

    def weighted(*terms):  # the sum of weight * entry(k)
        total = None
        for weight, k in terms:
            term = b.mul(entry(k), weight)
            total = term if total is None else b.add(total, term)
        return total

    if edge_order == 1:
        first, last = b.sub(entry(1), entry(0)), b.sub(entry(-1), entry(-2))
    else:  # second-order one-sided differences: (-3 f0 + 4 f1 - f2) / 2, mirrored at the end
        first = weighted((-1.5, 0), (2.0, 1), (-0.5, 2))
        last = weighted((1.5, -1), (-2.0, -2), (0.5, -3))
    if n == 2:
        return b.concatenate(first, last, axis=axis)
    inside = b.sub(b.getitem(f, index=_along(axis, 2, None)), b.getitem(f, index=_along(axis, None, -2)))
    return b.concatenate(first, b.mul(inside, 0.5), last, axis=axis)


STACKING_ROWS = [
    _composed("append", 2, _append, (("axis", None),)),
    _composed("column_stack", 1, _column_stack, sequence=True),
    _composed("dstack", 1, _dstack, sequence=True),
    _split_along("hsplit", 1, lambda ndim: 1 if ndim > 1 else 0),
    _split_along("vsplit", 2, lambda ndim: 0),
    _split_along("dsplit", 3, lambda ndim: 2),
    _composed("rollaxis", 1, _rollaxis, (("axis", None), ("start", 0))),
    Prim("gradient", 2, {"numpy": "gradient"}, None, lowering=_gradient,
         params=(("varargs", None), ("axis", None), ("edge_order", 1)), shape=lambda *s, **p: ()),
    _composed("partition", 1, _partition, (("kth", None), ("axis", -1), ("kind", "introselect"))),
    # the order that partitions x at kth: an integer result, no gradient
    Prim("argpartition", 1, {"numpy": "argpartition"}, None, shape=_argpartition_shape,
         params=(("kth", None), ("axis", -1)), kind="int", sample=((-2.0, 2.0),),
         example=(((2, 5),), (("kth", (1, 3)), ("axis", 1)))),
]
