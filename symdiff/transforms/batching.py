"""Batching: derivative code that takes many tangents (or cotangents) at once.

Input: a generated derivative (`ir.Func`, array code whose shapes are known), the
names of the parameters to batch, and the batch size B. Output: the same function
where each of those parameters, and every value computed from them, carries a
leading axis of length B: entry k along it is what the function computes for the
k-th tangent. So one call of the batched forward-mode code along the B = n unit
vectors gives all n columns of a Jacobian, and the primal values, which do not
depend on the tangents, are computed once rather than once per column: the
Hessian is the batched tangent of the gradient code (forward over reverse), with
tangents carried as a matrix.

It is JAX's `vmap` over a straight list, done on the IR once per shape: each
equation reading a batched value becomes the equation that maps it over the new
axis. Elementwise operations broadcast (a batched operand gets the unit axes that
line it up with the result); reductions, transposes, reshapes, indices, joins and
einsum move their axes past the new one; `A @ x` with only x batched becomes
`x @ A.T`. Where no rule is known (a loop, a call to a helper, a factorization of a
batched matrix), `NotBatched` says which equation; the caller then falls back to
one call per tangent (jacobians.py), which is always available.

The batched code returns the derivatives alone: its callers (a Jacobian, a Hessian)
discard the function's value, so the equations only it reads (in a Hessian: the
gradient's value) are dropped.
"""

from __future__ import annotations

import string

import numpy as np

from ..analysis import infer_shapes, result_shape
from ..builder import Builder
from ..errors import UnsupportedSyntaxError
from ..ir import Eqn, Func, NameAllocator, Var
from ..primitives import PRIMS
from .simplify import dead_code

_FULL = ("slice", None, None, None)
_NEW = ("none",)  # (an index template's entry for None: a unit axis)


class NotBatched(UnsupportedSyntaxError):
    """No batching rule for an equation (internal: the caller calls once per tangent)."""


def batched(func: Func, names, size: int, shapes: dict, prims=PRIMS) -> Func:
    """`func` with the parameters `names` (and what depends on them) batched along a new
    leading axis of `size` entries, given the parameters' shapes (unbatched).

    `func` returns (values, derivatives), as jvp and vjp code does; the batched function
    returns the derivatives alone, batched (one that does not depend on the batched
    parameters, a zero, is broadcast to the batch).
    """
    known = infer_shapes(func, shapes, prims)  # (unbatched)
    actual = dict(known)
    for name in names:
        actual[name] = (size,) + tuple(known[name])
    builder = Builder(NameAllocator.for_func(func), prims, ns="numpy", fallback_ns="numpy", shapes=actual)
    state = _State(builder, size, known, set(names), {}, {p.var.name: () for p in func.params})
    for eqn in func.body:
        state.eqn(eqn)
    builder.guard = ()

    def result(atom, batch: bool):
        if isinstance(atom, tuple):
            return tuple(result(a, batch) for a in atom)
        new = state.atom(atom)
        if batch and not state.batched_atom(new):
            return state.broadcast(new, state.primal(new))
        return new

    results = result(func.results[1], True)
    results = results if isinstance(results, tuple) else (results,)
    doc = f"The derivatives of {func.name} for {size} tangents at once, along the first axis of {', '.join(names)}."
    made = Func(func.name, func.params, tuple(builder.eqns), results, func.loc, func.modules, func.reserved, doc)
    return dead_code(made, prims)


