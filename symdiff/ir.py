"""The intermediate representation: a Wengert list of named intermediates.

A `Func` is a straight list of equations `out = prim(args)`, one primitive per
equation, over atoms (`Var` and `Const`), followed by the returned atoms.

Branches stay in this flat form: an equation carries a guard, the conditions
under which it runs (`((c, True),)` for the body of `if c:`, `((c, False),)`
for its else), and a `cond` equation `y = cond(c, a, b)` merges the value a
name has at the end of each branch (a phi node; printed `y = a if c else b`).

Invariants every pass preserves:
  * single assignment: every `Var` is a parameter or the output of exactly one
    equation, and is defined before it is used;
  * names are unique within a function and never collide with a name the
    emitted code reads from outside (modules, constants, builtins);
  * `Var.temp` marks derivative temporaries the emitter may inline; source names
    and the lowered letters `a, b, c, ...` are kept in the output;
  * guards nest: an equation reads only variables whose guard is a prefix of
    its own, except `cond`, which reads the values of its two branches; a
    guarded variable is read nowhere else. Equations of one guard need not be
    contiguous.

`format_ir` prints a function the way the lecture notes write it; `evaluate_ir`
runs it, so the output of every pass can be tested by running it.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field
from typing import Union

from .errors import Loc


@dataclass(frozen=True)
class Var:
    """A named value. `temp` marks derivative temporaries (`t0, t1, ...`)."""

    name: str
    temp: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Const:
    """A constant. `label` is how the source spelled it (`math.pi`, `LAMBDA`)."""

    value: object
    label: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.label or repr(self.value)

    @property
    def folds(self) -> bool:
        """Whether the value may be folded: a literal or a library constant
        (`math.pi`), not a module-level name the user may rebind (`LAMBDA`)."""
        return self.label is None or "." in self.label


Atom = Union[Var, Const]


def atom_key(atom: Atom) -> tuple:
    """A hashable identity that tells 1, 1.0 and True apart (for value numbering)."""
    if isinstance(atom, Var):
        return ("var", atom.name)
    if not atom.folds:
        return ("name", atom.label)
    value = atom.value
    return ("const", type(value).__name__, repr(value))


@dataclass(frozen=True)
class Eqn:
    """`out = prim(*args)`, spelled in library `ns` ('op', 'math', 'numpy', 'builtins').

    `params` holds static (non-differentiated) arguments as (key, value) pairs;
    `loc` is the source position the equation was lowered from; `guard` the
    conditions under which it runs: (condition atom, polarity) pairs, outermost
    first.
    """

    out: Var
    prim: str
    args: tuple[Atom, ...]
    ns: str = "op"
    params: tuple[tuple[str, object], ...] = ()
    loc: Loc | None = field(default=None, compare=False)
    guard: tuple[tuple[Atom, bool], ...] = ()

    def with_args(self, args, out: Var | None = None, guard=None) -> Eqn:
        """The same equation on other arguments (and output, guard); cheaper than `replace`."""
        return Eqn(out or self.out, self.prim, tuple(args), self.ns, self.params, self.loc,
                   self.guard if guard is None else guard)

    @property
    def reads(self) -> tuple[Atom, ...]:
        """Every atom the equation needs: its arguments and its guard's conditions."""
        return self.args + tuple(c for c, _ in self.guard)


@dataclass(frozen=True)
class Param:
    """A parameter of the function: its variable, kind and optional default."""

    var: Var
    kind: str = "positional"  # 'posonly', 'positional' or 'kwonly'
    default: Const | None = None


@dataclass(frozen=True)
class Func:
    """A lowered function.

    Attributes:
        name: the generated function's name (`f`, `grad_f`, ...).
        params: the parameters, in source order.
        body: the equations, in evaluation order.
        results: the returned atoms (one for `return y`, several for a tuple;
            a generated function may group them: (value, (x_bar, y_bar))).
        loc: where the source function is defined.
        modules: (namespace, alias) pairs the emitted code may use, e.g. ('numpy', 'np').
        reserved: names the emitted code reads from outside; never bound inside.
        doc: a one-line docstring for the emitted function.
    """

    name: str
    params: tuple[Param, ...]
    body: tuple[Eqn, ...]
    results: tuple[Atom, ...]
    loc: Loc
    modules: tuple[tuple[str, str], ...] = ()
    reserved: frozenset[str] = frozenset()
    doc: str = ""

    @property
    def param_vars(self) -> tuple[Var, ...]:
        return tuple(p.var for p in self.params)

    def __str__(self) -> str:
        return format_ir(self)

    def __repr__(self) -> str:
        return f"<symdiff IR {self.name}: {len(self.body)} equations>\n{format_ir(self)}"


