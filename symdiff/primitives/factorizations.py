"""Rows of the primitive table for np.linalg's decompositions: eigh (and eigvalsh), svd,
qr. Each value the function returns is a row
(`output`); the rows of one call are one computation (backend/emit.py prints them as
one tuple assignment), and a rule that needs another value of the same call (the
eigenvectors, for the eigenvalues' adjoint) builds that row again on the same
arguments, which common-subexpression elimination then merges with the call.

The rules are the textbook perturbation formulas. With A = V diag(w) V^T and
F_ij = 1 / (w_j - w_i) off the diagonal (0 on it):

    dw = diag(V^T dA V),   dV = V (F o (V^T dA V)),
    A_bar = V (diag(w_bar) + F o (V^T V_bar)) V^T    (then the triangle np.linalg.eigh reads)

and for A = U diag(s) V^T (full_matrices=False) the same with F_ij = 1 / (s_j^2 - s_i^2),
plus the terms of the complement of U's (V's) columns for a tall (wide) A. They hold
where the eigenvalues (singular values) are distinct, and the singular values
nonzero: at a repeated one, F has 1/0 and the vectors' derivative does not exist
(the values' own derivative exists wherever they are distinct from each other).
QR (A = Q R, Q with orthonormal columns, R upper triangular; A of full column rank,
m >= n): with C = dA R^-1, M = Q^T C and the skew Omega = tril(M, -1) - tril(M, -1)^T,
dQ = Q (Omega - M) + C and dR = (M - Omega) R.

Their SymPy meaning is numeric (mpmath, 30 digits; stacks.numeric): a decomposition
has no closed form on symbols. Vectors are defined up to their sign: the meaning
takes the sign of the float computation.
"""

from __future__ import annotations

import numpy as np

from .row import Prim
from .stacks import (aligned, array, column, diagonal, each_matrix, floats, mT, numeric, off_diagonal_inverse,
                     row, solve_right, symmetric_input, triangle_adjoint)


# ---------------------------------------------------------------- eigh

def _lower(params) -> bool:
    return params.get("UPLO", "L") in ("L", "l")


def _eigen_factor(b, w):
    """F_ij = 1 / (w_j - w_i) off the diagonal."""
    return off_diagonal_inverse(b, b.sub(row(b, w), column(b, w)))


def _eigh_values_vjp(b, g, out, a, **params):
    v = b.eigh_vectors(a, **params)
    p = b.matmul(b.mul(v, row(b, g)), mT(b, v))  # V diag(w_bar) V^T
    return triangle_adjoint(b, p, _lower(params))


def _eigh_vectors_vjp(b, g, out, a, **params):
    w = b.eigh_values(a, **params)
    inner = b.mul(_eigen_factor(b, w), b.matmul(mT(b, out), g))
    p = b.matmul(b.matmul(out, inner), mT(b, out))
    return triangle_adjoint(b, p, _lower(params))


def _rotated_tangent(b, a, v, tangent, params):
    """V^T dS V, dS the symmetric change NumPy reads from dA."""
    return b.matmul(b.matmul(mT(b, v), symmetric_input(b, tangent, _lower(params))), v)


def _eigh_values_jvp(b, eqn, tangents, **params):
    a, = eqn.args
    return diagonal(b, _rotated_tangent(b, a, b.eigh_vectors(a, **params), tangents[0], params))


def _eigh_vectors_jvp(b, eqn, tangents, **params):
    a, = eqn.args
    rotated = _rotated_tangent(b, a, eqn.out, tangents[0], params)
    return b.matmul(eqn.out, b.mul(_eigen_factor(b, b.eigh_values(a, **params)), rotated))


def _sympy_eigh(index):
    def meaning(a, UPLO="L"):
        def one(m):
            read = np.tril(m) + np.tril(m, -1).T if UPLO in ("L", "l") else np.triu(m) + np.triu(m, 1).T
            import mpmath

            values, vectors = mpmath.eigsy(numeric(read))
            vectors = aligned(array(vectors), np.linalg.eigh(floats(m), UPLO=UPLO)[1])
            return (array(values)[:, 0], vectors)[index]
        return each_matrix(one, a)
    return meaning


def _square_shape(a, what):
    if len(a) < 2 or a[-1] != a[-2]:
        raise ValueError(f"{what} takes a square matrix or a stack of them, not shape {a}")
    return a


# ---------------------------------------------------------------- svd

def _svd_shapes(a, full_matrices=True) -> tuple:
    """The shapes of U, s and Vh."""
    if len(a) < 2:
        raise ValueError(f"np.linalg.svd takes a matrix or a stack of them, not shape {a}")
    lead, (m, n) = a[:-2], a[-2:]
    k = min(m, n)
    return lead + (m, m if full_matrices else k), lead + (k,), lead + (n if full_matrices else k, n)


def _singular_factor(b, s):
    """F_ij = 1 / (s_j^2 - s_i^2) off the diagonal."""
    squares = b.mul(s, s)
    return off_diagonal_inverse(b, b.sub(row(b, squares), column(b, squares)))


