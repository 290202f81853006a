"""The Array API backend: derivative IR respelled for the standard's namespace `xp`.

`respelled(func, shapes, prims, backend)` takes the simplified derivative (array code,
specialized to `shapes`) and returns it with every NumPy equation spelled in the
namespace "xp" by the standard's names (`np.arcsin` -> `xp.asin`, `np.concatenate` ->
`xp.concat`, `np.copy` -> `xp.asarray(copy=True)`, `x.T` of a vector or of more than two
axes -> `xp.permute_dims`, `np.dot` -> `@`), every index written out to its trailing
`...` (the standard does not complete an index; an index of integer arrays stays alone,
`xp.take` where it reads rows), booleans and numbers that the standard does not compute
with cast to 0-d float arrays, and the table of rows the printer spells them from. An
equation the standard cannot spell, or that `backend` (the namespace's short name:
'numpy', 'cupy', 'torch', 'dask', 'array_api_strict', ...) cannot run (a function its
namespace lacks, a write at an array index, adding at repeated entries), is a located
SymdiffError at the user's line, before any code runs.

`finish(module, arrays, floats)` then rewrites the printed module: the imports become
`from array_api_compat import array_namespace, device`, each function begins with
`xp = array_namespace(<its array arguments>)`, arrays are made with the dtype and device of
its first float array argument, and the helpers (scatter, copies written into) take `xp`
and index tuples (`(slice(None), 2, ...)`) instead of NumPy's `np.s_[:, 2]`. What the
standard lacks is written with what it has: `np.outer` as a product of reshapes, and
helpers for `np.einsum` (a broadcast product summed), `np.diag` of a vector, `np.tril`
and `np.triu` (`xp.where` of an index comparison).

The result runs on any namespace array_api_compat knows (NumPy, CuPy, torch, Dask) and
on array-api-strict; importing symdiff does not import array_api_compat (the code
generated here does).
"""

from __future__ import annotations

import ast
import functools
import importlib
from dataclasses import replace

from ..analysis import body_shapes, infer_shapes
from ..errors import ShapeError, UnsupportedSyntaxError
from ..ir import Callee, Eqn, Func, NameAllocator, Var
from ..primitives.einsum import einsum_plan

# prim -> the standard's name (spelled in namespace "xp"); a prim missing has no spelling
_SAME = ("add subtract multiply divide negative floor_divide abs maximum minimum exp expm1 log log2 log10 "
         "log1p sqrt square sin cos tan sinh cosh tanh sign floor trunc round hypot logaddexp isfinite "
         "where clip sum mean prod var std reshape expand_dims broadcast_to zeros ones full zeros_like "
         "ones_like stack matmul tensordot flip roll squeeze sort argsort take asarray arange linspace "
         "tile repeat getitem scatter_add setitem additem outer eye einsum diag tril triu").split()
_SPELLED = {**{name: name for name in _SAME}, "max": "maximum", "min": "minimum", "pow": "pow", "mod": "remainder", "asin": "asin",
            "acos": "acos", "atan": "atan", "atan2": "atan2", "asinh": "asinh", "acosh": "acosh",
            "atanh": "atanh", "ceiling": "ceil", "concatenate": "concat", "cumsum": "cumulative_sum",
            "cumprod": "cumulative_prod", "transpose": "permute_dims", "copy": "asarray", "amax": "max",
            "amin": "min", "det": "linalg.det", "inv": "linalg.inv", "solve": "linalg.solve",
            "cholesky": "linalg.cholesky", "pinv": "linalg.pinv", "eigvalsh": "linalg.eigvalsh",
            "eigh_values": "linalg.eigh", "eigh_vectors": "linalg.eigh", "slogdet": "linalg.slogdet",
            "slogdet_sign": "linalg.slogdet", "svd_u": "linalg.svd", "svd_s": "linalg.svd",
            "svd_vh": "linalg.svd", "qr_q": "linalg.qr", "qr_r": "linalg.qr", "norm": "linalg.vector_norm",
            "vector_norm": "linalg.vector_norm", "matrix_norm": "linalg.matrix_norm",
            "linalg_svdvals": "linalg.svdvals", "matrix_power": "linalg.matrix_power",
            "trace": "linalg.trace", "diagonal": "linalg.diagonal"}
