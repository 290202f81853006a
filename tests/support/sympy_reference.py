"""The SymPy reference derivative of a plain Python function.

`sympy_version(f)` is a copy of `f` (the same code object, never a retyped
formula) whose globals see SymPy instead of `math` and `numpy`: every module
bound to `math` or `numpy` in `f.__globals__` is replaced by a shim namespace
mapping each supported name to its SymPy meaning, library functions imported
by name are replaced the same way, and the builtins symdiff supports (abs, max,
min, pow, round, float, int) are shadowed by SymPy versions. Calling the copy on
real SymPy symbols gives the function's closed form; `sympy.diff` of it is the
reference derivative. Python operators (+ - * / ** // % and comparisons) work on
SymPy expressions as they are; an order comparison (< <= > >=) becomes a 0/1
`Piecewise` when `float()` is applied to it. `==` and `!=` compare SymPy
expressions structurally (x == 0.5 is False), which is right everywhere except
on the equality itself, a set of measure zero: keep it out of test domains.

SymPy cannot take a branch on a symbol (`if x > y:` raises TypeError: a relation
has no truth value), so the closed form is that of the path one point takes
(`closed_form(f, point)`): while the copy runs, `decided_at` gives each order
relation the truth value it has at the point, and records it. The result is
exact in a neighbourhood of the point, unless a recorded relation is an
equality there (the point is on a branch's boundary: the caller's to check).
A function that decides nothing has one closed form for every point, and a
point that decides as a path met before reuses that path's closed form.

Where SymPy has no function of that name, the real-valued formula is used
(cbrt(x) = sign(x) |x|^(1/3), expm1(x) = exp(x) - 1, ...). Derivatives of
piecewise-constant functions (floor, ceiling, sign, Mod's floor) and DiracDelta
terms are replaced by 0, their value almost everywhere, before evaluating.

Values are evaluated with `evalf(30)`; a point where the reference is complex or
not finite raises `OutsideDomain` rather than returning NaN, so no test can
compare NaN with NaN.

    >>> import math
    >>> def f(x):
    ...     return math.sin(x) * x
    >>> reference_gradient(f, ("x",), (0.5,))   # sin(x) + x cos(x)
    [0.9182168195493894]
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import inspect
import math
import operator
import types
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.relational import Relational


class OutsideDomain(ValueError):
    """The reference value at a point is complex or not finite."""


class ReferenceFailed(Exception):
    """SymPy raised while evaluating the closed form (an error of SymPy's, not f's), or
    the closed form is larger than `MAX_NODES` (SymPy's work on it would be unbounded)."""


MAX_NODES = 5_000  # the largest closed form (a tree: shared subexpressions once per use) worked on


def _max(*args):
    # Unevaluated, so SymPy's own knowledge (floor(x) <= x) cannot fold max(x, floor(x))
    # to x and hide a tie the checker must see (symdiff splits ties 1/2-1/2).
    return sp.Max(*args, evaluate=False)


def _min(*args):
    return sp.Min(*args, evaluate=False)


def _real_cbrt(x):
    return sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3)


def _log(x, base=None):
    return sp.log(x) if base is None else sp.log(x, base)


def _power(base, exponent):
    return sp.sympify(base) ** exponent


def _trunc(x):
    return sp.sign(x) * sp.floor(sp.Abs(x))


def _round(x, ndigits=None):
    # Python rounds half to even; both agree almost everywhere, where the derivative is 0.
    scale = 1 if ndigits is None else sp.Integer(10) ** ndigits
    return sp.floor(x * scale + sp.Rational(1, 2)) / scale


def _float(x):
    # float(x > 0) is Python's 0/1 indicator of a comparison.
    if isinstance(x, bool):  # == and != compare SymPy expressions structurally
        return sp.Integer(int(x))
    if isinstance(x, sp.logic.boolalg.Boolean) and not isinstance(x, sp.Expr):  # a Symbol is both
        return sp.Piecewise((sp.Integer(1), x), (sp.Integer(0), True))
    return x


