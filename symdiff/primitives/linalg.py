"""Rows of the primitive table for np.linalg: inverses, solves, determinants, Cholesky,
the pseudo-inverse, least squares, matrix powers and multi_dot (here), the eigen-, singular value and
QR decompositions (factorizations.py) and norms (norms.py), gathered in `LINALG_ROWS`.

Every row works on stacks of matrices (the last two axes) where NumPy does. The rules
are the textbook ones, for Y = inv(A): dY = -Y dA Y and A_bar = -Y^T Y_bar Y^T; they
solve linear systems rather than form inverses where a solve is what is meant. A
determinant's rules read inv(A): they hold where A is invertible, as det's
derivative (the adjugate) is then det(A) inv(A)^T; np.linalg raises LinAlgError at a
singular A. np.linalg.cholesky and eigh read one triangle of their argument only, and
their gradient is that triangle's (stacks.triangle_adjoint): a gradient with respect
to every entry, the read triangle's, that central differences agree with.

np.linalg.slogdet returns two values: each is a row (`output`), and the rows of one
call are one computation, printed `sign, logdet = np.linalg.slogdet(a)`.
"""

from __future__ import annotations

import numpy as np

from .factorizations import FACTORIZATION_ROWS
from .norms import NORM_ROWS
from .row import Prim
from .stacks import (array, column, each_matrix, identity, matrix, mT, row, symmetric_input, triangle_adjoint,
                     uncolumn)


def _sp():
    import sympy

    return sympy


def _square(x, what: str) -> tuple:
    if len(x) < 2 or x[-1] != x[-2]:
        raise ValueError(f"{what} takes a square matrix or a stack of them, not shape {x}")
    return x


def _as_matrix(b, s):
    """A number per matrix of a stack, `s[..., None, None]`, to scale the matrices."""
    return s if b.shape(s) == () else b.expand_dims(s, axis=(-2, -1))


def _trace_product(b, m, t):
    """tr(m^T t) matrix by matrix: the sum of the entries of m * t."""
    return b.sum(b.mul(m, t), axis=(-2, -1))


# ---------------------------------------------------------------- determinants

def _det_vjp(b, g, out, a):
    # d det = det tr(inv(A) dA): A_bar = g det inv(A)^T
    return b.mul(_as_matrix(b, b.mul(g, out)), mT(b, b.inv(a)))


def _det_jvp(b, eqn, tangents):
    a, = eqn.args
    return b.mul(eqn.out, _trace_product(b, mT(b, b.inv(a)), tangents[0]))


def _logdet_vjp(b, g, out, a):
    # d log|det A| = tr(inv(A) dA)
    return b.mul(_as_matrix(b, g), mT(b, b.inv(a)))


def _logdet_jvp(b, eqn, tangents):
    return _trace_product(b, mT(b, b.inv(eqn.args[0])), tangents[0])


def _sympy_det(a):
    return each_matrix(lambda m: matrix(m).det(method="berkowitz"), a)


# ---------------------------------------------------------------- inverses and solves

def _inv_vjp(b, g, out, a):
    return b.neg(b.matmul(b.matmul(mT(b, out), g), mT(b, out)))


def _inv_jvp(b, eqn, tangents):
    return b.neg(b.matmul(b.matmul(eqn.out, tangents[0]), eqn.out))


def _solve_shape(a, y) -> tuple:
    _square(a, "np.linalg.solve")
    if len(y) == 1:  # a vector right side (NumPy 2: only a 1-d one)
        if y[0] != a[-1]:
            raise ValueError(f"np.linalg.solve: shapes {a} and {y} do not align")
        return a[:-1]
    if y[-2] != a[-1]:
        raise ValueError(f"np.linalg.solve: shapes {a} and {y} do not align")
    return tuple(np.broadcast_shapes(a[:-2], y[:-2])) + y[-2:]


def _stacked_vector(b, a, y) -> bool:
    """A vector right side for a stack of matrices: solved as a stack of columns (NumPy 2
    takes a right side of more than one axis for a stack of matrices)."""
    return len(b.shape(y)) == 1 and len(b.shape(a)) > 2


def _solved(b, a, y, vector: bool):
    """solve(a, y), a stack of vectors y solved as columns where `vector`."""
    return uncolumn(b, b.solve(a, column(b, y))) if vector else b.solve(a, y)


def _solve_vjp_right(b, g, out, a, y):
    # X = A^-1 Y: Y_bar = A^-T X_bar
    return _solved(b, mT(b, a), g, _stacked_vector(b, a, y))


def _solve_vjp_matrix(b, g, out, a, y):
    # A_bar = -Y_bar X^T
    right = _solve_vjp_right(b, g, out, a, y)
    if len(b.shape(y)) > 1:
        return b.neg(b.matmul(right, mT(b, out)))
    if len(b.shape(a)) > 2:
        return b.neg(b.mul(column(b, right), row(b, out)))
    return b.neg(b.outer(right, out))


