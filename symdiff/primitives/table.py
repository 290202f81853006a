"""The table of primitives: one row per elementary operation.

A row says how to spell the operation in each library (`ns` -> attribute; 'op'
-> Python operator), how to evaluate it, its SymPy meaning, and its partial
derivatives. Reverse mode (VJP: `x_bar += g * d out/d x`) and forward mode (JVP:
`out_dot = sum(d out/d x_i * x_dot_i)`) both come from the one `partials` entry,
so they cannot drift apart.

A partial is a function `(b, out, *args) -> Atom | number | None` that builds
IR with the builder `b` (see `ir.Builder`); it may reuse `out`, the primal
result, and returns None for a symbolic zero. `partials=None` marks a primitive that carries
no gradient (comparisons, floor, ...).

Adding a primitive means adding one row; tests/test_primitives.py then checks it
against SymPy and finite differences.
"""

from __future__ import annotations

import builtins
import functools
import math
import operator
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
MODULES = {"math": math, "numpy": np, "builtins": builtins}

_OPERATORS = {
    ("+", 2): operator.add, ("-", 2): operator.sub, ("*", 2): operator.mul,
    ("/", 2): operator.truediv, ("**", 2): operator.pow, ("//", 2): operator.floordiv,
    ("%", 2): operator.mod, ("-", 1): operator.neg, ("<", 2): operator.lt,
    ("<=", 2): operator.le, (">", 2): operator.gt, (">=", 2): operator.ge,
    ("==", 2): operator.eq, ("!=", 2): operator.ne, ("@", 2): operator.matmul,
    # and / or join conditions only (lowering merges other values with `cond`): as bools
    ("not", 1): operator.not_, ("and", 2): lambda a, b: bool(a) and bool(b),
    ("or", 2): lambda a, b: bool(a) or bool(b),
    ("if", 3): lambda c, a, b: a if c else b,
}


def _sp():
    import sympy

    return sympy


def _pow_exponent_partial(b, o, x, y):
    """d x**y / dy = x**y log(x), and 0 at x = 0 (its limit there for y > 0), where log(0)
    would raise (math) or make 0 * -inf = NaN (NumPy)."""
    nonzero = b.ne(x, 0.0)
    safe = b.where(nonzero, x, 1.0) if b.ns == "numpy" else b.cond(nonzero, x, 1.0)
    return b.mul(o, b.log(safe))


@dataclass(frozen=True)
class Prim:
    """One elementary operation.

    Attributes:
        name: lowercase, SymPy's name where SymPy has one.
        arity: the number of array/scalar arguments.
        spelling: library -> how that library spells it ('op' -> operator symbol).
        sympy: the SymPy meaning, `(*exprs) -> expr`.
        partials: one partial-derivative builder per argument, or None if the
            operation carries no gradient.
        domain: predicate on float arguments: where the operation is defined and
            smooth (used to pick verification points).
        sample: an interval per argument for table-driven tests.
        kind: result type: 'float', 'bool', 'promote' (like the arguments), or
            'integral' (int for math/builtins, float for NumPy).
        expand: builds the operation from others where the library in use has no
            spelling for it (e.g. sign without NumPy).
        linear: the operation is linear in its arguments (an array operation's tangent
            is then the operation applied to the tangents).
        bilinear: linear in each argument, the others held (`A @ B`): its tangent is
            one term per active argument.
        commutative: swapping the two arguments gives the same result.
        arities: the argument counts accepted, where more than one is.
        vjp: for operations that are not elementwise, one builder per argument,
            `(b, g, out, *args) -> Atom | None`: that argument's cotangent given
            the output's cotangent `g` (shapes through `b.shape(atom)`).
        jvp: for operations that are not elementwise and neither linear nor
            bilinear, the tangent rule `(b, eqn, tangents, **params) -> Atom | None`
            (a tangent per argument, None for those that do not depend on the inputs).
        shape: for operations that are not elementwise, the result's shape,
            `(*arg_shapes, **params) -> tuple`; None means elementwise
            (NumPy broadcasting of the arguments' shapes).
        params: static keyword parameters and their defaults (axis, keepdims).
        evaluate: how to evaluate it, where no library function is its spelling
            (indexing).
        positional: the emitted call passes `params` positionally
            (`np.reshape(x, (3, 4))`), not as keywords.
        lowering: for operations lowered into others (np.var, np.clip), how:
            `(b, *args, **params) -> Atom` with the lowering's builder `b`.
        broadcast_cotangent: the VJP also accepts a cotangent that merely
            broadcasts to the output's shape (a reduction's does).
        view: NumPy may return a view of the first argument, not a new array.
        sequence: the arrays come as one list (`np.concatenate([a, b])`); then
            `vjp` is a function of their count giving one rule per array.
        params_first: the static parameters come before the arrays, positionally
            (`np.einsum('ij,jk->ik', a, b)`, `np.full((3, 4), x)`).
    """

    name: str
    arity: int
    spelling: Mapping[str, str]
    sympy: Callable
    partials: tuple[Callable | None, ...] | None = None
    domain: Callable[..., bool] | None = None
    sample: tuple[tuple[float, float], ...] = ()
    kind: str = "float"
    expand: Callable | None = None
    linear: bool = False
    bilinear: bool = False
    commutative: bool = False
    arities: tuple[int, ...] = field(default=())
    vjp: tuple[Callable | None, ...] | None = None
    jvp: Callable | None = None
    shape: Callable | None = None
    params: tuple[tuple[str, object], ...] = ()
    evaluate: Callable | None = None
    positional: bool = False
    lowering: Callable | None = None
    broadcast_cotangent: bool = False
    view: bool = False
    sequence: bool = False
    params_first: bool = False

    @property
    def infix(self) -> str | None:
        return self.spelling.get("op")

    @property
    def differentiable(self) -> bool:
        return self.partials is not None or self.vjp is not None

    @property
    def elementwise(self) -> bool:
        return self.shape is None

    def result_shape(self, shapes, params=()) -> tuple:
        """The result's shape given the arguments' shapes."""
        if self.shape is None:
            return tuple(np.broadcast_shapes(*shapes))
        return self.shape(*shapes, **dict(params))

    def impl(self, ns: str) -> Callable:
        """The Python callable that evaluates this primitive as spelled in `ns`."""
        if self.evaluate is not None:
            return self.evaluate
        if ns == "op":
            return _OPERATORS[(self.spelling["op"], self.arity)]
        return resolve_attribute(MODULES[ns], self.spelling[ns])


