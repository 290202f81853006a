"""Scalar gradient benchmark: symdiff against hand-written code and other tools.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_scalar.py            # full run, about 2 minutes
    python benchmarks/bench_scalar.py --quick    # smoke run: k = 5, 10, fewer repeats

It prints two Markdown tables, measured in one run.

1. The lecture function f(x) = sqrt(x**2 + exp(x**2)) + cos(x**2 + exp(x**2)) at
   x = 0.7: the time per call of the function itself, of a hand-written gradient
   (forward sweep storing intermediates, then the backward sweep, plain `math`),
   of symdiff's `grad(f)` (the generated function itself), and, only if they are
   installed, of autograd's `grad` and of `jax.jit(jax.grad(f))` (jax.numpy,
   float64, result converted with `float()`). Every ratio is to the hand-written
   gradient. A line under the table gives symdiff's first-call transformation
   time of f (see below; f's source is taken from its definition in this file)
   and the target for it, 10 ms.

2. The depth-k composition f_k = sin(f_{k-1}) cos(f_{k-1}) + f_{k-1}**2, f_0 = x,
   written as straight-line code (`y = x`, k lines `y = math.sin(y) * math.cos(y)
   + y**2`, `return y`). For each k: symdiff's first-call transformation time,
   the time per call of symdiff's `grad(f)` and of a hand-written gradient (a
   forward loop storing the y values, then a backward loop multiplying
   cos(2y) + 2y), their ratio, and SymPy's `diff` + `lambdify` time of the nested
   closed form, run in a subprocess with a timeout. x = -0.3 keeps all values
   bounded (from x = 0.3 the iteration blows up and overflows a float at k = 17).

First-call transformation time: the time of `symdiff.grad(f)` for a function
object symdiff has not seen (it caches per function object), median over 7 fresh
imports: each writes the function's module source to a new file in a temporary
directory and imports it from there, so that symdiff can read the source.

Timing: `timeit` with the callable and its argument bound to local names; the
number of loops grows 1, 2, 5, 10, ... until one run lasts `min_time` (0.2 s),
then each callable's best of `repeats` (7) runs is divided by the number of
loops. The repeats of the callables compared in one table row or table are
interleaved, so that load from other processes hits them alike. The loop
overhead of `timeit` (a few ns) is included in every row alike. Before anything
is timed, every gradient is checked against symdiff's to a relative 1e-9; the
script stops with a message if one disagrees.

`--quick` times k = 5, 10 only, with 3 repeats of 0.02 s, 3 fresh imports per
transformation time and a 5 s SymPy timeout (20 s otherwise); `--max-k K` sets the largest depth.
"""

from __future__ import annotations

import argparse
import inspect
import math
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from dataclasses import dataclass
from pathlib import Path

try:
    import symdiff
except ImportError:
    sys.exit("bench_scalar: cannot import symdiff; run `pip install -e .` in the repository root")

from _timing import (cpu_name, fmt_ratio, fmt_time, import_file, interleaved_best, markdown_table,
                     package_versions)

LECTURE_X = 0.7
COMPOSITION_X = -0.3
RTOL = 1e-9
TRANSFORM_TARGET = 10e-3   # seconds: the first call of symdiff.grad on the lecture function


@dataclass(frozen=True)
class Settings:
    repeats: int          # timeit repeats; the best one is reported
    min_time: float       # seconds one repeat should last at least
    transforms: int       # fresh imports whose transformation time gives the median
    ks: tuple[int, ...]   # composition depths
    sympy_timeout: float  # seconds per k for SymPy's subprocess


# --- the functions ----------------------------------------------------------------

def lecture_f(x):
    return math.sqrt(x**2 + math.exp(x**2)) + math.cos(x**2 + math.exp(x**2))


def lecture_hand_grad(x):
    """The lecture function's gradient as a careful person writes it."""
    a = x**2
    b = math.exp(a)
    c = a + b
    d = math.sqrt(c)
    c_bar = 0.5 / d - math.sin(c)      # f = d + cos(c), d = sqrt(c)
    a_bar = c_bar * (1.0 + b)          # c = a + exp(a)
    return a_bar * 2.0 * x             # a = x**2


def make_composition_hand_grad(k):
    """A hand-written gradient of the depth-k composition."""
    def composition_hand_grad(x):
        ys = [x]                       # the input of every layer; the output is not needed
        for _ in range(k - 1):
            y = ys[-1]
            ys.append(math.sin(y) * math.cos(y) + y**2)
        g = 1.0
        for y in reversed(ys):         # d/dy [sin(y) cos(y) + y**2] = cos(2y) + 2y
            g *= math.cos(2.0 * y) + 2.0 * y
        return g
    return composition_hand_grad


