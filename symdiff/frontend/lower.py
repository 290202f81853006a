"""Lower: a parsed function to the IR, one primitive per equation.

Input: a `parse.Source`. Output: an `ir.Func` in single-assignment form where
  * every equation applies one primitive to atoms;
  * a subexpression that occurs twice is computed once (value numbering), so
    `sqrt(x**2 + exp(x**2)) + cos(x**2 + exp(x**2))` lowers to the lecture's
    `a = x**2, b = exp(a), c = a + b, d = sqrt(c), e = cos(c), f = d + e`;
  * source names are kept (`y = ...` defines `y`; a reassigned `y` becomes
    `y_1`), intermediates get the letters `a, b, c, ...`, and the returned value
    takes the function's name;
  * every equation remembers the source position it came from.

Anything outside the supported subset raises a located `SymdiffError` that names
the construct and says what to write instead.
"""

from __future__ import annotations

import ast

import numpy as np

from ..backend.arguments import is_entry_check
from ..errors import ShapeError, UnknownFunctionError, UnsupportedSyntaxError, room_for_deep_code
from ..ir import Const, Eqn, Func, NameAllocator, Param, Var, atom_key
from .parse import ConstRef, FunctionRef, ModuleRef, Source, Unknown, UserModule, refuse_star_params
from .arrays import ArrayLowering, Emitter
from .branches import BranchLowering
from .calls import CallLowering
from .lists import ListLowering
from .loops import LoopLowering, NeedsShapes
from .syntax import always_returns, describe, is_shape, is_value, returns_somewhere
from .values import ListValue, LocalFunction, RunningList, is_atom
from ..primitives import CONSTANTS, LIBRARY, PRIMS
from . import receivers

BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow",
          ast.FloorDiv: "floordiv", ast.Mod: "mod", ast.MatMult: "matmul"}
# Names generated code may read from outside: never bound by generated code.
OUTSIDE = frozenset({"math", "np", "numpy", "float", "int", "abs", "max", "min", "round", "pow",
                     "type", "_check_arguments"})  # (the last two: backend/arguments.py)
STATEMENT_ADVICE = {
    "Try": "exceptions cannot be differentiated; remove try/except",
    "With": "context managers cannot be differentiated; move the with block outside the function",
    "ClassDef": "classes cannot be differentiated; define the class outside the function",
    "Global": "global state cannot be differentiated; pass the value as a parameter",
    "Nonlocal": "nonlocal state cannot be differentiated; pass the value as a parameter",
    "Delete": "del is not supported; leave the name bound",
    "Assert": "assert cannot be differentiated; check the input before calling",
    "Raise": "raise cannot be differentiated; check the input before calling",
    "Import": "an import inside the function cannot be differentiated; import at module level",
    "ImportFrom": "an import inside the function cannot be differentiated; import at module level",
    "Match": "match cannot be differentiated; write it with if / elif / else",
    "AsyncFor": "async loops cannot be differentiated; use a for loop",
    "AsyncWith": "context managers cannot be differentiated; move the with block outside the function",
}


def lower(src: Source, shapes: dict | None = None) -> Func:
    """Lower `src` to an `ir.Func` (see the module docstring).

    Args:
        shapes: the parameters' shapes by name, for array code: then `x.shape`,
            `len(x)` and `x.ndim` are constants; without them they are `dim`
            equations, which mark the function as array code.
    """
    with room_for_deep_code(src.loc()):
        return _Lowering(src, shapes).run()


def _names_in(node: ast.AST) -> set[str]:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    names.update(a.arg for a in ast.walk(node) if isinstance(a, ast.arg))
    return names


