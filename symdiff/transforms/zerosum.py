"""Proving that a sum along an axis is identically zero.

Softmax and log-softmax do not change when a constant is added along the class
axis, so the gradient reaching the shift of `S - np.max(S, axis=1,
keepdims=True)` is `-sum(S_bar, axis=1)`, which is zero in exact arithmetic:
`sum(logp_bar - sum(logp_bar) / d * c) = sum(logp_bar) - sum(logp_bar) / d * d`
with `d = sum(c)`. `sums_to_zero` proves such identities by expanding the
summand into terms `k * v` where `k` is constant along the axis, replacing
`sum(k * v)` by `k * sum(v)`, and expanding every factor into a polynomial
(with negative powers) over opaque values: the identity holds when every
coefficient cancels exactly. Anything it cannot expand makes it answer False.
"""

from __future__ import annotations

from ..ir import Const, Var, atom_key

LIMIT = 64  # terms: beyond this, give up rather than spend time


def sums_to_zero(x, params, walk) -> bool:
    """Whether `sum(x, **params)` (keepdims=True) is identically zero."""
    axis = dict(params).get("axis")
    if axis is None or not dict(params).get("keepdims"):
        return False
    try:
        total = _sum_of(x, params, axis, walk)
    except _GiveUp:
        return False
    return all(c == 0.0 for c in total.values())


class _GiveUp(Exception):
    pass


def _const_along(atom, axis, walk) -> bool:
    if isinstance(atom, Const):
        return True
    eqn = walk.defs.get(atom.name)
    if eqn is None:
        return False
    params, row = dict(eqn.params), walk.prims[eqn.prim]
    if row.reduction:
        return params.get("keepdims") is True and params.get("axis") == axis
    # an elementwise function of values constant along the axis is constant along it
    return row.elementwise and all(_const_along(a, axis, walk) for a in eqn.args)


def _sum_of(x, params, axis, walk) -> dict:
    """sum(x) along the axis as a polynomial over opaque values."""
    total: dict = {}
    for coefficient, varying in _terms(x, axis, walk, depth=0):
        if isinstance(varying, Var) and one_per_row(walk, varying, dict(params)):
            scattered = walk.defs[varying.name].args[0]  # one value per row: its sum is the value
            _add(total, _times(coefficient, {(): float(scattered.value)}))
            continue
        reduced = walk.values.get((("sum", "numpy", params, (), (atom_key(varying),)), ()))  # unguarded
        token = reduced if reduced is not None else ("sum of", atom_key(varying))
        _add(total, _times(coefficient, {((_key(token), 1),): 1.0}))
    return total


def one_per_row(walk, x, params) -> bool:
    """Whether `x` is a value scattered to exactly one entry of every row (the adjoint of
    logp[np.arange(n), labels]) and `params` sum it along the rows, keeping dimensions."""
    scattered = walk.defn(x, "scatter_add")
    if scattered is None or not isinstance(scattered.args[0], Const):
        return False
    spec = dict(scattered.params)
    index, shape = spec["index"], spec["shape"]
    if len(shape) != 2 or params.get("axis") not in (1, -1) or not params.get("keepdims") \
            or len(index) != 2 or index[0][:2] != ("arg", 0) or index[1][:2] != ("arg", 1):
        return False
    rows = walk.defn(scattered.args[1], "arange")
    bounds = dict(rows.params) if rows is not None else {}
    return rows is not None and not rows.args and bounds.get("start", 0) == 0 \
        and bounds.get("step", 1) == 1 and bounds.get("stop") == shape[0]


def _terms(x, axis, walk, depth):
    """x as a list of (polynomial constant along the axis, varying value)."""
    if depth > 16:
        raise _GiveUp
    eqn = walk.defs.get(x.name) if isinstance(x, Var) else None
    if eqn is not None and eqn.prim in ("add", "sub"):
        left = _terms(eqn.args[0], axis, walk, depth + 1)
        right = _terms(eqn.args[1], axis, walk, depth + 1)
        if eqn.prim == "sub":
            right = [(_times(k, {(): -1.0}), v) for k, v in right]
        return left + right
    if eqn is not None and eqn.prim == "neg":
        return [(_times(k, {(): -1.0}), v) for k, v in _terms(eqn.args[0], axis, walk, depth + 1)]
    if eqn is not None and eqn.prim == "mul":
        for k, v in (eqn.args, eqn.args[::-1]):
            if _const_along(k, axis, walk) and not _const_along(v, axis, walk):
                factor = _expand(k, walk, depth + 1)
                return [(_times(factor, c), w) for c, w in _terms(v, axis, walk, depth + 1)]
    if _const_along(x, axis, walk):
        raise _GiveUp  # a constant summed along the axis: its count would matter
    return [({(): 1.0}, x)]


def _expand(atom, walk, depth) -> dict:
    """An atom constant along the axis as a polynomial (negative powers allowed)."""
    if depth > 16:
        raise _GiveUp
    if isinstance(atom, Const):
        return {(): float(atom.value)}
    eqn = walk.defs.get(atom.name)
    if eqn is None or eqn.prim not in ("mul", "div", "neg", "add", "sub"):
        return {((_key(atom), 1),): 1.0}
    parts = [_expand(a, walk, depth + 1) for a in eqn.args]
    if eqn.prim == "neg":
        return _times(parts[0], {(): -1.0})
    if eqn.prim == "mul":
        return _times(*parts)
    if eqn.prim == "div":
        return _times(parts[0], _inverse(parts[1]))
    result = dict(parts[0])
    _add(result, parts[1] if eqn.prim == "add" else _times(parts[1], {(): -1.0}))
    return result


def _key(atom):
    return atom if isinstance(atom, tuple) else atom_key(atom)


def _times(a: dict, b: dict) -> dict:
    result: dict = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            powers = dict(ma)
            for base, power in mb:
                powers[base] = powers.get(base, 0) + power
            monomial = tuple(sorted((k, p) for k, p in powers.items() if p))
            result[monomial] = result.get(monomial, 0.0) + ca * cb
    if len(result) > LIMIT:
        raise _GiveUp
    return result


def _inverse(a: dict) -> dict:
    if len(a) != 1:
        raise _GiveUp  # 1 / (sum of terms): not a polynomial
    (monomial, coefficient), = a.items()
    if coefficient == 0:
        raise _GiveUp
    return {tuple((k, -p) for k, p in monomial): 1.0 / coefficient}


def _add(total: dict, more: dict):
    for monomial, coefficient in more.items():
        total[monomial] = total.get(monomial, 0.0) + coefficient