class _State:
    def __init__(self, builder, size, known, batched, renamed, guards):
        self.b, self.size, self.known, self.batched, self.renamed, self.guards = \
            builder, size, known, batched, renamed, guards

    # ---------------------------------------------------------------- atoms

    def atom(self, atom):
        return self.renamed.get(atom.name, atom) if isinstance(atom, Var) else atom

    def batched_atom(self, atom) -> bool:
        return isinstance(atom, Var) and atom.name in self.batched

    def primal(self, atom) -> tuple:
        """The unbatched shape of (an original or new) atom."""
        if isinstance(atom, Var):
            shape = self.b.shapes[atom.name]
            return tuple(shape[1:]) if atom.name in self.batched else tuple(shape)
        return tuple(getattr(atom.value, "shape", ()))

    def new(self, prim, args, ns="numpy", guard=None, **params) -> Var:
        """A new batched equation (its result batched)."""
        b = self.b
        saved = b.guard
        if guard is not None:
            b.guard = guard
        out = Var(b.names.temp(), temp=True)
        params = tuple(params.items())
        b.eqns.append(Eqn(out, prim, tuple(args), ns, params, b.loc, b.guard))
        b.shapes[out.name] = result_shape(prim, [b.shape(a) for a in args], params, b.prims)
        b.guard = saved
        self.batched.add(out.name)
        return out

    def lined_up(self, atom, rank: int, guard=None):
        """A batched atom with unit axes after the batch axis, so that it has `rank` axes
        besides the batch and broadcasts against a result of that rank."""
        shape = self.primal(atom)
        if not self.batched_atom(atom) or len(shape) >= rank:
            return atom
        return self.new("getitem", (atom,), guard=guard, index=(_FULL,) + (_NEW,) * (rank - len(shape)))

    def broadcast(self, atom, shape: tuple, guard=None):
        """`atom` (batched or not) as a batched value of exactly `shape` (unbatched)."""
        atom = self.lined_up(atom, len(shape), guard)
        want = (self.size,) + tuple(shape)
        have = self.b.shape(atom) if isinstance(atom, Var) else ()
        if have == want:
            return atom
        return self.new("broadcast_to", (atom,), guard=guard, shape=want)

    def writable(self, atom, shape: tuple):
        """A batched array of `shape` the code may write into."""
        if self.batched_atom(atom):
            return atom
        return self.new("copy", (self.broadcast(atom, shape),))

    # ---------------------------------------------------------------- equations

    def eqn(self, eqn: Eqn) -> None:
        args = tuple(self.atom(a) for a in eqn.args)
        if any(self.batched_atom(c) for c, _ in eqn.guard):
            raise NotBatched(eqn.loc, "a branch on a batched value")
        if not any(self.batched_atom(a) for a in args):
            copied = eqn.with_args(args)
            self.b.eqns.append(copied)
            self.b.shapes[eqn.out.name] = self.known[eqn.out.name]
            self.guards[eqn.out.name] = eqn.guard
            return
        self.b.guard, self.b.loc = eqn.guard, eqn.loc
        rule = _RULES.get(eqn.prim)
        if rule is None:
            rule = _elementwise if self.b.prims[eqn.prim].elementwise else None
        if rule is None:
            raise NotBatched(eqn.loc, f"no batching rule for {eqn.prim}")
        out = rule(self, eqn, args, **dict(eqn.params))
        self.guards[eqn.out.name] = eqn.guard
        self._name(eqn.out, out)

    def _name(self, old: Var, out) -> None:
        """The rule's result under the equation's own name where it built it last."""
        b = self.b
        last = b.eqns[-1] if b.eqns else None
        if isinstance(out, Var) and out.temp and last is not None and last.out == out:
            b.eqns[-1] = Eqn(old, last.prim, last.args, last.ns, last.params, last.loc, last.guard)
            b.shapes[old.name] = b.shapes.pop(out.name)
            self.batched.discard(out.name)
            self.batched.add(old.name)
            return
        self.renamed[old.name] = out


# ---------------------------------------------------------------- rules

def _namespace(state, eqn) -> str:
    row = state.b.prims[eqn.prim]
    if eqn.ns in ("op", "numpy", "scipy"):
        return eqn.ns
    if "numpy" in row.spelling:  # (math.exp of an array: NumPy's)
        return "numpy"
    raise NotBatched(eqn.loc, f"{eqn.ns}.{eqn.prim} has no NumPy spelling")


def _elementwise(state, eqn, args, **params):
    rank = len(state.known[eqn.out.name])
    lined = [state.lined_up(a, rank) for a in args]
    return state.new(eqn.prim, lined, _namespace(state, eqn), **params)