_KEYWORD = {"var": {"ddof": "correction"}, "std": {"ddof": "correction"}}  # NumPy's keyword -> the standard's
_LAST_TWO = ("trace", "diagonal")  # (the standard's, of the last two axes: np.trace(x, axis1, axis2))
_NOT_PASSED = {"sum": "initial", "prod": "initial", "amax": "initial", "amin": "initial", "mean": "initial"}
_ADVICE = {"einsum": "xp.matmul, xp.tensordot or xp.sum of a product", "dot": "@ (xp.matmul) of vectors "
           "and matrices", "inner": "xp.vecdot", "cumsum": "xp.cumulative_sum with an axis"}
# backends that add an index's repeated entries (np.add.at and its kin); others refuse it
ADDS_REPEATED = ("numpy", "cupy", "torch")
WRITES_AT_ARRAYS = ADDS_REPEATED + ("dask",)  # (x[idx] = v, idx an array: not in the standard)
_FLOAT = "the float dtype"  # (a dtype parameter `finish` writes as that of the float arrays)


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


_BOOLS = ("lt", "le", "gt", "ge", "eq", "ne", "not", "and", "or", "isfinite")
_TAKE_BOOLS = ("where", "cond", "not", "and", "or", "loop", "call", "pick", "getitem", "setitem")


def _func(func: Func, shapes: dict, prims, backend: str, callees: dict) -> Func:
    names, bools, zero_d, body = NameAllocator.for_func(func), set(), set(), []
    for eqn in func.body:
        cast = set(bools)
        scalars = {a.name for a in eqn.args if isinstance(a, Var) and _shape(a, shapes) == ()}
        if eqn.ns == "numpy" and (eqn.prim in ("stack", "concatenate") or prims[eqn.prim].partials is not None
                                  and len(scalars) == len(eqn.args)):  # (np.exp(x) of a number: a 0-d array)
            cast |= scalars
        eqn = _as_floats(eqn, cast, names, body)
        if eqn.prim in ("getitem", "scatter_add", "setitem", "additem"):  # (an index read from an array: an int)
            eqn = _as_ints(eqn, zero_d, names, body)
        if eqn.prim in _BOOLS:
            bools.add(eqn.out.name)
        if eqn.ns == "numpy" and _shape(eqn.out, shapes) == ():
            zero_d.add(eqn.out.name)
        body.append(_eqn(eqn, shapes, prims, backend, callees))
    modules = tuple(dict(func.modules, xp="xp").items())
    return replace(func, body=tuple(body), modules=modules)


def _as_floats(eqn: Eqn, bools: set, names, body: list) -> Eqn:
    """`eqn` reading the booleans in `bools` as float arrays where it computes with them
    (the standard has no arithmetic on booleans: `t / xp.sum(t)` of ties), and the numbers
    it stacks or applies a function of the standard to: each cast by an equation appended
    to `body` (its dtype is set by `finish`)."""
    if eqn.prim in _TAKE_BOOLS and eqn.prim != "where":
        return eqn
    args = list(eqn.args)
    for k, atom in enumerate(args):
        if isinstance(atom, Var) and atom.name in bools and not (eqn.prim == "where" and k == 0):
            cast = Var(names.temp(), temp=True)
            body.append(Eqn(cast, "asarray", (atom,), "xp", (("dtype", _FLOAT),), eqn.loc, eqn.guard))
            args[k] = cast
    return eqn.with_args(args)


def _as_ints(eqn: Eqn, zero_d: set, names, body: list) -> Eqn:
    """`eqn` indexing with the 0-d arrays in `zero_d` (`idx[k]`) as Python ints, each cast
    by an equation appended to `body`: the standard indexes with integer arrays only alone."""
    offset = 2 if eqn.prim in ("setitem", "additem") else 1
    args = list(eqn.args)
    for k in range(offset, len(args)):
        if isinstance(args[k], Var) and args[k].name in zero_d:
            cast = Var(names.temp(), temp=True)
            body.append(Eqn(cast, "trunc", (args[k],), "builtins", (), eqn.loc, eqn.guard))
            args[k] = cast
    return eqn.with_args(args)