def resolve_attribute(module, dotted: str):
    """`module.a.b` for the dotted name "a.b" (np.linalg.norm)."""
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


# ---------------------------------------------------------------- helpers

def _one(b, out, *args):
    return 1.0


def _minus_one(b, out, *args):
    return -1.0


def _unary(name, sympy, partial, spell=None, **kw):
    spelling = spell if spell is not None else {"math": name, "numpy": name}
    return Prim(name, 1, spelling, sympy, (partial,), **kw)


def _inv_sqrt(b, t):
    return b.div(1.0, b.sqrt(t))


def _sign_expand(b, x):
    # sign(x) with sign(0) = 0, for scalars, without NumPy.
    return b.sub(b.float(b.gt(x, 0.0)), b.float(b.lt(x, 0.0)))


def _tie_split(b, x, y, cmp):
    # d max(x, y)/dx = [x > y] + 1/2 [x == y]: a tie splits the gradient evenly.
    return b.add(b.emit(cmp, x, y), b.mul(0.5, b.eq(x, y)))


def _cmp(name, symbol, rel, commutative=False):
    def meaning(x, y):  # an indicator: 1 where the relation holds, else 0
        sp = _sp()
        x, y = sp.sympify(x), sp.sympify(y)
        if x.is_number and y.is_number:
            # Deciding a relation of two constants exactly can recurse without end
            # in SymPy; 30 digits decide it as the floats do.
            from ..verification.symbolic import real_number

            return sp.Integer(bool(rel(sp)(real_number(x), real_number(y))))
        return sp.Piecewise((1, rel(sp)(x, y)), (0, True))

    return Prim(name, 2, {"op": symbol}, meaning, sample=(ANY, ANY), kind="bool",
                commutative=commutative)


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


def _branch(condition, a, b):
    """`a` where `condition` holds, else `b`: a Piecewise, or the branch taken at the
    point verification follows (symbolic.taken_at_guide), keeping the closed form small."""
    from ..verification.symbolic import taken_at_guide

    taken = taken_at_guide(condition)
    if taken is None:
        return _sp().Piecewise((a, condition), (b, True))
    return a if taken else b


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

