"""Array gradient benchmark: symdiff against hand-written NumPy and other tools.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_arrays.py            # full run, about 30 seconds
    python benchmarks/bench_arrays.py --quick    # smoke run: fewer and shorter repeats

It prints two Markdown tables, measured in one run, float64 throughout, data drawn
from `numpy.random.default_rng(0)`.

1. The mini-batch MLP loss of `examples/matrix.py:mlp_batch`, H = X W^T,
   A = 1 / (1 + exp(-H)), o = A v, L = mean((y - o)**2) / 2, with X 256x784,
   W 128x784, v 128, y 256; the gradient with respect to W and v.
2. Softmax cross-entropy plus an L2 penalty, Z = X W^T + b, L = -mean(log softmax(Z)
   [i, labels_i]) + lam * sum(W**2), log-softmax computed stably (the row maximum
   subtracted: `np.max` with an axis; the picking is integer-array indexing), with
   X 128x784, W 10x784, b 10, labels 128 in 0..9, lam = 1e-4; the gradient wrt W
   and b. When
   symdiff cannot differentiate it, its row says why and the others are still timed.

Rows of each table: the loss itself (no gradient); a hand-written NumPy gradient
as a careful person writes it (the MLP: reuse A, dA = outer(do, v),
dH = dA * A * (1 - A), dW = dH^T X, dv = A^T do; softmax: softmax(Z) minus the
one-hot labels over n, then dW = dZ^T X + 2 lam W, db = column sums of dZ); symdiff's generated gradient
(`symdiff.grad(f, wrt=...)`, warmed up by the check call, so the time is that of
the code generated for these shapes); and, only if they are installed, autograd
(`autograd.grad(f, argnum=...)` on autograd.numpy), `jax.jit(jax.grad(f, argnums=...))`
(jax.numpy, jax_enable_x64, inputs converted to jax arrays beforehand, results
blocked with `jax.block_until_ready`) and PyTorch on the CPU (float64 tensors with
requires_grad, grads set to None before each `loss.backward()`, as
`optimizer.zero_grad()` does). Every ratio is to the hand-written gradient.

A line under each table gives symdiff's first-call times, medians over 7 fresh
imports: each writes the loss's source (from its definition in this file) to a
new module file in a temporary directory and imports it, so symdiff sees a new
function object: `symdiff.grad(f, wrt=...)` (parse and lower), then its first
call (specialization to the argument shapes: differentiate, simplify, emit and
compile, plus one run of the generated code).

Timing: as in `bench_scalar.py` (shared helpers in `_timing.py`): `timeit` with
the callable and its arguments bound to local names; the number of loops grows
1, 2, 5, 10, ... until one run lasts `min_time` (0.2 s), then each callable's best
of `repeats` (7) runs is divided by the number of loops; the repeats of one
table's rows are interleaved, so that load from other processes hits them alike.
Before anything is timed, every gradient is checked against the hand-written one:
max |got - want| <= 1e-9 * max |want| for each gradient array (and equal shapes);
the script stops with a message if one disagrees. The 1-minute load average is
printed before and after.

`--quick`: 3 repeats of 0.02 s and 3 fresh imports per first-call time.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import statistics
import sys
import tempfile
import timeit
from dataclasses import dataclass
from typing import Callable

import numpy as np

try:
    import symdiff
except ImportError:
    sys.exit("bench_arrays: cannot import symdiff; run `pip install -e .` in the repository root")

from _timing import (cpu_name, first_calls, fmt_ratio, fmt_time, interleaved_best, markdown_table,
                     package_versions)

SEED = 0
RTOL = 1e-9
LAM = 1e-4


@dataclass(frozen=True)
class Settings:
    repeats: int          # timeit repeats; the best one is reported
    min_time: float       # seconds one repeat should last at least
    transforms: int       # fresh imports whose first-call times give the medians


# --- the losses and their hand-written gradients --------------------------------------

def mlp_loss(W, v, X, y):
    H = X @ W.T
    A = 1 / (1 + np.exp(-H))
    o = A @ v
    return 0.5 * np.mean((y - o) ** 2)


def mlp_hand_grad(W, v, X, y):
    """The MLP loss's gradient wrt W and v as a careful person writes it."""
    A = 1 / (1 + np.exp(-(X @ W.T)))
    do = (A @ v - y) / len(y)          # L = mean((y - o)**2) / 2
    dA = np.outer(do, v)
    dH = dA * A * (1 - A)
    return dH.T @ X, A.T @ do


def softmax_loss(W, b, X, labels, lam):
    Z = X @ W.T + b
    S = Z - np.max(Z, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(labels)), labels]) + lam * np.sum(W * W)


def softmax_hand_grad(W, b, X, labels, lam):
    """The softmax loss's gradient wrt W and b as a careful person writes it."""
    Z = X @ W.T + b
    P = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(len(labels)), labels] -= 1.0    # n dL/dZ = softmax(Z) - onehot(labels)
    P /= len(labels)
    return P.T @ X + 2.0 * lam * W, np.sum(P, axis=0)