def _body_shapes(eqn: Eqn, shapes: dict, prims) -> dict:
    """The shapes of the values of the loop `eqn`'s body (its own where they can be known)."""
    params = dict(eqn.params)
    try:
        iteration, rest, _ = body_shapes([_shape(a, shapes) for a in eqn.args], params["body"], params["kind"], prims)
        body = params["body"]
        given = dict(zip((p.var.name for p in body.params), (*iteration, *rest), strict=True))
        return {**shapes, **infer_shapes(body, given, prims)}
    except (ShapeError, TypeError, KeyError, ValueError, IndexError):
        return shapes


def _shape(atom, shapes: dict):
    return shapes.get(atom.name) if isinstance(atom, Var) else getattr(atom.value, "shape", ())


def _eqn(eqn: Eqn, shapes: dict, prims, backend: str, callees: dict) -> Eqn:
    params = dict(eqn.params)
    if eqn.prim == "loop":
        body = params["body"]
        inner = _body_shapes(eqn, shapes, prims)
        return replace(eqn, params=tuple({**params, "body": _func(body, inner, prims, backend, callees)}.items()))
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
    if eqn.prim in ("getitem", "scatter_add", "setitem", "additem"):
        return _indexing(eqn, params, args, backend)
    if eqn.prim == "einsum":
        params["subscripts"] = _explicit(eqn, params["subscripts"], args)
    if eqn.prim == "diag" and args[0] is not None and len(args[0]) == 2:  # (of a matrix: its diagonal)
        eqn, params = replace(eqn, prim="diagonal"), {"offset": params.get("k", 0)}
    if eqn.prim in _LAST_TWO:
        ndim = len(args[0]) if args[0] is not None else 2
        axes = (params.pop("axis1", 0) % ndim, params.pop("axis2", 1) % ndim)
        if axes != (ndim - 2, ndim - 1):
            _refuse(eqn, f"np.{eqn.prim} along axes {axes} has no Array API spelling (the standard's is of "
                    "the last two axes)", f"move those axes last (xp.permute_dims), then xp.linalg.{eqn.prim}")
    if eqn.prim == "copy":
        params["copy"] = True
    for name in ("shape", "reps"):
        if isinstance(params.get(name), int):
            params[name] = (params[name],)  # (the standard takes a tuple)
    if eqn.prim == "transpose" and not params.get("axes") and args[0] is not None and len(args[0]) != 2:
        params["axes"] = tuple(reversed(range(len(args[0]))))  # (.T is the standard's for matrices only)
    for old, new in _KEYWORD.get(eqn.prim, {}).items():
        if old in params:
            params[new] = params.pop(old)
    if eqn.prim not in _WRITTEN_HERE and not _in_namespace(backend, _SPELLED[eqn.prim]):
        _refuse(eqn, f"xp.{_SPELLED[eqn.prim]} is not in the namespace of {backend} arrays",
                "run it on another library's arrays (numpy, cupy, torch), or leave out xp=")
    if eqn.prim == "cholesky" and not _lower_cholesky(backend):
        _refuse(eqn, f"xp.linalg.cholesky of {backend} arrays returns the upper factor here, not the "
                "standard's lower one (an array_api_compat bug)", "run it on numpy, cupy or torch arrays")
    return replace(eqn, ns="xp", params=tuple(params.items()))


_WRITTEN_HERE = ("outer", "einsum", "diag", "tril", "triu")  # (by `finish`: helpers, products)
_MODULES = {"numpy": "array_api_compat.numpy", "cupy": "array_api_compat.cupy", "torch": "array_api_compat.torch",
            "dask": "array_api_compat.dask.array", "jax": "jax.numpy"}  # (a backend's namespace)


@functools.lru_cache(maxsize=None)
def _lower_cholesky(backend: str) -> bool:
    """Whether `backend`'s xp.linalg.cholesky gives the lower factor, as the standard says
    (True where its namespace cannot be imported here to tell)."""
    try:
        namespace = importlib.import_module(_MODULES.get(backend, backend))
    except ImportError:
        return True
    factor = namespace.linalg.cholesky(namespace.asarray([[4.0, 2.0], [2.0, 2.0]]))
    return float(factor[0, 1]) == 0.0


