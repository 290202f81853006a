"""The three forms of an `Explanation` (explanation.py): plain text for the terminal,
Markdown with LaTeX (Jupyter, GitHub), and the computation graph as Graphviz DOT.

Every form shows the same derivation in the same order: the forward pass, the local
partials, the backward pass (or the tangent passes), the closed form. LaTeX comes
from SymPy's printer; numbers are printed with 6 significant digits, small arrays
entry by entry and larger ones by shape and norm.
"""

from __future__ import annotations

import numpy as np

from ..primitives import PRIMS

DIGITS = 6
SMALL_ARRAY = 6  # arrays with at most this many entries are printed entry by entry


# ------------------------------------------------------------------ shared pieces

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


def _factor(value) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def _in_step_order(result, partials):
    order = {step.name: i for i, step in enumerate(result.steps)}
    return sorted(partials, key=lambda p: order.get(p.child, -1))


def _heading(result) -> str:
    """The first line of every form: the function, what is differentiated, how, where."""
    at = ", ".join(f"{n} = {number(v)}" for n, v in result.point.items()) if result.point else ""
    head = f"{result.function}({', '.join(result.params)}), derivative with respect to " \
           f"{', '.join(result.wrt)}, {result.mode} mode" + (f", at {at}" if at else "")
    return head


def _shapes_of(result, step) -> str:
    """`3×2 @ 2 → 3` for an array operation, the result's shape for an elementwise one."""
    shape = shape_text(result.shapes.get(step.name, ()))
    if PRIMS[step.eqn.prim].elementwise:
        return shape
    inputs = [shape_text(result.shapes.get(a.name, ())) for a in step.eqn.args if hasattr(a, "name")]
    return f"{', '.join(inputs)} → {shape}"


def _dot_name(name: str) -> str:
    """The tangent of `name`: ẋ for one letter, name_dot otherwise (as the generated code)."""
    return f"{name}\u0307" if len(name) == 1 else f"{name}_dot"


def tangent_rule(step) -> str:
    """The tangent of an array step in words: the operation applied to the tangents for a
    linear one (`sum(ẋ)`), one term per active argument for a bilinear one (`Ẇ @ x + W @ ẋ`)."""
    from ..ir import Var, format_eqn

    eqn, row = step.eqn, PRIMS[step.eqn.prim]
    active = [i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name in step.partials]

    def dotted(indices):
        args = [Var(_dot_name(a.name)) if i in indices else a for i, a in enumerate(eqn.args)]
        return format_eqn(eqn.with_args(args)).split(" = ", 1)[1]

    if row.linear:
        return dotted(set(active))
    if row.bilinear:
        return " + ".join(dotted({i}) for i in active)
    return f"the tangent rule of {eqn.prim} applied to {', '.join(_dot_name(eqn.args[i].name) for i in active)}"


def _partial_text(p) -> str:
    return f"∂{p.child}/∂{p.parent}"


# ------------------------------------------------------------------ text

def text(result) -> str:
    lines = [_heading(result), ""]
    valued = result.point is not None
    lines.append("Forward pass (the lowered list):")
    width = max((len(f"{s.name} = {s.rhs}") for s in result.steps), default=0)
    for step in result.steps:
        line = f"  {step.name} = {step.rhs}"
        if valued:
            line = f"{line:<{width + 2}}  = {number(step.value)}"
            if result.arrays:
                line += f"  ({_shapes_of(result, step)})"
        lines.append(line)
    lines += ["", "Local partials:"]
    for step in result.steps:
        for p in step.partials.values():
            line = f"  {_partial_text(p)}"
            if p.expr is not None:
                line += f" = {_sympy_text(p.expr)}"
            if p.rule is not None and result.mode == "reverse":
                line += f"   (adjoint: ∂{result.output}/∂{p.parent} += {_rule_text(p, result.output)})"
            elif p.rule is not None and not PRIMS[step.eqn.prim].elementwise \
                    and p is next(iter(step.partials.values())):
                line += f"   (tangent: {_dot_name(step.name)} = {tangent_rule(step)})"
            if valued and p.value is not None and not result.arrays and not _is_number(p.expr):
                line += f" = {number(p.value)}"
            lines.append(line)
    lines.append("")
    if result.mode == "reverse":
        lines += _backward_text(result, valued)
    else:
        lines += _forward_text(result, valued)
    lines += ["", f"{_check_title(result)}:"]
    lines += _closed_text(result)
    return "\n".join(lines) + "\n"