# Functions both libraries spell the same way, and each library's own names.
_COMMON = {
    "exp": sp.exp, "expm1": lambda x: sp.exp(x) - 1, "exp2": lambda x: sp.Integer(2) ** x,
    "log": _log, "log2": lambda x: sp.log(x, 2), "log10": lambda x: sp.log(x, 10),
    "log1p": lambda x: sp.log(1 + x), "sqrt": sp.sqrt, "cbrt": _real_cbrt,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh,
    "tanh": sp.tanh, "hypot": lambda x, y: sp.sqrt(x**2 + y**2), "fabs": sp.Abs,
    "floor": sp.floor, "ceil": sp.ceiling, "trunc": _trunc,
    "pi": sp.pi, "e": sp.E, "tau": 2 * sp.pi, "inf": sp.oo,
}
MATH_SHIM = types.SimpleNamespace(
    **_COMMON, asin=sp.asin, acos=sp.acos, atan=sp.atan, atan2=sp.atan2, asinh=sp.asinh,
    acosh=sp.acosh, atanh=sp.atanh, erf=sp.erf, erfc=sp.erfc, pow=_power,
    gamma=sp.gamma, lgamma=sp.loggamma, isfinite=lambda x: sp.true,
)
NUMPY_SHIM = types.SimpleNamespace(
    **_COMMON, arcsin=sp.asin, arccos=sp.acos, arctan=sp.atan, arctan2=sp.atan2,
    arcsinh=sp.asinh, arccosh=sp.acosh, arctanh=sp.atanh, power=_power,
    square=lambda x: x**2, logaddexp=lambda x, y: sp.log(sp.exp(x) + sp.exp(y)), maximum=_max, minimum=_min, sign=sp.sign, abs=sp.Abs,
    absolute=sp.Abs, round=_round, around=_round, euler_gamma=sp.EulerGamma,
    add=operator.add, subtract=operator.sub, multiply=operator.mul, divide=operator.truediv,
    true_divide=operator.truediv, negative=operator.neg, floor_divide=operator.floordiv,
    mod=operator.mod, remainder=operator.mod,
    reciprocal=lambda x: 1 / x, deg2rad=lambda x: x * sp.pi / 180, radians=lambda x: x * sp.pi / 180,
    rad2deg=lambda x: x * 180 / sp.pi, degrees=lambda x: x * 180 / sp.pi, sinc=lambda x: sp.sinc(sp.pi * x),
    rint=lambda x: sp.floor(x + sp.Rational(1, 2)), fix=_trunc, nan_to_num=lambda x: x, fmax=_max, fmin=_min,
    logaddexp2=lambda x, y: sp.log(2**x + 2**y, 2), isfinite=lambda x: sp.true, float64=lambda x: x,
    heaviside=lambda x, h: sp.Piecewise((0, x < 0), (h, sp.Eq(x, 0)), (1, True)),
    float32=lambda x: sp.Float(float(np.float32(float(x)))),
)
BUILTINS_SHIM = {"abs": sp.Abs, "max": _max, "min": _min, "pow": _power,
                 "round": _round, "float": _float, "int": _trunc}

_SHIMS = {id(math): MATH_SHIM, id(np): NUMPY_SHIM}
# Library functions bound to a global name (`from math import exp`): id -> SymPy meaning.
_FUNCTIONS = {id(getattr(module, name)): getattr(shim, name)
              for module, shim in ((math, MATH_SHIM), (np, NUMPY_SHIM))
              for name in vars(shim) if callable(getattr(module, name, None))}


