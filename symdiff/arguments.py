"""What arguments generated code takes: the check at its entry, refusing the others
before any of it runs.

Scalar and elementwise code is generated once for every call (api.py returns it
directly), so it cannot know what it will be called with. Its entry reads

    def grad_f(x, n):
        \"\"\"Gradient of f with respect to x.\"\"\"
        if type(x) is not float or type(n) is not int:
            _check_arguments('grad_f', 'numbers', x=x, n=n)

The test costs one type comparison per parameter (about 10 ns each; an
`isinstance` against `numbers.Real` would cost 30 times as much) and is false for
the arguments the code expects. Only when it is true does `_check_arguments` look
at the arguments (given by keyword: `locals()` would cost 400 ns more), accept
the other legitimate kinds and raise for the rest. The helper and the
`_argument_error` it calls are defined in the emitted module (`HELPERS`, after the
function) and raise TypeError, so the module runs without symdiff; where symdiff
compiles the module it binds `_check_arguments` to an `errors.ArgumentCheck`
instead, which raises the same message as an `ArgumentError` located at the
parameter. The frontend recognizes that binding, or the printed helper of a saved
module, and drops the check when the code is differentiated again
(`is_entry_check`).

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

from .errors import ArgumentCheck, Loc
from .ir import Func, Var, all_eqns, flat_results, loop_leading_args

HELPERS = {"_argument_error": '''
def _argument_error(name, kind, arguments):
    """The first of `arguments` (parameter -> value) that the generated function `name`
    does not take: (parameter, message, whether the function's value is the problem), or
    None. kind 'numbers' takes real numbers; 'arrays' real NumPy arrays too; 'scalar'
    arrays too, if the function's value, of their broadcast shape, is one number."""
    takes = "real numbers (float, int, NumPy scalars)"
    if kind != "numbers":
        takes = "real numbers and real NumPy arrays"
    problem, output, first = None, (), None
    for parameter, value in arguments.items():
        shape = getattr(value, "shape", ())
        letter = getattr(getattr(value, "dtype", None), "kind", "O")  # NumPy's: b, i, u, f are real
        if not isinstance(value, (int, float)) and letter not in "biuf":
            what = "None" if value is None else f"a {type(value).__name__}"
            if isinstance(value, (list, tuple)):
                what = f"{what} of {len(value)} elements"
            elif hasattr(value, "dtype"):
                what = f"a NumPy value of dtype {value.dtype}"
            advice = f"pass a number or np.asarray({parameter})"
            problem = parameter, what, f"was generated for {takes}", advice, False
            break
        if shape and kind == "numbers":
            why = f"was generated for {takes}: it calls math or branches on values"
            advice = "pass one number at a time, or write the function with NumPy (np.exp, np.where)"
            problem = parameter, f"an array of shape {shape}", why, advice, False
            break
        pad = len(shape) - len(output)  # broadcasting: aligned on the right, where 1 stretches
        aligned = zip((1,) * pad + output, (1,) * -pad + shape, strict=True)
        output = tuple(b if a == 1 else a for a, b in aligned)
        if shape and first is None:
            first = parameter
    if problem is None and output and kind == "scalar":
        why = f"is a gradient, and the function's value here is an array of shape {output}"
        advice = "use symdiff.jacobian or symdiff.vjp, or reduce the value (np.sum)"
        problem = first, f"an array of shape {arguments[first].shape}", why, advice, True
    if problem is None:
        return None
    parameter, what, why, advice, of_value = problem
    message = f"{name}({', '.join(arguments)}): {parameter} is {what}; {name} {why}; {advice}"
    return parameter, message, of_value
''', "_check_arguments": '''
def _check_arguments(name, kind, /, **arguments):
    """Raise TypeError, before the generated function `name` runs, if one of `arguments`
    is of a kind it was not generated for (see _argument_error)."""
    problem = _argument_error(name, kind, arguments)
    if problem is not None:
        raise TypeError(problem[1])
'''}

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
    kind = "numbers" if not _takes_arrays(func) else "scalar" if scalar_output else "arrays"
    return EntryCheck(kind, frozenset(ints), frozenset(objects))


def _takes_arrays(func: Func) -> bool:
    """Whether every operation `func` (and each function it calls) runs works on arrays."""
    for eqn in all_eqns(func):
        if eqn.prim == "call" and not _takes_arrays(dict(eqn.params)["callee"].func):
            return False
        if eqn.ns == "math" or (eqn.ns == "builtins" and eqn.prim not in _ARRAY_BUILTINS):
            return False
        if eqn.guard or eqn.prim in _DECIDING or eqn.prim == "loop" and dict(eqn.params)["kind"] == "while":
            return False
    return True


def check_statements(func: Func, check: EntryCheck) -> list[ast.stmt]:
    """`if type(x) is not float or ...: _check_arguments('grad_f', kind, x=x, ...)`: one
    test per parameter, one call for them all; nothing without parameters."""
    names = [p.var.name for p in func.params if p.var.name not in check.objects]
    if not names:
        return []
    tests = [ast.Compare(ast.Call(ast.Name("type", ast.Load()), [ast.Name(n, ast.Load())], []), [ast.IsNot()],
                         [ast.Name("int" if n in check.ints else "float", ast.Load())]) for n in names]
    call = ast.Call(ast.Name("_check_arguments", ast.Load()), [ast.Constant(func.name), ast.Constant(check.kind)],
                    [ast.keyword(n, ast.Name(n, ast.Load())) for n in names])
    return [ast.If(tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests), [ast.Expr(call)], [])]


_CHECK_DEFINITION = ast.dump(ast.parse(HELPERS["_check_arguments"]).body[0])


def is_check_definition(node: ast.stmt) -> bool:
    """Whether `node` defines the `_check_arguments` emitted here: that of a generated
    module saved to a file (ast.dump leaves out positions, so it matches as printed)."""
    return isinstance(node, ast.FunctionDef) and node.name == "_check_arguments" and \
        ast.dump(node) == _CHECK_DEFINITION


def _plain_argument_error():
    """The emitted `_argument_error`, compiled once from its text for symdiff's own use."""
    namespace: dict = {}
    exec(compile(HELPERS["_argument_error"], "<symdiff _argument_error>", "exec"), namespace)  # noqa: S102
    return namespace["_argument_error"]


argument_error = _plain_argument_error()
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


# ------------------------------------------------ the frontend: the check, read back

@dataclass(frozen=True)
class EntryCheckRef:
    """The check symdiff puts at the entry of generated code (arguments.py), bound where
    symdiff compiled that code: differentiating the code again drops the check."""

    name: str


def is_entry_check(stmt: ast.stmt, lookup) -> bool:
    """Whether `stmt` is the check symdiff emits at the entry of generated code
    (arguments.py), calling the check symdiff bound there: exactly
    `if type(x) is not float or type(n) is not int: _check_arguments('grad_f', 'numbers', x=x, n=n)`.
    """
    if not (isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1
            and isinstance(stmt.body[0], ast.Expr) and isinstance(stmt.body[0].value, ast.Call)):
        return False
    call, test = stmt.body[0].value, stmt.test
    tests = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) else [test]
    return (isinstance(call.func, ast.Name) and isinstance(lookup(call.func.id), EntryCheckRef)
            and [type(a) for a in call.args] == [ast.Constant, ast.Constant]
            and all(isinstance(k.value, ast.Name) and k.value.id == k.arg for k in call.keywords)
            and all(map(_is_type_test, tests)))


def _is_type_test(test: ast.expr) -> bool:
    """Whether `test` is `type(x) is not float` (or `int`) of a name `x`."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot)):
        return False
    left, right = test.left, test.comparators[0]
    return (isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "type"
            and len(left.args) == 1 and isinstance(left.args[0], ast.Name) and not left.keywords
            and isinstance(right, ast.Name) and right.id in ("float", "int"))


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
    sequences = indexed_only(lowered)
    for parameter, value in given.items():
        if type(value) is tuple and parameter not in sequences:
            check.refuse(parameter, f"{name}({', '.join(given)}): {parameter} is a tuple, which "
                         f"{lowered.name} uses as an array (* repeats a tuple, + joins two); pass "
                         f"np.asarray({parameter})")


def indexed_only(func: Func) -> set[str]:
    """The parameters `func` reads only as sequences: their length, or one entry at a time
    (a loop over them), so that a tuple of numbers serves as well as an array there."""
    return {p.var.name for p in func.params if _indexed_only(func, p.var.name)}


def _indexed_only(func: Func, name: str) -> bool:
    """Whether `func` reads `name` only by `dim` and `x[i]`, also in the loops it passes it to."""
    if any(isinstance(r, Var) and r.name == name for r in flat_results(func.results)):
        return False
    for eqn in func.body:
        if any(isinstance(c, Var) and c.name == name for c, _ in eqn.guard):
            return False  # (its truth)
        uses = [i for i, a in enumerate(eqn.args) if isinstance(a, Var) and a.name == name]
        if not uses or eqn.prim == "dim":
            continue
        index = dict(eqn.params).get("index", ())
        if eqn.prim == "getitem" and uses == [0] and len(index) == 1 and index[0][0] in ("arg", "int"):
            continue  # x[i] (one entry, not x[1:3] nor x[:, 0])
        if eqn.prim != "loop":
            return False
        params = dict(eqn.params)
        body, lead = params["body"], loop_leading_args(params["kind"])
        if min(uses) < lead:  # a range's bound, a tape
            return False
        inner = body.params[len(body.params) - len(eqn.args) + lead:]  # those of the loop's args
        if not all(_indexed_only(body, inner[i - lead].var.name) for i in uses):
            return False
    return True
