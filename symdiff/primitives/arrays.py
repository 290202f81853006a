"""Rows of the primitive table for operations that are not elementwise.

Matrix products, transposes, reductions and reshapes. Each row gives its
result's shape from its arguments' shapes and one VJP builder per argument,
written with the IR builder `b` as the lecture notes write them: for Z = X Y,
X_bar = Z_bar Y^T and Y_bar = X^T Z_bar.

Their SymPy meaning, for verification, is on NumPy arrays of SymPy expressions
(dtype object); `sympy=None` means NumPy's own function computes it there.

A VJP receives the output's cotangent `g` with exactly the output's shape. The
cotangent it returns may be smaller than its argument where NumPy broadcasting
restores it (the cotangent of `np.sum(x)` is a scalar): the reverse pass
broadcasts only where a whole array is needed.
"""

from __future__ import annotations

import math

import numpy as np

from .row import Prim


def _sp():
    import sympy

    return sympy


def _axes(axis, ndim: int) -> tuple[int, ...]:
    """`axis` (None, an int or a tuple) as sorted non-negative axes of an ndim array."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


def _reduced_shape(shape, axis=None, keepdims=False) -> tuple:
    axes = _axes(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _restore_axes(b, g, x, axis, keepdims):
    """`g` with the reduced axes of x put back as length 1, ready to broadcast against x."""
    if keepdims or axis is None or b.shape(g) == ():
        return g
    return b.expand_dims(g, axis=axis)


# ---------------------------------------------------------------- reductions

def _sum_vjp(b, g, out, x, axis=None, keepdims=False):
    return _restore_axes(b, g, x, axis, keepdims)


def _mean_vjp(b, g, out, x, axis=None, keepdims=False):
    shape = b.shape(x)
    count = math.prod(shape[i] for i in _axes(axis, len(shape)))
    return b.div(_restore_axes(b, g, x, axis, keepdims), float(count))


def _extreme_vjp(b, g, out, x, axis=None, keepdims=False):
    # Only the extreme entries receive the gradient; ties split it evenly, as
    # max(x, y) does at x == y.
    hits = b.eq(x, _restore_axes(b, out, x, axis, keepdims))
    share = b.div(hits, b.sum(hits, axis=axis, keepdims=True))
    return b.mul(_restore_axes(b, g, x, axis, keepdims), share)


def _prod_vjp(b, g, out, x, axis=None, keepdims=False):
    # d prod / d x_i = the product of the others: out / x_i without zeros; with one
    # zero in the slice only that entry gets the product of the rest; with two, none.
    zero = b.eq(x, 0.0)
    safe = b.where(zero, 1.0, x)
    rest = b.prod(safe, axis=axis, keepdims=True)
    zeros = b.sum(zero, axis=axis, keepdims=True)
    lone = b.where(b.eq(zeros, 1), b.mul(zero, rest), 0.0)
    return b.mul(_restore_axes(b, g, x, axis, keepdims), b.where(b.eq(zeros, 0), b.div(rest, safe), lone))


def _reduction(name, vjp, sympy, spelling=None, jvp=None, adjoint_text=()):
    """A reduction along axes: linear (sum, mean) unless it has a tangent rule of its own."""
    return Prim(name, 1, {"numpy": spelling or name}, sympy, vjp=(vjp,), shape=_reduced_shape,
                params=(("axis", None), ("keepdims", False), ("initial", None)), sample=((-2.0, 2.0),),
                broadcast_cotangent=True, linear=jvp is None, jvp=jvp, adjoint_text=adjoint_text, reduction=True,
                example=(((3, 4),), (("axis", 1),)))


# Tangent rules (forward mode) of the array operations that are neither linear nor
# bilinear: `(b, eqn, tangents, **params)`, a tangent per argument (None where it is 0).

def _constant_jvp(b, eqn, tangents):
    """np.zeros_like, np.ones_like: constant where the argument moves."""
    return None


def _where_jvp(b, eqn, tangents):
    if tangents[1] is None and tangents[2] is None:
        return None
    return b.where(eqn.args[0], tangents[1] if tangents[1] is not None else 0.0,
                   tangents[2] if tangents[2] is not None else 0.0)


def _extreme_jvp(b, eqn, tangents, axis=None, keepdims=False):
    """amax / amin: the mean of the tangents where the extreme is attained (ties share)."""
    x, = eqn.args
    mask = b.eq(x, b.emit(eqn.prim, x, axis=axis, keepdims=True))
    picked = b.sum(b.mul(tangents[0], mask), axis=axis, keepdims=keepdims)
    return b.div(picked, b.sum(mask, axis=axis, keepdims=keepdims))


def _prod_jvp(b, eqn, tangents, axis=None, keepdims=False):
    """np.prod: the tangents weighted by the product of the other factors (the reverse
    rule's weights, zeros included), summed along the axes."""
    weights = _prod_vjp(b, 1.0, eqn.out, eqn.args[0], axis=axis, keepdims=keepdims)
    return b.sum(b.mul(weights, tangents[0]), axis=axis, keepdims=keepdims)


def _sympy_extreme(pick):
    """Max or Min reduced along the axes, on an array of SymPy expressions."""
    def meaning(x, axis=None, keepdims=False):
        axes = _axes(axis, x.ndim)
        kept = [i for i in range(x.ndim) if i not in axes]
        rows = np.transpose(x, kept + list(axes)).reshape([x.shape[i] for i in kept] + [-1])
        result = np.empty(rows.shape[:-1], dtype=object)
        for index in np.ndindex(result.shape):
            result[index] = pick(_sp())(*rows[index])
        result = result.reshape(_reduced_shape(x.shape, axis, keepdims))
        return result[()] if result.shape == () else result  # (an expression, as np.max's number)

    return meaning


def _transpose_shape(x, axes=None) -> tuple:
    return tuple(reversed(x)) if axes is None else tuple(x[a] for a in axes)


def _transpose_vjp(b, g, out, x, axes=None):
    if axes is None:
        return b.transpose(g)
    return b.transpose(g, axes=tuple(int(i) for i in np.argsort(axes)))


def _reshape_shape(x, shape=None) -> tuple:
    shape = shape if isinstance(shape, tuple) else (shape,)
    known = math.prod(n for n in shape if n != -1)
    return tuple(math.prod(x) // known if n == -1 else n for n in shape)


def _reshape_vjp(b, g, out, x, shape=None):
    return b.reshape(g, shape=b.shape(x))


# ---------------------------------------------------------------- indexing
# An index is a template: a tuple of ('int', k), ('slice', start, stop, step),
# ('none',), ('ellipsis',) or ('arg', i), the i-th index array among the
# equation's arguments after the indexed array; ('arg', i, 'distinct') marks
# an index array known to hold distinct values (np.arange).

def build_index(template, arrays) -> tuple:
    """The NumPy index a template stands for, with `arrays` in its ('arg', i) places."""
    kinds = {"int": lambda k: k, "slice": lambda *b: slice(*b), "none": lambda: None,
             "ellipsis": lambda: Ellipsis, "arg": lambda i, *distinct: arrays[i]}
    return tuple(kinds[entry[0]](*entry[1:]) for entry in template)


def _getitem_shape(x, *arrays, index=()) -> tuple:
    dummies = [np.zeros(shape, dtype=np.intp) for shape in arrays]
    try:
        return np.empty(x)[build_index(index, dummies)].shape
    except IndexError as exc:
        # An empty axis indexed by an index array (or a loop index) is out of bounds
        # for the dummy index only: x[i] in a loop that never runs. Its shape is
        # that of a length-1 axis, which the index removes or replaces.
        picked = [entry[0] == "arg" for entry in index]
        if any(entry[0] in ("none", "ellipsis") for entry in index) or not any(
                n == 0 and arg for n, arg in zip(x, picked)):
            raise ValueError(str(exc)) from None
        stand_in = tuple(1 if n == 0 and arg else n for n, arg in zip(x, picked + [False] * len(x)))
        return np.empty(stand_in)[build_index(index, dummies)].shape


def _index(x, index: tuple):
    """x[index], for a tuple or list x too (the generated code indexes it the same way)."""
    if isinstance(x, (tuple, list)) and len(index) == 1:
        return x[index[0]]
    return x[index]


_WHOLE = {("slice", None, None, None), ("none",), ("ellipsis",)}


def _getitem_vjp(b, g, out, x, *arrays, index=()):
    if all(entry in _WHOLE for entry in index):  # x[:, None]: a view with new axes
        return b.reshape(b.exact(g, b.shape(out)), shape=b.shape(x))
    return b.scatter_add(g, *arrays, index=index, shape=b.shape(x), distinct=_distinct(b, arrays, index))


def _distinct(b, arrays, index) -> bool:
    """Whether the index picks no entry twice: a basic index (ints, also computed ones,
    slices, None, ...: a view), or only integer vectors of one length, one of them distinct
    (x[np.arange(n), labels]), with nothing else but full slices. Its adjoint then
    writes into zeros instead of np.add.at's unbuffered accumulation."""
    picks = [e for e in index if e[0] == "arg"]
    if all(b.shape(a) == () for a in arrays):  # (x[i], x[i, 1:] with i a number: basic too)
        return True
    shapes = {b.shape(a) for a in arrays}
    return (any(len(e) > 2 for e in picks) and len(shapes) == 1 and len(next(iter(shapes))) == 1
            and all(e[0] == "arg" or e == ("slice", None, None, None) for e in index))


def _scatter_add(g, *arrays, index=(), shape=(), distinct=False):
    out = np.zeros(shape, dtype=np.result_type(g, 0.0))  # object, for SymPy expressions
    np.add.at(out, build_index(index, arrays), g)
    return out


def _var(b, x, axis=None, keepdims=False, ddof=0):
    centered = b.sub(x, b.mean(x, axis=axis, keepdims=True))
    squares = b.mul(centered, centered)
    if ddof == 0:
        return b.mean(squares, axis=axis, keepdims=keepdims)
    if b.shape(x) is None:  # not yet known: array code is lowered again with its shapes
        return b.sum(squares, axis=axis, keepdims=keepdims)
    return b.div(b.sum(squares, axis=axis, keepdims=keepdims), _group_size(b.shape(x), axis, ddof))


def _group_size(shape, axis, ddof) -> float:
    """The divisor of np.var and np.std: the entries in each group, less ddof."""
    count = math.prod(shape[i] for i in _axes(axis, len(shape)))
    if count <= ddof:
        raise ValueError(f"ddof={ddof} leaves no degrees of freedom in {count} value(s)")
    return float(count - ddof)


def _std_slope(b, out, x, axis, keepdims, ddof):
    """d std / d x = (x - mean) / (n std): the centred entries over n std, restored to x's
    axes. Where std is 0 (one entry per group, or all equal) the centred entries are 0
    and so is the slope, the minimum-norm subgradient, as for np.linalg.norm at 0: the
    safe divisor keeps 0 / 0 from making it NaN."""
    centered = b.sub(x, b.mean(x, axis=axis, keepdims=True))
    spread = _restore_axes(b, out, x, axis, keepdims)
    safe = b.where(b.eq(spread, 0.0), 1.0, spread)
    return b.div(centered, b.mul(_group_size(b.shape(x), axis, ddof), safe))


def _std_shape(x, axis=None, keepdims=False, ddof=0) -> tuple:
    _group_size(x, axis, ddof)  # (ddof must leave a degree of freedom)
    return _reduced_shape(x, axis, keepdims)


def _std_vjp(b, g, out, x, axis=None, keepdims=False, ddof=0):
    return b.mul(_restore_axes(b, g, x, axis, keepdims), _std_slope(b, out, x, axis, keepdims, ddof))


def _std_jvp(b, eqn, tangents, axis=None, keepdims=False, ddof=0):
    slope = _std_slope(b, eqn.out, eqn.args[0], axis, keepdims, ddof)
    return b.sum(b.mul(slope, tangents[0]), axis=axis, keepdims=keepdims)


def _sympy_std(x, axis=None, keepdims=False, ddof=0):
    """np.std on an array of SymPy expressions: the root of the mean squared deviation."""
    centered = x - np.mean(x, axis=axis, keepdims=True)
    squares = np.sum(centered * centered, axis=axis, keepdims=keepdims) / _group_size(np.shape(x), axis, ddof)
    if np.ndim(squares) == 0:
        return _sp().sqrt(squares[()] if isinstance(squares, np.ndarray) else squares)
    return np.vectorize(_sp().sqrt, otypes=[object])(squares)


def _clip(b, x, lo, hi):
    """np.clip; a bound of None (a Const holding None, from the call) is no bound."""
    for bound, pick in ((lo, b.max), (hi, b.min)):
        if getattr(bound, "value", 0.0) is not None:
            x = pick(x, bound)
    return x


def _composite(name, arity, lowering, **kw):
    """A row lowered into other primitives: it never reaches a derivative rule."""
    return Prim(name, arity, {"numpy": name}, None, lowering=lowering, shape=lambda *s, **p: (), **kw)


def _join_shape(*shapes, axis=0, new=False) -> tuple:
    first = shapes[0]
    if new:  # np.stack: a new axis
        if any(s != first for s in shapes):
            raise ValueError(f"np.stack needs arrays of one shape, got {shapes}")
        axis = axis % (len(first) + 1)
        return first[:axis] + (len(shapes),) + first[axis:]
    axis = axis % len(first)
    if any(len(s) != len(first) or s[:axis] + s[axis + 1:] != first[:axis] + first[axis + 1:]
           for s in shapes):
        raise ValueError(f"np.concatenate along axis {axis} needs matching shapes, got {shapes}")
    return first[:axis] + (sum(s[axis] for s in shapes),) + first[axis + 1:]


def _join_vjp(count: int, new: bool):
    """One rule per joined array: its block of the cotangent."""
    def rule(i):
        def block(b, g, out, *arrays, axis=0):
            axis = axis % len(b.shape(out))
            lead = (("slice", None, None, None),) * axis
            if new:
                return b.getitem(g, index=lead + (("int", i),))
            start = sum(b.shape(a)[axis] for a in arrays[:i])
            return b.getitem(g, index=lead + (("slice", start, start + b.shape(arrays[i])[axis], None),))
        return block

    return tuple(rule(i) for i in range(count))


def _join(name, new):
    join = getattr(np, name)
    return Prim(name, 1, {"numpy": name}, None, vjp=lambda count: _join_vjp(count, new),
                shape=lambda *shapes, axis=0: _join_shape(*shapes, axis=axis, new=new),
                params=(("axis", 0),), linear=True, sequence=True, sample=((-2.0, 2.0),),
                evaluate=lambda *arrays, axis=0: join(arrays, axis=axis),
                example=(((2, 3), (2, 3)), (("axis", 1),)))


def _stacked(b, *arrays, vertical):
    rank = len(b.shape(arrays[0])) if b.shape(arrays[0]) is not None else 2
    if vertical:
        return b.stack(*arrays, axis=0) if rank == 1 else b.concatenate(*arrays, axis=0)
    return b.concatenate(*arrays, axis=0 if rank == 1 else 1)


def _as_shape(shape) -> tuple:
    return tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)


def _expanded_shape(shape, axis) -> tuple:
    axes = axis if isinstance(axis, tuple) else (axis,)
    ndim = len(shape) + len(axes)
    axes = sorted(a % ndim for a in axes)
    dims = iter(shape)
    return tuple(1 if i in axes else next(dims) for i in range(ndim))


def _cumsum_vjp(b, g, out, x, axis=None):
    along = 0 if axis is None else axis
    later = b.add(b.sub(b.sum(g, axis=along, keepdims=True), b.cumsum(g, axis=along)), g)
    return b.reshape(later, shape=b.shape(x)) if axis is None else later


ARRAY_ROWS = [
    Prim("getitem", 1, {"numpy": "getitem"}, None, vjp=(_getitem_vjp,), shape=_getitem_shape,
         params=(("index", ()),), linear=True, sample=((-2.0, 2.0),), broadcast_cotangent=True,
         evaluate=lambda x, *arrays, index=(): _index(x, build_index(index, arrays)), view=True,
         adjoint_text=("{g} scattered back into zeros",), example=(((4, 3),), (("index", (("slice", 1, 3, None), ("int", 0))),))),
    Prim("scatter_add", 1, {"numpy": "scatter_add"}, None,
         vjp=(lambda b, g, o, x, *arrays, index=(), shape=(), distinct=False:
              b.getitem(g, *arrays, index=index),),
         shape=lambda x, *arrays, index=(), shape=(), distinct=False: tuple(shape), linear=True,
         params=(("index", ()), ("shape", ()), ("distinct", False)), sample=((-2.0, 2.0),),
         evaluate=_scatter_add, example=(((2,),), (("index", (("slice", 1, 3, None), ("int", 0))), ("shape", (4, 3)), ("distinct", True)))),
    Prim("where", 3, {"numpy": "where"}, lambda c, x, y: _sp().Piecewise((x, _sp().Ne(c, 0)), (y, True)),
         vjp=(None, lambda b, g, o, c, x, y: b.where(c, g, 0.0),
              lambda b, g, o, c, x, y: b.where(c, 0.0, g)), jvp=_where_jvp,
         sample=((-1.0, 1.0), (-2.0, 2.0), (-2.0, 2.0)), broadcast_cotangent=True, example=((("bool", (3,)), (3,), (3,)), ())),
    Prim("eye", 0, {"numpy": "eye"}, None, vjp=(), shape=lambda N=0: (N, N), params=(("N", 0),),
         positional=True),
    Prim("ones", 0, {"numpy": "ones"}, None, vjp=(), shape=lambda shape=None: _as_shape(shape),
         params=(("shape", None),), positional=True),
    Prim("zeros_like", 1, {"numpy": "zeros_like"}, None, vjp=(None,), jvp=_constant_jvp, shape=lambda x: x, example=(((3,),), ())),
    Prim("ones_like", 1, {"numpy": "ones_like"}, None, vjp=(None,), jvp=_constant_jvp, shape=lambda x: x, example=(((3,),), ())),
    Prim("full", 1, {"numpy": "full"}, None, vjp=(lambda b, g, o, x, shape=(): b.fit(g, b.shape(x)),),
         shape=lambda x, shape=(): _as_shape(shape), params=(("shape", ()),), linear=True,
         sample=((-2.0, 2.0),), evaluate=lambda x, shape=(): np.full(shape, x), params_first=True, example=(((),), (("shape", (2, 3)),))),
    _join("concatenate", new=False),
    _join("stack", new=True),
    _composite("hstack", 1, lambda b, *arrays: _stacked(b, *arrays, vertical=False), sequence=True),
    _composite("vstack", 1, lambda b, *arrays: _stacked(b, *arrays, vertical=True), sequence=True),
    _composite("var", 1, _var, params=(("axis", None), ("keepdims", False), ("ddof", 0))),
    # its own row, not sqrt(var): sqrt's slope is infinite where the deviation is 0
    Prim("std", 1, {"numpy": "std"}, _sympy_std, vjp=(_std_vjp,), jvp=_std_jvp, shape=_std_shape,
         params=(("axis", None), ("keepdims", False), ("ddof", 0)), sample=((-2.0, 2.0),),
         broadcast_cotangent=True, reduction=True, example=(((3, 4),), (("axis", 1),))),
    _composite("clip", 3, _clip),
    _composite("ravel", 1, lambda b, x: b.reshape(x, shape=-1)),
    Prim("arange", 0, {"numpy": "arange"}, None, vjp=(), shape=lambda stop=0: (math.ceil(stop),),
         params=(("stop", 0),), kind="integral", positional=True),
    Prim("transpose", 1, {"numpy": "transpose", "attribute": "T"}, None,
         vjp=(_transpose_vjp,), shape=_transpose_shape, linear=True, params=(("axes", None),),
         sample=((-2.0, 2.0),), view=True, adjoint_text=("{g}ᵀ",), example=(((2, 3, 4),), (("axes", (1, 0, 2)),))),
    _reduction("sum", _sum_vjp, None, adjoint_text=("{g} copied to every entry summed",)),
    _reduction("mean", _mean_vjp, None, adjoint_text=("{g} / n copied to every entry averaged",)),
    _reduction("prod", _prod_vjp, None, jvp=_prod_jvp),
    _reduction("amax", _extreme_vjp, _sympy_extreme(lambda sp: sp.Max), "max", jvp=_extreme_jvp,
               adjoint_text=("{g} at the largest entries (shared between ties)",)),
    _reduction("amin", _extreme_vjp, _sympy_extreme(lambda sp: sp.Min), "min", jvp=_extreme_jvp,
               adjoint_text=("{g} at the smallest entries (shared between ties)",)),
    Prim("reshape", 1, {"numpy": "reshape"}, None, vjp=(_reshape_vjp,), shape=_reshape_shape,
         params=(("shape", None),), linear=True, sample=((-2.0, 2.0),), positional=True, view=True,
         adjoint_text=("{g} reshaped back",), example=(((2, 3),), (("shape", (3, 2)),))),
    Prim("expand_dims", 1, {"numpy": "expand_dims"}, None,
         vjp=(lambda b, g, o, x, axis=None: b.reshape(g, shape=b.shape(x)),),
         shape=lambda x, axis=None: _expanded_shape(x, axis), params=(("axis", None),),
         linear=True, sample=((-2.0, 2.0),), positional=True, view=True, example=(((3,),), (("axis", 0),))),
    Prim("broadcast_to", 1, {"numpy": "broadcast_to"}, None,
         vjp=(lambda b, g, o, x, shape=None: b.fit(g, b.shape(x)),),
         shape=lambda x, shape=None: tuple(shape), params=(("shape", None),), linear=True,
         sample=((-2.0, 2.0),), positional=True, view=True, example=(((3,),), (("shape", (2, 3)),))),
    # x.shape[axis], x.ndim, x.size before the shapes are known (then they are constants)
    Prim("dim", 1, {"numpy": "shape"}, None, shape=lambda x, axis=0: (), params=(("axis", 0),),
         kind="integral", sample=((-2.0, 2.0),)),
    Prim("zeros", 0, {"numpy": "zeros"}, None, vjp=(), shape=lambda shape=None: _as_shape(shape),
         params=(("shape", None),), linear=True, positional=True),
    Prim("copy", 1, {"numpy": "copy"}, lambda x: x, vjp=(lambda b, g, o, x: g,),
         shape=lambda x: x, linear=True, sample=((-2.0, 2.0),), example=(((3,),), ())),
    # running sums: the adjoint of entry i is the sum of the cotangents from i on,
    # sum(g) - cumsum(g) + g along the axis (flattened first where axis is None)
    Prim("cumsum", 1, {"numpy": "cumsum"}, None, vjp=(_cumsum_vjp,), linear=True,
         shape=lambda x, axis=None: (math.prod(x),) if axis is None else tuple(x),
         params=(("axis", None),), sample=((-2.0, 2.0),), adjoint_text=("{g} summed from each entry on",), example=(((2, 3),), (("axis", 1),))),
]