def _factors(b, a, params):
    """U, s, Vh of the reduced decomposition of `a`, built as rows of one call."""
    return b.svd_u(a, **params), b.svd_s(a, **params), b.svd_vh(a, **params)


def _svd_s_vjp(b, g, out, a, **params):
    u, _, vh = _factors(b, a, params)
    return b.matmul(b.mul(u, row(b, g)), vh)  # U diag(s_bar) V^T


def _svd_u_vjp(b, g, out, a, **params):
    u, s, vh = _factors(b, a, params)
    j = b.mul(_singular_factor(b, s), b.matmul(mT(b, u), g))
    inner = b.mul(b.add(j, mT(b, j)), row(b, s))
    total = b.matmul(b.matmul(u, inner), vh)
    m, n = b.shape(a)[-2:]
    if m > n:  # the part of U_bar outside U's columns: (I - U U^T) U_bar S^-1 V^T
        outside = b.sub(g, b.matmul(u, b.matmul(mT(b, u), g)))
        total = b.add(total, b.matmul(b.div(outside, row(b, s)), vh))
    return total


def _svd_vh_vjp(b, g, out, a, **params):
    u, s, vh = _factors(b, a, params)
    k = b.mul(_singular_factor(b, s), b.matmul(vh, mT(b, g)))
    inner = b.mul(column(b, s), b.add(k, mT(b, k)))
    total = b.matmul(b.matmul(u, inner), vh)
    m, n = b.shape(a)[-2:]
    if n > m:  # U S^-1 Vh_bar (I - V V^T)
        outside = b.sub(g, b.matmul(b.matmul(g, mT(b, vh)), vh))
        total = b.add(total, b.matmul(b.div(u, row(b, s)), outside))
    return total


def _svd_rotated(b, a, tangent, params):
    """U^T dA V."""
    u, _, vh = _factors(b, a, params)
    return b.matmul(b.matmul(mT(b, u), tangent), mT(b, vh))


def _svd_s_jvp(b, eqn, tangents, **params):
    return diagonal(b, _svd_rotated(b, eqn.args[0], tangents[0], params))


def _svd_u_jvp(b, eqn, tangents, **params):
    a, = eqn.args
    u, s, _ = _factors(b, a, params)
    ds = b.mul(_svd_rotated(b, a, tangents[0], params), row(b, s))  # dS S
    du = b.matmul(u, b.mul(_singular_factor(b, s), b.add(ds, mT(b, ds))))
    m, n = b.shape(a)[-2:]
    if m > n:  # (dA V - U dS) S^-1
        moved = b.matmul(tangents[0], mT(b, b.svd_vh(a, **params)))
        outside = b.sub(moved, b.matmul(u, _svd_rotated(b, a, tangents[0], params)))
        du = b.add(du, b.div(outside, row(b, s)))
    return du


def _svd_vh_jvp(b, eqn, tangents, **params):
    a, = eqn.args
    u, s, vh = _factors(b, a, params)
    rotated = _svd_rotated(b, a, tangents[0], params)
    sd = b.mul(column(b, s), rotated)  # S dS
    dv = b.matmul(mT(b, vh), b.mul(_singular_factor(b, s), b.add(sd, mT(b, sd))))
    m, n = b.shape(a)[-2:]
    if n > m:  # (dA^T U - V dS^T) S^-1
        moved = b.matmul(mT(b, tangents[0]), u)
        outside = b.sub(moved, b.matmul(mT(b, vh), mT(b, rotated)))
        dv = b.add(dv, b.div(outside, row(b, s)))
    return mT(b, dv)


def _sympy_svd(index):
    def meaning(a, full_matrices=True, compute_uv=True):
        def one(m):
            import mpmath

            u, s, vh = mpmath.svd_r(numeric(m), full_matrices=False, compute_uv=True)
            u, vh = array(u), array(vh)
            reference = np.linalg.svd(floats(m), full_matrices=False)[0]
            flipped = aligned(u, reference)
            signs = np.array([1 if flipped[:, i].tolist() == u[:, i].tolist() else -1 for i in range(u.shape[1])])
            return (flipped, array(s)[:, 0], vh * signs[:, None])[index]
        return each_matrix(one, a)
    return meaning


# ---------------------------------------------------------------- qr

def _qr_shapes(a, mode="reduced") -> tuple:
    if len(a) < 2:
        raise ValueError(f"np.linalg.qr takes a matrix or a stack of them, not shape {a}")
    lead, (m, n) = a[:-2], a[-2:]
    k = min(m, n)
    return lead + (m, k), lead + (k, n)


def _qr_adjoint(b, a, q, r, n_matrix, qbar):
    """(Q_bar + Q K) R^-T with K = tril(N - N^T, -1) - N."""
    k = b.sub(b.tril(b.sub(n_matrix, mT(b, n_matrix)), k=-1), n_matrix)
    spread = b.matmul(q, k) if qbar is None else b.add(qbar, b.matmul(q, k))
    return solve_right(b, spread, mT(b, r))


def _qr_q_vjp(b, g, out, a, **params):
    r = b.qr_r(a, **params)
    return _qr_adjoint(b, a, out, r, b.matmul(mT(b, out), g), g)