def sympy_version(f: types.FunctionType, helpers: bool = False, _done=None) -> types.FunctionType:
    """A copy of `f` (same code object) that computes with SymPy instead of math/numpy;
    with `helpers`, the functions of f's own module that it calls are such copies too."""
    done = {} if _done is None else _done
    if f in done:
        return done[f]
    scope = dict(f.__globals__)
    copy = types.FunctionType(f.__code__, scope, f.__name__, f.__defaults__, f.__closure__)
    done[f] = copy
    for name, value in f.__globals__.items():
        if id(value) in _SHIMS:
            scope[name] = _SHIMS[id(value)]
        elif callable(value) and id(value) in _FUNCTIONS:
            scope[name] = _FUNCTIONS[id(value)]
        elif helpers and isinstance(value, types.FunctionType) and value.__module__ == f.__module__ \
                and name in f.__code__.co_names:
            scope[name] = sympy_version(value, True, done)
    for name, shim in BUILTINS_SHIM.items():
        # Globals shadow builtins; a global the user bound to something else is kept.
        if scope.get(name, getattr(builtins, name)) is getattr(builtins, name):
            scope[name] = shim
    copy.__kwdefaults__ = f.__kwdefaults__
    return copy


def parameter_names(f) -> tuple[str, ...]:
    return tuple(inspect.signature(f).parameters)


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def truth_at(relation, symbols, point) -> bool:
    """An order relation's truth value with `symbols` set to `point`: the sign of
    lhs - rhs there, to 30 digits (two sides rounded to floats first could tie)."""
    difference = evaluate(relation.lhs - relation.rhs, symbols, point)
    return _ORDER[relation.rel_op](difference, 0.0)


@contextlib.contextmanager
def decided_at(symbols, point):
    """Inside, bool() of a SymPy order relation is its value at the point; yields their list.

    SymPy raises TypeError for bool(x > 0): it cannot know. Here `if`, `while`,
    `and`, `or`, `not`, `a if c else b` and chained comparisons follow the branch
    the point takes, and each decision is appended to the list as (relation,
    truth value). A relation in other symbols keeps SymPy's behaviour; one whose
    sides are complex or infinite at the point raises OutsideDomain.
    """
    decisions = []
    original = Relational.__bool__

    def decide(relation):
        if relation.rel_op not in _ORDER:
            return original(relation)
        try:
            truth = truth_at(relation, symbols, point)
        except TypeError:  # a free symbol not set by the point
            return original(relation)
        decisions.append((relation, truth))
        return truth

    Relational.__bool__ = decide
    try:
        yield decisions
    finally:
        Relational.__bool__ = original


@dataclass(frozen=True)
class ClosedForm:
    """A function's value as a SymPy expression, on the path of one point.

    Attributes:
        symbols: one real Symbol per parameter, in order.
        expr: the value, an expression of the symbols.
        decisions: (relation, truth value) for every order relation between
            symbols the path decided (empty: the same closed form holds everywhere).
    """

    symbols: tuple
    expr: sp.Expr
    decisions: tuple


def closed_form(f, point) -> ClosedForm:
    """`f` run on one real SymPy symbol per parameter, taking the branches `point` takes."""
    point = tuple(float(v) for v in point)
    for form in _PATHS.setdefault(f, []):
        # A point that decides every comparison of a known path as it did takes that
        # path: f runs the same statements, so it meets the same comparisons.
        if all(truth_at(relation, form.symbols, point) == truth for relation, truth in form.decisions):
            return form
    form = _closed_form_at(f, point)
    _PATHS[f].append(form)
    return form


_PATHS: dict = {}  # f -> the ClosedForm of each path of f's met so far


def _closed_form_at(f, point: tuple) -> ClosedForm:
    symbols = tuple(sp.Symbol(name, real=True) for name in parameter_names(f))
    keyword = [p.kind == p.KEYWORD_ONLY for p in inspect.signature(f).parameters.values()]
    args = [s for s, kw in zip(symbols, keyword, strict=True) if not kw]
    kwargs = {s.name: s for s, kw in zip(symbols, keyword, strict=True) if kw}
    with decided_at(symbols, point) as decisions:
        expr = sp.sympify(sympy_version(f, helpers=True)(*args, **kwargs))
    size = _tree_size(expr)
    if size > MAX_NODES:
        raise ReferenceFailed(f"the closed form has {size} nodes, more than {MAX_NODES}")
    # Python's % is floored modulo: x - y floor(x/y), which SymPy can differentiate.
    expr = expr.replace(sp.Mod, lambda a, b: a - b * sp.floor(a / b))
    return ClosedForm(symbols, expr, tuple(decisions))