def _cond(state, eqn, args):
    c, a, b = args
    if state.batched_atom(c):
        raise NotBatched(eqn.loc, "a choice made by a batched value")
    shape = state.known[eqn.out.name]

    def branch(atom, original):
        guard = state.guards.get(original.name, eqn.guard) if isinstance(original, Var) else eqn.guard
        return state.broadcast(atom, shape, guard)

    return state.new("cond", (c, branch(a, eqn.args[1]), branch(b, eqn.args[2])), eqn.ns)


def _shift(axis, rank: int):
    """An axis (or tuple of axes) of an array of `rank` axes, counted past the batch axis."""
    if isinstance(axis, tuple):
        return tuple(_shift(a, rank) for a in axis)
    return axis + 1 if axis >= 0 else axis


def _reduction(state, eqn, args, axis=None, **params):
    x, = args
    rank = len(state.primal(x))
    axis = tuple(range(1, rank + 1)) if axis is None else _shift(axis, rank)
    return state.new(eqn.prim, (x,), axis=axis, **params)


def _transpose(state, eqn, args, axes=None):
    x, = args
    rank = len(state.primal(x))
    axes = tuple(range(rank - 1, -1, -1)) if axes is None else tuple(a % rank for a in axes)
    return state.new("transpose", (x,), axes=(0,) + tuple(a + 1 for a in axes))


def _reshape(state, eqn, args, shape=None):
    return state.new("reshape", args, shape=(state.size,) + tuple(state.known[eqn.out.name]))


def _broadcast_to(state, eqn, args, shape=None):
    return state.broadcast(args[0], tuple(state.known[eqn.out.name]))


def _expand_dims(state, eqn, args, axis=None):
    rank = len(state.known[eqn.out.name])
    axes = axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(a % rank + 1 for a in axes)
    return state.new("expand_dims", args, axis=axes if isinstance(axis, tuple) else axes[0])


def _same(state, eqn, args, **params):
    """An operation that maps each entry on its own along the batch (a copy)."""
    return state.new(eqn.prim, args, eqn.ns if eqn.ns != "math" else "numpy", **params)


def _checked_index(state, eqn, arrays, index) -> tuple:
    """`index` with a full slice for the batch axis first; refused where NumPy would move
    the batch axis (index arrays not next to each other put their axes first)."""
    if any(state.batched_atom(a) for a in arrays):
        raise NotBatched(eqn.loc, "an index computed from a batched value")
    shapes = [state.primal(a) for a in arrays]
    advanced = [i for i, e in enumerate(index) if e[0] == "arg" and shapes[e[1]] != ()]
    if advanced:
        spots = [i for i, e in enumerate(index) if e[0] == "int" or (e[0] == "arg" and i in advanced)]
        if spots != list(range(spots[0], spots[-1] + 1)):
            raise NotBatched(eqn.loc, "index arrays apart from each other")
    return (_FULL,) + tuple(index)


def _getitem(state, eqn, args, index=()):
    x, *arrays = args
    if not state.batched_atom(x):
        raise NotBatched(eqn.loc, "an index computed from a batched value")
    return state.new("getitem", args, index=_checked_index(state, eqn, arrays, index))


def _place(state, shape, arrays, index) -> tuple:
    return state.b.prims["getitem"].shape(tuple(shape), *(state.primal(a) for a in arrays), index=index)


def _scatter_add(state, eqn, args, index=(), shape=(), distinct=False):
    g, *arrays = args
    full = _checked_index(state, eqn, arrays, index)
    g = state.lined_up(g, len(_place(state, shape, arrays, index)))
    return state.new("scatter_add", (g, *arrays), index=full, shape=(state.size,) + tuple(shape),
                     distinct=distinct)


def _write(state, eqn, args, index=()):
    x, v, *arrays = args
    full = _checked_index(state, eqn, arrays, index)
    shape = state.known[eqn.out.name]
    x = state.writable(x, shape)
    v = state.lined_up(v, len(_place(state, shape, arrays, index)))
    return state.new(eqn.prim, (x, v, *arrays), index=full)


