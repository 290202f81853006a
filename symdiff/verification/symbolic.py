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

A function that branches gets a closed form per point, that of the path the point
takes (no Piecewise, which SymPy simplifies slowly). The work is bounded by size
(budget.py): a closed form is measured as it is built, and one with more than
`Budget.max_nodes` nodes is never handed to SymPy; the generated derivative is then
compared with central differences of the function evaluated to 30 digits by the
same SymPy meanings (`central_differences`). A time budget, checked between
points, stops a check with a report of what was compared.

Piecewise-constant operations (floor, sign, comparisons, ...) have derivative 0
almost everywhere; SymPy's unevaluated `Derivative(floor(x), x)` and
`DiracDelta` terms are replaced by 0 accordingly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .budget import Budget, Clock, ClosedFormTooLarge, Progress, SizeLimit, budget_error, tree_size
from .report import VerificationReport
from .sampling import sample_points
from ..errors import VerificationError
from ..ir import Const, Func, Var, flat_results
from ..loops import run_loop
from ..primitives import PRIMS

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


def to_sympy(func: Func, inputs, prims=PRIMS, limit: SizeLimit | None = None) -> tuple:
    """Run `func` on SymPy expressions `inputs` (one per parameter); returns its flat results.

    A comparison of values that depend on no input is decided as the float code
    decides it: `0.0 < math.sin(math.pi)` holds in floats (sin of the float pi is
    1.2e-16), though not in exact arithmetic, and the generated code takes that
    branch. So constant values are also computed in floats, beside their exact form.

    With a `limit`, every value is measured as it is made (in loops and called
    functions too), and `ClosedFormTooLarge` stops the run at the first one larger:
    SymPy then never compares or rewrites a tree larger than the limit.
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
        elif eqn.prim in ("loop", "call"):
            env[eqn.out.name] = structured(eqn.prim, [read(a) for a in eqn.args], dict(eqn.params), prims, limit)
        else:
            env[eqn.out.name] = apply_primitive(row, eqn, [read(a) for a in eqn.args])
        if limit is not None:
            limit.check(env[eqn.out.name])
    return tuple(read(r) for r in flat_results(func.results))


def structured(prim: str, args, params: dict, prims=PRIMS, limit: SizeLimit | None = None):
    """A loop (its iterations run on SymPy values) or a call of a helper, symbolically."""
    if prim == "call":
        results = to_sympy(params["callee"].func, args, prims, limit)
        return results[0] if len(results) == 1 else results
    if params["kind"] == "range" and not all(getattr(a, "is_Integer", isinstance(a, int)) for a in args[:3]):
        raise VerificationError(params["body"].loc, "the trip count of this loop depends on a "
                                "parameter; give its value to verify: symdiff.verify(f, args=(...))")
    return run_loop(args, run_body=lambda *values: to_sympy(params["body"], values, prims, limit),
                    decide=decide, **params)


def apply_primitive(row, eqn, args):
    """A primitive on SymPy expressions, or on NumPy arrays of them (dtype object)."""
    params = dict(eqn.params)
    if row.sympy is None:  # an array operation: NumPy's own function works on object arrays
        return row.impl(eqn.ns)(*args, **params)
    if row.elementwise and any(isinstance(a, np.ndarray) for a in args):
        return np.vectorize(lambda *xs: row.sympy(*xs, **params), otypes=[object])(*args)
    return row.sympy(*args, **params)


def drop_nondifferentiable(expr):
    """Replace derivatives of piecewise-constant functions by their a.e. value 0.

    What is left unevaluated is evaluated (`doit`) only where something was replaced:
    re-evaluating every Max and Min of a softmax costs SymPy seconds."""
    sp = _sp()
    if not expr.has(sp.Derivative, sp.DiracDelta, sp.Subs):
        return expr
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


SYMPY_FAILURES = (NotImplementedError, RecursionError)  # what SymPy raises on formulas it cannot do
DIFFERENCES = "central differences (30 digits)"


def _sympy_work(lowered: Func, work):
    """`work()`, SymPy's failures on the closed form as a located VerificationError."""
    try:
        return work()
    except SYMPY_FAILURES as exc:
        raise VerificationError(lowered.loc, f"SymPy failed building or differentiating the closed form "
                                f"of {lowered.name} ({type(exc).__name__}), so verify cannot judge it; "
                                "check the gradient with finite differences instead") from None