class NameAllocator:
    """Hands out deterministic fresh names that avoid every taken name.

    `letter()` gives the lecture's `a, b, c, ...` (then `a1, b1, ...`), `temp()`
    gives `t0, t1, ...`, and `fresh(base)` gives `base`, `base_1`, `base_2`, ...
    """

    def __init__(self, taken=(), avoid=()):
        self.taken = set(taken)
        self.avoid = set(avoid)  # claimable only by their own name via fresh()
        self._letters = (
            f"{c}{n or ''}" for n in itertools.count() for c in string.ascii_lowercase
        )
        self._temps = (f"t{n}" for n in itertools.count())

    @classmethod
    def for_func(cls, func: Func) -> NameAllocator:
        names = set(func.reserved)
        blocks = [func]
        while blocks:  # the function and its loops' bodies, which print into the same scope
            block = blocks.pop()
            names.update(p.var.name for p in block.params)
            names.update(e.out.name for e in block.body)
            blocks += [dict(e.params)["body"] for e in block.body if e.prim == "loop"]
        return cls(names)

    def _take(self, name: str) -> str:
        self.taken.add(name)
        return name

    def fresh(self, base: str) -> str:
        if not base.isidentifier():  # a name symdiff made (`broke@12`): it must avoid the user's
            base = base.partition("@")[0]
            return self._take(next(name for name in itertools.chain(
                [base], (f"{base}_{n}" for n in itertools.count(1))) if self._free(name)))
        if base not in self.taken:
            return self._take(base)
        return self._take(next(f"{base}_{n}" for n in itertools.count(1) if self._free(f"{base}_{n}")))

    def _free(self, name: str) -> bool:
        return name not in self.taken and name not in self.avoid

    def letter(self) -> str:
        return self._take(next(n for n in self._letters if self._free(n)))

    def temp(self) -> str:
        return self._take(next(n for n in self._temps if self._free(n)))


class Builder:
    """Appends equations to a list; `b.exp(x)`, `b.mul(g, y)` build one each.

    Python numbers given as arguments become `Const`s. Every equation built gets a
    fresh temporary name unless `name=` is given. `ns` is the library derivative
    code should call (the one the differentiated equation used), `fallback_ns`
    the one used where `ns` has no spelling for a primitive.
    """

    def __init__(self, names: NameAllocator, prims, ns="math", fallback_ns="math", loc=None,
                 shapes: dict | None = None):
        self.names = names
        self.prims = prims
        self.ns = ns
        self.fallback_ns = fallback_ns
        self.loc = loc
        self.shapes = shapes  # name -> shape, kept up to date, when shapes are known
        self.guard: tuple = ()  # the guard of the equations built now
        self.eqns: list[Eqn] = []
        self.defined: dict[str, Eqn] = {}  # output name -> the equation built for it

    def emit(self, prim: str, *args, name: str | None = None, **params) -> Var:
        """`prim(*args, **params)` as a new equation; its output (named `name`)."""
        row = self.prims[prim]
        args = tuple(map(as_atom, args))
        ns = self._spelling_ns(row)
        if ns is None and row.expand is not None:
            return row.expand(self, *args)
        out = Var(name, temp=False) if name else Var(self.names.temp(), temp=True)
        params = tuple(params.items())
        self.eqns.append(Eqn(out, prim, args, ns or "numpy", params, self.loc, self.guard))
        self.defined[out.name] = self.eqns[-1]
        if self.shapes is not None:
            self.shapes[out.name] = row.result_shape([self.shape(a) for a in args], params)
        return out

    def shape(self, atom) -> tuple:
        """The shape of `atom` (only where shapes are known); a number's is ()."""
        if isinstance(atom, Var):
            return self.shapes[atom.name]
        return tuple(getattr(atom.value if isinstance(atom, Const) else atom, "shape", ()))

    def fit(self, g, shape: tuple):
        """Sum `g` over the axes along which a value of `shape` was broadcast.

        Axes where `g` has length 1 and `shape` does not are left alone: NumPy
        broadcasting restores them where `g` is used.
        """
        have = self.shape(g)
        lead = len(have) - len(shape)
        if lead > 0 and not shape:  # everything: np.sum(g)
            return self.emit("sum", g)
        if lead > 0:
            g = self.emit("sum", g, axis=tuple(range(lead)) if lead > 1 else 0)
            have = have[lead:]
        offset = len(shape) - len(have)
        axes = tuple(i for i, n in enumerate(have) if n != 1 and shape[i + offset] == 1)
        if axes:
            g = self.emit("sum", g, axis=axes if len(axes) > 1 else axes[0], keepdims=True)
        return g

    def exact(self, g, shape: tuple):
        """`g` broadcast to exactly `shape` (a read-only view where it differs)."""
        return g if self.shape(g) == tuple(shape) else self.emit("broadcast_to", g, shape=tuple(shape))

    def _spelling_ns(self, row) -> str | None:
        for ns in ("op", self.ns, self.fallback_ns, "builtins"):
            if ns in row.spelling:
                return ns
        return None

    def __getattr__(self, prim: str):
        if prim.startswith("_") or prim not in self.prims:
            raise AttributeError(prim)
        return lambda *args, **kw: self.emit(prim, *args, **kw)


