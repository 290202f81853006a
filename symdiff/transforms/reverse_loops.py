"""Reverse mode through a loop (ir.run_loop): a tape of what the adjoint needs.

The adjoint of a loop is a loop over the iterations in reverse. Its body is the
vector-Jacobian product of the forward body, simplified: it recomputes from an
iteration's inputs what the partials need, sends the cotangents of the carried
values at the end of the iteration back to their values at its start, and
accumulates the cotangents of the outer variables the body reads. The forward
loop appends to a tape exactly the iteration inputs (index, carried values)
that this body reads, and nothing else; an outer variable is read where it is.

    s = 0.0                          s = 0.0; tape = []
    for i in range(n):               for i in range(n):
        s = s + math.sin(s) * x          tape.append(s)
                                         s = s + math.sin(s) * x
                                     s_bar = 1.0; x_bar = 0.0
                                     for s_1 in reversed(tape):
                                         x_bar = x_bar + s_bar * math.sin(s_1)
                                         s_bar = s_bar + s_bar * x * math.cos(s_1)

The body's VJP is built by the adjoint sweep itself (reverse.sweep), which calls
this module for a loop and passes itself in, so that imports go one way.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis import Shapes, active_in_loop, active_vars, infer_shapes, loop_layout
from ..builder import Builder
from ..ir import Const, Eqn, Func, Param, Var
from .adjoints import expand, gradient_of, summed_adjoint
from .simplify import simplify
from .write_once import buffer_reads


def loop_adjoint(builder: Builder, eqn: Eqn, loop_terms: list, active: set, terms: dict, prims,
                 sweep) -> list:
    """Emit the adjoint loop of `eqn`; add its outputs to `terms`; return the forward
    equations to use instead of `eqn` (the recording loop and its tape). `sweep` is the
    adjoint sweep (reverse.sweep), run over the body."""
    params = dict(eqn.params)
    body = params["body"]
    skip, it = loop_layout(params["kind"])
    cotangents: dict[int, list] = {}
    for g, (_, j), guard in loop_terms:
        cotangents.setdefault(j, []).append((g, None, guard))
    carried, free_active = active_in_loop(eqn, active, prims)
    if not carried:
        return [eqn]
    body_shapes = None
    if builder.shapes is not None:
        outer = [()] * it + [builder.shape(a) for a in eqn.args[skip:]]
        body_shapes = infer_shapes(body, dict(zip((p.var.name for p in body.params), outer, strict=True)), prims)
    seeds = []
    for j in carried:
        if j in cotangents:
            seed = summed_adjoint(builder, None, cotangents[j], anonymous=True)
            if body_shapes is not None:  # (a cotangent that merely broadcasts: np.sum(h) gives a scalar)
                seed = builder.exact(seed, body_shapes[body.params[it + j].var.name])
            seeds.append(seed)
        else:
            seeds.append(_zero(builder, body_shapes and body_shapes[body.params[it + j].var.name]))
    vjp = _body_vjp(builder, body, carried, free_active, body_shapes, prims, it, sweep)
    # An outer variable the body reads only where no derivative flows (a bound in a
    # comparison) needs no accumulator.
    nc = len(carried)
    flowing = [n for n, r in enumerate(vjp.results[nc:]) if not (isinstance(r, Const) and r.value == 0)]
    free_active = [free_active[n] for n in flowing]
    vjp = replace(vjp, results=vjp.results[:nc] + tuple(vjp.results[nc + n] for n in flowing))
    return _adjoint_loop(builder, eqn, body, vjp, carried, free_active, seeds, body_shapes, terms, active)


def _freshen(eqns, mapping: dict, names) -> tuple:
    """`eqns` with every variable they define renamed fresh (and those in `mapping`
    as it says), the bodies of nested loops too; adds the new names to `mapping`."""
    def m(atom):
        return mapping.get(atom.name, atom) if isinstance(atom, Var) else atom

    fresh = []
    for eqn in eqns:
        params = eqn.params
        if eqn.prim == "loop":
            body = dict(params)["body"]
            free = len(eqn.args) - loop_layout(dict(params)["kind"])[0] - dict(params)["carried"]
            inner = dict(mapping)
            for param in body.params[:len(body.params) - free]:
                inner[param.var.name] = Var(names.fresh(param.var.name))
            for param, arg in zip(body.params[len(body.params) - free:], eqn.args[len(eqn.args) - free:],
                                  strict=True):
                inner[param.var.name] = m(arg)  # a free variable keeps the name of its argument
            body = Func(body.name, tuple(Param(inner[p.var.name]) for p in body.params),
                        _freshen(body.body, inner, names),
                        tuple(inner.get(r.name, r) if isinstance(r, Var) else r for r in body.results),
                        body.loc)
            params = tuple((key, body if key == "body" else value) for key, value in params)
        out = mapping.setdefault(eqn.out.name, Var(names.fresh(eqn.out.name), eqn.out.temp, eqn.out.made))
        fresh.append(Eqn(out, eqn.prim, tuple(map(m, eqn.args)), eqn.ns, params, eqn.loc,
                         tuple((m(c), p) for c, p in eqn.guard)))
    return tuple(fresh)


def _zero(builder: Builder, shape):
    return builder.zeros(shape=shape) if shape else Const(0.0)


def _body_vjp(builder: Builder, body: Func, carried: list, free_active: list, shapes, prims,
              it: int, sweep) -> Func:
    """The body's VJP: its parameters and a cotangent per active carried result, to
    the cotangents of the active carried inputs and active free variables."""
    k = len(body.results)
    sub = Builder(builder.names, prims, fallback_ns=builder.fallback_ns,
                  shapes=dict(shapes) if shapes is not None else None)
    cbars = [Var(builder.names.fresh(f"{body.params[it + j].var.name}_bar")) for j in carried]
    terms: dict[str, list] = {}
    for cbar, j in zip(cbars, carried, strict=True):
        if shapes is not None:
            sub.shapes[cbar.name] = shapes[body.params[it + j].var.name]
        result = body.results[j]
        if isinstance(result, Var):
            terms.setdefault(result.name, []).append((cbar, None, ()))
    wrt = tuple(it + j for j in carried) + tuple(it + k + i for i in free_active)
    replaced: dict[str, list] = {}
    sweep(sub, body.body, terms, active_vars(body, wrt, prims), prims, replaced)
    sub.guard = ()
    grads = tuple(gradient_of(sub, body.params[p].var, terms) for p in wrt)
    vjp = Func(f"{body.name}_vjp", body.params + tuple(Param(c) for c in cbars),
               expand(body.body, replaced) + tuple(sub.eqns), grads, body.loc)
    return simplify(vjp, prims)


def _buffers_read_elsewhere(builder, eqn, body, vjp, skip: int, it) -> tuple[Func, list]:
    """`vjp` reading the slots of buffers written slot by slot from the buffer after the
    loop or before it, not from a tape (write_once.py); the variables it reads them from."""
    reads = buffer_reads(eqn, body, it)
    sources: dict[tuple, Var] = {}
    for where, j in sorted(set(reads.values())):
        init = eqn.args[skip + j]
        if where == "initial" and not isinstance(init, Var):
            return vjp, []
        sources[(where, j)] = builder.pick(eqn.out, index=j) if where == "final" else init
    if not reads:
        return vjp, []
    body_eqns = tuple(e.with_args((sources[reads[e.out.name]], *e.args[1:])) if e.out.name in reads else e
                      for e in vjp.body)
    return replace(vjp, body=body_eqns), list(dict.fromkeys(sources.values()))


def _adjoint_loop(builder, eqn, body, vjp, carried, free_active, seeds, shapes, terms, active) -> list:
    k = len(body.results)
    skip, it = loop_layout(dict(eqn.params)["kind"])
    names = builder.names
    vjp, elsewhere = _buffers_read_elsewhere(builder, eqn, body, vjp, skip, it)
    reads = {a.name for e in vjp.body for a in e.reads if isinstance(a, Var)}
    reads |= {r.name for r in vjp.results if isinstance(r, Var)}
    recorded = [p for p in range(it + k) if body.params[p].var.name in reads] or [0]
    free_names = {p.var.name for p in body.params[it + k:]}
    # The adjoint loop runs in the same scope as the forward one: fresh names for
    # everything it defines, nested loops included, so it overwrites nothing the
    # forward sweep still needs.
    mapping = {p.var.name: Var(names.fresh(p.var.name)) for p in vjp.params if p.var.name not in free_names}
    eqns = list(_freshen(vjp.body, mapping, names))

    def m(atom):
        return mapping.get(atom.name, atom) if isinstance(atom, Var) else atom

    nc = len(carried)
    accumulators = [Var(names.fresh(f"{eqn.args[skip + k + i].name}_bar")) for i in free_active]
    step = Builder(names, builder.prims, fallback_ns=builder.fallback_ns,
                   shapes=dict(shapes) if shapes is not None else None)
    if shapes is not None:
        for var, original in mapping.items():
            if var in shapes:
                step.shapes[original.name] = shapes[var]
        # A carried value's cotangent has its shape (the body may hand it on unchanged:
        # `y = y * decay + shift` gives shift's cotangent y's).
        for cbar, j in zip(vjp.params[len(body.params):], carried, strict=True):
            step.shapes[mapping[cbar.var.name].name] = shapes[body.params[it + j].var.name]
        for acc, i in zip(accumulators, free_active, strict=True):
            step.shapes[acc.name] = builder.shape(eqn.args[skip + k + i])
        for e in eqns:
            step.shapes.setdefault(e.out.name, ())
    sums = [step.add(acc, m(r)) for acc, r in zip(accumulators, vjp.results[nc:], strict=True)]
    iteration = [mapping[body.params[p].var.name] for p in recorded]
    cotangents = [mapping[p.var.name] for p in vjp.params[len(body.params):]]
    outer = [p.var for p in body.params[it + k:] if p.var.name in reads]
    outer += [v for v in elsewhere if v not in outer]
    adjoint_body = Func(f"{body.name}_adjoint", tuple(Param(v) for v in (*iteration, *cotangents, *accumulators, *outer)),
                        tuple(eqns) + tuple(step.eqns), tuple(m(r) for r in vjp.results[:nc]) + tuple(sums), body.loc)
    tape = Var(names.fresh("tape"))
    recording = Eqn(eqn.out, eqn.prim, eqn.args, eqn.ns, eqn.params + (("record", tuple(recorded)),),
                    eqn.loc, eqn.guard)
    tape_eqn = Eqn(tape, "pick", (eqn.out,), "op", (("index", "tape"),), eqn.loc, eqn.guard)
    if builder.shapes is not None:
        everything = [()] * it + [builder.shape(a) for a in eqn.args[skip:skip + k]]
        builder.shapes[tape.name] = Shapes(everything[p] for p in recorded)
    zeros = [_zero(builder, builder.shapes and builder.shape(eqn.args[skip + k + i])) for i in free_active]
    adjoint = builder.emit("loop", tape, *seeds, *zeros, *outer, body=adjoint_body,
                           carried=nc + len(free_active), kind="tape")
    for index, j in enumerate(carried):
        init = eqn.args[skip + j]
        if isinstance(init, Var) and init.name in active:
            terms.setdefault(init.name, []).append((builder.pick(adjoint, index=index), None, eqn.guard))
    for index, i in enumerate(free_active, start=nc):
        free = eqn.args[skip + k + i]
        terms.setdefault(free.name, []).append((builder.pick(adjoint, index=index), None, eqn.guard))
    return [recording, tape_eqn]
