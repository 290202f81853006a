"""The pieces of reverse mode below its sweep: one equation's contributions to its
arguments' adjoints (`backprop`), an adjoint summed over its children (`summed_adjoint`,
a `cond` of the sums where children sit in branches), a parameter's gradient, and the
finishing touches on a gradient function (`own_gradients`, `widen_loop_zeros`).

Contributions to each adjoint are kept as (output adjoint, local partial, guard)
triples, or (cotangent, None, guard) where a VJP rule or a broadcast sum made it whole;
`guard` is where the contribution was computed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..analysis import body_shapes, infer_shapes, result_shape
from ..builder import Builder
from ..errors import ShapeError
from ..ir import Const, Eqn, Func, NameAllocator, Var, atom_key, flat_results, loop_leading_args
from ..primitives import PRIMS


def expand(eqns, replaced: dict) -> tuple:
    """`eqns` with each replaced equation swapped for its replacements."""
    return tuple(new for eqn in eqns for new in replaced.get(eqn.out.name, (eqn,)))


def backprop(builder: Builder, eqn: Eqn, g, active: set[str], terms, prims):
    """Add each active argument's share of `g` to its terms."""
    row = prims[eqn.prim]
    builder.ns, builder.loc = eqn.ns if eqn.ns in ("math", "numpy") else builder.fallback_ns, eqn.loc
    builder.guard = eqn.guard
    if eqn.prim == "pick":  # a loop's or call's value: their adjoint collects them by index
        loop = eqn.args[0]
        terms.setdefault(loop.name, []).append((g, ("pick", dict(eqn.params)["index"]), eqn.guard))
        return
    if eqn.prim == "cond":  # each branch's value gets y_bar where that branch ran
        cond = eqn.args[0]
        for arg, polarity in zip(eqn.args[1:], (True, False), strict=True):
            if isinstance(arg, Var) and arg.name in active:
                terms.setdefault(arg.name, []).append((g, None, eqn.guard + ((cond, polarity),)))
        return
    if not row.differentiable:  # (floor, a comparison: its result carries no gradient back)
        return
    shaped = builder.shapes is not None
    if row.vjp is not None and shaped and not row.broadcast_cotangent:
        g = builder.exact(g, builder.shape(eqn.out))
    rules = row.vjp(len(eqn.args)) if callable(row.vjp) else row.vjp
    rules = tuple(rules if rules is not None else row.partials)
    rules += (None,) * (len(eqn.args) - len(rules))  # index arrays carry no gradient
    for arg, rule in zip(eqn.args, rules, strict=True):
        if not isinstance(arg, Var) or arg.name not in active or rule is None:
            continue
        if row.vjp is not None:
            term = (rule(builder, g, eqn.out, *eqn.args, **dict(eqn.params)), None)
        else:
            term = (g, rule(builder, eqn.out, *eqn.args))
        if term[0] is None or (row.vjp is None and term[1] is None):
            continue  # a symbolic zero
        if shaped:
            term = _fit(builder, term, builder.shape(eqn.out), builder.shape(arg))
        terms.setdefault(arg.name, []).append((*term, eqn.guard))


def _fit(builder: Builder, term, out_shape, arg_shape):
    """Sum a term back over the axes along which its argument was broadcast."""
    g, local = term
    if local is not None:
        if out_shape == arg_shape:
            return term
        # The product may itself be smaller than the output (a broadcast
        # cotangent): make it whole before summing the broadcast axes away.
        g = builder.exact(_times(builder, g, local), out_shape)
    return builder.fit(g, arg_shape), None


def _product(builder: Builder, term, name=None):
    g, local = term[:2]
    if local is None:
        return builder.mul(g, 1.0, name=name) if name else g
    return _times(builder, g, local, name)


def _times(builder: Builder, g, local, name=None):
    """`g * local`; where `g` is `np.where(c, v, 0)` (the adjoint of a branch of a where),
    `np.where(c, v * local, 0)`: the untaken branch's partial may be inf or NaN there,
    and 0 * inf must not make the gradient NaN."""
    masked = _where_zero(builder, g)
    if masked is None:
        return builder.mul(g, local, name=name)
    c, v, taken = masked
    product = builder.mul(v, local)
    return builder.where(c, product, 0.0, name=name) if taken else builder.where(c, 0.0, product, name=name)


