"""The Explanation document: what `explain` derived, as plain data.

In: nothing is computed here. The derivation (explanation.py, with trace.py,
passes.py and check.py) fills these dataclasses; the renderers (text.py,
markdown.py, dot.py) read them. Out: an `Explanation` whose parts are its
fields (`.steps`, `.adjoints`, `.tangents`, `.agrees`, ...) and whose three
forms are `.text()` (also `str()`), `.markdown()` (also Jupyter's
`_repr_markdown_`) and `.dot()`.

The renderers read the document's fields and import nothing of this package
that imports them, so this module imports them at its top: the forms are
methods of the document without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..display import Graph
from ..errors import SymdiffError
from ..ir import Eqn, format_eqn
from .dot import render_dot
from .markdown import render_markdown
from .text import render_text


class ExplainError(SymdiffError):
    """The function cannot be explained as asked (no point for its branches, too long)."""


@dataclass
class Step:
    """One elementary step of the path taken: `eqn` (on the trace's names), its value."""

    eqn: Eqn
    value: object = None
    partials: dict = field(default_factory=dict)  # argument name -> Partial

    @property
    def name(self) -> str:
        return self.eqn.out.name

    @property
    def rhs(self) -> str:
        return format_eqn(self.eqn).split(" = ", 1)[1]


@dataclass
class Partial:
    """∂child/∂parent: SymPy's expression (elementwise steps) or the matrix form of the
    adjoint rule (array steps, `rule` with {g} for the child's adjoint), and values."""

    child: str
    parent: str
    expr: object = None  # a SymPy expression in the step's argument symbols
    rule: str | None = None  # e.g. "{g} · xᵀ"
    value: object = None  # the local partial's value (elementwise steps)
    contribution: object = None  # ∂f/∂child · ∂child/∂parent, summed to parent's shape


@dataclass
class Derivative:
    """An adjoint ∂f/∂v (reverse) or a tangent v̇ (forward): the terms it sums and its value."""

    name: str
    terms: list  # Partials: (child, parent) pairs in the order summed
    value: object = None


@dataclass
class Explanation:
    """Everything `explain` derived; `str()` is the text form."""

    function: str
    params: tuple[str, ...]
    wrt: tuple[str, ...]
    point: dict | None
    mode: str
    steps: list
    output: str
    adjoints: dict = field(default_factory=dict)  # name -> Derivative (reverse mode)
    tangents: dict = field(default_factory=dict)  # wrt name -> {name -> Derivative} (forward)
    closed_form: object = None  # SymPy expression of the function
    gradient: dict = field(default_factory=dict)  # wrt name -> SymPy expression
    exact: dict = field(default_factory=dict)  # wrt name -> the closed form's value at the point
    agrees: bool | None = None
    agreement: str = ""  # how agreement was established, in words
    too_large: str = ""  # why there is no closed form (too large for SymPy), if so
    shapes: dict = field(default_factory=dict)  # name -> shape (array functions)
    loc: object = None  # where the function is defined

    @property
    def arrays(self) -> bool:
        return any(shape != () for shape in self.shapes.values())

    def derivative_of(self, name: str):
        """∂output/∂name at the point: the backward pass's adjoint of parameter `name`, or
        the output's tangent in the forward pass along `name`."""
        if self.mode == "forward":
            tangent = self.tangents[name].get(self.output)
            return 0.0 if tangent is None else tangent.value
        return self.adjoints[name].value if name in self.adjoints else 0.0

    def value_of(self, name: str):
        """The value of step `name` at the point (None without a point, or for a parameter)."""
        for step in self.steps:
            if step.name == name:
                return step.value
        return None

    def text(self) -> str:
        return render_text(self)

    def markdown(self) -> str:
        return render_markdown(self)

    def dot(self) -> str:
        return render_dot(self)

    def graph(self) -> Graph:
        """The computation graph for a notebook: SVG where Graphviz is installed (display.py)."""
        return Graph(self.dot())

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.markdown()
