"""Jacobians and Hessians, assembled from generated JVPs and VJPs.

A Jacobian has JAX's shape convention: for a result of shape R and a parameter
of shape P, the block has shape R + P (a float when both are scalars). It is
built column by column from the forward-mode code (one `jvp` call per entry of
the parameters) or row by row from the reverse-mode code (one `vjp` call per
entry of the results), whichever makes fewer calls: the notes' flop count for a
chain of m x m Jacobians on d inputs, forward 2m^2 d + md against reverse
2m^2 + md per output, says forward mode wins when there are fewer inputs than
outputs, and reverse mode otherwise. Ties go to reverse mode.

A Hessian is the Jacobian of the generated gradient code, by forward mode over
it (forward over reverse): column j is `jvp(grad(f))` along the j-th unit
vector. Gradient code with a loop keeps a tape, which is not differentiated
again; such functions get forward over forward mode, `jvp(jvp(f))`, one call
per pair of entries.
"""

from __future__ import annotations

import numpy as np


def choose_mode(in_sizes, out_sizes) -> str:
    """'forward' when the parameters have fewer entries than the results, else 'reverse'."""
    return "forward" if sum(in_sizes) < sum(out_sizes) else "reverse"


def assemble(tangent, cotangent, args, indices, value, mode: str | None, many: bool):
    """The Jacobian of the function at `args` (see the module docstring).

    Args:
        tangent, cotangent: the generated jvp and vjp functions (wrt = `indices`).
        value: the function's value at `args` (one result, or a tuple of them).
        many: the caller's wrt was a tuple (then each result's block is a tuple).
    """
    several = isinstance(value, tuple)
    outputs = value if several else (value,)
    params = [args[i] for i in indices]
    mode = mode or choose_mode([np.size(p) for p in params], [np.size(o) for o in outputs])
    blocks = [[np.zeros(np.shape(o) + np.shape(p)) for p in params] for o in outputs]
    if mode == "forward":  # column by column
        for k, entry, directions in _unit_vectors(params):
            _, dots = tangent(*args, *directions)
            for o, dot in enumerate(dots if several else (dots,)):
                blocks[o][k][(...,) + entry] = dot
    else:  # row by row
        for o, entry, seeds in _unit_vectors(outputs):
            _, bars = cotangent(*args, *seeds)
            for k, bar in enumerate(bars if many else (bars,)):
                blocks[o][k][entry] = bar
    shaped = [tuple(_scalar_if_0d(b) for b in row) for row in blocks]
    per_output = [row if many else row[0] for row in shaped]
    return tuple(per_output) if several else per_output[0]


def second_derivatives(tangent2, args, indices, many: bool):
    """The Hessian from `tangent2 = jvp(jvp(f))`: entry (a, b) is the tangent of f's tangent
    along unit vector b, f's own tangent being along unit vector a (forward over forward)."""
    params = [args[i] for i in indices]
    blocks = [[np.zeros(np.shape(p) + np.shape(q)) for q in params] for p in params]
    for a, row, directions in _unit_vectors(params):
        for b, column, moves in _unit_vectors(params):
            _, (_, curvature) = tangent2(*args, *directions, *moves)
            blocks[a][b][row + column] = curvature
    shaped = [tuple(_scalar_if_0d(b) for b in line) for line in blocks]
    return tuple(shaped) if many else shaped[0][0]


def _unit_vectors(values):
    """(k, entry, vectors) for each entry of each of `values`: zeros shaped like them,
    but for a 1 at that entry."""
    for k, value in enumerate(values):
        for entry in np.ndindex(np.shape(value)):
            vectors = [_zero_like(v) for v in values]
            vectors[k] = _unit(value, entry)
            yield k, entry, vectors


def _unit(like, entry):
    if np.ndim(like) == 0:
        return 1.0
    unit = np.zeros(np.shape(like))
    unit[entry] = 1.0
    return unit


def _zero_like(like):
    return 0.0 if np.ndim(like) == 0 else np.zeros(np.shape(like))


def _scalar_if_0d(block):
    return float(block) if np.ndim(block) == 0 else block
