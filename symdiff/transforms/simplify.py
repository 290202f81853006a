"""Simplify: an `ir.Func` to an equivalent, smaller one, run to a fixed point.

Each round, in one forward walk:
  * constant folding: a primitive of constants becomes a constant (unless it
    raises or gives inf/nan, which is left to happen at run time); module-level
    names (`LAMBDA`) are read at run time, so they are never folded;
  * algebraic identities: `x*1`, `x+0`, `x/1`, `x**1` -> `x`; `0*x` -> 0;
    `-(-x)` -> `x`; `x + (-y)` -> `x - y`; `x * (-y)` -> `-(x*y)`; `g * (1/y)` ->
    `g / y`; signs into constants and differences, `-(c*w)` -> `(-c)*w`, and
    `x + 0*w` -> `x` given shapes (signs.py). An identity that would change a value's type (`1.0 * (x > 0)` is
    a float, `x > 0` a bool) is not applied;
  * common-subexpression elimination by value numbering (commutative
    arguments sorted), except of new arrays (np.zeros, ...): two of them stay two,
    so that each may be updated in place (backend/inplace.py);
  * copy propagation: an equation that reduces to an existing atom disappears
    and its uses read that atom; a temporary that stands for a named value
    (`x_bar`) takes the name;
then dead-code elimination from the results.

Guarded equations (branches, see ir.py) are simplified like the others; a
value is reused only where it was computed under a prefix of the reader's
guard, a branch whose condition folds to a constant is kept or dropped, and a
`cond` of a constant condition, or of one value twice, is that value.

The output computes the same results as the input (up to floating-point
reassociation, which no rule performs) and keeps the IR invariants.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..analysis import const_kind, eqn_kind, infer_shapes
from ..errors import SymdiffError
from ..ir import Const, Eqn, Func, NameAllocator, Param, Var, atom_key, evaluate_eqn, flat_results, loop_leading_args
from ..primitives import PRIMS
from .signs import negated_multiple, negated_multiple_minus, swapped_difference, zero_term
from .zerosum import one_per_row, sums_to_zero

MAX_ROUNDS = 50  # every rule shrinks or canonicalizes; the bound only guards against a cycle


FRESH = frozenset({"zeros", "ones", "zeros_like", "ones_like", "full", "eye"})  # new arrays


def simplify(func: Func, prims=PRIMS, floats=None, sure=(), shapes=None) -> Func:
    """Simplify `func` to a fixed point.

    The parameters named in `floats` (all of them by default) are taken to hold
    floats, which lets `1.0 * x` become `x`; the others may be ints (a function's
    `n` that is not differentiated), so `1.0 * n` stays a float (`float(n)` where n
    is surely a Python int). Values derived from them get their kinds from the
    primitive table. Those named in `sure` (differentiated parameters, cotangents)
    surely hold floats: an int literal meeting a value derived from them becomes a
    float (`2.0 * x`), which would turn a range bound or an index into a float if
    it were taken from `floats`, a guess. Given the parameters' `shapes` (array code),
    a term `0 * w` that does not widen the sum it is added to is dropped.
    """
    floats = {p.var.name for p in func.params} if floats is None else set(floats)
    for _ in range(MAX_ROUNDS):
        new = dead_code(_rewrite(func, prims, floats, set(sure), shapes), prims)
        if new == func:
            break
        func = new
    return new


class _Round:
    """One forward walk: substitutions, definitions, kinds and value numbers so far."""

    def __init__(self, func: Func, prims, floats: set, sure: set, shapes=None):
        self.prims = prims
        self.shapes = _known_shapes(func, shapes, prims)  # (of the variables this round reads)
        self.sub: dict[str, object] = {}
        self.defs: dict[str, Eqn] = {}
        self.kinds = {p.var.name: "float" if p.var.name in floats else "any" for p in func.params}
        self.sure = {p.var.name: "float" if p.var.name in sure else "any" for p in func.params}
        self.values: dict[tuple, Var] = {}
        self.rename: dict[str, Var] = {}  # a temporary -> the named value it stands for
        self.body: list[Eqn] = []
        self.names = NameAllocator.for_func(func)
        self.consumers: dict[str, set] = {}  # name -> (primitive, output) of each equation reading it
        for eqn in func.body:
            for arg in eqn.args:
                if isinstance(arg, Var):
                    self.consumers.setdefault(arg.name, set()).add((eqn.prim, eqn.out.name))
        self.returned = {r.name for r in flat_results(func.results) if isinstance(r, Var)}
        self.broadcasting: dict[str, bool] = {}

    def broadcast_only(self, var: Var) -> bool:
        """Whether every use of `var` broadcasts it, and every use of what those compute
        does too, up to the results (whose shapes are restored): then a scalar may stand
        in for it (not where a scalar would reach np.concatenate through np.sin)."""
        return var.name not in self.returned and self._broadcasts(var.name)

    def _broadcasts(self, name: str) -> bool:
        if name not in self.broadcasting:
            self.broadcasting[name] = all(
                self.prims[prim].elementwise and (out in self.returned or self._broadcasts(out))
                for prim, out in self.consumers.get(name, ()))
        return self.broadcasting[name]

    def temp(self) -> Var:
        return Var(self.names.temp(), temp=True)

    def read(self, atom):
        return self.sub.get(atom.name, atom) if isinstance(atom, Var) else atom

    def kind(self, atom):
        return self.kinds.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    def surely(self, atom):
        """The kind of `atom` as far as it follows from the parameters in `sure`."""
        return self.sure.get(atom.name, "any") if isinstance(atom, Var) else const_kind(atom.value)

    def keeps_type(self, x, unit) -> bool:
        """Whether `x op unit` has x's type, so that it may be replaced by x."""
        kx, ku = self.kind(x), self.kind(unit)
        if kx == "float":
            return True
        return kx in ("int", "any") and ku in ("bool", "int")

    def defn(self, atom, prim: str):
        """The equation defining `atom` if it applies `prim`."""
        eqn = self.defs.get(atom.name) if isinstance(atom, Var) else None
        return eqn if eqn is not None and eqn.prim == prim else None

    def add(self, eqn: Eqn):
        guard = ()
        if eqn.guard:
            guard = tuple((self.read(c), polarity) for c, polarity in eqn.guard)
            if any(isinstance(c, Const) and c.folds and bool(c.value) != p for c, p in guard):
                return  # a branch that never runs; its values are read only by a folded cond
            guard = tuple((c, p) for c, p in guard if not (isinstance(c, Const) and c.folds))
        eqn = eqn.with_args(map(self.read, eqn.args), guard=guard)
        for _ in range(8):  # a rewrite may enable another; the outer loop catches the rest
            result = _fold(eqn, self.prims) or _identity(self, eqn)
            if isinstance(result, tuple):  # (an equation to compute first, the rewritten one)
                first, result = result
                self.add(first)
                result = result.with_args(map(self.read, result.args))
            if not isinstance(result, Eqn):
                break
            eqn = result
        if result is not None and not isinstance(result, Eqn):
            return self.copy(eqn.out, result)
        keys = [atom_key(a) for a in eqn.args]
        key = (eqn.prim, eqn.ns, eqn.params, _typed(eqn), tuple(sorted(keys) if self.prims[eqn.prim].commutative else keys))
        guards = [tuple((atom_key(c), p) for c, p in eqn.guard[:n]) for n in range(len(eqn.guard) + 1)] \
            if eqn.guard else [()]
        for guard in guards if eqn.prim not in FRESH else ():  # computed where this runs, outermost first
            if (key, guard) in self.values:
                return self.copy(eqn.out, self.values[(key, guard)])
        self.values[(key, guards[-1])] = eqn.out
        self.defs[eqn.out.name] = eqn
        self.kinds[eqn.out.name] = self.result_kind(eqn)
        self.sure[eqn.out.name] = eqn_kind(eqn, [self.surely(a) for a in eqn.args])
        self.body.append(eqn)

    def result_kind(self, eqn: Eqn):
        """The kind of `eqn`'s result; for a call returning several, a tuple of them."""
        return eqn_kind(eqn, [self.kind(a) for a in eqn.args])

    def copy(self, out: Var, atom):
        self.sub[out.name] = atom
        if isinstance(atom, Var) and atom.temp and not out.temp and atom.name not in self.rename:
            self.rename[atom.name] = out

    def finish(self, func: Func) -> Func:
        def named(atom):
            if isinstance(atom, tuple):  # a group of results
                return tuple(map(named, atom))
            atom = self.read(atom)
            if isinstance(atom, Var) and atom.name in self.rename:
                return self.rename[atom.name]
            return atom

        body = tuple(e.with_args(map(named, e.args), named(e.out),
                                 tuple((named(c), p) for c, p in e.guard)) for e in self.body)
        return replace(func, body=body, results=tuple(map(named, func.results)))


