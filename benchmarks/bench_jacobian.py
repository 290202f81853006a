"""Jacobian benchmark: the mode choice, and the cost of a Hessian-vector product.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_jacobian.py            # full run, about a minute
    python benchmarks/bench_jacobian.py --quick    # smoke run, fewer repeats

Two maps, each timed with `symdiff.jacobian` in forward mode, in reverse mode and
with the mode symdiff chooses (see symdiff/jacobians.py), and with
`jax.jacfwd` / `jax.jacrev` (jit-compiled) where installed:

  * (n, m) = (1000, 1): f(x) = sum(sin(x) * x) for x of 1000 entries. Reverse mode
    needs one VJP call, forward mode 1000 JVP calls.
  * (n, m) = (1, 1000): g(t, c) = sin(t * c) for a scalar t and 1000 constants c.
    Forward mode needs one JVP call, reverse mode 1000 VJP calls.

Then a Hessian-vector product H v of h(x, A) = sum(log(1 + exp(A @ x))) (A 200x100),
computed as forward mode over the generated gradient code (`symdiff.jvp` of
`symdiff.grad(h)`), against the time of h itself (target: 5x or less), and against
`jax.jvp` of `jax.grad` (jit-compiled) where installed.

Every Jacobian is checked against the closed form (every HVP against A.T diag(s(1-s)) A v)
to a relative 1e-9 before anything is timed. Timing as in `_timing.py`: best of 7
interleaved repeats of runs of at least 0.2 s (3 repeats of 0.02 s with --quick).
"""

from __future__ import annotations

import platform
import sys
import timeit

import numpy as np

import _timing

import symdiff


def many_to_one(x):
    return np.sum(np.sin(x) * x)


def one_to_many(t, c):
    return np.sin(t * c)


def softplus_sum(x, A):
    return np.sum(np.log(1.0 + np.exp(A @ x)))


def jax_versions():
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    f = lambda x: jnp.sum(jnp.sin(x) * x)  # noqa: E731
    g = lambda t, c: jnp.sin(t * c)  # noqa: E731
    h = lambda x, A: jnp.sum(jnp.log(1.0 + jnp.exp(A @ x)))  # noqa: E731
    return {
        "many_to_one": {"jax.jacfwd": jax.jit(jax.jacfwd(f)), "jax.jacrev": jax.jit(jax.jacrev(f))},
        "one_to_many": {"jax.jacfwd": jax.jit(jax.jacfwd(g)), "jax.jacrev": jax.jit(jax.jacrev(g))},
        "hvp": jax.jit(lambda x, A, v: jax.jvp(lambda y: jax.grad(h)(y, A), (x,), (v,))[1]),
    }


def problems():
    rng = np.random.default_rng(0)
    x, c, t = rng.normal(size=1000), rng.normal(size=1000), 0.7
    return {
        "many_to_one": ((x,), np.cos(x) * x + np.sin(x), many_to_one, {"wrt": 0}),
        "one_to_many": ((t, c), np.cos(t * c) * c, one_to_many, {"wrt": 0}),
    }


def check(label, got, want):
    got = np.asarray(got, dtype=float).reshape(np.shape(want))
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        sys.exit(f"{label}: the Jacobian differs from the closed form")


def main(argv=None):
    repeats, min_time = _timing.options(__doc__, argv)
    jax_impls = jax_versions()
    rows = []
    for name, (args, want, fun, options) in problems().items():
        impls = {mode: symdiff.jacobian(fun, mode=mode, **options)
                 for mode in ("forward", "reverse", None)}
        impls = {("symdiff " + (mode or "chosen")): impl for mode, impl in impls.items()}
        if jax_impls is not None:
            impls.update(jax_impls[name])
        for label, impl in impls.items():
            check(f"{name}: {label}", impl(*args), want)
        timers = {label: timeit.Timer("j(*args)", globals={"j": impl, "args": args})
                  for label, impl in impls.items()}
        best = _timing.interleaved_best(timers, repeats, min_time)
        n, m = (1000, 1) if name == "many_to_one" else (1, 1000)
        rows.append([f"({n}, {m})", *(_timing.fmt_time(best[label]) for label in impls)])
        header = ["(n, m)", *impls]
    print(_timing.markdown_table(header, rows))

    rng = np.random.default_rng(1)
    A, x, v = rng.normal(size=(200, 100)) * 0.1, rng.normal(size=100), rng.normal(size=100)
    hvp = symdiff.jvp(symdiff.grad(softplus_sum).specialized(x, A))
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    want = A.T @ (s * (1.0 - s) * (A @ v))
    got = hvp(x, A, v)[1]
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        sys.exit("the Hessian-vector product differs from A.T diag(s(1-s)) A v")
    timers = {"function": timeit.Timer("h(x, A)", globals={"h": softplus_sum, "x": x, "A": A}),
              "symdiff jvp(grad(h))": timeit.Timer("p(x, A, v)", globals={"p": hvp, "x": x, "A": A, "v": v})}
    if jax_impls is not None:
        timers["jax jvp(grad(h))"] = timeit.Timer("p(x, A, v)", globals={"p": jax_impls["hvp"], "x": x,
                                                                          "A": A, "v": v})
        check("jax hvp", jax_impls["hvp"](x, A, v), want)
    best = _timing.interleaved_best(timers, repeats, min_time)
    print()
    print(_timing.markdown_table(
        [*timers, "symdiff HVP / function"],
        [[*(_timing.fmt_time(best[label]) for label in timers),
          _timing.fmt_ratio(best["symdiff jvp(grad(h))"], best["function"])]]))
    versions = ", ".join(_timing.package_versions(("numpy", "jax")))
    print(f"\nPython {platform.python_version()}, {_timing.cpu_name()}; {versions}; "
          f"best of {repeats} repeats of at least {min_time} s")


if __name__ == "__main__":
    main()