def _matmul(state, eqn, args, **params):
    a, b = args
    ra, rb = len(state.primal(a)), len(state.primal(b))
    if ra == 0 or rb == 0:  # np.dot of a number: a product
        return _elementwise(state, Eqn(eqn.out, "mul", eqn.args, "op", (), eqn.loc, eqn.guard), args)
    if eqn.prim == "dot" and (ra > 2 or rb > 2):
        raise NotBatched(eqn.loc, "np.dot of a stack of matrices")
    size, out = state.size, tuple(state.known[eqn.out.name])
    if ra == rb == 1:  # a dot product; of two batched vectors, entry by entry
        if state.batched_atom(a) and state.batched_atom(b):
            return state.new("sum", (state.new("mul", (a, b), "op"),), axis=-1)
        return state.new("matmul", (a, b) if state.batched_atom(a) else (b, a), "op")
    if rb == 1 and state.batched_atom(b):
        if ra == 2 and not state.batched_atom(a):  # A @ x, x batched: x @ A.T
            return state.new("matmul", (b, state.b.transpose(a)), "op")
        column = state.new("reshape", (b,), shape=(size,) + (1,) * (ra - 2) + (state.primal(b)[0], 1))
        return state.new("reshape", (state.new("matmul", (a, column), "op"),), shape=(size,) + out)
    if ra == 1 and state.batched_atom(a):  # x @ B, x batched, B a stack: each x as a row
        row = state.new("reshape", (a,), shape=(size,) + (1,) * (rb - 2) + (1, state.primal(a)[0]))
        return state.new("reshape", (state.new("matmul", (row, b), "op"),), shape=(size,) + out)
    # (matrices: NumPy's matmul broadcasts over the leading axes, the batch axis first)
    return state.new("matmul", (state.lined_up(a, len(out)), state.lined_up(b, len(out))), "op")


def _tensordot(state, eqn, args, axes=2):
    a, b = args
    ra, rb = len(state.primal(a)), len(state.primal(b))
    if state.batched_atom(a) and state.batched_atom(b):
        raise NotBatched(eqn.loc, "a tensordot of two batched arrays")
    if isinstance(axes, int):
        axes = (tuple(range(ra - axes, ra)), tuple(range(axes)))
    left, right = (tuple(int(i) % r for i in np.atleast_1d(x)) for x, r in zip(axes, (ra, rb)))
    if state.batched_atom(a):  # (a's free axes come first, the batch axis first of them)
        return state.new("tensordot", args, axes=(tuple(i + 1 for i in left), right))
    product = state.new("tensordot", args, axes=(left, tuple(i + 1 for i in right)))
    free = ra - len(left)  # (the batch axis comes after a's free axes: move it first)
    rank = free + 1 + rb - len(right)
    return state.new("transpose", (product,), axes=(free,) + tuple(i for i in range(rank) if i != free))


def _tile(state, eqn, args, reps=None):
    x, = args
    reps = tuple(np.atleast_1d(reps).tolist())
    rank = max(len(state.primal(x)), len(reps))
    return state.new("tile", (state.lined_up(x, rank),), reps=(1,) * (1 + rank - len(reps)) + reps)


def _repeat(state, eqn, args, repeats=None, axis=None):
    rank = len(state.primal(args[0]))
    if axis is None and rank != 1:
        raise NotBatched(eqn.loc, "repeat of a flattened array")
    return state.new("repeat", args, repeats=repeats, axis=_shift(0 if axis is None else axis, rank))


def _roll(state, eqn, args, shift=None, axis=None):
    rank = len(state.primal(args[0]))
    if axis is None and rank != 1:
        raise NotBatched(eqn.loc, "roll of a flattened array")
    return state.new("roll", args, shift=shift, axis=_shift(0 if axis is None else axis, rank))


def _pad(state, eqn, args, pad_width=None, **params):
    rank = len(state.primal(args[0]))
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (rank, 2)).tolist()
    return state.new("pad", args, pad_width=((0, 0),) + tuple(map(tuple, widths)), **params)


def _diag(state, eqn, args, k=0):
    x, = args
    shape = state.primal(x)
    if len(shape) == 2:  # its diagonal
        return state.new("diagonal", (x,), offset=k, axis1=1, axis2=2)
    if k != 0:
        raise NotBatched(eqn.loc, "np.diag of a vector off the diagonal")
    column = state.new("reshape", (x,), shape=(state.size,) + shape + (1,))
    return state.new("mul", (column, state.b.eye(N=shape[0])), "op")


