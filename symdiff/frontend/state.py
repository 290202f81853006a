"""The state of lowering one function, and the operations every construct uses on it.

Lowering is a set of module-level functions, one file per construct, each taking
a `Lowering` as its first argument `st`. The state is three small dataclasses,
grouped by who shares them:

    Unit      the module the generated code will be: shared by every lowering for
              one function to differentiate (its helpers, inlined or lowered on
              their own), and the `Grammar` through which constructs recurse
    Code      the equations being written and what is known of them (value
              numbers, shapes, the guard, the names taken): shared by a function
              and the functions inlined into it; a loop body gets equations and
              value numbers of its own, and shares the names and shapes
    Lowering  one function's own bindings: its source, its names' values, the
              names it has unbound, the call stack that reached it

The operations here are the ones every construct needs: `bind` a name, `emit` an
equation (value numbered: a subexpression that occurs twice is computed once,
where the code that computed it runs), a value's `shape`, a located `error`, and
`expr` / `statement` / `statements` / `results`, which lower a node of any kind
through the grammar lower.py builds from its dispatch tables. The modules of the
constructs sit below lower.py and import only downward; the grammar is how they
recurse into one another without importing it.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..analysis import result_shape
from ..errors import ShapeError, UnsupportedSyntaxError
from ..ir import Const, Eqn, Func, NameAllocator, Var, atom_key, flat_results
from ..primitives import PRIMS
from .parse import Source
from .values import DictValue, ListValue, LocalFunction, ObjectValue, RunningList, is_atom

# Names generated code may read from outside: never bound by generated code.
OUTSIDE = frozenset({"math", "np", "numpy", "scipy", "float", "int", "abs", "max", "min", "round", "pow",
                     "type", "_check_arguments"})  # (the last two: backend/arguments.py)


class NeedsShapes(Exception):
    """A loop builds a list over a length that only the arguments' shapes tell: the
    function is array code, lowered again with the shapes at its first call."""

    def __init__(self, bounds):
        super().__init__()
        self.bounds = bounds


@dataclass(frozen=True)
class Grammar:
    """How a node of each kind is lowered (lower.py): each function takes the state first."""

    expr: Callable        # (st, node, name) -> an atom, or a value of values.py
    statement: Callable   # (st, stmt) -> None
    statements: Callable  # (st, body, node) -> the results of a body that ends in a return
    results: Callable     # (st, value, node) -> the results of `return value`


@dataclass
class Unit:
    """What all the lowerings for one function to differentiate write into: the module."""

    grammar: Grammar
    top_lookup: Callable  # the scope of the generated code: that of the function differentiated
    modules: dict[str, str] = field(default_factory=dict)  # namespace -> the alias the code imports
    outside: set[str] = field(default_factory=lambda: set(OUTSIDE))  # names the code reads from outside
    rules: dict = field(default_factory=dict)  # the custom derivative rules called (primitives/custom.py)


@dataclass
class Code:
    """The equations being written, and what is known of them."""

    names: NameAllocator
    shapes: dict | None  # variable -> shape, where the arguments' shapes are known (array code)
    eqns: list[Eqn] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # (computation, guard) -> the variable holding it
    guard: tuple = ()  # the guard of the equations lowered now (see ir.py)
    trees: dict | None = None  # container parameter -> (trees.Tree, its leaves' shapes); None: no container
    # variable -> the atoms whose memory it may share (a view's base, a merge's values,
    # a loop's initial value): an update in place through one changes the others (aliases.py)
    origins: dict = field(default_factory=dict)


@dataclass
class Lowering:
    """The state of lowering one function's body (see the module docstring)."""

    src: Source
    unit: Unit
    code: Code
    result_name: str | None  # the name a single returned value takes
    call_stack: tuple  # the keys of the user functions being lowered, outermost first
    env: dict = field(default_factory=dict)  # source name -> an atom, or a value of values.py
    unbound: dict[str, str] = field(default_factory=dict)  # names bound in one branch or a loop: why
    callees: dict = field(default_factory=dict)  # the helpers lowered on their own, by how they are called
    unpacked: list = field(default_factory=list)  # the names a call's values are unpacked into
    returned_shapes: dict = field(default_factory=dict)  # the shape each value returned in a loop had


def begin(src: Source, shapes: dict | None, grammar: Grammar, trees: dict | None = None) -> Lowering:
    """The state for lowering `src`, the function to differentiate (`trees`: its container
    parameters, see Code)."""
    code = _fresh_code(src, shapes)
    code.trees = trees
    return Lowering(src, Unit(grammar, src.lookup), code, _result_name(src), (src.key,))


def separately(st: Lowering, src: Source, shapes: dict | None, key) -> Lowering:
    """The state for lowering a helper on its own (calls.py): its own equations and names,
    in the same generated module, sharing the helpers lowered so far."""
    return Lowering(src, st.unit, _fresh_code(src, shapes), None, st.call_stack + (key,), callees=st.callees)


