"""Rows of the primitive table for products that contract axes: np.einsum, np.tensordot,
`@`/np.matmul and np.dot (of any number of dimensions), np.inner and np.vdot.

Each is linear in each operand, the others held (`bilinear`: forward mode's tangent is
one product per moving operand). Their VJPs are written as the lecture notes write
them for matrices (Z = X Y: X_bar = Z_bar Y^T, Y_bar = X^T Z_bar) and, beyond two
dimensions, as the einsum that contracts the cotangent with the other operands
(einsum.py), except for batched `@`, whose adjoints are matrix products as the
product is: an adjoint sums over the batch axes its operand was broadcast along.
"""

from __future__ import annotations

import math

import numpy as np

from .einsum import LETTERS, einsum_plan, operand_adjoint
from .row import Prim


# ---------------------------------------------------------------- np.einsum

def _einsum_shape(*shapes, subscripts="", optimize=False) -> tuple:
    plan = einsum_plan(subscripts, shapes)
    return tuple(plan.sizes[c] for c in plan.output)


def _einsum_vjp(count: int):
    """One rule per operand: the cotangent contracted with the others (einsum.py)."""
    def rule(k):
        def adjoint(b, g, out, *operands, subscripts="", optimize=False):
            plan = einsum_plan(subscripts, [b.shape(a) for a in operands])
            return operand_adjoint(b, plan, k, g, operands, optimize)
        return adjoint

    return tuple(rule(k) for k in range(count))


# ---------------------------------------------------------------- np.tensordot

def _tensordot_subscripts(x, y, axes=2) -> str:
    """np.tensordot(a, b, axes) as einsum subscripts: a's axes `axes[0]` meet b's `axes[1]`
    (an int n: a's last n with b's first n); the free axes of a, then of b, remain."""
    if isinstance(axes, int):
        if not 0 <= axes <= min(len(x), len(y)):
            raise ValueError(f"np.tensordot cannot contract {axes} axes of shapes {x} and {y}")
        axes = (tuple(range(len(x) - axes, len(x))), tuple(range(axes)))
    if not (isinstance(axes, tuple) and len(axes) == 2):
        raise ValueError("np.tensordot's axes must be an int or a pair of sequences of axes")
    mine, theirs = (_axis_list(a, shape) for a, shape in zip(axes, (x, y), strict=True))
    if len(mine) != len(theirs):
        raise ValueError(f"np.tensordot's axes {axes} pair {len(mine)} axes with {len(theirs)}")
    left, right = list(LETTERS[:len(x)]), list(LETTERS[len(x):len(x) + len(y)])
    for i, j in zip(mine, theirs, strict=True):
        if x[i] != y[j]:
            raise ValueError(f"np.tensordot pairs axis {i} of shape {x} with axis {j} of shape {y}, "
                             f"of lengths {x[i]} and {y[j]}")
        right[j] = left[i]
    free = [c for i, c in enumerate(left) if i not in mine] + [c for j, c in enumerate(right) if j not in theirs]
    return f"{''.join(left)},{''.join(right)}->{''.join(free)}"


def _axis_list(axes, shape) -> list[int]:
    axes = axes if isinstance(axes, tuple) else (axes,)
    if not all(isinstance(a, int) and -len(shape) <= a < len(shape) for a in axes) or \
            len({a % len(shape) for a in axes}) != len(axes):
        raise ValueError(f"np.tensordot's axes {axes} must be distinct axes of shape {shape}")
    return [a % len(shape) for a in axes]


def _tensordot_vjp(k: int):
    def adjoint(b, g, out, x, y, axes=2):
        plan = einsum_plan(_tensordot_subscripts(b.shape(x), b.shape(y), axes), [b.shape(x), b.shape(y)])
        return operand_adjoint(b, plan, k, g, (x, y))
    return adjoint


# ---------------------------------------------------------------- matmul and dot

def _matmul_subscripts(x, y) -> str:
    """`x @ y` as einsum subscripts: NumPy's batch broadcasting is the ellipsis's, and a
    1-D operand is a vector on its side (its axis contracted, none added)."""
    if not x or not y:
        raise ValueError(f"a matrix product needs arrays, not scalars (shapes {x} and {y}); "
                         "multiply by a number with *")
    left = "...ij" if len(x) > 1 else "j"
    right = "...jk" if len(y) > 1 else "j"
    out = ("..." if len(x) > 2 or len(y) > 2 else "") + ("i" if len(x) > 1 else "") + ("k" if len(y) > 1 else "")
    return f"{left},{right}->{out}"


