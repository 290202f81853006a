"""The NumPy surface autograd differentiates, written as plain functions of our own.

Which functions, argument forms and keywords are here comes from autograd's lists
of gradients (autograd/numpy/numpy_vjps.py, numpy_jvps.py, linalg.py,
autograd/scipy/special.py) and from what its gradient tests exercise
(tests/test_scalar_ops.py, test_numpy.py, test_systematic.py, test_linalg.py): every
function autograd gives a gradient for, with its keyword forms (axis, keepdims,
ddof, ord, offset, k, ...), on numbers and on arrays where autograd tests both,
plus the operators. The functions themselves are ours: each calls the function it
covers once (or in the form named) and reduces the result to one number, mostly
as `np.sum(np.sin(...))`, so that every entry of the result reaches the gradient
with a weight of its own.

Arguments are small (3 or 4 entries, rarely more) and well-conditioned:
symmetric positive definite matrices for cholesky and eigh, matrices with a
dominant diagonal for inv, solve and det, numbers inside a function's domain and
away from its kinks. The functions live in tests/cases/surface/, one module per
family (a small module each: symdiff reads a function's whole module to find it);
`CASES` here is the table (surface/table.py's Case: the function, what it covers,
how to draw its arguments, which to differentiate); `EXCLUDED` lists
what autograd differentiates that is out of scope here, with the reason; `AUTOGRAD`
names every function autograd gives a gradient for, so that the coverage script
can count how many of them symdiff covers.
"""

from .surface import (beyond, binary, indexing, linalg, matrices, products, reductions, scalars, shapes,
                      special, stacking, ufuncs)

CASES = (scalars.CASES + ufuncs.CASES + binary.CASES + reductions.CASES + products.CASES + shapes.CASES
         + stacking.CASES + matrices.CASES + indexing.CASES + linalg.CASES + special.CASES + beyond.CASES)

# ------------------------------------------------ what autograd differentiates, by name
# Every function with a gradient in autograd (numpy_vjps.py, linalg.py, scipy/special.py)
# or exercised by its gradient tests, spelled as `covers` spells it; those with no case
# here are in EXCLUDED.

AUTOGRAD = frozenset(
    ["np." + name for name in """
    add subtract multiply divide true_divide maximum minimum fmax fmin logaddexp logaddexp2
    mod remainder power arctan2 hypot negative abs fabs absolute reciprocal exp exp2 expm1
    log log2 log10 log1p sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh
    arctanh rad2deg degrees deg2rad radians square sqrt sinc sign floor ceil round rint around
    fix trunc nan_to_num where reshape ravel expand_dims squeeze transpose swapaxes moveaxis
    rollaxis flipud fliplr rot90 roll broadcast_to atleast_1d atleast_2d atleast_3d
    repeat tile pad diff gradient split array_split vsplit hsplit dsplit concatenate append
    stack vstack hstack column_stack row_stack dstack r_ c_ select diag diagonal trace triu
    tril clip full linspace sort partition sum mean prod var std max min amax amin cumsum
    dot inner matmul outer tensordot kron cross einsum array asarray
    real imag conj conjugate angle real_if_close msort make_diagonal all any
    """.split()]
    + ["np.linalg." + name for name in "det slogdet inv pinv solve norm eigh eig cholesky svd".split()]
    + ["scipy.special." + name for name in """
    beta betainc betaln polygamma psi digamma gamma gammaln gammainc gammaincc gammasgn rgamma
    multigammaln j0 y0 j1 y1 jn yn i0 i1 iv ive erf erfc erfinv erfcinv logit expit logsumexp
    """.split()]
    + ["ndarray.flatten", "ndarray.astype", "x[i, j, k]", "x[a:b]", "x[[i, j]]", "x[i, a:b, [j, k]]",
       "x[:, None]", "len", "sum", "-x", "+", "-", "*", "/", "%", "**"]
    + ["operator." + name for name in "add sub mul truediv mod pow neg".split()])

EXCLUDED = {
    **{f"np.{name}": "complex-valued: symdiff differentiates real functions only"
       for name in ("real", "imag", "conj", "conjugate", "angle", "real_if_close")},
    "np.linalg.eig": "complex-valued: a real matrix's eigenvalues are complex in general",
    "np.fft": "complex-valued: symdiff differentiates real functions only",
    "np.msort": "removed in NumPy 2.0 (np.sort(x, axis=0) is covered)",
    "np.row_stack": "a deprecated alias of np.vstack since NumPy 2.0 (np.vstack is covered)",
    "np.make_diagonal": "autograd's own function, not NumPy's",
    "np.all": "boolean-valued: no gradient to check",
    "np.any": "boolean-valued: no gradient to check",
    "scipy.stats, scipy.linalg, scipy.signal, scipy.integrate": "outside issue 16 "
    "(NumPy, np.linalg and scipy.special)",
}
