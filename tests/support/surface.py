"""Checking a surface case (tests/cases/surface/table.py) against central differences.

Shared by tests/test_surface.py and benchmarks/corpus_coverage.py, so that the test and
the coverage table judge a case by the same numbers. Central differences share no
code with symdiff: a gradient agrees when max |gradient - differences| is at most
`RTOL` times max(1, max |differences|), per differentiated argument, and has the
argument's type and shape (a float for a float, an array of its shape for an
array). A NaN never agrees (NaN <= tol is False).
"""

from __future__ import annotations

import importlib
import zlib
from typing import NamedTuple

import numpy as np

import symdiff

STEP = 1e-6   # relative to max(1, |x|): truncation ~STEP**2, rounding ~1e-16 / STEP
RTOL = 1e-6


class Outcome(NamedTuple):
    """How symdiff did on a case in one mode: `status` is one of passed, wrong, crash,
    refused, skipped; `detail` says what went wrong (empty when it passed)."""

    status: str
    detail: str = ""


def missing(case) -> str | None:
    """Why the case cannot run here (a module it needs is not installed), or None."""
    if case.needs:
        try:
            importlib.import_module(case.needs)
        except ImportError:
            return f"{case.needs} not installed"
    return None


def leaves(value, path=()) -> list:
    """(path, leaf) pairs of a float, an array, or a dict/tuple/list of them, in order."""
    if isinstance(value, dict):
        return [pair for key in value for pair in leaves(value[key], path + (key,))]
    if isinstance(value, (tuple, list)):
        return [pair for i, item in enumerate(value) for pair in leaves(item, path + (i,))]
    return [(path, value)]


def replaced(value, path: tuple, leaf):
    """`value` with the leaf at `path` replaced by `leaf` (containers copied, not changed)."""
    if not path:
        return leaf
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, leaf)}
    items = [replaced(item, rest, leaf) if i == head else item for i, item in enumerate(value)]
    return type(value)(items)


def along(value, direction, t: float):
    """value + t * direction, leaf by leaf (a float stays a float)."""
    for path, leaf in leaves(value):
        step = dict(leaves(direction))[path]
        moved = leaf + t * step
        value = replaced(value, path, float(moved) if np.ndim(leaf) == 0 else moved)
    return value


def _leaf_differences(fun, args: list, index: int, path: tuple, leaf):
    """d fun / d (that leaf of args[index]) by central differences, shaped like the leaf."""
    base = np.asarray(leaf, dtype=float)
    estimate = np.empty(base.shape)
    for entry in np.ndindex(base.shape):
        h = STEP * max(1.0, abs(float(base[entry])))
        sides = []
        for step in (h, -h):
            moved = base.copy()
            moved[entry] += step
            trial = list(args)
            trial[index] = replaced(args[index], path, float(moved) if base.shape == () else moved)
            sides.append(float(fun(*trial)))
        estimate[entry] = (sides[0] - sides[1]) / (2 * h)
    return float(estimate) if base.shape == () else estimate


def central_differences(fun, args: list, index: int):
    """d fun / d args[index] by central differences, entry by entry, shaped like args[index]
    (a dict of arrays for a dict of arrays)."""
    estimate = args[index]
    for path, leaf in leaves(args[index]):
        estimate = replaced(estimate, path, _leaf_differences(fun, args, index, path, leaf))
    return estimate


def directions_for(case, args: list) -> list:
    """One random direction per differentiated argument, shaped like it, fixed per case."""
    rng = np.random.default_rng(zlib.crc32(case.name.encode()) + 1)
    directions = []
    for i in case.wrt:
        direction = args[i]
        for path, leaf in leaves(args[i]):
            drawn = rng.normal(size=np.shape(leaf))
            direction = replaced(direction, path, float(drawn) if np.ndim(leaf) == 0 else drawn)
        directions.append(direction)
    return directions


def directional_difference(case, args: list, directions: list) -> float:
    """d/dt fun(args + t * directions) at t = 0, by central differences."""
    def value(t):
        moved = list(args)
        for i, d in zip(case.wrt, directions, strict=True):
            moved[i] = along(args[i], d, t)
        return float(case.fun(*moved))
    return (value(STEP) - value(-STEP)) / (2 * STEP)


