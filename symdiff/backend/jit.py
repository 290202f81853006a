"""Compiled gradients: the generated module, made ready for Numba's nopython mode.

`compile="numba"` (api.py) takes the module symdiff prints for a derivative and
rewrites the few constructs Numba does not compile, then hands every function in
it to `numba.njit`. The rewritten module is still plain, readable Python (it is
what `.source` shows), and runs unchanged without Numba:

  * the entry check `if not (type(x) is float ...): _check_arguments(...)` moves
    out of the compiled function into a Python wrapper that runs it first (Numba
    would refuse the check's own code, and a wrong argument still gets symdiff's
    located error instead of a typing error);
  * `for v in reversed(tape):` (a loop's tape, popped backwards) becomes a loop
    over the indices, `for k in range(len(tape) - 1, -1, -1): v = tape[k]`, and
    `reversed(range(a, b))` the range counting down;
  * `np.stack([a, b, c])` (Numba stacks no list) becomes a small function filling
    an `np.empty`;
  * the index helpers `_scatter(shape, np.s_[i, 1:], v)`, `_scatter_add`,
    `_setitem` and `_additem` become one small function per index, written out
    (`total = np.zeros(shape); total[i, 1:] = v`), since Numba has no `np.s_`;
    `np.add.at`, where an index array may repeat an entry, becomes a loop over
    that array (one index array; others are refused).

Numba types the code at its first call for each combination of argument types,
and keeps what it compiled (`cache=False`: in memory, per process). What Numba
still cannot compile (a SciPy function, `np.vectorize`) raises a SymdiffError at
that first call, located at the differentiated function, naming the generated
line and Numba's reason, not Numba's traceback.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import linecache
import re

from ..errors import Loc, UnsupportedSyntaxError
from .emit import compile_source

_INDEXED = {"_scatter": ("zeros", "="), "_scatter_add": ("zeros", "+="), "_setitem": ("copy", "="),
            "_additem": ("copy", "+=")}  # helper -> (how the result starts, how values go in)


class NumbaError(UnsupportedSyntaxError):
    """Numba cannot compile the generated code (or is not installed)."""


class _Refused(Exception):
    """A construct the rewrite cannot give Numba (the message; located by `compiled`)."""


def numba_module(loc: Loc) -> object:
    """The `numba` package, or a NumbaError at `loc` saying how to install it."""
    try:
        return importlib.import_module("numba")
    except ImportError:
        raise NumbaError(loc, "compile='numba' needs Numba, which is not installed: "
                         "pip install 'symdiff[numba]'") from None


def numba_source(source: str, name: str) -> str:
    """The generated module `source` (defining the function `name`) rewritten for Numba."""
    module = ast.parse(source)
    numpy = _numpy_alias(module)
    helpers: list[ast.FunctionDef] = []
    kept = []
    for stmt in module.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in _INDEXED:
            continue  # (replaced by one function per index, below)
        if isinstance(stmt, ast.FunctionDef) and stmt.name != "_check_arguments":
            _Rewriter(helpers, numpy).visit(stmt)
        kept.append(stmt)
    function = next(s for s in kept if isinstance(s, ast.FunctionDef) and s.name == name)
    check = _entry_check(function)
    if check is not None:  # def _check_grad_f(x, y): if not (...): _check_arguments(...)
        kept.append(ast.FunctionDef(f"_check_{name}", copy.deepcopy(function.args), [check], [], None))
    defs = [i for i, s in enumerate(kept) if isinstance(s, ast.FunctionDef)]
    at = defs[0] if defs else len(kept)
    return module_text(kept[:at] + helpers + kept[at:])


def module_text(statements: list) -> str:
    """The source text of a module of `statements`, two blank lines before each def."""
    text = ""
    for stmt in statements:
        part = ast.unparse(ast.fix_missing_locations(stmt))
        text += ("\n\n" if isinstance(stmt, ast.FunctionDef) and text else "") + part + "\n"
    return text


def _entry_check(function: ast.FunctionDef) -> ast.If | None:
    """Take the entry check out of `function` (after its docstring), and return it."""
    body = function.body
    start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
    if len(body) > start and isinstance(body[start], ast.If) and "_check_arguments" in ast.unparse(body[start]):
        return body.pop(start)
    return None


class _Rewriter(ast.NodeTransformer):
    """Rewrites one generated function; the index helpers it needs go to `helpers`, which
    call NumPy by the module's name for it, `numpy` (the user's alias: np, numpy, ...)."""

    def __init__(self, helpers: list, numpy: str):
        self.helpers, self.numpy = helpers, numpy
        self.counter = 0

    def visit_For(self, node: ast.For):
        self.generic_visit(node)
        it = node.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "reversed"):
            return node
        inner = it.args[0]
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "range":
            node.iter = _countdown(inner)
            return node
        k = ast.Name(f"_k{self.counter}", ast.Store())  # for v in reversed(tape)
        self.counter += 1
        length = ast.Call(ast.Name("len", ast.Load()), [inner], [])
        start = ast.BinOp(length, ast.Sub(), ast.Constant(1))
        node.iter = ast.Call(ast.Name("range", ast.Load()), [start, ast.Constant(-1), ast.Constant(-1)], [])
        read = ast.Assign([node.target], ast.Subscript(copy.deepcopy(inner), ast.Name(k.id, ast.Load()), ast.Load()))
        node.target = k
        node.body.insert(0, read)
        return node

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _INDEXED and len(node.args) == 3 \
                and isinstance(node.args[1], ast.Subscript):
            return self._indexed(node)
        if _is_stack(node, self.numpy):
            return self._stacked(node)
        return node

    def _stacked(self, node: ast.Call) -> ast.Call:
        """`np.stack([a, b, c])` (numbers or arrays of one shape: Numba stacks neither a list
        of numbers nor a list of arrays) as `_stack_1(a, b, c)`, which fills an np.empty."""
        items = node.args[0].elts
        name = f"_stack_{len(self.helpers) + 1}"
        params = [f"v{k}" for k in range(len(items))]
        lines = [f"def {name}({', '.join(params)}):",
                 f"    total = {self.numpy}.empty(({len(items)},) + {self.numpy}.shape(v0))"]
        lines += [f"    total[{k}] = {p}" for k, p in enumerate(params)]
        lines.append("    return total")
        self.helpers.append(ast.parse("\n".join(lines)).body[0])
        return ast.Call(ast.Name(name, ast.Load()), list(items), [])

    def _indexed(self, node: ast.Call) -> ast.Call:
        """`_scatter(shape, np.s_[i, 1:], v)` as `_scatter_1(shape, v, i)`, the function
        `_scatter_1` written out for that index."""
        helper = node.func.id
        start, how = _INDEXED[helper]
        index = node.args[1].slice
        free = sorted({n.id for n in ast.walk(index) if isinstance(n, ast.Name)})
        name = f"{helper}_{len(self.helpers) + 1}"
        params = ["base", "values", *free]
        first = ast.Call(ast.Attribute(ast.Name(self.numpy, ast.Load()), start, ast.Load()),
                         [ast.Name("base", ast.Load())], [])
        body: list[ast.stmt] = [ast.Assign([ast.Name("total", ast.Store())], first)]
        target = ast.Subscript(ast.Name("total", ast.Load()), copy.deepcopy(index), ast.Store())
        values = ast.Name("values", ast.Load())
        if helper == "_scatter_add" and free:  # np.add.at: an index array may repeat an entry
            body.append(_add_at(node, index, free))
        elif how == "+=":
            body.append(ast.AugAssign(target, ast.Add(), values))
        else:
            body.append(ast.Assign([target], values))
        body.append(ast.Return(ast.Name("total", ast.Load())))
        args = ast.arguments([], [ast.arg(p) for p in params], None, [], [], None, [])
        self.helpers.append(ast.FunctionDef(name, args, body, [], None))
        return ast.Call(ast.Name(name, ast.Load()), [node.args[0], node.args[2],
                                                     *(ast.Name(n, ast.Load()) for n in free)], [])


def _numpy_alias(module: ast.Module) -> str:
    """The name the generated module imports NumPy as (the user's: np, numpy, ...)."""
    for stmt in module.body:
        for alias in stmt.names if isinstance(stmt, ast.Import) else ():
            if alias.name == "numpy":
                return alias.asname or "numpy"
    return "np"


def _is_stack(node: ast.Call, numpy: str) -> bool:
    """Whether `node` is `np.stack([...])` of a list written out, along the first axis."""
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "stack" and isinstance(func.value, ast.Name) \
        and func.value.id == numpy and len(node.args) == 1 and isinstance(node.args[0], ast.List) \
        and node.args[0].elts and all(k.arg == "axis" and isinstance(k.value, ast.Constant)
                                      and k.value.value == 0 for k in node.keywords)


def _countdown(call: ast.Call) -> ast.Call:
    """`reversed(range(...))` as a range counting down (a step written as a number)."""
    args = list(call.args)
    if len(args) == 1:
        args.insert(0, ast.Constant(0))
    start, stop = args[0], args[1]
    step = args[2] if len(args) == 3 else ast.Constant(1)
    if not (isinstance(step, ast.Constant) and isinstance(step.value, int) and step.value > 0):
        raise _Refused(f"compile='numba': {ast.unparse(call)} counts with a step that is "
                         "not a positive number written out; write the loop with range(start, stop, 2)")
    if step.value == 1:
        return ast.Call(ast.Name("range", ast.Load()), [_less_one(stop), _less_one(start), ast.Constant(-1)], [])
    count = f"max(0, ({ast.unparse(stop)} - {ast.unparse(start)} + {step.value - 1}) // {step.value})"
    text = f"range({ast.unparse(start)} + ({count} - 1) * {step.value}, {ast.unparse(start)} - {step.value}, " \
           f"-{step.value})"
    return ast.parse(text, mode="eval").body


def _less_one(bound: ast.expr) -> ast.expr:
    """`bound - 1`, folded where the bound is a number (`range(19, -1, -1)`)."""
    if isinstance(bound, ast.Constant) and type(bound.value) is int:
        return ast.Constant(bound.value - 1)
    return ast.BinOp(bound, ast.Sub(), ast.Constant(1))


def _add_at(node: ast.Call, index: ast.expr, free: list) -> ast.stmt:
    """`np.add.at(total, index, values)` as a loop over the one index array in `index`."""
    entries = index.elts if isinstance(index, ast.Tuple) else [index]
    arrays = [e for e in entries if isinstance(e, ast.Name)]
    if len(arrays) != 1 or any(not isinstance(e, (ast.Name, ast.Slice)) for e in entries) \
            or any(isinstance(e, ast.Slice) and (e.lower or e.upper or e.step) for e in entries):
        raise _Refused(f"compile='numba': the adjoint of the read x[{ast.unparse(index)}] adds at "
                         "an index that may repeat, which Numba cannot do (np.add.at) with more than one "
                         "index array; index with one array, or np.arange(...) beside it")
    position = entries.index(arrays[0])
    k = ast.Name("_k", ast.Load())
    picked = [ast.Subscript(ast.Name(arrays[0].id, ast.Load()), k, ast.Load()) if i == position else
              ast.Slice() for i in range(len(entries))]
    target = ast.Subscript(ast.Name("total", ast.Load()), ast.Tuple(picked, ast.Load()) if len(picked) > 1
                           else picked[0], ast.Store())
    lead = ast.Subscript(ast.Name("values", ast.Load()),
                         ast.Tuple([ast.Slice()] * position + [k], ast.Load()) if position else k, ast.Load())
    shape = ast.Subscript(ast.Attribute(ast.Name(arrays[0].id, ast.Load()), "shape", ast.Load()),
                          ast.Constant(0), ast.Load())
    loop = ast.For(ast.Name("_k", ast.Store()), ast.Call(ast.Name("range", ast.Load()), [shape], []),
                   [ast.AugAssign(target, ast.Add(), lead)], [], None)
    return loop


def compiled(generated, source: str, name: str, loc: Loc):
    """The Numba-compiled version of the generated function `generated` (whose module is
    `source` and name `name`), `loc` the differentiated function's place, for errors."""
    numba = numba_module(loc)
    try:
        text = numba_source(source, name)
    except _Refused as refused:
        raise NumbaError(loc, str(refused)) from None
    function = compile_source(text, name)
    namespace = function.__globals__
    for key, value in list(namespace.items()):
        if inspect.isfunction(value) and value.__module__ == "symdiff.generated" \
                and key != "_check_arguments" and not key.startswith("_check_"):
            namespace[key] = numba.njit(cache=False)(value)
    fast = namespace[name]
    check = namespace.get(f"_check_{name}")
    located = _located_check(generated)
    if check is not None and located is not None:
        namespace["_check_arguments"] = located  # (what symdiff's own code raises: located errors)

    def call(*args):
        if check is not None:
            check(*args)
        try:
            return fast(*args)
        except numba.core.errors.NumbaError as exc:
            if any(_holds_arrays(a) for a in args):  # (what Numba typed as a Python object)
                raise NumbaError(loc, f"compile='numba': {name} was given a container of arrays (a "
                                 "dict, a list of arrays); Numba takes numbers, arrays and lists of "
                                 "numbers: pass the arrays one by one, or use compile=None") from None
            raise _located(exc, text, name, loc) from None

    call.__name__ = call.__qualname__ = name
    call.source = text
    call.numba = fast
    return call


def _holds_arrays(value) -> bool:
    """Whether `value` is a dict, or a list or tuple holding arrays or containers."""
    return isinstance(value, dict) or isinstance(value, (list, tuple)) and any(
        hasattr(v, "shape") or isinstance(v, (list, tuple, dict)) for v in value)


def _located_check(generated):
    """What `_check_arguments` is bound to in symdiff's compiled `generated` (a global, or
    a closure variable where the code reads the user's globals live), or None."""
    found = generated.__globals__.get("_check_arguments")
    if found is None:
        found = inspect.getclosurevars(generated).nonlocals.get("_check_arguments")
    return found


def _located(exc: Exception, text: str, name: str, loc: Loc | None) -> NumbaError:
    """The SymdiffError for Numba's `exc`: the generated line it names, and its reason."""
    message = str(exc)
    lines = [int(n) for n in re.findall(r'File "<symdiff [^>]*>", line (\d+)', message)]
    printed = text.splitlines()
    where = f" (generated line {lines[-1]}: `{printed[lines[-1] - 1].strip()}`)" if lines and \
        lines[-1] <= len(printed) else ""
    reason = next((ln.strip() for ln in message.splitlines() if ln.strip() and not ln.startswith("Failed in")),
                  type(exc).__name__)
    return NumbaError(loc, f"compile='numba': Numba cannot compile {name}{where}: {reason[:300]}; "
                      "use compile=None for this function, or write that step with what Numba "
                      "supports (math functions, NumPy ufuncs and reductions, loops)")


def compiled_derivative(derivative, fun, how: str | None):
    """`derivative` (what api's grad, jvp, ... return for `fun`) compiled as `how` says:
    None leaves it as it is; 'numba' compiles the code generated for each argument shape
    (array code) or the one code (numbers) on first use."""
    if how is None:
        return derivative
    if how != "numba":
        raise ValueError(f"compile={how!r}: use 'numba' or None")
    loc = _function_loc(fun)
    numba_module(loc)  # (refused now, not at the first call, when Numba is missing)
    if inspect.ismethod(fun) or inspect.ismethod(derivative):
        raise NumbaError(loc, f"compile='numba' of the method {fun.__qualname__}: Numba cannot take its "
                         "object; differentiate a function of the attributes it reads instead")
    made: dict = {}  # generated function -> its compiled version

    def fast_for(generated):
        found = made.get(generated)
        if found is None:
            text = "".join(linecache.getlines(generated.__code__.co_filename))
            found = made[generated] = compiled(generated, text, generated.__name__, loc)
            call.source = found.source  # (the code compiled last, as array code's .source is)
        return found

    specialized = getattr(derivative, "specialized", None)
    signature = inspect.signature(derivative) if specialized is None else None

    def call(*args, **kwargs):
        if specialized is not None:  # array code: generated for the arguments' shapes
            generated = specialized(*args, **kwargs)
            if kwargs:
                args = inspect.signature(generated).bind(*args, **kwargs).args
        else:
            generated = derivative
            if kwargs:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                args = bound.args
        return fast_for(generated)(*args)

    call.__name__ = derivative.__name__
    named = derivative.__qualname__
    call.__qualname__ = f"{named[:-1]}, compile='numba')" if named.endswith(")") else named
    for attribute in ("fun", "lowered", "wrt", "derivation"):
        if hasattr(derivative, attribute):
            setattr(call, attribute, getattr(derivative, attribute))
    call.compiled = made
    call.source = numba_source(derivative.source, derivative.__name__) if specialized is None \
        else getattr(derivative, "source", "# generated for the arguments' shapes at its first call\n")
    return call


def _function_loc(fun) -> Loc:
    """Where `fun` is defined, for errors (its file and def line)."""
    code = getattr(getattr(fun, "__func__", fun), "__code__", None)
    if code is None:
        return Loc("<unknown>", 1, 1)
    return Loc(code.co_filename, code.co_firstlineno, 1)
