"""Pair-loop benchmark: the gradient of a Lennard-Jones energy summed in two nested loops.

Run from the repository root (symdiff installed with the numba extra for its main rows,
e.g. `pip install -e '.[numba]'`):

    python benchmarks/bench_pairs.py            # full run, about 30 seconds
    python benchmarks/bench_pairs.py --quick    # smoke run, seconds

The function, as a physicist writes it, on n = 200 points in the plane (x, y float64
arrays, uniform in [0, 30), seeded):

    for i in range(n):
        for j in range(i + 1, n):
            dx = x[i] - x[j]; dy = y[i] - y[j]
            r2 = dx * dx + dy * dy; s6 = 1 / r2**3
            e = e + 4 (s6**2 - s6)

and its gradient with respect to x and y. The table gives the time per call, per pair
and the ratio to the hand-written Numba gradient of: the function itself (Python);
symdiff's `grad(f, wrt=("x", "y"))` (plain Python: the adjoints of x[i], x[j] added
into one array in place, O(1) per pair); the same with `compile="numba"`; the
hand-written gradient (the same loops, dE/dr2 written out, added into gx, gy) compiled
with `numba.njit`; and, when installed, `jax.jit(jax.grad(f))` of the energy written
vectorized (all pairs at once through a mask: the loop itself would unroll 19,900
pairs at tracing), results blocked. Compile times (the transformation and the first
call) are printed under the table.

Every gradient is checked against symdiff's Python gradient (max |difference| <= 1e-9
max |gradient|) before anything is timed. Timing (`_timing.interleaved_medians`): the
number of loops grows 1, 2, 5, 10, ... until a run lasts 0.2 s, then 7 repeats of
each row are interleaved and the median counts (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import argparse
import platform

import numpy as np

import _timing

import symdiff

SCRIPT = "bench_pairs"
N = 200
HAND = "hand-written gradient, `numba.njit`"


def energy(x, y):
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            r2 = dx * dx + dy * dy
            s6 = 1.0 / (r2 * r2 * r2)
            e = e + 4.0 * (s6 * s6 - s6)
    return e


def energy_hand(x, y):
    n = x.shape[0]
    gx, gy = np.zeros(n), np.zeros(n)
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            r2 = dx * dx + dy * dy
            s6 = 1.0 / (r2 * r2 * r2)
            slope = 4.0 * (6.0 * s6 - 12.0 * s6 * s6) / r2  # dE/d(r2) times 2
            gx[i] += slope * dx
            gx[j] -= slope * dx
            gy[i] += slope * dy
            gy[j] -= slope * dy
    return gx, gy


COMPILE_TIMES: dict = {}


def compiled(label, make, args):
    return _timing.compiled_row(label, make, args, COMPILE_TIMES)


def jax_row(args):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    upper = jnp.triu(jnp.ones((N, N), dtype=bool), 1)

    def f(x, y):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        r2 = jnp.where(upper, dx * dx + dy * dy, 1.0)
        s6 = 1.0 / (r2 * r2 * r2)
        return jnp.sum(jnp.where(upper, 4.0 * (s6 * s6 - s6), 0.0))
    gradient = jax.jit(jax.grad(f, argnums=(0, 1)))
    return compiled("`jax.jit(jax.grad(f))`, vectorized over pairs, blocked",
                    lambda: (lambda x, y: jax.block_until_ready(gradient(x, y))),
                    tuple(jnp.asarray(a) for a in args))


def implementations(args):
    """label -> (fn, args, block), or label -> why that row is not timed."""
    rows = {"function f (Python, no gradient)": (energy, args, None),
            "symdiff `grad(f, wrt=('x', 'y'))` (Python)": (symdiff.grad(energy, wrt=("x", "y")), args, None)}
    try:
        import numba
    except ImportError:
        rows["symdiff `grad(f, ..., compile='numba')`"] = rows[HAND] = "not installed"
    else:
        rows["symdiff `grad(f, ..., compile='numba')`"] = compiled(
            "symdiff `compile='numba'`", lambda: symdiff.grad(energy, wrt=("x", "y"), compile="numba"), args)
        rows[HAND] = compiled("hand-written `numba.njit`", lambda: numba.njit(energy_hand), args)
    key = "`jax.jit(jax.grad(f))`, vectorized over pairs, blocked"
    rows[key] = jax_row(args)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s")
    quick = parser.parse_args(argv).quick
    repeats, min_time = (3, 0.02) if quick else (7, 0.2)
    versions = ", ".join(_timing.package_versions(("numba", "jax")))
    print(f"# symdiff pair-loop benchmark\n\nPython {platform.python_version()}, symdiff "
          f"{symdiff.__version__}, {versions}; {_timing.cpu_name()}.\n"
          f"Time per call: median of {repeats} interleaved repeats of >= {min_time:g} s each.\n"
          + _timing.load_line("at start"))
    rng = np.random.default_rng(0)
    args = (rng.uniform(0.0, 30.0, N), rng.uniform(0.0, 30.0, N))
    impls = implementations(args)
    want = symdiff.grad(energy, wrt=("x", "y"))(*args)
    for label, impl in list(impls.items())[2:]:
        if not isinstance(impl, str):
            fn, impl_args, _ = impl
            _timing.check_gradient(SCRIPT, label, fn(*impl_args), want)
    timed = {label: impl for label, impl in impls.items() if not isinstance(impl, str)}
    times = _timing.interleaved_medians(_timing.call_timers(timed), repeats, min_time)
    pairs = N * (N - 1) // 2
    reference = times.get(HAND)
    rows = [[label, _timing.fmt_time(times[label]), _timing.fmt_time(times[label] / pairs),
             _timing.fmt_ratio(times[label], reference) if reference else "-"]
            if label in times else [label, impl, "-", "-"] for label, impl in impls.items()]
    print(f"\n## Lennard-Jones energy over the {pairs:,} pairs of {N} points, two nested loops; "
          "gradient wrt x and y\n")
    print(_timing.markdown_table(["implementation", "time per call", "per pair", "vs hand-written Numba"], rows))
    if COMPILE_TIMES:
        print("\n" + _timing.compile_line(COMPILE_TIMES))
    print("\nEvery gradient was checked against symdiff's Python gradient (max |difference| <= 1e-9 "
          "max |gradient|) before it was timed.\n" + _timing.load_line("at the end"))


if __name__ == "__main__":
    main()
