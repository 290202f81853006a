"""Rows of the primitive table for np.linalg.norm.

One row, `norm`, is the Euclidean norm along axes (all of them, one: a vector's 2-norm,
a pair: a matrix's Frobenius norm), with `axis` and `keepdims`: at 0 its gradient is
0, the minimum-norm subgradient. The call np.linalg.norm(x, ord, axis, keepdims) is
lowered (`linalg_norm`) into it or into other rows, as NumPy defines each `ord`:

    vectors   None, 2: norm    1: sum |x|    inf / -inf: max / min |x|
              p >= 1: (sum |x|^p)^(1/p)
    matrices  None, 'fro': norm    'nuc': the sum of the singular values
              2 / -2: the largest / smallest singular value
              1 / -1: max / min over columns of sum |x|    inf / -inf: the same over rows

so the rules of sums, abs, max and the singular values (factorizations.py) give the
derivatives. Other `ord`s (0, p < 1 for vectors; others for matrices) are refused.
NumPy 2's np.linalg.vector_norm, matrix_norm and svdvals are lowered the same way.
"""

from __future__ import annotations

import math

import numpy as np

from .row import Prim


def _sp():
    import sympy

    return sympy


def _reduced(shape, axis=None, keepdims=False) -> tuple:
    """The shape of a reduction of an array of `shape` along `axis` (NumPy's rules)."""
    return np.sum(np.broadcast_to(0.0, shape), axis=axis, keepdims=keepdims).shape


def _kept(b, value, x, axis, keepdims):
    """`value`, reduced along `axis` of x, with those axes back as length 1 (to broadcast)."""
    if keepdims or axis is None or b.shape(value) == ():
        return value
    return b.expand_dims(value, axis=axis)


def _safe(b, out):
    """The norm where it is not 0, else 1: the slope x / |x| is then 0 / 1."""
    return b.where(b.eq(out, 0.0), 1.0, out)


def _norm_vjp(b, g, out, x, axis=None, keepdims=False):
    slope = b.div(x, _kept(b, _safe(b, out), x, axis, keepdims))
    return b.mul(_kept(b, g, x, axis, keepdims), slope)


def _norm_jvp(b, eqn, tangents, axis=None, keepdims=False):
    x, = eqn.args
    return b.div(b.sum(b.mul(x, tangents[0]), axis=axis, keepdims=keepdims), _safe(b, eqn.out))


def _sympy_norm(x, axis=None, keepdims=False):
    squares = np.sum(x * x, axis=axis, keepdims=keepdims)
    if np.ndim(squares) == 0:
        return _sp().sqrt(squares[()] if isinstance(squares, np.ndarray) else squares)
    return np.vectorize(_sp().sqrt, otypes=[object])(squares)


# ---------------------------------------------------------------- the call, lowered

