"""Recurrence benchmark: the gradient of a 10,000-step scalar recurrence wrt its start and its rate.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_recurrence.py            # full run, about 10 seconds
    python benchmarks/bench_recurrence.py --quick    # smoke run, seconds

The function, on Python floats, with n = 10,000 and (x, y) = (1.0, 0.02) (so that x
decays slowly and neither derivative vanishes):

    for i in range(n):
        x = x - 0.01 * math.sin(x) * y
    return x

and its gradient with respect to x and y. The table gives the time per call, per
step (time / n) and the ratio to the hand-written gradient of: the function itself;
a hand-written gradient (a forward loop appending x to a list, then a backward loop
over it: x_bar *= 1 - 0.01 y cos(x), y_bar -= 0.01 sin(x) x_bar); symdiff's
`grad(f, wrt=("x", "y"))` (its forward loop keeps a tape its adjoint loop reads); and
only when installed autograd (`autograd.grad(f, argnum=(0, 1))`, the same loop with
autograd.numpy's sin), `jax.jit(jax.grad(f, argnums=(0, 1)))` of the recurrence
written with `jax.lax.fori_loop` (jax_enable_x64, n static, results blocked) and
PyTorch (the same loop on 0-d float64 tensors, `backward()`, grads set to None before
each call); and with Numba installed, `symdiff.grad(f, wrt=..., compile="numba")` and
the hand-written gradient compiled by `numba.njit` (its tape a preallocated array),
with their compile times (the transformation and the first call) under the table. A
line under the table gives symdiff's first-call times: medians over 7 fresh imports
(3 with --quick) of the function's source, of `symdiff.grad(f, wrt=...)` and of its
first call (differentiating the loop, plus one run).

Every gradient is checked against the hand-written one (|difference| <= 1e-9
|hand-written|, each of the two) before anything is timed; the script stops if one
disagrees. Timing (`_timing.interleaved_medians`): the number of loops grows 1, 2, 5,
10, ... until a run lasts 0.2 s, then 7 repeats of each row are interleaved and the
median counts (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import tempfile

import _timing

import symdiff

SCRIPT = "bench_recurrence"
N, X, Y = 10_000, 1.0, 0.02
HAND = "hand-written tape and backward loop"


def recurrence(x, y, n):
    for i in range(n):
        x = x - 0.01 * math.sin(x) * y
    return x


def recurrence_hand(x, y, n):
    """Forward: record each x; backward: dx'/dx = 1 - 0.01 y cos(x), dx'/dy = -0.01 sin(x)."""
    tape = []
    for i in range(n):
        tape.append(x)
        x = x - 0.01 * math.sin(x) * y
    x_bar, y_bar = 1.0, 0.0
    for x in reversed(tape):
        y_bar -= 0.01 * math.sin(x) * x_bar
        x_bar *= 1.0 - 0.01 * y * math.cos(x)
    return x_bar, y_bar


def numba_rows() -> dict:
    """symdiff's gradient compiled with Numba, and the hand-written gradient (a tape in
    a preallocated array) compiled with Numba, with their compile times; or why not."""
    try:
        import numba
    except ImportError:
        return {"symdiff `grad(f, compile='numba')`": "not installed",
                "hand-written gradient, `numba.njit`": "not installed"}
    import numpy as np

    def hand(x, y, n):
        tape = np.empty(n)
        for i in range(n):
            tape[i] = x
            x = x - 0.01 * math.sin(x) * y
        x_bar, y_bar = 1.0, 0.0
        for i in range(n - 1, -1, -1):
            y_bar -= 0.01 * math.sin(tape[i]) * x_bar
            x_bar *= 1.0 - 0.01 * y * math.cos(tape[i])
        return x_bar, y_bar
    makes = {"symdiff `grad(f, compile='numba')`":
             lambda: symdiff.grad(recurrence, wrt=("x", "y"), compile="numba"),
             "hand-written gradient, `numba.njit`": lambda: numba.njit(hand)}
    rows = {label: _timing.compiled_row(label, make, (X, Y, N), COMPILE_TIMES) for label, make in makes.items()}
    return rows


COMPILE_TIMES: dict = {}


def autograd_row():
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return "not installed"

    def f(x, y, n):
        for i in range(n):
            x = x - 0.01 * anp.sin(x) * y
        return x
    return autograd.grad(f, argnum=(0, 1)), (X, Y, N), None


def jax_row():
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)

    def f(x, y):
        return jax.lax.fori_loop(0, N, lambda i, x: x - 0.01 * jnp.sin(x) * y, x)
    gradient = jax.jit(jax.grad(f, argnums=(0, 1)))
    return (lambda x, y, n: gradient(x, y)), (jnp.asarray(X), jnp.asarray(Y), N), jax.block_until_ready


def torch_row():
    try:
        import torch
    except ImportError:
        return "not installed"
    x, y = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (X, Y))

    def backward(x, y, n):
        x.grad = y.grad = None
        z = x
        for i in range(n):
            z = z - 0.01 * torch.sin(z) * y
        z.backward()
        return x.grad, y.grad
    return backward, (x, y, N), None


def implementations():
    """label -> (fn, args, block), or label -> why that row is not timed."""
    args = (X, Y, N)
    return {"function f (no gradient)": (recurrence, args, None), HAND: (recurrence_hand, args, None),
            "symdiff `grad(f, wrt=('x', 'y'))`": (symdiff.grad(recurrence, wrt=("x", "y")), args, None),
            **numba_rows(),
            "autograd `grad(f, argnum=(0, 1))`": autograd_row(),
            "`jax.jit(jax.grad(f, argnums=(0, 1)))`, `lax.fori_loop`, blocked": jax_row(),
            "PyTorch CPU, 0-d tensors, `backward()`": torch_row()}


def first_call_line(transforms, directory):
    """symdiff's `grad` and first-call times, medians over fresh function objects."""
    grads, firsts, _ = _timing.first_calls(recurrence, "import math\n\n\n", directory, transforms,
                                        lambda fresh: symdiff.grad(fresh, wrt=("x", "y")),
                                        lambda gradient: gradient(X, Y, N))
    return (f"symdiff first call: `symdiff.grad(f, wrt=('x', 'y'))` {_timing.fmt_time(statistics.median(grads))}, "
            f"then its first call (one run of the generated code) {_timing.fmt_time(statistics.median(firsts))}; "
            f"medians of {transforms} fresh imports.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s, 3 fresh imports")
    quick = parser.parse_args(argv).quick
    repeats, min_time, transforms = (3, 0.02, 3) if quick else (7, 0.2, 7)
    versions = ", ".join(_timing.package_versions(("autograd", "jax", "torch")))
    print(f"# symdiff recurrence benchmark\n\nPython {platform.python_version()}, symdiff "
          f"{symdiff.__version__}, {versions}; {_timing.cpu_name()}.\n"
          f"Time per call: median of {repeats} interleaved repeats of >= {min_time:g} s each.\n"
          + _timing.load_line("at start"))
    impls = implementations()
    want = recurrence_hand(X, Y, N)
    for label, impl in list(impls.items())[2:]:
        if not isinstance(impl, str):
            fn, args, _ = impl
            _timing.check_gradient(SCRIPT, label, fn(*args), want)
    timed = {label: impl for label, impl in impls.items() if not isinstance(impl, str)}
    times = _timing.interleaved_medians(_timing.call_timers(timed), repeats, min_time)
    rows = [[label, _timing.fmt_time(times[label]), _timing.fmt_time(times[label] / N),
             _timing.fmt_ratio(times[label], times[HAND])]
            if label in times else [label, impl, "-", "-"] for label, impl in impls.items()]
    print(f"\n## x <- x - 0.01 sin(x) y, {N:,} steps from (x, y) = ({X}, {Y}); gradient wrt x and y "
          f"= ({want[0]:.6g}, {want[1]:.6g})\n")
    print(_timing.markdown_table(["implementation", "time per call", "per step", "vs hand-written"], rows))
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        print("\n" + first_call_line(transforms, directory))
    if COMPILE_TIMES:
        print(_timing.compile_line(COMPILE_TIMES))
    print("\nEvery gradient was checked against the hand-written one (|difference| <= 1e-9 "
          "|hand-written|, each) before it was timed.\n" + _timing.load_line("at the end"))


if __name__ == "__main__":
    main()
