"""Rich display in notebooks: what Jupyter shows for symdiff's objects.

IPython asks an object for `_repr_html_`, `_repr_markdown_`, `_repr_svg_`, ... and a
notebook shows the richest it gets. symdiff's objects answer so:

  * a generated derivative (`grad(f)`, ...): its source as HTML coloured by pygments
    (the `cli` extra), and as a Markdown code block either way;
  * an `Explanation`: Markdown with LaTeX (explanations/markdown.py); its `.graph()`
    the computation graph as SVG, drawn by Graphviz's `dot` where it is installed,
    otherwise a note saying so, with the DOT text to draw elsewhere;
  * a `VerificationReport`: Markdown, each closed form in LaTeX.

Nothing here is imported by the derivation itself, and pygments, Graphviz and SymPy's
LaTeX printer are reached only when a notebook asks.
"""

from __future__ import annotations

import html
import shutil
import subprocess


def code_html(title: str, source: str) -> str | None:
    """`source` as HTML coloured by pygments under the line `title`, or None without pygments."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return None
    return f"<p>{html.escape(title)}</p>\n" + highlight(source, PythonLexer(), HtmlFormatter(noclasses=True))


def rendered(dot_text: str, fmt: str) -> bytes | None:
    """Graphviz's drawing of `dot_text` in `fmt` ('svg', 'png'), or None where its `dot`
    program is not installed.

    Raises:
        RuntimeError: dot failed (its message).
    """
    program = shutil.which("dot")
    if program is None:
        return None
    run = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode(), capture_output=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(run.stderr.decode(errors="replace").strip())
    return run.stdout


class Graph:
    """An Explanation's computation graph, for a notebook: SVG where Graphviz is
    installed, else a note with the DOT text. `.dot` is that text."""

    def __init__(self, dot: str):
        self.dot = dot

    def _repr_svg_(self) -> str | None:
        drawn = rendered(self.dot, "svg")
        return None if drawn is None else drawn.decode()

    def _repr_markdown_(self) -> str | None:
        if shutil.which("dot") is not None:
            return None  # (the SVG shows)
        return ("Graphviz's `dot` is not installed, so the graph is not drawn here "
                "(install Graphviz, e.g. `apt install graphviz` or `conda install graphviz`). "
                "Its DOT text, to draw elsewhere:\n\n```dot\n" + self.dot + "\n```\n")

    def __repr__(self) -> str:
        return self.dot


def report_markdown(report) -> str:
    """A VerificationReport as Markdown: the verdict, then each derivative in LaTeX."""
    import sympy

    lines = [f"**verified `{report.function}`** against {report.reference} ({report.method}): "
             f"{report.points} random points, max relative error {report.max_error:.1e}", ""]
    rows = []
    for name, form, exact in zip(report.wrt, report.closed_form, report.symbolic, strict=True):
        if form is None:
            continue
        if hasattr(form, "shape") and not isinstance(form, sympy.Basic):  # (array code: its entries)
            rows.append(f"| `{name}` | {form.size} entries of shape {tuple(form.shape)} | checked entry by entry |")
            continue
        how = "difference simplifies to 0" if exact else "checked numerically"
        rows.append(f"| `{name}` | $\\displaystyle {sympy.latex(form)}$ | {how} |")
    if rows:
        lines += [f"| parameter | ∂{report.function}/∂parameter | |", "|---|---|---|", *rows, ""]
    lines += [f"- {note}" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"