def _dot_subscripts(x, y) -> str:
    """np.dot(x, y) as einsum subscripts: x's last axis with y's second to last (its only
    one for a vector); x's other axes, then y's, remain."""
    left, right = list(LETTERS[:len(x)]), list(LETTERS[len(x):len(x) + len(y)])
    right[-2 if len(y) > 1 else 0] = left[-1]
    free = left[:-1] + [c for c in right if c != left[-1]]
    return f"{''.join(left)},{''.join(right)}->{''.join(free)}"


def _matmul_shape(x, y) -> tuple:
    written = _matmul_subscripts(x, y)
    if x[-1] != y[-2 if len(y) > 1 else 0]:
        raise ValueError(f"shapes {x} and {y} do not align for a matrix product")
    try:
        return _einsum_shape(x, y, subscripts=written)
    except ValueError:
        raise ValueError(f"the batch axes of shapes {x} and {y} do not broadcast "
                         "for a matrix product") from None


def _dot_shape(x, y) -> tuple:
    if not x or not y:  # np.dot with a number multiplies by it
        return tuple(np.broadcast_shapes(x, y))
    if x[-1] != y[-2 if len(y) > 1 else 0]:
        raise ValueError(f"shapes {x} and {y} do not align for np.dot")
    return _einsum_shape(x, y, subscripts=_dot_subscripts(x, y))


def _matrix_dx(b, g, x, y):
    """The lecture's adjoints of a product of matrices and vectors (rank <= 2)."""
    rank_x, rank_y = len(b.shape(x)), len(b.shape(y))
    if rank_y == 1:  # X (m,k) y (k,) -> out (m,): X_bar = g y^T; for vectors g * y
        return b.mul(g, y) if rank_x == 1 else b.outer(g, y)
    if rank_x == 1:  # x (k,) Y (k,n) -> out (n,): x_bar = Y g
        return b.matmul(y, g)
    return b.matmul(g, b.transpose(y))  # X_bar = Z_bar Y^T


def _matrix_dy(b, g, x, y):
    rank_x, rank_y = len(b.shape(x)), len(b.shape(y))
    if rank_x == 1:  # x (k,) Y (k,n): Y_bar = x g^T; for vectors g * x
        return b.mul(g, x) if rank_y == 1 else b.outer(x, g)
    return b.matmul(b.transpose(x), g)  # Y_bar = X^T Z_bar


def _swapped(b, a):
    """`a` with its last two axes exchanged: a batch of transposes."""
    n = len(b.shape(a))
    return b.transpose(a, axes=tuple(range(n - 2)) + (n - 1, n - 2))


def _batched_dx(b, g, x, y):
    """The adjoints of a batched `@`, as matrix products (BLAS, like the product itself);
    the reverse pass sums them over the batch axes their operand was broadcast along."""
    if len(b.shape(y)) == 1:  # X (..., m, k) @ y (k,): X_bar = g[..., None] * y
        return b.mul(b.expand_dims(g, axis=-1), y)
    if len(b.shape(x)) == 1:  # x (k,) @ Y (..., k, n): x_bar = the batch's sum of Y g
        return b.matmul(b.expand_dims(g, axis=-2), _swapped(b, y))
    return b.matmul(g, _swapped(b, y))  # X_bar = Z_bar Y^T, matrix by matrix


def _batched_dy(b, g, x, y):
    if len(b.shape(x)) == 1:  # x (k,) @ Y (..., k, n): Y_bar = x[:, None] * g[..., None, :]
        return b.mul(b.expand_dims(x, axis=-1), b.expand_dims(g, axis=-2))
    if len(b.shape(y)) == 1:  # X (..., m, k) @ y (k,): y_bar = the batch's sum of X^T g
        return b.matmul(b.expand_dims(g, axis=-2), x)
    return b.matmul(_swapped(b, x), g)  # Y_bar = X^T Z_bar, matrix by matrix