def mismatch(actual, expected, what: str) -> str | None:
    """Why `actual` does not stand for `expected` (structure, type, shape or value), or None."""
    if isinstance(expected, (dict, tuple, list)):
        if type(actual) is not type(expected) or len(actual) != len(expected) or (
                isinstance(expected, dict) and set(actual) != set(expected)):
            return f"{what}: got a {type(actual).__name__}, expected a {type(expected).__name__} " \
                   f"of {len(expected)}"
        keys = expected if isinstance(expected, dict) else range(len(expected))
        return next(filter(None, (mismatch(actual[k], expected[k], f"{what}[{k!r}]") for k in keys)), None)
    if np.ndim(expected) == 0:
        if np.ndim(actual) != 0 or not isinstance(actual, (float, np.floating)):
            return f"{what}: got a {type(actual).__name__} of shape {np.shape(actual)}, expected a float"
    elif not isinstance(actual, np.ndarray) or actual.shape != np.shape(expected):
        return f"{what}: got shape {np.shape(actual)}, expected {np.shape(expected)}"
    error = float(np.max(np.abs(np.asarray(actual, dtype=float) - expected)))
    scale = max(1.0, float(np.max(np.abs(expected))))
    if not error <= RTOL * scale:  # (NaN fails)
        return f"{what}: off by {error:.3g} (scale {scale:.3g})"
    return None


def inner(a, b) -> float:
    """The sum of leafwise products of two values of the same structure."""
    pairs = zip(leaves(a), leaves(b), strict=True)
    return sum(float(np.sum(np.asarray(x, dtype=float) * np.asarray(y, dtype=float))) for (_, x), (_, y) in pairs)


def gradients(case, args: list):
    """symdiff's gradient of the case at `args`: a tuple, one entry per differentiated argument."""
    return symdiff.grad(case.fun, wrt=case.wrt)(*args)


def reverse_problem(case, args: list, grads) -> str | None:
    """Why `grads` is not the case's gradient at `args`, or None."""
    if not isinstance(grads, tuple) or len(grads) != len(case.wrt):
        return f"grad with wrt={case.wrt} returned a {type(grads).__name__}, not a tuple of {len(case.wrt)}"
    for index, grad in zip(case.wrt, grads, strict=True):
        problem = mismatch(grad, central_differences(case.fun, args, index), f"d/d{_param(case, index)}")
        if problem:
            return problem
    return None


def tangent(case, args: list, directions: list) -> tuple:
    """symdiff.jvp's (value, directional derivative) of the case at `args`."""
    return symdiff.jvp(case.fun, wrt=case.wrt)(*args, *directions)


def forward_problem(case, args: list, directions: list, result: tuple) -> str | None:
    """Why jvp's `result` is not the case's value and directional derivative, or None."""
    value, dot = result
    return (mismatch(value, float(case.fun(*args)), "jvp's value")
            or mismatch(dot, directional_difference(case, args, directions), "jvp's tangent"))


def _param(case, index: int) -> str:
    return case.fun.__code__.co_varnames[index]


def first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def outcome(run) -> Outcome:
    """Run `run()` (a check returning a problem or None) and classify how it ended."""
    try:
        with np.errstate(all="ignore"):
            problem = run()
    except symdiff.SymdiffError as error:
        return Outcome("refused", first_line(error))
    except Exception as error:  # noqa: BLE001 (a crash of any kind is what is counted)
        return Outcome("crash", f"{type(error).__name__}: {first_line(error)}")
    return Outcome("wrong", problem) if problem else Outcome("passed")


def reverse_outcome(case) -> Outcome:
    """symdiff.grad on the case: passed, wrong, crash, refused or skipped."""
    reason = missing(case)
    if reason:
        return Outcome("skipped", reason)
    args = case.arguments()
    return outcome(lambda: reverse_problem(case, args, gradients(case, args)))


def forward_outcome(case) -> Outcome:
    """symdiff.jvp on the case, along a fixed random direction: as `reverse_outcome`."""
    reason = missing(case)
    if reason:
        return Outcome("skipped", reason)
    args = case.arguments()
    directions = directions_for(case, args)
    return outcome(lambda: forward_problem(case, args, directions, tangent(case, args, directions)))