def _where_zero(builder: Builder, g):
    """(c, v, True) if `g` is `where(c, v, 0)`, (c, v, False) if `where(c, 0, v)` (through
    multiplications by 1.0), else None."""
    if isinstance(g, Var):  # (a chain of them, such as an accumulator's adjoints, in one step)
        g = builder.unscaled.get(g.name, g)
    eqn = builder.defined.get(g.name) if isinstance(g, Var) else None
    if eqn is None or eqn.prim != "where":
        return None
    c, a, b = eqn.args
    if isinstance(b, Const) and b.value == 0.0:
        return c, a, True
    if isinstance(a, Const) and a.value == 0.0:
        return c, b, False
    return None


def summed_adjoint(builder: Builder, var: Var | None, pairs: list, anonymous: bool = False):
    """Write `var_bar` once, as the sum over children of adjoint times partial.

    `builder.guard` is where `var` is defined; children in branches below it
    contribute through one `cond` per branching.
    """
    name = None if anonymous else builder.names.fresh(f"{var.name}_bar")
    guard = builder.guard
    deeper = [t for t in pairs if len(t[2]) > len(guard)]
    if deeper:
        pairs = [t for t in pairs if len(t[2]) == len(guard)]
        pairs += [(m, None, guard) for m in _merge_branches(builder, deeper, guard)]
    if len(pairs) == 1:
        return _product(builder, pairs[0], name)
    total = _product(builder, pairs[0])
    for term in pairs[1:-1]:
        total = builder.add(total, _product(builder, term))
    return builder.add(total, _product(builder, pairs[-1]), name=name)


def _merge_branches(builder: Builder, terms: list, guard: tuple) -> list:
    """For each condition branching below `guard`, `cond(c, then sum, else sum)`."""
    groups: dict = {}
    for term in terms:
        cond, polarity = term[2][len(guard)]
        groups.setdefault(atom_key(cond), (cond, {}))[1].setdefault(polarity, []).append(term)
    merged = []
    for cond, sides in groups.values():
        values = {}
        for polarity, side in sides.items():
            builder.guard = guard + ((cond, polarity),)
            values[polarity] = summed_adjoint(builder, None, side, anonymous=True)
        for polarity in (True, False):
            if polarity not in values:  # no child on this side: nothing flows
                builder.guard = guard + ((cond, polarity),)
                values[polarity] = _zero_like(builder, values[not polarity])
        builder.guard = guard
        merged.append(builder.cond(cond, values[True], values[False]))
    return merged


def _zero_like(builder: Builder, atom):
    if builder.shapes is None or builder.shape(atom) == ():
        return Const(0.0)
    return builder.zeros(shape=builder.shape(atom))


def gradient_of(builder: Builder, param: Var, terms):
    """The parameter's gradient: 0.0 if nothing reaches it; for arrays, its whole shape."""
    if builder.shapes is None or builder.shape(param) == ():
        return summed_adjoint(builder, param, terms.pop(param.name)) if param.name in terms else Const(0.0)
    shape, name = builder.shape(param), builder.names.fresh(f"{param.name}_bar")
    if param.name not in terms:
        return builder.zeros(shape=shape, name=name)
    total = summed_adjoint(builder, param, terms.pop(param.name), anonymous=True)
    if builder.shape(total) == shape:
        return builder.mul(total, 1.0, name=name)
    return builder.copy(builder.exact(total, shape), name=name)  # a whole, writable array


def with_cotangent_shapes(func: Func, vjp: Func, shapes: dict, prims=PRIMS, seeded=None) -> dict:
    """`shapes` (of `func`'s parameters) and those of the cotangent parameters of `vjp`,
    `pullback(func, seeded=seeded)`: the shapes of the results they stand for."""
    inferred = infer_shapes(func, shapes, prims)
    results = flat_results(func.results)
    results = [results[j] for j in seeded] if seeded is not None else results
    cotangents = vjp.params[len(func.params):]
    return {**shapes, **{p.var.name: inferred[r.name] if isinstance(r, Var) else tuple(np.shape(r.value))
                         for p, r in zip(cotangents, results, strict=True)}}


def widen_loop_zeros(func: Func, shapes: dict, prims=PRIMS) -> Func:
    """`func` where a loop starts a carried array from the number 0 (a cotangent that
    simplification found to cancel exactly: the scalar stands in for zeros of an
    array's shape) starting it from `np.zeros` of the shape the loop gives it instead,
    so the loop keeps its carried values' shapes even when it runs no iteration."""
    known = dict(shapes)
    names = NameAllocator.for_func(func)
    body = []

    def shape(atom):
        return known[atom.name] if isinstance(atom, Var) else tuple(np.shape(atom.value))

    for eqn in func.body:
        if eqn.prim == "loop":
            try:
                eqn = _widened_inits(eqn, shape, names, body, known, prims)
            except KeyError:
                return func
        body.append(eqn)
        try:
            known[eqn.out.name] = result_shape(eqn.prim, [shape(a) for a in eqn.args], eqn.params, prims)
        except (ValueError, KeyError):
            return func  # (infer_shapes reports it, located)
    return replace(func, body=tuple(body))


