"""Loop benchmark: the gradient of a for loop of n iterations, n = 10, 100, 1000.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_loops.py            # full run, about 30 seconds
    python benchmarks/bench_loops.py --quick    # smoke run, fewer repeats

The function iterates y <- sin(y) + 0.5 cos(x y) n times from y = x and returns
y. For each n it prints, measured in one run: the time per call of the function
itself, of a hand-written gradient (a forward loop appending y to a list, then a
backward loop over it), of symdiff's `grad(f)` (the generated function, whose
forward loop appends to a tape what its adjoint loop reads), and of autograd's
`grad` if installed; then symdiff's gradient time over the function's (target:
3x or less) and over the hand-written gradient's. Every gradient is checked
against the hand-written one to a relative 1e-9 before anything is timed.

Timing as in `_timing.py`: best of 7 interleaved repeats of runs of at least
0.2 s (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import math
import platform
import sys
import timeit

import _timing

import symdiff

X = 0.7
SIZES = (10, 100, 1000)


def f(x, n):
    y = x
    for i in range(n):
        y = math.sin(y) + 0.5 * math.cos(x * y)
    return y


def hand_grad(x, n):
    ys = []
    y = x
    for i in range(n):
        ys.append(y)
        y = math.sin(y) + 0.5 * math.cos(x * y)
    y_bar, x_bar = 1.0, 0.0
    for y in reversed(ys):
        s = math.sin(x * y)
        x_bar -= y_bar * 0.5 * s * y
        y_bar *= math.cos(y) - 0.5 * s * x
    return x_bar + y_bar


def implementations():
    impls = {"function": f, "hand-written gradient": hand_grad, "symdiff grad(f)": symdiff.grad(f)}
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return impls

    def f_autograd(x, n):
        y = x
        for i in range(n):
            y = anp.sin(y) + 0.5 * anp.cos(x * y)
        return y

    impls["autograd grad(f)"] = autograd.grad(f_autograd)
    return impls


def check(impls):
    for n in SIZES:
        want = hand_grad(X, n)
        for label, impl in impls.items():
            if label == "function":
                continue
            got = float(impl(X, n))
            if not abs(got - want) <= 1e-9 * max(1.0, abs(want)):
                sys.exit(f"{label} gives {got!r} at n = {n}; the hand-written gradient gives {want!r}")


def main(argv=None):
    repeats, min_time = _timing.options(__doc__, argv)
    impls = implementations()
    check(impls)
    labels = list(impls)
    rows = []
    for n in SIZES:
        timers = {label: timeit.Timer("g(x, n)", globals={"g": impl, "x": X, "n": n})
                  for label, impl in impls.items()}
        best = _timing.interleaved_best(timers, repeats, min_time)
        ours = best["symdiff grad(f)"]
        rows.append([str(n), *(_timing.fmt_time(best[label]) for label in labels),
                     _timing.fmt_ratio(ours, best["function"]),
                     _timing.fmt_ratio(ours, best["hand-written gradient"])])
    header = ["n", *labels, "symdiff / function", "symdiff / hand-written"]
    print(_timing.markdown_table(header, rows))
    versions = ", ".join(_timing.package_versions(("numpy", "autograd")))
    print(f"\nPython {platform.python_version()}, {_timing.cpu_name()}; {versions}; "
          f"best of {repeats} repeats of at least {min_time} s")


if __name__ == "__main__":
    main()
