"""Functions written against the Array API: `xp = array_namespace(x)`, then `xp.sum(...)`.

SciPy's functions, and code written like them, fetch the namespace of their arguments
(`array_api_compat.array_namespace`, or SciPy's own) and call the standard's functions
on it. `without_namespaces(node, is_namespace_call)` returns a copy of the function's
tree without those assignments, and the names they bound (`{"xp"}`); parse.py then
resolves such a name as NumPy (the lowering's library), so `xp.exp` is the primitive
`np.exp` is. The standard's names NumPy spells otherwise are translated here
(`xp.concat` -> `concatenate`, `xp.permute_dims` -> `transpose`, `xp.acos` -> `arccos`);
line and column numbers are those of the user's file. The derivative's code is NumPy's
(`import numpy as xp`), or, with `xp="auto"`, the standard's again (backend/arrayapi.py).
"""

from __future__ import annotations

import ast
import copy

NAMESPACE_FUNCTIONS = ("array_namespace", "get_namespace")
_NAMESPACE_MODULES = ("array_api_compat", "scipy._lib._array_api")
# the standard's name -> NumPy's, where they differ and the table knows NumPy's
TO_NUMPY = {"acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh", "atan": "arctan",
            "atan2": "arctan2", "atanh": "arctanh", "pow": "power", "concat": "concatenate",
            "permute_dims": "transpose", "remainder": "mod"}


def is_namespace_function(value) -> bool:
    """Whether `value` is array_api_compat's (or SciPy's) array_namespace."""
    module = getattr(value, "__module__", None) or ""
    return callable(value) and getattr(value, "__name__", None) in NAMESPACE_FUNCTIONS and \
        any(module == m or module.startswith(m + ".") for m in _NAMESPACE_MODULES)


def is_namespace_import(module: str, name: str) -> bool:
    """Whether `from module import name` imports array_namespace (read statically)."""
    return name in NAMESPACE_FUNCTIONS and any(module == m or module.startswith(m + ".")
                                               for m in _NAMESPACE_MODULES)


def without_namespaces(node, is_namespace_call) -> tuple[ast.AST, frozenset]:
    """(`node` without its statements `xp = array_namespace(...)`, the names they bind).

    `is_namespace_call(func)` says whether the called expression `func` is the namespace
    function. `node` itself is returned where there is none (and is never changed).
    """
    names = {stmt.targets[0].id for stmt in ast.walk(node) if _binds_namespace(stmt, is_namespace_call)}
    if not names:
        return node, frozenset()
    node = copy.deepcopy(node)
    for holder in ast.walk(node):
        for field in ("body", "orelse"):
            statements = getattr(holder, field, None)
            if isinstance(statements, list) and any(_binds_namespace(s, is_namespace_call) for s in statements):
                kept = [s for s in statements if not _binds_namespace(s, is_namespace_call)]
                statements[:] = kept or [ast.copy_location(ast.Pass(), statements[0])]
    for attribute in ast.walk(node):
        if isinstance(attribute, ast.Attribute) and isinstance(attribute.value, ast.Name) \
                and attribute.value.id in names:
            attribute.attr = TO_NUMPY.get(attribute.attr, attribute.attr)
    return node, frozenset(names)


def _binds_namespace(stmt, is_namespace_call) -> bool:
    return isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
        and isinstance(stmt.value, ast.Call) and is_namespace_call(stmt.value.func)
