"""What symdiff writes into the code it generates and must recognise when it reads that
code back (differentiating generated code again): the entry check.

Code generated once for every call begins with

    if type(x) is not float:
        _check_arguments('grad_f', 'numbers', x=x)

(backend/arguments.py builds it), and the module defines `HELPERS["_check_arguments"]`
after the function. Where symdiff compiled the code, `_check_arguments` is bound to
symdiff's own check, which the frontend's scope sees as an `EntryCheckRef`; in a saved
module, the printed helper is recognised by its syntax tree (`is_check_definition`).
The frontend drops the statement (`is_entry_check`), since the code it generates from
that code has a check of its own.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

HELPERS = {"_check_arguments": '''
def _check_arguments(name, kind, /, **arguments):
    """Raise TypeError before `name` runs if an argument is not a real number, or for
    kind 'arrays' a real NumPy array (symdiff, where it compiles this, says more)."""
    for parameter, value in arguments.items():
        dtype = getattr(getattr(value, 'dtype', None), 'kind', '')
        real = isinstance(value, (int, float)) or dtype in ('b', 'i', 'u', 'f')
        if not real or kind != 'arrays' and getattr(value, 'ndim', 0):
            raise TypeError(f'{name}: {parameter} is a {type(value).__name__}; it takes {kind}')
'''}


_CHECK_DEFINITION = ast.dump(ast.parse(HELPERS["_check_arguments"]).body[0])


def is_check_definition(node: ast.stmt) -> bool:
    """Whether `node` defines the `_check_arguments` of `HELPERS`: that of a generated
    module saved to a file (ast.dump leaves out positions, so it matches as printed)."""
    return isinstance(node, ast.FunctionDef) and node.name == "_check_arguments" and \
        ast.dump(node) == _CHECK_DEFINITION


@dataclass(frozen=True)
class EntryCheckRef:
    """The check symdiff puts at the entry of generated code (backend/arguments.py), bound where
    symdiff compiled that code: differentiating the code again drops the check."""

    name: str


def is_entry_check(stmt: ast.stmt, lookup) -> bool:
    """Whether `stmt` is the check symdiff emits at the entry of generated code
    (backend/arguments.check_statements), calling the check symdiff bound there."""
    if not (isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1
            and isinstance(stmt.body[0], ast.Expr) and isinstance(stmt.body[0].value, ast.Call)):
        return False
    call = stmt.body[0].value
    return (isinstance(call.func, ast.Name) and isinstance(lookup(call.func.id), EntryCheckRef)
            and [type(a) for a in call.args] == [ast.Constant, ast.Constant]
            and all(isinstance(k.value, ast.Name) and k.value.id == k.arg for k in call.keywords)
            and _is_type_test(stmt.test))


def _is_type_test(test: ast.expr) -> bool:
    """Whether `test` is `type(x) is not float` (or `int`), or `not` of chains
    `type(x) is type(y) is float`, joined by `and`."""
    if isinstance(test, ast.Compare) and [type(o) for o in test.ops] == [ast.IsNot]:
        return _is_type_call(test.left) and _is_type_name(test.comparators[0])
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return False
    chains = test.operand.values if isinstance(test.operand, ast.BoolOp) and \
        isinstance(test.operand.op, ast.And) else [test.operand]
    return all(isinstance(c, ast.Compare) and all(isinstance(o, ast.Is) for o in c.ops)
               and all(map(_is_type_call, [c.left, *c.comparators[:-1]])) and _is_type_name(c.comparators[-1])
               for c in chains)


def _is_type_call(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and not node.keywords)


def _is_type_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("float", "int")