@dataclass
class _Check:
    """What one `check` works with: the function, its symbols and the points' bookkeeping."""

    derivation: object
    lowered: Func
    inputs: list       # one SymPy value per parameter: a symbol, or a fixed parameter's number
    free: list         # the indices of the parameters that are symbols
    rtol: float
    budget: Budget
    clock: Clock
    worst: float = 0.0
    compared: list = field(default_factory=list)
    references: set = field(default_factory=set)
    notes: list = field(default_factory=list)

    @property
    def symbols(self) -> list:
        return [self.inputs[i] for i in self.free]

    @property
    def wrt(self) -> tuple:
        return self.derivation.wrt

    def closed_form(self):
        """f's closed form, or None where its tree is larger than the budget (noted)."""
        limit = SizeLimit(self.budget.max_nodes)
        try:
            return _sympy_work(self.lowered, lambda: to_sympy(self.lowered, self.inputs, limit=limit)[0])
        except ClosedFormTooLarge:
            self.note_too_large()
            return None

    def note_too_large(self):
        note = (f"the closed form has more than {self.budget.max_nodes:,} nodes (max_nodes): compared "
                f"with central differences of {self.lowered.name} evaluated to 30 digits, not with "
                "SymPy's derivative; raise max_nodes (--max-nodes) to differentiate it symbolically")
        if note not in self.notes:
            self.notes.append(note)

    def derivatives(self, form) -> list:
        return _sympy_work(self.lowered, lambda: [differentiate(form, self.inputs[i]) for i in self.wrt])

    def compare(self, point, exact: list, how: str, shown: list | None = None):
        """Compare the generated derivative at `point` with `exact` (one value per wrt)."""
        self.worst = max(self.worst, _compare_at(self, point, exact, how, shown))
        self.compared.append(point)
        self.references.add("SymPy" if how == "SymPy" else DIFFERENCES)

    def report(self, closed: tuple, exact: tuple, wanted: int) -> VerificationReport:
        names = tuple(self.lowered.params[i].var.name for i in self.wrt)
        reference = " and ".join(sorted(self.references, key=len)) or "SymPy"
        notes = list(self.notes)
        if self.clock.stopped:
            notes.append(self.clock.stopped)
        return VerificationReport(self.lowered.name, names, closed, exact, len(self.compared), self.worst,
                                  reference, tuple(notes), wanted)


