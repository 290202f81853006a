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

Branches (guarded equations, see ir.py) need no tape either: each adjoint
equation runs under the guard of the equation it differentiates, reading the
same condition variables, and an adjoint whose children sit in branches is the
`cond` of the sums on each side (0.0 on a side without children). The adjoint
of `y = cond(c, a, b)` sends `y_bar` to `a` under `c` and to `b` under `not c`.
"""

from __future__ import annotations

from ..analysis import active_vars, fallback_ns, infer_shapes
from ..builder import Builder
from ..errors import NonScalarOutputError
from ..ir import Const, Func, NameAllocator, Param, Var, flat_results
from ..primitives import PRIMS
from .adjoints import backprop, expand, gradient_of, summed_adjoint
from .reverse_calls import call_adjoint
from .reverse_loops import loop_adjoint


def reverse(func: Func, wrt: tuple[int, ...], with_value: bool = False, prims=PRIMS,
            shapes: dict | None = None) -> Func:
    """The gradient of `func`'s single result with respect to the parameters in `wrt`.

    Args:
        shapes: the parameters' shapes by name, for array code specialized to
            them; None for scalar code, where no shape is needed.

    Raises:
        NonScalarOutputError: `func` returns more than one value, or an array.
    """
    result = _single_result(func)
    if shapes is not None:
        shapes = infer_shapes(func, shapes, prims)
        if isinstance(result, Var) and shapes[result.name] != ():
            raise NonScalarOutputError(
                func.loc, f"{func.name} returns an array of shape {shapes[result.name]}; grad needs "
                "a scalar output: reduce it (np.sum, np.mean) or use vjp")
    names = NameAllocator.for_func(func)
    active = active_vars(func, wrt, prims)
    builder = Builder(names, prims, fallback_ns=fallback_ns(func), shapes=shapes)
    # Contributions to each adjoint (see adjoints.py)
    terms: dict[str, list] = {}
    if isinstance(result, Var) and result.name in active:
        terms[result.name] = [(Const(1.0), Const(1.0), ())]
    replaced: dict[str, list] = {}
    sweep(builder, func.body, terms, active, prims, replaced)
    builder.guard = ()
    grads = tuple(gradient_of(builder, func.params[i].var, terms) for i in wrt)
    results = ((result,) if with_value else ()) + grads
    prefix = "value_and_grad" if with_value else "grad"
    wrt_names = ", ".join(func.params[i].var.name for i in wrt)
    doc = f"{'Value and gradient' if with_value else 'Gradient'} of {func.name} with respect to {wrt_names}."
    return Func(f"{prefix}_{func.name}", func.params, expand(func.body, replaced) + tuple(builder.eqns), results,
                func.loc, func.modules, func.reserved, doc)


def pullback(func: Func, wrt: tuple[int, ...], prims=PRIMS, shapes: dict | None = None,
             seeded: tuple | None = None, with_value: bool = False) -> Func:
    """The vector-Jacobian product of `func`: its parameters, then a cotangent `y_bar`
    per result in `seeded` (every result by default), to the cotangents of the
    parameters in `wrt`, each of its parameter's shape (and, for arrays, never an
    alias of an argument); first the results themselves, when `with_value`.

    Args:
        shapes: the parameters' shapes by name (array code), or None.
    """
    results = flat_results(func.results)
    seeded = tuple(range(len(results))) if seeded is None else seeded
    names = NameAllocator.for_func(func)
    if shapes is not None:
        shapes = infer_shapes(func, shapes, prims)
    builder = Builder(names, prims, fallback_ns=fallback_ns(func), shapes=shapes)
    cbars, terms = [], {}
    active = active_vars(func, wrt, prims)
    for j in seeded:
        result = results[j]
        cbar = Var(names.fresh(f"{result.name if isinstance(result, Var) else 'out'}_bar"))
        cbars.append(cbar)
        if shapes is not None:
            shapes[cbar.name] = shapes[result.name] if isinstance(result, Var) else ()
        if isinstance(result, Var):
            terms.setdefault(result.name, []).append((cbar, None, ()))
    replaced: dict[str, list] = {}
    sweep(builder, func.body, terms, active, prims, replaced)
    builder.guard = ()
    grads = tuple(gradient_of(builder, func.params[i].var, terms) for i in wrt)
    given = ", ".join(c.name for c in cbars)
    wanted = ", ".join(f"{func.params[i].var.name}_bar" for i in wrt)
    doc = f"Vector-Jacobian product of {func.name}: {wanted} given {given}."
    value = ((func.results[0] if len(func.results) == 1 else func.results),) if with_value else ()
    return Func(f"vjp_{func.name}", func.params + tuple(map(Param, cbars)),
                expand(func.body, replaced) + tuple(builder.eqns), value + grads, func.loc, func.modules,
                func.reserved, doc)


def sweep(builder: Builder, eqns, terms: dict, active: set, prims, replaced: dict):
    """The adjoint sweep over `eqns`: adjoint equations into `builder`, contributions
    to variables defined before `eqns` left in `terms`. A loop whose adjoint needs a
    tape gets a recording version, in `replaced` (see reverse_loops.py)."""
    for eqn in reversed(eqns):
        if eqn.out.name not in terms:
            continue
        builder.guard = eqn.guard
        if eqn.prim == "loop":  # (the loop's body is swept by this same function)
            replaced[eqn.out.name] = loop_adjoint(builder, eqn, terms.pop(eqn.out.name), active, terms, prims,
                                                  sweep)
            continue
        if eqn.prim == "call":  # (the callee's VJP is built by pullback)
            call_adjoint(builder, eqn, terms.pop(eqn.out.name), active, terms, prims, pullback)
            continue
        g = summed_adjoint(builder, eqn.out, terms.pop(eqn.out.name))
        backprop(builder, eqn, g, active, terms, prims)


def _single_result(func: Func):
    if len(func.results) != 1:
        raise NonScalarOutputError(
            func.loc, f"{func.name} returns {len(func.results)} values; grad needs one scalar "
            "output: return a single value (use jacobian or vjp for several)")
    return func.results[0]
