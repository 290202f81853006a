"""Fit a logistic regression on a Dask cluster, with symdiff's gradient of its loss.

X is 2,000,000 x 20 (320 MB) in 20 chunks of rows, made on the workers and never held
in one piece. `symdiff.grad(nll, xp="auto")` generates, at its first call, the gradient
written against the Array API (`xp = array_namespace(w, X, y)`, `X.T @ ...`), and
that code, given Dask arrays, builds a Dask graph: each step of gradient descent is one
graph the cluster computes chunk by chunk, with a progress bar.

Needs Dask's array and distributed parts and array-api-compat, which symdiff itself
does not (`pip install 'symdiff[xp]' 'dask[array,distributed]'`).

    python examples/dask_cluster.py [ROWS]
"""

import sys

import numpy as np

import symdiff


def nll(w, X, y):
    """The negative log-likelihood of logistic regression, labels y in {0, 1}."""
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z)


def main(rows: int = 2_000_000, features: int = 20, chunks: int = 20, steps: int = 5):
    import dask.array as da
    from dask.distributed import Client, LocalCluster, progress

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        rng = da.random.default_rng(0)
        X = rng.normal(size=(rows, features), chunks=(rows // chunks, features))
        true_w = np.linspace(-1.0, 1.0, features)
        y = (rng.random(rows, chunks=rows // chunks) < 1.0 / (1.0 + da.exp(-(X @ true_w)))).astype(float)
        X, y = client.persist([X, y])  # (made once, chunk by chunk, on the workers)
        gradient = symdiff.grad(nll, xp="auto")
        w = np.zeros(features)
        for step in range(steps):
            lazy = gradient(da.from_array(w), X, y)  # a Dask array: nothing computed yet
            future = client.compute(lazy)
            progress(future)
            w = w - 4.0 * future.result() / rows
            print(f"\nstep {step + 1}: |w - true w| = {np.linalg.norm(w - true_w):.4f}")
        print(f"\nX: {X.nbytes / 1e6:.0f} MB in {X.numblocks[0]} chunks of {X.chunks[0][0]} rows; "
              "the gradient symdiff generated for Dask arrays:\n")
        print(gradient.source)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:2]))
