"""Forward mode: a lowered function to the function computing its tangent.

Input: an `ir.Func` and the indices of the parameters to differentiate. Output:
an `ir.Func` taking, after the parameters, a tangent `x_dot` for each of those,
and returning the results and then their tangents. Each equation is followed by
its tangent equation, the chain rule in the order the lecture's forward mode
writes it, `b_dot = ∂b/∂a · a_dot` summed over the active arguments:

    a = x ** 2                  a_dot = 2 * x * x_dot
    b = math.exp(a)             b_dot = b * a_dot

Elementwise primitives use the partials of the primitive table; the others what
their row says: a linear operation is applied to the tangents, a bilinear one
(`A @ B`) once per active argument, and the rest (reductions, norms) have a
tangent rule of their own in the row (`Prim.jvp`). A branch's tangent is computed under the branch's guard and merged
like its value. A loop carries the tangents of its carried values beside them
(forward mode needs no tape), and a call to a helper becomes a call to its
tangent function, `sigmoid_jvp(z, z_dot)`, built once per pattern of use and
returning the values and their tangents.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis import active_in_loop, fallback_ns, infer_shapes, loop_layout, result_shape
from ..builder import Builder
from ..errors import UnsupportedSyntaxError
from ..ir import Callee, Const, Eqn, Func, NameAllocator, Param, Var, flat_results
from ..primitives import PRIMS
from .simplify import simplify


def forward(func: Func, wrt: tuple[int, ...], prims=PRIMS, shapes: dict | None = None) -> Func:
    """The tangent function of `func` with respect to the parameters in `wrt`."""
    names = NameAllocator.for_func(func)
    if shapes is not None:
        shapes = infer_shapes(func, shapes, prims)
    builder = Builder(names, prims, fallback_ns=fallback_ns(func), shapes=shapes)
    dots: dict[str, object] = {}
    dot_params = []
    for i in wrt:
        var = func.params[i].var
        dot = Var(names.fresh(f"{var.name}_dot"))
        dots[var.name] = dot
        dot_params.append(Param(dot))
        if shapes is not None:
            shapes[dot.name] = shapes[var.name]
    sweep(builder, func.body, dots, prims)
    results = flat_results(func.results)
    builder.guard = ()
    tangents = tuple(_tangent_or_zero(builder, dots, r) for r in results)
    wrt_names = ", ".join(func.params[i].var.name for i in wrt)
    grouped = (results[0], tangents[0]) if len(results) == 1 else (results, tangents)
    return Func(f"jvp_{func.name}", func.params + tuple(dot_params), tuple(builder.eqns), grouped, func.loc,
                func.modules, func.reserved,
                f"Value of {func.name} and its directional derivative along {wrt_names}.")


def sweep(builder: Builder, eqns, dots: dict, prims):
    """Each equation of `eqns` into `builder`, followed by its tangent; `dots` maps a
    variable to its tangent (variables without one do not depend on the inputs)."""
    for eqn in eqns:
        active = [a for a in eqn.args if isinstance(a, Var) and a.name in dots]
        if not active or not prims[eqn.prim].differentiable and eqn.prim != "cond":
            builder.eqns.append(eqn)
            continue
        builder.guard, builder.loc = eqn.guard, eqn.loc
        builder.ns = eqn.ns if eqn.ns in ("math", "numpy") else builder.fallback_ns
        if eqn.prim == "loop":
            _loop(builder, eqn, dots, prims)
            continue
        if eqn.prim == "call":
            _call(builder, eqn, dots, prims)
            continue
        builder.eqns.append(eqn)  # (its shape is known: the caller inferred them all)
        tangent = tangent_of(builder, eqn, dots, prims)
        if tangent is not None:
            dots[eqn.out.name] = _named(builder, tangent, f"{eqn.out.name}_dot")


def tangent_of(builder: Builder, eqn: Eqn, dots: dict, prims):
    """The tangent of `eqn`'s output (an atom), or None where it is zero."""
    if eqn.prim == "pick":  # a value of a loop or a call: its tangent is picked beside it
        source = dots.get(eqn.args[0].name)
        index = dict(eqn.params)["index"]
        if not isinstance(source, dict) or index not in source:
            return None
        return builder.pick(source["value"], index=source[index])
    if eqn.prim == "cond":
        c, a, b = eqn.args
        if not any(isinstance(x, Var) and x.name in dots for x in (a, b)):
            return None
        return builder.cond(c, _tangent_or_zero(builder, dots, a), _tangent_or_zero(builder, dots, b))
    row = prims[eqn.prim]
    if row.vjp is None:  # elementwise: the partials
        terms = []
        for arg, partial in zip(eqn.args, row.partials, strict=False):
            if isinstance(arg, Var) and arg.name in dots and partial is not None:
                local = partial(builder, eqn.out, *eqn.args)
                if local is not None:
                    terms.append(builder.mul(local, dots[arg.name]))
        return sum_of(builder, terms)
    rule = _linear if row.linear else _bilinear if row.bilinear else row.jvp
    if rule is None:
        raise UnsupportedSyntaxError(eqn.loc, f"forward mode has no tangent rule for {eqn.prim} yet; "
                                     "use reverse mode (grad, vjp) for this function")
    tangents = [dots.get(a.name) if isinstance(a, Var) else None for a in eqn.args]
    if builder.shapes is not None:  # (x + A along x, x a number: its tangent is a number)
        tangents = [t if t is None or isinstance(t, dict) else builder.exact(t, builder.shape(a))
                    for t, a in zip(tangents, eqn.args)]
    return rule(builder, eqn, tangents, **dict(eqn.params))


