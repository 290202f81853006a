"""Which values the emitter writes inline, which names arrays updated in place take,
and a distinct scatter written as the two statements a person would write.

  * `count_uses`: how often each variable is read (a value read once may be inlined).
  * `array_inlined`: in array code, a value symdiff named (`Var.made`: the lecture's
    `a, b, ...`, adjoints `x_bar`) that one unguarded equation of the function's body
    reads, with no loop between (nor in a loop's body, where a carried value's name
    is rebound), and no result, is written inline where it is read,
    like a derivative temporary. `c = X @ W.T + b` instead of `a = W.T; b = X @ a;
    c = b + b1` is what a person writes, and it is faster: NumPy computes `t + b1` into
    the memory of the temporary `t` it owns alone, and frees it at once, where a name
    keeps each array alive to the end of the function (and the allocator, given fresh
    pages every call for the arrays so kept, makes them cost a page fault each: a 1.3x
    slower MLP gradient). The source's own names (`H = np.tanh(...)`) stay, and so do
    results and scalar code's Wengert list (`a = x * x`), where a name costs nothing;
    an expression nests `MAX_DEPTH` operations at most (a chain of a thousand adjoints
    would exceed Python's limit of nested parentheses, and nobody could read it).
  * `adopted_names`: a temporary of the function's body that an update writes in place
    (backend/inplace.py) and nothing else reads takes the name of the update's named result: `x_bar =
    np.zeros(5); x_bar[1:] += g` rather than `t0 = ...; t0[1:] += g; return t0`.
  * `scatter_statements`: `scatter_add(g, index, distinct=True)`, an adjoint of a read
    `x[index]` that picks no entry twice, printed where it is kept as `t = np.zeros(shape)`
    and `t[index] = g` instead of a call of the helper `_scatter`.

Inputs: the function printed, the primitive table, and inplace.py's decisions; outputs
are names only: the printed code computes the same values either way.
"""

from __future__ import annotations

import ast

from ..analysis import is_array_code
from ..ir import Func, Var, flat_results
from .blocks import blocks

_NOT_INLINE = frozenset({"cond", "loop", "pick", "range", "call"})  # (printed as statements of their own)
MAX_DEPTH = 6  # operations nested in one expression at most: a long chain is named every so often


def count_uses(func: Func) -> dict[str, int]:
    """How often each variable is read, in `func` and its loops. A condition, or an
    argument of a loop, counts twice: it is never inlined."""
    uses: dict[str, int] = {}
    atoms: list = []
    for block in blocks(func):
        atoms += [a for e in block.body for a in e.args] + list(flat_results(block.results))
        atoms += [c for e in block.body for c, _ in e.guard] * 2
        atoms += [a for e in block.body if e.prim == "loop" for a in e.args]
    for atom in atoms:
        if isinstance(atom, Var):
            uses[atom.name] = uses.get(atom.name, 0) + 1
    return uses


def array_inlined(func: Func, prims, uses: dict, kept: set, in_place: set) -> set[str]:
    """The names of the values symdiff named that array code writes inline (above)."""
    if not is_array_code(func, prims):
        return set()
    inlined: set[str] = set()
    reader = {atom.name: j for j, eqn in enumerate(func.body) for atom in eqn.args if isinstance(atom, Var)}
    loops = [j for j, e in enumerate(func.body) if e.prim == "loop"]
    depth: dict[str, int] = {}  # a value printed inline -> how deep its expression nests
    for i, eqn in enumerate(func.body):
        name, j = eqn.out.name, reader.get(eqn.out.name)
        nested = 1 + max((depth.get(a.name, 0) for a in eqn.args if isinstance(a, Var)), default=0)
        if eqn.out.temp and uses.get(name) == 1 and name not in kept:  # (a temporary: inlined anyway)
            depth[name] = nested
        if not eqn.out.made or uses.get(name) != 1 or name in kept or name in in_place or j is None \
                or eqn.guard or eqn.prim in _NOT_INLINE or prims[eqn.prim].output or nested > MAX_DEPTH:
            continue
        read = func.body[j]
        if not read.guard and read.prim not in ("cond", "loop") and not any(i < k < j for k in loops):
            inlined.add(name)
            depth[name] = nested
    return inlined


def adopted_names(func: Func, in_place: set, uses: dict) -> dict[str, str]:
    """temporary -> the name it is printed under: that of the named result of the update
    in place that is its only reader (through a chain of such updates)."""
    adopted: dict[str, str] = {}
    made = {e.out.name for e in func.body if e.prim != "loop"}
    for eqn in reversed(func.body):  # (not in a loop's body, whose names its carried values share)
        if eqn.out.name not in in_place:
            continue
        x, out = eqn.args[0], eqn.out
        name = adopted.get(out.name, None if out.temp else out.name)
        if name is not None and isinstance(x, Var) and x.temp and x.name in made and uses.get(x.name) == 1:
            adopted[x.name] = name
    return adopted


def scatter_statements(printer, eqn) -> list[ast.stmt]:
    """`t = np.zeros(shape)` and `t[index] = g` for a distinct `scatter_add` (above)."""
    params = dict(eqn.params)
    g, *arrays = eqn.args
    ns = eqn.ns if eqn.ns not in ("op", "builtins") else "numpy"  # ("xp": code for the Array API)
    zeros = ast.Call(printer.module_attr(ns, "zeros"), [ast.Constant(params["shape"])], [])
    target = ast.Subscript(ast.Name(printer.name_of(eqn.out), ast.Load()),
                           printer.index(params["index"], [printer.atom(a) for a in arrays]), ast.Store())
    return [ast.Assign([printer.store(eqn.out)], zeros), ast.Assign([target], printer.atom(g))]