ROWS = [
    # -- arithmetic operators (also NumPy's ufunc spellings)
    Prim("add", 2, {"op": "+", "numpy": "add"}, lambda x, y: x + y, (_one, _one),
         sample=(ANY, ANY), kind="promote", linear=True, commutative=True),
    Prim("sub", 2, {"op": "-", "numpy": "subtract"}, lambda x, y: x - y, (_one, _minus_one),
         sample=(ANY, ANY), kind="promote", linear=True),
    Prim("mul", 2, {"op": "*", "numpy": "multiply"}, lambda x, y: x * y,
         (lambda b, o, x, y: y, lambda b, o, x, y: x), sample=(ANY, ANY), kind="promote",
         commutative=True),
    Prim("div", 2, {"op": "/", "numpy": "divide"}, lambda x, y: x / y,
         (lambda b, o, x, y: b.div(1.0, y), lambda b, o, x, y: b.neg(b.div(o, y))),
         domain=lambda x, y: y != 0, sample=(ANY, POS)),
    Prim("pow", 2, {"op": "**", "math": "pow", "numpy": "power", "builtins": "pow"},
         lambda x, y: x**y,
         (lambda b, o, x, y: b.mul(y, b.pow(x, b.sub(y, 1))), _pow_exponent_partial),
         domain=lambda x, y: x > 0 or (float(y).is_integer() and (x != 0 or y >= 0)),
         sample=(POS, ANY), kind="promote"),
    Prim("neg", 1, {"op": "-", "numpy": "negative"}, lambda x: -x, (_minus_one,),
         sample=(ANY,), kind="promote", linear=True),
    Prim("floordiv", 2, {"op": "//", "numpy": "floor_divide"}, lambda x, y: _sp().floor(x / y),
         domain=lambda x, y: y != 0, sample=(ANY, POS), kind="promote"),
    Prim("mod", 2, {"op": "%", "numpy": "mod"}, lambda x, y: x - y * _sp().floor(x / y),
         (_one, lambda b, o, x, y: b.neg(b.floordiv(x, y))),
         domain=lambda x, y: y != 0, sample=(ANY, POS), kind="promote"),
    _cmp("lt", "<", lambda sp: sp.Lt), _cmp("le", "<=", lambda sp: sp.Le),
    _cmp("gt", ">", lambda sp: sp.Gt), _cmp("ge", ">=", lambda sp: sp.Ge),
    _cmp("eq", "==", lambda sp: sp.Eq, True), _cmp("ne", "!=", lambda sp: sp.Ne, True),
    # -- logic: `not`, `and`, `or` of conditions; `cond` merges the two branches of an if
    Prim("not", 1, {"op": "not"}, lambda x: _indicator(_sp().Not(truth(x))), sample=(ANY,), kind="bool"),
    Prim("and", 2, {"op": "and"}, lambda x, y: _indicator(_sp().And(truth(x), truth(y))),
         sample=(ANY, ANY), kind="bool"),
    Prim("or", 2, {"op": "or"}, lambda x, y: _indicator(_sp().Or(truth(x), truth(y))),
         sample=(ANY, ANY), kind="bool"),
    Prim("cond", 3, {"op": "if"}, lambda c, a, b: _branch(truth(c), a, b),
         (None, None, None), sample=(ANY, ANY, ANY), kind="promote", shape=_cond_shape),
    # -- builtins with library counterparts
    Prim("abs", 1, {"builtins": "abs", "math": "fabs", "numpy": "abs"}, lambda x: _sp().Abs(x),
         (lambda b, o, x: b.sign(x),), sample=(ANY,), kind="promote"),
    Prim("max", 2, {"builtins": "max", "numpy": "maximum"}, lambda x, y: _sp().Max(x, y),
         (lambda b, o, x, y: _tie_split(b, x, y, "gt"), lambda b, o, x, y: _tie_split(b, y, x, "gt")),
         sample=(ANY, ANY), kind="promote", commutative=True),
    Prim("min", 2, {"builtins": "min", "numpy": "minimum"}, lambda x, y: _sp().Min(x, y),
         (lambda b, o, x, y: _tie_split(b, x, y, "lt"), lambda b, o, x, y: _tie_split(b, y, x, "lt")),
         sample=(ANY, ANY), kind="promote", commutative=True),
    Prim("float", 1, {"builtins": "float"}, lambda x: x, (_one,), sample=(ANY,), linear=True),
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
           spell={"math": "erf"}, sample=(ANY,)),
    _unary("erfc", lambda x: _sp().erfc(x),
           lambda b, o, x: b.mul(-TWO_OVER_SQRT_PI, b.exp(b.neg(b.mul(x, x)))),
           spell={"math": "erfc"}, sample=(ANY,)),
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

from .arrays import ARRAY_ROWS  # noqa: E402 - array rows are built from Prim, defined above

