"""Einstein summation, made explicit: the subscripts of an np.einsum call read against its
operands' shapes, and the adjoint of one operand as another einsum.

`einsum_plan` turns what NumPy accepts (`'ij,jk->ik'`, an implicit output `'ij,jk'`,
`'...ij,...jk->...ik'` with broadcasting under the ellipsis) into one letter per axis:
the axes under `...` get letters of their own, and an axis of length 1 that the
ellipsis broadcasts gets a letter private to its operand (NumPy repeats such an
axis, which is summing over a private letter of length 1). The rows in
contractions.py (np.einsum, np.tensordot, np.matmul and np.dot of many dimensions)
write their derivatives with the plan.

The adjoint of operand k (`operand_adjoint`): Z = einsum(A, B, C) is linear in each
operand, Z[out] = sum over the other letters of A[a] B[b] C[c], so
A_bar[a] = sum of Z_bar[out] B[b] C[c], the einsum `out,b,c->a`. Two things NumPy's
einsum cannot say directly are made explicit with constant factors:
  * a letter repeated in A (`'ii->'`, a diagonal) names one entry twice: the adjoint
    writes onto the diagonal, A_bar[i, i'] = (sum ...) * eye[i, i'];
  * a letter only A has (`'ij->i'`, summed in A alone) does not occur on the right:
    each entry along it gets the same adjoint, a factor ones[j]; where its length is 1
    (an axis the ellipsis broadcast), the adjoint is reshaped to put it back.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np

LETTERS = string.ascii_letters  # (NumPy's einsum takes these as index letters)


@dataclass(frozen=True)
class Plan:
    """An einsum with one letter per axis: the operands' subscripts, the output's, and
    the length of each letter."""

    inputs: tuple[str, ...]
    output: str
    sizes: dict

    def letters(self) -> set[str]:
        return set(self.output).union(*self.inputs)


def einsum_plan(subscripts, shapes) -> Plan:
    """The explicit form of `np.einsum(subscripts, *operands)` for operands of `shapes`.

    Raises:
        ValueError: the subscripts are malformed or do not fit the shapes (the message
            says which operand and why).
    """
    if not isinstance(subscripts, str):
        raise ValueError("np.einsum's first argument must be its subscripts as a string ('ij,jk->ik')")
    text = subscripts.replace(" ", "")
    left, arrow, right = text.partition("->")
    written = left.split(",")
    if len(written) != len(shapes):
        raise ValueError(f"the subscripts {subscripts!r} name {len(written)} operand(s), "
                         f"but {len(shapes)} are given")
    for part in [*written, right]:
        _check_letters(part, subscripts)
    spare = iter(c for c in LETTERS if c not in text)
    under = _ellipsis_shape(written, shapes)
    dots = "".join(_fresh(spare) for _ in under)
    inputs = tuple(_expanded(part, shape, under, dots, spare, k)
                   for k, (part, shape) in enumerate(zip(written, shapes, strict=True)))
    sizes = _sizes(inputs, shapes, subscripts)
    output = _output(right, dots, written, subscripts) if arrow else dots + _implicit(written)
    return Plan(inputs, output, sizes)


def _check_letters(part: str, subscripts: str):
    if part.count("...") > 1 or not all(c in LETTERS for c in part.replace("...", "")):
        raise ValueError(f"the subscripts {subscripts!r} may hold only letters, one '...' per operand, "
                         "',' between operands and one '->'")


def _fresh(spare) -> str:
    letter = next(spare, None)
    if letter is None:
        raise ValueError(f"this einsum needs more than {len(LETTERS)} index letters")
    return letter


def _ellipsis_shape(written, shapes) -> tuple:
    """The broadcast shape of the axes the operands' `...` stand for."""
    parts = []
    for k, (part, shape) in enumerate(zip(written, shapes, strict=True)):
        named = len(part.replace("...", ""))
        if len(shape) < named or ("..." not in part and len(shape) != named):
            raise ValueError(f"operand {k}'s subscripts {part!r} name {named} axes, but its shape "
                             f"{tuple(shape)} has {len(shape)}")
        if "..." in part:
            parts.append(tuple(shape[part.index("."):part.index(".") + len(shape) - named]))
    try:
        return tuple(np.broadcast_shapes(*parts))
    except ValueError:
        raise ValueError(f"the axes under '...' ({', '.join(map(str, parts))}) do not broadcast") from None