def _tree_size(expr) -> int:
    """The nodes of `expr` as a tree, each shared subexpression once per use; measured
    over the distinct subexpressions only (written here again, as drop_nondifferentiable
    is: the reference shares no code with what it checks)."""
    sizes = {}
    for node in sp.postorder_traversal(expr):  # (a tree walk: stopped once past the bound)
        if node not in sizes:
            sizes[node] = 1 + sum(sizes[a] for a in node.args)
            if sizes[node] > MAX_NODES:
                return sizes[node]
    return sizes[expr]


def drop_nondifferentiable(expr):
    """Replace derivatives of piecewise-constant functions by their a.e. value 0.

    symdiff.verification.symbolic has the same step; it is repeated here so that the reference
    shares no code with what it checks.
    """
    flat = (sp.floor, sp.ceiling, sp.sign)
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, flat),
                        lambda e: sp.S.Zero)
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero).doit()


def _constant_almost_everywhere(function):
    """A stand-in for `function` whose derivative is 0."""
    return type(f"flat_{function.__name__}", (sp.Function,),
                {"fdiff": lambda self, argindex=1: sp.S.Zero})


# floor and ceiling are differentiated as these stand-ins and put back afterwards:
# SymPy 1.14's diff of floor(c*floor(x)) fails ("unsupported operand type(s) for -:
# 'StrictGreaterThan' and 'StrictLessThan'") while sorting the Derivative terms.
_FLAT = {function: _constant_almost_everywhere(function) for function in (sp.floor, sp.ceiling)}


@functools.lru_cache(maxsize=None)
def derivative(expr, symbol):
    """SymPy's d expr / d symbol, with a.e.-zero terms of step functions dropped.

    Keyed by the expression: the points of one path share its derivative."""
    exact = sp.diff(_swap(expr, _FLAT.items()), symbol)
    return drop_nondifferentiable(_swap(exact, ((new, old) for old, new in _FLAT.items())))


def _swap(expr, replacements):
    return functools.reduce(lambda e, pair: e.replace(*pair), replacements, expr)


def evaluate(expr, symbols, point) -> float:
    """`expr` at `point` to 30 digits, as a float.

    Each coordinate is substituted (as a 30-digit Float holding the float's
    exact binary value) before `evalf(30)`: `evalf(subs={x: 1.3})` crashes on
    floor(x) in SymPy 1.14. Not as a Rational: SymPy would then try to evaluate
    powers such as x**y exactly, which can take minutes.

    Raises:
        OutsideDomain: the value there is complex or not finite.
        ReferenceFailed: SymPy itself failed.
    """
    values = {s: sp.Float(float(v), 30) for s, v in zip(symbols, point, strict=True)}
    try:
        value = complex(sp.sympify(expr).xreplace(values).evalf(30))
    except (NotImplementedError, RecursionError) as exc:  # SymPy 1.14 on tan(tanh(...)) nests
        raise ReferenceFailed(f"SymPy could not evaluate {expr}: {type(exc).__name__}") from exc
    if value.imag != 0 or not math.isfinite(value.real):
        raise OutsideDomain(f"{expr} is {value} at {dict(zip(symbols, point))}")
    return value.real


def reference_value(f, point) -> float:
    """f(point) computed by SymPy from the closed form of the point's path."""
    form = closed_form(f, point)
    return evaluate(form.expr, form.symbols, point)


def reference_gradient(f, wrt_names, point) -> list[float]:
    """[d f/d name at point for name in wrt_names], from SymPy's closed form."""
    form = closed_form(f, point)
    names = parameter_names(f)
    return [evaluate(derivative(form.expr, form.symbols[names.index(name)]), form.symbols, point)
            for name in wrt_names]
