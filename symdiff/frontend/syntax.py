"""Questions about the user's syntax tree that need no lowering state.

Pure functions of `ast` nodes (and, for `is_value`, of the names bound so far):
where returns are, which nodes belong to a body rather than to a function or
loop nested in it, how a node is described in an error message, and the
location given to a node symdiff writes itself.
"""

from __future__ import annotations

import ast

_DESCRIPTIONS = {
    "Lambda": "a lambda", "IfExp": "a conditional expression (x if c else y)",
    "BoolOp": "and/or", "ListComp": "a list comprehension", "GeneratorExp": "a generator",
    "DictComp": "a dict comprehension", "SetComp": "a set comprehension",
    "Dict": "a dict", "List": "a list", "Set": "a set", "Tuple": "a tuple",
    "Subscript": "indexing", "Await": "await", "Yield": "yield", "YieldFrom": "yield",
    "NamedExpr": "the walrus operator :=", "JoinedStr": "an f-string",
    "Starred": "a starred expression", "Call": "a call", "Name": "a name",
    "Attribute": "an attribute", "Constant": "a constant"}


def describe(node: ast.AST) -> str:
    """What `node` is, in the words of an error message ("a list comprehension")."""
    return _DESCRIPTIONS.get(type(node).__name__, type(node).__name__)


def own_nodes(body: list[ast.stmt], into_loops: bool = True):
    """The nodes of `body` outside nested functions (and, unless `into_loops`, outside
    nested loops: their break and continue are their own)."""
    todo = list(body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.While)) and not into_loops:
            continue
        todo.extend(ast.iter_child_nodes(node))


def always_returns(body: list[ast.stmt]) -> bool:
    """Whether every path through `body` ends in a return."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return):
        return True
    return isinstance(last, ast.If) and always_returns(last.body) and always_returns(last.orelse)


def returns_somewhere(stmt: ast.stmt) -> bool:
    """Whether a return statement is anywhere in `stmt` (outside nested functions)."""
    return any(isinstance(node, ast.Return) for node in own_nodes([stmt]))


def is_value(node: ast.expr, env: dict) -> bool:
    """Whether `node` denotes a value (a local, or an expression), not a module (np, np.linalg)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in env
    return not isinstance(node, ast.Name) or node.id in env


def is_shape(node: ast.expr, env: dict) -> bool:
    """Whether `node` is `x.shape` of a value x."""
    return isinstance(node, ast.Attribute) and node.attr == "shape" and is_value(node.value, env)


def at(node: ast.AST, where: ast.AST) -> ast.AST:
    """`node` (and the nodes in it without a location) placed at `where`'s source location."""
    for inner in ast.walk(node):
        if not hasattr(inner, "lineno"):
            ast.copy_location(inner, where)
    return ast.copy_location(node, where)