from . import custom  # noqa: E402 - rows built from Prim
from ..calls import call_shape, run_call  # noqa: E402
from ..loops import Shapes, loop_shape, pick, pick_shape, run_loop  # noqa: E402


def _sympy_loop(*args, **params):
    from ..verification.symbolic import structured

    return structured("loop", args, params)


def _sympy_call(*args, **params):
    from ..verification.symbolic import structured

    return structured("call", args, params)


ROWS += ARRAY_ROWS
ROWS += [
    Prim("loop", 0, {"op": "for"}, _sympy_loop, vjp=(), shape=loop_shape, kind="any",
         evaluate=lambda *args, **params: run_loop(args, **params),
         params=(("body", None), ("carried", 0), ("kind", "range"), ("record", ()), ("cond", None), ("stop", None))),
    Prim("call", 0, {"op": "call"}, _sympy_call, vjp=(), shape=call_shape, kind="any", evaluate=run_call,
         params=(("callee", None),)),
    Prim("custom", 0, {"op": "custom"}, custom.sympy_meaning, vjp=custom.vjp_rules, jvp=custom.jvp, kind="float",
         evaluate=custom.evaluate, params=(("rule", None),)),
    Prim("range", 3, {"op": "range"}, None, shape=lambda *shapes: Shapes([()]), kind="any",
         evaluate=lambda start, stop, step: range(start, stop, step)),
    Prim("pick", 1, {"op": "pick"}, pick, vjp=(), shape=pick_shape, evaluate=pick, kind="float",
         params=(("index", 0),)),
    # `self.layer.w` of a method's object (frontend/receivers.py): a constant to the derivative, read
    # where the code runs; its shape and kind (calls.eqn_kind) are known in array code
    Prim("attr", 1, {"op": "getattr"}, None, shape=lambda obj, path, shape=(), kind="float": shape,
         evaluate=lambda obj, path, shape=None, kind=None: functools.reduce(getattr, path, obj),
         kind="any", params=(("path", ()), ("shape", None), ("kind", "float"))),
]
PRIMS: dict[str, Prim] = {row.name: row for row in ROWS}

# Other names libraries give the same operation: (module, attribute) -> primitive.
ALIASES = {
    ("numpy", "absolute"): "abs", ("numpy", "fabs"): "abs", ("numpy", "true_divide"): "div",
    ("numpy", "remainder"): "mod", ("numpy", "around"): "round", ("builtins", "len"): "dim",
    ("numpy", "amax"): "amax", ("numpy", "amin"): "amin",
}

CONSTANTS = {
    ("math", "pi"): math.pi, ("math", "e"): math.e, ("math", "tau"): math.tau,
    ("math", "inf"): math.inf, ("math", "nan"): math.nan,
    ("numpy", "pi"): math.pi, ("numpy", "e"): math.e, ("numpy", "inf"): math.inf,
    ("numpy", "nan"): math.nan, ("numpy", "euler_gamma"): float(np.euler_gamma),
}


def _has(module, dotted: str) -> bool:
    try:
        resolve_attribute(module, dotted)
    except AttributeError:
        return False
    return True


def library() -> dict[tuple[str, str], tuple[str, str]]:
    """(module, attribute) -> (primitive, ns) for every spelling a library offers."""
    table = {}
    for row in ROWS:
        for ns, spelled in row.spelling.items():
            if ns in MODULES and _has(MODULES[ns], spelled):
                table[(ns, spelled)] = (row.name, ns)
    for (ns, attr), prim in ALIASES.items():
        if hasattr(MODULES[ns], attr):
            table[(ns, attr)] = (prim, ns)
    return table


LIBRARY = library()


# operators whose result is a float when one argument is (max, min, abs and cond return
# one of their arguments as it is)
_ARITHMETIC = frozenset({"add", "sub", "mul", "pow", "floordiv", "mod"})


def result_kind(prim: str, ns: str, kinds: list[str]) -> str:
    """The kind ('bool' < 'int' < 'float', or 'any') of `prim`'s result."""
    kind = PRIMS[prim].kind
    if prim == "cond":  # the condition's kind does not reach the result
        kinds = kinds[1:]
    if kind == "integral":
        return "float" if ns == "numpy" else "int"
    if kind != "promote":
        return kind
    if prim in _ARITHMETIC and "float" in kinds:  # an int or an int array meets a float
        return "float"
    if "any" in kinds:
        return "any"
    order = ["bool", "int", "float"]
    return order[max(order.index(k) for k in kinds)]
