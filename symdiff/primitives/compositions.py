"""Rows of the primitive table for NumPy functions written with other rows.

Each row has a `lowering`, `(b, *args, **params) -> atom`, run while the user's code
is lowered: np.sort is np.argsort and indexing, np.diff differences of slices,
np.kron a product of reshaped arrays, np.moveaxis a transpose, np.cross (along any
axisa, axisb, axisc) products of entries moved to the last axis. Such a row never
reaches a derivative rule; the rows it is written with have theirs.

A lowering needs the arguments' shapes, which the builder `b` knows only when the
array code is lowered for them (`b.shape(x)` is None before): then it emits a
placeholder, a copy of its first array, which marks the function as array code
so that it is lowered again with the shapes.
"""

from __future__ import annotations

from .row import Prim

_ALL = ("slice", None, None, None)


def _constant(atom) -> bool:
    """Whether `atom` is an `ir.Const` (this module sits below the IR: it has a value)."""
    return hasattr(atom, "value")


def _lowered(name, arity, lowering, params=(), needs_shapes=True, **kw):
    """A row lowered into other rows (see the module docstring)."""
    def lower(b, *args, **given):
        arrays = [a for a in args if not (_constant(a) or isinstance(a, tuple))]
        if needs_shapes and any(b.shape(a) is None for a in arrays):
            return b.copy(arrays[0])
        return lowering(b, *args, **given)
    return Prim(name, arity, {"numpy": name}, None, lowering=lower, params=params,
                shape=lambda *s, **p: (), **kw)