def _is_number(expr) -> bool:
    """Whether a partial is a constant (∂c/∂a = 1), so its value need not be repeated."""
    return expr is not None and getattr(expr, "is_number", False)


def _sympy_text(expr) -> str:
    return str(expr)


def _backward_text(result, valued) -> list[str]:
    out = result.output
    lines = [f"Backward pass (each adjoint sums over the children u of v: ∂{out}/∂v = Σ ∂{out}/∂u·∂u/∂v):"]
    for name, adjoint in _adjoint_order(result):
        if not adjoint.terms:
            lines.append(f"  ∂{out}/∂{name} = {number(adjoint.value) if name == out else '0'}")
            continue
        terms = _in_step_order(result, adjoint.terms)
        symbolic = " + ".join(_rule_text(p, out) if p.rule else
                              f"∂{out}/∂{p.child}·{_partial_text(p)}" for p in terms)
        line = f"  ∂{out}/∂{name} = {symbolic}"
        if valued and not result.arrays:
            numbers = " + ".join(f"{_factor(result.adjoints[p.child].value)}·{_factor(p.value)}"
                                 for p in terms)
            line += f" = {numbers}" if len(terms) > 1 or symbolic != numbers else ""
        if valued:
            line += f" = {number(adjoint.value)}"
        lines.append(line)
    return lines


def _rule_text(p, out: str) -> str:
    return p.rule.replace("∂f/", f"∂{out}/")


def _adjoint_order(result):
    """The adjoints in the order the backward pass computes them: the output, then the
    steps from last to first, then the parameters."""
    order = [result.output] + [s.name for s in reversed(result.steps)] + list(result.params)
    seen = []
    for name in order:
        if name in result.adjoints and name not in seen:
            seen.append(name)
    return [(name, result.adjoints[name]) for name in seen]


def _forward_text(result, valued) -> list[str]:
    lines = []
    for name, tangents in result.tangents.items():
        seeds = ", ".join(f"{_dot_name(w)} = {1 if w == name else 0}" for w in result.wrt)
        lines.append(f"Tangent pass along {name} ({seeds}): each tangent sums over the arguments")
        for step in result.steps:
            tangent = tangents.get(step.name)
            if tangent is None:
                continue
            terms = [p for p in tangent.terms if p.parent in tangents]
            if any(p.rule is not None for p in terms) and not PRIMS[step.eqn.prim].elementwise:
                symbolic, numbers = tangent_rule(step), None
            else:
                symbolic = " + ".join(f"{_partial_text(p)}·{_dot_name(p.parent)}" for p in terms)
                numbers = " + ".join(f"{_factor(p.value)}·{_factor(tangents[p.parent].value)}" for p in terms)
            line = f"  {_dot_name(step.name)} = {symbolic}"
            if valued:
                line += f" = {numbers} = {number(tangent.value)}" if numbers else f" = {number(tangent.value)}"
            lines.append(line)
        lines.append("")
    return lines[:-1]


def _closed_text(result) -> list[str]:
    if result.closed_form is None:
        return [f"  {_verdict(result)}"]
    lines = [f"  {result.output} = {_sympy_text(result.closed_form)}"]
    for name, expr in result.gradient.items():
        line = f"  ∂{result.output}/∂{name} = {_sympy_text(expr)}"
        if name in result.exact:
            line += f" = {number(result.exact[name])}"
        lines.append(line)
    lines.append(f"  {_verdict(result)}")
    return lines


def _verdict(result) -> str:
    passes = "backward pass" if result.mode == "reverse" else "tangent pass"
    if result.agrees is None:
        return f"({result.agreement})"
    word = "agrees" if result.agrees else "DOES NOT AGREE"
    if result.too_large:
        return f"the {passes} {word} with central differences of f to 30 digits at the point ({result.agreement})"
    if result.closed_form is None:
        return f"the {passes} {word} with central differences at the point ({result.agreement})"
    return f"the {passes} {word} with it ({result.agreement})"


def _check_title(result) -> str:
    if result.too_large:
        return f"Check ({result.too_large}, too large for SymPy)"
    return "Closed form (SymPy)" if result.closed_form is not None else \
        "Check (array code has no closed form here)"


# ------------------------------------------------------------------ Markdown with LaTeX