class _Lowering(ArrayLowering, BranchLowering, CallLowering, ListLowering, LoopLowering):
    """The state of lowering one function: bindings, equations, value numbers."""

    def __init__(self, src: Source, shapes: dict | None = None):
        self.src = src
        self.shapes = None if shapes is None else dict(shapes)
        source_names = _names_in(src.node)
        self.result_name = src.name if src.name.isidentifier() and src.name not in source_names else None
        self.names = NameAllocator(OUTSIDE, avoid=source_names | {src.name})
        self.env: dict[str, Var | Const] = {}
        self.unbound: dict[str, str] = {}  # names bound in one branch of an if, or in a loop: why
        self.guard: tuple = ()  # the guard of the equations lowered now (see ir.py)
        self.call_stack: tuple = (src.key,)  # the user functions being inlined (lower_calls.py)
        self.top_lookup = src.lookup  # the scope of the generated code
        self.eqns: list[Eqn] = []
        self.values: dict[tuple, Var] = {}
        self.modules: dict[str, str] = {}
        self.outside: set[str] = set(OUTSIDE)
        self.callees: dict = {}  # the helpers lowered on their own, by how they are called
        self.unpacked: list = []  # the names a call's values are unpacked into (`u, v = helper(x)`)
        self.returned_shapes: dict = {}  # the shape each value returned from inside a loop had
        self.rules: dict = {}  # the custom derivative rules called (primitives/custom.py), by spelling

    def error(self, node, detail, cls=UnsupportedSyntaxError):
        return cls(self.src.loc(node), detail)

    # ------------------------------------------------------------ statements
    def run(self) -> Func:
        if isinstance(self.src.node, ast.AsyncFunctionDef):
            raise self.error(self.src.node, f"async def {self.src.name} is a coroutine function, which "
                             "symdiff cannot differentiate; define it with def")
        params = self.params(self.src.node.args)
        try:
            results = self.lower_body()
            eqns = tuple(self.eqns)
        except NeedsShapes as exc:  # (only the shapes' `dim` equations: array code, shapes needed)
            eqns = tuple(e for e in self.eqns if e.prim == "dim")
            results = tuple(b for b in exc.bounds if isinstance(b, Var)) or (Const(0),)
        return self.as_func(params, eqns, results)

    def lower_body(self) -> tuple:
        """Lower the function's body; its results."""
        if isinstance(self.src.node, ast.Lambda):
            return self.results(self.src.node.body, self.src.node)
        return self.statements(self.src.node.body)

    def as_func(self, params, eqns, results, doc: str = "") -> Func:
        name = self.src.name if self.src.name.isidentifier() else "lambda"
        return Func(name, params, eqns, results, self.src.loc(),
                    tuple(sorted(self.modules.items())), frozenset(self.outside), doc)

    def params(self, args: ast.arguments) -> tuple[Param, ...]:
        refuse_star_params(args, self.src.loc)
        kinds = [(a, "posonly") for a in args.posonlyargs] + [(a, "positional") for a in args.args]
        kinds += [(a, "kwonly") for a in args.kwonlyargs]
        params = []
        for arg, kind in kinds:
            var = Var(self.names.fresh(arg.arg))
            self.env[arg.arg] = var
            default = self.src.defaults.get(arg.arg, _NO_DEFAULT)
            params.append(Param(var, kind, None if default is _NO_DEFAULT else Const(default)))
        return receivers.receiver_params(self, tuple(params))  # a method's self: an object

    def statements(self, body: list[ast.stmt], node=None):
        """Lower `body`, a path that ends in a return; its results."""
        for i, stmt in enumerate(body):
            if i == 0 and _is_docstring(stmt) and node is None:
                continue
            if body is self.src.node.body and is_entry_check(stmt, self.src.lookup):
                continue  # symdiff's check of the arguments of code it generated: no value
            if isinstance(stmt, ast.Return):
                if i != len(body) - 1:
                    raise self.error(body[i + 1], "code after return is never run; remove it")
                return self.results(stmt.value, stmt)
            if isinstance(stmt, (ast.For, ast.While)) and returns_somewhere(stmt):
                return self.statements(self.returning_loop(stmt, body[i + 1:]), node)
            if isinstance(stmt, ast.If) and returns_somewhere(stmt):
                if always_returns([stmt]) and i != len(body) - 1:
                    raise self.error(body[i + 1], "code after an if that returns on every path "
                                     "is never run; remove it")
                return self.returning_if(stmt, body[i + 1:])
            self.statement(stmt)
        if node is not None:
            raise self.error(node, f"a path through this if reaches the end of {self.src.name} "
                             "without a return; return a value on every path")
        raise self.error(self.src.node, f"{self.src.name} does not end with a return statement; "
                         "return the value to differentiate")

    def results(self, value, node):
        if value is None:
            raise self.error(node, "return without a value; return the value to differentiate")
        if isinstance(value, ast.Tuple):
            atoms = tuple(self.expr(v) for v in value.elts)
            receivers.refuse_object(self, value, atoms)
            return atoms
        atom = self.expr(value, self.result_name)
        receivers.refuse_object(self, value, (atom,))
        if isinstance(atom, (ListValue, RunningList)):
            raise self.error(value, "a list is returned; return np.stack(list) or sum(list) instead")
        return atom if isinstance(atom, tuple) else (atom,)  # a helper's several values

    def statement(self, stmt: ast.stmt):
        kind = type(stmt).__name__
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets[:-1]:
                self.assign(target, stmt.targets[-1])
            self.assign(stmt.targets[-1], stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            receivers.refuse_change(self, stmt.target)
            if not isinstance(stmt.target, ast.Name):
                raise self.error(stmt, "augmented assignment to an element or attribute changes a "
                                 "value in place; assign to a new name instead")
            self.bind(stmt.target.id, self.binop(stmt, stmt.op, stmt.target, stmt.value, stmt.target.id))
        elif isinstance(stmt, ast.If):
            self.statement_If(stmt)
        elif isinstance(stmt, ast.FunctionDef):
            self.define_local(stmt, stmt.name)
        elif isinstance(stmt, ast.For):
            self.statement_For(stmt)
        elif isinstance(stmt, ast.While):
            self.statement_While(stmt)
        elif isinstance(stmt, ast.Pass):
            return
        elif isinstance(stmt, ast.Expr) and self.statement_append(stmt):
            return
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Yield, ast.YieldFrom, ast.Await)):
            word = {ast.Yield: "yield", ast.YieldFrom: "yield from", ast.Await: "await"}[type(stmt.value)]
            raise self.error(stmt, f"{word} makes {self.src.name} a generator or coroutine, which symdiff "
                             "cannot differentiate; return the value instead")
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            raise self.error(stmt, f"the call {ast.unparse(stmt.value.func)}(...) is a statement of its "
                             "own, whose value nothing uses and which symdiff cannot differentiate; "
                             "remove it")
        elif isinstance(stmt, ast.Expr):
            raise self.error(stmt, "an expression statement has no value to differentiate; remove it")
        else:
            advice = STATEMENT_ADVICE.get(kind, "it cannot be differentiated; rewrite it as assignments and a return")
            raise self.error(stmt, f"{kind.lower()} statement: {advice}")

    def assign(self, target: ast.expr, value: ast.expr):
        if isinstance(target, (ast.Tuple, ast.List)) and is_shape(value, self.env):  # n, d = X.shape
            for axis, element in enumerate(target.elts):
                self.assign_atom(element, self.dim(value, self.expr(value.value), axis))
        elif isinstance(target, ast.Name) and isinstance(value, ast.Lambda):
            self.define_local(value, target.id)
        elif isinstance(target, ast.Name) and isinstance(value, ast.List):  # ys = []: a list to build
            self.bind(target.id, self.list_display(value))
        elif isinstance(target, ast.Name):
            self.bind(target.id, self.expr(value, target.id))
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Call):
            self.unpacked = [t.id if isinstance(t, ast.Name) else None for t in target.elts]
            atoms = self.expr(value)  # a helper returning several values
            self.unpacked = []
            if not isinstance(atoms, tuple) or len(atoms) != len(target.elts):
                count = len(atoms) if isinstance(atoms, tuple) else 1
                raise self.error(target, f"unpacking {count} value(s) into {len(target.elts)} "
                                 "names; make the counts match")
            for t, atom in zip(target.elts, atoms, strict=True):
                self.assign_atom(t, atom)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) != len(value.elts) or any(isinstance(t, ast.Starred) for t in target.elts):
                raise self.error(target, f"unpacking {len(value.elts)} values into "
                                 f"{len(target.elts)} names; make the counts match")
            atoms = [self.expr(v, t.id if isinstance(t, ast.Name) else None)
                     for t, v in zip(target.elts, value.elts, strict=True)]
            for t, atom in zip(target.elts, atoms, strict=True):
                self.assign_atom(t, atom)
        elif isinstance(target, (ast.Tuple, ast.List)):
            raise self.error(value, "unpacking a value that is not a literal tuple is not supported; "
                             "assign each name on its own")
        else:
            receivers.refuse_change(self, target)
            raise self.error(target, f"assignment to {type(target).__name__.lower()} changes a value "
                             "in place; assign to a new name instead")

    def assign_atom(self, target, atom):
        if not isinstance(target, ast.Name):
            raise self.error(target, "unpacking into an element or attribute is not supported; "
                             "unpack into plain names")
        self.bind(target.id, atom)

    def bind(self, name: str, atom):
        self.env[name] = atom
        self.unbound.pop(name, None)
        if "@" in name and name.startswith("result") and self.shapes is not None and is_atom(atom):
            self.returned_shapes[name] = self.shape(atom)

    # ------------------------------------------------------------ expressions
    def expr(self, node: ast.expr, name: str | None = None):
        handler = getattr(self, "expr_" + type(node).__name__, None)
        if handler is None:
            raise self.error(node, f"{describe(node)} cannot be differentiated; "
                             "write it with arithmetic and math/NumPy calls")
        return handler(node, name)

    def emit(self, node, prim: str, args, ns: str = "op", name: str | None = None, params=()):
        args = tuple(args)
        receivers.refuse_object(self, node, args)
        if prim == "sqrt" and ns in ("math", "numpy") and self.squared(args[0]) is not None:
            # sqrt(x**2) is |x|: its derivative at 0 is then abs's, 0, not 0/0
            return self.emit(node, "abs", (self.squared(args[0]),), ns, name, params)
        if any(isinstance(a, (ListValue, RunningList)) for a in args):
            raise self.error(node, "a list is used as a number here; read it with np.stack(list), "
                             "np.array(list), sum(list) or list[i]")
        if any(isinstance(a, (tuple, LocalFunction)) for a in args):
            raise self.error(node, "a function, or a call returning several values, is used as a "
                             "number here; call the function, or unpack the values first")
        keys = [atom_key(a) for a in args]
        key = (prim, ns, params, tuple(sorted(keys) if PRIMS[prim].commutative else keys))
        guards = [tuple((atom_key(c), p) for c, p in self.guard[:n]) for n in range(len(self.guard) + 1)]
        for guard in reversed(guards):  # a value computed where this code runs
            if (key, guard) in self.values:
                return self.values[(key, guard)]
        out = Var(self.names.fresh(name) if name is not None else self.names.letter())
        self.eqns.append(Eqn(out, prim, args, ns, params, self.src.loc(node), self.guard))
        self.values[(key, guards[-1])] = out
        if self.shapes is not None:
            try:
                self.shapes[out.name] = PRIMS[prim].result_shape([self.shape(a) for a in args], params)
            except ValueError as exc:
                raise self.error(node, f"{prim}: {exc}; check the arguments' shapes", ShapeError) from None
        return out

    def squared(self, atom):
        """x if `atom` is x**2 (or x*x) computed here, else None."""
        if not isinstance(atom, Var):
            return None
        for eqn in reversed(self.eqns):
            if eqn.out == atom:
                x, y = (eqn.args + (None,))[:2]
                if eqn.prim == "pow" and isinstance(y, Const) and not isinstance(y.value, bool) and y.value == 2:
                    return x
                if eqn.prim == "mul" and x == y:
                    return x
                return None
        return None

    def expr_Constant(self, node, name):
        if isinstance(node.value, (bool, int, float)):
            return Const(node.value)
        raise self.error(node, f"the constant {node.value!r} is not a real number; "
                         "only int, float and bool constants can appear in a differentiated function")

    def expr_Name(self, node, name):
        if node.id in self.env:
            return self.env[node.id]
        if node.id in self.unbound:
            raise self.error(node, f"{node.id} {self.unbound[node.id]}")
        ref = self.resolve(node, node.id)
        if isinstance(ref, ConstRef):
            return Const(ref.value, ref.label if self.visible_constant(ref) else None)
        what = "module" if isinstance(ref, ModuleRef) else "function"
        raise self.error(node, f"the {what} {node.id} is used as a value; call it, or use a number")

    def resolve(self, node, name: str):
        ref = self.src.lookup(name)
        if ref is None:
            raise self.error(node, f"name {name} is not defined; define it before the function "
                             "or pass it as a parameter", UnknownFunctionError)
        if isinstance(ref, (Unknown, UserModule)):
            what = ref.what if isinstance(ref, Unknown) else f"module {ref.module.__name__}"
            advice = getattr(ref, "advice", "") or "pass it as a parameter or use math/NumPy functions"
            raise self.error(node, f"{name} is a {what}, which symdiff cannot differentiate "
                             f"through; {advice}", UnknownFunctionError)
        self.outside.add(name)
        if isinstance(ref, ModuleRef):
            self.modules.setdefault(ref.ns, ref.alias)
        return ref

    def expr_Attribute(self, node, name):
        read = receivers.attribute(self, node, name)  # self.w: an attribute of a method's object
        if read is not None:
            return read
        if is_value(node.value, self.env):
            if node.attr == "T":  # x.T
                return self.emit(node, "transpose", (self.expr(node.value),), "numpy", name=name)
            if node.attr in ("ndim", "size") and self.shapes is not None:
                shape = self.shape(self.expr(node.value))
                return Const(len(shape) if node.attr == "ndim" else int(np.prod(shape)))
            if node.attr in ("ndim", "size"):
                return self.emit(node, "dim", (self.expr(node.value),), "numpy", params=(("axis", node.attr),))
            if node.attr == "shape":
                raise self.error(node, "x.shape can be indexed (x.shape[0]) or unpacked "
                                 "(n, d = x.shape), not used whole")
            raise self.error(node, f"the attribute .{node.attr} of an array is not supported yet; "
                             "use a NumPy function (x.T, np.sum, np.reshape, ...)")
        ref = self.user_module_attribute(node)  # cfh.SCALE
        if isinstance(ref, ConstRef):
            return Const(ref.value, None)  # the generated code cannot name it: a number
        module = self.module_of(node)
        if (module.ns, node.attr) in CONSTANTS:
            return Const(CONSTANTS[(module.ns, node.attr)], f"{module.alias}.{node.attr}")
        raise self.error(node, f"{module.alias}.{node.attr} is not a constant symdiff knows; "
                         "use a number or pass it as a parameter", UnknownFunctionError)

    def module_of(self, node: ast.Attribute) -> ModuleRef:
        base = node.value
        if isinstance(base, ast.Name) and base.id not in self.env:
            ref = self.resolve(base, base.id)
            if isinstance(ref, ModuleRef):
                return ref
        raise self.error(node, f"attribute .{node.attr} of {describe(base)} is not supported; "
                         "only math and NumPy module attributes can be used")

    def expr_BinOp(self, node, name):
        return self.binop(node, node.op, node.left, node.right, name)

    def binop(self, node, op, left, right, name):
        prim = BINOPS.get(type(op))
        if prim is None:
            raise self.error(node, f"the operator {_OP_SYMBOLS.get(type(op), type(op).__name__)} "
                             "cannot be differentiated; use arithmetic operators")
        return self.emit(node, prim, (self.expr(left), self.expr(right)), name=name)

    def expr_UnaryOp(self, node, name):
        if isinstance(node.op, ast.UAdd):
            return self.expr(node.operand, name)
        if isinstance(node.op, ast.USub):
            operand = self.expr(node.operand)
            if isinstance(operand, Const) and operand.label is None:
                return Const(-operand.value)
            return self.emit(node, "neg", (operand,), name=name)
        if isinstance(node.op, ast.Not):
            operand = self.expr(node.operand)
            if isinstance(operand, Const) and operand.folds:
                return Const(not operand.value)
            return self.emit(node, "not", (operand,), name=name)
        raise self.error(node, "the ~ operator is not supported; use not, or np.logical_not")

    def expr_Call(self, node, name):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise self.error(node, "starred arguments cannot be differentiated; pass the arguments one by one")
        listed = self.list_call(node, name)  # np.stack(ys), sum(ys), ... of a list being built
        if listed is not None:
            return listed
        custom = self.custom_function(node.func)
        if custom is not None:
            return self.custom_call(node, custom, name)
        method = receivers.method_call(self, node)  # self.helper(x): a method of the object's class
        if method is not None:
            return self.inline_call(*method, name)
        target = self.user_function(node.func)
        if target is not None:
            return self.inline_call(node, target, name)
        if isinstance(node.func, ast.Attribute) and is_value(node.func.value, self.env):
            prim, ns, spelled = self.method(node.func)  # x.sum(axis=0)
            positional = [node.func.value, *node.args]
        else:
            (prim, ns, spelled), positional = self.callee(node.func), list(node.args)
        row = PRIMS[prim]
        if row.params_first:  # np.einsum('ij,jk->ik', a, b): the parameters, then the arrays
            count = len(row.params)
            positional = [*positional[count:], *positional[:count]]
        if row.sequence:  # np.concatenate([a, b], axis=0): the list holds the arrays
            if not positional or not isinstance(positional[0], (ast.List, ast.Tuple)):
                raise self.error(node, f"{spelled} takes a list of arrays written out: "
                                 f"{spelled}([a, b], ...)")
            params = self.static_params(node, row, spelled, positional[1:])
            args = [self.expr(a) for a in positional[0].elts]
            return self.call(node, prim, ns, spelled, args, name, params)
        count = row.arity if row.params else len(positional)
        params = self.static_params(node, row, spelled, positional[count:])
        args = [self.expr(a) for a in positional[:count]]
        return self.call(node, prim, ns, spelled, args, name, params)

    def call(self, node, prim, ns, spelled, args, name, params=()):
        row = PRIMS[prim]
        if row.lowering is not None:  # np.var, np.clip, ...: written with other primitives
            return row.lowering(Emitter(self, node), *args, **dict(params))
        if prim == "dim" and len(args) == 1:  # len(x) = x.shape[0]
            return self.dim(node, args[0], 0)
        if prim == "log" and len(args) == 2:  # log(x, base) = log(x) / log(base)
            logs = [self.emit(node, "log", (a,), ns) for a in args]
            return self.emit(node, "div", logs, name=name)
        if prim in ("max", "min") and all(isinstance(a, Const) and type(a.value) is int for a in args):
            return Const((max if prim == "max" else min)(a.value for a in args))  # min(len(xs), 3)
        if prim in ("max", "min", "hypot") and len(args) > 2:  # fold pairwise
            args = [self.emit(node, prim, args[:2], ns), *args[2:]]
            return self.call(node, prim, ns, spelled, args, name, params)
        if not row.sequence and len(args) not in (row.arities or (row.arity,)):
            expected = " or ".join(map(str, row.arities or (row.arity,)))
            raise self.error(node, f"{spelled} takes {expected} argument(s) here, got {len(args)}"
                             + ("; max/min of an iterable is not supported, list the values" if
                                prim in ("max", "min") and len(args) == 1 else ""))
        return self.emit(node, prim, args, ns, name=name, params=params)

    def callee(self, func: ast.expr) -> tuple[str, str, str]:
        if isinstance(func, ast.Name) and func.id not in self.env:
            ref = self.resolve(func, func.id)
            if isinstance(ref, FunctionRef):
                return ref.prim, ref.ns, func.id
        elif isinstance(func, ast.Attribute):
            inner = func.value if isinstance(func.value, ast.Attribute) else None  # np.linalg.norm
            module = self.module_of(inner or func)
            attr = f"{inner.attr}.{func.attr}" if inner else func.attr
            spelled = f"{module.alias}.{attr}"
            if (module.ns, attr) in LIBRARY:
                return (*LIBRARY[(module.ns, attr)], spelled)
            if attr.startswith("random."):
                raise self.error(func, f"{spelled} draws random numbers, which have no derivative; draw "
                                 "them outside the function and pass them as a parameter",
                                 UnknownFunctionError)
            raise self.error(func, f"{spelled} is not a function symdiff can differentiate; "
                             f"supported {module.ns} functions: {_supported(module.ns)}",
                             UnknownFunctionError)
        raise self.error(func, f"calling {describe(func)} is not supported; call math or NumPy "
                         "functions, or functions of yours written in Python (def or lambda)",
                         UnknownFunctionError)


class _NoDefault:
    pass


_NO_DEFAULT = _NoDefault()
_OP_SYMBOLS = {ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
               ast.LShift: "<<", ast.RShift: ">>"}


def _is_docstring(stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
        and isinstance(stmt.value.value, str)


def _supported(ns: str) -> str:
    return ", ".join(sorted(attr for (space, attr) in LIBRARY if space == ns))
