"""Explain: the chain rule written out for a function, the way a lecture derives it.

`explain(source, wrt, point)` lowers the function, follows it along the path it
takes at `point` (branches decided, loops unrolled, helpers inlined: the list
of elementary steps that actually ran), and derives:

  * the forward pass: each step `c = a + b` with its value (and shape);
  * the local partials: `∂d/∂c = 1/(2*sqrt(c))`, SymPy's derivative of the
    step's meaning, with its value; for an array step the matrix form of its
    adjoint (`∂f/∂W = ∂f/∂z · xᵀ`);
  * the backward pass: each adjoint as the sum over its children,
    `∂f/∂c = ∂f/∂d·∂d/∂c + ∂f/∂e·∂e/∂c`, with values; or, in forward mode, the
    tangent recurrences `ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ`;
  * the closed form SymPy gives for the derivative, and whether it agrees (for
    array functions: central differences at the point instead).

In: a parsed function, `wrt`, the point (or None), the mode. Out: an `Explanation`
(document.py), whose text, Markdown and DOT forms are its methods.

The derivation is three modules, in the order they run: trace.py (the path
taken), passes.py (the partials and the backward or tangent passes, by symdiff's
own rules) and check.py (the closed form and the verdict). The numbers come from
the rules the generated code uses, run on the values, so an explanation agrees
with the generated gradient, including the conventions at kinks.
"""

from __future__ import annotations

import numpy as np

from ..analysis import is_array_code
from ..frontend.wrt import resolve_wrt
from ..frontend.lower import lower
from ..primitives import PRIMS
from ..verification.budget import MAX_NODES, Progress
from .check import check
from .document import ExplainError, Explanation
from .passes import derive_passes
from .trace import follow

__all__ = ["ExplainError", "Explanation", "explain"]


def explain(source, wrt=0, point: dict | None = None, mode: str = "reverse", prims=None,
            max_nodes: int = MAX_NODES, progress: bool | None = None) -> Explanation:
    """Derive `source`'s gradient step by step (see the module docstring).

    Args:
        source: a parsed function (parse.parse_function or parse.parse_file).
        wrt: as for `grad`: an index, a name or a tuple of them.
        point: parameter name -> value; None for the symbolic derivation only
            (then the function may not branch or loop on values, and may not use
            arrays).
        mode: 'reverse' (adjoints) or 'forward' (tangents, one pass per wrt).
        progress: show what it is doing on stderr after a second (None: where
            stderr is a terminal).
        max_nodes: the largest closed form (a tree) given to SymPy; past it the
            passes are checked against central differences to 30 digits.

    Returns:
        The Explanation: `str()` its text, `.markdown()`, `.dot()`, `.agrees`.

    Raises:
        ExplainError: the mode is unknown, the point misses a parameter, the path
            cannot be followed (see trace.py), or array code has no point.
    """
    prims = prims or PRIMS
    if mode not in ("reverse", "forward"):
        raise ExplainError(source.loc(), f"explain's mode is 'reverse' or 'forward', not {mode!r}")
    lowered = _lowered(source, point, prims)
    indices, _ = resolve_wrt(lowered, wrt)
    names = tuple(p.var.name for p in lowered.params)
    point = _as_arrays(_in_parameter_order(lowered, names, point), {names[i] for i in indices})
    steps, output, values = follow(lowered, point, prims)
    result = Explanation(lowered.name, names, tuple(names[i] for i in indices), point, mode, steps, output,
                         loc=lowered.loc)
    if point is not None:
        result.shapes = {name: tuple(np.shape(v)) for name, v in values.items()}
    shown = Progress(f"explain {lowered.name}", progress)
    try:
        derive_passes(result, values, prims, shown)
        shown.update("the closed form")
        check(result, lowered, prims, max_nodes)
    finally:
        shown.done()
    return result


def _lowered(source, point: dict | None, prims):
    """The lowered function, for the point's shapes; array code needs a point."""
    shapes = {name: tuple(np.shape(v)) for name, v in point.items()} if point is not None else {}
    lowered = lower(source, shapes if any(shapes.values()) else None)
    if point is None and is_array_code(lowered, prims):
        raise ExplainError(lowered.loc, f"{lowered.name} uses array operations: explaining it needs "
                           "the values (--at W=[[1,2],[3,4]] or --shape W=2x2, or explain(f, W))")
    return lowered


def _as_arrays(point: dict | None, moved: set) -> dict | None:
    """The point with a list or tuple given as a value made the array it stands for: of
    floats where it is differentiated (`moved`), else as NumPy reads it (ints stay ints:
    indices)."""
    if point is None:
        return None
    return {n: (np.asarray(v, dtype=float) if n in moved else np.asarray(v)) if isinstance(v, (list, tuple)) else v
            for n, v in point.items()}


def _in_parameter_order(lowered, names: tuple, point: dict | None) -> dict | None:
    """The point with a value for every parameter, in the parameters' order."""
    if point is None:
        return None
    missing = [n for n in names if n not in point]
    if missing:
        raise ExplainError(lowered.loc, f"explain needs a value for every parameter at the point; "
                           f"give {', '.join(missing)} too")
    return {n: point[n] for n in names}
