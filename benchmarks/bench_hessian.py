"""Hessian benchmark: `symdiff.hessian` of a smooth array function with a dense Hessian.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_hessian.py            # full run, about 20 seconds
    python benchmarks/bench_hessian.py --quick    # smoke run, seconds

The function is f(x) = sum_ij exp(-0.1 x_i x_j) + sum_i x_i^4 / 4 for x a float64
array of n = 10 and n = 100 entries, written with `np.outer`, so that every pair of
entries interacts: its Hessian is dense,

    H_kl = (0.02 x_k x_l - 0.2) E_kl + delta_kl (0.02 (E x^2)_k + 3 x_k^2),  E = exp(-0.1 x x^T).

For each n the table gives the time per call and the ratio to the hand-written
Hessian (that closed form in NumPy) of: the function itself and symdiff's gradient
`symdiff.grad(f)` (for scale); the hand-written Hessian; `symdiff.hessian(f)` (forward
mode over the generated gradient code, batched: one call of the gradient's tangent code
carries all n columns as an n x n array, the primal computed once; warmed up by the
check call); and only when installed `jax.jit(jax.hessian(f))` (jax_enable_x64, input
converted beforehand, result blocked) and `torch.autograd.functional.hessian(f, x)`
(float64, CPU). A line under each table gives symdiff's first call of
`symdiff.hessian(f)` on a fresh function object (its source written to a new module
and imported): the median of 7 fresh imports (3 with --quick) of `symdiff.hessian(f)`
and of its first call (generating the gradient code for the shape and its JVP, and
one Hessian).

BLAS, OpenMP (torch) and XLA (jax) run one thread each unless OPENBLAS_NUM_THREADS,
OMP_NUM_THREADS, MKL_NUM_THREADS or XLA_FLAGS are set: on a small machine shared with
other work, threaded matmul times swing several-fold between repeats.

Every Hessian is checked against the hand-written one (max |difference| <= 1e-9
max |hand-written|) before anything is timed; the script stops if one disagrees.
Timing (`_timing.interleaved_medians`): the number of loops grows 1, 2, 5, 10, ...
until a run lasts 0.2 s, then 7 repeats of each row of one n are interleaved and the
median counts (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import os

# One BLAS (and OpenMP, XLA) thread unless the caller says otherwise: on a 2-core machine
# shared with other work, a threaded matmul waits for the busy core and its time swings
# several-fold from one repeat to the next. Set before NumPy (or jax, torch) is imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import argparse
import platform
import statistics
import tempfile

import numpy as np

import _timing

import symdiff

SCRIPT = "bench_hessian"
SIZES = (10, 100)
HAND = "hand-written Hessian (closed form)"


def f(x):
    return np.sum(np.exp(-np.outer(x, x) * 0.1)) + np.sum(x ** 4) / 4


def hessian_hand(x):
    """The closed form: d/dx_l of grad_k = -0.2 (E x)_k + x_k^3."""
    E = np.exp(-0.1 * np.outer(x, x))
    H = (0.02 * np.outer(x, x) - 0.2) * E
    H[np.diag_indices_from(H)] += 0.02 * (E @ (x * x)) + 3.0 * x * x
    return H


def f_for(xp):
    """f with the functions of `xp` (jax.numpy or torch)."""
    def f(x):
        return xp.sum(xp.exp(-xp.outer(x, x) * 0.1)) + xp.sum(x ** 4) / 4
    return f


def jax_row(x):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    return jax.jit(jax.hessian(f_for(jnp))), (jnp.asarray(x),), jax.block_until_ready


def torch_row(x):
    try:
        import torch
    except ImportError:
        return "not installed"
    g = f_for(torch)
    return (lambda t: torch.autograd.functional.hessian(g, t)), (torch.tensor(x),), None


def implementations(x):
    """label -> (fn, args, block), or label -> why that row is not timed; the first two
    rows are not Hessians (nothing to check)."""
    return {"function f (no Hessian)": (f, (x,), None),
            "symdiff `grad(f)` (a gradient, for scale)": (symdiff.grad(f), (x,), None),
            HAND: (hessian_hand, (x,), None),
            "symdiff `hessian(f)`": (symdiff.hessian(f), (x,), None),
            "`jax.jit(jax.hessian(f))`, blocked": jax_row(x),
            "`torch.autograd.functional.hessian`": torch_row(x)}


def table(n, repeats, min_time):
    x = np.random.default_rng(n).standard_normal(n)
    impls = implementations(x)
    want = hessian_hand(x)
    for label, impl in list(impls.items())[3:]:
        if not isinstance(impl, str):
            fn, args, _ = impl
            _timing.check_gradient(SCRIPT, f"{label} at n = {n}", fn(*args), want)
    timed = {label: impl for label, impl in impls.items() if not isinstance(impl, str)}
    times = _timing.interleaved_medians(_timing.call_timers(timed), repeats, min_time)
    rows = [[label, _timing.fmt_time(times[label]), _timing.fmt_ratio(times[label], times[HAND])]
            if label in times else [label, impl, "-"] for label, impl in impls.items()]
    return _timing.markdown_table(["implementation", "time per call", "vs hand-written"], rows), x


def first_call_line(x, transforms, directory):
    """symdiff's `hessian` and first-call times, medians over fresh function objects."""
    makes, firsts, _ = _timing.first_calls(f, "import numpy as np\n\n\n", directory, transforms,
                                        symdiff.hessian, lambda hessian: hessian(x))
    return (f"symdiff first call: `symdiff.hessian(f)` {_timing.fmt_time(statistics.median(makes))}, then "
            f"its first call (gradient code for the shape, its JVP, one Hessian) "
            f"{_timing.fmt_time(statistics.median(firsts))}; medians of {transforms} fresh imports.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s, 3 fresh imports")
    quick = parser.parse_args(argv).quick
    repeats, min_time, transforms = (3, 0.02, 3) if quick else (7, 0.2, 7)
    versions = ", ".join(_timing.package_versions(("numpy", "jax", "torch")))
    print(f"# symdiff Hessian benchmark\n\nPython {platform.python_version()}, symdiff "
          f"{symdiff.__version__}, {versions}; {_timing.cpu_name()}.\n"
          f"Time per call: median of {repeats} interleaved repeats of >= {min_time:g} s each; "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}.\n"
          + _timing.load_line("at start"))
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        for n in SIZES:
            print(f"\n## f(x) = sum(exp(-0.1 outer(x, x))) + sum(x**4) / 4, x of {n} entries: "
                  f"a dense {n}x{n} Hessian\n")
            rows, x = table(n, repeats, min_time)
            print(rows + "\n\n" + first_call_line(x, transforms, directory))
    print("\nEvery Hessian was checked against the hand-written one (max |difference| <= 1e-9 "
          "max |hand-written|) before it was timed.\n" + _timing.load_line("at the end"))


if __name__ == "__main__":
    main()