def inlined(st: Lowering, src: Source, name: str | None, env: dict, key) -> Lowering:
    """The state for lowering a helper's body in place (calls.py): its equations join
    these, a single value it returns is named `name`. It keeps its own memo of the
    helpers it lowers on their own (`callees`)."""
    return Lowering(src, st.unit, st.code, name, st.call_stack + (key,), env)


def _fresh_code(src: Source, shapes: dict | None) -> Code:
    names = NameAllocator(OUTSIDE, avoid=_names_in(src.node) | {src.name})
    return Code(names, None if shapes is None else dict(shapes))


def _result_name(src: Source) -> str | None:
    return src.name if src.name.isidentifier() and src.name not in _names_in(src.node) else None


@functools.lru_cache(maxsize=64)  # (asked twice per lowering of a function; a walk of a big one is slow)
def _names_in(node: ast.AST) -> frozenset[str]:
    return frozenset(n.id if isinstance(n, ast.Name) else n.arg
                     for n in ast.walk(node) if isinstance(n, (ast.Name, ast.arg)))


# ---------------------------------------------------------------- recursion, through the grammar

def expr(st: Lowering, node: ast.expr, name: str | None = None):
    """`node` lowered: an atom (named `name` if it is a new variable), or a value of values.py."""
    return st.unit.grammar.expr(st, node, name)


def statement(st: Lowering, stmt: ast.stmt) -> None:
    """Lower `stmt`, which does not return."""
    st.unit.grammar.statement(st, stmt)


def statements(st: Lowering, body: list[ast.stmt], node=None) -> tuple:
    """Lower `body`, a path that ends in a return (`node`: the if it is a branch of); its results."""
    return st.unit.grammar.statements(st, body, node)


def results(st: Lowering, value, node) -> tuple:
    """The results of `return value`."""
    return st.unit.grammar.results(st, value, node)


def lower_body(st: Lowering) -> tuple:
    """Lower the function's body; its results."""
    node = st.src.node
    return results(st, node.body, node) if isinstance(node, ast.Lambda) else statements(st, node.body)


def as_func(st: Lowering, params, eqns, returned, doc: str = "") -> Func:
    """The lowered function: its parameters, equations and results, in the generated module."""
    name = st.src.name if st.src.name.isidentifier() else "lambda"
    return Func(name, params, eqns, returned, st.src.loc(), tuple(sorted(st.unit.modules.items())),
                frozenset(st.unit.outside), doc)


# ---------------------------------------------------------------- names, values, equations

def error(st: Lowering, node, detail: str, cls=UnsupportedSyntaxError):
    """The error to raise for `node`, located in the source."""
    return cls(st.src.loc(node), detail)


def bind(st: Lowering, name: str, value) -> None:
    """Bind the source name `name` to `value`."""
    st.env[name] = value
    st.unbound.pop(name, None)
    if "@" in name and name.startswith("result") and st.code.shapes is not None and is_atom(value):
        st.returned_shapes[name] = shape(st, value)  # (loops.py: a loop lowered again for it)


def shape(st: Lowering, atom) -> tuple:
    """The shape of `atom`, where shapes are known."""
    return st.code.shapes[atom.name] if isinstance(atom, Var) else tuple(np.shape(atom.value))


def emit(st: Lowering, node, prim: str, args, ns: str = "op", name: str | None = None, params=()):
    """The variable holding `prim(*args)`: a new equation, unless the same computation was
    made where this code runs (under the same guard, or a prefix of it).

    Raises:
        UnsupportedSyntaxError: an argument is no number or array (a list, the object
            of a method, a function, several values).
        ShapeError: the arguments' shapes do not fit the primitive.
    """
    args = tuple(args)
    _refuse_non_numbers(st, node, args)
    if prim == "sqrt" and ns in ("math", "numpy") and _squared(st, args[0]) is not None:
        # sqrt(x**2) is |x|: its derivative at 0 is then abs's, 0, not 0/0
        return emit(st, node, "abs", (_squared(st, args[0]),), ns, name, params)
    code = st.code
    keys = [atom_key(a) for a in args]
    key = (prim, ns, params, tuple(type(v).__name__ for _, v in params) if prim == "arange" else (),
           tuple(sorted(keys) if PRIMS[prim].commutative else keys))
    guards = [tuple((atom_key(c), p) for c, p in code.guard[:n]) for n in range(len(code.guard) + 1)]
    for guard in reversed(guards if prim not in FRESH else ()):  # a value computed where this code runs
        if (key, guard) in code.values:
            return code.values[(key, guard)]
    out = Var(code.names.fresh(name)) if name is not None else Var(code.names.letter(), made=True)
    code.eqns.append(Eqn(out, prim, args, ns, params, st.src.loc(node), code.guard))
    code.values[(key, guards[-1])] = out
    if code.shapes is not None:
        try:
            code.shapes[out.name] = result_shape(prim, [shape(st, a) for a in args], params)
        except ValueError as exc:
            raise error(st, node, f"{prim}: {exc}; check the arguments' shapes", ShapeError) from None
    shared = _shared_memory(st, prim, args, params)
    if shared and (code.shapes is None or code.shapes[out.name] != ()):  # (x[0] of a vector: a number)
        code.origins[out.name] = shared
    return out


