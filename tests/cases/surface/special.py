"""Part of autograd_surface.py's corpus: scipy.special (cases marked needs="scipy").

Arguments a function is differentiated in (autograd differentiates betainc,
gammainc and gammaincc in x only, polygamma, jn, yn, iv and ive in x, multigammaln
in a) are drawn inside the domain; the others are fixed numbers. Without SciPy
the module still imports (`scipy` is None) and the cases are skipped.
"""

import numpy as np

from .table import case, fixed, normal, within

try:
    import scipy.special
except ImportError:  # the cases need="scipy": skipped without it
    scipy = None


def beta_both(a, b):
    return np.sum(np.sin(scipy.special.beta(a, b)))


def betainc_in_x(a, b, x):
    return np.sum(np.sin(scipy.special.betainc(a, b, x)))


def betaln_both(a, b):
    return np.sum(np.sin(scipy.special.betaln(a, b)))


def polygamma_in_x(n, x):
    return np.sum(np.sin(scipy.special.polygamma(n, x)))


def psi_values(x):
    return np.sum(np.sin(scipy.special.psi(x)))


def digamma_values(x):
    return np.sum(np.sin(scipy.special.digamma(x)))


def gamma_values(x):
    return np.sum(np.sin(scipy.special.gamma(x)))


def gammaln_values(x):
    return np.sum(np.sin(scipy.special.gammaln(x)))


def gammaln_number(x):
    return scipy.special.gammaln(x)


def gammainc_in_x(a, x):
    return np.sum(np.sin(scipy.special.gammainc(a, x)))


def gammaincc_in_x(a, x):
    return np.sum(np.sin(scipy.special.gammaincc(a, x)))


def gammasgn_values(x):
    return np.sum(scipy.special.gammasgn(x) * x)


def rgamma_values(x):
    return np.sum(np.sin(scipy.special.rgamma(x)))


def multigammaln_in_a(a, d):
    return np.sin(scipy.special.multigammaln(a, d))


def j0_values(x):
    return np.sum(np.sin(scipy.special.j0(x)))


def y0_values(x):
    return np.sum(np.sin(scipy.special.y0(x)))


def j1_values(x):
    return np.sum(np.sin(scipy.special.j1(x)))


def y1_values(x):
    return np.sum(np.sin(scipy.special.y1(x)))


def jn_in_x(n, x):
    return np.sum(np.sin(scipy.special.jn(n, x)))


def yn_in_x(n, x):
    return np.sum(np.sin(scipy.special.yn(n, x)))


def i0_values(x):
    return np.sum(np.sin(scipy.special.i0(x)))


def i1_values(x):
    return np.sum(np.sin(scipy.special.i1(x)))


def iv_in_x(v, x):
    return np.sum(np.sin(scipy.special.iv(v, x)))


def ive_in_x(v, x):
    return np.sum(np.sin(scipy.special.ive(v, x)))


def erf_values(x):
    return np.sum(np.sin(scipy.special.erf(x)))


def erfc_values(x):
    return np.sum(np.sin(scipy.special.erfc(x)))


def erfinv_values(x):
    return np.sum(np.sin(scipy.special.erfinv(x)))


def erfcinv_values(x):
    return np.sum(np.sin(scipy.special.erfcinv(x)))


def logit_values(x):
    return np.sum(np.sin(scipy.special.logit(x)))


def expit_values(x):
    return np.sum(np.sin(scipy.special.expit(x)))


def logsumexp_all(x):
    return scipy.special.logsumexp(x)


def logsumexp_axis0(x):
    return np.sum(np.sin(scipy.special.logsumexp(x, axis=0)))


def logsumexp_axis1_keepdims(x):
    return np.sum(np.sin(scipy.special.logsumexp(x, axis=1, keepdims=True)))


def logsumexp_weights(x, b):
    return scipy.special.logsumexp(x, b=b)


# Beyond autograd's list: the rest of issue 16's scipy.special functions.