def _known_shapes(func: Func, shapes, prims) -> dict:
    """Every variable's shape given the parameters' `shapes`; {} where they are not all known."""
    if shapes is None:
        return {}
    try:
        return infer_shapes(func, shapes, prims)
    except (SymdiffError, ValueError, KeyError, TypeError):
        return {}


def _rewrite(func: Func, prims, floats: set, sure: set, shapes=None) -> Func:
    walk = _Round(func, prims, floats, sure, shapes)
    for eqn in func.body:
        walk.add(eqn)
    return walk.finish(func)


def _fold(eqn: Eqn, prims):
    if not all(isinstance(a, Const) and a.folds for a in eqn.args):
        return None
    try:
        with np.errstate(all="raise"):
            value = evaluate_eqn(eqn, [a.value for a in eqn.args], prims)
    except (ArithmeticError, ValueError, TypeError, FloatingPointError):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (bool, int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return Const(value)


def _is(atom, value) -> bool:
    return isinstance(atom, Const) and atom.folds and not isinstance(atom.value, bool) \
        and atom.value == value


def _identity(walk: _Round, eqn: Eqn):
    """An atom equal to `eqn`'s output, an equivalent equation, or None.

    A rule may also return (first, rewritten): an equation to compute first
    and the rewritten equation that reads it.
    """
    floated = _float_literals(walk, eqn)
    if floated is not None:
        return floated
    rule = _RULES.get(eqn.prim)
    return rule(walk, eqn, *eqn.args) if rule else None


def _int_literal(atom) -> bool:
    return isinstance(atom, Const) and atom.folds and not atom.label and type(atom.value) is int


def _float_literals(walk: _Round, eqn: Eqn):
    """`2 * x` as `2.0 * x` where x is a float: the same number (NumPy's too), but Python
    multiplies two floats in about half the time it takes to convert the int first."""
    if eqn.ns != "op" or eqn.prim not in ("add", "sub", "mul", "div") \
            or not any(map(_int_literal, eqn.args)) or not any(walk.surely(a) == "float" for a in eqn.args):
        return None
    return eqn.with_args(Const(float(a.value)) if _int_literal(a) else a for a in eqn.args)


def _make(eqn: Eqn, prim: str, *args) -> Eqn:
    return Eqn(eqn.out, prim, args, "op", (), eqn.loc, eqn.guard)


def _add(walk, eqn, x, y):
    if x == y and walk.kind(x) == "float":  # x + x = 2 x, exactly
        return _make(eqn, "mul", Const(2.0), x)
    for a, b in ((x, y), (y, x)):
        if zero_term(walk, eqn, a, b):
            return a
    if _is(y, 0) and walk.keeps_type(x, y):
        return x
    if _is(x, 0) and walk.keeps_type(y, x):
        return y
    if walk.defn(y, "neg"):
        return _make(eqn, "sub", x, walk.defn(y, "neg").args[0])
    if walk.defn(x, "neg"):
        return _make(eqn, "sub", y, walk.defn(x, "neg").args[0])
    return None


def _sub(walk, eqn, x, y):
    if _is(y, 0) and walk.keeps_type(x, y):
        return x
    if _is(x, 0):
        return _make(eqn, "neg", y)
    if walk.defn(y, "neg"):
        return _make(eqn, "add", x, walk.defn(y, "neg").args[0])
    if zero_term(walk, eqn, x, y):
        return x
    return negated_multiple_minus(walk, eqn, x, y)


def _mul(walk, eqn, x, y):
    swapped = swapped_difference(walk, eqn, x, y)
    if swapped is not None:
        return swapped
    for a, b in ((x, y), (y, x)):
        if _is(a, 1) and walk.keeps_type(b, a):
            return b
        # (1.0 * k with k an int stays: float(k) would be slower, and fail on an int array)
        if _is(a, 0) and walk.broadcast_only(eqn.out):  # (an array's zeros keep its shape)
            return Const(0.0)
        if _is(a, -1) and walk.keeps_type(b, a):
            return _make(eqn, "neg", b)
        scaled = walk.defn(b, "mul")
        if isinstance(a, Const) and scaled is not None and _exact_product(a, *scaled.args):
            c, x = scaled.args if isinstance(scaled.args[0], Const) else scaled.args[::-1]
            return _make(eqn, "mul", Const(a.value * c.value), x)
        if _is_power_of_two(a) and scaled is not None and not any(isinstance(x, Const) for x in scaled.args) \
                and scaled.guard == eqn.guard:
            # 2 * (lam * W) = (2 * lam) * W exactly: the constant meets the first factor,
            # often a scalar, instead of a whole array
            first = Eqn(walk.temp(), "mul", (a, scaled.args[0]), "op", (), eqn.loc, eqn.guard)
            return first, _make(eqn, "mul", first.out, scaled.args[1])
        negation = walk.defn(b, "neg")
        if negation is not None:  # a * (-b) = -(a*b)
            product = Eqn(walk.temp(), "mul", (a, negation.args[0]), "op", (), eqn.loc, eqn.guard)
            return product, _make(eqn, "neg", product.out)
        inverse = walk.defn(b, "div")  # a derivative's 1/y, not a value the source named
        if inverse is not None and inverse.out.temp and _is(inverse.args[0], 1) and eqn.ns == "op":
            return _make(eqn, "div", a, inverse.args[1])
    return None


def _exact_product(a: Const, *args) -> bool:
    """Whether a * (c * x) == (a * c) * x exactly: c constant, a or c a power of two."""
    consts = [x for x in args if isinstance(x, Const)]
    if len(consts) != 1 or not (a.folds and consts[0].folds):
        return False
    if isinstance(a.value, bool) or isinstance(consts[0].value, bool):
        return False
    return any(_power_of_two(v) for v in (a.value, consts[0].value))


def _is_power_of_two(atom) -> bool:
    return isinstance(atom, Const) and atom.folds and not isinstance(atom.value, bool) \
        and isinstance(atom.value, (int, float)) and atom.value != 0 and _power_of_two(atom.value)


def _power_of_two(value) -> bool:
    mantissa, _ = math.frexp(float(value))
    return abs(mantissa) == 0.5


def _div(walk, eqn, x, y):
    if _is(y, 1) and walk.keeps_type(x, y) and walk.kind(x) == "float":
        return x
    if _is(x, 0) and walk.broadcast_only(eqn.out):
        return Const(0.0)
    return None


def _pow(walk, eqn, x, y):
    if _is(y, 1) and walk.keeps_type(x, y):
        return x
    if _is(y, 0) and walk.broadcast_only(eqn.out):  # (an array's ones keep its shape)
        return Const(1.0)
    return None


def _neg(walk, eqn, x):
    inner = walk.defn(x, "neg")
    if inner is not None:
        return inner.args[0]
    inner = walk.defn(x, "sub")
    if inner is not None:
        return _make(eqn, "sub", inner.args[1], inner.args[0])
    return negated_multiple(walk, eqn, x)


def _transpose(walk, eqn, x):
    if eqn.params:
        return None
    inner = walk.defn(x, "transpose")
    if inner is not None and not inner.params:  # (x.T).T = x
        return inner.args[0]
    product = walk.defn(x, "matmul")
    if product is None or not (product.out.temp or eqn.out.temp):
        return None  # a value the function computes: NumPy's product in another order rounds differently
    # (A B)^T = B^T A^T, taken only where it cancels a transpose: (P^T B)^T = B^T P.
    a, b = (_untransposed(walk, arg) for arg in product.args)
    if a is None and b is None:
        return None
    if a is not None and b is not None:
        return _make(eqn, "matmul", b, a)
    first = Eqn(walk.temp(), "transpose", (product.args[1] if a is not None else product.args[0],),
                "numpy", (), eqn.loc, eqn.guard)
    return (first, _make(eqn, "matmul", first.out, a)) if a is not None else \
        (first, _make(eqn, "matmul", b, first.out))


def _untransposed(walk, atom):
    inner = walk.defn(atom, "transpose")
    return inner.args[0] if inner is not None and not inner.params else None


def _sum(walk, eqn, x):
    if walk.broadcast_only(eqn.out) and sums_to_zero(x, eqn.params, walk):
        return Const(0.0)  # e.g. the gradient reaching softmax's max shift
    if walk.broadcast_only(eqn.out) and one_per_row(walk, x, dict(eqn.params)):
        return walk.defn(x, "scatter_add").args[0]  # each row holds the one value scattered into it
    negation = walk.defn(x, "neg")
    if negation is None:
        return None
    # sum(-x) = -sum(x): negate the smaller, reduced array
    total = Eqn(walk.temp(), "sum", negation.args, eqn.ns, eqn.params, eqn.loc, eqn.guard)
    return total, _make(eqn, "neg", total.out)


def _cond(walk, eqn, c, a, b):
    if isinstance(c, Const) and c.folds:
        return a if c.value else b
    if atom_key(a) == atom_key(b):
        return a
    return None


def _typed(eqn) -> tuple:
    """The types of an array constructor's parameters, which equality ignores: np.arange(2)
    (ints) is no np.arange(2.0) (floats)."""
    return tuple(type(v).__name__ for _, v in eqn.params) if eqn.prim == "arange" else ()


def _where(walk, eqn, c, a, b):
    """np.where of a constant condition is the operand it picks, where the other is a
    number (then it adds no axes): the guard of x**y's slope with y a constant."""
    if isinstance(c, Const) and c.folds and np.ndim(c.value) == 0:
        kept, dropped = (a, b) if c.value else (b, a)
        if isinstance(dropped, Const) and np.ndim(dropped.value) == 0:
            return kept
    return None


def _pick(walk, eqn, loop):
    """A loop's carried value its body never changes (an adjoint's seed, passed through an
    inner loop) is its initial value."""
    made, j = walk.defn(loop, "loop"), dict(eqn.params)["index"]
    if made is None or j == "tape":
        return None
    params = dict(made.params)
    body, rest = params["body"], made.args[loop_leading_args(params["kind"]):]
    it = len(body.params) - len(rest)
    if j == params.get("cond") or j == params.get("stop") or body.results[j] != body.params[it + j].var:
        return None
    return rest[j]


def _loop(walk, eqn, *args):
    """A loop given a number as a free variable (an adjoint's seed, once an outer loop
    stopped carrying it) with that number in its body, folded there (`1.0 * 4.0`)."""
    params = dict(eqn.params)
    body, count = params["body"], params["carried"]
    skip = loop_leading_args(params["kind"])
    rest = args[skip:]
    it = len(body.params) - len(rest)
    fixed = {j for j in range(count, len(rest)) if isinstance(rest[j], Const) and rest[j].folds}
    if not fixed:
        return None
    mapping = {body.params[it + j].var.name: rest[j] for j in fixed}
    kept = [j for j in range(len(rest)) if j not in fixed]
    new_body = _substituted(body, body.params[:it] + tuple(body.params[it + j] for j in kept), body.results,
                            mapping, walk.prims)
    new_params = tuple((key, new_body if key == "body" else value) for key, value in eqn.params)
    return Eqn(eqn.out, eqn.prim, args[:skip] + tuple(rest[j] for j in kept), eqn.ns, new_params, eqn.loc,
               eqn.guard)


_RULES = {"cond": _cond, "where": _where, "add": _add, "sub": _sub, "mul": _mul, "div": _div, "pow": _pow, "neg": _neg,
          "transpose": _transpose, "sum": _sum, "pick": _pick, "loop": _loop}


def dead_code(func: Func, prims=PRIMS) -> Func:
    """`func` without the equations its results do not read (in loop bodies too), and
    its loops without the carried values nothing after them reads (a constant one,
    such as an adjoint's seed 1.0, becomes a constant of the body, simplified again)."""
    live = {r.name for r in flat_results(func.results) if isinstance(r, Var)}
    kept = []
    picked: dict[str, set] = {}  # loop -> the indices of its picks that are kept
    for eqn in reversed(func.body):
        if eqn.out.name in live:
            if eqn.prim == "pick":
                picked.setdefault(eqn.args[0].name, set()).add(dict(eqn.params)["index"])
            if eqn.prim == "loop":
                eqn, moved = _pruned_loop(eqn, picked.get(eqn.out.name, set()), prims)
                if moved:  # renumber the picks read after it
                    kept = [replace(e, params=(("index", moved[dict(e.params)["index"]]),))
                            if e.prim == "pick" and e.args[0] == eqn.out and dict(e.params)["index"] != "tape"
                            else e for e in kept]
                if _recountable(eqn):  # a tape of the index alone: the range itself, reversed
                    kept = [Eqn(e.out, "range", eqn.args[:3], "op", (), e.loc, e.guard)
                            if e.prim == "pick" and e.args[0] == eqn.out and dict(e.params)["index"] == "tape"
                            else e for e in kept]
                    live.update(a.name for a in eqn.args[:3] if isinstance(a, Var))
                    if not dict(eqn.params)["carried"]:
                        continue
                    eqn = replace(eqn, params=tuple((k, () if k == "record" else v) for k, v in eqn.params))
                eqn = replace(eqn, params=tuple((k, dead_code(v, prims) if k == "body" else v)
                                                for k, v in eqn.params))
            kept.append(eqn)
            live.update(a.name for a in eqn.reads if isinstance(a, Var))
    return replace(func, body=tuple(reversed(kept)))


def _recountable(eqn: Eqn) -> bool:
    """Whether a loop records the index alone on its tape and runs its whole range (no
    break): then the adjoint can count the index itself."""
    params = dict(eqn.params)
    return params["kind"] == "range" and params.get("record") == (0,) and params.get("stop") is None


def _pruned_loop(eqn: Eqn, picked: set, prims) -> tuple[Eqn, dict | None]:
    """The loop without the carried values that no pick reads and that no value still
    carried (nor its condition, break flag or tape) needs; with the new index of each
    carried value kept, or None if none is dropped."""
    params = dict(eqn.params)
    body, count, kind = params["body"], params["carried"], params["kind"]
    skip = loop_leading_args(kind)
    rest = eqn.args[skip:]
    it = len(body.params) - len(rest)  # the iteration's own parameters: index, or tape entry
    record = params.get("record", ())
    needed = {j for j in picked if j != "tape"} | {p - it for p in record if p >= it}
    needed |= {params[key] for key in ("cond", "stop") if params.get(key) is not None}
    while True:  # what the needed results read, back through the body
        live = {body.results[j].name for j in needed if isinstance(body.results[j], Var)}
        for inner in reversed(body.body):
            if inner.out.name in live:
                live.update(a.name for a in inner.reads if isinstance(a, Var))
        grown = needed | {j for j in range(count) if body.params[it + j].var.name in live}
        if grown == needed:
            break
        needed = grown
    # a value the body never changes (an adjoint's constant seed) is no carried value
    unchanged = {j for j in needed - set(picked) - {p - it for p in record}
                 if body.results[j] == body.params[it + j].var
                 and j not in {params.get("cond"), params.get("stop")}}
    needed -= unchanged
    if len(needed) == count:
        return eqn, None
    keep = sorted(needed)
    moved = {j: n for n, j in enumerate(keep)}
    frees, free_args = list(body.params[it + count:]), list(rest[count:])
    mapping = {}
    for j in sorted(unchanged):
        init = rest[j]
        mapping[body.params[it + j].var.name] = init
        if isinstance(init, Var) and all(p.var.name != init.name for p in frees):
            frees.append(Param(Var(init.name)))  # (a free variable is named as the outer one)
            free_args.append(init)
    new_body = _substituted(body, body.params[:it] + tuple(body.params[it + j] for j in keep) + tuple(frees),
                            [body.results[j] for j in keep], mapping, prims)
    changed = {"body": new_body, "carried": len(keep), "record": tuple(
        p if p < it else it + moved[p - it] for p in record)}
    changed.update({key: moved[params[key]] for key in ("cond", "stop") if params.get(key) is not None})
    new_params = tuple((key, changed.get(key, value)) for key, value in eqn.params)
    args = eqn.args[:skip] + tuple(rest[j] for j in keep) + tuple(free_args)
    return Eqn(eqn.out, eqn.prim, args, eqn.ns, new_params, eqn.loc, eqn.guard), moved


def _substituted(body: Func, params, results, mapping: dict, prims) -> Func:
    """A loop's `body` with those `params` and `results`, reading `mapping[name]` for each
    parameter `name` it maps; simplified again where a number came in (1.0 * 100.0 folds)."""
    new_body = replace(body, params=tuple(params), body=tuple(_renamed(e, mapping) for e in body.body),
                       results=tuple(_renamed_atom(r, mapping) for r in results))
    if any(isinstance(value, Const) for value in mapping.values()):
        new_body = simplify(new_body, prims, floats=())  # (assuming no parameter holds floats)
    return new_body


def _renamed_atom(atom, mapping: dict):
    return mapping.get(atom.name, atom) if isinstance(atom, Var) else atom


def _renamed(eqn: Eqn, mapping: dict) -> Eqn:
    """`eqn` reading `mapping[name]` wherever it read `name` (a nested loop: its arguments)."""
    if not mapping:
        return eqn
    return eqn.with_args((_renamed_atom(a, mapping) for a in eqn.args),
                         guard=tuple((_renamed_atom(c, mapping), p) for c, p in eqn.guard))