def flat_results(results) -> tuple[Atom, ...]:
    """The atoms of `results`, where groups may nest: (value, (x_bar, y_bar))."""
    out: list[Atom] = []
    for r in results:
        out.extend(flat_results(r) if isinstance(r, tuple) else (r,))
    return tuple(out)


def as_atom(x) -> Atom:
    return x if isinstance(x, (Var, Const)) else Const(x)


# ---------------------------------------------------------------- printing

def format_atom(atom: Atom) -> str:
    if isinstance(atom, Const) and atom.label is None and isinstance(atom.value, float):
        return repr(atom.value) if atom.value >= 0 else f"({atom.value!r})"
    return str(atom)


def format_eqn(eqn: Eqn, prims=None) -> str:
    """`c = a + b`, `b = exp(a)`: infix for operators, the primitive's name otherwise."""
    prims = prims or _default_prims()
    row = prims[eqn.prim]
    args = [format_atom(a) for a in eqn.args]
    if eqn.prim == "cond":
        return f"{eqn.out} = {args[1]} if {args[0]} else {args[2]}"
    if eqn.prim == "call":
        return f"{eqn.out} = {dict(eqn.params)['callee']!r}({', '.join(args)})"
    if eqn.prim == "attr":
        return f"{eqn.out} = {'.'.join((args[0], *dict(eqn.params)['path']))}"
    if eqn.prim == "pick":
        return f"{eqn.out} = {args[0]}.{'tape' if dict(eqn.params)['index'] == 'tape' else dict(eqn.params)['index']}"
    if row.infix and len(args) == 2:
        rhs = f"{args[0]}{row.infix}{args[1]}" if row.infix == "**" else f"{args[0]} {row.infix} {args[1]}"
    elif row.infix and len(args) == 1:
        rhs = f"{row.infix} {args[0]}" if row.infix.isalpha() else f"{row.infix}{args[0]}"
    else:
        extra = [f"{k}={v!r}" for k, v in eqn.params]
        rhs = f"{eqn.prim}({', '.join(args + extra)})"
    return f"{eqn.out} = {rhs}"


def format_ir(func: Func, prims=None) -> str:
    """The equations one per line, guarded ones under `if c:` / `else:` headers;
    a `return` line unless the last equation is returned."""
    lines, open_guard = [], ()
    for eqn in func.body:
        keep = 0
        while keep < min(len(open_guard), len(eqn.guard)) and open_guard[keep] == eqn.guard[keep]:
            keep += 1
        for depth in range(keep, len(eqn.guard)):
            cond, polarity = eqn.guard[depth]
            same_test = depth < len(open_guard) and depth == keep and open_guard[depth][0] == cond
            header = "else:" if same_test and not polarity else f"if {'' if polarity else 'not '}{format_atom(cond)}:"
            lines.append("    " * depth + header)
        open_guard = eqn.guard
        text = _format_loop(eqn, prims) if eqn.prim == "loop" else format_eqn(eqn, prims)
        lines += ["    " * len(eqn.guard) + line for line in text.splitlines()]
    last = func.body[-1].out if func.body and not func.body[-1].guard else None
    if len(func.results) != 1 or func.results[0] != last:
        lines.append("return " + ", ".join(_format_result(r) for r in func.results))
    return "\n".join(lines)