def _in_namespace(backend: str, name: str) -> bool:
    """Whether the namespace of `backend` arrays has the function `name` ('linalg.eigh');
    True where that namespace cannot be imported here to tell."""
    try:
        found = importlib.import_module(_MODULES.get(backend, backend))
    except ImportError:
        return True
    for part in name.split("."):
        found = getattr(found, part, None)
    return found is not None


def _explicit(eqn: Eqn, subscripts: str, shapes: list) -> str:
    """An einsum's subscripts with one letter per axis and its output written ('ij,jk->ik'),
    for the helper `_einsum`, which takes no repeated letter in an operand."""
    if any(s is None for s in shapes):
        _refuse(eqn, "np.einsum of operands of shapes not known here", "use xp.matmul or xp.tensordot")
    plan = einsum_plan(subscripts, shapes)
    if any(len(set(term)) != len(term) for term in plan.inputs):
        _refuse(eqn, f"np.einsum({subscripts!r}) reads a diagonal (a letter twice in one operand), which "
                "has no Array API spelling", "use xp.linalg.diagonal or xp.linalg.trace")
    return f"{','.join(plan.inputs)}->{plan.output}"


def _indexing(eqn: Eqn, params: dict, shapes: list, backend: str) -> Eqn:
    """A read, a write or a scatter at an index, for the standard: the index completed by
    `...` (x[0] of a matrix is x[0, ...]), unless it holds integer arrays (which the
    standard takes only alone: x[idx] of a matrix is xp.take(x, idx, axis=0)); a write at
    an array index refused where `backend` cannot, and a scatter-add at one that may
    repeat where it cannot add the repeated entries."""
    index = params["index"]
    offset = 2 if eqn.prim in ("setitem", "additem") else 1  # (where the index's arrays begin)
    arrays = [item for item in index if item[0] == "arg" and shapes[offset + item[1]]]
    writes = eqn.prim != "getitem"
    if writes and backend == "jax":
        _refuse(eqn, "this writes into an array (here, or the gradient of reading at an index does), and "
                "JAX arrays cannot be written into", "run it on numpy, cupy, torch or dask arrays")
    if writes and any(item[0] == "none" for item in index) and backend not in ADDS_REPEATED:
        _refuse(eqn, f"writing at an index that holds None (a new axis) is not in the standard, and "
                f"{backend} arrays cannot", "leave out the None: y[1] = v")
    if arrays and writes and backend not in WRITES_AT_ARRAYS:
        _refuse(eqn, f"writing at an index that holds an array (here, or in the gradient of reading "
                f"there) is not in the standard, and {backend} arrays cannot", "index with slices and "
                f"integers, or run it on {', '.join(WRITES_AT_ARRAYS)} arrays")
    if arrays and eqn.prim == "scatter_add" and not params.get("distinct") and backend not in ADDS_REPEATED:
        _refuse(eqn, f"the gradient of this read at an array index adds into entries the index may "
                f"repeat, which {backend} arrays cannot do (no np.add.at)",
                f"run it on {', '.join(ADDS_REPEATED)} arrays, or index with slices")
    if arrays and eqn.prim == "scatter_add" and backend == "torch" and len(arrays) != len(index):
        _refuse(eqn, "the gradient of this read adds at an index of arrays and slices or integers, which "
                "torch's index_put_ cannot", "index with integer arrays only: x[rows, cols]")
    if len(arrays) > 1 and backend == "dask":
        _refuse(eqn, "dask arrays cannot be indexed by several arrays at once (x[rows, cols])",
                "index one axis at a time, or run it on numpy, cupy or torch arrays")
    if eqn.prim == "getitem" and len(index) == 1 and arrays and shapes[0] and len(shapes[0]) > 1:
        return replace(eqn, prim="take", ns="xp", params=(("axis", 0),))
    if index and not arrays and not any(item[0] == "ellipsis" for item in index):
        params["index"] = (*index, ("ellipsis",))
    return replace(eqn, ns="xp", params=tuple(params.items()))


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
''', "_einsum": '''
def _einsum(xp, subscripts, *operands):
    """np.einsum(subscripts, *operands) for subscripts 'ij,jk->ik' with no letter twice in
    an operand: each operand's axes put in the order of all the letters, their broadcast
    product summed over the letters the output lacks (memory: every letter's length)."""
    inputs, output = subscripts.split("->")
    letters = sorted(set(inputs.replace(",", "")))
    total = None
    for term, x in zip(inputs.split(","), operands):
        x = xp.permute_dims(x, tuple(sorted(range(len(term)), key=lambda k: letters.index(term[k]))))
        for axis, letter in enumerate(letters):
            if letter not in term:
                x = xp.expand_dims(x, axis=axis)
        total = x if total is None else total * x
    summed = tuple(k for k, letter in enumerate(letters) if letter not in output)
    total = xp.sum(total, axis=summed) if summed else total
    kept = [letter for letter in letters if letter in output]
    return xp.permute_dims(total, tuple(kept.index(letter) for letter in output))
