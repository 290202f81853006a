"""Parse: a Python function, or a function in a file, to its syntax tree and scope.

`parse_function(fn)` reads a live function's source (its file, through
`linecache`), finds its `def` or `lambda` node, and resolves the names it reads
from outside through its globals, closure and builtins. `parse_file(path, name)`
does the same statically for the CLI: it never imports or runs the user's file;
outside names resolve through the module's imports and module-level numeric
constants only.

Output: a `Source` whose `lookup(name)` classifies every free name as a library
module, a library function (a primitive), a numeric constant, or unknown.
Line and column numbers in the tree are those of the user's file.
"""

from __future__ import annotations

import ast
import builtins
import functools
import linecache
import math
import numbers
import sys
import types
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from ..generated import EntryCheckRef, is_check_definition
from ..primitives.custom import registered
from .namespaces import is_namespace_function, is_namespace_import, without_namespaces
from ..errors import ArgumentCheck, Loc, SourceUnavailableError, UnknownFunctionError, UnsupportedSyntaxError
from ..primitives import CONSTANTS, LAZY_MODULES, LIBRARY, MODULES, library_module, resolve_attribute


@dataclass(frozen=True)
class ModuleRef:
    ns: str      # 'math', 'numpy', 'operator' or 'scipy' (primitives.MODULES, LAZY_MODULES)
    alias: str   # the name the source uses for it
    prefix: str = ""  # a submodule's path in the namespace ("special." for scipy.special as sps)


@dataclass(frozen=True)
class FunctionRef:
    prim: str
    ns: str


@dataclass(frozen=True)
class ConstRef:
    value: object
    label: str


@dataclass(frozen=True)
class ConstTuple:
    """A module-level tuple of numbers: a loop can run over it and it can be indexed (it is
    written out, with the numbers it holds when symdiff transforms the function)."""

    values: tuple
    label: str


@dataclass(frozen=True)
class CustomRef:
    """A function with a custom derivative rule (primitives/custom.py): `partials` are functions,
    or their names where the file was read statically (then `fun` is None)."""

    name: str
    fun: object = field(compare=False)
    partials: tuple = field(compare=False)


@dataclass(frozen=True)
class Unknown:
    what: str        # what the name is, for the error message
    advice: str = ""  # what to do instead, where the usual advice does not fit


@dataclass(frozen=True)
class Namespace(Unknown):
    """array_api_compat's `array_namespace`: `xp = array_namespace(x)` makes `xp` NumPy
    (namespaces.py); called anywhere else, it is refused as Unknown."""


@dataclass(frozen=True)
class UserFunction:
    """A Python function with source, called (or inlined) where the function calls it."""

    name: str
    key: tuple   # (file, line, name): tells a recursive call
    load: Callable[[], "Source"] = field(compare=False, repr=False)


@dataclass(frozen=True)
class UserModule:
    """A module of the user's (not math or NumPy): its functions can be differentiated."""

    name: str
    module: types.ModuleType = field(compare=False, repr=False)

    def attribute(self, attr: str) -> "Binding | None":
        if not hasattr(self.module, attr):
            return None
        return classify(getattr(self.module, attr), f"{self.name}.{attr}")


Binding = (ModuleRef | FunctionRef | ConstRef | ConstTuple | CustomRef | Unknown | UserFunction | UserModule
           | EntryCheckRef)


