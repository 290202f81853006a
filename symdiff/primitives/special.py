"""scipy.special's functions (and math.gamma, math.lgamma): gamma and its relatives,
Bessel functions, the error function's inverses, the logistic function and its inverse,
the incomplete gamma and beta functions, and x log y.

Each is a row spelled in the lazy namespace "scipy" (`scipy.special.expit` is spelled
"special.expit", primitives/row.py: LAZY_MODULES): SciPy is imported only where a
function uses it, and the base install works without it. A derivative is written with
SciPy's own functions where it needs them (d/dx gammaln = digamma, d/dx jn = (j(n-1) -
j(n+1)) / 2), so math.gamma's and math.lgamma's need SciPy too: without it they are
refused where they are differentiated.

Arguments a function is not differentiated in (polygamma's order n, the Bessel
functions' order, gammainc's a, betainc's a and b, multigammaln's d) are the row's
`fixed` ones: a value depending on a differentiated parameter there is refused.
logsumexp, softmax and log_softmax are written with NumPy's rows (the maximum
subtracted first, as SciPy does), multigammaln with gammaln for a d known then.
"""

from __future__ import annotations

import importlib
import math

from ..errors import UnsupportedSyntaxError
from .row import Prim

SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2.0
ANY = (-3.0, 3.0)
POS = (0.5, 3.0)
ORDER = (2.0, 2.0)  # (an order for the table's tests: one integer, drawn as a float)


def _sp():
    import sympy  # (only the symbolic checks need SymPy)

    return sympy


def _special(name, arity, sympy, partials, math_name=None, **kw):
    spelling = {"scipy": f"special.{name}"} | ({"math": math_name} if math_name else {})
    return Prim(name, arity, spelling, sympy, partials, **kw)


def scipy_installed() -> bool:
    try:
        importlib.import_module("scipy.special")
    except ImportError:
        return False
    return True


def _digamma(b, x):
    """digamma(x), written as scipy.special.digamma: refused where SciPy is not installed."""
    if not scipy_installed():
        raise UnsupportedSyntaxError(b.loc, "the derivative of gamma and lgamma is digamma, which "
                                     "symdiff writes with scipy.special; install SciPy (pip install "
                                     "scipy), or differentiate with respect to other parameters")
    return b.digamma(x)


def _positive(x, *rest):
    return x > 0


def _x_positive(first, x, *rest):
    return x > 0


# ---------------------------------------------------------------- partials

def _beta_partial(b, o, a, c):
    """d beta(a, c)/da = beta(a, c) (psi(a) - psi(a + c))."""
    return b.mul(o, b.sub(_digamma(b, a), _digamma(b, b.add(a, c))))


def _betaln_partial(b, o, a, c):
    return b.sub(_digamma(b, a), _digamma(b, b.add(a, c)))


def _gammainc_partial(sign):
    """d gammainc(a, x)/dx = x**(a - 1) e**-x / gamma(a), as one exponential (no overflow)."""
    def partial(b, o, a, x):
        density = b.exp(b.sub(b.sub(b.mul(b.sub(a, 1.0), b.log(x)), x), b.loggamma(a)))
        return density if sign > 0 else b.neg(density)
    return partial


def _betainc_partial(b, o, a, c, x):
    """d betainc(a, c, x)/dx = x**(a - 1) (1 - x)**(c - 1) / beta(a, c)."""
    logs = b.add(b.mul(b.sub(a, 1.0), b.log(x)), b.mul(b.sub(c, 1.0), b.log1p(b.neg(x))))
    return b.exp(b.sub(logs, b.betaln(a, c)))


def _shifted_half_sum(prim, sign):
    """(f(n - 1, x) + sign f(n + 1, x)) / 2: the derivative of Bessel functions of order n."""
    def partial(b, o, n, x):
        below, above = b.emit(prim, b.sub(n, 1.0), x), b.emit(prim, b.add(n, 1.0), x)
        return b.mul(0.5, b.add(below, above) if sign > 0 else b.sub(below, above))
    return partial


def _ive_partial(b, o, v, x):
    """ive = iv e**-|x|: (ive(v - 1) + ive(v + 1)) / 2 - sign(x) ive."""
    return b.sub(_shifted_half_sum("ive", 1)(b, o, v, x), b.mul(b.sign(x), o))


def _order_one(prim, zero, two, sign):
    """f1' = (f0 - f2) / 2 (j1, y1) or (f0 + f2) / 2 (i1), f2 the order-2 function."""
    def partial(b, o, x):
        second = b.emit(two, 2.0, x)
        return b.mul(0.5, b.add(b.emit(zero, x), second) if sign > 0 else b.sub(b.emit(zero, x), second))
    return partial


# ---------------------------------------------------------------- the SymPy meanings

def _gammainc_meaning(a, x):
    return _sp().lowergamma(a, x) / _sp().gamma(a)