def mlp_loss_for(xp):
    """The MLP loss with the functions of `xp` (autograd.numpy, jax.numpy, torch)."""
    def loss(W, v, X, y):
        H = X @ W.T
        A = 1 / (1 + xp.exp(-H))
        o = A @ v
        return 0.5 * xp.mean((y - o) ** 2)
    return loss


def softmax_loss_for(xp):
    """The softmax loss with the functions of `xp`: autograd.numpy, jax.numpy or torch."""
    if xp.__name__ == "torch":
        def loss(W, b, X, labels, lam):
            Z = X @ W.T + b
            S = Z - xp.amax(Z, dim=1, keepdim=True)
            logp = S - xp.log(xp.sum(xp.exp(S), dim=1, keepdim=True))
            return -xp.mean(logp[xp.arange(len(labels)), labels]) + lam * xp.sum(W * W)
        return loss

    def loss(W, b, X, labels, lam):
        Z = X @ W.T + b
        S = Z - xp.max(Z, axis=1, keepdims=True)
        logp = S - xp.log(xp.sum(xp.exp(S), axis=1, keepdims=True))
        return -xp.mean(logp[xp.arange(len(labels)), labels]) + lam * xp.sum(W * W)
    return loss


@dataclass(frozen=True)
class Problem:
    title: str
    loss: Callable            # the NumPy loss, defined at module level (symdiff reads its source)
    hand_grad: Callable       # returns a tuple of gradients, in the order of wrt
    loss_for: Callable        # xp -> the same loss written with xp's functions
    wrt: tuple[str, ...]
    args: tuple               # the NumPy arguments


def mlp_problem():
    rng = np.random.default_rng(SEED)
    X, y = rng.standard_normal((256, 784)), rng.standard_normal(256)
    W, v = rng.standard_normal((128, 784)) / np.sqrt(784), rng.standard_normal(128) / np.sqrt(128)
    return Problem("MLP loss L = mean((y - sigmoid(X W^T) v)**2) / 2, X 256x784, W 128x784, v 128; "
                   "gradient wrt W, v", mlp_loss, mlp_hand_grad, mlp_loss_for, ("W", "v"), (W, v, X, y))


def softmax_problem():
    rng = np.random.default_rng(SEED)
    X, labels = rng.standard_normal((128, 784)), rng.integers(0, 10, 128)
    W, b = rng.standard_normal((10, 784)) / np.sqrt(784), rng.standard_normal(10) * 0.1
    return Problem(f"Softmax cross-entropy + {LAM:g} sum(W**2), X 128x784, W 10x784, b 10; "
                   "gradient wrt W, b", softmax_loss, softmax_hand_grad, softmax_loss_for, ("W", "b"),
                   (W, b, X, labels, LAM))


# --- the implementations ------------------------------------------------------------

@dataclass(frozen=True)
class Impl:
    label: str
    fn: Callable | str        # the callable, or why there is none ("not installed")
    args: tuple = ()
    block: Callable | None = None   # applied to the result inside the timed statement (jax)
    gradient: bool = True     # False for the loss itself: nothing to check


def implementations(problem):
    """The rows of one table, in order."""
    symdiff_fn = symdiff_grad(problem)
    return [Impl("loss L (no gradient)", problem.loss, problem.args, gradient=False),
            Impl("hand-written NumPy gradient", problem.hand_grad, problem.args),
            Impl(f"symdiff `grad(f, wrt={problem.wrt})`", symdiff_fn, problem.args),
            autograd_impl(problem), jax_impl(problem), torch_impl(problem)]


def symdiff_grad(problem):
    """symdiff's gradient, or why symdiff cannot give one."""
    try:
        gradient = symdiff.grad(problem.loss, wrt=problem.wrt)
        gradient(*problem.args)   # specializes to these shapes
    except symdiff.SymdiffError as error:
        return "not supported: " + str(error).splitlines()[0].replace("|", "/")
    return gradient


def autograd_impl(problem):
    label = f"autograd `grad(f, argnum={argnums(problem)})`"
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return Impl(label, "not installed")
    return Impl(label, autograd.grad(problem.loss_for(anp), argnum=argnums(problem)), problem.args)


def jax_impl(problem):
    label = f"`jax.jit(jax.grad(f, argnums={argnums(problem)}))`, blocked"
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return Impl(label, "not installed")
    jax.config.update("jax_enable_x64", True)
    gradient = jax.jit(jax.grad(problem.loss_for(jnp), argnums=argnums(problem)))
    args = tuple(jnp.asarray(a) for a in problem.args)
    return Impl(label, gradient, args, block=jax.block_until_ready)


def torch_impl(problem):
    label = "PyTorch CPU `loss.backward()`"
    try:
        import torch
    except ImportError:
        return Impl(label, "not installed")
    names = list(inspect.signature(problem.loss).parameters)
    args = tuple(torch.tensor(a, requires_grad=name in problem.wrt) if isinstance(a, np.ndarray) else a
                 for name, a in zip(names, problem.args))
    leaves = [args[names.index(name)] for name in problem.wrt]
    loss = problem.loss_for(torch)

    def backward(*args):
        for leaf in leaves:
            leaf.grad = None           # zero the grads between runs
        loss(*args).backward()
        return tuple(leaf.grad for leaf in leaves)
    return Impl(label, backward, args)


