"""The Array API backend: derivative IR respelled for the standard's namespace `xp`.

`respelled(func, shapes, prims, backend)` takes the simplified derivative (array code,
specialized to `shapes`) and returns it with every NumPy equation spelled in the
namespace "xp" by the standard's names (`np.arcsin` -> `xp.asin`, `np.concatenate` ->
`xp.concat`, `np.copy` -> `xp.asarray(copy=True)`, `x.T` of a vector or of more than two
axes -> `xp.permute_dims`, `np.dot` -> `@`), every index written out to its trailing
`...` (the standard does not complete an index), and the table of rows the printer
spells them from. An equation the standard cannot spell, or that `backend` (the
namespace's short name: 'numpy', 'cupy', 'torch', 'dask', 'array_api_strict', ...)
cannot run, is a located SymdiffError at the user's line, before any code runs.

`finish(module, arrays, floats)` then rewrites the printed module: the imports become
`from array_api_compat import array_namespace, device`, each function begins with
`xp = array_namespace(<its array arguments>)`, arrays are made with the dtype and device of
its first float array argument, and the helpers (scatter, copies written into) take `xp`
and index tuples (`(slice(None), 2, ...)`) instead of NumPy's `np.s_[:, 2]`.

The result runs on any namespace array_api_compat knows (NumPy, CuPy, torch, Dask) and
on array-api-strict; importing symdiff does not import array_api_compat (the code
generated here does).
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..errors import UnsupportedSyntaxError
from ..ir import Callee, Eqn, Func, Var
from .blocks import blocks

# prim -> the standard's name (spelled in namespace "xp"); a prim missing has no spelling
_SAME = ("add subtract multiply divide negative floor_divide abs maximum minimum exp expm1 log log2 log10 "
         "log1p sqrt square sin cos tan sinh cosh tanh sign floor trunc round hypot logaddexp isfinite "
         "where clip sum mean prod var std reshape expand_dims broadcast_to zeros ones full zeros_like "
         "ones_like stack matmul tensordot flip roll squeeze sort argsort take asarray arange linspace "
         "tile repeat getitem scatter_add setitem additem outer").split()
_SPELLED = {**{name: name for name in _SAME}, "pow": "pow", "mod": "remainder", "asin": "asin",
            "acos": "acos", "atan": "atan", "atan2": "atan2", "asinh": "asinh", "acosh": "acosh",
            "atanh": "atanh", "ceiling": "ceil", "concatenate": "concat", "cumsum": "cumulative_sum",
            "cumprod": "cumulative_prod", "transpose": "permute_dims", "copy": "asarray", "amax": "max",
            "amin": "min", "det": "linalg.det", "inv": "linalg.inv", "solve": "linalg.solve",
            "cholesky": "linalg.cholesky", "pinv": "linalg.pinv", "eigvalsh": "linalg.eigvalsh",
            "eigh_values": "linalg.eigh", "eigh_vectors": "linalg.eigh", "slogdet": "linalg.slogdet",
            "slogdet_sign": "linalg.slogdet", "svd_u": "linalg.svd", "svd_s": "linalg.svd",
            "svd_vh": "linalg.svd", "qr_q": "linalg.qr", "qr_r": "linalg.qr", "norm": "linalg.vector_norm",
            "vector_norm": "linalg.vector_norm", "matrix_norm": "linalg.matrix_norm",
            "linalg_svdvals": "linalg.svdvals", "matrix_power": "linalg.matrix_power"}
_KEYWORD = {"var": {"ddof": "correction"}, "std": {"ddof": "correction"}}  # NumPy's keyword -> the standard's
_NOT_PASSED = {"sum": "initial", "prod": "initial", "amax": "initial", "amin": "initial", "mean": "initial"}
_ADVICE = {"einsum": "xp.matmul, xp.tensordot or xp.sum of a product", "dot": "@ (xp.matmul) of vectors "
           "and matrices", "inner": "xp.vecdot", "cumsum": "xp.cumulative_sum with an axis"}
# backends that add an index's repeated entries (np.add.at and its kin); others refuse it
ADDS_REPEATED = ("numpy", "cupy", "torch")


def respelled(func: Func, shapes: dict, prims, backend: str) -> tuple[Func, dict]:
    """(`func` spelled in namespace "xp", the table of rows that spells it): see the
    module docstring. `shapes` are the shapes of `func`'s variables (where known).

    Raises:
        UnsupportedSyntaxError: an operation without an Array API spelling, or one that
            `backend` cannot run, at the user's line that made it.
    """
    table = dict(prims)
    for prim, name in _SPELLED.items():
        if prim in prims:
            row = prims[prim]
            table[prim] = replace(row, spelling={**row.spelling, "xp": name}, positional=row.positional
                                  and prim != "expand_dims", params=_params(prim, row.params))
    return _func(func, shapes, prims, backend, {}), table


def _params(prim: str, params: tuple) -> tuple:
    renames = _KEYWORD.get(prim, {})
    return tuple((renames.get(k, k), v) for k, v in params)


def _func(func: Func, shapes: dict, prims, backend: str, callees: dict) -> Func:
    body = tuple(_eqn(e, shapes, prims, backend, callees) for e in func.body)
    modules = tuple(dict(func.modules, xp="xp").items())
    return replace(func, body=body, modules=modules)


def _shape(atom, shapes: dict):
    return shapes.get(atom.name) if isinstance(atom, Var) else getattr(atom.value, "shape", ())


def _eqn(eqn: Eqn, shapes: dict, prims, backend: str, callees: dict) -> Eqn:
    params = dict(eqn.params)
    if eqn.prim == "loop":
        body = params["body"]
        return replace(eqn, params=tuple({**params, "body": _func(body, shapes, prims, backend, callees)}.items()))
    if eqn.prim == "call":
        callee = params["callee"]
        if id(callee) not in callees:
            callees[id(callee)] = Callee(_func(callee.func, {}, prims, backend, callees))
        return replace(eqn, params=tuple({**params, "callee": callees[id(callee)]}.items()))
    if eqn.prim == "custom" and params["rule"].elementwise:
        _refuse(eqn, f"{params['rule'].name} is written for numbers and applied entry by entry, "
                "which needs NumPy (np.vectorize)", "write it with array operations, or leave out xp=")
    if eqn.ns == "scipy":
        _refuse(eqn, f"scipy.{prims[eqn.prim].spelling['scipy']} has no Array API spelling here",
                "write it with the standard's functions (xp.exp, xp.log1p, ...), or leave out xp=")
    if eqn.ns != "numpy":
        return eqn
    args = [_shape(a, shapes) for a in eqn.args]
    if eqn.prim == "dot" and all(s is not None and len(s) in (1, 2) for s in args):
        return replace(eqn, prim="matmul", ns="op")
    if eqn.prim not in _SPELLED or _NOT_PASSED.get(eqn.prim) in params and params[_NOT_PASSED[eqn.prim]] is not None:
        name = prims[eqn.prim].spelling.get("numpy", eqn.prim)
        _refuse(eqn, f"np.{name} has no Array API spelling", f"use {_ADVICE.get(eqn.prim, 'the standard functions')}"
                " (https://data-apis.org/array-api/), or leave out xp=")
    if eqn.prim == "scatter_add":
        _check_scatter(eqn, params, backend)
    if eqn.prim in ("getitem", "scatter_add", "setitem", "additem") and params["index"] and \
            not any(item[0] == "ellipsis" for item in params["index"]):
        params["index"] = (*params["index"], ("ellipsis",))  # (x[0] of a matrix: x[0, ...])
    if eqn.prim == "copy":
        params["copy"] = True
    if eqn.prim == "transpose" and not params.get("axes") and args[0] is not None and len(args[0]) != 2:
        params["axes"] = tuple(reversed(range(len(args[0]))))  # (.T is the standard's for matrices only)
    for old, new in _KEYWORD.get(eqn.prim, {}).items():
        if old in params:
            params[new] = params.pop(old)
    return replace(eqn, ns="xp", params=tuple(params.items()))


def _check_scatter(eqn: Eqn, params: dict, backend: str) -> None:
    """Refuse adding at an index whose entries may repeat on a backend that cannot."""
    repeats = not params.get("distinct") and any(item[0] == "arg" for item in params["index"])
    if repeats and backend not in ADDS_REPEATED:
        _refuse(eqn, f"the gradient of this read at an array index adds into entries the index may "
                f"repeat, which {backend} arrays cannot do in the Array API (no np.add.at)",
                f"run it on {', '.join(ADDS_REPEATED)} arrays, or index with slices")


def _refuse(eqn: Eqn, what: str, advice: str):
    raise UnsupportedSyntaxError(eqn.loc, f"xp='auto': {what}; {advice}")


HELPERS = {"_scatter": '''
def _scatter(xp, like, shape, index, values):
    """Zeros of `shape` (the dtype and device of `like`) with `values` at `index`, which
    picks no entry twice."""
    total = xp.zeros(shape, dtype=like.dtype, device=device(like))
    total[index] = values
    return total
''', "_scatter_add": '''
def _scatter_add(xp, like, shape, index, values):
    """Zeros of `shape` (the dtype and device of `like`) with `values` added at `index`,
    whose entries may repeat: the adjoint of reading x[index]."""
    total = xp.zeros(shape, dtype=like.dtype, device=device(like))
    if is_torch_array(total):
        return total.index_put_(tuple(i for i in index if i is not ...), xp.broadcast_to(values, total[index].shape), accumulate=True)
    if is_cupy_array(total):
        import cupyx
        cupyx.scatter_add(total, index, values)
        return total
    np.add.at(total, index, values)
    return total
''', "_setitem": '''
def _setitem(xp, array, index, values):
    """A copy of `array` with `values` at `index`: x[index] = values, x left as it was."""
    total = xp.asarray(array, copy=True)
    total[index] = values
    return total
''', "_additem": '''
def _additem(xp, array, index, values):
    """A copy of `array` with `values` added at `index`: x[index] += values, x left as it was."""
    total = xp.asarray(array, copy=True)
    total[index] += values
    return total
'''}
_MADE = ("zeros", "ones", "full", "eye", "arange", "linspace", "empty")  # arrays made from nothing


def finish(module: ast.Module, arrays: dict) -> ast.Module:
    """The printed module `module` rewritten for the namespace (see the module docstring).
    `arrays`: each function's name -> its parameters that hold arrays, float ones first
    (the first gives the dtype and device of arrays the code makes)."""
    helpers = {s.name for s in module.body if isinstance(s, ast.FunctionDef) and s.name in HELPERS}
    imported = ["array_namespace", "device"] + (["is_cupy_array", "is_torch_array"]
                                                if "_scatter_add" in helpers else [])
    header = [ast.ImportFrom("array_api_compat", [ast.alias(n, None) for n in imported], 0)]
    header += [ast.Import([ast.alias("numpy", "np")])] if "_scatter_add" in helpers else []
    body = []
    for stmt in module.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in HELPERS:
            body.append(ast.parse(HELPERS[stmt.name]).body[0])
        elif isinstance(stmt, ast.FunctionDef):
            body.append(_function(stmt, arrays.get(stmt.name) or [a.arg for a in stmt.args.args]))
        elif not isinstance(stmt, (ast.Import, ast.ImportFrom)) or \
                any(a.name not in ("numpy", "xp") for a in stmt.names):
            body.append(stmt)
    return ast.Module(header + body, type_ignores=[])


def _function(definition: ast.FunctionDef, arrays: list) -> ast.FunctionDef:
    like = ast.Name(arrays[0], ast.Load()) if arrays else None
    _Respell(like).visit(definition)
    start = 1 if definition.body and isinstance(definition.body[0], ast.Expr) and \
        isinstance(definition.body[0].value, ast.Constant) else 0
    namespace = ast.Assign([ast.Name("xp", ast.Store())], _call("array_namespace", [ast.Name(a, ast.Load())
                                                                                   for a in arrays]))
    definition.body[start:start] = [namespace]
    return definition


def _call(name: str, args: list, keywords=()) -> ast.Call:
    func = ast.Name(name, ast.Load()) if "." not in name else \
        ast.Attribute(ast.Name(name.split(".")[0], ast.Load()), name.split(".")[1], ast.Load())
    return ast.Call(func, args, list(keywords))


class _Respell(ast.NodeTransformer):
    """The calls of one printed function, for the namespace: made arrays get a dtype and a
    device, `.copy()` is `xp.asarray(copy=True)`, `np.outer` a product of reshapes, and
    the helpers take `xp` and an index tuple."""

    def __init__(self, like):
        self.like = like

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "xp":
            if func.attr == "outer":  # the product of a column and a row
                column = _call("xp.reshape", [node.args[0], ast.Constant((-1, 1))])
                return ast.BinOp(column, ast.Mult(), _call("xp.reshape", [node.args[1], ast.Constant((-1,))]))
            if func.attr in _MADE and self.like is not None and not any(k.arg == "dtype" for k in node.keywords):
                node.keywords += [ast.keyword("dtype", ast.Attribute(self.like, "dtype", ast.Load())),
                                  ast.keyword("device", _call("device", [self.like]))]
            return node
        if isinstance(func, ast.Attribute) and func.attr == "copy" and not node.args:  # x[i].copy()
            return _call("xp.asarray", [func.value], [ast.keyword("copy", ast.Constant(True))])
        if isinstance(func, ast.Name) and func.id in HELPERS:
            args = [_index(a) for a in node.args]
            lead = [ast.Name("xp", ast.Load())] + ([self.like] if func.id.startswith("_scatter") else [])
            if None in lead:
                raise ValueError("an array helper in a function of no array argument")
            return ast.Call(func, lead + args, [])
        return node


def _index(node: ast.expr) -> ast.expr:
    """`np.s_[:, 2, ...]` as the tuple `(slice(None), 2, ...)`; another node as it is."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "s_"):
        return node
    entries = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]

    def entry(item):
        if not isinstance(item, ast.Slice):
            return item
        bounds = [item.lower, item.upper, item.step]
        while len(bounds) > 1 and bounds[-1] is None:
            bounds.pop()
        return _call("slice", [b if b is not None else ast.Constant(None) for b in bounds])

    return ast.Tuple([entry(e) for e in entries], ast.Load())