def _outer(state, eqn, args):
    """np.outer(a, b) as a[:, :, None] * b[:, None, :] (a vector's; else flattened first)."""
    a, b = args
    m, n = state.known[eqn.out.name]
    a, b = (x if len(state.primal(x)) == 1 else state.new("reshape", (x,), shape=(state.size, size))
            if state.batched_atom(x) else state.b.reshape(x, shape=(size,)) for x, size in ((a, m), (b, n)))
    left = state.new("getitem", (a,), index=(_FULL, _FULL, _NEW)) if state.batched_atom(a) \
        else state.b.getitem(a, index=(_FULL, _NEW))
    right = state.new("getitem", (b,), index=(_FULL, _NEW)) if state.batched_atom(b) else b
    return state.new("mul", (left, right), "op")


def _join(state, eqn, args, axis=0):
    if axis is None:
        raise NotBatched(eqn.loc, "a join of flattened arrays")
    parts = [state.broadcast(a, state.primal(a)) for a in args]
    return state.new(eqn.prim, parts, axis=_shift(axis, 0))


def _einsum(state, eqn, args, subscripts="", optimize=False):
    inputs, arrow, output = subscripts.replace(" ", "").partition("->")
    operands = inputs.split(",")
    if not arrow:  # (implicit output: the axes of an ellipsis, then the letters used once, in order)
        letters = "".join(operands).replace(".", "")
        output = "..." * ("..." in inputs) + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    free = next(c for c in string.ascii_letters if c not in subscripts)
    operands = [free + s if state.batched_atom(a) else s for s, a in zip(operands, args, strict=True)]
    return state.new("einsum", args, subscripts=f"{','.join(operands)}->{free}{output}", optimize=optimize)


def _diagonal(state, eqn, args, offset=0, axis1=0, axis2=1):
    rank = len(state.primal(args[0]))
    return state.new(eqn.prim, args, offset=offset, axis1=axis1 % rank + 1, axis2=axis2 % rank + 1)


def _along_axis(state, eqn, args, axis=None, **params):
    """cumsum, flip: an axis of their own (None flattens: one axis only)."""
    rank = len(state.primal(args[0]))
    if axis is None and eqn.prim == "flip":
        axis = tuple(range(rank))
    elif axis is None and rank == 1:
        axis = 0
    elif axis is None:
        raise NotBatched(eqn.loc, f"{eqn.prim} of a flattened array")
    return state.new(eqn.prim, args, axis=_shift(axis, rank), **params)


def _solve(state, eqn, args):
    a, b = args
    if state.batched_atom(a):
        raise NotBatched(eqn.loc, "a solve with a batched matrix")
    if len(state.primal(b)) == 1:  # A x_k = b_k for each k: A X = B with B's columns b_k
        columns = state.new("transpose", (b,))
        return state.new("transpose", (state.new("solve", (a, columns)),))
    return state.new("solve", (a, b))


def _triangle(state, eqn, args, **params):
    if len(state.primal(args[0])) != 2:
        raise NotBatched(eqn.loc, f"{eqn.prim} of a vector")
    return state.new(eqn.prim, args, **params)


_RULES = {
    "cond": _cond, "sum": _reduction, "mean": _reduction, "transpose": _transpose, "reshape": _reshape,
    "broadcast_to": _broadcast_to, "expand_dims": _expand_dims, "copy": _same, "asarray": _same,
    "getitem": _getitem, "scatter_add": _scatter_add, "setitem": _write, "additem": _write,
    "matmul": _matmul, "dot": _matmul, "outer": _outer, "concatenate": _join, "stack": _join,
    "einsum": _einsum, "tensordot": _tensordot, "tile": _tile, "repeat": _repeat, "roll": _roll,
    "pad": _pad, "diag": _diag, "diagonal": _diagonal, "trace": _diagonal, "cumsum": _along_axis,
    "flip": _along_axis, "solve": _solve, "tril": _triangle, "triu": _triangle, "where": _elementwise,
    "zeros_like": _same, "ones_like": _same,
}
