"""The check of a function of numbers: its generated derivative against SymPy's.

`check(derivation)` runs symbolic execution (symbolic.py) twice: on the lowered
function, whose closed form SymPy differentiates, and on the generated
derivative's IR; the two derivatives must agree
  * symbolically, where SymPy simplifies their difference to 0 (tried only on
    expressions small enough to simplify quickly), and
  * numerically, always: the compiled generated code against SymPy's derivative
    evaluated to 30 digits, at random points where every primitive of the
    function is inside its domain (sampling.py).
It returns a `VerificationReport` (report.py) and raises `VerificationError` at
the first point where they differ by more than `rtol`.

A function that branches gets a closed form per point, that of the path the point
takes (no Piecewise, which SymPy simplifies slowly): symbolic execution follows
the point (`symbolic.following`). The work is bounded by size (budget.py): a closed
form is measured as it is built, and one with more than `Budget.max_nodes` nodes is
never handed to SymPy; the generated derivative is then compared with central
differences of the function evaluated to 30 digits by the same SymPy meanings
(`symbolic.central_differences`). A time budget, checked between points, stops a
check with a report of what was compared.

Symbolic execution is used through its module (`symbolic.to_sympy`), so that what
stands in for it there (a test making SymPy fail) stands in for the check too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import symbolic
from .budget import Budget, Clock, ClosedFormTooLarge, Progress, SizeLimit, budget_error
from .report import VerificationReport
from .sampling import sample_points
from ..errors import VerificationError
from ..ir import Const, Func

SYMPY_FAILURES = (NotImplementedError, RecursionError)  # what SymPy raises on formulas it cannot do
DIFFERENCES = "central differences (30 digits)"
JUMP_MARGIN = 1e-9  # closer than this (relative) to an integer, floor's argument is on a jump


def _sp():
    import sympy  # (here, not at the top: SymPy takes a third of a second to load; only a check pays it)

    return sympy


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
    lowered = derivation.lowered
    fixed = _fixed(lowered, derivation.wrt, fixed or {})
    inputs, free = _inputs(lowered, fixed)
    shown = Progress(f"verify {lowered.name}", progress)
    state = _Check(derivation, lowered, inputs, free, rtol, budget, Clock(budget, shown))
    guided = _follows_points(lowered)
    # (A loop: one closed form per point, growing with the trip count: fewer points.)
    wanted = min(points, 4) if guided and _has_loop(lowered) else points
    samples = sample_points(lowered, 2 * wanted, seed, fixed)  # (some may lie on a jump)
    if not samples:
        raise VerificationError(lowered.loc, f"found no point where {lowered.name} and every "
                                "operation in it are defined; cannot verify it numerically")
    try:
        with symbolic.following(None):  # (drops the point an interrupted check left behind)
            if guided:
                closed, exact = _check_point_by_point(state, samples, wanted)
            else:
                closed, exact = _check_one_closed_form(state, samples, wanted, simplify_limit)
    finally:
        shown.done()
    if not state.compared and state.clock.stopped:
        raise budget_error(lowered.loc, f"verify {lowered.name}", budget)
    return state.report(closed, exact, wanted)


def _fixed(lowered: Func, wrt, given: dict) -> dict:
    """The values of the parameters not differentiated: those `given`, else their defaults."""
    defaults = {p.var.name: p.default.value for p in lowered.params if p.default is not None}
    differentiated = {lowered.params[i].var.name for i in wrt}
    return {k: v for k, v in {**defaults, **given}.items() if k not in differentiated}


def _inputs(lowered: Func, fixed: dict) -> tuple[list, list]:
    """One SymPy value per parameter (a real symbol, or a fixed parameter's number), and
    the indices of the parameters that are symbols."""
    sp = _sp()
    inputs = [symbolic.sympy_constant(Const(fixed[p.var.name])) if p.var.name in fixed
              else sp.Symbol(p.var.name, real=True) for p in lowered.params]
    free = [i for i, p in enumerate(lowered.params) if p.var.name not in fixed]
    return inputs, free


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
        with symbolic.following({s: sp.Float(v, 30) for s, v in zip(state.symbols, values, strict=True)}):
            form = state.closed_form()
            derivative = state.derivatives(form) if form is not None else None
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
            return _sympy_work(self.lowered,
                               lambda: symbolic.to_sympy(self.lowered, self.inputs, limit=limit)[0])
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
        return _sympy_work(self.lowered,
                           lambda: [symbolic.differentiate(form, self.inputs[i]) for i in self.wrt])

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


def _sympy_work(lowered: Func, work):
    """`work()`, SymPy's failures on the closed form as a located VerificationError."""
    try:
        return work()
    except SYMPY_FAILURES as exc:
        raise VerificationError(lowered.loc, f"SymPy failed building or differentiating the closed form "
                                f"of {lowered.name} ({type(exc).__name__}), so verify cannot judge it; "
                                "check the gradient with finite differences instead") from None


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


def _values(state: _Check, reference, point) -> list:
    """SymPy's derivatives evaluated at `point` (complex where they are)."""
    values = _free_values(state, point)
    return [complex(symbolic.evaluate_at(ref, state.symbols, values, mpmath_first=True)) for ref in reference]


def _differences(state: _Check, point) -> list:
    return _sympy_work(state.lowered, lambda: symbolic.central_differences(state.lowered, point, state.wrt))


def _free_values(state: _Check, point) -> list:
    return [point[i] for i in state.free]


def _symbolically_equal(state: _Check, reference, simplify_limit: int) -> tuple:
    """For each wrt, whether our derivative's closed form minus SymPy's simplifies to 0
    (a bonus: SymPy may fail building ours, or find it too large)."""
    no = (False,) * len(state.wrt)
    limit = SizeLimit(state.budget.max_nodes)  # (ours is built within it, as f's closed form is)
    try:
        ours = symbolic.to_sympy(state.derivation.derivative, state.inputs, limit=limit)[-len(state.wrt):]
        limit.check(tuple(reference))
    except SYMPY_FAILURES + (ClosedFormTooLarge,):
        return no
    state.clock.progress.update("simplifying the difference")
    return tuple(_simplifies_to_zero(o - r, simplify_limit) for o, r in zip(ours, reference, strict=True))


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
            value = complex(symbolic.evaluate_at(step.args[0], symbols, point)).real
        except SYMPY_FAILURES + (TypeError, ValueError, ArithmeticError):
            continue
        if abs(value - round(value)) <= JUMP_MARGIN * max(1.0, abs(value)):
            return True
    return False


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


def _has_loop(func: Func) -> bool:
    return any(eqn.prim == "loop" for eqn in _inlined(func))
