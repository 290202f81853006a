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
from .primitives import PRIMS


@dataclass(frozen=True)
class Var:
    """A named value. `temp` marks derivative temporaries (`t0, t1, ...`), `made` the
    other names symdiff made rather than took from the source: the lecture's `a, b, ...`
    for an unnamed intermediate, and adjoints `x_bar` (the emitter may write such a value
    inline in array code, backend/inlining.py)."""

    name: str
    temp: bool = field(default=False, compare=False)
    made: bool = field(default=False, compare=False)

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
        """The same equation on other arguments (and output, guard); cheaper than `replace`,
        and itself where nothing changes (simplification asks for that most of the time)."""
        args = tuple(args)
        if (out is None or out is self.out) and (guard is None or guard == self.guard) \
                and len(args) == len(self.args) and all(a is b for a, b in zip(args, self.args)):
            return self
        return Eqn(out or self.out, self.prim, args, self.ns, self.params, self.loc,
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
    row = (prims or PRIMS)[eqn.prim]
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


# ---------------------------------------------------------------- structured nodes

class Callee:
    """A user function the generated code calls: its IR, emitted once as its own def.

    `y = call(*args, callee=C)` runs C.func on the arguments; a helper returning several
    values is read by `pick`s, like a loop. Compared by identity: each way a helper is
    called is lowered once and shared by its call sites, so equal calls are recognised
    without comparing bodies.
    """

    __slots__ = ("func", "vjps")

    def __init__(self, func: Func):
        self.func = func
        self.vjps: dict = {}  # (wrt, seeded, shapes, prims id) -> the VJP's Callee

    def __repr__(self) -> str:
        return self.func.name


def run_loop(args, body: Func, carried: int, kind: str, record=(), run_body=None, cond=None,
             decide=bool, stop=None):
    """A loop equation's outputs (see `loop_leading_args` for its arguments): its carried
    values, then the tape if it records one.

      * kind 'range': args are (start, stop, step, *inits, *free); the body's parameters
        are (index, *carried, *free) and its results the carried values at the end of
        the iteration; `record` lists the body's parameters appended to a tape each
        iteration (for the adjoint);
      * kind 'while': args are (*inits, *free); the carried value `cond` (an index) is
        the loop's condition, computed before the loop and at the end of each iteration;
      * `stop`: the index of the carried flag a break sets; the loop ends after it;
      * kind 'tape': args are (tape, *inits, *free), the body's parameters (*recorded,
        *carried, *free), run over the tape's entries in reverse order.

    `run_body` runs the body (symbolic execution runs it on SymPy values) and `decide`
    gives a condition's truth value (symbolic execution decides it at a point).
    """
    run_body = run_body or (lambda *values: _as_tuple(evaluate_ir(body, *values)))
    if kind == "range":
        first, last, step = (int(a) for a in args[:3])
        rest = args[3:]
        entries = ((i,) for i in range(first, last, step))
    elif kind == "while":
        rest = args
        entries = while_iterations(lambda: decide(state[cond]))
    else:
        rest = args[1:]
        entries = (e if isinstance(e, tuple) else (e,) for e in reversed(args[0]))  # (a range: indices)
    state, free = list(rest[:carried]), list(rest[carried:])
    tape = []
    for entry in entries:
        if record:
            everything = (*entry, *state)
            tape.append(tuple(everything[j] for j in record))
        state = list(run_body(*entry, *state, *free))
        if stop is not None and decide(state[stop]):  # (a break: the rest would do nothing)
            break
    return (*state, tape) if record else tuple(state)


WHILE_LIMIT = 10_000  # iterations after which evaluating a while loop in the IR gives up (never hang;
# verify samples points where the loop may not end: each such point costs this many)


def while_iterations(holds):
    """One () per iteration while `holds()`; ArithmeticError past `WHILE_LIMIT`."""
    count = 0
    while holds():
        count += 1
        if count > WHILE_LIMIT:
            raise ArithmeticError(f"a while loop ran {WHILE_LIMIT} times without ending here")
        yield ()


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


# ---------------------------------------------------------------- evaluation

def evaluate_eqn(eqn: Eqn, args: list, prims=PRIMS):
    """The value of `eqn` on the values `args` of its arguments: a primitive as its row
    evaluates it, a loop, a call, a pick or a range as this module does."""
    params = dict(eqn.params)
    if eqn.prim == "loop":
        return run_loop(args, **params)
    if eqn.prim == "call":
        return evaluate_ir(params["callee"].func, *args, prims=prims)
    if eqn.prim == "pick":
        return args[0][-1] if params["index"] == "tape" else args[0][params["index"]]
    if eqn.prim == "range":
        return range(*args)
    return prims[eqn.prim].impl(eqn.ns)(*args, **params)


def evaluate_ir(func: Func, *args, prims=PRIMS):
    """Run `func` on concrete arguments; returns one value or a tuple of them."""
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
            env[eqn.out.name] = evaluate_eqn(eqn, list(map(read, eqn.args)), prims)

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