def _latex_name(name: str) -> str:
    import sympy as sp

    return sp.latex(sp.Symbol(name))


def _latex_partial(child: str, parent: str) -> str:
    return rf"\frac{{\partial {_latex_name(child)}}}{{\partial {_latex_name(parent)}}}"


def _latex_number(value) -> str:
    """A number as is; a small array as a bmatrix (a vector as one row); a large one
    by its shape and norm."""
    if np.ndim(value) and np.size(value) <= SMALL_ARRAY:
        rows = np.atleast_2d(np.asarray(value, dtype=float))
        body = r" \\ ".join(" & ".join(f"{v + 0.0:.4g}" for v in row) for row in rows)  # (no -0)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    text = number(value)
    return rf"\text{{{text}}}" if not _plain(text) else text


def _latex_factor(value) -> str:
    text = _latex_number(value)
    return rf"\left({text}\right)" if text.startswith("-") else text


def _plain(text: str) -> bool:
    return all(c in "0123456789.-+e" for c in text)


def _latex_rhs(step) -> str:
    """The step's right-hand side by SymPy's printer (array operations spelled out)."""
    import sympy as sp

    from .explanation import meaning_of, step_symbols

    eqn = step.eqn
    names = [_latex_name(a.name) if hasattr(a, "name") else sp.latex(s)
             for a, s in zip(eqn.args, step_symbols(eqn), strict=True)]
    if eqn.prim == "matmul" or eqn.prim == "dot":
        return " ".join(names)
    if eqn.prim == "transpose":
        return rf"{names[0]}^{{T}}"
    if PRIMS[eqn.prim].sympy is None or not PRIMS[eqn.prim].elementwise:
        params = "".join(f", {k}={v!r}" for k, v in eqn.params)
        return rf"\operatorname{{{eqn.prim}}}\left({', '.join(names)}{params}\right)"
    try:
        return sp.latex(meaning_of(eqn, PRIMS, step_symbols(eqn)))
    except (TypeError, ValueError, AttributeError):
        return rf"\operatorname{{{eqn.prim}}}\left({', '.join(names)}\right)"


def markdown(result) -> str:
    valued = result.point is not None
    out = result.output
    parts = [f"**symdiff explain**: {_heading(result)}", "", "**Forward pass** (the lowered list)", ""]
    rows = []
    for step in result.steps:
        row = rf"{_latex_name(step.name)} &= {_latex_rhs(step)}"
        if valued:
            row += rf" && = {_latex_number(step.value)}"
            if result.arrays:
                row += rf" \quad ({_latex_shape(result.shapes.get(step.name, ()))})"
        rows.append(row)
    parts += _aligned(rows) + ["", "**Local partials**", ""]
    rows = []
    for step in result.steps:
        for p in step.partials.values():
            row = _latex_partial(p.child, p.parent)
            row += rf" &= {_latex(p.expr)}" if p.expr is not None else " &"
            if p.rule is not None:
                row += rf" && \text{{adjoint: }} {_latex_rule(p, out)}"
            elif valued and p.value is not None and not _is_number(p.expr):
                row += rf" && = {_latex_number(p.value)}"
            rows.append(row)
    parts += _aligned(rows) + [""]
    if result.mode == "reverse":
        parts += ["**Backward pass** (each adjoint sums over the children)", ""]
        rows = []
        for name, adjoint in _adjoint_order(result):
            left = _latex_partial(out, name)
            if not adjoint.terms:
                rows.append(rf"{left} &= {_latex_number(adjoint.value) if name == out else '0'}")
                continue
            terms = _in_step_order(result, adjoint.terms)
            symbolic = " + ".join(_latex_rule(p, out) if p.rule else
                                  rf"{_latex_partial(out, p.child)} {_latex_partial(p.child, p.parent)}"
                                  for p in terms)
            row = rf"{left} &= {symbolic}"
            if valued and not result.arrays and len(terms) > 1:
                products = " + ".join(rf"{_latex_factor(result.adjoints[p.child].value)} \cdot "
                                      rf"{_latex_factor(p.value)}" for p in terms)
                row += rf" && = {products} = {_latex_number(adjoint.value)}"
            elif valued:
                row += rf" && = {_latex_number(adjoint.value)}"
            rows.append(row)
        parts += _aligned(rows)
    else:
        for name, tangents in result.tangents.items():
            parts += [f"**Tangent pass along {name}**", ""]
            rows = []
            for step in result.steps:
                tangent = tangents.get(step.name)
                if tangent is None:
                    continue
                terms = [p for p in tangent.terms if p.parent in tangents]
                symbolic = " + ".join(rf"{_latex_partial(p.child, p.parent)} \dot{{{_latex_name(p.parent)}}}"
                                      for p in terms)
                row = rf"\dot{{{_latex_name(step.name)}}} &= {symbolic}"
                if valued:
                    row += rf" && = {_latex_number(tangent.value)}"
                rows.append(row)
            parts += _aligned(rows) + [""]
    title, _, note = _check_title(result).partition(" (")
    verdict = _verdict(result)
    parts += ["", f"**{title}** ({note}", ""]
    if result.closed_form is not None:
        rows = [rf"{_latex_name(out)} &= {_latex(result.closed_form)}"]
        for name, expr in result.gradient.items():
            row = rf"{_latex_partial(out, name)} &= {_latex(expr)}"
            if name in result.exact:
                row += rf" && = {_latex_number(result.exact[name])}"
            rows.append(row)
        parts += _aligned(rows) + [""]
    parts.append(verdict[0].upper() + verdict[1:] + ".")
    return "\n".join(parts) + "\n"