def lecture_source():
    """A module defining `lecture_f`, from its definition in this file."""
    return "import math\n\n\n" + inspect.getsource(lecture_f)


def composition_source(k):
    """A module defining `f` as f_k, one line per layer."""
    lines = ["import math", "", "", "def f(x):", "    y = x"]
    lines += ["    y = math.sin(y) * math.cos(y) + y**2"] * k
    return "\n".join(lines + ["    return y", ""])


def autograd_grad():
    """autograd's gradient of the lecture function, or "not installed"."""
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return "not installed"

    def f_autograd(x):
        return anp.sqrt(x**2 + anp.exp(x**2)) + anp.cos(x**2 + anp.exp(x**2))
    return autograd.grad(f_autograd)


def jax_grad():
    """`jax.jit(jax.grad(f))` of the lecture function in float64, or "not installed"."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)

    def f_jax(x):
        return jnp.sqrt(x**2 + jnp.exp(x**2)) + jnp.cos(x**2 + jnp.exp(x**2))
    return jax.jit(jax.grad(f_jax))


# --- measuring ----------------------------------------------------------------------

def best_times(calls, arg, settings):
    """Seconds per call of each `fn(arg)` (or `float(fn(arg))`) in `calls`: label -> (fn, float()).

    The repeats of all calls are interleaved, so that load from other processes
    hits them alike; each call's best repeat counts.
    """
    timers = {label: timeit.Timer("float(fn(arg))" if convert else "fn(arg)", setup="fn = _fn; arg = _arg",
                                  globals={"_fn": fn, "_arg": arg})
              for label, (fn, convert) in calls.items()}
    return interleaved_best(timers, settings.repeats, settings.min_time)


def check(label, got, want, where):
    """Stop the benchmark unless `got` agrees with symdiff's `want` to RTOL."""
    if not math.isclose(float(got), want, rel_tol=RTOL, abs_tol=0.0):
        sys.stdout.flush()
        sys.exit(f"bench_scalar: {label} disagrees with symdiff at {where}: got {float(got)!r}, "
                 f"symdiff gives {want!r} (relative tolerance {RTOL}); stopping before timing it")


def transformation_time(directory, stem, source, name, settings):
    """Median first-call time of symdiff.grad on `name` from module `source`; also the last gradient.

    Every import writes `source` to a new file `stem_i.py` in `directory`, so each
    function is a new object, not in symdiff's cache, whose source symdiff can read.
    """
    times = []
    for i in range(settings.transforms):
        path = Path(directory, f"{stem}_{i}.py")
        path.write_text(source)
        fn = getattr(import_file(path), name)
        start = time.perf_counter()
        gradient = symdiff.grad(fn)
        times.append(time.perf_counter() - start)
    return statistics.median(times), gradient


SYMPY_SCRIPT = """
import sys, time, sympy
k, x0 = int(sys.argv[1]), float(sys.argv[2])
x = sympy.Symbol("x")
y = x
for _ in range(k):
    y = sympy.sin(y) * sympy.cos(y) + y**2
start = time.perf_counter()
dy = sympy.lambdify(x, sympy.diff(y, x), "math")
print(time.perf_counter() - start, repr(dy(x0)))
"""


