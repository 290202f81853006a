"""Jacobians and Hessians, assembled from generated JVPs and VJPs.

A Jacobian has JAX's shape convention: for a result of shape R and a parameter
of shape P, the block has shape R + P (a float when both are scalars). It is
built from the forward-mode code (its columns) or from the reverse-mode code (its
rows), whichever needs fewer of them. Batched code (transforms/batching.py) takes
all unit vectors at once, stacked along a leading axis, and gives every column
(row) from one call: `batched_columns`, `batched_rows`. Where batching has no rule,
`assemble` makes one `jvp` call per entry of the parameters, or one `vjp` call per
entry of the results. The choice of mode follows the notes' flop count for a
chain of m x m Jacobians on d inputs, forward 2m^2 d + md against reverse
2m^2 + md per output, says forward mode wins when there are fewer inputs than
outputs, and reverse mode otherwise. Ties go to reverse mode.

A Hessian is the Jacobian of the generated gradient code, by forward mode over
it (forward over reverse): column j is `jvp(grad(f))` along the j-th unit
vector, all columns from one call of the batched tangent code of the gradient
(the primal and the gradient computed once, the tangents carried as a matrix).
Gradient code with a loop keeps a tape, which is not differentiated again; such
functions get forward over forward mode, `jvp(jvp(f))`, one call per pair of
entries.
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


def batched_columns(tangents, args, indices, many: bool, several: bool):
    """The Jacobian from one call of `tangents`, jvp code batched along the tangents
    (transforms/batching.py): entry k of the batch is the tangent along the k-th unit
    vector of the parameters `indices`, taken together. `several`: the function returns
    a tuple (of one value, maybe)."""
    return column_reader(tangents, args, indices, many, several)(*args)


def column_reader(tangents, args, indices, many: bool, several: bool):
    """A function of arguments like `args` (the same types and shapes) that gives their
    Jacobian as `batched_columns` does, with the unit vectors made once and the code
    generated for these shapes called directly (what a Hessian of many points costs).

    Raises:
        NotBatched: the code of `tangents` has no batching rule for an equation.
    """
    params = [args[i] for i in indices]
    sizes, directions = _stacked_basis(params)
    code = tangents
    if hasattr(tangents, "specialized") and len(args) + len(directions) == tangents.arity:
        code = tangents.specialized(*args, *directions)  # (generated now, for these shapes)
    shapes = [np.shape(p) for p in params]

    def columns(*given):
        dots = code(*given, *directions)
        flat = isinstance(dots, tuple)  # (a tuple of one value comes as the value)
        per_output = []
        for dot in dots if flat else (dots,):
            row, start = [], 0
            for shape, m in zip(shapes, sizes):  # (entry k's tangent is column k: R + P)
                column = np.asarray(dot)[start:start + m].reshape(m, -1).T
                row.append(_scalar_if_0d(column.reshape(np.shape(dot)[1:] + shape).copy()))
                start += m
            per_output.append(tuple(row) if many else row[0])
        return tuple(per_output) if several else per_output[0]
    return columns


def batched_rows(cotangents, args, indices, value, many: bool):
    """The Jacobian from one call of `cotangents`, vjp code batched along the cotangents:
    entry k of the batch is the cotangent of the k-th unit vector of the results."""
    return row_reader(cotangents, args, indices, value, many)(*args)


def row_reader(cotangents, args, indices, value, many: bool):
    """As `column_reader`, for `batched_rows`: `value` is the function's at `args`."""
    several = isinstance(value, tuple)
    outputs = value if several else (value,)
    sizes, seeds = _stacked_basis(outputs)
    code = cotangents
    if hasattr(cotangents, "specialized") and len(args) + len(seeds) == cotangents.arity:
        code = cotangents.specialized(*args, *seeds)
    shapes = [np.shape(o) for o in outputs]
    params = [np.shape(args[i]) for i in indices]

    def rows(*given):
        bars = code(*given, *seeds)
        bars = bars if isinstance(bars, tuple) else (bars,)  # (a tuple of one comes as the value)
        per_output, start = [], 0
        for shape, m in zip(shapes, sizes):
            row = tuple(_scalar_if_0d(np.asarray(bar)[start:start + m].reshape(shape + p).copy())
                        for bar, p in zip(bars, params))
            per_output.append(row if many else row[0])
            start += m
        return tuple(per_output) if several else per_output[0]
    return rows


def _stacked_basis(values) -> tuple[list[int], list]:
    """(the sizes of `values`, for each a batch of N arrays shaped like it): entry k of
    the batches, taken together, is the k-th unit vector of all N entries of `values`."""
    sizes = [int(np.size(v)) for v in values]
    basis = np.eye(sum(sizes))
    batches, start = [], 0
    for v, m in zip(values, sizes):
        batches.append(basis[:, start:start + m].reshape((len(basis),) + np.shape(v)))
        start += m
    return sizes, batches


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