def sum_of(builder: Builder, terms: list):
    if not terms:
        return None
    total = terms[0]
    for term in terms[1:]:
        total = builder.add(total, term)
    return total


def _named(builder: Builder, atom, name: str):
    """`atom` under a name of its own (`b_dot`), as the reverse mode names its adjoints."""
    if isinstance(atom, Var) and atom.temp and builder.eqns and builder.eqns[-1].out == atom:
        last = builder.eqns.pop()
        out = Var(builder.names.fresh(name))
        builder.eqns.append(Eqn(out, last.prim, last.args, last.ns, last.params, last.loc, last.guard))
        if builder.shapes is not None:
            builder.shapes[out.name] = builder.shapes[atom.name]
        return out
    return atom


def _zero(builder: Builder, shape):
    return builder.zeros(shape=shape) if shape else Const(0.0)


def _tangent_or_zero(builder: Builder, dots: dict, atom):
    if isinstance(atom, Var) and atom.name in dots and not isinstance(dots[atom.name], dict):
        return dots[atom.name]
    return _zero(builder, builder.shapes and builder.shape(atom))


# ------------------------------------------------------------ array operations

def _linear(builder, eqn, tangents, **params):
    """A linear operation: itself applied to the tangents (zeros for the others)."""
    row = builder.prims[eqn.prim]
    rules = row.vjp(len(eqn.args)) if callable(row.vjp) else row.vjp
    rules = tuple(rules) + (None,) * (len(eqn.args) - len(rules))
    args = [(t if t is not None else _zero(builder, builder.shape(a))) if rule is not None else a
            for a, t, rule in zip(eqn.args, tangents, rules, strict=True)]
    return builder.emit(eqn.prim, *args, **params)


def _bilinear(builder, eqn, tangents, **params):
    """`A @ B` and the like: one term per active argument, the other held."""
    terms = []
    for i, tangent in enumerate(tangents):
        if tangent is not None:
            args = list(eqn.args)
            args[i] = tangent
            terms.append(builder.emit(eqn.prim, *args, **params))
    return sum_of(builder, terms)


# ------------------------------------------------------------ loops and calls

def _loop(builder: Builder, eqn: Eqn, dots: dict, prims):
    """A loop carrying, beside each carried value that depends on the inputs, its tangent."""
    params = dict(eqn.params)
    body, k, kind = params["body"], params["carried"], params["kind"]
    skip, it = loop_layout(kind)
    inits, frees = eqn.args[skip:skip + k], eqn.args[skip + k:]
    carried, free_active = active_in_loop(eqn, dots, prims)
    if not carried:  # (the inputs reach no carried value)
        builder.eqns.append(eqn)
        return
    names = builder.names
    body_shapes = None
    if builder.shapes is not None:
        outer = [()] * it + [builder.shape(a) for a in eqn.args[skip:]]
        body_shapes = infer_shapes(body, dict(zip((p.var.name for p in body.params), outer, strict=True)), prims)
    carried_dots = [Var(names.fresh(f"{body.params[it + j].var.name}_dot")) for j in carried]
    free_dots = [dots[frees[i].name] for i in free_active]  # (named as the outer tangents)
    inner_dots = {body.params[it + j].var.name: d for j, d in zip(carried, carried_dots, strict=True)}
    inner_dots.update({body.params[it + k + i].var.name: d for i, d in zip(free_active, free_dots, strict=True)})
    sub = Builder(names, prims, fallback_ns=builder.fallback_ns, shapes=body_shapes)
    if body_shapes is not None:
        for j, d in zip(carried, carried_dots, strict=True):
            body_shapes[d.name] = body_shapes[body.params[it + j].var.name]
        for i, d in zip(free_active, free_dots, strict=True):
            body_shapes[d.name] = builder.shape(d)
    sweep(sub, body.body, inner_dots, prims)
    sub.guard = ()
    result_dots = tuple(_tangent_or_zero(sub, inner_dots, body.results[j]) for j in carried)
    new_body = Func(body.name, body.params[:it + k] + tuple(map(Param, carried_dots)) + body.params[it + k:]
                    + tuple(map(Param, free_dots)), tuple(sub.eqns), body.results + result_dots, body.loc)
    init_dots = [_tangent_or_zero(builder, dots, inits[j]) for j in carried]
    args = eqn.args[:skip + k] + tuple(init_dots) + frees + tuple(free_dots)
    new_params = tuple((key, new_body if key == "body" else len(carried) + k if key == "carried" else value)
                       for key, value in eqn.params)
    builder.eqns.append(Eqn(eqn.out, eqn.prim, args, eqn.ns, new_params, eqn.loc, eqn.guard))
    if builder.shapes is not None:
        builder.shapes[eqn.out.name] = result_shape("loop", [builder.shape(a) for a in args], new_params, prims)
    dots[eqn.out.name] = {"value": eqn.out, **{j: k + n for n, j in enumerate(carried)}}