def sympy_time(k, x, timeout):
    """Seconds SymPy needs for diff + lambdify of f_k, and its gradient at x; None on timeout."""
    command = [sys.executable, "-c", SYMPY_SCRIPT, str(k), repr(x)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None
    if done.returncode != 0:
        sys.exit(f"bench_scalar: the SymPy subprocess failed for k={k}:\n{done.stderr}")
    seconds, value = done.stdout.split()
    return float(seconds), float(value)


# --- the two sections ---------------------------------------------------------------

def lecture_rows(settings):
    """Rows of table 1: label, time per call, ratio to the hand-written gradient."""
    gradient = symdiff.grad(lecture_f)
    want = gradient(LECTURE_X)
    entries = [("original function f", lecture_f, False),   # (label, callable or why not, float())
               ("hand-written gradient", lecture_hand_grad, False),
               ("symdiff `grad(f)`", gradient, False),
               ("autograd `grad(f)`", autograd_grad(), False),
               ("`jax.jit(jax.grad(f))`, float()", jax_grad(), True)]
    for label, fn, _ in entries[1:]:
        if callable(fn):
            check(label, fn(LECTURE_X), want, f"x = {LECTURE_X}")
    times = best_times({label: (fn, convert) for label, fn, convert in entries if callable(fn)},
                       LECTURE_X, settings)
    hand = times["hand-written gradient"]
    return [[label, fmt_time(times[label]), fmt_ratio(times[label], hand)] if label in times
            else [label, fn, "-"] for label, fn, _ in entries]


def lecture_transform_line(directory, settings):
    """The line under table 1: symdiff's first-call transformation time of the lecture function."""
    seconds, _ = transformation_time(directory, "lecture", lecture_source(), "lecture_f", settings)
    return (f"symdiff `grad(f)` first call (transformation): {fmt_time(seconds)}, median of "
            f"{settings.transforms} fresh imports; target <= {fmt_time(TRANSFORM_TARGET)}.")


def composition_row(directory, k, settings):
    """One row of table 2."""
    transform, gradient = transformation_time(directory, f"composition_k{k}", composition_source(k),
                                              "f", settings)
    hand = make_composition_hand_grad(k)
    want, where = gradient(COMPOSITION_X), f"x = {COMPOSITION_X}"
    check(f"the hand-written gradient for k={k}", hand(COMPOSITION_X), want, where)
    sympy_seconds, sympy_value = sympy_time(k, COMPOSITION_X, settings.sympy_timeout)
    if sympy_value is not None:
        check(f"SymPy's lambdified derivative for k={k}", sympy_value, want, where)
    times = best_times({"symdiff": (gradient, False), "hand": (hand, False)}, COMPOSITION_X, settings)
    sympy_cell = fmt_time(sympy_seconds) if sympy_seconds is not None else f"> {settings.sympy_timeout:g} s"
    return [str(k), fmt_time(transform), fmt_time(times["symdiff"]), fmt_time(times["hand"]),
            fmt_ratio(times["symdiff"], times["hand"]), sympy_cell]


# --- output -------------------------------------------------------------------------

NOTES = """
Ratios are time / hand-written time (below 1: faster than hand-written). The hand-written
gradients are plain `math` code: a forward sweep storing intermediates, then the backward
sweep (for f_k: a list of the k layer inputs, then a loop multiplying cos(2y) + 2y).
symdiff transform: the first call of `symdiff.grad` on a function object it has not seen,
freshly imported from its own module file. SymPy: `sympy.diff` of the nested closed form
plus `lambdify`, timed inside a subprocess (start-up and import not counted);
"> {timeout:g} s": killed at the timeout.
Every gradient was checked against symdiff's to a relative 1e-9 before it was timed."""


def environment(settings):
    versions = [f"Python {platform.python_version()}", f"symdiff {symdiff.__version__}"]
    versions += package_versions(("sympy", "numpy", "autograd", "jax"))
    return (f"{', '.join(versions)}; {platform.system()} {platform.machine()} ({cpu_name()}).\n"
            f"Time per call: best of {settings.repeats} timeit repeats of >= {settings.min_time:g} s each.")


def parse_settings(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: k = 5, 10, fewer and shorter repeats, 5 s SymPy timeout")
    parser.add_argument("--max-k", type=int, default=None,
                        help="largest composition depth (default 20; 10 with --quick)")
    args = parser.parse_args(argv)
    max_k = args.max_k if args.max_k is not None else (10 if args.quick else 20)
    if max_k < 5:
        parser.error("--max-k must be at least 5 (depths are 5, 10, 15, ...)")
    ks = tuple(range(5, max_k + 1, 5))
    if args.quick:
        return Settings(repeats=3, min_time=0.02, transforms=3, ks=ks, sympy_timeout=5.0)
    return Settings(repeats=7, min_time=0.2, transforms=7, ks=ks, sympy_timeout=20.0)


def main(argv=None):
    settings = parse_settings(argv)
    print("# symdiff scalar benchmark\n\n" + environment(settings) + "\n")
    print(f"## Lecture function f(x) = sqrt(x**2 + exp(x**2)) + cos(x**2 + exp(x**2)), x = {LECTURE_X}\n")
    print(markdown_table(["implementation", "time per call", "vs hand-written"], lecture_rows(settings)))
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        print("\n" + lecture_transform_line(directory, settings))
        print("\n## Composition f_k = sin(f_(k-1)) cos(f_(k-1)) + f_(k-1)**2, f_0 = x, "
              f"x = {COMPOSITION_X}\n")
        header = ["k", f"symdiff transform (median of {settings.transforms})", "symdiff `grad(f)`",
                  "hand-written", "symdiff / hand", "SymPy diff + lambdify"]
        rows = [composition_row(directory, k, settings) for k in settings.ks]
        print(markdown_table(header, rows))
    print(NOTES.format(timeout=settings.sympy_timeout))


if __name__ == "__main__":
    main()