def check(derivation, points: int = 12, seed: int = 0, rtol: float = 1e-7,
          simplify_limit: int = 150, fixed: dict | None = None, budget: Budget = Budget(),
          progress: bool | None = None) -> VerificationReport:
    """Compare a reverse-mode `driver.Derivation` with SymPy (see the module docstring).

    Args:
        fixed: values for parameters that are not differentiated (an int trip
            count, say): they are constants in the closed form and at every point.
            Those not given keep their defaults, if they have one.
        budget: the largest closed form handed to SymPy (larger ones are compared
            with central differences at 30 digits) and the time after which the
            check stops between two points.
        progress: show progress on stderr (None: where stderr is a terminal).

    Raises:
        VerificationError: at some point the generated derivative differs from
            SymPy's by more than `rtol`.
        BudgetError: the time budget ran out before any point was compared.
    """
    sp = _sp()
    lowered = derivation.lowered
    defaults = {p.var.name: p.default.value for p in lowered.params if p.default is not None}
    fixed = {k: v for k, v in {**defaults, **(fixed or {})}.items()
             if k not in {lowered.params[i].var.name for i in derivation.wrt}}
    inputs = [sympy_constant(Const(fixed[p.var.name])) if p.var.name in fixed
              else sp.Symbol(p.var.name, real=True) for p in lowered.params]
    free = [i for i, p in enumerate(lowered.params) if p.var.name not in fixed]
    shown = Progress(f"verify {lowered.name}", progress)
    state = _Check(derivation, lowered, inputs, free, rtol, budget, Clock(budget, shown))
    _GUIDE.clear()  # (a check interrupted while following a point left it)
    guided = _follows_points(lowered)
    # (A loop: one closed form per point, growing with the trip count: fewer points.)
    wanted = min(points, 4) if guided and _has_loop(lowered) else points
    samples = sample_points(lowered, 2 * wanted, seed, fixed)  # (some may lie on a jump)
    if not samples:
        raise VerificationError(lowered.loc, f"found no point where {lowered.name} and every "
                                "operation in it are defined; cannot verify it numerically")
    try:
        if guided:
            closed, exact = _check_point_by_point(state, samples, wanted)
        else:
            closed, exact = _check_one_closed_form(state, samples, wanted, simplify_limit)
    finally:
        shown.done()
    if not state.compared and state.clock.stopped:
        raise budget_error(lowered.loc, f"verify {lowered.name}", budget)
    return state.report(closed, exact, wanted)


def _check_one_closed_form(state: _Check, samples, wanted: int, simplify_limit: int):
    """One closed form for every point: its derivative compared at each, and with ours
    symbolically. (closed forms, symbolic verdicts)"""
    state.clock.progress.update("building the closed form")
    form = state.closed_form()
    closed = [form]  # (for _on_a_jump)
    wrt_count = len(state.wrt)
    if form is None:
        for point in _points(state, samples, wanted):
            state.compare(point, _differences(state, point), DIFFERENCES)
        return (None,) * wrt_count, (False,) * wrt_count
    state.clock.progress.update("differentiating the closed form")
    reference = state.derivatives(form)
    exact = _symbolically_equal(state, reference, simplify_limit)
    doubtful = []  # (points on a jump are compared last, if need be)
    for point in _points(state, samples, wanted):
        if _on_a_jump(closed, state.symbols, _free_values(state, point)):
            doubtful.append(point)
        else:
            state.compare(point, _values(state, reference, point), "SymPy", reference)
    for point in doubtful[:wanted - len(state.compared)]:  # (better those than none)
        state.compare(point, _values(state, reference, point), "SymPy", reference)
    return tuple(reference), exact


def _check_point_by_point(state: _Check, samples, wanted: int):
    """A closed form per point, taking the branches and iterations the point takes."""
    sp = _sp()
    reference, doubtful = (None,) * len(state.wrt), []
    for point in _points(state, samples, wanted):
        values = _free_values(state, point)
        try:
            _GUIDE.append({s: sp.Float(v, 30) for s, v in zip(state.symbols, values, strict=True)})
            form = state.closed_form()
            derivative = state.derivatives(form) if form is not None else None
        finally:
            _GUIDE.clear()
        if derivative is None:
            state.compare(point, _differences(state, point), DIFFERENCES)
        elif _on_a_jump([form], state.symbols, values):
            doubtful.append((point, derivative))
        else:
            reference = tuple(derivative)
            state.compare(point, _values(state, derivative, point), "SymPy", derivative)
    for point, derivative in doubtful[:wanted - len(state.compared)]:
        reference = tuple(derivative)
        state.compare(point, _values(state, derivative, point), "SymPy", derivative)
    return reference, (False,) * len(state.wrt)


def _points(state: _Check, samples, wanted: int):
    """The sample points, while fewer than `wanted` were compared and time is left."""
    for point in samples:
        if len(state.compared) >= wanted:
            return
        if state.clock.over(len(state.compared), wanted):
            return
        state.clock.progress.update(f"point {len(state.compared) + 1} of {wanted}")
        yield point


def _free_values(state: _Check, point) -> list:
    return [point[i] for i in state.free]


