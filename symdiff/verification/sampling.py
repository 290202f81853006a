"""Where a check compares derivatives: random points inside every primitive's domain.

`sample_points(func, count)` draws numbers for the scalar check (scalars.py) and
`sample_arrays(func, shapes, count)` arrays for the array check (arrays.py). A point
is kept only if `in_domain` runs `func` there with every primitive inside its
row's domain and every value finite: a derivative is compared only where the
function is defined. The draws are deterministic (one seed per check), so a
check compares the same points on every run and every machine.
"""

from __future__ import annotations

import random

import numpy as np

from ..ir import Func, Var, evaluate_eqn, short_circuits
from ..primitives import PRIMS

# Each coordinate draws one: wide; positive (log, sqrt); inside (-1, 1) (asin, atanh); above 1 (acosh).
INTERVALS = ((-2.0, 2.0), (0.1, 2.5), (-0.9, 0.9), (1.1, 3.0))
ARRAY_INTERVALS = INTERVALS[:3]  # (arrays always drew from these three: their checks keep their points)


def sample_points(func: Func, count: int, seed: int = 0, fixed: dict | None = None,
                  tries: int = 200) -> list[tuple]:
    """Up to `count` random points where every equation of `func` is in its domain
    (the parameters in `fixed` keep their values)."""
    rng = random.Random(seed)
    return _sample(func, count * tries, count, fixed or {}, lambda name: rng.uniform(*rng.choice(INTERVALS)))


def sample_arrays(func: Func, shapes: dict, count: int, seed: int = 0, fixed: dict | None = None,
                  tries: int = 100) -> list:
    """Up to `count` random argument tuples where every operation of `func` is in its domain."""
    rng = np.random.default_rng(seed)

    def draw(name: str):
        low, high = ARRAY_INTERVALS[rng.integers(len(ARRAY_INTERVALS))]
        value = rng.uniform(low, high, size=shapes[name])
        return float(value) if shapes[name] == () else value

    return _sample(func, count * tries, count, fixed or {}, draw)


def _sample(func: Func, draws: int, count: int, fixed: dict, draw) -> list[tuple]:
    """Up to `count` points in the domain of `func` out of at most `draws` drawn, a
    parameter's value by `draw(name)` unless `fixed` gives it."""
    found = []
    for _ in range(draws):
        if len(found) == count:
            break
        point = tuple(fixed[p.var.name] if p.var.name in fixed else draw(p.var.name) for p in func.params)
        if in_domain(func, point):
            found.append(point)
    return found


def in_domain(func: Func, point, prims=PRIMS) -> bool:
    """Whether evaluating `func` at `point` keeps every primitive it runs in its domain."""
    env = dict(zip((p.var.name for p in func.params), point, strict=True))

    def read(atom):
        return env[atom.name] if isinstance(atom, Var) else atom.value

    for eqn in func.body:
        if not all(bool(read(c)) == polarity for c, polarity in eqn.guard):
            continue  # a branch not taken here
        row = prims[eqn.prim]
        if eqn.prim == "cond":  # the value of the branch taken
            env[eqn.out.name] = read(eqn.args[1] if read(eqn.args[0]) else eqn.args[2])
            continue
        if short_circuits(eqn, read):
            env[eqn.out.name] = bool(read(eqn.args[0]))
            continue
        args = [read(a) for a in eqn.args]
        try:
            with np.errstate(all="raise"):
                if row.domain is not None and not np.all(np.vectorize(row.domain)(*args)):
                    return False
                value = evaluate_eqn(eqn, args, prims)
        except (ArithmeticError, ValueError, TypeError, IndexError, FloatingPointError):
            return False
        if not np.all(np.isfinite(value)):
            return False
        env[eqn.out.name] = value
    return True
