"""Integer-valued functions of integers: `math.factorial`, `comb`, `perm`, `gcd`, `lcm`.

No derivative flows through them: they take integers (a loop counter, a constant,
an int parameter) and give an int, so their rows have no partials and are marked
`integer_only`. Lowering computes them at once where their arguments are ints known
then (a written-out loop's index, `math.comb(4, 2)`); elsewhere the generated code
calls them (`math.factorial(k)` in a loop over `range(n)`). Applied to a value that is
differentiated they are refused, with the place (driver.py): Python itself refuses
floats there, and the function has no derivative to give.
"""

from __future__ import annotations

import functools
import math

from .row import Prim


def _sp():
    import sympy  # (only the symbolic checks need SymPy)

    return sympy


def _perm(n, k=None):
    sp = _sp()
    return sp.factorial(n) if k is None else sp.ff(n, k)  # n! / (n - k)!, the falling factorial


@functools.lru_cache(maxsize=None)
def _integer_function(name: str):
    """A SymPy function that is math.`name` of integral numbers and stays unevaluated on
    symbols (SymPy's own gcd is the polynomials' one: 1 for two symbols)."""
    sp = _sp()
    compute = getattr(math, name)

    def evaluated(cls, *args):
        if all(a.is_Number and float(a).is_integer() for a in args):
            return sp.Integer(compute(*(int(a) for a in args)))
        return None

    return type(name, (sp.Function,), {"eval": classmethod(evaluated)})


def _row(name: str, arity: int, meaning, arities=()) -> Prim:
    return Prim(name, arity, {"math": name}, meaning, kind="integral", integral_operands=True,
                integer_only=True, arities=arities, sample=((0.0, 6.0),) * arity)


INTEGER_ROWS = [
    _row("factorial", 1, lambda n: _sp().factorial(n)),
    _row("comb", 2, lambda n, k: _sp().binomial(n, k)),
    _row("perm", 2, _perm, arities=(1, 2)),
    _row("gcd", 2, lambda a, b: _integer_function("gcd")(a, b)),
    _row("lcm", 2, lambda a, b: _integer_function("lcm")(a, b)),
]
