"""Emit: an `ir.Func` to Python source text, and that text to a function.

`emit_source(func)` builds a Python `ast.Module` (only `ast.Constant` for
values; never text formatted from user input) and prints it with astor:

    import math

    def grad_f(x):
        a = x ** 2
        ...
        return x_bar

Invariants of the output:
  * it is a self-contained module: the imports and the module-level constants
    it reads come first, so it can be saved and run without symdiff;
  * every equation becomes one statement, except derivative temporaries used
    exactly once, which are written inline where they are used (in array code,
    so are the other values symdiff named that one equation reads, inlining.py);
    temporaries that remain are renumbered `t0, t1, ...` in order of appearance;
    a temporary updated in place takes the update's name, and a scatter into
    zeros that is kept is written `t = np.zeros(shape)`, `t[index] = g`;
  * guarded equations go into `if c:` / `else:` blocks (one block for a run
    of them), and a merge `y = cond(c, a, b)` becomes an assignment to `y` in
    each block; a branch value used only by its merge is assigned to the
    merged name directly, so a branch reads as it was written. A merge with
    no block to go into is printed `y = a if c else b`;
  * given an entry check (arguments.py, for code generated once for every
    call), the function begins with it, and the two helpers it calls follow the
    function, last in the module;
  * the same IR gives byte-identical text.

`compile_source(text, name)` compiles the text under a recognisable file name
and registers it with `linecache`, so tracebacks and `inspect.getsource` show
the generated code.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import keyword
import linecache
import math
import re
import types

import astor
import numpy as np

from ..generated import HELPERS as CHECK_HELPERS
from . import packing
from .arguments import EntryCheck, check_statements
from ..ir import Const, Func, NameAllocator, Var, atom_key
from .blocks import BlockPrinting, blocks, coalesced
from .inlining import adopted_names, array_inlined, count_uses, scatter_statements
from .inplace import UPDATE_HELPERS, UPDATES, in_place_updates, update_statement
from ..primitives import PRIMS
from ..trees import Packed

_BINARY = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "**": ast.Pow, "@": ast.MatMult,
           "//": ast.FloorDiv, "%": ast.Mod}
_COMPARE = {"<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE, "==": ast.Eq, "!=": ast.NotEq}
DEFAULT_ALIASES = {"math": "math", "numpy": "np", "scipy": "scipy"}
HELPERS = {"_elementwise": '''
def _elementwise(function, *args):
    """`function`, written for numbers, applied to each entry of the broadcast arrays `args`."""
    return np.vectorize(function, otypes=[float])(*args)
''', "_scatter_add": '''
def _scatter_add(shape, index, values):
    """Zeros of `shape` with `values` added at `index`: the adjoint of reading x[index]."""
    total = np.zeros(shape)
    np.add.at(total, index, values)
    return total
''', "_scatter": '''
def _scatter(shape, index, values):
    """Zeros of `shape` with `values` at `index`, which picks no entry twice."""
    total = np.zeros(shape)
    total[index] = values
    return total
''', **UPDATE_HELPERS}


def _rename(tree: ast.AST, old: str, new: str) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == old:
            node.id = new
    return tree


def emit_source(func: Func, prims=PRIMS, check: EntryCheck | None = None, signature=None, finish=None) -> str:
    """The Python source text of a module defining `func`, beginning with the entry
    check `check` (arguments.py) if one is given; `signature` (packing.py) says which
    of its parameters come in containers, unpacked at its entry; `finish` rewrites the
    module before it is printed (xpmodule.finish).

    Each block (a loop, its adjoint, an if) is preceded by a comment naming the
    source line it comes from: the tree holds a marker statement there (a name,
    `__symdiff_comment_3__`), which the printed text replaces by the comment.
    """
    module, comments = _module(func, prims, check, signature)
    module = finish(module) if finish is not None else module
    # One statement per line: astor's default would wrap long lines mid-expression.
    text = astor.to_source(module, pretty_source="".join)
    return _MARKER.sub(lambda m: f"{m[1]}# {comments[int(m[2])]}\n", text)


_MARKER = re.compile(r"^( *)__symdiff_comment_(\d+)__\n", re.MULTILINE)


def emit_module(func: Func, prims=PRIMS, check: EntryCheck | None = None) -> ast.Module:
    """The `ast.Module` defining `func` (see the module docstring), without comments."""
    module, _ = _module(func, prims, check)
    for node in ast.walk(module):
        for field in ("body", "orelse"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):
                statements[:] = [s for s in statements if not _is_marker(s)]
    return module


def _module(func: Func, prims, check: EntryCheck | None, signature=None) -> tuple[ast.Module, list[str]]:
    """The module: the header, each function `func` calls (callees first), then `func`.

    Callees that print the same (one helper lowered for two shapes) are defined once.
    """
    callees = _callees(func)
    aliases = {**DEFAULT_ALIASES, **dict(func.modules)}
    printers = [_Printer(c.func, prims, aliases) for c in callees] + [_Printer(func, prims, aliases)]
    checked = check is not None and bool(func.params)  # (only `func` is called from outside)
    if checked:
        printers[-1].entry = check_statements(func, check)
    if signature is not None:
        printers[-1].entry = packing.unpacking(signature) + printers[-1].entry
    taken = {func.name, "_symdiff_factory", *HELPERS, *CHECK_HELPERS}
    for printer in printers:
        taken |= NameAllocator.for_func(printer.func).taken | set(printer.names.values())
    names, functions, printed = NameAllocator(taken), {}, {}
    definitions, comments = [], []
    for printer, callee in zip(printers, [*callees, None], strict=True):
        printer.functions, printer.comments = functions, comments
        definition = ast.FunctionDef(name="", args=_arguments(printer.func, printer), body=printer.body(),
                                     decorator_list=[], returns=None)
        if callee is None:
            definition.name = func.name
            definition.args = definition.args if signature is None else packing.arguments(signature)
        else:  # its function's name, unless a variable of any printed function has it
            text = ast.dump(definition)
            if text in printed:
                functions[id(callee)] = printed[text]
                continue
            base = callee.func.name
            definition.name = printed[text] = functions[id(callee)] = names.fresh(
                base if base.isidentifier() and not keyword.iskeyword(base) else "helper")
        definitions.append(definition)
    # The check's helpers come last: what is read first is the derivative.
    helpers = [ast.parse(CHECK_HELPERS["_check_arguments"]).body[0]] if checked else []
    # No source positions: the tree is printed, never compiled directly.
    return ast.Module(body=_header(printers, aliases) + definitions + helpers, type_ignores=[]), comments


def _callees(func: Func) -> list:
    """The `calls.Callee`s `func` calls, directly or not, each after those it calls."""
    found: dict[int, object] = {}

    def visit(f: Func):
        for block in blocks(f):
            for eqn in block.body:
                callee = dict(eqn.params).get("callee") if eqn.prim == "call" else None
                if callee is not None and id(callee) not in found:
                    visit(callee.func)
                    found[id(callee)] = callee

    visit(func)
    return list(found.values())


def _is_marker(stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Name) and \
        stmt.value.id.startswith("__symdiff_comment_")


def custom_functions(func: Func) -> dict:
    """name -> function, for the functions with custom derivative rules (and their
    partials) that `func` and the functions it calls call."""
    rules = [dict(eqn.params)["rule"] for f in [func, *(c.func for c in _callees(func))]
             for block in blocks(f) for eqn in block.body if eqn.prim == "custom"]
    return {rule.name: rule.fun for rule in rules if rule.fun is not None and "." not in rule.name}


def compile_source(source: str, name: str, live=None, check=None):
    """Compile generated `source` and return its function `name`.

    The code's file name is `<symdiff name hash>`, registered with `linecache`.

    Args:
        live: None to run the module as printed (its imports and constants), or
            `(globals, cells)` of the original function: the generated function
            then reads module-level names live from those globals, closure
            variables through the original's own cells, and only the modules
            the globals lack through cells of its own, so rebinding a constant
            affects the function and its derivative alike.
        check: what the module's `_check_arguments` is bound to instead of its
            printed definition (an `errors.ArgumentCheck`, raising located errors);
            None to keep the printed one.
    """
    digest = hashlib.sha1(source.encode()).hexdigest()[:8]
    filename = f"<symdiff {name} {digest}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    if live is None:
        namespace = {"__name__": "symdiff.generated"}
        exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated code
        if check is not None and "_check_arguments" in namespace:
            namespace["_check_arguments"] = check
        return namespace[name]
    module = ast.parse(source, filename)
    if check is not None and any(getattr(s, "name", None) == "_check_arguments" for s in module.body):
        module.body = [s for s in module.body if getattr(s, "name", None) not in CHECK_HELPERS]
        live = live[0], {**live[1], "_check_arguments": types.CellType(check)}
    return _bind_live(module, name, filename, *live)


def _bind_live(module: ast.Module, name: str, filename: str, globals_: dict, cells: dict):
    # Compile the def inside a factory whose parameters are the names to supply,
    # so they become closure variables; line numbers stay those of the printed text.
    supplied = dict(cells)
    for stmt in module.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                bound, value = alias.asname or alias.name, importlib.import_module(alias.name)
                if globals_.get(bound) is not value:
                    supplied[bound] = types.CellType(value)
        if isinstance(stmt, ast.ImportFrom):  # (from array_api_compat import array_namespace)
            for alias in stmt.names:
                supplied[alias.name] = types.CellType(getattr(importlib.import_module(stmt.module), alias.name))
    definitions = [s for s in module.body if isinstance(s, ast.FunctionDef)]
    for other in definitions:  # the module's other functions: cells filled once they exist
        if other.name != name:
            supplied[other.name] = types.CellType()
    last = definitions[-1]
    factory = ast.FunctionDef(
        name="_symdiff_factory", args=ast.arguments(
            posonlyargs=[], args=[ast.arg(n) for n in supplied], vararg=None, kwonlyargs=[],
            kw_defaults=[], kwarg=None, defaults=[]),
        body=[*definitions, ast.Return(ast.Name(name, ast.Load()))], decorator_list=[], returns=None,
        lineno=definitions[0].lineno, col_offset=0, end_lineno=last.end_lineno, end_col_offset=0)
    code = compile(ast.fix_missing_locations(ast.Module([factory], [])), filename, "exec")
    made = {}
    for definition in definitions:
        inner = _find_code(_find_code(code, "_symdiff_factory"), definition.name)
        closure = tuple(supplied[free] for free in inner.co_freevars)
        made[definition.name] = types.FunctionType(inner, globals_, definition.name, None, closure or None)
        if definition.name != name:
            supplied[definition.name].cell_contents = made[definition.name]
    return made[name]


def _find_code(code: types.CodeType, name: str) -> types.CodeType:
    return next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)


class _Printer(BlockPrinting):
    """Turns equations into statements, inlining single-use temporaries."""

    def __init__(self, func: Func, prims, aliases: dict):
        self.func, self.prims = func, prims
        self.aliases = {**aliases, **dict(func.modules)}
        self.functions: dict[int, str] = {}  # id of a callee -> the name of its def
        self.ranges: dict[str, object] = {}  # a tape that is a range -> its `range` equation
        self.imports: set[str] = set()
        self.helpers: set[str] = set()
        self.entry: list[ast.stmt] = []  # the check of the arguments, first (arguments.py)
        self.constants: dict[str, object] = {}
        self.uses = count_uses(func)
        self.in_place, self.copied, self.copies, self.kept = in_place_updates(func, prims)  # (inplace.py)
        self.inline: dict[str, ast.expr] = {}
        self.expressions = array_inlined(func, prims, self.uses, self.kept, self.in_place)  # (inlining.py)
        self.adopted = adopted_names(func, self.in_place, self.uses)
        self.names = {**self._temp_names(), **self.adopted}
        for block in blocks(func):
            self.names.update(coalesced(block, self.uses, self.names))
        self.picks: dict[str, dict] = {}  # loop or call -> {index: the pick that reads it}
        for block in blocks(func):
            for eqn in block.body:
                if eqn.prim == "pick":
                    self.picks.setdefault(eqn.args[0].name, {})[dict(eqn.params)["index"]] = eqn.out
        self.blocks: dict[int, tuple] = {}  # id of an emitted ast.If -> its condition's name
        self.comments: list[str] = []  # the text of each comment marker (see emit_source)
        self.loop_lines: list = []  # the source lines of the loops being printed
        self.where = {e.out.name: e.loc for block in blocks(func) for e in block.body}
        self.printed_calls: set = set()  # the calls returning several values printed (several)

    def _temp_names(self) -> dict[str, str]:
        """Kept temporaries renamed t0, t1, ... in order of appearance (a value of a call
        returning several is kept: it is a target of the call's assignment)."""
        unpacked = {e.out.name for e in self.func.body if e.prim == "call" and _returns_several(e)}
        kept = [e.out.name for e in self.func.body if e.out.temp and (
            self.uses.get(e.out.name, 0) != 1 or e.out.name in self.kept
            or e.prim == "pick" and e.args[0].name in unpacked or self.prims[e.prim].output)
            and e.out.name not in self.adopted]
        taken = NameAllocator.for_func(self.func).taken - set(kept) - set(self.adopted)
        fresh = NameAllocator(taken)
        return {name: fresh.temp() for name in kept}

    def body(self) -> list[ast.stmt]:
        statements: list[ast.stmt] = []
        if self.func.doc:
            statements.append(ast.Expr(ast.Constant(self.func.doc)))
        statements += self.entry
        self.statements(self.func.body, statements)
        _flip_empty_ifs(statements)
        results = [self.result(r) for r in self.func.results]
        value = results[0] if len(results) == 1 else ast.Tuple(results, ast.Load())
        statements.append(ast.Return(value))
        return statements

    def statements(self, eqns, statements: list):
        """Append the statements of `eqns` to `statements`."""
        for eqn in eqns:
            if eqn.prim == "pick":  # a loop's output: printed under the loop's own names
                continue
            if eqn.prim == "loop":
                self.loop(statements, eqn)
                continue
            if eqn.prim == "range":  # a tape of indices alone: printed where the adjoint loop reads it
                self.ranges[eqn.out.name] = eqn
                continue
            if eqn.prim == "call" and _returns_several(eqn):  # a, b = helper(x)
                picks = self.picks.get(eqn.out.name, {})
                count = len(dict(eqn.params)["callee"].func.results)
                targets = [self.store(picks[j]) if j in picks else ast.Name(self.unused(), ast.Store())
                           for j in range(count)]
                self.block(statements, eqn.guard).append(
                    ast.Assign([ast.Tuple(targets, ast.Store())], self.expression(eqn)))
                continue
            if eqn.prim == "cond" and not self.inlined(eqn):
                self.merge(statements, eqn)
                continue
            if self.prims[eqn.prim].output:  # sign, logdet = np.linalg.slogdet(a)
                self.several(statements, eqn, eqns)
                continue
            if eqn.out.name in self.in_place:  # x[index] = v, into the array x names
                self.update(statements, eqn)
                continue
            if eqn.prim == "scatter_add" and dict(eqn.params).get("distinct") and not self.inlined(eqn):
                self.block(statements, eqn.guard).extend(scatter_statements(self, eqn))
                continue
            value = self.expression(eqn)
            if self.inlined(eqn):
                self.inline[eqn.out.name] = value
            else:
                self.block(statements, eqn.guard).append(ast.Assign([self.store(eqn.out)], value))

    def several(self, statements: list, eqn, eqns):
        """The values of one call of a function returning several (`Prim.output`), the
        rows of the same call in `eqns` included, as one tuple assignment where the
        first of them is; nothing for the others."""
        key = (id(eqns), _call_key(self.prims, eqn))
        if key in self.printed_calls:
            return
        self.printed_calls.add(key)
        values = {self.prims[e.prim].output[0]: e.out for e in eqns
                  if self.prims[e.prim].output and _call_key(self.prims, e) == key[1]}
        targets = [self.store(values[j]) if j in values else ast.Name(self.unused(), ast.Store())
                   for j in range(self.prims[eqn.prim].output[1])]
        self.block(statements, eqn.guard).append(ast.Assign([ast.Tuple(targets, ast.Store())],
                                                            self.expression(eqn)))

    def inlined(self, eqn) -> bool:
        return (eqn.out.temp and self.uses.get(eqn.out.name, 0) == 1 or eqn.out.name in self.expressions) \
            and eqn.out.name not in self.kept \
            and not (eqn.prim == "call" and _returns_several(eqn)) and not self.prims[eqn.prim].output

    def update(self, statements: list, eqn):
        """`x[index] = v` for `x_1 = setitem(x, v, ...)` written in place: x_1 names x's array."""
        x, v, *arrays = eqn.args
        index = self.index(dict(eqn.params)["index"], [self.atom(a) for a in arrays])
        target = ast.Subscript(self.atom(x), index, ast.Store())
        self.block(statements, eqn.guard).append(update_statement(target, self.atom(v), eqn.prim))
        self.names[eqn.out.name] = self.name_of(x)

    def unused(self) -> str:
        """A name for a value a call returns that nothing reads."""
        taken = NameAllocator.for_func(self.func).taken | set(self.names.values())
        return "_" if "_" not in taken else NameAllocator(taken).fresh("unused")

    def name_of(self, atom):
        if isinstance(atom, Var):
            return self.names.get(atom.name, atom.name)
        return None

    def result(self, result) -> ast.expr:
        if isinstance(result, Packed):  # the gradient of a container: {'W': W_bar, 'b': b_bar}
            return packing.display(result.tree, iter([self.result(r) for r in result]))
        if isinstance(result, tuple):  # a nested group of results: (value, (x_bar, y_bar))
            return ast.Tuple([self.result(r) for r in result], ast.Load())
        return self.atom(result)

    def store(self, var: Var) -> ast.Name:
        return ast.Name(self.name_of(var), ast.Store())

    def atom(self, atom) -> ast.expr:
        if isinstance(atom, Var):
            if atom.name in self.inline:
                return self.inline.pop(atom.name)
            return ast.Name(self.names.get(atom.name, atom.name), ast.Load())
        return self.constant(atom)

    def constant(self, const: Const) -> ast.expr:
        value = const.value.item() if isinstance(const.value, np.generic) else const.value
        if const.label and "." in const.label:
            alias, attr = const.label.split(".", 1)
            self.imports.update(ns for ns, a in self.aliases.items() if a == alias)
            return ast.Attribute(ast.Name(alias, ast.Load()), attr, ast.Load())
        if const.label:
            self.constants[const.label] = value
            return ast.Name(const.label, ast.Load())
        return self.number(value)

    def number(self, value) -> ast.expr:
        if isinstance(value, float) and not math.isfinite(value):
            self.imports.add("math")
            name = "nan" if math.isnan(value) else "inf"
            node = ast.Attribute(ast.Name(self.aliases["math"], ast.Load()), name, ast.Load())
            return ast.UnaryOp(ast.USub(), node) if value < 0 else node
        if value < 0:
            return ast.UnaryOp(ast.USub(), ast.Constant(-value))
        return ast.Constant(value)

    def expression(self, eqn) -> ast.expr:
        if self._repeated_product(eqn):  # x ** 3 as x * x * x
            base = eqn.args[0]
            return functools.reduce(lambda product, _: ast.BinOp(product, ast.Mult(), self.atom(base)),
                                    range(eqn.args[1].value - 1), self.atom(base))
        args = [self.atom(a) for a in eqn.args]
        if eqn.prim == "call":  # a function of the module's own (see _module)
            return ast.Call(ast.Name(self.functions[id(dict(eqn.params)["callee"])], ast.Load()), args, [])
        if eqn.prim == "attr":  # self.layer.w, read where the code runs
            return functools.reduce(lambda value, name: ast.Attribute(value, name, ast.Load()),
                                    dict(eqn.params)["path"], args[0])
        if eqn.prim == "custom":  # a function with a custom derivative rule, called as spelled
            rule = dict(eqn.params)["rule"]
            root, *attrs = rule.name.split(".")
            func = ast.Name(root, ast.Load())
            for attr in attrs:
                func = ast.Attribute(func, attr, ast.Load())
            if rule.elementwise:  # written for numbers, given arrays: entry by entry (primitives/custom.py)
                self.helpers.add("_elementwise")
                return ast.Call(ast.Name("_elementwise", ast.Load()), [func, *args], [])
            return ast.Call(func, args, [])
        spelled = self.prims[eqn.prim].spelling[eqn.ns]
        if eqn.prim == "cond":
            return ast.IfExp(args[0], args[1], args[2])
        if eqn.ns == "op":
            if spelled in ("and", "or"):
                return ast.BoolOp(ast.And() if spelled == "and" else ast.Or(), args)
            if len(args) == 1:
                return ast.UnaryOp(ast.Not() if spelled == "not" else ast.USub(), args[0])
            if spelled in _COMPARE:
                return ast.Compare(args[0], [_COMPARE[spelled]()], [args[1]])
            return ast.BinOp(args[0], _BINARY[spelled](), args[1])
        row = self.prims[eqn.prim]
        attribute = row.spelling.get("attribute")
        if attribute and not eqn.params:  # x.T
            return ast.Attribute(args[0], attribute, ast.Load())
        if eqn.prim == "getitem":  # x[index] (a copy, where x is written in place while it is read)
            read = ast.Subscript(args[0], self.index(dict(eqn.params)["index"], args[1:]), ast.Load())
            return ast.Call(ast.Attribute(read, "copy", ast.Load()), [], []) if eqn.out.name in self.copies else read
        if eqn.prim in UPDATES:  # x[index] = v, += v on a copy of x (backend/inplace.py: else in place)
            helper = f"_{eqn.prim}"
            self.helpers.add(helper)
            index = ast.Subscript(self.module_attr("numpy", "s_"), self.index(dict(eqn.params)["index"], args[2:]),
                                  ast.Load())
            return ast.Call(ast.Name(helper, ast.Load()), [args[0], index, args[1]], [])
        if eqn.prim == "scatter_add":  # the adjoint of x[index]
            params = dict(eqn.params)
            helper = "_scatter" if params.get("distinct") else "_scatter_add"
            self.helpers.add(helper)
            index = ast.Subscript(self.module_attr("numpy", "s_"), self.index(params["index"], args[1:]),
                                  ast.Load())
            return ast.Call(ast.Name(helper, ast.Load()), [ast.Constant(params["shape"]), index, args[0]], [])
        if eqn.ns == "builtins":
            func = ast.Name(spelled, ast.Load())
        else:
            func = ast.Name(self.aliases[eqn.ns], ast.Load())
            self.imports.add(eqn.ns)
            for part in spelled.split("."):  # np.linalg.norm
                func = ast.Attribute(func, part, ast.Load())
        if row.sequence:  # np.concatenate([a, b], axis=0)
            args = [ast.List(args, ast.Load())]
        if row.params_first:  # np.einsum('ij,jk->ik', a, b, optimize=True), np.full((3, 4), x)
            lead = row.params[0][0]
            return ast.Call(func, [self.literal(dict(eqn.params)[lead])] + args,
                            [ast.keyword(k, self.literal(v)) for k, v in eqn.params if k != lead])
        if row.positional:
            return ast.Call(func, args + [self.literal(v) for _, v in eqn.params], [])
        defaults = dict(row.params)
        keywords = [ast.keyword(k, self.literal(v)) for k, v in eqn.params if defaults.get(k, v) != v
                    or k not in defaults]
        return ast.Call(func, args, keywords)

    def _repeated_product(self, eqn) -> bool:
        """Whether `eqn` is a named value to the power 2 or 3, written faster as a product
        (x * x: 19 ns against 62 for x ** 2; 1.9 against 18 us for a NumPy array cubed)
        with the same type: an int power of an int stays an int."""
        if eqn.prim != "pow" or eqn.ns != "op":
            return False
        base, power = eqn.args
        return isinstance(base, Var) and base.name not in self.inline and isinstance(power, Const) \
            and type(power.value) is int and power.value in (2, 3) and not power.label

    def module_attr(self, ns: str, attr: str) -> ast.expr:
        self.imports.add(ns)
        return ast.Attribute(ast.Name(self.aliases[ns], ast.Load()), attr, ast.Load())

    def index(self, template, arrays) -> ast.expr:
        """The subscript a getitem template stands for: `:, 1:3, None, ..., idx`."""
        def entry(item):
            kind, *rest = item
            if kind == "slice":
                return ast.Slice(*(None if v is None else self.literal(v) for v in rest))
            if kind == "arg":
                return arrays[rest[0]]  # (a 'distinct' mark only informs the adjoint)
            return ast.Constant({"int": rest[0] if rest else None, "none": None, "ellipsis": ...}[kind])

        entries = [entry(item) for item in template]
        return entries[0] if len(entries) == 1 else ast.Tuple(entries, ast.Load())

    def literal(self, value) -> ast.expr:
        """A static parameter: a number, None, a bool or a tuple of ints."""
        return self.number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else ast.Constant(value)

    def default(self, const: Const) -> ast.expr:
        if isinstance(const.value, (bool, int, float, np.generic)):
            return self.constant(const)
        return ast.Constant(None)  # not a number: the caller installs the live default



def _flip_empty_ifs(statements: list[ast.stmt]) -> None:
    """`if c: (nothing) else: ...` as `if not c: ...`, in blocks nested in `statements` too
    (statements only: walking every expression of a long function was slow)."""
    for node in statements:
        if isinstance(node, ast.If) and not node.body:  # only an else
            node.test, node.body, node.orelse = ast.UnaryOp(ast.Not(), node.test), node.orelse, []
        for block in ("body", "orelse"):
            if isinstance(getattr(node, block, None), list):
                _flip_empty_ifs(getattr(node, block))


def _header(printers: list, aliases: dict) -> list[ast.stmt]:
    """The imports, constants and fixed helpers the printed functions use."""
    imports = set().union(*(p.imports for p in printers))
    helpers = set().union(*(p.helpers for p in printers))
    constants = {name: value for p in printers for name, value in p.constants.items()}
    lines: list[ast.stmt] = []
    for ns in sorted(imports | ({"numpy"} if helpers else set())):
        alias = aliases[ns]
        lines.append(ast.Import([ast.alias(ns, None if alias == ns else alias)]))
    for name, value in sorted(constants.items()):
        lines.append(ast.Assign([ast.Name(name, ast.Store())], printers[-1].number(value)))
    for name in sorted(helpers):  # our own fixed text, with the user's alias for NumPy
        helper = ast.parse(HELPERS[name]).body[0]
        lines.append(_rename(helper, "np", aliases["numpy"]))
    return lines


def _call_key(prims, eqn) -> tuple:
    """What makes equations of rows returning one of several values one call: the
    function, its arguments, parameters and guard."""
    return (prims[eqn.prim].spelling[eqn.ns], eqn.ns, tuple(atom_key(a) for a in eqn.args), eqn.params,
            tuple((atom_key(c), p) for c, p in eqn.guard))


def _returns_several(eqn) -> bool:
    return len(dict(eqn.params)["callee"].func.results) != 1


def _arguments(func: Func, printer: _Printer) -> ast.arguments:
    groups = {"posonly": [], "positional": [], "kwonly": []}
    for param in func.params:
        groups[param.kind].append(param)
    positional = groups["posonly"] + groups["positional"]
    defaults = [printer.default(p.default) for p in positional if p.default is not None]
    return ast.arguments(
        posonlyargs=[ast.arg(p.var.name) for p in groups["posonly"]],
        args=[ast.arg(p.var.name) for p in groups["positional"]],
        vararg=None, kwonlyargs=[ast.arg(p.var.name) for p in groups["kwonly"]],
        kw_defaults=[None if p.default is None else printer.default(p.default) for p in groups["kwonly"]],
        kwarg=None, defaults=defaults)
