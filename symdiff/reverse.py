"""Reverse mode: a lowered function to the function computing its gradient.

Input: an `ir.Func` with one scalar result and the indices of the parameters to
differentiate. Output: an `ir.Func` with the same parameters whose body is the
forward sweep (the primal equations) followed by the adjoint sweep, returning
the gradients (and first the value, when asked for).

The adjoint sweep visits equations in reverse. An equation's output adjoint is
complete when it is visited, since all of its children come after it; it is
then written once as the sum over children, `c_bar = d_bar*dd/dc + e_bar*de/dc`.
Contributions are built only for active arguments (those depending on a
differentiated parameter), so the exponent's partial of `x**y` exists only when
`y` is differentiated; a parameter that receives nothing gets gradient 0.0.
Straight-line input gives straight-line output: no tape.
"""

from __future__ import annotations

from .errors import NonScalarOutputError
from .ir import Builder, Const, Eqn, Func, NameAllocator, Var
from .primitives import PRIMS


def active_vars(func: Func, wrt: tuple[int, ...], prims=PRIMS) -> set[str]:
    """Names whose value depends differentiably on the parameters in `wrt`."""
    active = {func.params[i].var.name for i in wrt}
    for eqn in func.body:
        if prims[eqn.prim].differentiable and any(
                isinstance(a, Var) and a.name in active for a in eqn.args):
            active.add(eqn.out.name)
    return active


def fallback_ns(func: Func) -> str:
    """The library derivative code calls where the primal used an operator or builtin."""
    return "numpy" if any(ns == "numpy" for ns, _ in func.modules) else "math"


def reverse(func: Func, wrt: tuple[int, ...], with_value: bool = False, prims=PRIMS) -> Func:
    """The gradient of `func`'s single result with respect to the parameters in `wrt`.

    Raises:
        NonScalarOutputError: `func` returns more than one value.
    """
    if len(func.results) != 1:
        raise NonScalarOutputError(
            func.loc, f"{func.name} returns {len(func.results)} values; grad needs one scalar "
            "output: return a single value (use jacobian or vjp for several)")
    names = NameAllocator.for_func(func)
    active = active_vars(func, wrt, prims)
    builder = Builder(names, prims, fallback_ns=fallback_ns(func))
    # Contributions to each adjoint, as (output adjoint, local partial) pairs.
    terms: dict[str, list] = {}
    result = func.results[0]
    if isinstance(result, Var) and result.name in active:
        terms[result.name] = [(Const(1.0), Const(1.0))]
    for eqn in reversed(func.body):
        if eqn.out.name in terms:
            g = _adjoint(builder, eqn.out, terms.pop(eqn.out.name))
            _backprop(builder, eqn, g, active, terms, prims)
    grads = tuple(_gradient(builder, func.params[i].var, terms) for i in wrt)
    results = ((result,) if with_value else ()) + grads
    prefix = "value_and_grad" if with_value else "grad"
    wrt_names = ", ".join(func.params[i].var.name for i in wrt)
    doc = f"{'Value and gradient' if with_value else 'Gradient'} of {func.name} with respect to {wrt_names}."
    return Func(f"{prefix}_{func.name}", func.params, func.body + tuple(builder.eqns), results,
                func.loc, func.modules, func.reserved, doc)


def _backprop(builder: Builder, eqn: Eqn, g, active: set[str], terms, prims):
    """Add `g * d out/d arg` to the terms of each active argument of `eqn`."""
    row = prims[eqn.prim]
    builder.ns, builder.loc = eqn.ns if eqn.ns in ("math", "numpy") else builder.fallback_ns, eqn.loc
    for arg, partial in zip(eqn.args, row.partials, strict=True):
        if isinstance(arg, Var) and arg.name in active and partial is not None:
            local = partial(builder, eqn.out, *eqn.args)
            if local is not None:
                terms.setdefault(arg.name, []).append((g, local))


def _adjoint(builder: Builder, var: Var, pairs: list):
    """Write `var_bar` once, as the sum over children of adjoint times partial."""
    name = builder.names.fresh(f"{var.name}_bar")
    if len(pairs) == 1:
        return builder.mul(*pairs[0], name=name)
    total = builder.mul(*pairs[0])
    for g, local in pairs[1:-1]:
        total = builder.add(total, builder.mul(g, local))
    return builder.add(total, builder.mul(*pairs[-1]), name=name)


def _gradient(builder: Builder, param: Var, terms):
    if param.name not in terms:
        return Const(0.0)
    return _adjoint(builder, param, terms.pop(param.name))
