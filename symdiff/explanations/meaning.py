"""What a step of the path means to SymPy, for the derivation and for the Markdown form.

In: a traced equation (`c = a + b` on the trace's names). Out: its arguments as
SymPy symbols (constants as exact SymPy numbers) and the SymPy expression of the
step, the meaning verification/symbolic.py gives every primitive.

SymPy is imported when first needed, not with symdiff: `import symdiff` stays fast.
"""

from __future__ import annotations

from ..ir import Eqn, Var
from ..verification.symbolic import apply_primitive, sympy_constant


def sympy_module():
    """SymPy, imported on first use (it takes longer to import than all of symdiff)."""
    import sympy

    return sympy


def step_symbols(eqn: Eqn) -> list:
    """The step's arguments in SymPy: a symbol per variable, an exact number per constant."""
    sp = sympy_module()
    return [sp.Symbol(a.name) if isinstance(a, Var) else sympy_constant(a) for a in eqn.args]


def meaning_of(eqn: Eqn, prims, args):
    """The step's primitive applied to `args` (SymPy expressions)."""
    return apply_primitive(prims[eqn.prim], eqn, args)
