"""The Array API backend's printed module: what arrayapi.py's IR printed as NumPy code
becomes for the namespace `xp`.

`finish(module, arrays)` rewrites the printed module: the imports become
`from array_api_compat import array_namespace, device`, each function begins with
`xp = array_namespace(<its array arguments>)`, arrays are made with the dtype and device of
its first float array argument, and the helpers (scatter, copies written into) take `xp`
and index tuples (`(slice(None), 2, ...)`) instead of NumPy's `np.s_[:, 2]`. What the
standard lacks is written with what it has: `np.outer` as a product of reshapes, and
helpers for `np.einsum` (a broadcast product summed), `np.diag` of a vector, `np.tril`
and `np.triu` (`xp.where` of an index comparison).
"""

from __future__ import annotations

import ast

from .arrayapi import FLOAT_DTYPE

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
                if isinstance(keyword.value, ast.Constant) and keyword.value.value == FLOAT_DTYPE:
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