def format_program(func: Func, prims=None) -> str:
    """`format_ir` of `func`, then of each function it calls (`def sigmoid(z):` and its
    equations), each once."""
    parts, seen, pending = [format_ir(func, prims)], set(), [func]
    while pending:
        for eqn in all_eqns(pending.pop()):
            callee = dict(eqn.params).get("callee") if eqn.prim == "call" else None
            if callee is not None and id(callee) not in seen:
                seen.add(id(callee))
                pending.append(callee.func)
                params = ", ".join(p.var.name for p in callee.func.params)
                lines = format_ir(callee.func, prims).splitlines()
                if not lines or not lines[-1].startswith("return "):  # (a def says what it returns)
                    lines.append("return " + ", ".join(_format_result(r) for r in callee.func.results))
                parts.append(f"def {callee!r}({params}):\n" + "\n".join("    " + line for line in lines))
    return "\n\n".join(parts)


def all_eqns(func: Func):
    for eqn in func.body:
        yield eqn
        if eqn.prim == "loop":
            yield from all_eqns(dict(eqn.params)["body"])


def loop_leading_args(kind: str) -> int:
    """How many arguments of a `loop` equation of `kind` come before the carried values'
    initial values (loops.py): a range's start, stop and step, a tape, or none (while)."""
    return {"range": 3, "while": 0}.get(kind, 1)


def _format_loop(eqn: Eqn, prims) -> str:
    """`y, s = x, 0.0` / `for i in range(0, n, 1):` / the body / `y, s = y_1, s_1`."""
    params = dict(eqn.params)
    body, k, kind = params["body"], params["carried"], params["kind"]
    rest = eqn.args[loop_leading_args(kind):]
    count = len(body.params) - len(rest)
    names = [format_atom(p.var) for p in body.params]
    lines = []
    if k:
        lines.append(f"{', '.join(names[count:count + k])} = {', '.join(map(format_atom, rest[:k]))}")
    if params.get("record"):
        lines.append(f"{eqn.out}.tape = []")
    if kind == "while":
        lines.append(f"while {names[count + params['cond']]}:")
    else:
        iterable = f"range({', '.join(map(format_atom, eqn.args[:3]))})" if kind == "range" else \
            f"reversed({format_atom(eqn.args[0])})"
        lines.append(f"for {', '.join(names[:count])} in {iterable}:")
    if params.get("record"):
        lines.append(f"    {eqn.out}.tape.append({', '.join(names[j] for j in params['record'])})")
    inner = [e for e in format_ir(body, prims).splitlines() if not e.startswith("return ")]
    lines += ["    " + line for line in inner]
    if k:
        lines.append(f"    {', '.join(names[count:count + k])} = {', '.join(map(format_atom, body.results))}")
    return "\n".join(lines)


def _format_result(result) -> str:
    if isinstance(result, tuple):
        return "(" + ", ".join(map(_format_result, result)) + ")"
    return format_atom(result)


# ---------------------------------------------------------------- evaluation

def evaluate_ir(func: Func, *args, prims=None):
    """Run `func` on concrete arguments; returns one value or a tuple of them."""
    prims = prims or _default_prims()
    env = dict(zip((p.name for p in func.param_vars), args, strict=True))

    def read(atom):
        return env[atom.name] if isinstance(atom, Var) else atom.value

    for eqn in func.body:
        if not all(bool(read(c)) == polarity for c, polarity in eqn.guard):
            continue  # (a branch not taken)
        if eqn.prim == "cond":  # only the branch taken has a value
            env[eqn.out.name] = read(eqn.args[1] if read(eqn.args[0]) else eqn.args[2])
        elif short_circuits(eqn, read):  # `a and b` with a false: b may not have a value
            env[eqn.out.name] = bool(read(eqn.args[0]))
        else:
            impl = prims[eqn.prim].impl(eqn.ns)
            env[eqn.out.name] = impl(*map(read, eqn.args), **dict(eqn.params))

    def gather(result):
        return tuple(map(gather, result)) if isinstance(result, tuple) else read(result)

    values = gather(func.results)
    return values[0] if len(values) == 1 else values


def short_circuits(eqn: Eqn, read) -> bool:
    """Whether `eqn` is `a and b` with a false or `a or b` with a true: its value is `a`,
    and `b`, computed only where it matters (under a guard), may have none, as in Python."""
    if eqn.prim not in ("and", "or"):
        return False
    return bool(read(eqn.args[0])) == (eqn.prim == "or")


def _default_prims():
    from .primitives import PRIMS

    return PRIMS
