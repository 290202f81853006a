"""What the np.linalg rows (linalg.py, factorizations.py, norms.py) share: IR builders
for stacks of matrices, and their SymPy meaning matrix by matrix.

NumPy's linear algebra works on the last two axes and treats the axes before them
as a stack (a batch): `mT(b, a)` is a transpose of every matrix, `b.matmul`
multiplies them pairwise. The derivative rules are written with these builders,
so one rule serves a matrix and a stack alike.

A SymPy meaning (`each_matrix`) runs a SymPy or mpmath function on each matrix of
an array of SymPy expressions (dtype object). The factorizations have no closed
form on symbols: `numeric` gives the mpmath matrix of numbers, and raises TypeError
for symbols, where verification compares with finite differences instead.
"""

from __future__ import annotations

import numpy as np


def _sp():
    import sympy

    return sympy


# ---------------------------------------------------------------- builders

def mT(b, a):
    """Every matrix of the stack `a` transposed (its last two axes exchanged)."""
    n = len(b.shape(a))
    return b.transpose(a) if n == 2 else b.transpose(a, axes=tuple(range(n - 2)) + (n - 1, n - 2))


def column(b, v):
    """A stack of vectors as a stack of columns, `v[..., :, None]`."""
    return b.expand_dims(v, axis=-1)


def row(b, v):
    """A stack of vectors as a stack of rows, `v[..., None, :]`."""
    return b.expand_dims(v, axis=-2)


def uncolumn(b, m):
    """A stack of columns as a stack of vectors, `m[..., 0]`."""
    return b.getitem(m, index=(("ellipsis",), ("int", 0)))


def identity(b, n: int):
    return b.eye(N=n)


def diagonal(b, m):
    """The diagonals of a stack of square matrices, `(..., n)`."""
    return b.diagonal(m, axis1=-2, axis2=-1)


def off_diagonal_inverse(b, differences):
    """`1 / d_ij` off the diagonal and 0 on it, for the differences `d` of a stack of
    eigen- or singular values: the factor of the rules of eigh and svd (infinite where
    two values coincide, where those rules have no limit)."""
    eye = identity(b, b.shape(differences)[-1])
    return b.sub(b.div(1.0, b.add(differences, eye)), eye)


def symmetric_input(b, a, lower: bool):
    """The symmetric matrix NumPy reads from `a` where it reads one triangle only
    (np.linalg.cholesky, eigh): that triangle, mirrored."""
    if lower:
        return b.add(b.tril(a), mT(b, b.tril(a, k=-1)))
    return b.add(b.triu(a), mT(b, b.triu(a, k=1)))


def triangle_adjoint(b, p, lower: bool):
    """The adjoint of `symmetric_input`: given P with df = <P, dS> for symmetric dS, the
    cotangent of the triangle read, tril(P + P^T) - diag(P) (triu for the upper one)."""
    both = b.add(p, mT(b, p))
    mirrored = b.tril(both) if lower else b.triu(both)
    return b.sub(mirrored, b.mul(p, identity(b, b.shape(p)[-1])))


def solve_right(b, m, r):
    """`m @ inv(r)` without the inverse: solve(r^T, m^T)^T."""
    return mT(b, b.solve(mT(b, r), mT(b, m)))


# ---------------------------------------------------------------- SymPy meanings

def matrix(a):
    """A SymPy Matrix of a 2-d array of expressions."""
    return _sp().Matrix(a.tolist())


def array(m) -> np.ndarray:
    """A SymPy Matrix (or mpmath matrix) as a 2-d array of SymPy expressions."""
    sp = _sp()
    rows = m.tolist() if hasattr(m, "tolist") else [[m[i, j] for j in range(m.cols)] for i in range(m.rows)]
    return np.array([[sp.sympify(v) for v in r] for r in rows], dtype=object).reshape(len(rows), -1)


def each_matrix(fn, a, core: int = 2):
    """`fn` on each matrix (the last `core` axes) of the stack `a`; its results stacked.

    `fn` returns an expression, or an array of them; a tuple of those is stacked as
    a tuple."""
    a = np.asarray(a, dtype=object)
    lead = a.shape[:a.ndim - core]
    results = [fn(a[index]) for index in np.ndindex(lead)]
    if isinstance(results[0], tuple):
        return tuple(_stacked([r[k] for r in results], lead) for k in range(len(results[0])))
    return _stacked(results, lead)


def _stacked(results: list, lead: tuple):
    if lead == ():
        return results[0]
    parts = [np.asarray(r, dtype=object) for r in results]
    out = np.empty(lead + parts[0].shape, dtype=object)
    for index, part in zip(np.ndindex(lead), parts, strict=True):
        out[index] = part if part.shape else part[()]  # (an expression, not a 0-d array of it)
    return out


def numeric(a):
    """The mpmath matrix (30 digits) of a 2-d array of SymPy numbers; TypeError for
    symbols: a factorization has no closed form on them."""
    import mpmath

    if not all(getattr(v, "is_number", True) for v in np.ravel(a)):
        raise TypeError("a matrix factorization has no closed form on symbols")
    mpmath.mp.dps = 30
    return mpmath.matrix([[mpmath.mpf(str(_sp().N(v, 30))) for v in r] for r in np.asarray(a).tolist()])


def floats(a) -> np.ndarray:
    """A 2-d array of SymPy numbers as floats."""
    return np.vectorize(lambda v: float(v), otypes=[float])(np.asarray(a, dtype=object))


def aligned(columns: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Each column of `columns` with the sign that matches that of `reference` (an
    eigenvector or singular vector is defined up to its sign: the float code's)."""
    signs = np.sign(np.sum(floats(columns) * reference, axis=0))
    return columns * np.where(signs == 0, 1, signs).astype(int)