OUTSIDE_ARRAY = Var("object@")  # what an attribute of a method's object shares memory with (aliases.py)
# New arrays: two calls make two arrays, which an update in place tells apart (not value numbered).
FRESH = frozenset({"zeros", "ones", "zeros_like", "ones_like", "full", "copy", "eye"})


def _shared_memory(st: Lowering, prim: str, args, params) -> tuple:
    """The arguments whose memory `prim`'s result may share: a view's array (not that
    of an index with index arrays, which copies; an int, x[t - 1], is no array), a
    merge's two values."""
    if prim == "cond":
        return tuple(a for a in args[1:] if isinstance(a, Var))
    if prim == "call":  # a helper's value may be one of its arguments, or a view of one
        returned = _returned_params(dict(params)["callee"].func)
        return tuple(a for i, a in enumerate(args) if isinstance(a, Var) and i in returned)
    if prim in ("custom", "pick"):  # (a user's function, a value of a helper's several)
        return tuple(a for a in args if isinstance(a, Var))
    if prim == "attr":  # self.w: the object's own array
        return (OUTSIDE_ARRAY,)
    row = PRIMS[prim]
    if not row.view or not args or not isinstance(args[0], Var):
        return ()
    if prim == "getitem" and st.code.shapes is not None and any(
            entry[0] == "arg" and shape(st, args[1 + entry[1]]) != () for entry in dict(params)["index"]):
        return ()
    return (args[0],)


def _returned_params(func: Func) -> set[int]:
    """The indices of `func`'s parameters whose memory its results may share: returned
    as they are, or through views, branch merges, loops or calls of them."""
    made = {e.out.name: e for e in func.body}
    params = {p.var.name: i for i, p in enumerate(func.params)}
    found, seen, todo = set(), set(), [r for r in flat_results(func.results) if isinstance(r, Var)]
    while todo:
        var = todo.pop()
        if var.name in seen:
            continue
        seen.add(var.name)
        if var.name in params:
            found.add(params[var.name])
        eqn = made.get(var.name)
        if eqn is not None and (eqn.prim == "loop" or _shared_memory_of_prim(eqn)):
            todo += [a for a in eqn.args if isinstance(a, Var)]
    return found


def _shared_memory_of_prim(eqn: Eqn) -> bool:
    """Whether `eqn`'s result may share memory with its arguments (not a new array)."""
    row = PRIMS[eqn.prim]
    return row.view or row.structured or eqn.prim in ("cond", "custom", "attr")


def refuse_object(st: Lowering, node, values) -> None:
    """Refuse a method's object itself where a number or an array is needed."""
    for value in values:
        if isinstance(value, ObjectValue):
            name = value.receiver.name
            raise error(st, node, f"{name}, the object the method is called on, is used as a value "
                        f"here; use its attributes ({name}.w) as numbers or arrays")


def _refuse_non_numbers(st: Lowering, node, args: tuple) -> None:
    refuse_object(st, node, args)
    if any(isinstance(a, (ListValue, RunningList)) for a in args):
        raise error(st, node, "a list is used as a number here; read it with np.stack(list), "
                    "np.array(list), sum(list) or list[i]")
    if any(isinstance(a, DictValue) for a in args):
        raise error(st, node, "a dict is used as a number here; read its values by key (params['W'])")
    if any(isinstance(a, tuple) for a in args):
        raise error(st, node, "a tuple (a tuple value, or what a call returning several values gives) "
                    "is used as a number here; unpack it (a, b = ...) or read one item (pair[0])")
    if any(isinstance(a, LocalFunction) for a in args):
        raise error(st, node, "a function is used as a number here; call it")
    static = next((a for a in args if isinstance(a, Const) and isinstance(a.value, (str, tuple, type(None)))), None)
    if static is not None:
        raise error(st, node, f"{static.value!r} is used as a number here; None, a string or a "
                    "tuple can only be a static parameter (axis=None, ord='fro'): pass a number")


def _squared(st: Lowering, atom):
    """x if `atom` is x**2 (or x*x) computed here, else None."""
    if not isinstance(atom, Var):
        return None
    for eqn in reversed(st.code.eqns):
        if eqn.out == atom:
            x, y = (eqn.args + (None,))[:2]
            if eqn.prim == "pow" and isinstance(y, Const) and not isinstance(y.value, bool) and y.value == 2:
                return x
            if eqn.prim == "mul" and x == y:
                return x
            return None
    return None
