"""The words every form of an Explanation shares: numbers, shapes, names, the order
of the adjoints, the heading and the verdict.

In: an Explanation (document.py) or one of its parts, read, never changed. Out:
plain strings (and lists of the document's parts, in the order they are shown).
Numbers are printed with 6 significant digits, small arrays entry by entry and
larger ones by shape and norm.
"""

from __future__ import annotations

import numpy as np

from ..ir import Var, format_eqn
from ..primitives import PRIMS

DIGITS = 6
SMALL_ARRAY = 6  # arrays with at most this many entries are printed entry by entry


def number(value) -> str:
    """A value as printed in every form: 0.49, -1.874, [1.4, 0.2], a 3×4 array by norm."""
    if value is None:
        return "?"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if np.ndim(value) == 0:
        value = float(value)
        return "0" if value == 0 else f"{value:.{DIGITS}g}"
    array = np.asarray(value, dtype=float) + 0.0  # (no -0)
    if array.size <= SMALL_ARRAY:
        return np.array2string(array, precision=4, separator=", ", suppress_small=True).replace("\n", "")
    return f"{shape_text(array.shape)} array, norm {float(np.linalg.norm(array)):.4g}"


def shape_text(shape) -> str:
    """3×4 for a matrix, 5 for a vector, 'scalar' for a number."""
    return "×".join(map(str, shape)) if shape else "scalar"


def factor(value) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def is_number(expr) -> bool:
    """Whether a partial is a constant (∂c/∂a = 1), so its value need not be repeated."""
    return expr is not None and getattr(expr, "is_number", False)


def heading(result) -> str:
    """The first line of every form: the function, what is differentiated, how, where."""
    at = ", ".join(f"{n} = {number(v)}" for n, v in result.point.items()) if result.point else ""
    head = f"{result.function}({', '.join(result.params)}), derivative with respect to " \
           f"{', '.join(result.wrt)}, {result.mode} mode" + (f", at {at}" if at else "")
    return head


def in_step_order(result, partials) -> list:
    """`partials` sorted by where their child is computed on the path."""
    order = {step.name: i for i, step in enumerate(result.steps)}
    return sorted(partials, key=lambda p: order.get(p.child, -1))


def adjoint_order(result) -> list:
    """The adjoints in the order the backward pass computes them: the output, then the
    steps from last to first, then the parameters."""
    order = [result.output] + [s.name for s in reversed(result.steps)] + list(result.params)
    seen = []
    for name in order:
        if name in result.adjoints and name not in seen:
            seen.append(name)
    return [(name, result.adjoints[name]) for name in seen]


def dot_name(name: str) -> str:
    """The tangent of `name`: ẋ for one letter, name_dot otherwise (as the generated code)."""
    return f"{name}\u0307" if len(name) == 1 else f"{name}_dot"


def tangent_rule(step) -> str:
    """The tangent of an array step in words: the operation applied to the tangents for a
    linear one (`sum(ẋ)`), one term per active argument for a bilinear one (`Ẇ @ x + W @ ẋ`)."""
    eqn, row = step.eqn, PRIMS[step.eqn.prim]
    active = [i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name in step.partials]

    def dotted(indices):
        args = [Var(dot_name(a.name)) if i in indices else a for i, a in enumerate(eqn.args)]
        return format_eqn(eqn.with_args(args)).split(" = ", 1)[1]

    if row.linear:
        return dotted(set(active))
    if row.bilinear:
        return " + ".join(dotted({i}) for i in active)
    return f"the tangent rule of {eqn.prim} applied to {', '.join(dot_name(eqn.args[i].name) for i in active)}"


def verdict(result) -> str:
    """Whether the passes agree with the check, and how that was established."""
    passes = "backward pass" if result.mode == "reverse" else "tangent pass"
    if result.agrees is None:
        return f"({result.agreement})"
    word = "agrees" if result.agrees else "DOES NOT AGREE"
    if result.too_large:
        return f"the {passes} {word} with central differences of f to 30 digits at the point ({result.agreement})"
    if result.closed_form is None:
        return f"the {passes} {word} with central differences at the point ({result.agreement})"
    return f"the {passes} {word} with it ({result.agreement})"


def check_title(result) -> str:
    """The title of the last section: the closed form, or why there is none."""
    if result.too_large:
        return f"Check ({result.too_large}, too large for SymPy)"
    return "Closed form (SymPy)" if result.closed_form is not None else \
        "Check (array code has no closed form here)"
