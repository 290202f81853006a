"""The check of array code: a gradient against SymPy entry by entry, or finite differences.

For shapes small enough (at most `SYMPY_ENTRIES` input entries), every entry
of every array parameter becomes a SymPy symbol (`W_0_1`), the lowered function
runs on those arrays (NumPy arrays of SymPy expressions), and SymPy
differentiates the scalar result with respect to each symbol. The generated
gradient, run on random arrays, must match that derivative entry by entry.
Larger shapes, and closed forms larger than the budget's `max_nodes`, are
compared with central differences of the lowered function instead. Neither runs
the user's own code: both evaluate the IR. The arrays are drawn where every
operation is defined (sampling.py); the result is a `VerificationReport`
(report.py) whose closed forms are empty arrays of each gradient's shape.
"""

from __future__ import annotations

import math

import numpy as np

from . import symbolic
from .budget import Budget, Clock, ClosedFormTooLarge, Progress, SizeLimit, budget_error
from .report import VerificationReport
from .sampling import sample_arrays
from ..errors import VerificationError
from ..ir import Func, evaluate_ir

SYMPY_ENTRIES = 64


def check_arrays(derivation, shapes: dict, points: int = 3, seed: int = 0, rtol: float = 1e-7,
                 fixed: dict | None = None, budget: Budget = Budget(),
                 progress: bool | None = None) -> VerificationReport:
    """Compare a shape-specialized reverse-mode derivation with SymPy or finite differences.

    Args:
        shapes: every parameter's shape.
        fixed: values for parameters not drawn at random (integer labels, say).
        budget: the largest closed form given to SymPy, and the time after which
            the check stops between two points (see budget.py).
        progress: show progress on stderr (None: where stderr is a terminal).

    Raises:
        VerificationError: an entry of the generated gradient is off by more than `rtol`
            (SymPy), or by more than the finite-difference error allows.
        BudgetError: the time budget ran out before any point was compared.
    """
    lowered = derivation.lowered
    fixed = fixed or {}
    samples = sample_arrays(lowered, shapes, points, seed, fixed)
    if not samples:
        raise VerificationError(lowered.loc, f"found no arrays where {lowered.name} and every "
                                "operation in it are defined; cannot verify it")
    shown = Progress(f"verify {lowered.name}", progress)
    clock = Clock(budget, shown)
    reference, name, notes = _reference(derivation, shapes, fixed, budget.max_nodes, shown)
    if name != "SymPy":  # (float central differences: their own error is far above SymPy's)
        rtol = max(rtol, 1e-5)
    try:
        worst, compared = _compare_points(derivation, samples, reference, name, rtol, clock)
    finally:
        shown.done()
    if clock.stopped:
        notes.append(clock.stopped)
    if not compared:
        raise budget_error(lowered.loc, f"verify {lowered.name}", budget)
    names = tuple(lowered.params[i].var.name for i in derivation.wrt)
    forms = tuple(np.empty(shapes[n], dtype=object) for n in names)  # (the report shows their shapes)
    return VerificationReport(lowered.name, names, forms, (False,) * len(names), compared,
                              worst, name, tuple(notes), len(samples))


def _reference(derivation, shapes: dict, fixed: dict, max_nodes: int, shown: Progress):
    """What the gradient is compared with: a function of the point giving each wrt's
    derivative, its name, and why it is not SymPy (notes). SymPy where at most
    `SYMPY_ENTRIES` entries are drawn and the closed form has at most `max_nodes` nodes."""
    lowered, notes = derivation.lowered, []
    entries = sum(math.prod(shape) for name, shape in shapes.items() if name not in fixed)
    if entries <= SYMPY_ENTRIES:
        shown.update("building the closed form entry by entry")
        reference = _sympy_reference(lowered, derivation.wrt, shapes, fixed, max_nodes)
        if reference is _UNORDERED:
            notes.append("the function orders entries (np.sort, np.argsort) or decomposes a matrix "
                         "(np.linalg.eigh, svd, qr), which SymPy cannot on symbols: compared "
                         "with finite differences instead of SymPy")
        elif reference is not None:
            return reference, "SymPy", notes
        else:
            notes.append(f"the closed form has more than {max_nodes:,} nodes (max_nodes): "
                         "compared with finite differences instead of SymPy")
    return _finite_differences(lowered, derivation.wrt), "finite differences", notes


