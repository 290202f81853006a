"""The DOT form of an Explanation: the computation graph, for Graphviz.

In: an Explanation (document.py), read, never changed. Out: one `digraph` with a
node per parameter (an ellipse, bold if differentiated) and per step (a box with
its equation, value and adjoint), and an edge per argument, labelled with the
local partial (dashed where no derivative flows). Every string is quoted and
escaped, so any name or value is valid DOT.
"""

from __future__ import annotations

from .wording import number


def quoted(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, lines joined by DOT's \\n."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(result) -> str:
    """The computation graph: a node per parameter and step (with its value and adjoint or
    tangent), an edge per argument (with the local partial's value)."""
    lines = [f"digraph {quoted(result.function)} {{", "  rankdir=LR;",
             '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];']
    for name in result.params:
        style = ", style=bold" if name in result.wrt else ""
        lines.append(f"  {quoted(name)} [shape=ellipse{style}, label={quoted(_label(result, name, name))}];")
    for step in result.steps:
        head = f"{step.name} = {step.rhs}"
        lines.append(f"  {quoted(step.name)} [label={quoted(_label(result, step.name, head))}];")
    for step in result.steps:
        lines += _edges(result, step)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _label(result, name: str, head: str) -> str:
    """A node's label: its head, then its value and its adjoint, a line each."""
    valued = result.point is not None
    rows = [head]
    if valued:
        rows.append(f"= {number(result.point[name] if name in result.point else result.value_of(name))}")
    if result.mode == "reverse" and name in result.adjoints:
        rows.append(f"∂{result.output}/∂{name} = {number(result.adjoints[name].value) if valued else '·'}")
    return "\n".join(rows)


def _edges(result, step) -> list[str]:
    """An edge from each distinct variable argument of `step`, labelled with its partial."""
    lines, drawn = [], set()
    for arg in step.eqn.args:
        if not hasattr(arg, "name") or arg.name in drawn:
            continue
        drawn.add(arg.name)
        partial = step.partials.get(arg.name)
        if partial is not None:
            text = f"∂{step.name}/∂{arg.name}"
            if result.point is not None and partial.value is not None and not result.arrays:
                text += f" = {number(partial.value)}"
            attrs = f" [label={quoted(text)}]"
        else:
            attrs = " [style=dashed]"
        lines.append(f"  {quoted(arg.name)} -> {quoted(step.name)}{attrs};")
    return lines