def _call(builder: Builder, eqn: Eqn, dots: dict, prims):
    """A call to a helper as a call to its tangent function, which returns the values
    and then their tangents."""
    callee = dict(eqn.params)["callee"]
    wrt = tuple(i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name in dots)
    shapes = None if builder.shapes is None else tuple(builder.shape(a) for a in eqn.args)
    key = ("jvp", wrt, shapes, id(prims))
    if key not in callee.vjps:
        tangent = forward(callee.func, wrt, prims, None if shapes is None else dict(
            zip((p.var.name for p in callee.func.params), shapes, strict=True)))
        flat = flat_results(tangent.results)
        callee.vjps[key] = Callee(simplify(replace(tangent, name=f"{callee.func.name}_jvp", results=flat), prims))
    jvp = callee.vjps[key]
    count = len(callee.func.results)
    args = eqn.args + tuple(dots[eqn.args[i].name] for i in wrt)
    if count == 1:  # y = f(x) becomes (y, y_dot) = f_jvp(x, x_dot)
        both = builder.emit("call", *args, callee=jvp)
        builder.eqns.append(Eqn(eqn.out, "pick", (both,), "op", (("index", 0),), eqn.loc, eqn.guard))
        if builder.shapes is not None:
            builder.shapes[eqn.out.name] = builder.shapes[both.name][0]
        dots[eqn.out.name] = builder.pick(both, index=1, name=builder.names.fresh(f"{eqn.out.name}_dot"))
        return
    builder.eqns.append(Eqn(eqn.out, "call", args, eqn.ns, (("callee", jvp),), eqn.loc, eqn.guard))
    if builder.shapes is not None:
        builder.shapes[eqn.out.name] = result_shape("call", [builder.shape(a) for a in args],
                                                    (("callee", jvp),), prims)
    dots[eqn.out.name] = {"value": eqn.out, **{j: count + j for j in range(count)}}


# ------------------------------------------------------------ a tangent has its result's shape

def _pairs(func: Func) -> list:
    """(result, tangent) pairs of a tangent function, as `forward` groups them."""
    value, tangent = func.results
    return list(zip(value, tangent)) if isinstance(value, tuple) else [(value, tangent)]


def narrow_tangents(func: Func, wrt: tuple[int, ...]) -> bool:
    """Whether a tangent of `func` (forward's, simplified, generated for every call) may be
    smaller than its result: a zero, or one that depends only on inputs the result
    broadcasts against (`x + y` along x, with x a number and y an array). Such code runs on
    numbers as it is; on arrays it needs the shapes (`widen_tangents`)."""
    primal = func.params[:len(func.params) - len(wrt)]
    sources = {p.var.name: frozenset((p.var.name,)) for p in primal}
    for i, dot in zip(wrt, func.params[len(primal):]):  # (a tangent has its parameter's shape)
        sources[dot.var.name] = sources[primal[i].var.name]
    for eqn in func.body:  # (elementwise: a value's shape is its inputs' broadcast)
        sources[eqn.out.name] = frozenset().union(
            *(sources.get(a.name, frozenset()) for a in eqn.args if isinstance(a, Var)))

    def of(atom):
        return sources.get(atom.name, frozenset()) if isinstance(atom, Var) else frozenset()

    return any(not of(r) <= of(t) for r, t in _pairs(func))  # (a constant's sources are none)


def widen_tangents(func: Func, shapes: dict, prims=PRIMS) -> Func:
    """Array code's tangent function with each tangent of its result's shape: a zero, or a
    tangent the result is broadcast from, gets `+ np.zeros(shape)`."""
    known = infer_shapes(func, dict(shapes), prims)
    builder = Builder(NameAllocator.for_func(func), prims, shapes=known)
    widened = []
    for r, t in _pairs(func):
        want = builder.shape(r)
        if builder.shape(t) == want:
            widened.append(t)
        else:
            zeros = builder.zeros(shape=want)
            widened.append(zeros if isinstance(t, Const) and t.value == 0 else builder.add(t, zeros))
    if not builder.eqns:
        return func
    value, _ = func.results
    tangent = tuple(widened) if isinstance(value, tuple) else widened[0]
    return replace(func, body=func.body + tuple(builder.eqns), results=(value, tangent))