def _compare_points(derivation, samples: list, reference, name: str, rtol: float,
                    clock: Clock) -> tuple[float, int]:
    """The largest error of the generated gradient against `reference` (called `name`)
    over the points compared, and how many were before the time budget ran out."""
    lowered = derivation.lowered
    worst, compared = 0.0, 0
    for point in samples:
        if clock.over(compared, len(samples)):
            break
        clock.progress.update(f"point {compared + 1} of {len(samples)}")
        ours = derivation.function(*point)
        for i, (mine, exact) in enumerate(zip(ours, reference(point), strict=True)):
            worst = max(worst, _compare(lowered, derivation.wrt[i], mine, exact, rtol, name))
        compared += 1
    return worst, compared


_UNORDERED = "unordered"  # (_sympy_reference: symbolic execution met an order it cannot decide)


def _sympy_reference(lowered: Func, wrt, shapes, fixed: dict, max_nodes: int):
    """The derivative entry by entry, as a function of the point; None where the closed
    form has more than `max_nodes` nodes."""
    import sympy

    symbols = [fixed[p.var.name] if p.var.name in fixed else _symbols(sympy, p.var.name, shapes[p.var.name])
               for p in lowered.params]
    try:
        closed = symbolic.to_sympy(lowered, symbols, limit=SizeLimit(max_nodes))[0]
    except ClosedFormTooLarge:
        return None
    except TypeError:  # an order SymPy cannot decide on symbols (np.sort), a decomposition: no closed form
        return _UNORDERED
    grads = [np.vectorize(lambda s: symbolic.differentiate(closed, s), otypes=[object])(
        np.asarray(symbols[i], dtype=object)) for i in wrt]
    drawn = [i for i, p in enumerate(lowered.params) if p.var.name not in fixed]
    flat = [s for i in drawn for s in np.asarray(symbols[i], dtype=object).ravel()]

    def at(point):
        values = [v for i in drawn for v in np.ravel(point[i])]
        return [np.vectorize(lambda e: float(symbolic.evaluate_at(e, flat, values)), otypes=[float])(g)
                for g in grads]

    return at


def _symbols(sympy, name: str, shape: tuple):
    if shape == ():
        return sympy.Symbol(name, real=True)
    array = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        array[index] = sympy.Symbol(f"{name}_{'_'.join(map(str, index))}", real=True)
    return array


def _finite_differences(lowered: Func, wrt):
    def at(point):
        return [_central(lowered, point, i) for i in wrt]

    return at


def _central(lowered: Func, point, i: int):
    base = np.asarray(point[i], dtype=float)
    grad = np.empty(base.shape)
    for index in np.ndindex(base.shape):
        step = 1e-6 * max(1.0, abs(base[index]))
        values = []
        for sign in (1, -1):
            moved = base.copy()
            moved[index] += sign * step
            args = list(point)
            args[i] = moved if base.shape else float(moved)
            values.append(evaluate_ir(lowered, *args))
        grad[index] = (values[0] - values[1]) / (2 * step)
    return grad


def _compare(lowered, index, mine, exact, rtol, reference) -> float:
    mine, exact = np.asarray(mine, dtype=float), np.asarray(exact, dtype=float)
    error = np.abs(mine - exact) / np.maximum(1.0, np.abs(exact))
    worst = float(np.max(error)) if error.size else 0.0
    if not worst <= rtol:
        name = lowered.params[index].var.name
        where = np.unravel_index(int(np.argmax(error)), error.shape) if error.shape else ()
        raise VerificationError(
            lowered.loc, f"the generated d{lowered.name}/d{name} differs from {reference} at entry "
            f"{where}: {mine[where]!r} against {exact[where]!r}; a derivative rule is wrong")
    return worst
