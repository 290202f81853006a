"""MLP benchmark: the gradient of a 784-256-10 tanh MLP's softmax cross-entropy, all weights and biases.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_mlp_ce.py            # full run, about 15 seconds
    python benchmarks/bench_mlp_ce.py --quick    # smoke run, seconds

The loss, float64, data from `numpy.random.default_rng(0)`, a batch of n = 256:

    H = tanh(X W1^T + b1)        X 256x784, W1 256x784, b1 256
    Z = H W2^T + b2              W2 10x256, b2 10
    logp = log softmax(Z)        row maximum subtracted, `np.max(..., keepdims=True)`
    L = -mean(logp[np.arange(n), labels])     labels 256 in 0..9

and its gradient with respect to W1, b1, W2 and b2. The table gives the time per
call and the ratio to the hand-written gradient of: the loss itself (no gradient);
hand-written NumPy backprop as a careful person writes it (dZ = (softmax(Z) -
onehot(labels)) / n, dW2 = dZ^T H, db2 = column sums, dC = (dZ W2) (1 - H^2), dW1 =
dC^T X, db1 = column sums); symdiff's `grad(f, wrt=("W1", "b1", "W2", "b2"))` (warmed
up by the check call: the code generated for these shapes); and only when installed
autograd (`autograd.grad(f, argnum=(0, 1, 2, 3))` on autograd.numpy),
`jax.jit(jax.grad(f, argnums=(0, 1, 2, 3)))` (jax_enable_x64, inputs converted
beforehand, results blocked) and PyTorch on the CPU (float64 tensors with
requires_grad, grads set to None before each `loss.backward()`). A line under the
table gives symdiff's first-call times: medians over 7 fresh imports (3 with --quick)
of the loss's source, of `symdiff.grad(f, wrt=...)` and of its first call (the code
generated for the shapes, plus one run).

BLAS, OpenMP (torch) and XLA (jax) run one thread each unless OPENBLAS_NUM_THREADS,
OMP_NUM_THREADS, MKL_NUM_THREADS or XLA_FLAGS are set: on a small machine shared with
other work, threaded matmul times swing several-fold between repeats.

Every gradient is checked against the hand-written one (max |difference| <= 1e-9
max |hand-written|, per array) before anything is timed; the script stops if one
disagrees. Timing (`_timing.interleaved_medians`): the number of loops grows 1, 2, 5,
10, ... until a run lasts 0.2 s, then 7 repeats of each row are interleaved and the
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

SCRIPT = "bench_mlp_ce"
WRT = ("W1", "b1", "W2", "b2")
HAND = "hand-written NumPy backprop"


def mlp_ce(W1, b1, W2, b2, X, labels):
    H = np.tanh(X @ W1.T + b1)
    Z = H @ W2.T + b2
    S = Z - np.max(Z, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    n = len(labels)
    return -np.mean(logp[np.arange(n), labels])


def mlp_ce_hand(W1, b1, W2, b2, X, labels):
    """Backprop: n dL/dZ = softmax(Z) - onehot(labels); tanh' = 1 - H^2."""
    H = np.tanh(X @ W1.T + b1)
    Z = H @ W2.T + b2
    P = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    P /= np.sum(P, axis=1, keepdims=True)
    n = len(labels)
    P[np.arange(n), labels] -= 1.0
    P /= n
    dC = (P @ W2) * (1.0 - H * H)
    return dC.T @ X, np.sum(dC, axis=0), P.T @ H, np.sum(P, axis=0)


def mlp_ce_for(xp):
    """The loss with the functions of `xp`: autograd.numpy, jax.numpy or torch."""
    if xp.__name__ == "torch":
        def loss(W1, b1, W2, b2, X, labels):
            H = xp.tanh(X @ W1.T + b1)
            Z = H @ W2.T + b2
            S = Z - xp.amax(Z, dim=1, keepdim=True)
            logp = S - xp.log(xp.sum(xp.exp(S), dim=1, keepdim=True))
            return -xp.mean(logp[xp.arange(len(labels)), labels])
        return loss

    def loss(W1, b1, W2, b2, X, labels):
        H = xp.tanh(X @ W1.T + b1)
        Z = H @ W2.T + b2
        S = Z - xp.max(Z, axis=1, keepdims=True)
        logp = S - xp.log(xp.sum(xp.exp(S), axis=1, keepdims=True))
        return -xp.mean(logp[xp.arange(len(labels)), labels])
    return loss