def argnums(problem):
    """The positions of `problem.wrt` (a tuple, so every tool returns a tuple of gradients)."""
    names = list(inspect.signature(problem.loss).parameters)
    return tuple(names.index(name) for name in problem.wrt)


# --- checking and measuring -----------------------------------------------------------

def check(impl, want):
    """Stop the benchmark unless `impl`'s gradients agree with the hand-written `want`."""
    got = impl.fn(*impl.args)
    got = tuple(got) if isinstance(got, (tuple, list)) else (got,)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        g = as_numpy(g)
        error = np.max(np.abs(g - w)) if g.shape == w.shape else np.inf
        if not error <= RTOL * np.max(np.abs(w)):
            sys.stdout.flush()
            sys.exit(f"bench_arrays: {impl.label} disagrees with the hand-written gradient (result {i}): "
                     f"shape {g.shape} vs {w.shape}, max |difference| {error:.3g}, "
                     f"max |hand-written| {np.max(np.abs(w)):.3g} (relative tolerance {RTOL}); "
                     "stopping before timing it")


def as_numpy(array):
    """A NumPy array from a NumPy, jax or torch array."""
    return np.asarray(array.detach() if hasattr(array, "detach") else array)


def best_times(impls, settings):
    """Seconds per call of each `impl.fn(*impl.args)`, by label (see `_timing.interleaved_best`)."""
    timers = {impl.label: timeit.Timer("block(fn(*args))" if impl.block else "fn(*args)",
                                       setup="fn = _fn; args = _args; block = _block",
                                       globals={"_fn": impl.fn, "_args": impl.args, "_block": impl.block})
              for impl in impls}
    return interleaved_best(timers, settings.repeats, settings.min_time)


def table_rows(problem, settings):
    """Rows of one table: label, time per call, ratio to the hand-written gradient."""
    impls = implementations(problem)
    want = problem.hand_grad(*problem.args)
    for impl in impls:
        if impl.gradient and callable(impl.fn) and impl.fn is not problem.hand_grad:
            check(impl, want)
    times = best_times([impl for impl in impls if callable(impl.fn)], settings)
    hand = times["hand-written NumPy gradient"]
    return [[impl.label, fmt_time(times[impl.label]), fmt_ratio(times[impl.label], hand)]
            if impl.label in times else [impl.label, impl.fn, "-"] for impl in impls]


def first_call_line(problem, directory, settings):
    """The line under a table: symdiff's `grad` and first-call times on fresh function objects."""
    grads, firsts, _ = first_calls(problem.loss, "import numpy as np\n\n\n", directory, settings.transforms,
                                lambda loss: symdiff.grad(loss, wrt=problem.wrt),
                                lambda gradient: gradient(*problem.args))
    return (f"symdiff first call: `symdiff.grad(f, wrt={problem.wrt})` {fmt_time(statistics.median(grads))}, "
            f"then its first call (specialization to the shapes, plus one run) "
            f"{fmt_time(statistics.median(firsts))}; medians of {settings.transforms} fresh imports.")


# --- output -------------------------------------------------------------------------

NOTES = """
Ratios are time / hand-written time (below 1: faster than hand-written). Times per call
are of warm callables: symdiff's code was generated for these shapes and jax's compiled
by the check call before timing. jax: inputs are jax arrays made beforehand; the timed
statement blocks on the results. PyTorch: grads set to None before each backward().
Every gradient was checked against the hand-written one (max |difference| <= 1e-9
max |hand-written|, per gradient array) before it was timed."""


def environment(settings):
    versions = [f"Python {platform.python_version()}", f"symdiff {symdiff.__version__}"]
    versions += package_versions(("numpy", "autograd", "jax", "torch"))
    return (f"{', '.join(versions)}; {platform.system()} {platform.machine()} ({cpu_name()}, "
            f"{os.cpu_count()} CPUs).\n"
            f"Time per call: best of {settings.repeats} timeit repeats of >= {settings.min_time:g} s each.")


def load_line(when):
    try:
        return f"1-minute load average {when}: {os.getloadavg()[0]:.2f}."
    except OSError:
        return f"1-minute load average {when}: unavailable."


def parse_settings(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 repeats of 0.02 s, 3 fresh imports per first-call time")
    args = parser.parse_args(argv)
    if args.quick:
        return Settings(repeats=3, min_time=0.02, transforms=3)
    return Settings(repeats=7, min_time=0.2, transforms=7)


def main(argv=None):
    settings = parse_settings(argv)
    print("# symdiff array benchmark\n\n" + environment(settings) + "\n" + load_line("at start"))
    header = ["implementation", "time per call", "vs hand-written"]
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        for problem in (mlp_problem(), softmax_problem()):
            print(f"\n## {problem.title}\n")
            rows = table_rows(problem, settings)
            print(markdown_table(header, rows))
            if callable(symdiff_grad(problem)):
                print("\n" + first_call_line(problem, directory, settings))
    print(NOTES)
    print("\n" + load_line("at the end"))


if __name__ == "__main__":
    main()
