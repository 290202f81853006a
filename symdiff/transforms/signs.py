"""Rules of simplify (simplify.py) about signs and zero terms: each rewrites one
equation into an exactly equal one that costs no more, and the printed code reads
the way a person writes it.

  * `zero_term`: x + 0*w and x - 0*w are x, where the shapes are known (array code)
    and 0*w adds no axes to x (softmax's max shift: its gradient, once its sum is
    proved zero, is a term 0*w). As `0*x -> 0` does, this takes w finite.
  * `negated_multiple`: -(c*w) is (-c)*w, and -(c*(a - b)) is c*(b - a), where
    nothing else reads c*w (nor a - b): the negation costs nothing. Not where the
    negation meets a sum, which absorbs it (x + -y is x - y already).
  * `negated_multiple_minus`: -(c*w) - y is (-c)*w - y, one operation fewer.
  * `swapped_difference`: (-c)*(a - b) is c*(b - a) where nothing else reads a - b.

Negation and subtraction are exact in floating point, so are these rules. A rule
returns None (no rewrite), an equation, or (an equation to compute first, the
rewritten one), as simplify's rules do; `walk` is simplify's round (its `defn`,
`consumers`, `kind`, `shapes` and `temp`).
"""

from __future__ import annotations

from ..ir import Const, Eqn, Var


def zero_term(walk, eqn: Eqn, x, y) -> bool:
    """Whether x +- y (the equation `eqn`) is x: y is 0*w and x a float array of the
    result's shape."""
    product = walk.defn(y, "mul")
    if product is None or not any(_is_number(a) and a.value == 0 for a in product.args) \
            or walk.kind(x) != "float":
        return False
    shape = walk.shapes.get(x.name) if isinstance(x, Var) else None
    return shape is not None and walk.shapes.get(eqn.out.name) == shape


def negated_multiple(walk, eqn: Eqn, x):
    """-(c*w) as (-c)*w, or -(c*(a - b)) as c*(b - a)."""
    scaled = walk.defn(x, "mul")
    constant = next((a for a in scaled.args if _is_number(a)), None) if scaled is not None else None
    if constant is None or not _read_once(walk, x):  # (else c * w stays, and its negation too)
        return None
    w = scaled.args[1 if scaled.args[0] is constant else 0]
    difference = walk.defn(w, "sub")
    if difference is not None and _read_once(walk, w):
        first = Eqn(walk.temp(), "sub", difference.args[::-1], "op", (), eqn.loc, eqn.guard)
        return first, _made(eqn, "mul", constant, first.out)
    absorbed = any(prim in ("add", "sub", "neg") for prim, _ in walk.consumers.get(eqn.out.name, ()))
    return None if absorbed else _made(eqn, "mul", Const(-constant.value), w)


def negated_multiple_minus(walk, eqn: Eqn, x, y):
    """-(c*w) - y as (-c)*w - y."""
    negation = walk.defn(x, "neg")
    scaled = walk.defn(negation.args[0], "mul") if negation is not None else None
    constant = next((a for a in scaled.args if _is_number(a)), None) if scaled is not None else None
    if constant is None:
        return None
    w = scaled.args[1] if scaled.args[0] is constant else scaled.args[0]
    first = Eqn(walk.temp(), "mul", (Const(-constant.value), w), "op", (), eqn.loc, eqn.guard)
    return first, _made(eqn, "sub", first.out, y)


def swapped_difference(walk, eqn: Eqn, x, y):
    """(-c)*(a - b) as c*(b - a)."""
    difference = walk.defn(y, "sub")
    if not (_is_number(x) and x.value < 0 and difference is not None and _read_once(walk, y)):
        return None
    first = Eqn(walk.temp(), "sub", difference.args[::-1], "op", (), eqn.loc, eqn.guard)
    return first, _made(eqn, "mul", Const(-x.value), first.out)


def _is_number(atom) -> bool:
    """A literal number (not a bool, not a module-level name the user may rebind)."""
    return isinstance(atom, Const) and atom.folds and not atom.label and not isinstance(atom.value, bool) \
        and isinstance(atom.value, (int, float))


def _read_once(walk, atom) -> bool:
    """Whether one equation alone reads `atom`, a variable of the round's input."""
    return isinstance(atom, Var) and len(walk.consumers.get(atom.name, ())) == 1


def _made(eqn: Eqn, prim: str, *args) -> Eqn:
    return Eqn(eqn.out, prim, args, "op", (), eqn.loc, eqn.guard)