def problem():
    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((256, 784)), rng.integers(0, 10, 256)
    W1, b1 = rng.standard_normal((256, 784)) / np.sqrt(784), rng.standard_normal(256) * 0.1
    W2, b2 = rng.standard_normal((10, 256)) / np.sqrt(256), rng.standard_normal(10) * 0.1
    return W1, b1, W2, b2, X, labels


def autograd_row(args):
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return "not installed"
    return autograd.grad(mlp_ce_for(anp), argnum=(0, 1, 2, 3)), args, None


def jax_row(args):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    gradient = jax.jit(jax.grad(mlp_ce_for(jnp), argnums=(0, 1, 2, 3)))
    return gradient, tuple(jnp.asarray(a) for a in args), jax.block_until_ready


def torch_row(args):
    try:
        import torch
    except ImportError:
        return "not installed"
    tensors = tuple(torch.tensor(a, requires_grad=i < 4) for i, a in enumerate(args[:5])) \
        + (torch.tensor(args[5]),)
    leaves, loss = tensors[:4], mlp_ce_for(torch)

    def backward(*tensors):
        for leaf in leaves:
            leaf.grad = None           # zero the grads between runs
        loss(*tensors).backward()
        return tuple(leaf.grad for leaf in leaves)
    return backward, tensors, None


def implementations(args):
    """label -> (fn, args, block), or label -> why that row is not timed."""
    return {"loss L (no gradient)": (mlp_ce, args, None), HAND: (mlp_ce_hand, args, None),
            f"symdiff `grad(f, wrt={WRT})`": (symdiff.grad(mlp_ce, wrt=WRT), args, None),
            "autograd `grad(f, argnum=(0, 1, 2, 3))`": autograd_row(args),
            "`jax.jit(jax.grad(f, argnums=(0, 1, 2, 3)))`, blocked": jax_row(args),
            "PyTorch CPU `loss.backward()`": torch_row(args)}


def first_call_line(args, transforms, directory):
    """symdiff's `grad` and first-call times, medians over fresh function objects."""
    grads, firsts, _ = _timing.first_calls(mlp_ce, "import numpy as np\n\n\n", directory, transforms,
                                        lambda fresh: symdiff.grad(fresh, wrt=WRT),
                                        lambda gradient: gradient(*args))
    return (f"symdiff first call: `symdiff.grad(f, wrt=...)` {_timing.fmt_time(statistics.median(grads))}, "
            f"then its first call (code generated for the shapes, plus one run) "
            f"{_timing.fmt_time(statistics.median(firsts))}; medians of {transforms} fresh imports.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s, 3 fresh imports")
    quick = parser.parse_args(argv).quick
    repeats, min_time, transforms = (3, 0.02, 3) if quick else (7, 0.2, 7)
    versions = ", ".join(_timing.package_versions(("numpy", "autograd", "jax", "torch")))
    print(f"# symdiff MLP cross-entropy benchmark\n\nPython {platform.python_version()}, symdiff "
          f"{symdiff.__version__}, {versions}; {_timing.cpu_name()}.\n"
          f"Time per call: median of {repeats} interleaved repeats of >= {min_time:g} s each; "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}.\n"
          + _timing.load_line("at start"))
    args = problem()
    impls = implementations(args)
    want = mlp_ce_hand(*args)
    for label, impl in list(impls.items())[2:]:
        if not isinstance(impl, str):
            fn, fn_args, _ = impl
            _timing.check_gradient(SCRIPT, label, fn(*fn_args), want)
    timed = {label: impl for label, impl in impls.items() if not isinstance(impl, str)}
    times = _timing.interleaved_medians(_timing.call_timers(timed), repeats, min_time)
    rows = [[label, _timing.fmt_time(times[label]), _timing.fmt_ratio(times[label], times[HAND])]
            if label in times else [label, impl, "-"] for label, impl in impls.items()]
    print("\n## MLP 784-256-10, tanh, softmax cross-entropy, batch 256; gradient wrt W1, b1, W2, b2\n")
    print(_timing.markdown_table(["implementation", "time per call", "vs hand-written"], rows))
    with tempfile.TemporaryDirectory(prefix="symdiff-bench-") as directory:
        print("\n" + first_call_line(args, transforms, directory))
    print("\nEvery gradient was checked against the hand-written one (max |difference| <= 1e-9 "
          "max |hand-written|, per array) before it was timed.\n" + _timing.load_line("at the end"))


if __name__ == "__main__":
    main()
