"""The table's rows for operations on numbers (NumPy applies them elementwise):
arithmetic, math functions, comparisons and logic, and the merge of a branch.

Adding one is adding a row here (tests/test_primitives.py then checks it against
SymPy, central differences and the forward/reverse dot-product identity).
"""

from __future__ import annotations

import math

from .row import Prim

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _sp():
    import sympy

    return sympy


def _pow_exponent_partial(b, o, x, y):
    """d x**y / dy = x**y log(x), and 0 at x = 0 (its limit there for y > 0), where log(0)
    would raise (math) or make 0 * -inf = NaN (NumPy)."""
    nonzero = b.ne(x, 0.0)
    safe = b.where(nonzero, x, 1.0) if b.ns == "numpy" else b.cond(nonzero, x, 1.0)
    return b.mul(o, b.log(safe))


def _pow_base_partial(b, o, x, y):
    """d x**y / dx = y x**(y-1), and 0 where y = 0: x**0 is 1 for every x, 0 included,
    where 0.0 ** -1 would raise (math) or make 0 * inf = NaN (NumPy). A constant
    exponent's guard folds away."""
    nonzero = b.ne(y, 0.0)
    from_one = b.sub(y, 1)
    from_one = b.where(nonzero, from_one, 1.0) if b.ns == "numpy" else b.cond(nonzero, from_one, 1.0)
    return b.mul(y, b.pow(x, from_one))


def _one(b, out, *args):
    return 1.0


def _minus_one(b, out, *args):
    return -1.0


def _unary(name, sympy, partial, spell=None, **kw):
    spelling = spell if spell is not None else {"math": name, "numpy": name}
    return Prim(name, 1, spelling, sympy, (partial,), **kw)


LOG_MAX_FLOAT = 709.78  # (e^709.78 is about 1.8e308, the largest float)


def _weight(b, x, y):
    """1 / (1 + e^(y - x)): logaddexp's partial in x, its exponent capped below overflow."""
    return b.div(1.0, b.add(1.0, b.exp(b.min(b.sub(y, x), LOG_MAX_FLOAT))))


def _inv_sqrt(b, t):
    return b.div(1.0, b.sqrt(t))


def _sign_expand(b, x):
    # sign(x) with sign(0) = 0, for scalars, without NumPy.
    return b.sub(b.float(b.gt(x, 0.0)), b.float(b.lt(x, 0.0)))


def _tie_split(b, x, y, cmp):
    # d max(x, y)/dx = [x > y] + 1/2 [x == y]: a tie splits the gradient evenly.
    return b.add(b.emit(cmp, x, y), b.mul(0.5, b.eq(x, y)))


def _cmp(name, symbol, rel, commutative=False, integral_operands=False):
    def meaning(x, y):  # an indicator: 1 where the relation holds, else 0
        sp = _sp()
        x, y = sp.sympify(x), sp.sympify(y)
        if x.is_number and y.is_number:
            # Deciding a relation of two constants exactly can recurse without end
            # in SymPy; 30 digits decide it as the floats do.
            return sp.Integer(bool(rel(sp)(real_number(x), real_number(y))))
        return sp.Piecewise((1, rel(sp)(x, y)), (0, True))

    return Prim(name, 2, {"op": symbol}, meaning, sample=(ANY, ANY), kind="bool",
                commutative=commutative, integral_operands=integral_operands, never_raises=True,
                comparison=True)


def real_number(value, digits: int = 30):
    """`value` evaluated to `digits` digits, without the imaginary part below rounding that
    SymPy's evaluation can leave (atan2 of constants becomes -I*log(...)); a value truly
    complex stays complex (comparing it raises TypeError, as Python would)."""
    sp = _sp()
    value = sp.N(value, digits)
    if value.is_extended_real:
        return value
    re, im = value.as_real_imag()
    if im.is_number and re.is_number and abs(im) <= sp.Float(10) ** (5 - digits) * max(1, abs(re)):
        return re
    return value


def truth(c):
    """A SymPy condition that holds where Python's `bool(c)` is True."""
    sp = _sp()
    c = sp.sympify(c)
    if isinstance(c, sp.Piecewise) and len(c.args) == 2 and c.args[0].expr == 1 \
            and c.args[1].expr == 0 and c.args[1].cond == sp.true:
        return c.args[0].cond  # an indicator, as comparisons give
    if isinstance(c, (sp.core.relational.Relational, sp.And, sp.Or, sp.Not, sp.logic.boolalg.BooleanAtom)):
        return c  # (a real Symbol is a Boolean to SymPy too: it is compared with 0 below)
    return sp.Ne(c, 0)


