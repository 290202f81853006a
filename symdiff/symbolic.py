"""Symbolic execution and verification against SymPy.

`to_sympy(func, inputs)` runs an `ir.Func` on SymPy expressions, each primitive
through its row's SymPy meaning. `verify(f, wrt)` uses it twice: on the lowered
function, whose closed form SymPy differentiates, and on the generated
derivative's IR; the two derivatives must agree
  * symbolically, where SymPy simplifies their difference to 0 (tried only on
    expressions small enough to simplify quickly), and
  * numerically, always: the compiled generated code against SymPy's derivative
    evaluated to 30 digits, at random points where every primitive of the
    function is inside its domain.

Piecewise-constant operations (floor, sign, comparisons, ...) have derivative 0
almost everywhere; SymPy's unevaluated `Derivative(floor(x), x)` and
`DiracDelta` terms are replaced by 0 accordingly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .errors import VerificationError
from .ir import Const, Func, Var, flat_results, short_circuits
from .primitives import PRIMS

INTERVALS = ((-2.0, 2.0), (0.1, 2.5), (-0.9, 0.9), (1.1, 3.0))
_CONSTANT_LABELS = {"pi": "pi", "e": "E", "tau": "tau", "inf": "oo"}


def _sp():
    import sympy

    return sympy


def sympy_constant(const: Const):
    """A SymPy number for `const`: exact for named constants and short fractions."""
    sp = _sp()
    attr = (const.label or "").rpartition(".")[2]
    if const.label and "." in const.label and attr in _CONSTANT_LABELS:
        return 2 * sp.pi if attr == "tau" else getattr(sp, _CONSTANT_LABELS[attr])
    value = const.value
    if isinstance(value, bool) or isinstance(value, int):
        return sp.Integer(int(value))
    value = float(value)
    if not math.isfinite(value):
        return sp.oo if value > 0 else (-sp.oo if value < 0 else sp.nan)
    ratio = Fraction(value)
    return sp.Rational(ratio.numerator, ratio.denominator) if ratio.denominator <= 1024 else sp.Float(value, 17)


_COMPARISONS = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})


def to_sympy(func: Func, inputs, prims=PRIMS) -> tuple:
    """Run `func` on SymPy expressions `inputs` (one per parameter); returns its flat results.

    A comparison of values that depend on no input is decided as the float code
    decides it: `0.0 < math.sin(math.pi)` holds in floats (sin of the float pi is
    1.2e-16), though not in exact arithmetic, and the generated code takes that
    branch. So constant values are also computed in floats, beside their exact form.
    """
    env = dict(zip((p.var.name for p in func.params), inputs, strict=True))
    floats: dict[str, object] = {}  # the float value of each value that depends on no input

    def read(atom):
        return env[atom.name] if isinstance(atom, Var) else sympy_constant(atom)

    def float_of(atom):
        return floats.get(atom.name) if isinstance(atom, Var) else atom.value

    for eqn in func.body:
        row = prims[eqn.prim]
        values = [float_of(a) for a in eqn.args]
        if row.sympy is not None and not eqn.guard and all(v is not None for v in values):
            try:
                floats[eqn.out.name] = row.impl(eqn.ns)(*values, **dict(eqn.params))
            except (ArithmeticError, ValueError, TypeError):
                pass
        if eqn.prim in _COMPARISONS and eqn.out.name in floats:
            env[eqn.out.name] = _sp().Integer(bool(floats[eqn.out.name]))
        else:
            env[eqn.out.name] = _apply(row, eqn, [read(a) for a in eqn.args])
    return tuple(read(r) for r in flat_results(func.results))


def _apply(row, eqn, args):
    """A primitive on SymPy expressions, or on NumPy arrays of them (dtype object)."""
    params = dict(eqn.params)
    if row.sympy is None:  # an array operation: NumPy's own function works on object arrays
        return row.impl(eqn.ns)(*args, **params)
    if row.elementwise and any(isinstance(a, np.ndarray) for a in args):
        return np.vectorize(lambda *xs: row.sympy(*xs, **params), otypes=[object])(*args)
    return row.sympy(*args, **params)


def drop_nondifferentiable(expr):
    """Replace derivatives of piecewise-constant functions by their a.e. value 0."""
    sp = _sp()
    flat = (sp.floor, sp.ceiling, sp.sign)
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, flat),
                        lambda e: sp.S.Zero)
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero).doit()


def _step_function(name: str):
    """A SymPy function with derivative 0: a floor or ceiling seen by `diff`."""
    return type(name, (_sp().Function,), {"fdiff": lambda self, argindex=1: _sp().S.Zero})


def differentiate(expr, symbol):
    """d expr / d symbol, with the a.e.-zero derivatives of step functions as 0.

    floor and ceiling are swapped for functions of derivative 0 while SymPy
    differentiates: its own diff of floor(floor(x/2)/3) fails comparing the
    conditions of the Derivative terms it builds.
    """
    sp = _sp()
    expr = sp.sympify(expr)  # (a loop can leave a plain int: its index)
    steps = {sp.floor: _step_function("step_floor"), sp.ceiling: _step_function("step_ceiling")}
    for step, flat in steps.items():
        expr = expr.replace(step, flat)
    derivative = sp.diff(expr, symbol)
    for step, flat in steps.items():
        derivative = derivative.replace(flat, step)
    return drop_nondifferentiable(derivative)


@dataclass(frozen=True)
class VerificationReport:
    """What `verify` compared, how, and how closely the results agree.

    Attributes:
        function: the function's name.
        wrt: the differentiated parameters.
        closed_form: SymPy's derivative for each of them.
        symbolic: for each, whether the difference simplified to exactly 0.
        points: how many random points were compared numerically.
        max_error: the largest error seen, relative to max(1, |SymPy's value|).
        reference: "SymPy", or "finite differences" for arrays too large for it.
    """

    function: str
    wrt: tuple[str, ...]
    closed_form: tuple
    symbolic: tuple[bool, ...]
    points: int
    max_error: float
    reference: str = "SymPy"

    @property
    def method(self) -> str:
        return "symbolic" if all(self.symbolic) else "numeric"

    def __str__(self) -> str:
        lines = [f"verified {self.function} against {self.reference} ({self.method}): "
                 f"{self.points} random points, max relative error {self.max_error:.1e}"]
        for name, form, exact in zip(self.wrt, self.closed_form, self.symbolic, strict=True):
            if isinstance(form, np.ndarray):
                lines.append(f"  d{self.function}/d{name}: {form.size} entries of shape {form.shape}")
                continue
            how = "difference simplifies to 0" if exact else "checked numerically"
            lines.append(f"  d{self.function}/d{name} = {form}   [{how}]")
        return "\n".join(lines)


SYMPY_FAILURES = (NotImplementedError, RecursionError)  # what SymPy raises on formulas it cannot do


def _sympy_work(lowered: Func, work):
    """`work()`, SymPy's failures on the closed form as a located VerificationError."""
    try:
        return work()
    except SYMPY_FAILURES as exc:
        raise VerificationError(lowered.loc, f"SymPy failed building or differentiating the closed form "
                                f"of {lowered.name} ({type(exc).__name__}), so verify cannot judge it; "
                                "check the gradient with finite differences instead") from None


def check(derivation, points: int = 12, seed: int = 0, rtol: float = 1e-7,
          simplify_limit: int = 150, fixed: dict | None = None) -> VerificationReport:
    """Compare a reverse-mode `driver.Derivation` with SymPy (see the module docstring).

    Args:
        fixed: values for parameters that are not differentiated (an int trip
            count, say): they are constants in the closed form and at every point.

    Raises:
        VerificationError: at some point the generated derivative differs from
            SymPy's by more than `rtol`.
    """
    sp = _sp()
    lowered = derivation.lowered
    fixed = {k: v for k, v in (fixed or {}).items()
             if k not in {lowered.params[i].var.name for i in derivation.wrt}}
    inputs = [sympy_constant(Const(fixed[p.var.name])) if p.var.name in fixed
              else sp.Symbol(p.var.name, real=True) for p in lowered.params]
    free = [i for i, p in enumerate(lowered.params) if p.var.name not in fixed]
    symbols = [inputs[i] for i in free]
    wrt = derivation.wrt

    closed = []

    def derivatives():
        closed[:] = [to_sympy(lowered, inputs)[0]]
        return [differentiate(closed[0], inputs[i]) for i in wrt]

    _GUIDE.clear()  # (a check interrupted while following a point, by a timeout, left it)
    guided = _follows_points(lowered)
    # (One closed form per point, growing with the trip count: fewer points.)
    wanted = min(points, 4) if guided else points
    samples = sample_points(lowered, 2 * wanted, seed, fixed)  # (some may lie on a jump)
    if not samples:
        raise VerificationError(lowered.loc, f"found no point where {lowered.name} and every "
                                "operation in it are defined; cannot verify it numerically")
    worst, compared, doubtful = 0.0, [], []  # (points on a jump are compared last, if need be)
    if not guided:
        reference = _sympy_work(lowered, derivatives)
        try:  # (the symbolic comparison is a bonus: SymPy may fail building our closed form)
            ours = to_sympy(derivation.derivative, inputs)[-len(wrt):]
            exact = tuple(_simplifies_to_zero(o - r, simplify_limit) for o, r in zip(ours, reference, strict=True))
        except SYMPY_FAILURES:
            exact = (False,) * len(wrt)
        for point in samples:
            if len(compared) == wanted:
                break
            if _on_a_jump(closed, symbols, point):
                doubtful.append((point, reference))
            else:
                worst = max(worst, _compare_at(derivation, lowered, symbols, reference, point, rtol, free))
                compared.append(point)
    else:  # a loop runs as the point makes it: one closed form per point
        exact = (False,) * len(wrt)
        for point in samples:
            if len(compared) == wanted:
                break
            try:
                _GUIDE.append({s: sp.Float(point[i], 30) for s, i in zip(symbols, free, strict=True)})
                reference = _sympy_work(lowered, derivatives)
            finally:
                _GUIDE.clear()
            if _on_a_jump(closed, symbols, point):
                doubtful.append((point, reference))
            else:
                worst = max(worst, _compare_at(derivation, lowered, symbols, reference, point, rtol, free))
                compared.append(point)
    for point, reference in doubtful[:wanted - len(compared)]:  # (better those than none)
        worst = max(worst, _compare_at(derivation, lowered, symbols, reference, point, rtol, free))
        compared.append(point)
    names = tuple(lowered.params[i].var.name for i in wrt)
    return VerificationReport(lowered.name, names, tuple(reference), exact, len(compared), worst)


JUMP_MARGIN = 1e-9  # closer than this (relative) to an integer, floor's argument is on a jump


def _on_a_jump(closed: list, symbols, point) -> bool:
    """Whether the argument of a floor or ceiling in the closed form (`x % c` is written
    with floor) is an integer at `point`, to rounding: there float arithmetic and SymPy's
    30 digits may land on different sides (x - |x| is 0 in floats, -1e-31 in SymPy), so
    the two derivatives may be of different functions. Such points are compared only
    where too few others were found."""
    sp = _sp()
    if not closed or not hasattr(closed[0], "atoms"):
        return False
    for step in closed[0].atoms(sp.floor, sp.ceiling):
        try:
            value = complex(evaluate_at(step.args[0], symbols, point)).real
        except SYMPY_FAILURES + (TypeError, ValueError, ArithmeticError):
            continue
        if abs(value - round(value)) <= JUMP_MARGIN * max(1.0, abs(value)):
            return True
    return False


_GUIDE: list[dict] = []  # the point (symbol -> value) deciding while conditions, while checking


def decide(condition) -> bool:
    """A while loop's condition during symbolic execution: its truth at the point checked."""
    sp = _sp()
    condition = sp.sympify(condition)
    if condition.is_number or not _GUIDE:
        return bool(condition)
    return bool(_taken(sp, condition, _GUIDE[-1]) != 0)


def taken_at_guide(condition) -> bool | None:
    """Whether a branch's condition holds at the point being checked while following a
    loop (None when no loop is being followed: the branch stays a Piecewise).

    A closed form built iteration by iteration would otherwise nest one Piecewise
    per iteration in the next (a loop that breaks), which SymPy cannot handle."""
    sp = _sp()
    if not _GUIDE:
        return None
    decided = _taken(sp, sp.sympify(condition), _GUIDE[-1])
    return {sp.true: True, sp.false: False}.get(decided)


BRANCHES_FOLLOWED = 4  # more branches than this: a closed form per point (see below)


def _follows_points(func: Func) -> bool:
    """Whether `func` has a while loop, a branch in a loop (a break, a continue), or
    more than `BRANCHES_FOLLOWED` branches: its closed form is built at each point
    checked, taking the branches the point takes, since one formula for all points
    nests a Piecewise per iteration or branch, which SymPy builds slowly."""
    eqns = list(_inlined(func))
    return (any(eqn.prim == "loop" and _decides(eqn) for eqn in eqns)
            or sum(eqn.prim == "cond" for eqn in eqns) > BRANCHES_FOLLOWED)


def _inlined(func: Func):
    """The equations of `func`, those of the functions it calls in place of the calls."""
    for eqn in func.body:
        if eqn.prim == "call":
            yield from _inlined(dict(eqn.params)["callee"].func)
        else:
            yield eqn


def _decides(eqn) -> bool:
    """Whether `eqn` decides something at run time: a branch, a while loop, or a loop
    with either in its body."""
    if eqn.prim != "loop":
        return eqn.prim == "cond"
    params = dict(eqn.params)
    return params["kind"] == "while" or any(map(_decides, _inlined(params["body"])))


def _simplifies_to_zero(difference, limit: int) -> bool:
    """Whether SymPy shows `difference` is 0, spending effort only where it pays.

    `simplify` can take minutes on piecewise expressions (Max, Heaviside) and
    tens of seconds on 50-operation nests of tanh, atan and exp, so it is tried
    only on small expressions free of those; larger ones up to `limit`
    operations get only `expand`. The numerical comparison always runs anyway.
    """
    sp = _sp()
    if difference == 0:
        return True
    if sp.count_ops(difference) > limit:  # even expand can take minutes on these
        return False
    if sp.expand(difference) == 0:
        return True
    slow = (sp.Piecewise, sp.Heaviside, sp.Max, sp.Min, sp.floor, sp.ceiling)
    small = sp.count_ops(difference) <= limit // 4
    return small and not difference.has(*slow) and sp.simplify(difference) == 0


def _compare_at(derivation, lowered, symbols, reference, point, rtol, free) -> float:
    value = derivation.function(*point)
    point = [point[i] for i in free]
    ours = value if isinstance(value, tuple) else (value,)
    worst = 0.0
    for i, (mine, ref) in enumerate(zip(ours, reference, strict=True)):
        exact = complex(evaluate_at(ref, symbols, point, mpmath_first=True))
        if exact.imag != 0 or not math.isfinite(exact.real):
            continue
        error = abs(float(mine) - exact.real) / max(1.0, abs(exact.real))
        if not error <= rtol:
            name = lowered.params[derivation.wrt[i]].var.name
            at = ", ".join(f"{s}={v!r}" for s, v in zip(symbols, point, strict=True))
            raise VerificationError(
                lowered.loc, f"the generated d{lowered.name}/d{name} is {float(mine)!r} at {at}, "
                f"but SymPy's derivative {ref} is {exact.real!r} there; a derivative rule is wrong")
        worst = max(worst, error)
    return worst


def evaluate_at(expr, symbols, point, digits: int = 30, mpmath_first: bool = False):
    """`expr` at `point` to `digits` digits (substituting first: evalf's subs= mishandles floor).

    Of a Piecewise (a branch) only the piece taken is evaluated, as Python runs
    only the branch taken: the others may be undefined there (log(x) > 1 under
    x > 0).

    SymPy's evaluation can fail (tan(...) reduces its argument modulo pi with an
    int() that refuses to round) or search for precision for minutes (nests of
    tan, tanh and atan2 of constants); mpmath then evaluates the formula as it
    stands, with `digits` digits. `mpmath_first` tries mpmath before SymPy: it
    costs a compilation per expression, but always ends quickly.
    """
    sp = _sp()
    values = {s: sp.Float(v, digits) for s, v in zip(symbols, point, strict=True)}
    if expr.has(sp.Piecewise):
        return _taken(sp, expr, values).evalf(digits)
    if mpmath_first:
        try:
            return _mpmath_value(sp, expr, symbols, point, digits)
        except (ArithmeticError, ValueError, TypeError, NameError):  # (SymPy decides these)
            pass
    try:
        return expr.xreplace(values).evalf(digits)
    except (NotImplementedError, RecursionError):
        return _mpmath_value(sp, expr, symbols, point, digits)


def _mpmath_value(sp, expr, symbols, point, digits: int):
    import mpmath

    function = sp.lambdify(symbols, expr, modules="mpmath", cse=True)  # (a tree, printed once)
    with mpmath.workdps(digits):
        value = function(*(mpmath.mpf(v) for v in point))
        return sp.sympify(complex(value))


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


def _taken(sp, expr, values):
    if not expr.args:
        return expr.xreplace(values)
    if isinstance(expr, sp.core.relational.Relational) and not isinstance(expr, (sp.Eq, sp.Ne)):
        sides = [_taken(sp, side, values) for side in expr.args]
        if all(side.is_number for side in sides):
            return expr.func(*(real_number(side) for side in sides))
        return expr.func(*sides)
    if isinstance(expr, sp.Piecewise):
        for piece, condition in expr.args:
            if _taken(sp, condition, values) == sp.true:
                return _taken(sp, piece, values)
        return sp.nan
    if isinstance(expr, (sp.And, sp.Or)):  # short-circuit, in any order SymPy put the terms
        decisive = sp.false if isinstance(expr, sp.And) else sp.true
        decided = []
        for term in expr.args:
            try:
                decided.append(_taken(sp, term, values))
            except TypeError:  # a comparison of non-reals: Python never evaluated it
                decided.append(None)
            if decided[-1] == decisive:
                return decisive
        return expr.func(*decided)
    return expr.func(*(_taken(sp, a, values) for a in expr.args))


def sample_points(func: Func, count: int, seed: int = 0, fixed: dict | None = None,
                  tries: int = 200) -> list[tuple]:
    """Up to `count` random points where every equation of `func` is in its domain
    (the parameters in `fixed` keep their values)."""
    rng = random.Random(seed)
    fixed = fixed or {}
    points = []
    for _ in range(count * tries):
        if len(points) == count:
            break
        point = tuple(fixed[p.var.name] if p.var.name in fixed else rng.uniform(*rng.choice(INTERVALS))
                      for p in func.params)
        if in_domain(func, point):
            points.append(point)
    return points


def in_domain(func: Func, point, prims=PRIMS) -> bool:
    """Whether evaluating `func` at `point` keeps every primitive it runs in its domain."""
    env = dict(zip((p.var.name for p in func.params), point, strict=True))

    def read(atom):
        return env[atom.name] if isinstance(atom, Var) else atom.value

    for eqn in func.body:
        if not all(bool(read(c)) == polarity for c, polarity in eqn.guard):
            continue  # a branch not taken here
        row = prims[eqn.prim]
        if eqn.prim == "cond":  # the value of the branch taken
            env[eqn.out.name] = read(eqn.args[1] if read(eqn.args[0]) else eqn.args[2])
            continue
        if short_circuits(eqn, read):
            env[eqn.out.name] = bool(read(eqn.args[0]))
            continue
        args = [read(a) for a in eqn.args]
        try:
            with np.errstate(all="raise"):
                if row.domain is not None and not np.all(np.vectorize(row.domain)(*args)):
                    return False
                value = row.impl(eqn.ns)(*args, **dict(eqn.params))
        except (ArithmeticError, ValueError, TypeError, IndexError, FloatingPointError):
            return False
        if not np.all(np.isfinite(value)):
            return False
        env[eqn.out.name] = value
    return True