def _expanded(part, shape, under, dots, spare, k) -> str:
    """An operand's subscripts with its axes under `...` lettered: a broadcast axis of
    length 1 gets a letter of its own."""
    if "..." not in part:
        return part
    start = part.index(".")
    count = len(shape) - len(part) + 3
    mine = shape[start:start + count]
    letters = "".join(_fresh(spare) if n == 1 and full != 1 else d
                      for n, full, d in zip(mine, under[len(under) - count:], dots[len(dots) - count:],
                                            strict=True))
    return part[:start] + letters + part[start + 3:]


def _sizes(inputs, shapes, subscripts) -> dict:
    sizes: dict = {}
    for k, (letters, shape) in enumerate(zip(inputs, shapes, strict=True)):
        for letter, n in zip(letters, shape, strict=True):
            if sizes.setdefault(letter, n) != n:
                raise ValueError(f"in {subscripts!r} the index {letter!r} has length {sizes[letter]} "
                                 f"and, in operand {k} of shape {tuple(shape)}, length {n}")
    return sizes


def _implicit(written) -> str:
    """NumPy's implicit output: the letters that occur once, in alphabetical (ASCII) order."""
    letters = "".join(written).replace(".", "")
    return "".join(sorted(c for c in set(letters) if letters.count(c) == 1))


def _output(right: str, dots: str, written, subscripts) -> str:
    if dots and "..." not in right:
        raise ValueError(f"the output of {subscripts!r} drops the axes under '...'; write '...' in "
                         "the output too")
    output = right.replace("...", dots)
    named = set("".join(written))
    for c in right.replace("...", ""):
        if c not in named or right.count(c) > 1:
            raise ValueError(f"the output index {c!r} of {subscripts!r} must occur once in the output "
                             "and in some operand")
    return output


def operand_adjoint(b, plan: Plan, k: int, g, operands, optimize=False):
    """The cotangent of operand k of the einsum `plan`, given the output's cotangent `g`:
    `g` contracted with the other operands into operand k's subscripts (see the module
    docstring for diagonals and letters only operand k has), with the product's
    `optimize` (NumPy's choice of contraction order)."""
    spare = iter(c for c in LETTERS if c not in plan.letters())
    target, factors = "", []
    for c in plan.inputs[k]:
        if c in target:  # a diagonal: the entry [.., i, .., i', ..] gets it where i == i'
            copy = _fresh(spare)
            factors.append((c + copy, b.eye(N=plan.sizes[c])))
            c = copy
        target += c
    others = [(plan.inputs[j], operands[j]) for j in range(len(operands)) if j != k]
    named = set(plan.output).union(*(s for s, _ in others + factors))
    alone = [c for c in target if c not in named]
    factors += [(c, b.ones(shape=plan.sizes[c])) for c in alone if plan.sizes[c] != 1]
    reduced = "".join(c for c in target if c not in alone or plan.sizes[c] != 1)
    if plan.output:
        adjoint = _contracted(b, [(plan.output, g)] + others + factors, reduced, optimize)
    else:  # a number's cotangent multiplies (the trace's adjoint is g * np.eye(n))
        product = _contracted(b, others + factors, reduced, optimize)
        adjoint = g if product is None else b.mul(g, product)
    if reduced == target:
        return adjoint
    # an axis of length 1 the ellipsis broadcast: put back
    return b.reshape(adjoint, shape=tuple(plan.sizes[c] for c in target))


def _contracted(b, terms, target: str, optimize=False):
    """The einsum of `terms` (subscripts, atom) into `target`; the atom itself where it is
    one already in place, None where there is nothing to contract."""
    if not terms:
        return None
    if len(terms) == 1 and terms[0][0] == target:
        return terms[0][1]
    subscripts = ",".join(s for s, _ in terms) + "->" + target
    given = {"optimize": optimize} if optimize is not False else {}
    return b.einsum(*(atom for _, atom in terms), subscripts=subscripts, **given)
