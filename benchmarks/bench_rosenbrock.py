"""Rosenbrock benchmark: the gradient of Rosenbrock's function, with NumPy slices and as a loop.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_rosenbrock.py            # full run, about 1 to 2 minutes
    python benchmarks/bench_rosenbrock.py --quick    # smoke run, seconds (list form n = 10, 100 only)

Rosenbrock's function f(x) = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, in two forms:

1. NumPy with slices, `np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)`,
   x a float64 array of n = 10, 100, 1000, 10000 entries. The hand-written gradient is
   the closed form in NumPy (d = x[1:] - x[:-1]**2; g[:-1] = -400 x[:-1] d - 2 (1 - x[:-1]);
   g[1:] += 200 d).
2. A Python loop over a Python list, `for i in range(len(x) - 1): s = s + ...`, x a list
   of n = 10, 100, 1000 floats. symdiff gives a list gradient for a list argument, its
   code written out for the list's length; the hand-written gradient is a plain-Python
   loop over the list, accumulating into a list of zeros.

For each form and n, every implementation's time per call and per element (time / n,
so that linearity in n shows), and its ratio to the hand-written gradient's time. The
rows: the function itself (no gradient), the hand-written gradient, symdiff's
`grad(f)` (warmed up: the code generated for this shape or length), and only when
installed autograd (`autograd.grad` on autograd.numpy; the list form on the list),
`jax.jit(jax.grad(f))` (jax_enable_x64, inputs converted beforehand, results blocked;
the list form takes the list as a pytree, its loop unrolled at tracing) and, for the
NumPy form, PyTorch on the CPU (grad set to None before each `backward()`).

A third table gives symdiff's first-call times for the list form: `symdiff.grad(f)`
and the first call on a list of length n (generation of the code for that length,
plus one run), each on a fresh function object (the source written to a new module
and imported), the median of 7 fresh imports for n <= 100 (3 with --quick) and one for
n = 1000; and the generated code's length in lines.

Every gradient is checked against the hand-written one (max |difference| <= 1e-9
max |hand-written|) before anything is timed; the script stops if one disagrees.
Timing (`_timing.interleaved_medians`): the number of loops grows 1, 2, 5, 10, ...
until a run lasts 0.2 s, then 7 repeats of each row of one n are interleaved and the
median counts (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile

import numpy as np

import _timing

import symdiff

SCRIPT = "bench_rosenbrock"
ARRAY_SIZES = (10, 100, 1000, 10000)
LIST_SIZES = (10, 100, 1000)
HAND = "hand-written gradient"


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosen_hand(x):
    """The closed form: each term touches x_i and x_{i+1}."""
    d = x[1:] - x[:-1] ** 2
    g = np.zeros_like(x)
    g[:-1] = -400.0 * x[:-1] * d - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * d
    return g


def rosen_list(x):
    s = 0.0
    for i in range(len(x) - 1):
        s = s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def rosen_list_hand(x):
    """A plain-Python loop over the list, as one writes it by hand."""
    g = [0.0] * len(x)
    for i in range(len(x) - 1):
        d = x[i + 1] - x[i] * x[i]
        g[i] += -400.0 * x[i] * d - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * d
    return g


def rosen_for(xp):
    """The NumPy form with the functions of `xp` (autograd.numpy, jax.numpy, torch)."""
    def f(x):
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)
    return f


def tools(form):
    """label -> (gradient maker, input converter, block) or the reason there is none."""
    found = {}
    try:
        import autograd
        import autograd.numpy as anp
        found["autograd `grad(f)`"] = (lambda: autograd.grad(rosen_for(anp) if form == "array" else rosen_list),
                                       lambda x: x, None)
    except ImportError:
        found["autograd `grad(f)`"] = "not installed"
    try:
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_enable_x64", True)
        convert = jnp.asarray if form == "array" else (lambda x: [jnp.asarray(v) for v in x])
        found["`jax.jit(jax.grad(f))`, blocked"] = (
            lambda: jax.jit(jax.grad(rosen_for(jnp) if form == "array" else rosen_list)),
            convert, jax.block_until_ready)
    except ImportError:
        found["`jax.jit(jax.grad(f))`, blocked"] = "not installed"
    if form == "array":
        found["PyTorch CPU `f(x).backward()`"] = torch_tool()
    return found


def torch_tool():
    try:
        import torch
    except ImportError:
        return "not installed"
    f = rosen_for(torch)

    def make():
        def backward(x):
            x.grad = None
            f(x).backward()
            return x.grad
        return backward
    return make, lambda x: torch.tensor(x, requires_grad=True), None


def implementations(form, x, gradient):
    """label -> (fn, args, block) for the rows that run, label -> reason for the others."""
    f, hand = (rosen, rosen_hand) if form == "array" else (rosen_list, rosen_list_hand)
    impls = {"function f (no gradient)": (f, (x,), None), HAND: (hand, (x,), None),
             "symdiff `grad(f)`": (gradient, (x,), None)}
    for label, tool in tools(form).items():
        impls[label] = tool if isinstance(tool, str) else (tool[0](), (tool[1](x),), tool[2])
    return impls


def table(form, sizes, gradients, repeats, min_time):
    """The Markdown table of one form; `gradients`: n -> symdiff's gradient to time at n."""
    rows = []
    for n in sizes:
        x = np.random.default_rng(n).uniform(-2.0, 2.0, n)
        x = x if form == "array" else x.tolist()
        impls = implementations(form, x, gradients[n])
        want = impls[HAND][0](x)
        for label, impl in list(impls.items())[2:]:
            if not isinstance(impl, str):
                fn, args, _ = impl
                _timing.check_gradient(SCRIPT, f"{label} at n = {n}", fn(*args), np.asarray(want))
        timed = {label: impl for label, impl in impls.items() if not isinstance(impl, str)}
        times = _timing.interleaved_medians(_timing.call_timers(timed), repeats, min_time)
        for label, impl in impls.items():
            if label in times:
                rows.append([str(n), label, _timing.fmt_time(times[label]),
                             _timing.fmt_time(times[label] / n), _timing.fmt_ratio(times[label], times[HAND])])
            else:
                rows.append([str(n), label, impl, "-", "-"])
    return _timing.markdown_table(["n", "implementation", "time per call", "per element", "vs hand-written"],
                                  rows)