def _values(state: _Check, reference, point) -> list:
    """SymPy's derivatives evaluated at `point` (complex where they are)."""
    values = _free_values(state, point)
    return [complex(evaluate_at(ref, state.symbols, values, mpmath_first=True)) for ref in reference]


DIFFERENCE_STEP = 1e-10  # relative; to 30 digits, truncation and rounding errors are near 1e-20


def _differences(state: _Check, point) -> list:
    return _sympy_work(state.lowered, lambda: central_differences(state.lowered, point, state.wrt))


def central_differences(func: Func, point, wrt, prims=PRIMS) -> list[complex]:
    """d func / d (each parameter in `wrt`) at `point` (a value per parameter) by central
    differences, the function evaluated to 30 digits by the primitives' SymPy meanings
    (never by generated code). With a step of 1e-10 (relative), truncation and rounding
    errors are both near 1e-20: far below any tolerance a check uses."""
    sp = _sp()
    base = [sp.Integer(int(v)) if isinstance(v, (int, np.integer)) and not isinstance(v, bool)
            else sp.Float(float(v), 30) for v in point]
    derivatives = []
    for i in wrt:
        h = sp.Float(DIFFERENCE_STEP * max(1.0, abs(float(point[i]))), 30)
        up, down = list(base), list(base)
        up[i], down[i] = base[i] + h, base[i] - h
        difference = to_sympy(func, up, prims)[0] - to_sympy(func, down, prims)[0]
        derivatives.append(complex(real_number(difference / (2 * h))))
    return derivatives


def _symbolically_equal(state: _Check, reference, simplify_limit: int) -> tuple:
    """For each wrt, whether our derivative's closed form minus SymPy's simplifies to 0
    (a bonus: SymPy may fail building ours, or find it too large)."""
    no = (False,) * len(state.wrt)
    try:
        ours = to_sympy(state.derivation.derivative, state.inputs)[-len(state.wrt):]
    except SYMPY_FAILURES:
        return no
    sizes: dict = {}
    limit = state.budget.max_nodes
    if any(tree_size(o, sizes, limit) > limit or tree_size(r, sizes, limit) > limit
           for o, r in zip(ours, reference, strict=True)):
        return no
    state.clock.progress.update("simplifying the difference")
    return tuple(_simplifies_to_zero(o - r, simplify_limit) for o, r in zip(ours, reference, strict=True))


def _has_loop(func: Func) -> bool:
    return any(eqn.prim == "loop" for eqn in _inlined(func))


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


def _follows_points(func: Func) -> bool:
    """Whether `func` branches (an if, a while loop, a break): its closed form is then
    built at each point checked, taking the branches the point takes. One formula for
    all points would nest a Piecewise per branch (and per iteration), which SymPy
    builds and simplifies slowly: 20 s for the `or` of two comparisons of constants."""
    return any(_decides(eqn) for eqn in _inlined(func))


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


def _compare_at(state: _Check, point, exact: list, how: str, shown=None) -> float:
    """The largest relative error of the generated derivative at `point` against `exact`
    (values of SymPy's derivative `shown`, or central differences)."""
    value = state.derivation.function(*point)
    ours = value if isinstance(value, tuple) else (value,)
    worst = 0.0
    for i, (mine, reference) in enumerate(zip(ours, exact, strict=True)):
        if reference.imag != 0 or not math.isfinite(reference.real):
            continue
        error = abs(float(mine) - reference.real) / max(1.0, abs(reference.real))
        if not error <= state.rtol:
            lowered = state.lowered
            name = lowered.params[state.wrt[i]].var.name
            at = ", ".join(f"{s}={v!r}" for s, v in zip(state.symbols, _free_values(state, point), strict=True))
            source = f"SymPy's derivative {shown[i]}" if shown is not None else how
            raise VerificationError(
                lowered.loc, f"the generated d{lowered.name}/d{name} is {float(mine)!r} at {at}, "
                f"but {source} is {reference.real!r} there; a derivative rule is wrong")
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
