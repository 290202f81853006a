"""What arguments generated code takes: the check at its entry, refusing the others
before any of it runs.

Scalar and elementwise code is generated once for every call (api.py returns it
directly), so it cannot know what it will be called with. Its entry reads

    def grad_f(x, y, n):
        \"\"\"Gradient of f with respect to x.\"\"\"
        if not (type(x) is type(y) is float and type(n) is int):
            _check_arguments('grad_f', 'numbers', x=x, y=y, n=n)

The test costs one type comparison per parameter (about 10 ns each; an
`isinstance` against `numbers.Real` would cost 30 times as much) and is false for
the arguments the code expects. Only when it is true does `_check_arguments` look
at the arguments (given by keyword: `locals()` would cost 400 ns more), accept
the other legitimate kinds and raise for the rest. The helper is defined in the
emitted module (generated.HELPERS, after the function, eight lines) and raises a short
TypeError, so the module runs without symdiff; where symdiff compiles the module
it binds `_check_arguments` to an `errors.ArgumentCheck` instead, which says what
was given, what the code takes and what to do (`argument_error`), as an
`ArgumentError` located at the parameter (or a NonScalarOutputError). The frontend
recognizes that binding, or the printed helper of a saved module, and drops the
check when the code is differentiated again (generated.py).

What the helper accepts, by `kind`:
  * 'numbers': real numbers (float, int, bool, NumPy real scalars, 0-d real
    arrays): the code calls `math`, branches on values, or does something else
    only numbers support;
  * 'arrays': real arrays of any shape too: elementwise code on NumPy functions
    and operators, differentiated in forward mode;
  * 'scalar': as 'arrays', but the code is a gradient, whose function must return
    one number, and elementwise code returns an array of the arguments' broadcast
    shape: an array that is not 0-d is a NonScalarOutputError.

Array code is generated per argument shape by a wrapper (api.py), which checks each
call's arguments before it specializes: numbers, NumPy arrays, and flat tuples of
numbers where the function only reads their entries (`check_array_arguments`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from ..analysis import infer_shapes
from ..errors import ArgumentCheck, Loc, ShapeError
from ..ir import Func, Var, all_eqns, flat_results, loop_leading_args

def argument_error(name: str, kind: str, arguments: dict):
    """The first of `arguments` (parameter -> value) that the generated function `name`
    does not take: (parameter, message, whether the function's value is the problem), or
    None. kind 'numbers' takes real numbers; 'arrays' real NumPy arrays too; 'scalar'
    arrays too, if the function's value, of their broadcast shape, is one number."""
    takes = "real numbers (float, int, NumPy scalars)" if kind == "numbers" else \
        "real numbers and real NumPy arrays"
    output, first = (), None
    for parameter, value in arguments.items():
        problem = _not_taken(parameter, value, kind, takes)
        if problem is not None:
            what, why, advice = problem
            return parameter, f"{name}({', '.join(arguments)}): {parameter} is {what}; {name} {why}; {advice}", False
        shape = np.shape(value)
        output = np.broadcast_shapes(output, shape)
        first = parameter if shape and first is None else first
    if output and kind == "scalar":
        return first, (f"{name}({', '.join(arguments)}): {first} is an array of shape "
                       f"{np.shape(arguments[first])}; {name} is a gradient, and the function's value "
                       f"here is an array of shape {output}; use symdiff.jacobian or symdiff.vjp, or "
                       "reduce the value (np.sum)"), True
    return None


def _not_taken(parameter: str, value, kind: str, takes: str) -> tuple | None:
    """(what `value` is, why it is refused, what to do instead), or None where it is taken."""
    letter = getattr(getattr(value, "dtype", None), "kind", "O")  # NumPy's: b, i, u, f are real
    if not isinstance(value, (int, float)) and letter not in "biuf":
        what = "None" if value is None else f"a {type(value).__name__}"
        if isinstance(value, (list, tuple)):
            what = f"{what} of {len(value)} elements"
        elif hasattr(value, "dtype"):
            what = f"a NumPy value of dtype {value.dtype}"
        return what, f"was generated for {takes}", f"pass a number or np.asarray({parameter})"
    if np.ndim(value) and kind == "numbers":
        return (f"an array of shape {np.shape(value)}", f"was generated for {takes}: it calls math or "
                "branches on values", "pass one number at a time, or write the function with NumPy "
                "(np.exp, np.where)")
    return None


# Where the arguments are numbers only: math functions, and builtins other than these
# (max(x, y), float(x) and int(x) need numbers); a branch or a while loop decides on a
# value, and `and`, `or`, `not` take its truth.
_ARRAY_BUILTINS = frozenset({"abs", "pow", "round"})
_DECIDING = frozenset({"cond", "and", "or", "not"})


@dataclass(frozen=True)
class EntryCheck:
    """The check at the entry of shape-agnostic generated code.

    Attributes:
        kind: what the helper accepts beyond the fast path: 'numbers', 'arrays' or
            'scalar' (see the module docstring).
        ints: the parameters whose fast-path type is int (a range's bound, an operand
            of %): the others are expected to be floats.
        objects: the parameters not checked: a method's self, an object whose
            attributes the code reads.
    """

    kind: str
    ints: frozenset = frozenset()
    objects: frozenset = frozenset()


def entry_check(func: Func, scalar_output: bool, ints=frozenset(), objects=frozenset()) -> EntryCheck:
    """The entry check for the generated function `func` (the derivative that is emitted).

    Args:
        scalar_output: whether `func` is a gradient, whose function returns one number.
        ints: the parameters the function uses as integers.
        objects: the parameters that hold an object (a method's self).
    """
    kind = "numbers" if not takes_arrays(func) else "scalar" if scalar_output else "arrays"
    return EntryCheck(kind, frozenset(ints), frozenset(objects))


def takes_arrays(func: Func) -> bool:
    """Whether every operation `func` (and each function it calls) runs works on arrays."""
    for eqn in all_eqns(func):
        if eqn.prim == "call" and not takes_arrays(dict(eqn.params)["callee"].func):
            return False
        if eqn.ns == "math" or (eqn.ns == "builtins" and eqn.prim not in _ARRAY_BUILTINS):
            return False
        if eqn.guard or eqn.prim in _DECIDING or eqn.prim == "loop" and dict(eqn.params)["kind"] == "while":
            return False
        if eqn.prim == "custom" and dict(eqn.params)["rule"].on_arrays(len(eqn.args)).elementwise:
            return False  # (a rule written for numbers: array code applies it entry by entry)
    return True


def check_statements(func: Func, check: EntryCheck) -> list[ast.stmt]:
    """The entry check: `if type(x) is not float:` for one parameter, `if not type(x) is
    type(y) is float:` for several (with `and type(n) is int` for those used as integers),
    then one call `_check_arguments('grad_f', kind, x=x, ...)`; nothing without parameters."""
    names = [p.var.name for p in func.params if p.var.name not in check.objects]
    if not names:
        return []
    if len(names) == 1:
        expected = "int" if names[0] in check.ints else "float"
        test = ast.Compare(_type_of(names[0]), [ast.IsNot()], [ast.Name(expected, ast.Load())])
    else:
        groups = [([n for n in names if n not in check.ints], "float"), ([n for n in names if n in check.ints], "int")]
        chains = [_same_type(group, expected) for group, expected in groups if group]
        test = ast.UnaryOp(ast.Not(), chains[0] if len(chains) == 1 else ast.BoolOp(ast.And(), chains))
    call = ast.Call(ast.Name("_check_arguments", ast.Load()), [ast.Constant(func.name), ast.Constant(check.kind)],
                    [ast.keyword(n, ast.Name(n, ast.Load())) for n in names])
    return [ast.If(test, [ast.Expr(call)], [])]


def _type_of(name: str) -> ast.expr:
    return ast.Call(ast.Name("type", ast.Load()), [ast.Name(name, ast.Load())], [])


def _same_type(names: list[str], expected: str) -> ast.Compare:
    """`type(a) is type(b) is ... is expected`: one comparison per name, chained."""
    return ast.Compare(_type_of(names[0]), [ast.Is()] * len(names),
                       [*map(_type_of, names[1:]), ast.Name(expected, ast.Load())])


_NUMBERS = frozenset({float, int, bool})


def _problem(name: str, kind: str, arguments: dict):
    """`argument_error`, answering at once for what most calls that miss the fast path
    pass, which every kind takes: ints, and real arrays where the code takes arrays (jvp
    of elementwise code gets them on every call)."""
    for value in arguments.values():
        if type(value) in _NUMBERS:
            continue
        if type(value) is np.ndarray and value.dtype.kind in "biuf" and (kind == "arrays" or not value.ndim):
            continue
        return argument_error(name, kind, arguments)
    return None


def live_check(locs: dict, loc: Loc) -> ArgumentCheck:
    """What `_check_arguments` is bound to in code symdiff compiles: the emitted check,
    raising errors located at the parameters (`locs`, by name) or at the function (`loc`)."""
    return ArgumentCheck(_problem, locs, loc)


# ------------------------------------------------ array code: its wrapper's check (api.py)

# The types array code takes without a closer look (a tuple: see check_array_arguments).
_TAKEN = frozenset({float, int, bool, np.ndarray, np.float64})


def all_taken(args: tuple, kwargs: dict) -> bool:
    """Whether array code takes each of `args` and `kwargs` without a closer look: the
    test its wrapper makes on every call (a loop over them: a dict of them by name
    would cost 500 ns a call more)."""
    for value in args:
        if type(value) not in _TAKEN:
            return False
    return all(type(value) in _TAKEN for value in kwargs.values()) if kwargs else True


def check_array_arguments(check: ArgumentCheck, name: str, given: dict):
    """Refuse, before the array code `name` runs, one of the arguments `given` (parameter
    -> value) that is not a number, a NumPy array or a flat tuple of real numbers."""
    tuples = {n: v for n, v in given.items() if type(v) is tuple}
    for parameter, value in tuples.items():
        try:
            flat = np.ndim(value) == 1 and np.asarray(value).dtype.kind in "biuf"
        except ValueError:  # (a ragged tuple)
            flat = False
        if not flat:
            check.refuse(parameter, f"{name}({', '.join(given)}): {parameter} is a tuple, not of "
                         f"numbers; pass np.asarray({parameter})")
    check(name, "arrays", **{n: np.asarray(v) if n in tuples else v for n, v in given.items()})


def refuse_tuples(check: ArgumentCheck, name: str, lowered: Func, given: dict):
    """Refuse a tuple among the arguments `given` to the array code `name`, generated from
    `lowered`, unless `lowered` reads only its length and its entries (`x * 2` repeats a
    tuple, `x + x` joins two)."""
    sequences = indexed_only(lowered, {p: np.shape(v) for p, v in given.items()})
    for parameter, value in given.items():
        if type(value) is tuple and parameter not in sequences:
            check.refuse(parameter, f"{name}({', '.join(given)}): {parameter} is a tuple, which "
                         f"{lowered.name} uses as an array (* repeats a tuple, + joins two); pass "
                         f"np.asarray({parameter})")


def indexed_only(func: Func, shapes: dict | None = None) -> set[str]:
    """The parameters `func` reads only as sequences: their length, or one entry at a time
    (a loop over them), so that a tuple of numbers serves as well as an array there. Given
    the parameters' `shapes`, an index that is an array (x[[0, 2]]) reads more than one."""
    try:
        known = infer_shapes(func, shapes) if shapes is not None else {}
    except (ShapeError, KeyError):
        known = {}
    return {p.var.name for p in func.params if _indexed_only(func, p.var.name, known)}


def _one_entry(eqn, known: dict) -> bool:
    """Whether the getitem `eqn` reads one entry of its first argument: x[k], x[i] with i a
    number (not an index array, as far as the shapes `known` tell)."""
    index = dict(eqn.params).get("index", ())
    if len(index) != 1 or index[0][0] not in ("arg", "int"):
        return False
    if index[0][0] == "int":
        return True
    picked = eqn.args[1 + index[0][1]]
    return (known.get(picked.name, ()) if isinstance(picked, Var) else np.shape(picked.value)) == ()


def _indexed_only(func: Func, name: str, known: dict) -> bool:
    """Whether `func` reads `name` only by `dim` and `x[i]`, also in the loops it passes it to."""
    if any(isinstance(r, Var) and r.name == name for r in flat_results(func.results)):
        return False
    for eqn in func.body:
        if any(isinstance(c, Var) and c.name == name for c, _ in eqn.guard):
            return False  # (its truth)
        uses = [i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name == name]
        if not uses or eqn.prim == "dim":
            continue
        if eqn.prim == "getitem" and uses == [0] and _one_entry(eqn, known):
            continue  # x[i] (one entry, not x[1:3], x[:, 0] nor x[[0, 2]])
        if eqn.prim != "loop":
            return False
        params = dict(eqn.params)
        body, lead = params["body"], loop_leading_args(params["kind"])
        if min(uses) < lead:  # a range's bound, a tape
            return False
        inner = body.params[len(body.params) - len(eqn.args) + lead:]  # those of the loop's args
        if not all(_indexed_only(body, inner[i - lead].var.name, {}) for i in uses):
            return False
    return True