def _gammaincc_meaning(a, x):
    return _sp().uppergamma(a, x) / _sp().gamma(a)


def _bessel(kind, order=None):
    """SymPy's Bessel function `kind` (besselj, bessely, besseli), of a fixed order or the first argument."""
    if order is not None:
        return lambda x: getattr(_sp(), kind)(order, x)
    return lambda n, x: getattr(_sp(), kind)(n, x)


# ---------------------------------------------------------------- written with other rows

def _shifted(b, x, axis):
    """x minus its maximum along `axis` (kept as length-1 axes): exp of it cannot overflow."""
    return b.sub(x, b.amax(x, axis=axis, keepdims=True))


def _logsumexp(builder, x, /, axis=None, b=None, keepdims=False):
    """log(sum(b * exp(x))) along `axis`, the maximum of x taken out first (the builder is
    not `b` here: SciPy's weights are)."""
    terms = builder.exp(_shifted(builder, x, axis))
    terms = terms if b is None else builder.mul(b, terms)
    total = builder.log(builder.sum(terms, axis=axis, keepdims=keepdims))
    return builder.add(total, builder.amax(x, axis=axis, keepdims=keepdims))


def _softmax(b, x, axis=None):
    weights = b.exp(_shifted(b, x, axis))
    return b.div(weights, b.sum(weights, axis=axis, keepdims=True))


def _log_softmax(b, x, axis=None):
    shifted = _shifted(b, x, axis)
    return b.sub(shifted, b.log(b.sum(b.exp(shifted), axis=axis, keepdims=True)))


def _multigammaln(b, a, d):
    """log of the multivariate gamma function: d (d - 1) / 4 log(pi) + sum_j gammaln(a - j / 2)."""
    count = getattr(d, "value", None)
    if type(count) is not int or count < 1:
        raise ValueError("write d as a positive int in the call, multigammaln(a, 2)")
    total = count * (count - 1) / 4.0 * math.log(math.pi)
    for j in range(count):
        total = b.add(total, b.loggamma(b.sub(a, j / 2.0) if j else a))
    return total


def _lowered(name, arity, lowering, params=(), **kw):
    return Prim(name, arity, {"scipy": f"special.{name}"}, None, lowering=lowering, params=params,
                shape=lambda *s, **p: (), **kw)