def _solve_jvp(b, eqn, tangents):
    # dX = A^-1 (dY - dA X)
    a, y = eqn.args
    vector = _stacked_vector(b, a, y)
    change = tangents[1]
    if tangents[0] is not None:
        moved = uncolumn(b, b.matmul(tangents[0], column(b, eqn.out))) if vector else \
            b.matmul(tangents[0], eqn.out)
        change = b.neg(moved) if change is None else b.sub(change, moved)
    return _solved(b, a, change, vector)


def _sympy_solve(a, y):
    if y.ndim == 1:
        return each_matrix(lambda m: array(matrix(m).LUsolve(_sp().Matrix(list(y))))[:, 0], a)
    lead = np.broadcast_shapes(a.shape[:-2], y.shape[:-2])
    a, y = np.broadcast_to(a, lead + a.shape[-2:]), np.broadcast_to(y, lead + y.shape[-2:])
    out = np.empty(lead + y.shape[-2:], dtype=object)
    for index in np.ndindex(lead):
        out[index] = array(matrix(a[index]).LUsolve(matrix(y[index])))
    return out


# ---------------------------------------------------------------- Cholesky

def _lower_half(b, m):
    """Phi(M): the lower triangle of M with its diagonal halved."""
    return b.sub(b.tril(m), b.mul(b.mul(m, identity(b, b.shape(m)[-1])), 0.5))


def _cholesky_vjp(b, g, out, a):
    # dL = L Phi(L^-1 dS L^-T), so P = L^-T Phi(L^T L_bar) L^-1 and df = <P, dS>
    lt = mT(b, out)
    inner = _lower_half(b, b.matmul(lt, g))
    p = mT(b, b.solve(lt, mT(b, b.solve(lt, inner))))
    return triangle_adjoint(b, p, lower=True)


def _cholesky_jvp(b, eqn, tangents):
    out = eqn.out
    moved = symmetric_input(b, tangents[0], lower=True)
    inner = b.solve(out, mT(b, b.solve(out, moved)))  # L^-1 dS L^-T (dS symmetric)
    return b.matmul(out, _lower_half(b, inner))


def _sympy_cholesky(a):
    def one(m):
        read = np.tril(m) + np.tril(m, -1).T
        return array(matrix(read).cholesky(hermitian=False))
    return each_matrix(one, a)


# ---------------------------------------------------------------- pseudo-inverse, least squares

def _pinv_tangent(b, a, p, da):
    """dA+ = -A+ dA A+ + A+ A+^T dA^T (I - A A+) + (I - A+ A) dA^T A+^T A+ (constant rank)."""
    m, n = b.shape(a)[-2:]
    left = b.sub(identity(b, m), b.matmul(a, p))   # I - A A+
    right = b.sub(identity(b, n), b.matmul(p, a))  # I - A+ A
    dat = mT(b, da)
    first = b.neg(b.matmul(b.matmul(p, da), p))
    second = b.matmul(b.matmul(p, mT(b, p)), b.matmul(dat, left))
    third = b.matmul(right, b.matmul(dat, b.matmul(mT(b, p), p)))
    return b.add(b.add(first, second), third)


def _pinv_adjoint(b, a, p, g):
    """The transpose of `_pinv_tangent`: -A+^T G A+^T + (I - A A+) G^T A+ A+^T + A+^T A+ G^T (I - A+ A)."""
    m, n = b.shape(a)[-2:]
    left = b.sub(identity(b, m), b.matmul(a, p))
    right = b.sub(identity(b, n), b.matmul(p, a))
    pt, gt = mT(b, p), mT(b, g)
    first = b.neg(b.matmul(b.matmul(pt, g), pt))
    second = b.matmul(left, b.matmul(gt, b.matmul(p, pt)))
    third = b.matmul(b.matmul(pt, p), b.matmul(gt, right))
    return b.add(b.add(first, second), third)


def _pinv_jvp(b, eqn, tangents):
    return _pinv_tangent(b, eqn.args[0], eqn.out, tangents[0])


def _lstsq_shape(a, y, rcond=None) -> tuple:
    if len(a) != 2 or len(y) not in (1, 2) or y[0] != a[0]:
        raise ValueError(f"np.linalg.lstsq takes a matrix and a vector or matrix of as many rows, "
                         f"not shapes {a} and {y}")
    return (a[1],) + y[1:]


def _lstsq_vjp_matrix(b, g, out, a, y, rcond=None):
    # x = A+ y: A_bar is the pseudo-inverse's adjoint of x_bar y^T
    product = b.outer(g, y) if len(b.shape(y)) == 1 else b.matmul(g, mT(b, y))
    return _pinv_adjoint(b, a, b.pinv(a), product)


def _lstsq_jvp(b, eqn, tangents, rcond=None):
    a, y = eqn.args
    p = b.pinv(a)
    terms = []
    if tangents[0] is not None:
        terms.append(b.matmul(_pinv_tangent(b, a, p, tangents[0]), y))
    if tangents[1] is not None:
        terms.append(b.matmul(p, tangents[1]))
    return terms[0] if len(terms) == 1 else b.add(*terms)


def _sympy_lstsq(a, y, rcond=None):
    solution = matrix(a).pinv() * _sp().Matrix(y.tolist())
    return array(solution)[:, 0] if y.ndim == 1 else array(solution)


