"""The text form of an Explanation: the derivation as the terminal shows it.

In: an Explanation (document.py), read, never changed. Out: one string, the
sections in the order of every form: the heading, the forward pass (the lowered
list, with values at a point), the local partials, the backward pass (or a
tangent pass per wrt parameter), and the closed form with its verdict.
"""

from __future__ import annotations

from ..primitives import PRIMS
from .wording import (adjoint_order, check_title, dot_name, factor, heading, in_step_order, is_number, number,
                      shape_text, tangent_rule, verdict)


def render_text(result) -> str:
    """The derivation as plain text, one line per step, partial and adjoint."""
    valued = result.point is not None
    lines = [heading(result), ""]
    lines += _forward_list(result, valued)
    lines += ["", "Local partials:"]
    lines += _partials(result, valued)
    lines.append("")
    if result.mode == "reverse":
        lines += _backward_pass(result, valued)
    else:
        lines += _tangent_passes(result, valued)
    lines += ["", f"{check_title(result)}:"]
    lines += _closed_form(result)
    return "\n".join(lines) + "\n"


def _forward_list(result, valued) -> list[str]:
    lines = ["Forward pass (the lowered list):"]
    width = max((len(f"{s.name} = {s.rhs}") for s in result.steps), default=0)
    for step in result.steps:
        line = f"  {step.name} = {step.rhs}"
        if valued:
            line = f"{line:<{width + 2}}  = {number(step.value)}"
            if result.arrays:
                line += f"  ({_shapes_of(result, step)})"
        lines.append(line)
    return lines


def _shapes_of(result, step) -> str:
    """`3×2 @ 2 → 3` for an array operation, the result's shape for an elementwise one."""
    shape = shape_text(result.shapes.get(step.name, ()))
    if PRIMS[step.eqn.prim].elementwise:
        return shape
    inputs = [shape_text(result.shapes.get(a.name, ())) for a in step.eqn.args if hasattr(a, "name")]
    return f"{', '.join(inputs)} → {shape}"


def _partials(result, valued) -> list[str]:
    """Each partial with SymPy's expression, an array step's adjoint or tangent in words,
    and its value."""
    lines = []
    for step in result.steps:
        for p in step.partials.values():
            line = f"  {_partial_text(p)}"
            if p.expr is not None:
                line += f" = {str(p.expr)}"  # (str: as SymPy prints it, not a Float's format)
            if p.rule is not None and result.mode == "reverse":
                line += f"   (adjoint: ∂{result.output}/∂{p.parent} += {_rule_text(p, result.output)})"
            elif p.rule is not None and not PRIMS[step.eqn.prim].elementwise \
                    and p is next(iter(step.partials.values())):
                line += f"   (tangent: {dot_name(step.name)} = {tangent_rule(step)})"
            if valued and p.value is not None and not result.arrays and not is_number(p.expr):
                line += f" = {number(p.value)}"
            lines.append(line)
    return lines


def _partial_text(p) -> str:
    return f"∂{p.child}/∂{p.parent}"


def _rule_text(p, out: str) -> str:
    return p.rule.replace("∂f/", f"∂{out}/")


def _backward_pass(result, valued) -> list[str]:
    out = result.output
    lines = [f"Backward pass (each adjoint sums over the children u of v: ∂{out}/∂v = Σ ∂{out}/∂u·∂u/∂v):"]
    for name, adjoint in adjoint_order(result):
        if not adjoint.terms:
            lines.append(f"  ∂{out}/∂{name} = {number(adjoint.value) if name == out else '0'}")
            continue
        terms = in_step_order(result, adjoint.terms)
        symbolic = " + ".join(_rule_text(p, out) if p.rule else
                              f"∂{out}/∂{p.child}·{_partial_text(p)}" for p in terms)
        line = f"  ∂{out}/∂{name} = {symbolic}"
        if valued and not result.arrays:
            products = " + ".join(f"{factor(result.adjoints[p.child].value)}·{factor(p.value)}"
                                  for p in terms)
            line += f" = {products}" if len(terms) > 1 or symbolic != products else ""
        if valued:
            line += f" = {number(adjoint.value)}"
        lines.append(line)
    return lines


def _tangent_passes(result, valued) -> list[str]:
    lines = []
    for name, tangents in result.tangents.items():
        seeds = ", ".join(f"{dot_name(w)} = {1 if w == name else 0}" for w in result.wrt)
        lines.append(f"Tangent pass along {name} ({seeds}): each tangent sums over the arguments")
        lines += [_tangent_line(step, tangents, valued) for step in result.steps if step.name in tangents]
        lines.append("")
    return lines[:-1]


def _tangent_line(step, tangents: dict, valued) -> str:
    """`ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ`, with the products' values and the tangent's at a point."""
    tangent = tangents[step.name]
    terms = [p for p in tangent.terms if p.parent in tangents]
    if any(p.rule is not None for p in terms) and not PRIMS[step.eqn.prim].elementwise:
        symbolic, products = tangent_rule(step), None
    else:
        symbolic = " + ".join(f"{_partial_text(p)}·{dot_name(p.parent)}" for p in terms)
        products = " + ".join(f"{factor(p.value)}·{factor(tangents[p.parent].value)}" for p in terms)
    line = f"  {dot_name(step.name)} = {symbolic}"
    if valued:
        line += f" = {products} = {number(tangent.value)}" if products else f" = {number(tangent.value)}"
    return line


def _closed_form(result) -> list[str]:
    if result.closed_form is None:
        return [f"  {verdict(result)}"]
    lines = [f"  {result.output} = {str(result.closed_form)}"]
    for name, expr in result.gradient.items():
        line = f"  ∂{result.output}/∂{name} = {str(expr)}"
        if name in result.exact:
            line += f" = {number(result.exact[name])}"
        lines.append(line)
    lines.append(f"  {verdict(result)}")
    return lines