def _vector_norm(b, x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return b.norm(x, axis=axis, keepdims=keepdims)
    if ord in (math.inf, -math.inf):
        return (b.amax if ord > 0 else b.amin)(b.abs(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, str) or not ord >= 1:
        raise ValueError(f"ord={ord!r} of a vector is not supported (its derivative is 0 or "
                         "undefined); use ord >= 1, inf or -inf")
    if ord == 1:
        return b.sum(b.abs(x), axis=axis, keepdims=keepdims)
    entries = b.pow(x, ord) if float(ord).is_integer() and int(ord) % 2 == 0 else b.pow(b.abs(x), ord)
    return b.pow(b.sum(entries, axis=axis, keepdims=keepdims), 1.0 / ord)


def _matrix_norm(b, x, ord, axes, axis, keepdims):
    shape = b.shape(x)
    rows, cols = (a % len(shape) for a in axes)
    if ord in (None, "fro"):
        return b.norm(x, axis=axis, keepdims=keepdims)
    if ord in ("nuc", 2, -2):
        others = tuple(i for i in range(len(shape)) if i not in (rows, cols))
        values = b.svd_s(b.transpose(x, axes=others + (rows, cols)), full_matrices=False)
        result = {"nuc": b.sum, 2: b.amax, -2: b.amin}[ord](values, axis=-1)
        return b.reshape(result, shape=_reduced(shape, (rows, cols), True)) if keepdims else result
    if ord in (1, -1, math.inf, -math.inf):
        summed = rows if ord in (1, -1) else cols
        sums = b.sum(b.abs(x), axis=summed, keepdims=True)
        return (b.amax if ord > 0 else b.amin)(sums, axis=(rows, cols), keepdims=keepdims)
    raise ValueError(f"ord={ord!r} of a matrix is not a norm NumPy computes; use None, 'fro', "
                     "'nuc', 1, -1, 2, -2, inf or -inf")


def _linalg_norm(b, x, ord=None, axis=None, keepdims=False):
    """np.linalg.norm(x, ord, axis, keepdims) written with other rows (the module docstring)."""
    shape = b.shape(x)
    if shape is None or ord is None and axis is None:  # (shapes not yet known: lowered again)
        return b.norm(x, axis=axis, keepdims=keepdims)
    axes = tuple(range(len(shape))) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"ord={ord!r} is a matrix norm; give a pair of axes, or a vector ord")
        return _vector_norm(b, x, ord, axis, keepdims)
    if len(axes) == 2 and axes[0] % len(shape) != axes[1] % len(shape):
        return _matrix_norm(b, x, ord, axes, axis, keepdims)
    raise ValueError(f"ord={ord!r} needs a vector or a matrix: give axis= one axis or a pair "
                     f"of the shape {shape}")


def _vector_norm_call(b, x, axis=None, keepdims=False, ord=2):
    """np.linalg.vector_norm: the entries along `axis` (all of them, flattened, for None;
    several, flattened together, for a tuple) taken as one vector."""
    shape = b.shape(x)
    if shape is None:  # (shapes not yet known: lowered again)
        return b.norm(x, axis=axis, keepdims=keepdims)
    axes = tuple(range(len(shape))) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(a % len(shape) for a in axes)
    if len(axes) == 1:
        return _vector_norm(b, x, ord, axes[0], keepdims)
    others = tuple(i for i in range(len(shape)) if i not in axes)
    moved = b.transpose(x, axes=others + axes) if others + axes != tuple(range(len(shape))) else x
    flat = b.reshape(moved, shape=tuple(shape[i] for i in others) + (-1,))
    value = _vector_norm(b, flat, ord, -1, False)
    return b.reshape(value, shape=_reduced(shape, axes, True)) if keepdims else value


def _matrix_norm_call(b, x, keepdims=False, ord="fro"):
    """np.linalg.matrix_norm: the norm of each matrix of a stack (the last two axes)."""
    if b.shape(x) is None:  # (shapes not yet known: lowered again)
        return b.norm(x, axis=(-2, -1), keepdims=keepdims)
    return _matrix_norm(b, x, ord, (-2, -1), (-2, -1), keepdims)


NORM_ROWS = [
    # the Euclidean norm along axes (np.linalg.norm with ord=None)
    Prim("norm", 1, {"numpy": "linalg.norm"}, _sympy_norm, vjp=(_norm_vjp,), jvp=_norm_jvp,
         shape=lambda x, axis=None, keepdims=False: _reduced(x, axis, keepdims), reduction=True,
         params=(("axis", None), ("keepdims", False)), sample=((-2.0, 2.0),), broadcast_cotangent=True,
         example=(((2, 3, 4),), (("axis", (0, 2)), ("keepdims", True)))),
    # after `norm`: the library's np.linalg.norm is this row (primitives.LIBRARY)
    Prim("linalg_norm", 1, {"numpy": "linalg.norm"}, None, lowering=_linalg_norm,
         shape=lambda *s, **p: (), params=(("ord", None), ("axis", None), ("keepdims", False))),
    Prim("vector_norm", 1, {"numpy": "linalg.vector_norm"}, None, lowering=_vector_norm_call,
         shape=lambda *s, **p: (), params=(("axis", None), ("keepdims", False), ("ord", 2))),
    Prim("matrix_norm", 1, {"numpy": "linalg.matrix_norm"}, None, lowering=_matrix_norm_call,
         shape=lambda *s, **p: (), params=(("keepdims", False), ("ord", "fro"))),
    # np.linalg.svdvals (NumPy 2): the singular values of the svd its derivatives need anyway
    Prim("linalg_svdvals", 1, {"numpy": "linalg.svdvals"}, None, shape=lambda *s, **p: (),
         lowering=lambda b, x: b.svd_s(x, full_matrices=False)),
]