# ---------------------------------------------------------------- matrix powers

def _matrix_power(b, a, n=None):
    """A^n by repeated squaring (matrix products); an inverse first for n < 0."""
    if type(n) is not int:
        raise ValueError(f"the power must be an integer written out, not {n!r}")
    if n < 0:
        a, n = b.inv(a), -n
    if n == 0:
        shape = b.shape(a)
        eye = b.eye(N=shape[-1]) if shape is not None else b.eye(N=1)
        return b.broadcast_to(eye, shape=shape) if shape is not None and len(shape) > 2 else eye
    result = None
    while n:
        if n & 1:
            result = a if result is None else b.matmul(result, a)
        n >>= 1
        if n:
            a = b.matmul(a, a)
    return result


def _multi_dot(b, *arrays):
    """np.linalg.multi_dot([a, b, c]): the products in turn (the same value in any order)."""
    product = arrays[0]
    for array_ in arrays[1:]:
        product = b.matmul(product, array_)
    return product


_SQUARE = (("square", (3, 3)),)
_STACK = (("square", (2, 3, 3)),)

OWN_ROWS = [
    Prim("det", 1, {"numpy": "linalg.det"}, _sympy_det, vjp=(_det_vjp,), jvp=_det_jvp,
         shape=lambda a: _square(a, "np.linalg.det")[:-2], sample=((-2.0, 2.0),), example=(_STACK, ()),
         adjoint_text=("{g} · det({0}) · {0}⁻ᵀ",)),
    Prim("slogdet_sign", 1, {"numpy": "linalg.slogdet"}, lambda a: each_matrix(
         lambda m: _sp().sign(matrix(m).det(method="berkowitz")), a), vjp=(None,), jvp=lambda b, e, t: None,
         shape=lambda a: _square(a, "np.linalg.slogdet")[:-2], sample=((-2.0, 2.0),), output=(0, 2),
         example=(_SQUARE, ())),
    Prim("slogdet", 1, {"numpy": "linalg.slogdet"}, lambda a: each_matrix(
         lambda m: _sp().log(abs(matrix(m).det(method="berkowitz"))), a), vjp=(_logdet_vjp,), jvp=_logdet_jvp,
         shape=lambda a: _square(a, "np.linalg.slogdet")[:-2], sample=((-2.0, 2.0),), output=(1, 2),
         example=(_STACK, ()), adjoint_text=("{g} · {0}⁻ᵀ",)),
    Prim("inv", 1, {"numpy": "linalg.inv"}, lambda a: each_matrix(lambda m: array(matrix(m).inv()), a),
         vjp=(_inv_vjp,), jvp=_inv_jvp, shape=lambda a: _square(a, "np.linalg.inv"), sample=((-2.0, 2.0),),
         adjoint_text=("-{0}⁻ᵀ · {g} · {0}⁻ᵀ",), example=(_STACK, ())),
    Prim("solve", 2, {"numpy": "linalg.solve"}, _sympy_solve, vjp=(_solve_vjp_matrix, _solve_vjp_right),
         jvp=_solve_jvp, shape=_solve_shape, sample=((-2.0, 2.0), (-2.0, 2.0)),
         adjoint_text=("-({0}⁻ᵀ · {g}) · ({0}⁻¹ · {1})ᵀ", "{0}⁻ᵀ · {g}"),
         example=((("square", (2, 3, 3)), (3, 2)), ())),
    Prim("cholesky", 1, {"numpy": "linalg.cholesky"}, _sympy_cholesky, vjp=(_cholesky_vjp,),
         jvp=_cholesky_jvp, shape=lambda a: _square(a, "np.linalg.cholesky"), sample=((-2.0, 2.0),),
         example=((("spd", (2, 3, 3)),), ())),
    Prim("pinv", 1, {"numpy": "linalg.pinv"}, lambda a: each_matrix(lambda m: array(matrix(m).pinv()), a),
         vjp=(lambda b, g, out, a: _pinv_adjoint(b, a, out, g),), jvp=_pinv_jvp,
         shape=lambda a: a[:-2] + (a[-1], a[-2]), sample=((-2.0, 2.0),), example=(((4, 3),), ())),
    Prim("lstsq", 2, {"numpy": "linalg.lstsq"}, _sympy_lstsq,
         vjp=(_lstsq_vjp_matrix, lambda b, g, out, a, y, rcond=None: b.matmul(mT(b, b.pinv(a)), g)),
         jvp=_lstsq_jvp, shape=_lstsq_shape, params=(("rcond", None),), sample=((-2.0, 2.0), (-2.0, 2.0)),
         output=(0, 4), example=(((4, 3), (4,)), ())),
    Prim("matrix_power", 1, {"numpy": "linalg.matrix_power"}, None, lowering=_matrix_power,
         shape=lambda *s, **p: (), params=(("n", None),)),
    Prim("multi_dot", 1, {"numpy": "linalg.multi_dot"}, None, lowering=_multi_dot, sequence=True,
         shape=lambda *s, **p: ()),
]

LINALG_ROWS = OWN_ROWS + FACTORIZATION_ROWS + NORM_ROWS