def _qr_r_vjp(b, g, out, a, **params):
    q = b.qr_q(a, **params)
    return _qr_adjoint(b, a, q, out, b.neg(b.matmul(g, mT(b, out))), None)


def _qr_pieces(b, a, tangent, params):
    """C = dA R^-1, M = Q^T C and Omega = tril(M, -1) - tril(M, -1)^T."""
    q, r = b.qr_q(a, **params), b.qr_r(a, **params)
    c = solve_right(b, tangent, r)
    m = b.matmul(mT(b, q), c)
    low = b.tril(m, k=-1)
    return q, r, c, m, b.sub(low, mT(b, low))


def _qr_q_jvp(b, eqn, tangents, **params):
    q, _, c, m, omega = _qr_pieces(b, eqn.args[0], tangents[0], params)
    return b.add(b.matmul(q, b.sub(omega, m)), c)


def _qr_r_jvp(b, eqn, tangents, **params):
    _, r, _, m, omega = _qr_pieces(b, eqn.args[0], tangents[0], params)
    return b.matmul(b.sub(m, omega), r)


def _sympy_qr(index):
    def meaning(a, mode="reduced"):
        def one(m):
            import mpmath

            q, r = mpmath.qr(numeric(m), mode="skinny")
            q, r = array(q), array(r)
            flipped = aligned(q, np.linalg.qr(floats(m))[0])
            signs = np.array([1 if flipped[:, i].tolist() == q[:, i].tolist() else -1 for i in range(q.shape[1])])
            return (flipped, r * signs[:, None])[index]
        return each_matrix(one, a)
    return meaning


_EIGH = (("UPLO", "L"),)
_SVD = (("full_matrices", True), ("compute_uv", True))
_SPD_STACK = ((("spd", (2, 3, 3)),), ())

FACTORIZATION_ROWS = [
    Prim("eigh_values", 1, {"numpy": "linalg.eigh"}, _sympy_eigh(0), vjp=(_eigh_values_vjp,),
         jvp=_eigh_values_jvp, shape=lambda a, UPLO="L": _square_shape(a, "np.linalg.eigh")[:-1], params=_EIGH,
         sample=((-2.0, 2.0),), output=(0, 2), example=_SPD_STACK),
    Prim("eigh_vectors", 1, {"numpy": "linalg.eigh"}, _sympy_eigh(1), vjp=(_eigh_vectors_vjp,),
         jvp=_eigh_vectors_jvp, shape=lambda a, UPLO="L": _square_shape(a, "np.linalg.eigh"), params=_EIGH,
         sample=((-2.0, 2.0),), output=(1, 2), example=((("spd", (3, 3)),), (("UPLO", "U"),))),
    Prim("eigvalsh", 1, {"numpy": "linalg.eigvalsh"}, _sympy_eigh(0), vjp=(_eigh_values_vjp,),
         jvp=_eigh_values_jvp, shape=lambda a, UPLO="L": _square_shape(a, "np.linalg.eigvalsh")[:-1],
         params=_EIGH, sample=((-2.0, 2.0),), example=((("spd", (3, 3)),), (("UPLO", "U"),))),
    Prim("svd_u", 1, {"numpy": "linalg.svd"}, _sympy_svd(0), vjp=(_svd_u_vjp,), jvp=_svd_u_jvp,
         shape=lambda a, **p: _svd_shapes(a, p.get("full_matrices", True))[0], params=_SVD,
         sample=((-2.0, 2.0),), output=(0, 3), example=(((2, 4, 3),), (("full_matrices", False),))),
    Prim("svd_s", 1, {"numpy": "linalg.svd"}, _sympy_svd(1), vjp=(_svd_s_vjp,), jvp=_svd_s_jvp,
         shape=lambda a, **p: _svd_shapes(a, p.get("full_matrices", True))[1], params=_SVD,
         sample=((-2.0, 2.0),), output=(1, 3), example=(((3, 4),), (("full_matrices", False),))),
    Prim("svd_vh", 1, {"numpy": "linalg.svd"}, _sympy_svd(2), vjp=(_svd_vh_vjp,), jvp=_svd_vh_jvp,
         shape=lambda a, **p: _svd_shapes(a, p.get("full_matrices", True))[2], params=_SVD,
         sample=((-2.0, 2.0),), output=(2, 3), example=(((2, 3, 4),), (("full_matrices", False),))),
    Prim("qr_q", 1, {"numpy": "linalg.qr"}, _sympy_qr(0), vjp=(_qr_q_vjp,), jvp=_qr_q_jvp,
         shape=lambda a, **p: _qr_shapes(a)[0], params=(("mode", "reduced"),), sample=((-2.0, 2.0),),
         output=(0, 2), example=(((2, 4, 3),), ())),
    Prim("qr_r", 1, {"numpy": "linalg.qr"}, _sympy_qr(1), vjp=(_qr_r_vjp,), jvp=_qr_r_jvp,
         shape=lambda a, **p: _qr_shapes(a)[1], params=(("mode", "reduced"),), sample=((-2.0, 2.0),),
         output=(1, 2), example=(((3, 3),), ())),
]