SPECIAL_ROWS = [
    # -- the logistic function and its inverse
    _special("expit", 1, lambda x: 1 / (1 + _sp().exp(-x)), (lambda b, o, x: b.mul(o, b.sub(1.0, o)),),
             sample=(ANY,), never_raises=True),
    _special("logit", 1, lambda x: _sp().log(x / (1 - x)),
             (lambda b, o, x: b.div(1.0, b.mul(x, b.sub(1.0, x))),),
             domain=lambda x: 0 < x < 1, sample=((0.05, 0.95),)),
    # -- the error function's inverses (erf and erfc: primitives/scalar.py)
    _special("erfinv", 1, lambda x: _sp().erfinv(x),
             (lambda b, o, x: b.mul(SQRT_PI_OVER_2, b.exp(b.mul(o, o))),),
             domain=lambda x: -1 < x < 1, sample=((-0.9, 0.9),)),
    _special("erfcinv", 1, lambda x: _sp().erfinv(1 - x),  # (SymPy evaluates its erfcinv off [0, 1] wrongly)
             (lambda b, o, x: b.mul(-SQRT_PI_OVER_2, b.exp(b.mul(o, o))),),
             domain=lambda x: 0 < x < 2, sample=((0.1, 1.9),)),
    # -- gamma and its relatives
    Prim("loggamma", 1, {"scipy": "special.gammaln", "math": "lgamma"}, lambda x: _sp().loggamma(x),
         (lambda b, o, x: _digamma(b, x),), domain=_positive, sample=(POS,)),
    _special("gamma", 1, lambda x: _sp().gamma(x), (lambda b, o, x: b.mul(o, _digamma(b, x)),),
             math_name="gamma", domain=_positive, sample=(POS,)),
    _special("rgamma", 1, lambda x: 1 / _sp().gamma(x), (lambda b, o, x: b.neg(b.mul(o, _digamma(b, x))),),
             domain=_positive, sample=(POS,)),
    _special("digamma", 1, lambda x: _sp().polygamma(0, x), (lambda b, o, x: b.polygamma(1.0, x),),
             domain=_positive, sample=(POS,)),
    _special("psi", 1, lambda x: _sp().polygamma(0, x), (lambda b, o, x: b.polygamma(1.0, x),),
             domain=_positive, sample=(POS,)),
    _special("polygamma", 2, lambda n, x: _sp().polygamma(n, x),
             (None, lambda b, o, n, x: b.polygamma(b.add(n, 1.0), x)),
             domain=_x_positive, sample=(ORDER, POS), fixed=((0, "the order n"),)),
    _special("gammasgn", 1, lambda x: _sp().sign(_sp().gamma(x)), None, sample=((-2.9, 3.0),),
             domain=lambda x: x > 0 or abs(x - round(x)) > 0.05),
    _special("beta", 2, lambda a, c: _sp().beta(a, c),
             (_beta_partial, lambda b, o, a, c: _beta_partial(b, o, c, a)),
             domain=lambda a, c: a > 0 and c > 0, sample=(POS, POS), commutative=True),
    _special("betaln", 2, lambda a, c: _sp().log(_sp().beta(a, c)),
             (_betaln_partial, lambda b, o, a, c: _betaln_partial(b, o, c, a)),
             domain=lambda a, c: a > 0 and c > 0, sample=(POS, POS), commutative=True),
    _special("gammainc", 2, _gammainc_meaning, (None, _gammainc_partial(1)), domain=_x_positive,
             sample=(POS, POS), fixed=((0, "a (its derivative in a has no closed form)"),)),
    _special("gammaincc", 2, _gammaincc_meaning, (None, _gammainc_partial(-1)), domain=_x_positive,
             sample=(POS, POS), fixed=((0, "a (its derivative in a has no closed form)"),)),
    _special("betainc", 3, lambda a, c, x: _sp().betainc_regularized(a, c, 0, x),
             (None, None, _betainc_partial), domain=lambda a, c, x: 0 < x < 1,
             sample=(POS, POS, (0.1, 0.9)), fixed=((0, "a"), (1, "b (its derivatives in a and b have no "
                                                               "closed form)"))),
    # -- x log y, 0 where x is 0
    _special("xlogy", 2, lambda x, y: x * _sp().log(y),
             (lambda b, o, x, y: b.log(y), lambda b, o, x, y: b.div(x, y)),
             domain=lambda x, y: y > 0, sample=(ANY, POS)),
    _special("xlog1py", 2, lambda x, y: x * _sp().log(1 + y),
             (lambda b, o, x, y: b.log1p(y), lambda b, o, x, y: b.div(x, b.add(y, 1.0))),
             domain=lambda x, y: y > -1, sample=(ANY, (-0.8, 3.0))),
    # -- Bessel functions
    _special("i0", 1, _bessel("besseli", 0), (lambda b, o, x: b.i1(x),), sample=(ANY,)),
    _special("i1", 1, _bessel("besseli", 1), (_order_one("i1", "i0", "iv", 1),), sample=(ANY,)),
    _special("iv", 2, _bessel("besseli"), (None, _shifted_half_sum("iv", 1)), domain=_x_positive,
             sample=((1.5, 1.5), POS), fixed=((0, "the order v"),)),
    _special("ive", 2, lambda v, x: _sp().besseli(v, x) * _sp().exp(-_sp().Abs(x)),
             (None, _ive_partial), domain=_x_positive, sample=((1.5, 1.5), POS), fixed=((0, "the order v"),)),
    _special("j0", 1, _bessel("besselj", 0), (lambda b, o, x: b.neg(b.j1(x)),), sample=(ANY,)),
    _special("j1", 1, _bessel("besselj", 1), (_order_one("j1", "j0", "jv", -1),), sample=(ANY,)),
    _special("jv", 2, _bessel("besselj"), (None, _shifted_half_sum("jv", -1)), domain=_x_positive,
             sample=((1.5, 1.5), POS), fixed=((0, "the order v"),)),
    _special("jn", 2, _bessel("besselj"), (None, _shifted_half_sum("jv", -1)), domain=_x_positive,
             sample=(ORDER, POS), fixed=((0, "the order n"),)),
    _special("y0", 1, _bessel("bessely", 0), (lambda b, o, x: b.neg(b.y1(x)),), domain=_positive, sample=(POS,)),
    _special("y1", 1, _bessel("bessely", 1), (_order_one("y1", "y0", "yv", -1),), domain=_positive,
             sample=(POS,)),
    _special("yv", 2, _bessel("bessely"), (None, _shifted_half_sum("yv", -1)), domain=_x_positive,
             sample=((1.5, 1.5), POS), fixed=((0, "the order v"),)),
    _special("yn", 2, _bessel("bessely"), (None, _shifted_half_sum("yv", -1)), domain=_x_positive,
             sample=(ORDER, POS), fixed=((0, "the order n"),)),
    # -- written with other rows
    _lowered("logsumexp", 1, _logsumexp, (("axis", None), ("b", None), ("keepdims", False)), array_params=("b",)),
    _lowered("softmax", 1, _softmax, (("axis", None),)),
    _lowered("log_softmax", 1, _log_softmax, (("axis", None),)),
    _lowered("multigammaln", 2, _multigammaln),
]