''', "_diag": '''
def _diag(xp, v, k):
    """np.diag(v, k) of a vector v: the square matrix with v on its k-th diagonal."""
    padded = xp.concat([v, xp.zeros(abs(k), dtype=v.dtype, device=device(v))])
    along = xp.reshape(padded, (-1, 1) if k >= 0 else (1, -1))  # (v[i] at (i, i + k), or at (j - k, j))
    return xp.eye(padded.shape[0], k=k, dtype=v.dtype, device=device(v)) * along
''', "_tril": '''
def _tril(xp, x, k):
    """np.tril: x with the entries above its k-th diagonal zero (of its last two axes)."""
    rows = xp.reshape(xp.arange(x.shape[-2], device=device(x)), (-1, 1))
    return xp.where(rows + k >= xp.arange(x.shape[-1], device=device(x)), x, xp.zeros_like(x))
''', "_triu": '''
def _triu(xp, x, k):
    """np.triu: x with the entries below its k-th diagonal zero (of its last two axes)."""
    rows = xp.reshape(xp.arange(x.shape[-2], device=device(x)), (-1, 1))
    return xp.where(rows + k <= xp.arange(x.shape[-1], device=device(x)), x, xp.zeros_like(x))
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


def finish(module: ast.Module, arrays: dict, numpy: str = "np") -> ast.Module:
    """The printed module `module` rewritten for the namespace (see the module docstring).
    `arrays`: each function's name -> its parameters that hold arrays, float ones first
    (the first gives the dtype and device of arrays the code makes); `numpy` NumPy's alias."""
    body = []
    for stmt in module.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in HELPERS:
            continue  # (NumPy's)
        if isinstance(stmt, ast.FunctionDef):
            body.append(_function(stmt, arrays.get(stmt.name) or [a.arg for a in stmt.args.args], numpy))
        elif not isinstance(stmt, (ast.Import, ast.ImportFrom)) or \
                any(a.name not in ("numpy", "xp") for a in stmt.names):
            body.append(stmt)
    called = {n.func.id for n in ast.walk(ast.Module(body, [])) if isinstance(n, ast.Call)
              and isinstance(n.func, ast.Name)}
    helpers = sorted(called & set(HELPERS))
    imported = ["array_namespace", "device"] + (["is_cupy_array", "is_torch_array"]
                                                if "_scatter_add" in helpers else [])
    header = [ast.ImportFrom("array_api_compat", [ast.alias(n, None) for n in imported], 0)]
    header += [ast.Import([ast.alias("numpy", "np")])] if "_scatter_add" in helpers else []
    return ast.Module(header + [ast.parse(HELPERS[name]).body[0] for name in helpers] + body, type_ignores=[])


