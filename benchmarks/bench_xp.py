"""Array API benchmark (issue 18): symdiff's `xp="auto"` gradient against its NumPy code.

Run from the repository root (symdiff installed with `pip install -e '.[xp,backends]'`):

    python benchmarks/bench_xp.py            # full run, about a minute
    python benchmarks/bench_xp.py --quick    # smoke run: fewer and shorter repeats

It prints one Markdown table, measured in one run, float64 throughout, for the gradient
of a logistic regression's negative log-likelihood with respect to w,
L = sum(logaddexp(0, X w) - y (X w)), X n x 20, labels y in {0, 1}, data from
`numpy.random.default_rng(0)`:

  * n = 1,000 and n = 100,000, NumPy arrays in memory: a hand-written gradient
    (X^T (sigmoid(X w) - y)), symdiff's NumPy code (`symdiff.grad(nll)`) and its
    Array API code (`symdiff.grad(nll, xp="auto")`) given the same NumPy arrays, which
    adds the namespace look-up and the per-call key of shapes; and, where installed, the
    Array API code on array-api-strict arrays (which wrap NumPy's).
  * n = 2,000,000 (X 320 MB): the hand-written gradient and symdiff's NumPy code on the
    NumPy arrays, and the Array API code on the same data as a Dask array in 20 chunks of
    rows (`da.from_array`, in memory), including `.compute()` on Dask's threaded
    scheduler (2 cores here); generating the graph is part of every call.

Every ratio is to the hand-written gradient of its size. Timing: `_timing.interleaved_medians`
(the number of loops grows 1, 2, 5, 10, ... until a run lasts 0.2 s, then the median of
7 interleaved repeats per call). Before timing, each gradient is checked against the
hand-written one (relative 1e-9). The 1-minute load average is printed before and after.
"""

from __future__ import annotations

import sys

import numpy as np

import _timing

import symdiff

SCRIPT = "bench_xp"
HAND = "hand-written NumPy"


def nll(w, X, y):
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z)


def nll_hand(w, X, y):
    return X.T @ (1.0 / (1.0 + np.exp(-(X @ w))) - y)


def problem(n: int):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 20))
    y = (rng.random(n) < 0.5).astype(float)
    return np.linspace(-0.5, 0.5, 20), X, y


def rows(n: int) -> dict:
    """label -> (function, args, block) for the problem of size n."""
    args = problem(n)
    found = {HAND: (nll_hand, args, None), "symdiff NumPy code": (symdiff.grad(nll), args, None),
             "symdiff xp='auto', NumPy arrays": (symdiff.grad(nll, xp="auto"), args, None)}
    try:
        import array_api_strict as strict
        found["symdiff xp='auto', array-api-strict"] = (symdiff.grad(nll, xp="auto"),
                                                        tuple(map(strict.asarray, args)), None)
    except ImportError:
        pass
    if n >= 1_000_000:
        del found["symdiff xp='auto', NumPy arrays"]
        found.pop("symdiff xp='auto', array-api-strict", None)
        try:
            import dask.array as da
            w, X, y = args
            lazy = (da.from_array(w), da.from_array(X, chunks=(n // 20, 20)), da.from_array(y, chunks=n // 20))
            gradient = symdiff.grad(nll, xp="auto")
            found["symdiff xp='auto', Dask 20 chunks (+ .compute())"] = (
                lambda *a: gradient(*a).compute(), lazy, None)
        except ImportError:
            pass
    return found


def main(argv=None):
    repeats, min_time = _timing.options(__doc__, argv)
    print(_timing.load_line("before"))
    table = []
    for n in (1_000, 100_000, 2_000_000):
        impls = rows(n)
        want = nll_hand(*impls[HAND][1])
        for label, (fn, args, _) in impls.items():
            _timing.check_gradient(SCRIPT, label, _timing.as_numpy(fn(*args)), want)
        times = _timing.interleaved_medians(_timing.call_timers(impls), repeats, min_time)
        for label, seconds in times.items():
            table.append([f"{n:,} x 20", label, _timing.fmt_time(seconds), _timing.fmt_ratio(seconds, times[HAND])])
    print(_timing.markdown_table(["X", "gradient of the logistic NLL", "time per call", "vs hand-written"], table))
    print(_timing.load_line("after"))
    print("; ".join(_timing.package_versions(["numpy", "array-api-compat", "array-api-strict", "dask"])) +
          f"; {_timing.cpu_name()}")


if __name__ == "__main__":
    main(sys.argv[1:])