def _latex_shape(shape) -> str:
    return shape_text(shape).replace("×", r" \times ") if shape else r"\text{scalar}"


def _latex(expr) -> str:
    import sympy as sp

    return sp.latex(expr)


def _latex_rule(p, out: str) -> str:
    rule = p.rule.replace("∂f/∂", "GRAD:")
    pieces = []
    for word in rule.split(" "):
        if word.startswith("GRAD:"):
            name = word[len("GRAD:"):].rstrip(",")
            pieces.append(_latex_partial(out, name) + ("," if word.endswith(",") else ""))
        elif word.endswith("ᵀ"):
            pieces.append(rf"{_latex_name(word[:-1])}^{{T}}")
        elif word == "·":
            pieces.append(r"\cdot")
        elif word == "⊙":
            pieces.append(r"\odot")
        elif word.startswith("∂") and "/∂" in word:
            child, parent = word[1:].rstrip(",").split("/∂")
            pieces.append(_latex_partial(child, parent) + ("," if word.endswith(",") else ""))
        else:
            pieces.append(rf"\text{{{word}}}")
    return r"\ ".join(pieces)


def _aligned(rows) -> list[str]:
    if not rows:
        return ["(none)"]
    return ["$$", r"\begin{aligned}", " \\\\\n".join(rows), r"\end{aligned}", "$$"]


# ------------------------------------------------------------------ Graphviz DOT

def _quoted(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, lines joined by DOT's \\n."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(result) -> str:
    """The computation graph: a node per parameter and step (with its value and adjoint or
    tangent), an edge per argument (with the local partial's value)."""
    valued = result.point is not None
    out = result.output
    lines = [f"digraph {_quoted(result.function)} {{", "  rankdir=LR;",
             '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];']

    def label(name: str, head: str) -> str:
        rows = [head]
        if valued:
            rows.append(f"= {number(result.point[name] if name in result.point else _value(result, name))}")
        if result.mode == "reverse" and name in result.adjoints:
            rows.append(f"∂{out}/∂{name} = {number(result.adjoints[name].value) if valued else '·'}")
        return "\n".join(rows)

    for name in result.params:
        style = ", style=bold" if name in result.wrt else ""
        lines.append(f"  {_quoted(name)} [shape=ellipse{style}, label={_quoted(label(name, name))}];")
    for step in result.steps:
        lines.append(f"  {_quoted(step.name)} [label={_quoted(label(step.name, f'{step.name} = {step.rhs}'))}];")
    for step in result.steps:
        drawn = set()
        for arg in step.eqn.args:
            if not hasattr(arg, "name") or arg.name in drawn:
                continue
            drawn.add(arg.name)
            partial = step.partials.get(arg.name)
            attrs = ""
            if partial is not None:
                text = f"∂{step.name}/∂{arg.name}"
                if valued and partial.value is not None and not result.arrays:
                    text += f" = {number(partial.value)}"
                attrs = f" [label={_quoted(text)}]"
            else:
                attrs = " [style=dashed]"
            lines.append(f"  {_quoted(arg.name)} -> {_quoted(step.name)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _value(result, name):
    for step in result.steps:
        if step.name == name:
            return step.value
    return None
