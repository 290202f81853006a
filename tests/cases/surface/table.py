"""The table format of the surface corpora (autograd_surface.py, realistic_programs.py).

A `Case` is one function of the corpus, the name of what it covers (the NumPy,
SciPy or Python function, or the kind of program), how to draw the arguments to
call it at, and which of them to differentiate. Arguments are drawn, not typed in,
so a case says what it needs (a symmetric positive definite matrix, numbers in
(0.2, 2)) and gets the same values on every machine: each case's generator is
seeded from its name.

Every function returns one number, so `symdiff.grad` applies to all of them.
"""

from __future__ import annotations

import zlib
from typing import Callable, NamedTuple

import numpy as np


class Arg(NamedTuple):
    """How to draw one argument: `draw(rng)` gives its value; `differentiated` says
    whether a case differentiates it unless it names its `wrt` itself."""

    draw: Callable
    differentiated: bool


def _shaped(values: np.ndarray, shape: tuple):
    """A float for shape (), else the array: a gradient must come back as what went in."""
    return float(values) if shape == () else values


def normal(*shape: int) -> Arg:
    """Standard normal entries of `shape` (a float for no shape)."""
    return Arg(lambda rng: _shaped(rng.normal(size=shape), shape), True)


def within(low: float, high: float, *shape: int) -> Arg:
    """Uniform entries in (low, high): for functions defined or smooth only there."""
    return Arg(lambda rng: _shaped(rng.uniform(low, high, size=shape), shape), True)


def spd(n: int, *batch: int) -> Arg:
    """A symmetric positive definite n x n matrix (a stack of them for `batch`), with
    eigenvalues well apart from 0 and, almost surely, from each other."""
    def draw(rng):
        m = rng.normal(size=batch + (n, n))
        return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)
    return Arg(draw, True)


def well_conditioned(n: int, *batch: int) -> Arg:
    """A general (not symmetric) n x n matrix with its diagonal pushed out: invertible,
    its determinant positive and far from 0."""
    return Arg(lambda rng: rng.normal(size=batch + (n, n)) + 3.0 * np.eye(n), True)


def at(value) -> Arg:
    """Exactly `value` (a float or an array), differentiated: a point a test chose."""
    return Arg(lambda rng: value if np.ndim(value) == 0 else np.array(value, dtype=float), True)


def fixed(value) -> Arg:
    """Exactly `value`, not differentiated: data, an integer, a flag."""
    return Arg(lambda rng: value if np.ndim(value) == 0 else np.array(value), False)


def fixed_normal(*shape: int) -> Arg:
    """Standard normal data of `shape` that the case holds fixed."""
    return Arg(lambda rng: _shaped(rng.normal(size=shape), shape), False)


def mask(*shape: int) -> Arg:
    """A boolean array of `shape` with True and False both present, not differentiated."""
    def draw(rng):
        flags = rng.uniform(size=shape) > 0.5
        flags.flat[0], flags.flat[-1] = True, False
        return flags
    return Arg(draw, False)


class Case(NamedTuple):
    """One function of a corpus and where to differentiate it.

    Attributes:
        fun: the function (a module-level def; it returns one number).
        covers: what it exercises: `np.cumsum`, `operator.mul`, `scipy.special.erf`,
            or for a program what kind of program it is.
        args: one `Arg` per parameter.
        wrt: the parameter indices to differentiate.
        needs: a module the case needs beyond NumPy ("scipy"), or None.
    """

    fun: Callable
    covers: str
    args: tuple
    wrt: tuple
    needs: str | None = None

    @property
    def name(self) -> str:
        return self.fun.__name__

    def arguments(self) -> list:
        """The values to call the function at: the same on every call and machine."""
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        return [arg.draw(rng) for arg in self.args]


def case(fun: Callable, covers: str, *args: Arg, wrt=None, needs: str | None = None) -> Case:
    """A Case; `wrt` defaults to every argument drawn as differentiated."""
    if wrt is None:
        wrt = tuple(i for i, arg in enumerate(args) if arg.differentiated)
    return Case(fun, covers, tuple(args), tuple(wrt), needs)


def dict_of(**parts: Arg) -> Arg:
    """A dict of arguments (a params dict): differentiated as a whole, leaf by leaf."""
    return Arg(lambda rng: {key: arg.draw(rng) for key, arg in parts.items()}, True)


def tuple_of(*parts: Arg) -> Arg:
    """A tuple of arguments: differentiated as a whole, leaf by leaf."""
    return Arg(lambda rng: tuple(arg.draw(rng) for arg in parts), True)


def list_of(*parts: Arg) -> Arg:
    """A list of arguments (a list of layers): differentiated as a whole, leaf by leaf."""
    return Arg(lambda rng: [arg.draw(rng) for arg in parts], True)


def positions(n: int, dim: int, spacing: float) -> Arg:
    """n points in `dim` dimensions on a jittered grid, at least about `spacing` apart:
    particles that do not overlap."""
    def draw(rng):
        grid = np.stack(np.meshgrid(*[np.arange(n)] * dim, indexing="ij"), axis=-1).reshape(-1, dim)[:n]
        return spacing * grid + rng.uniform(-0.05, 0.05, size=(n, dim))
    return Arg(draw, True)


def labels(n: int, classes: int) -> Arg:
    """n integer class labels in range(classes), every class present if n allows."""
    return Arg(lambda rng: rng.permutation(np.arange(n) % classes), False)