def _widened_inits(eqn: Eqn, shape, names, body: list, known: dict, prims) -> Eqn:
    params = dict(eqn.params)
    loop_body, count, skip = params["body"], params["carried"], loop_leading_args(params["kind"])
    args = list(eqn.args)
    for _ in range(count + 1):  # each round widens one init or ends
        try:
            _, _, results = body_shapes([shape(a) for a in args], loop_body, params["kind"], prims)
        except ShapeError:
            return eqn
        widen = [j for j in range(count) if isinstance(args[skip + j], Const) and args[skip + j].value == 0
                 and np.shape(args[skip + j].value) == () and results[j] != ()]
        if not widen:
            break
        for j in widen:
            zeros = Var(names.fresh("zeros"))
            body.append(Eqn(zeros, "zeros", (), "numpy", (("shape", tuple(results[j])),), eqn.loc, eqn.guard))
            known[zeros.name] = tuple(results[j])
            args[skip + j] = zeros
    return eqn.with_args(args)


def _may_be_an_array(eqn: Eqn | None, prims) -> bool:
    """Whether `eqn`, of shape (), may give a 0-d array, not a number: an array operation
    (np.reshape(g, ()), np.copy) other than a reduction or a pick of one entry (x[0])."""
    if eqn is None or prims[eqn.prim].elementwise or prims[eqn.prim].reduction:
        return False
    index = dict(eqn.params).get("index", ()) if eqn.prim == "getitem" else None
    return not (index and all(entry[0] == "int" for entry in index))


def own_gradients(func: Func, wrt: tuple[int, ...], prims=PRIMS, shapes: dict | None = None) -> Func:
    """`func` with its last results, the gradients for `wrt`, made arrays of their own,
    each of its parameter's shape (given `shapes`, the parameters' shapes by name).

    A simplified gradient can be a parameter itself (d sum(X * G)/dX = G) or a
    view of one (G.T); a caller who updates such a gradient in place would
    change their own data, so it is copied. The gradient of a number is a float:
    where an array operation gives it (np.reshape(g, ()), a 0-d array), it is
    made one with float(...). And simplification can leave a
    gradient smaller than its parameter (terms that cancel: the number 0.0), which
    is then broadcast to the parameter's shape.
    """
    names = NameAllocator.for_func(func)
    defined = {e.out.name: e for e in func.body}
    params = {p.var.name for p in func.params}
    known = infer_shapes(func, shapes, prims) if shapes is not None else {}
    body, results = list(func.body), list(func.results)
    for i, param in zip(range(len(results) - len(wrt), len(results)), wrt, strict=True):
        atom = results[i]
        name = func.params[param].var.name
        want = known.get(name)
        have = known.get(atom.name) if isinstance(atom, Var) else tuple(np.shape(atom.value))
        if want is not None and have != want:  # (broadcast, then a copy of its own below)
            widened = Var(names.fresh(f"{name}_bar"))
            if isinstance(atom, Const) and atom.value == 0:
                body.append(Eqn(widened, "zeros", (), "numpy", (("shape", tuple(want)),), func.loc))
            else:
                body.append(Eqn(widened, "broadcast_to", (atom,), "numpy", (("shape", tuple(want)),), func.loc))
            defined[widened.name], atom = body[-1], widened
        eqn = defined.get(atom.name) if isinstance(atom, Var) else None
        if want == ():  # a number: nothing to copy, but it must not be a 0-d array
            if isinstance(atom, Var) and (atom.name in params or _may_be_an_array(eqn, prims)):
                number = Var(names.fresh(f"{name}_bar"))
                body.append(Eqn(number, "float", (atom,), "builtins", (), func.loc))
                atom = number
        elif isinstance(atom, Var) and (atom.name in params or (eqn and prims[eqn.prim].view)):
            copied = Var(names.fresh(f"{name}_bar"))
            body.append(Eqn(copied, "copy", (atom,), "numpy", (), func.loc))
            atom = copied
        results[i] = atom
    return replace(func, body=tuple(body), results=tuple(results))