def _product_vjp(k: int, dot: bool):
    """Operand k's adjoint of `@` or np.dot: by a number (np.dot), it multiplies; of
    matrices and vectors, the lecture's; of batches, matrix products; np.dot of
    arrays of more dimensions (a sum over x's last axis and y's second to last), an einsum."""
    def adjoint(b, g, out, x, y):
        shapes = [b.shape(x), b.shape(y)]
        if not all(shapes):  # summed back to the number's shape by the reverse pass
            return b.mul(g, y if k == 0 else x)
        if all(len(s) <= 2 for s in shapes):
            return (_matrix_dx, _matrix_dy)[k](b, g, x, y)
        if not dot or len(shapes[1]) == 1:  # (np.dot of an array with a vector is `@`)
            return (_batched_dx, _batched_dy)[k](b, g, x, y)
        plan = einsum_plan(_dot_subscripts(*shapes), shapes)
        return operand_adjoint(b, plan, k, g, (x, y))
    return adjoint


# ---------------------------------------------------------------- rows lowered into others

def _inner(b, x, y):
    """np.inner contracts the last axes: a number multiplies, x @ y for vectors, x @ y.T
    for a matrix y, np.tensordot beyond."""
    sx, sy = b.shape(x), b.shape(y)
    if sx == () or sy == ():
        return b.mul(x, y)
    if sy is None or len(sy) <= 1:
        return b.matmul(x, y)
    if len(sy) == 2:
        return b.matmul(x, b.transpose(y))
    return b.tensordot(x, y, axes=((len(sx) - 1,), (len(sy) - 1,)))


def _vdot(b, x, y):
    """np.vdot: the sum of the products of the flattened entries (real arrays)."""
    sx, sy = b.shape(x), b.shape(y)
    if sx is not None and sx != sy:
        x, y = b.reshape(x, shape=-1), b.reshape(y, shape=-1)
    return b.sum(b.mul(x, y))


def _lowered(name, lowering):
    """A row written with other rows by the lowering: it never reaches a derivative rule."""
    return Prim(name, 2, {"numpy": name}, None, lowering=lowering, shape=lambda *s, **p: ())


_PRODUCT_TEXT = ("{g} · {1}ᵀ", "{0}ᵀ · {g}")  # the lecture's X̄ = Z̄Yᵀ, Ȳ = XᵀZ̄
_SAMPLE = ((-2.0, 2.0), (-2.0, 2.0))

CONTRACTION_ROWS = [
    # any number of operands: one adjoint per operand, a tangent term per moving one
    Prim("einsum", 1, {"numpy": "einsum"}, None, vjp=_einsum_vjp, bilinear=True, variadic=True,
         shape=_einsum_shape, params=(("subscripts", ""), ("optimize", False)), sample=_SAMPLE,
         params_first=True, evaluate=lambda *operands, subscripts="", optimize=False: np.einsum(
             subscripts, *operands, optimize=optimize),
         example=(((3, 3), (3, 4), (4,)), (("subscripts", "ii,ij,j->i"),))),
    Prim("tensordot", 2, {"numpy": "tensordot"}, None, vjp=(_tensordot_vjp(0), _tensordot_vjp(1)),
         bilinear=True, params=(("axes", 2),), sample=_SAMPLE,
         shape=lambda x, y, axes=2: _einsum_shape(x, y, subscripts=_tensordot_subscripts(x, y, axes)),
         example=(((2, 3, 4), (4, 3, 2)), (("axes", ((1, 2), (1, 0))),))),
    Prim("matmul", 2, {"op": "@", "numpy": "matmul"}, None, bilinear=True, adjoint_text=_PRODUCT_TEXT,
         vjp=(_product_vjp(0, dot=False), _product_vjp(1, dot=False)),
         shape=_matmul_shape, sample=_SAMPLE, example=(((2, 3), (3, 4)), ())),
    Prim("dot", 2, {"numpy": "dot"}, None, bilinear=True, adjoint_text=_PRODUCT_TEXT,
         vjp=(_product_vjp(0, dot=True), _product_vjp(1, dot=True)),
         shape=_dot_shape, sample=_SAMPLE, example=(((3,), (3,)), ())),
    Prim("outer", 2, {"numpy": "outer"}, None, bilinear=True,
         vjp=(lambda b, g, o, x, y: b.matmul(g, y), lambda b, g, o, x, y: b.matmul(b.transpose(g), x)),
         shape=lambda x, y: (math.prod(x), math.prod(y)), sample=_SAMPLE, example=(((3,), (2,)), ())),
    _lowered("inner", _inner),
    _lowered("vdot", _vdot),
]
