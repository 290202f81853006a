"""Reverse mode through a call of a helper: the call of its VJP.

Reverse mode differentiates a callee once per pattern of use (which arguments
are active, which results receive a cotangent, the shapes) into a second
function, its vector-Jacobian product, which recomputes the callee's forward
sweep from the arguments and returns the arguments' cotangents:

    def sigmoid(z):                      def sigmoid_vjp(z, s_bar):
        a = -z                               ...
        ...                                  return z_bar
        return s

    def grad_f(x):
        h = sigmoid(x)                   # the forward sweep calls the helper
        ...
        x_bar = sigmoid_vjp(x, h_bar)    # the adjoint sweep its VJP
        return x_bar

Recomputing the helper's forward sweep in its VJP (what Tapenade calls joint
mode) keeps no tape across a call: memory stays that of one call, at the cost
of running the helper's forward sweep twice. `pullback` (reverse.py, which calls
this module) builds the VJP; it is passed in, so that imports go one way.
"""

from __future__ import annotations

from dataclasses import replace

from ..builder import Builder
from ..ir import Callee, Func, Var
from .adjoints import own_gradients, summed_adjoint, with_cotangent_shapes
from .simplify import simplify


def call_adjoint(builder: Builder, eqn, call_terms: list, active: set, terms: dict, prims, pullback):
    """Emit the call of the callee's VJP; add the arguments' cotangents to `terms`."""
    callee = dict(eqn.params)["callee"]
    results = callee.func.results
    wrt = tuple(i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name in active)
    cotangents: dict[int, list] = {}
    if len(results) == 1:
        cotangents[0] = call_terms
    else:
        for g, (_, j), guard in call_terms:
            cotangents.setdefault(j, []).append((g, None, guard))
    seeded = tuple(sorted(j for j in cotangents if isinstance(results[j], Var)))
    if not wrt or not seeded:
        return
    shapes = None if builder.shapes is None else tuple(builder.shape(a) for a in eqn.args)
    vjp = callee_vjp(callee, wrt, seeded, shapes, prims, pullback)
    seeds = []
    for j in seeded:
        g = summed_adjoint(builder, None, cotangents[j], anonymous=True)
        if shapes is not None:
            result_shape = builder.shape(eqn.out)
            g = builder.exact(g, result_shape if len(results) == 1 else result_shape[j])
        seeds.append(g)
    builder.guard = eqn.guard
    out = builder.emit("call", *eqn.args, *seeds, callee=vjp)
    for n, i in enumerate(wrt):
        g = out if len(wrt) == 1 else builder.pick(out, index=n)
        terms.setdefault(eqn.args[i].name, []).append((g, None, eqn.guard))


def callee_vjp(callee: Callee, wrt: tuple, seeded: tuple, shapes, prims, pullback) -> Callee:
    """The VJP of `callee` (see the module docstring), built once per pattern of use.

    Its parameters are the callee's, then a cotangent per seeded result; its
    results the cotangents of the parameters in `wrt`, each of its parameter's
    shape and never an alias of an argument.
    """
    key = (wrt, seeded, shapes, id(prims))
    if key not in callee.vjps:
        callee.vjps[key] = Callee(_build_vjp(callee.func, wrt, seeded, shapes, prims, pullback))
    return callee.vjps[key]


def _build_vjp(func: Func, wrt: tuple, seeded: tuple, shapes, prims, pullback) -> Func:
    param_shapes = None if shapes is None else dict(zip((p.var.name for p in func.params), shapes, strict=True))
    vjp = pullback(func, wrt, prims, param_shapes, seeded)
    vjp = simplify(replace(vjp, name=f"{func.name}_vjp"), prims)
    if shapes is None:
        return vjp
    return own_gradients(vjp, wrt, prims, with_cotangent_shapes(func, vjp, param_shapes, prims, seeded))