def _function(definition: ast.FunctionDef, arrays: list, numpy: str) -> ast.FunctionDef:
    like = ast.Name(arrays[0], ast.Load()) if arrays else None
    _Respell(like, numpy).visit(definition)
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

    def __init__(self, like, numpy: str):
        self.like, self.numpy = like, numpy

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "xp":
            if func.attr in ("einsum", "diag", "tril", "triu"):  # (not in the standard: a helper)
                k = [kw.value for kw in node.keywords if kw.arg == "k"] or [ast.Constant(0)]
                extra = [] if func.attr == "einsum" else k  # (not optimize=; the generated code's functions
                return ast.Call(ast.Name(f"_{func.attr}", ast.Load()),  # have no defaults)
                                [ast.Name("xp", ast.Load()), *node.args, *extra], [])
            if func.attr == "outer":  # the product of a column and a row
                column = _call("xp.reshape", [node.args[0], ast.Constant((-1, 1))])
                return ast.BinOp(column, ast.Mult(), _call("xp.reshape", [node.args[1], ast.Constant((-1,))]))
            if func.attr == "broadcast_to" and _is_number(node.args[0]):  # (a number is no array)
                node = _call("xp.full", [node.args[1], node.args[0]])
                func = node.func
            elif func.attr == "stack" and all(map(_is_number, node.args[0].elts)):  # x[[0, 2]]'s index
                return _call("xp.asarray", [node.args[0]], [ast.keyword("device", _call("device", [self.like]))])
            elif func.attr in ("stack", "concat"):  # [1.0, x]: a number among arrays is a 0-d array
                node.args[0].elts = [self.made(_call("xp.asarray", [e])) if _is_number(e) else e
                                     for e in node.args[0].elts]
            elif func.attr not in ("where", "clip", *_MADE) and node.args and _is_number(node.args[0]):
                node.args[0] = self.made(_call("xp.asarray", [node.args[0]]))
            for keyword in [k for k in node.keywords if k.arg in _POSITIONAL]:  # xp.repeat(x, 2, axis=0)
                node.keywords.remove(keyword)
                node.args.append(keyword.value)
            for keyword in list(node.keywords):
                if isinstance(keyword.value, ast.Constant) and keyword.value.value == _FLOAT:
                    keyword.value = ast.Attribute(self.like, "dtype", ast.Load())
                    node.keywords.append(ast.keyword("device", _call("device", [self.like])))
            if func.attr == "arange" and not any(isinstance(a, ast.Constant) and isinstance(a.value, float)
                                                 for a in node.args):  # (np.arange(3) holds ints)
                node.keywords.append(ast.keyword("device", _call("device", [self.like])))
                return node
            return self.made(node) if func.attr in _MADE else node
        if isinstance(func, ast.Attribute) and func.attr == "copy" and len(node.args) <= 1:  # x[i].copy(), np.copy(x)
            return _call("xp.asarray", node.args or [func.value], [ast.keyword("copy", ast.Constant(True))])
        if isinstance(func, ast.Name) and func.id in HELPERS:
            args = [_index(a) for a in node.args]
            lead = [ast.Name("xp", ast.Load())] + ([self.like] if func.id.startswith("_scatter") else [])
            if None in lead:
                raise ValueError("an array helper in a function of no array argument")
            return ast.Call(func, lead + args, [])
        return node

    def made(self, node: ast.Call) -> ast.Call:
        """An array made from nothing (xp.zeros(shape)), of the function's float dtype and device."""
        if self.like is not None and not any(k.arg == "dtype" for k in node.keywords):
            node.keywords += [ast.keyword("dtype", ast.Attribute(self.like, "dtype", ast.Load())),
                              ast.keyword("device", _call("device", [self.like]))]
        return node

    def visit_Attribute(self, node: ast.Attribute):
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == self.numpy and node.attr in _CONSTANTS:
            node.value.id = "xp"  # np.pi
        elif isinstance(node.value, ast.Name) and node.value.id == self.numpy != "xp" and \
                node.attr not in ("copy", "s_"):  # (the user's own `xp`, read as NumPy: respelled)
            raise ValueError(f"{self.numpy}.{node.attr} left in code written for the Array API")
        return node


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float))


_POSITIONAL = ("repeats", "reps", "repetitions")  # (the standard's positional-only parameters)
_CONSTANTS = ("pi", "e", "inf", "nan", "newaxis")


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