def softmax_rows(x):
    return np.sum(np.sin(scipy.special.softmax(x, axis=1)) * np.arange(6.0).reshape(2, 3))


def log_softmax_vector(x):
    return np.sum(np.sin(scipy.special.log_softmax(x)) * np.arange(3.0))


def xlogy_both(x, y):
    return np.sum(np.sin(scipy.special.xlogy(x, y)))


CASES = [case(*row, needs="scipy") for row in [
    (beta_both, "scipy.special.beta", within(0.5, 3.0, 3), within(0.5, 3.0, 3)),
    (betainc_in_x, "scipy.special.betainc", fixed(2.0), fixed(3.0), within(0.1, 0.9, 3)),
    (betaln_both, "scipy.special.betaln", within(0.5, 3.0, 3), within(0.5, 3.0, 3)),
    (polygamma_in_x, "scipy.special.polygamma", fixed(1), within(0.5, 3.0, 3)),
    (psi_values, "scipy.special.psi", within(0.5, 3.0, 3)),
    (digamma_values, "scipy.special.digamma", within(0.5, 3.0, 3)),
    (gamma_values, "scipy.special.gamma", within(0.5, 3.0, 3)),
    (gammaln_values, "scipy.special.gammaln", within(0.5, 3.0, 3)),
    (gammaln_number, "scipy.special.gammaln", within(0.5, 3.0)),
    (gammainc_in_x, "scipy.special.gammainc", fixed(2.0), within(0.5, 3.0, 3)),
    (gammaincc_in_x, "scipy.special.gammaincc", fixed(2.0), within(0.5, 3.0, 3)),
    (gammasgn_values, "scipy.special.gammasgn", within(-2.9, 3.0, 3)),
    (rgamma_values, "scipy.special.rgamma", within(0.5, 3.0, 3)),
    (multigammaln_in_a, "scipy.special.multigammaln", within(2.0, 4.0), fixed(2)),
    (j0_values, "scipy.special.j0", within(0.5, 3.0, 3)),
    (y0_values, "scipy.special.y0", within(0.5, 3.0, 3)),
    (j1_values, "scipy.special.j1", within(0.5, 3.0, 3)),
    (y1_values, "scipy.special.y1", within(0.5, 3.0, 3)),
    (jn_in_x, "scipy.special.jn", fixed(2), within(0.5, 3.0, 3)),
    (yn_in_x, "scipy.special.yn", fixed(2), within(0.5, 3.0, 3)),
    (i0_values, "scipy.special.i0", within(0.5, 3.0, 3)),
    (i1_values, "scipy.special.i1", within(0.5, 3.0, 3)),
    (iv_in_x, "scipy.special.iv", fixed(1.5), within(0.5, 3.0, 3)),
    (ive_in_x, "scipy.special.ive", fixed(1.5), within(0.5, 3.0, 3)),
    (erf_values, "scipy.special.erf", normal(3)),
    (erfc_values, "scipy.special.erfc", normal(3)),
    (erfinv_values, "scipy.special.erfinv", within(-0.9, 0.9, 3)),
    (erfcinv_values, "scipy.special.erfcinv", within(0.1, 1.9, 3)),
    (logit_values, "scipy.special.logit", within(0.1, 0.9, 3)),
    (expit_values, "scipy.special.expit", normal(3)),
    (logsumexp_all, "scipy.special.logsumexp", normal(2, 2)),
    (logsumexp_axis0, "scipy.special.logsumexp", normal(2, 2)),
    (logsumexp_axis1_keepdims, "scipy.special.logsumexp", normal(2, 2)),
    (logsumexp_weights, "scipy.special.logsumexp", normal(3), fixed([0.5, 1.0, 2.0])),
    (softmax_rows, "scipy.special.softmax", normal(2, 3)),
    (log_softmax_vector, "scipy.special.log_softmax", normal(3)),
    (xlogy_both, "scipy.special.xlogy", within(0.1, 2.0, 3), within(0.1, 2.0, 3)),
]]