def first_calls(sizes, transforms, directory):
    """The first-call table (n, median `symdiff.grad(f)` time, median first-call time,
    generated lines), and n -> the last gradient made (its code for length n generated)."""
    rows, gradients = [], {}
    for n in sizes:
        x = np.random.default_rng(n).uniform(-2.0, 2.0, n).tolist()
        grads, firsts, gradient = _timing.first_calls(rosen_list, "", directory, transforms if n <= 100 else 1,
                                                      symdiff.grad, lambda gradient: gradient(x))
        gradients[n] = gradient
        rows.append([str(n), _timing.fmt_time(statistics.median(grads)),
                     _timing.fmt_time(statistics.median(firsts)),
                     _timing.fmt_time(statistics.median(firsts) / n),
                     str(len(gradient.source.splitlines())), str(len(grads))])
    return _timing.markdown_table(["n", "`symdiff.grad(f)`", "first call (generation + one run)",
                                   "per element", "generated lines", "fresh imports"], rows), gradients


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s; list form n = 10, 100")
    quick = parser.parse_args(argv).quick
    repeats, min_time, transforms = (3, 0.02, 3) if quick else (7, 0.2, 7)
    list_sizes = LIST_SIZES[:2] if quick else LIST_SIZES
    versions = ", ".join(_timing.package_versions(("numpy", "autograd", "jax", "torch")))
    print(f"# symdiff Rosenbrock benchmark\n\nPython {platform.python_version()}, symdiff "
          f"{symdiff.__version__}, {versions}; {_timing.cpu_name()}.\n"
          f"Time per call: median of {repeats} interleaved repeats of >= {min_time:g} s each.\n"
          + _timing.load_line("at start"))
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        # first: the first-call times, before anything else has warmed symdiff's caches for rosen_list
        generation, list_gradients = first_calls(list_sizes, transforms, directory)
    print("\n## NumPy with slices, x a float64 array of n entries\n")
    print(table("array", ARRAY_SIZES, dict.fromkeys(ARRAY_SIZES, symdiff.grad(rosen)), repeats, min_time))
    print("\n## A Python loop over a list of n floats (symdiff's gradient: a list)\n")
    print(table("list", list_sizes, list_gradients, repeats, min_time))
    print("\n## symdiff's first call for the list form (its code written out per length n)\n")
    print(generation)
    print("\nEvery gradient was checked against the hand-written one (max |difference| <= 1e-9 "
          "max |hand-written|) before it was timed.\n" + _timing.load_line("at the end"))


if __name__ == "__main__":
    main()
