"""More of NumPy's elementwise functions: reciprocal, angle conversions, sinc, rounding,
nan_to_num, the NaN-ignoring fmax/fmin, logaddexp2, heaviside and the float casts.

Each is a row with one `partials` entry (reverse and forward mode both come from it);
the rounding ones carry no gradient, like floor and ceil. Conventions at the special
points, where the true derivative does not exist or NumPy's value is a choice:

  * np.sinc(0) = 1 and its derivative there is 0 (the limit); its second derivative
    there is -pi**2 / 3, the limit too (the partial's guarded branch is -pi**2 / 3 * x).
  * np.fmax / np.fmin follow max / min, ties split 1/2-1/2; where one argument is NaN
    the other is the result and gets the whole gradient.
  * np.nan_to_num passes the gradient where its argument is finite, 0 where not.
  * np.heaviside(x, h) has no gradient in x (a step; at x = 0 its value is h); in h
    the gradient is 1 exactly where x == 0.
  * np.float64(x) is x. np.float32(x) rounds x to single precision: a constant is fine
    (np.float32(2.0) * x), a differentiated value is refused (`Prim.fixed`), since the
    derivative of a rounding is not the 1 a cast would suggest.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .row import Prim

PI_OVER_180 = math.pi / 180.0
ANY = (-3.0, 3.0)


def _sp():
    import sympy  # (only the symbolic checks need SymPy)

    return sympy


def _choose(b, condition, a, other):
    """`a` where `condition` holds, else `other`: np.where on arrays, `a if condition else
    other` on numbers (code without shapes is code for numbers), which stay floats."""
    if b.shapes is not None and b.shape(condition) != ():
        return b.where(condition, a, other)
    return b.cond(condition, a, other)


def _sinc_partial(b, o, x):
    """d sinc/dx = (cos(pi x) - sinc(x)) / x, and at x = 0 its limit 0 (written -pi**2/3 x,
    so that the second derivative there is right too); x is replaced by 1 where it is 0,
    so that the untaken branch never divides by zero."""
    nonzero = b.ne(x, 0.0)
    safe = _choose(b, nonzero, x, 1.0)
    slope = b.div(b.sub(b.cos(b.mul(math.pi, x)), o), safe)
    return _choose(b, nonzero, slope, b.mul(-math.pi ** 2 / 3.0, x))


def _nan_ignoring_tie_split(b, x, y, cmp):
    """d fmax(x, y)/dx = [x > y] + 1/2 [x == y] + [y is NaN and x is not]."""
    split = b.add(b.emit(cmp, x, y), b.mul(0.5, b.eq(x, y)))
    return b.add(split, b.mul(b.ne(y, y), b.eq(x, x)))


def _heaviside_meaning(x, h):
    sp = _sp()
    return sp.Piecewise((0, x < 0), (h, sp.Eq(x, 0)), (1, True))


@functools.lru_cache(maxsize=None)
def _single_precision():
    """A SymPy function that rounds a number to float32 and stays unevaluated on symbols."""
    sp = _sp()

    def evaluated(cls, x):
        if x.is_Number:
            return sp.Float(float(np.float32(float(x))))
        return None

    return type("float32", (sp.Function,), {"eval": classmethod(evaluated)})


def _numpy(name, arity, sympy, partials, **kw):
    return Prim(name, arity, {"numpy": name}, sympy, partials, **kw)


def _angle(name, factor):
    """deg2rad / radians (factor pi/180) and rad2deg / degrees (180/pi): a scaling."""
    return _numpy(name, 1, lambda x: x * (_sp().pi / 180 if factor < 1 else 180 / _sp().pi),
                  (lambda b, o, x: factor,), sample=(ANY,), linear=True, never_raises=True)


def _rounding(name, meaning):
    return Prim(name, 1, {"numpy": name}, meaning, sample=(ANY,), kind="integral")


ELEMENTWISE_ROWS = [
    _numpy("reciprocal", 1, lambda x: 1 / x, (lambda b, o, x: b.neg(b.mul(o, o)),),
           domain=lambda x: abs(x) > 0.1, sample=(ANY,), kind="promote"),
    _angle("deg2rad", PI_OVER_180), _angle("radians", PI_OVER_180),
    _angle("rad2deg", 1.0 / PI_OVER_180), _angle("degrees", 1.0 / PI_OVER_180),
    _numpy("sinc", 1, lambda x: _sp().sinc(_sp().pi * x), (_sinc_partial,), sample=(ANY,)),
    # rint rounds half to even; off the ties (where the sample points fall) it is floor(x + 1/2)
    _rounding("rint", lambda x: _sp().floor(x + _sp().Rational(1, 2))),
    _rounding("fix", lambda x: _sp().sign(x) * _sp().floor(_sp().Abs(x))),
    # (SymPy's reals are finite: its isfinite is 1)
    Prim("isfinite", 1, {"math": "isfinite", "numpy": "isfinite"}, lambda x: _sp().Integer(1),
         sample=(ANY,), kind="bool", never_raises=True),
    _numpy("nan_to_num", 1, lambda x, **params: x, (lambda b, o, x: b.isfinite(x),), sample=(ANY,), kind="promote",
           params=(("nan", 0.0), ("posinf", None), ("neginf", None))),
    _numpy("fmax", 2, lambda x, y: _sp().Max(x, y),
           (lambda b, o, x, y: _nan_ignoring_tie_split(b, x, y, "gt"),
            lambda b, o, x, y: _nan_ignoring_tie_split(b, y, x, "gt")),
           sample=(ANY, ANY), kind="promote", commutative=True, never_raises=True),
    _numpy("fmin", 2, lambda x, y: _sp().Min(x, y),
           (lambda b, o, x, y: _nan_ignoring_tie_split(b, x, y, "lt"),
            lambda b, o, x, y: _nan_ignoring_tie_split(b, y, x, "lt")),
           sample=(ANY, ANY), kind="promote", commutative=True, never_raises=True),
    # log2(2^x + 2^y) without overflow; d/dx = 2^(x - out), the weight of x
    _numpy("logaddexp2", 2, lambda x, y: _sp().log(2**x + 2**y, 2),
           (lambda b, o, x, y: b.exp2(b.sub(x, o)), lambda b, o, x, y: b.exp2(b.sub(y, o))),
           sample=(ANY, ANY), commutative=True),
    _numpy("heaviside", 2, _heaviside_meaning, (None, lambda b, o, x, h: b.eq(x, 0.0)),
           sample=(ANY, (0.0, 1.0))),
    _numpy("float64", 1, lambda x: x, (lambda b, o, x: 1.0,), sample=(ANY,), linear=True, never_raises=True),
    _numpy("float32", 1, lambda x: _single_precision()(x), (None,), sample=(ANY,),
           fixed=((0, "its argument (a cast to single precision rounds it: use np.float64, or leave "
                   "the cast out)"),)),
]
