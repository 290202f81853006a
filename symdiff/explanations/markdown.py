"""The Markdown form of an Explanation: the derivation with LaTeX, for Jupyter and GitHub.

In: an Explanation (document.py), read, never changed. Out: one Markdown string,
the sections of the text form (text.py) in the same order, each an `aligned`
LaTeX block. Every expression is printed by SymPy's `latex`; array operations
are spelled out (`W x`, `x^{T}`, `\\operatorname{sum}(x)`).
"""

from __future__ import annotations

import numpy as np

from ..primitives import PRIMS
from .meaning import meaning_of, step_symbols, sympy_module
from .wording import SMALL_ARRAY, adjoint_order, check_title, heading, in_step_order, is_number, number, shape_text, \
    verdict


def render_markdown(result) -> str:
    """The derivation as Markdown: a bold title per section, LaTeX rows under it."""
    valued = result.point is not None
    parts = [f"**symdiff explain**: {heading(result)}", "", "**Forward pass** (the lowered list)", ""]
    parts += _aligned(_forward_rows(result, valued)) + ["", "**Local partials**", ""]
    parts += _aligned(_partial_rows(result, valued)) + [""]
    if result.mode == "reverse":
        parts += ["**Backward pass** (each adjoint sums over the children)", ""]
        parts += _aligned(_backward_rows(result, valued))
    else:
        for name, tangents in result.tangents.items():
            parts += [f"**Tangent pass along {name}**", ""]
            parts += _aligned(_tangent_rows(result, tangents, valued)) + [""]
    parts += _check_section(result)
    return "\n".join(parts) + "\n"


def _forward_rows(result, valued) -> list[str]:
    rows = []
    for step in result.steps:
        row = rf"{_latex_name(step.name)} &= {_latex_rhs(step)}"
        if valued:
            row += rf" && = {_latex_number(step.value)}"
            if result.arrays:
                row += rf" \quad ({_latex_shape(result.shapes.get(step.name, ()))})"
        rows.append(row)
    return rows


def _partial_rows(result, valued) -> list[str]:
    rows = []
    for step in result.steps:
        for p in step.partials.values():
            row = _latex_partial(p.child, p.parent)
            row += rf" &= {_latex(p.expr)}" if p.expr is not None else " &"
            if p.rule is not None:
                row += rf" && \text{{adjoint: }} {_latex_rule(p, result.output)}"
            elif valued and p.value is not None and not is_number(p.expr):
                row += rf" && = {_latex_number(p.value)}"
            rows.append(row)
    return rows


def _backward_rows(result, valued) -> list[str]:
    out = result.output
    rows = []
    for name, adjoint in adjoint_order(result):
        left = _latex_partial(out, name)
        if not adjoint.terms:
            rows.append(rf"{left} &= {_latex_number(adjoint.value) if name == out else '0'}")
            continue
        terms = in_step_order(result, adjoint.terms)
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
    return rows


def _tangent_rows(result, tangents: dict, valued) -> list[str]:
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
    return rows


def _check_section(result) -> list[str]:
    """The closed form and its derivatives (where SymPy gave them), then the verdict."""
    out = result.output
    title, _, note = check_title(result).partition(" (")
    parts = ["", f"**{title}** ({note}", ""]
    if result.closed_form is not None:
        rows = [rf"{_latex_name(out)} &= {_latex(result.closed_form)}"]
        for name, expr in result.gradient.items():
            row = rf"{_latex_partial(out, name)} &= {_latex(expr)}"
            if name in result.exact:
                row += rf" && = {_latex_number(result.exact[name])}"
            rows.append(row)
        parts += _aligned(rows) + [""]
    said = verdict(result)
    parts.append(said[0].upper() + said[1:] + ".")
    return parts


def _aligned(rows) -> list[str]:
    if not rows:
        return ["(none)"]
    return ["$$", r"\begin{aligned}", " \\\\\n".join(rows), r"\end{aligned}", "$$"]


# ------------------------------------------------------------------ LaTeX pieces

def _latex(expr) -> str:
    return sympy_module().latex(expr)


def _latex_name(name: str) -> str:
    sp = sympy_module()
    return sp.latex(sp.Symbol(name))


def _latex_partial(child: str, parent: str) -> str:
    return rf"\frac{{\partial {_latex_name(child)}}}{{\partial {_latex_name(parent)}}}"


def _latex_number(value) -> str:
    """A number as is; a small vector or matrix as a bmatrix (a vector as one row); a
    large one, or one of more dimensions, as the text shows it."""
    if 0 < np.ndim(value) <= 2 and np.size(value) <= SMALL_ARRAY:
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


def _latex_shape(shape) -> str:
    return shape_text(shape).replace("×", r" \times ") if shape else r"\text{scalar}"


def _latex_rhs(step) -> str:
    """The step's right-hand side by SymPy's printer (array operations spelled out)."""
    sp = sympy_module()
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


def _latex_rule(p, out: str) -> str:
    """An array step's adjoint rule in words (`∂f/∂h · xᵀ`) as LaTeX, word by word."""
    pieces = [_latex_word(word, out) for word in p.rule.replace("∂f/∂", "GRAD:").split(" ")]
    return r"\ ".join(pieces)


def _latex_word(word: str, out: str) -> str:
    if word.startswith("GRAD:"):
        name = word[len("GRAD:"):].rstrip(",")
        return _latex_partial(out, name) + ("," if word.endswith(",") else "")
    if word.endswith("ᵀ"):
        return rf"{_latex_name(word[:-1])}^{{T}}"
    if word == "·":
        return r"\cdot"
    if word == "⊙":
        return r"\odot"
    if word.startswith("∂") and "/∂" in word:
        child, parent = word[1:].rstrip(",").split("/∂")
        return _latex_partial(child, parent) + ("," if word.endswith(",") else "")
    return rf"\text{{{word}}}"