@dataclass(frozen=True)
class Source:
    """A function's syntax tree and how its free names resolve."""

    node: ast.FunctionDef | ast.Lambda
    name: str
    filename: str
    lookup: Callable[[str], Binding | None]
    defaults: dict  # parameter name -> default value
    live: tuple | None = None  # (globals, closure cells by name) of a live function
    receiver: object = None  # a method's object parameter: a receivers.Receiver

    @property
    def key(self) -> tuple:
        """The identity `UserFunction.key` gives the same function: tells recursion."""
        return (self.filename, _first_line(self.node), self.name)

    @property
    def params(self) -> list[ast.arg]:
        """The parameters' nodes in order (positional-only, positional, keyword-only), as
        lowering numbers them: `wrt` can be checked against them before lowering. (A
        method's self bound to its object is no parameter: lowering drops it.)"""
        params = _all_args(self.node.args)
        return params[1:] if self.receiver is not None and self.receiver.value else params

    def loc(self, node: ast.AST | None = None) -> Loc:
        node = node or self.node
        return Loc(self.filename, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


_NAMESPACE = Namespace("function array_namespace", "call it once, at the top: xp = array_namespace(x)")
_MODULE_NS = {id(module): ns for ns, module in MODULES.items() if ns != "builtins"}
_FUNCTION_IDS = {id(resolve_attribute(MODULES[ns], attr)): ref for (ns, attr), ref in LIBRARY.items()
                 if ns in MODULES}
_TREES: dict[str, tuple[str, ast.Module]] = {}


def _parse_text(filename: str, text: str) -> ast.Module:
    cached = _TREES.get(filename)
    if cached is None or cached[0] != text:
        cached = (text, ast.parse(text, filename))
        _TREES[filename] = cached
    return cached[1]


def parse_function(fn) -> Source:
    """Find `fn`'s source and scope.

    Raises:
        SourceUnavailableError: `fn` is not a plain Python function, or its
            source cannot be read (defined by exec, in the REPL, or compiled).
    """
    if not isinstance(fn, types.FunctionType):
        name = getattr(fn, "__qualname__", type(fn).__name__)
        raise SourceUnavailableError(
            Loc(f"<{name}>", 1, 1),
            f"{name!s} is a {type(fn).__name__}, not a Python function with source; "
            "wrap it in a def (or register a custom rule) to differentiate it")
    code = fn.__code__
    loc = Loc(code.co_filename, code.co_firstlineno, 1)
    lines = linecache.getlines(code.co_filename, fn.__globals__)
    if not lines:
        raise SourceUnavailableError(
            loc, f"the source of {fn.__qualname__} cannot be read (defined by exec or in "
            "the REPL); define it in a .py file, or run the CLI on the file")
    tree = _parse_text(code.co_filename, "".join(lines))
    node = _find_node(tree, code, loc)
    defaults = _live_defaults(fn, node)
    cells = dict(zip(code.co_freevars, fn.__closure__ or (), strict=True))
    return _with_namespaces(Source(node, fn.__name__, code.co_filename, _live_lookup(fn), defaults,
                                   (fn.__globals__, cells)))


def _with_namespaces(source: Source) -> Source:
    """`source` with `xp = array_namespace(x)` dropped and `xp` resolved as NumPy
    (namespaces.py), where the function fetches an Array API namespace."""
    def is_namespace_call(func) -> bool:
        if isinstance(func, ast.Name):
            return isinstance(source.lookup(func.id), Namespace)
        base = func.value if isinstance(func, ast.Attribute) else None
        module = source.lookup(base.id) if isinstance(base, ast.Name) else None  # array_api_compat.array_namespace
        return isinstance(module, UserModule) and isinstance(module.attribute(func.attr), Namespace)

    node, names = without_namespaces(source.node, is_namespace_call)
    if not names:
        return source
    lookup = source.lookup
    return replace(source, node=node, lookup=lambda n: ModuleRef("numpy", n) if n in names else lookup(n))


def _first_line(node) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def _find_node(tree, code, loc):
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    found = [n for n in ast.walk(tree) if isinstance(n, kinds) and _first_line(n) == code.co_firstlineno
             and getattr(n, "name", "<lambda>") == code.co_name]
    if len(found) > 1:
        argnames = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        found = [n for n in found if tuple(a.arg for a in _all_args(n.args)) == argnames]
    if len(found) != 1:
        raise SourceUnavailableError(
            loc, f"cannot tell which of {len(found)} functions named {code.co_name} on this "
            "line to differentiate; give each its own line or a def")
    return found[0]


def _all_args(args: ast.arguments):
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def refuse_star_params(args: ast.arguments, locate) -> None:
    """Raise UnsupportedSyntaxError at a `*args` or `**kwargs` parameter (`locate(node)` is
    its Loc): its arguments cannot be named or differentiated one by one."""
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            raise UnsupportedSyntaxError(locate(extra), f"*{extra.arg} / **{extra.arg} parameters cannot be "
                                         "differentiated; list the parameters one by one")


def _live_defaults(fn, node) -> dict:
    positional = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    values = fn.__defaults__ or ()
    defaults = dict(zip(positional[len(positional) - len(values):], values, strict=True))
    defaults.update(fn.__kwdefaults__ or {})
    return defaults


def classify(value, name: str) -> Binding:
    """What a free name's value means to symdiff."""
    if isinstance(value, ArgumentCheck) or _is_saved_check(value):
        return EntryCheckRef(name)
    if id(value) in _MODULE_NS:
        return ModuleRef(_MODULE_NS[id(value)], name)
    if is_namespace_function(value):
        return _NAMESPACE
    lazy = _lazy_library(value, name)
    if lazy is not None:
        return lazy
    ref = _FUNCTION_IDS.get(id(value)) if callable(value) else None
    if ref is not None:
        return FunctionRef(*ref)
    partials = registered(value) if callable(value) else None
    if partials is not None:
        return CustomRef(name, value, partials)
    if isinstance(value, (bool, numbers.Real, np.bool_)):
        return ConstRef(value, name)
    if isinstance(value, tuple) and all(isinstance(v, (bool, numbers.Real)) for v in value):
        return ConstTuple(value, name)
    if isinstance(value, list) and all(isinstance(v, (bool, numbers.Real)) for v in value):
        return Unknown("list, which may change after symdiff reads it",  # (a tuple cannot)
                       "make it a tuple of numbers, or pass it as a parameter")
    if isinstance(value, types.FunctionType) and hasattr(value, "specialized"):
        return Unknown("derivative symdiff generates per argument shape at its first call (array code)",
                       "apply symdiff.jvp, jacobian or hessian to it directly instead of calling it here")
    if isinstance(value, types.FunctionType):
        code = value.__code__
        return UserFunction(name, (code.co_filename, code.co_firstlineno, code.co_name),
                            lambda: parse_function(value))
    if isinstance(value, types.ModuleType):
        return UserModule(name, value)
    if not callable(value):
        return Unknown(f"{type(value).__name__}, not a number or a tuple of numbers",
                       "pass it as a parameter (a NumPy array, or numbers)")
    return Unknown(f"{type(value).__name__} {name}", "give it a derivative with symdiff.custom_derivative, "
                   "or use math/NumPy functions")


def _lazy_library(value, name: str) -> ModuleRef | FunctionRef | None:
    """`value` as a module or function of a library imported lazily (scipy, scipy.special,
    scipy.special.expit), if it is one. Only a library already imported can hold `value`."""
    for ns, dotted in LAZY_MODULES.items():
        top = sys.modules.get(ns)
        if top is not None and value is top:
            return ModuleRef(ns, name)
        if top is None or dotted not in sys.modules:
            continue
        if value is sys.modules[dotted]:
            return ModuleRef(ns, name, dotted[len(ns) + 1:] + ".")
        ref = _lazy_function_ids(ns).get(id(value)) if callable(value) else None
        if ref is not None:
            return FunctionRef(*ref)
    return None


@functools.lru_cache(maxsize=None)
def _lazy_function_ids(ns: str) -> dict:
    """id of each function of the lazy namespace `ns` the table spells -> its (primitive, ns)."""
    module = library_module(ns)
    ids = {}
    for (space, attr), ref in LIBRARY.items():
        if space == ns:
            try:
                ids[id(resolve_attribute(module, attr))] = ref
            except AttributeError:  # (an older SciPy without it)
                continue
    return ids


def _is_saved_check(value) -> bool:
    """Whether `value` is the `_check_arguments` of a generated module saved and imported."""
    if not (isinstance(value, types.FunctionType) and value.__name__ == "_check_arguments"):
        return False
    code = value.__code__
    lines = linecache.getlines(code.co_filename, value.__globals__)
    try:
        node = _find_node(_parse_text(code.co_filename, "".join(lines)), code, Loc(code.co_filename, 1, 1))
    except (SyntaxError, SourceUnavailableError):
        return False
    return is_check_definition(node)


def _live_lookup(fn):
    cells = fn.__closure__ or ()
    closure = {}
    for name, cell in zip(fn.__code__.co_freevars, cells, strict=True):
        try:
            closure[name] = cell.cell_contents
        except ValueError:  # an empty cell: assigned after the function was defined
            closure[name] = None

    def lookup(name: str) -> Binding | None:
        for space in (closure, fn.__globals__, vars(builtins)):
            if name in space:
                return classify(space[name], name)
        return None

    return lookup


# ---------------------------------------------------------------- static (CLI)

def parse_file(path: str, name: str) -> Source:
    """Find function `name` in the file at `path` without importing or running it.

    Raises:
        SourceUnavailableError: the file cannot be read or has no such function.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise SourceUnavailableError(Loc(path, 1, 1), f"cannot read {path}: {exc.strerror}") from None
    try:
        tree = _parse_text(path, text)
    except SyntaxError as exc:
        raise SourceUnavailableError(
            Loc(path, exc.lineno or 1, exc.offset or 1), f"the file does not parse: {exc.msg}") from None
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    defs = [n for n in tree.body if isinstance(n, kinds) and n.name == name]
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name.partition(".")[0]]
    if not defs and classes and "." in name:  # Model.loss: self's attributes exist when the file runs
        raise SourceUnavailableError(
            Loc(path, classes[-1].lineno, classes[-1].col_offset + 1),
            f"{name} is a method of class {classes[-1].name}; the CLI reads the file without running "
            "it, so it cannot know self's attributes: differentiate the bound method from Python "
            f"(symdiff.grad(obj.{name.rpartition('.')[2]}))")
    if not defs:
        available = ", ".join(n.name for n in tree.body if isinstance(n, kinds)) or "none"
        raise SourceUnavailableError(
            Loc(path, 1, 1), f"no top-level function named {name!r} (functions here: {available})")
    return _static_source(defs[-1], _static_bindings(tree, path), path)


def _static_source(node: ast.FunctionDef, bindings: dict, path: str) -> Source:
    defaults = _static_defaults(node, bindings, path)
    lookup = lambda n: bindings.get(n) or _builtin_binding(n)  # noqa: E731
    return _with_namespaces(Source(node, node.name, path, lookup, defaults))


def _builtin_binding(name: str) -> Binding | None:
    ref = LIBRARY.get(("builtins", name))
    if ref is not None:
        return FunctionRef(*ref)
    return Unknown(f"builtin {name}") if hasattr(builtins, name) else None


_STATIC_MODULES = ("math", "numpy", "operator")  # the library modules an import statement names


def _static_bindings(tree: ast.Module, path: str) -> dict[str, Binding]:
    bindings: dict[str, Binding] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name in _STATIC_MODULES or alias.name in LAZY_MODULES:
                    bindings[alias.asname or alias.name] = ModuleRef(alias.name, alias.asname or alias.name)
                elif alias.name in LAZY_MODULES.values():  # import scipy.special [as sps]
                    ns, _, sub = alias.name.partition(".")
                    bindings[alias.asname or ns] = ModuleRef(ns, alias.asname, sub + ".") if alias.asname \
                        else ModuleRef(ns, ns)
                else:
                    bindings[alias.asname or alias.name.split(".")[0]] = Unknown(f"module {alias.name}")
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                local = alias.asname or alias.name
                bindings[local] = _from_import(stmt.module or "", alias.name, local)
        elif is_check_definition(stmt):  # (a generated module, saved)
            bindings[stmt.name] = EntryCheckRef(stmt.name)
        elif isinstance(stmt, ast.FunctionDef) and _custom_partials(stmt) == ():
            bindings[stmt.name] = Unknown(f"function {stmt.name} whose custom derivative the CLI cannot "
                                          "read (name each partial by a module-level def)")
        elif isinstance(stmt, ast.FunctionDef) and _custom_partials(stmt) is not None:
            bindings[stmt.name] = CustomRef(stmt.name, None, _custom_partials(stmt))
        elif isinstance(stmt, ast.FunctionDef):
            bindings[stmt.name] = UserFunction(stmt.name, (path, _first_line(stmt), stmt.name),
                                               lambda node=stmt: _static_source(node, bindings, path))
        elif isinstance(stmt, (ast.AsyncFunctionDef, ast.ClassDef)):
            bindings[stmt.name] = Unknown(f"{type(stmt).__name__[:-3].lower()} {stmt.name} defined in the module")
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            target = stmt.targets[0].id
            value = static_number(stmt.value, bindings)
            values = [static_number(e, bindings) for e in getattr(stmt.value, "elts", ())]
            if value is None and isinstance(stmt.value, ast.Tuple) and None not in values:
                bindings[target] = ConstTuple(tuple(values), target)
            else:
                bindings[target] = ConstRef(value, target) if value is not None else Unknown(
                    f"module-level value {target} that is not a numeric constant")
    return bindings


def _custom_partials(node: ast.FunctionDef) -> tuple[str, ...] | None:
    """The names of the partials `@symdiff.custom_derivative(d1, d2)` gives `node`, if it has
    that decorator: () where they are not all names (of module-level functions)."""
    for decorator in node.decorator_list:
        func = getattr(decorator, "func", None)
        name = getattr(func, "attr", None) or getattr(func, "id", None)
        if isinstance(decorator, ast.Call) and name == "custom_derivative":
            if all(isinstance(a, ast.Name) for a in decorator.args) and not decorator.keywords:
                return tuple(a.id for a in decorator.args)
            return ()
    return None


def _from_import(module: str, name: str, local: str) -> Binding:
    for ns, dotted in LAZY_MODULES.items():  # from scipy.special import expit; from scipy import special
        sub = dotted[len(ns) + 1:]
        if module == ns and name == sub:
            return ModuleRef(ns, local, sub + ".")
        if module == dotted and (ns, f"{sub}.{name}") in LIBRARY:
            return FunctionRef(*LIBRARY[(ns, f"{sub}.{name}")])
    ns = module if module in _STATIC_MODULES else None
    if is_namespace_import(module, name):
        return _NAMESPACE
    if ns is None:
        return Unknown(f"{module}.{name}")
    if (ns, name) in LIBRARY:
        return FunctionRef(*LIBRARY[(ns, name)])
    if (ns, name) in CONSTANTS:
        return ConstRef(CONSTANTS[(ns, name)], local)
    return Unknown(f"{module}.{name}")


def static_number(node: ast.expr, bindings: dict[str, Binding]):
    """The value of a numeric constant expression (`0.5`, `-2`, `2 * math.pi`), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.Name):
        ref = bindings.get(node.id)
        return ref.value if isinstance(ref, ConstRef) else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        ref = bindings.get(node.value.id)
        return CONSTANTS.get((ref.ns, node.attr)) if isinstance(ref, ModuleRef) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = static_number(node.operand, bindings)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in _STATIC_OPS:
        left, right = static_number(node.left, bindings), static_number(node.right, bindings)
        if left is not None and right is not None:
            try:
                return _STATIC_OPS[type(node.op)](left, right)
            except (ArithmeticError, ValueError):
                return None
    return None


_STATIC_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
               ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
               ast.Pow: lambda a, b: math.pow(a, b) if abs(b) < 1e3 else None}


def _literal_static(expr: ast.expr) -> bool:
    """A default written as None, a string or a tuple of them and ints."""
    if isinstance(expr, ast.Tuple):
        return all(_literal_static(e) or isinstance(e, ast.Constant) and type(e.value) is int for e in expr.elts)
    return isinstance(expr, ast.Constant) and (expr.value is None or isinstance(expr.value, str))


def _static_defaults(node: ast.FunctionDef, bindings, path: str) -> dict:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    defaults = {}
    for arg, expr in pairs:
        value = static_number(expr, bindings)
        if value is None and _literal_static(expr):  # axis=None, ord="fro", axis=(0, 1)
            value = ast.literal_eval(expr)
        elif value is None and not (isinstance(expr, ast.Constant) and expr.value is None):
            raise UnknownFunctionError(
                Loc(path, expr.lineno, expr.col_offset + 1),
                f"the default of parameter {arg.arg} is not a numeric constant the CLI can read "
                "without running the file; use a number, or call symdiff from Python")
        defaults[arg.arg] = value
    return defaults