def _axis(axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for an array with {ndim} dimension(s)")
    return axis % ndim


def _permuted(b, x, order):
    order = tuple(order)
    return x if order == tuple(range(len(order))) else b.transpose(x, axes=order)


# ---------------------------------------------------------------- picking entries

def _sort(b, x, axis=-1, kind=None):
    if kind is not None:
        raise ValueError("np.sort's kind only changes the speed, not the result: leave it out")
    if axis is None:
        x, axis = b.reshape(x, shape=-1), 0
    order = b.argsort(x, axis=axis)
    if len(b.shape(x)) == 1:  # a permutation: its adjoint puts each entry back, none twice
        return b.getitem(x, order, index=(("arg", 0, "distinct"),))
    return _take_along_axis(b, x, order, axis=axis)


def _take_along_axis(b, x, indices, axis=-1):
    """x[i0, ..., indices, ...]: aranges shaped to broadcast on the other axes."""
    if axis is None:
        return b.getitem(b.reshape(x, shape=-1), indices, index=(("arg", 0),))
    shape = b.shape(x)
    along = _axis(axis, len(shape))
    if len(b.shape(indices)) != len(shape):
        raise ValueError("np.take_along_axis needs indices with as many dimensions as the array")
    arrays = []
    for i, n in enumerate(shape):
        if i == along:
            arrays.append(indices)
            continue
        spread = tuple(n if j == i else 1 for j in range(len(shape)))
        arrays.append(b.reshape(b.arange(stop=n), shape=spread))
    return b.getitem(x, *arrays, index=tuple(("arg", i) for i in range(len(arrays))))


def _take(b, x, indices, axis=None):
    if axis is None:
        x, axis = b.reshape(x, shape=-1), 0
    lead = (_ALL,) * _axis(axis, len(b.shape(x)))
    if _constant(indices) and isinstance(indices.value, int) and not isinstance(indices.value, bool):
        return b.getitem(x, index=lead + (("int", indices.value),))
    if isinstance(indices, tuple):  # a list of ints written out: the picked slices, stacked
        return b.stack(*(b.getitem(x, index=lead + (("int", _int(k)),)) for k in indices), axis=len(lead))
    return b.getitem(x, indices, index=lead + (("arg", 0),))


def _int(atom) -> int:
    if not (_constant(atom) and isinstance(atom.value, int) and not isinstance(atom.value, bool)):
        raise ValueError("np.take of a list needs a list of integers")
    return atom.value


# ---------------------------------------------------------------- shapes

def _squeeze(b, x, axis=None):
    shape = b.shape(x)
    axes = range(len(shape)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    axes = {_axis(a, len(shape)) for a in axes}
    if axis is not None and any(shape[a] != 1 for a in axes):
        raise ValueError(f"np.squeeze can remove only axes of length 1; shape {shape}, axis {axis}")
    return b.reshape(x, shape=tuple(n for i, n in enumerate(shape) if not (i in axes and n == 1)))


def _swapaxes(b, x, axis1=None, axis2=None):
    ndim = len(b.shape(x))
    order = list(range(ndim))
    first, second = _axis(axis1, ndim), _axis(axis2, ndim)
    order[first], order[second] = order[second], order[first]
    return _permuted(b, x, order)


def _moveaxis(b, x, source=None, destination=None):
    ndim = len(b.shape(x))
    sources = source if isinstance(source, tuple) else (source,)
    targets = destination if isinstance(destination, tuple) else (destination,)
    if len(sources) != len(targets):
        raise ValueError("np.moveaxis needs as many destinations as sources")
    sources, targets = [_axis(a, ndim) for a in sources], [_axis(a, ndim) for a in targets]
    rest = iter(i for i in range(ndim) if i not in sources)
    placed = dict(zip(targets, sources))
    return _permuted(b, x, [placed[i] if i in placed else next(rest) for i in range(ndim)])


def _at_least(rank):
    """np.atleast_1d/2d/3d: length-1 axes added as NumPy adds them."""
    def lowering(b, x):
        shape = b.shape(x)
        if len(shape) >= rank:
            return x
        if rank == 3 and len(shape) == 2:
            return b.reshape(x, shape=shape + (1,))
        if rank == 3 and len(shape) == 1:
            return b.reshape(x, shape=(1,) + shape + (1,))
        return b.reshape(x, shape=(1,) * (rank - len(shape)) + shape)
    return lowering


def _flip_axis(axis):
    return lambda b, x: b.flip(x, axis=axis) if len(b.shape(x)) > axis else _too_small(b.shape(x))


def _too_small(shape):
    raise ValueError(f"np.fliplr needs an array of 2 or more dimensions, not shape {shape}")


def _rot90(b, x, k=1, axes=(0, 1)):
    ndim = len(b.shape(x))
    first, second = (_axis(a, ndim) for a in axes)
    swapped = list(range(ndim))
    swapped[first], swapped[second] = second, first
    k %= 4
    if k == 0:
        return b.copy(x)
    if k == 2:
        return b.flip(x, axis=(first, second))
    if k == 1:  # the columns reversed, then rows and columns swapped
        return _permuted(b, b.flip(x, axis=second), swapped)
    return b.flip(_permuted(b, x, swapped), axis=second)


# ---------------------------------------------------------------- arithmetic of shifted copies

def _diff(b, x, n=1, axis=-1):
    along = _axis(axis, len(b.shape(x)))
    lead = (_ALL,) * along
    for _ in range(n):
        later = b.getitem(x, index=lead + (("slice", 1, None, None),))
        x = b.sub(later, b.getitem(x, index=lead + (("slice", None, -1, None),)))
    return x


def _kron(b, x, y):
    """Every entry of x times all of y: x spread as (m, 1, n, 1), y as (1, p, 1, q)."""
    ndim = max(len(b.shape(x)), len(b.shape(y)))
    xs = (1,) * (ndim - len(b.shape(x))) + b.shape(x)
    ys = (1,) * (ndim - len(b.shape(y))) + b.shape(y)
    left = b.reshape(x, shape=tuple(k for n in xs for k in (n, 1)))
    right = b.reshape(y, shape=tuple(k for n in ys for k in (1, n)))
    return b.reshape(b.mul(left, right), shape=tuple(m * n for m, n in zip(xs, ys)))


def _cross(b, x, y, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors along axisa of x and axisb of y (NumPy 2 deprecates
    2-vectors), moved to axisc of the result; `axis` sets all three."""
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = (_moveaxis(b, a, source=k, destination=-1) for a, k in ((x, axisa), (y, axisb)))
    if b.shape(x)[-1:] != (3,) or b.shape(y)[-1:] != (3,):
        raise ValueError("np.cross is supported for 3-vectors along axisa and axisb; for 2-vectors "
                         "write x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]")

    def part(a, i):
        return b.getitem(a, index=(("ellipsis",), ("int", i)))

    def term(i, j):
        return b.sub(b.mul(part(x, i), part(y, j)), b.mul(part(x, j), part(y, i)))

    crossed = b.stack(term(1, 2), term(2, 0), term(0, 1), axis=-1)
    return _moveaxis(b, crossed, source=-1, destination=axisc)


# ---------------------------------------------------------------- several results, several choices

def _pieces(n: int, sections, even: bool) -> list[tuple[int, int]]:
    """(start, stop) of each piece of an axis of length n, as np.split / np.array_split cut it."""
    if isinstance(sections, tuple):  # the cut points
        cuts = [min(max(c if c >= 0 else n + c, 0), n) for c in sections]
        return list(zip([0, *cuts], [*cuts, n]))
    if not isinstance(sections, int) or sections < 1:
        raise ValueError(f"the number of pieces must be a positive int, not {sections!r}")
    if even and n % sections:
        raise ValueError(f"an axis of length {n} does not split into {sections} equal pieces; "
                         "use np.array_split")
    size, extra = divmod(n, sections)
    stops = [sum(size + (k < extra) for k in range(i + 1)) for i in range(sections)]
    return list(zip([0, *stops[:-1]], stops))


def _splitter(even: bool):
    """np.split / np.array_split into a number of pieces known from the call: a tuple of
    slices (unpacked as a helper's several values are)."""
    def lowering(b, x, indices_or_sections=None, axis=0):
        if b.shape(x) is None:  # (no shapes yet: as many placeholders as pieces)
            count = len(indices_or_sections) + 1 if isinstance(indices_or_sections, tuple) else indices_or_sections
            return tuple(b.copy(x) for _ in range(count if isinstance(count, int) and count > 0 else 1))
        along = _axis(axis, len(b.shape(x)))
        return tuple(b.getitem(x, index=(_ALL,) * along + (("slice", start, stop, None),))
                     for start, stop in _pieces(b.shape(x)[along], indices_or_sections, even))
    return lowering


def _select(b, conditions, choices, default=0.0):
    """The first choice whose condition holds, else the default: nested np.where."""
    if not isinstance(conditions, tuple) or not isinstance(choices, tuple) or len(conditions) != len(choices):
        raise ValueError("np.select takes a list of conditions and a list of as many choices, written out")
    result = default
    for condition, choice in reversed(list(zip(conditions, choices))):
        result = b.where(condition, choice, result)
    return result


def _linspace(b, start, stop, num=50, endpoint=True):
    if any(b.shape(a) not in ((), None) for a in (start, stop)):
        raise ValueError("np.linspace is supported with number start and stop; for arrays "
                         "write start + (stop - start) * np.linspace(0.0, 1.0, num)[:, None]")
    if not isinstance(num, int) or num < 1:
        raise ValueError(f"np.linspace needs a positive int num, not {num!r}")
    steps = num - 1 if endpoint else num
    if num == 1:
        return b.add(b.zeros(shape=(1,)), start)
    fraction = b.div(b.arange(stop=num), float(steps))
    return b.add(start, b.mul(b.sub(stop, start), fraction))


COMPOSED_ROWS = [
    _lowered("sort", 1, _sort, (("axis", -1), ("kind", None))),
    _lowered("take_along_axis", 2, _take_along_axis, (("axis", -1),)),
    _lowered("take", 2, _take, (("axis", None),)),
    _lowered("squeeze", 1, _squeeze, (("axis", None),)),
    _lowered("swapaxes", 1, _swapaxes, (("axis1", None), ("axis2", None))),
    _lowered("moveaxis", 1, _moveaxis, (("source", None), ("destination", None))),
    _lowered("atleast_1d", 1, _at_least(1)),
    _lowered("atleast_2d", 1, _at_least(2)),
    _lowered("atleast_3d", 1, _at_least(3)),
    _lowered("fliplr", 1, _flip_axis(1)),
    _lowered("flipud", 1, _flip_axis(0)),
    _lowered("rot90", 1, _rot90, (("k", 1), ("axes", (0, 1)))),
    _lowered("diff", 1, _diff, (("n", 1), ("axis", -1))),
    _lowered("kron", 2, _kron),
    _lowered("cross", 2, _cross, (("axisa", -1), ("axisb", -1), ("axisc", -1), ("axis", None))),
    _lowered("linspace", 2, _linspace, (("num", 50), ("endpoint", True))),
    _lowered("split", 1, _splitter(even=True), (("indices_or_sections", None), ("axis", 0)), needs_shapes=False),
    _lowered("array_split", 1, _splitter(even=False), (("indices_or_sections", None), ("axis", 0)),
             needs_shapes=False),
    _lowered("select", 2, _select, (("default", 0.0),), needs_shapes=False),
]