def branch(condition, a, b):
    """`a` where `condition` (a SymPy condition, see `truth`) holds, else `b`. (Symbolic
    execution following one point takes the branch the point takes instead.)"""
    return _sp().Piecewise((a, condition), (b, True))


def _indicator(condition):
    return _sp().Piecewise((1, condition), (0, True))


def _cond_shape(c, a, b):
    if c != ():
        raise ValueError(f"the condition is an array of shape {c}; a branch needs one value "
                         "(use np.where(mask, a, b) for an elementwise choice)")
    if a != b:
        raise ValueError(f"the branches give shapes {a} and {b}, so the shape would depend on "
                         "the data; give both branches the same shape")
    return a


def _real_cbrt(x):
    sp = _sp()
    return sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)


def _positive(x):
    return x > 0


def _unit_open(x):
    return -1 < x < 1


ANY = (-3.0, 3.0)
POS = (0.2, 3.0)
UNIT = (-0.9, 0.9)

SCALAR_ROWS = [
    # -- arithmetic operators (also NumPy's ufunc spellings)
    Prim("add", 2, {"op": "+", "numpy": "add"}, lambda x, y: x + y, (_one, _one),
         sample=(ANY, ANY), kind="arithmetic", linear=True, commutative=True, never_raises=True),
    Prim("sub", 2, {"op": "-", "numpy": "subtract"}, lambda x, y: x - y, (_one, _minus_one),
         sample=(ANY, ANY), kind="arithmetic", linear=True, never_raises=True),
    Prim("mul", 2, {"op": "*", "numpy": "multiply"}, lambda x, y: x * y,
         (lambda b, o, x, y: y, lambda b, o, x, y: x), sample=(ANY, ANY), kind="arithmetic",
         commutative=True, never_raises=True),
    Prim("div", 2, {"op": "/", "numpy": "divide"}, lambda x, y: x / y,
         (lambda b, o, x, y: b.div(1.0, y), lambda b, o, x, y: b.neg(b.div(o, y))),
         domain=lambda x, y: y != 0, sample=(ANY, POS)),
    Prim("pow", 2, {"op": "**", "math": "pow", "numpy": "power", "builtins": "pow"},
         lambda x, y: x**y,
         (_pow_base_partial, _pow_exponent_partial),
         domain=lambda x, y: x > 0 or (float(y).is_integer() and (x != 0 or y >= 0)),
         sample=(POS, ANY), kind="arithmetic"),
    Prim("neg", 1, {"op": "-", "numpy": "negative"}, lambda x: -x, (_minus_one,),
         sample=(ANY,), kind="promote", linear=True, never_raises=True),
    Prim("floordiv", 2, {"op": "//", "numpy": "floor_divide"}, lambda x, y: _sp().floor(x / y),
         domain=lambda x, y: y != 0, sample=(ANY, POS), kind="arithmetic", integral_operands=True),
    Prim("mod", 2, {"op": "%", "numpy": "mod"}, lambda x, y: x - y * _sp().floor(x / y),
         (_one, lambda b, o, x, y: b.neg(b.floordiv(x, y))),
         domain=lambda x, y: y != 0, sample=(ANY, POS), kind="arithmetic", integral_operands=True),
    _cmp("lt", "<", lambda sp: sp.Lt), _cmp("le", "<=", lambda sp: sp.Le),
    _cmp("gt", ">", lambda sp: sp.Gt), _cmp("ge", ">=", lambda sp: sp.Ge),
    _cmp("eq", "==", lambda sp: sp.Eq, True, True), _cmp("ne", "!=", lambda sp: sp.Ne, True, True),
    # -- logic: `not`, `and`, `or` of conditions; `cond` merges the two branches of an if
    Prim("not", 1, {"op": "not"}, lambda x: _indicator(_sp().Not(truth(x))), sample=(ANY,), kind="bool", never_raises=True),
    Prim("and", 2, {"op": "and"}, lambda x, y: _indicator(_sp().And(truth(x), truth(y))),
         sample=(ANY, ANY), kind="bool", never_raises=True),
    Prim("or", 2, {"op": "or"}, lambda x, y: _indicator(_sp().Or(truth(x), truth(y))),
         sample=(ANY, ANY), kind="bool", never_raises=True),
    Prim("cond", 3, {"op": "if"}, lambda c, a, b: branch(truth(c), a, b),
         (None, None, None), sample=(ANY, ANY, ANY), kind="promote", shape=_cond_shape),
    # -- builtins with library counterparts
    Prim("abs", 1, {"builtins": "abs", "math": "fabs", "numpy": "abs"}, lambda x: _sp().Abs(x),
         (lambda b, o, x: b.sign(x),), sample=(ANY,), kind="promote", never_raises=True),
    Prim("max", 2, {"builtins": "max", "numpy": "maximum"}, lambda x, y: _sp().Max(x, y),
         (lambda b, o, x, y: _tie_split(b, x, y, "gt"), lambda b, o, x, y: _tie_split(b, y, x, "gt")),
         sample=(ANY, ANY), kind="promote", commutative=True, never_raises=True),
    Prim("min", 2, {"builtins": "min", "numpy": "minimum"}, lambda x, y: _sp().Min(x, y),
         (lambda b, o, x, y: _tie_split(b, x, y, "lt"), lambda b, o, x, y: _tie_split(b, y, x, "lt")),
         sample=(ANY, ANY), kind="promote", commutative=True, never_raises=True),
    Prim("float", 1, {"builtins": "float"}, lambda x: x, (_one,), sample=(ANY,), linear=True, never_raises=True),
    # -- exponentials and logarithms
    _unary("exp", lambda x: _sp().exp(x), lambda b, o, x: o, sample=(ANY,)),
    _unary("exp2", lambda x: 2**x, lambda b, o, x: b.mul(o, LN2), sample=(ANY,)),
    _unary("expm1", lambda x: _sp().exp(x) - 1, lambda b, o, x: b.add(o, 1.0), sample=(ANY,)),
    _unary("log", lambda x: _sp().log(x), lambda b, o, x: b.div(1.0, x),
           domain=_positive, sample=(POS,)),
    _unary("log2", lambda x: _sp().log(x, 2), lambda b, o, x: b.div(1.0, b.mul(x, LN2)),
           domain=_positive, sample=(POS,)),
    _unary("log10", lambda x: _sp().log(x, 10), lambda b, o, x: b.div(1.0, b.mul(x, LN10)),
           domain=_positive, sample=(POS,)),
    _unary("log1p", lambda x: _sp().log(1 + x), lambda b, o, x: b.div(1.0, b.add(x, 1.0)),
           domain=lambda x: x > -1, sample=((-0.8, 3.0),)),
    _unary("sqrt", lambda x: _sp().sqrt(x), lambda b, o, x: b.div(0.5, o),
           domain=_positive, sample=(POS,)),
    _unary("cbrt", _real_cbrt, lambda b, o, x: b.div(1.0, b.mul(3.0, b.mul(o, o))),
           domain=lambda x: x != 0, sample=((0.2, 3.0),)),
    _unary("square", lambda x: x**2, lambda b, o, x: b.mul(2.0, x), spell={"numpy": "square"},
           sample=(ANY,)),
    # -- trigonometric and hyperbolic
    _unary("sin", lambda x: _sp().sin(x), lambda b, o, x: b.cos(x), sample=(ANY,)),
    _unary("cos", lambda x: _sp().cos(x), lambda b, o, x: b.neg(b.sin(x)), sample=(ANY,)),
    _unary("tan", lambda x: _sp().tan(x), lambda b, o, x: b.add(1.0, b.mul(o, o)),
           domain=lambda x: abs(math.cos(x)) > 1e-3, sample=((-1.2, 1.2),)),
    _unary("asin", lambda x: _sp().asin(x), lambda b, o, x: _inv_sqrt(b, b.sub(1.0, b.mul(x, x))),
           spell={"math": "asin", "numpy": "arcsin"}, domain=_unit_open, sample=(UNIT,)),
    _unary("acos", lambda x: _sp().acos(x),
           lambda b, o, x: b.neg(_inv_sqrt(b, b.sub(1.0, b.mul(x, x)))),
           spell={"math": "acos", "numpy": "arccos"}, domain=_unit_open, sample=(UNIT,)),
    _unary("atan", lambda x: _sp().atan(x), lambda b, o, x: b.div(1.0, b.add(1.0, b.mul(x, x))),
           spell={"math": "atan", "numpy": "arctan"}, sample=(ANY,)),
    Prim("atan2", 2, {"math": "atan2", "numpy": "arctan2"}, lambda y, x: _sp().atan2(y, x),
         (lambda b, o, y, x: b.div(x, b.add(b.mul(x, x), b.mul(y, y))),
          lambda b, o, y, x: b.neg(b.div(y, b.add(b.mul(x, x), b.mul(y, y))))),
         domain=lambda y, x: x != 0 or y != 0, sample=(ANY, POS)),
    # log(e^x + e^y) without overflow; d/dx = 1 / (1 + e^(y - x)), the softmax weight of x
    # (the sigmoid of x - y: one exp, and no need of the value itself, which grad then
    # drops; the exponent is capped where e^(y - x) would overflow, which leaves a weight
    # below 1e-308 at 5.6e-309 rather than at its subnormal value, and warns of nothing)
    Prim("logaddexp", 2, {"numpy": "logaddexp"}, lambda x, y: _sp().log(_sp().exp(x) + _sp().exp(y)),
         (lambda b, o, x, y: _weight(b, x, y), lambda b, o, x, y: _weight(b, y, x)),
         sample=(ANY, ANY), commutative=True),
    _unary("sinh", lambda x: _sp().sinh(x), lambda b, o, x: b.cosh(x), sample=(ANY,)),
    _unary("cosh", lambda x: _sp().cosh(x), lambda b, o, x: b.sinh(x), sample=(ANY,)),
    _unary("tanh", lambda x: _sp().tanh(x), lambda b, o, x: b.sub(1.0, b.mul(o, o)), sample=(ANY,)),
    _unary("asinh", lambda x: _sp().asinh(x), lambda b, o, x: _inv_sqrt(b, b.add(b.mul(x, x), 1.0)),
           spell={"math": "asinh", "numpy": "arcsinh"}, sample=(ANY,)),
    _unary("acosh", lambda x: _sp().acosh(x), lambda b, o, x: _inv_sqrt(b, b.sub(b.mul(x, x), 1.0)),
           spell={"math": "acosh", "numpy": "arccosh"}, domain=lambda x: x > 1, sample=((1.1, 3.0),)),
    _unary("atanh", lambda x: _sp().atanh(x), lambda b, o, x: b.div(1.0, b.sub(1.0, b.mul(x, x))),
           spell={"math": "atanh", "numpy": "arctanh"}, domain=_unit_open, sample=(UNIT,)),
    Prim("hypot", 2, {"math": "hypot", "numpy": "hypot"}, lambda x, y: _sp().sqrt(x**2 + y**2),
         (lambda b, o, x, y: b.div(x, o), lambda b, o, x, y: b.div(y, o)),
         domain=lambda x, y: x != 0 or y != 0, sample=(ANY, ANY), commutative=True),
    _unary("erf", lambda x: _sp().erf(x),
           lambda b, o, x: b.mul(TWO_OVER_SQRT_PI, b.exp(b.neg(b.mul(x, x)))),
           spell={"math": "erf", "scipy": "special.erf"}, sample=(ANY,)),
    _unary("erfc", lambda x: _sp().erfc(x),
           lambda b, o, x: b.mul(-TWO_OVER_SQRT_PI, b.exp(b.neg(b.mul(x, x)))),
           spell={"math": "erfc", "scipy": "special.erfc"}, sample=(ANY,)),
    # -- piecewise constant: no gradient
    Prim("sign", 1, {"numpy": "sign"}, lambda x: _sp().sign(x), sample=(ANY,), kind="integral",
         expand=_sign_expand),
    Prim("floor", 1, {"math": "floor", "numpy": "floor"}, lambda x: _sp().floor(x),
         sample=(ANY,), kind="integral"),
    Prim("ceiling", 1, {"math": "ceil", "numpy": "ceil"}, lambda x: _sp().ceiling(x),
         sample=(ANY,), kind="integral"),
    Prim("trunc", 1, {"math": "trunc", "numpy": "trunc", "builtins": "int"},
         lambda x: _sp().sign(x) * _sp().floor(_sp().Abs(x)), sample=(ANY,), kind="integral"),
    Prim("round", 1, {"builtins": "round", "numpy": "round"},
         lambda x, n=0: _sp().floor(x * 10**n + _sp().Rational(1, 2)) / 10**n,
         sample=(ANY,), kind="integral", arities=(1, 2)),
]
