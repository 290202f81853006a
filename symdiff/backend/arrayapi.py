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

xpmodule.py then rewrites the module printed from it (`finish`).

The result runs on any namespace array_api_compat knows (NumPy, CuPy, torch, Dask) and
on array-api-strict; importing symdiff does not import array_api_compat (the code
generated here does).
"""

from __future__ import annotations

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
FLOAT_DTYPE = "the float dtype"  # (a dtype parameter xpmodule.finish writes as that of the float arrays)


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
    names, bools, zero_d, perms, body, same = NameAllocator.for_func(func), set(), set(), set(), [], {}
    for eqn in func.body:
        eqn = eqn.with_args([same.get(a.name, a) if isinstance(a, Var) else a for a in eqn.args])
        if eqn.prim == "transpose" and eqn.ns == "numpy" and not dict(eqn.params).get("axes") and \
                _shape(eqn.args[0], shapes) is not None and len(_shape(eqn.args[0], shapes)) < 2:
            same[eqn.out.name] = eqn.args[0]  # (the transpose of a vector is the vector)
            continue
        cast = set(bools)
        scalars = {a.name for a in eqn.args if isinstance(a, Var) and _shape(a, shapes) == ()}
        if eqn.ns == "numpy" and (eqn.prim in ("stack", "concatenate") or prims[eqn.prim].partials is not None
                                  and len(scalars) == len(eqn.args)):  # (np.exp(x) of a number: a 0-d array)
            cast |= scalars
        eqn = _as_floats(eqn, cast, names, body)
        if eqn.prim in ("getitem", "scatter_add", "setitem", "additem"):  # (an index read from an array: an int)
            eqn = _as_ints(eqn, zero_d, names, body)
        if _permutes(eqn, shapes, perms):  # x_bar[p] = g for p = argsort(x): x_bar = g[argsort(p)]
            inverse = Var(names.temp(), temp=True)
            body.append(Eqn(inverse, "argsort", (eqn.args[1],), "xp", (), eqn.loc, eqn.guard))
            eqn = Eqn(eqn.out, "take", (eqn.args[0], inverse), "xp", (("axis", 0),), eqn.loc, eqn.guard)
        if eqn.prim == "argsort" and eqn.ns == "numpy" and len(_shape(eqn.out, shapes) or ()) == 1:
            perms.add(eqn.out.name)
        if eqn.prim in _BOOLS:
            bools.add(eqn.out.name)
        if eqn.ns == "numpy" and _shape(eqn.out, shapes) == ():
            zero_d.add(eqn.out.name)
        body.append(_eqn(eqn, shapes, prims, backend, callees))
    modules = tuple(dict(func.modules, xp="xp").items())
    return replace(func, body=tuple(body), modules=modules, results=_renamed(func.results, same))


def _renamed(results, same: dict):
    """`results` (atoms, tuples of them) with the variables in `same` replaced."""
    if isinstance(results, tuple):
        return tuple(_renamed(r, same) for r in results)
    return same.get(results.name, results) if isinstance(results, Var) else results


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
            body.append(Eqn(cast, "asarray", (atom,), "xp", (("dtype", FLOAT_DTYPE),), eqn.loc, eqn.guard))
            args[k] = cast
    return eqn.with_args(args)


def _permutes(eqn: Eqn, shapes: dict, perms: set) -> bool:
    """Whether `eqn` scatters a vector at a permutation of its entries (the adjoint of
    reading x[p], p in `perms`, of argsort): a gather by the inverse permutation instead,
    which needs no write at an array index."""
    index = dict(eqn.params).get("index", ())
    if eqn.prim != "scatter_add" or eqn.ns != "numpy" or len(index) != 1 or index[0][:2] != ("arg", 0):
        return False
    values, index = eqn.args
    return isinstance(index, Var) and index.name in perms and isinstance(values, Var) and \
        _shape(values, shapes) == _shape(index, shapes) == tuple(dict(eqn.params)["shape"])


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
