"""What a check returns: a `VerificationReport` of what was compared, how, how closely.

Both checks build one: the scalar check with SymPy's closed form of each
derivative, the array check with an empty array of each gradient's shape. Its
text (`str(report)`) is what `print(verify(f))` shows and what the CLI's `--check`
appends as a comment; `complete` says whether the time budget let every point be
compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..display import report_markdown


@dataclass(frozen=True)
class VerificationReport:
    """What `verify` compared, how, and how closely the results agree.

    Attributes:
        function: the function's name.
        wrt: the differentiated parameters.
        closed_form: SymPy's derivative for each of them (None where the closed
            form was too large to differentiate).
        symbolic: for each, whether the difference simplified to exactly 0.
        points: how many random points were compared numerically.
        max_error: the largest error seen, relative to max(1, |reference|).
        reference: what the generated derivative was compared with: "SymPy",
            "central differences (30 digits)", both, or "finite differences".
        notes: why a cheaper reference was used, or why the check stopped early.
        wanted: how many points the check meant to compare.
    """

    function: str
    wrt: tuple[str, ...]
    closed_form: tuple
    symbolic: tuple[bool, ...]
    points: int
    max_error: float
    reference: str = "SymPy"
    notes: tuple[str, ...] = ()
    wanted: int | None = None

    @property
    def method(self) -> str:
        return "symbolic" if all(self.symbolic) else "numeric"

    @property
    def complete(self) -> bool:
        """Whether every point meant to be compared was (a time budget can stop a check)."""
        return self.wanted is None or self.points >= self.wanted

    def _repr_markdown_(self) -> str:
        return report_markdown(self)

    def __str__(self) -> str:
        lines = [f"verified {self.function} against {self.reference} ({self.method}): "
                 f"{self.points} random points, max relative error {self.max_error:.1e}"]
        for name, form, exact in zip(self.wrt, self.closed_form, self.symbolic, strict=True):
            if isinstance(form, np.ndarray):
                lines.append(f"  d{self.function}/d{name}: {form.size} entries of shape {form.shape}")
                continue
            if form is None:
                continue
            how = "difference simplifies to 0" if exact else "checked numerically"
            lines.append(f"  d{self.function}/d{name} = {form}   [{how}]")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)
