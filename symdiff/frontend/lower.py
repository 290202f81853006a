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

This module is the top of the frontend: it holds the function's body (its
statements, assignments, returns) and the expressions of no construct of their
own (constants, names, operators), and two dispatch tables, `STATEMENTS` and
`EXPRESSIONS`, from an `ast` node's type to the function lowering it, wherever
that lives (branches.py, loops.py, ...). The constructs recurse through those
tables by way of `state.Grammar`, so that they import only downward.
"""

from __future__ import annotations

import ast
import builtins
import warnings

from ..generated import is_entry_check
from ..errors import NeedsContainers, SymdiffWarning, room_for_deep_code
from ..ir import Const, Func, Var
from . import arrays, branches, calls, comprehensions, containers, linalg, lists, loops, receivers, updates
from .desugar import returning_loop
from .library import concatenation, library_call
from .params import function_params
from .parse import ConstRef, ConstTuple, ModuleRef, Source, Unknown, classify
from .scope import module_constant, resolve, visible_constant
from .state import (Grammar, Lowering, NeedsShapes, as_func, begin, bind, emit, error, expr,
                    lower_body, refuse_object, statement)
from .syntax import always_returns, at, describe, is_shape, is_value, returns_somewhere
from .values import ListValue, RunningList, is_container

BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow",
          ast.FloorDiv: "floordiv", ast.Mod: "mod", ast.MatMult: "matmul"}
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
_OP_SYMBOLS = {ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
               ast.LShift: "<<", ast.RShift: ">>"}


def lower(src: Source, shapes: dict | None = None, trees: dict | None = None) -> Func:
    """Lower `src` to an `ir.Func` (see the module docstring).

    Args:
        shapes: the parameters' shapes by name, for array code: then `x.shape`,
            `len(x)` and `x.ndim` are constants; without them they are `dim`
            equations, which mark the function as array code.
        trees: the container parameters: name -> (its `trees.Tree`, its leaves' shapes
            or None); each becomes a parameter per leaf (containers.py).

    Raises:
        SymdiffError: the function uses a construct symdiff cannot differentiate
            (the message is located and says what to write instead).
        NeedsContainers: it returns a container, and `trees` is None (see `lower_with_result`).
    """
    func, result = lower_with_result(src, shapes, trees)
    if result is not None and trees is None:
        raise NeedsContainers(func.loc, f"{func.name} returns a container (a dict, or a tuple or list "
                              "inside its result); its derivatives are generated for the arguments "
                              "at their first call, and only jvp and vjp take such a result")
    return func


def lower_with_result(src: Source, shapes: dict | None = None, trees: dict | None = None) -> tuple:
    """(`lower(src, shapes, trees)`, the `trees.Tree` of its result, or None where the
    result is atoms): a function returning a container returns its leaves, in order."""
    with room_for_deep_code(src.loc()):
        return _function(begin(src, shapes, GRAMMAR, trees))


def _function(st: Lowering) -> tuple:
    if isinstance(st.src.node, ast.AsyncFunctionDef):
        raise error(st, st.src.node, f"async def {st.src.name} is a coroutine function, which "
                    "symdiff cannot differentiate; define it with def")
    params = function_params(st, st.src.node.args)
    try:
        found = lower_body(st)
        eqns = tuple(st.code.eqns)
    except NeedsShapes as exc:  # (only the shapes' `dim` equations: array code, shapes needed)
        eqns = tuple(e for e in st.code.eqns if e.prim == "dim")
        found = tuple(b for b in exc.bounds if isinstance(b, Var)) or (Const(0),)
    tree = None
    if any(is_container(r) for r in found):  # {"y": y}, or (a, b), c: its leaves, and its tree
        tree, found = containers.value_tree(st, st.src.node, found[0] if len(found) == 1 else tuple(found))
    return as_func(st, params, eqns, tuple(found)), tree


# ---------------------------------------------------------------- statements

def statements(st: Lowering, body: list[ast.stmt], node=None) -> tuple:
    """Lower `body`, a path that ends in a return (`node`: the if it is a branch of); its results."""
    for i, stmt in enumerate(body):
        if i == 0 and _is_docstring(stmt) and node is None:
            continue
        if body is st.src.node.body and is_entry_check(stmt, st.src.lookup):
            continue  # symdiff's check of the arguments of code it generated: no value
        if isinstance(stmt, ast.Return):
            if i != len(body) - 1:
                raise error(st, body[i + 1], "code after return is never run; remove it")
            return results(st, stmt.value, stmt)
        if isinstance(stmt, (ast.For, ast.While)) and returns_somewhere(stmt):
            return statements(st, returning_loop(st, stmt, body[i + 1:]), node)
        if isinstance(stmt, ast.If) and returns_somewhere(stmt):
            if always_returns([stmt]) and i != len(body) - 1:
                raise error(st, body[i + 1], "code after an if that returns on every path "
                            "is never run; remove it")
            return branches.returning_if(st, stmt, body[i + 1:])
        statement(st, stmt)
    if node is not None:
        raise error(st, node, f"a path through this if reaches the end of {st.src.name} "
                    "without a return; return a value on every path")
    raise error(st, st.src.node, f"{st.src.name} does not end with a return statement; "
                "return the value to differentiate")


def results(st: Lowering, value, node) -> tuple:
    """The results of `return value`."""
    if value is None:
        raise error(st, node, "return without a value; return the value to differentiate")
    if isinstance(value, ast.Tuple):
        atoms = tuple(expr(st, v) for v in value.elts)
        refuse_object(st, value, atoms)
        return atoms
    atom = expr(st, value, st.result_name)
    refuse_object(st, value, (atom,))
    if isinstance(atom, (ListValue, RunningList)):
        raise error(st, value, "a list is returned; return np.stack(list) or sum(list) instead")
    return atom if isinstance(atom, tuple) else (atom,)  # a helper's several values


def _statement(st: Lowering, stmt: ast.stmt) -> None:
    lowering = STATEMENTS.get(type(stmt))
    if lowering is None:
        _refuse_statement(st, stmt)
    lowering(st, stmt)


def _refuse_statement(st: Lowering, stmt: ast.stmt):
    kind = type(stmt).__name__
    advice = STATEMENT_ADVICE.get(kind, "it cannot be differentiated; rewrite it as assignments and a return")
    raise error(st, stmt, f"{kind.lower()} statement: {advice}")


def _assignment(st: Lowering, stmt: ast.Assign):
    if len(stmt.targets) == 1:
        assign(st, stmt.targets[0], stmt.value)
        return
    # a = b = value: the value once, then each target in turn from the left, as Python does
    chained = f"chained@{stmt.lineno}:{stmt.col_offset}"
    assign(st, at(ast.Name(chained, ast.Store()), stmt), stmt.value)
    for target in stmt.targets:
        assign(st, target, at(ast.Name(chained, ast.Load()), stmt.value))
    st.env.pop(chained, None)


def _annotated_assignment(st: Lowering, stmt: ast.AnnAssign):
    if stmt.value is None:  # `x: float` binds nothing
        _refuse_statement(st, stmt)
    assign(st, stmt.target, stmt.value)


def _augmented_assignment(st: Lowering, stmt: ast.AugAssign):
    receivers.refuse_change(st, stmt.target)
    if isinstance(stmt.target, ast.Subscript) and type(stmt.op) in BINOPS:  # x[i] += v
        updates.augment_item(st, stmt, BINOPS[type(stmt.op)])
        return
    if not isinstance(stmt.target, ast.Name):
        raise error(st, stmt, "augmented assignment to an attribute changes a value in place; "
                    "assign to a new name instead")
    updated = _binop(st, stmt, stmt.op, stmt.target, stmt.value, stmt.target.id)
    updates.augment_array(st, stmt, updated)  # x += v: in place on an array


def _expression_statement(st: Lowering, stmt: ast.Expr):
    if lists.append_statement(st, stmt):
        return
    if isinstance(stmt.value, (ast.Yield, ast.YieldFrom, ast.Await)):
        word = {ast.Yield: "yield", ast.YieldFrom: "yield from", ast.Await: "await"}[type(stmt.value)]
        raise error(st, stmt, f"{word} makes {st.src.name} a generator or coroutine, which symdiff "
                    "cannot differentiate; return the value instead")
    if _is_print(st, stmt.value):
        return _dropped_print(st, stmt)
    if isinstance(stmt.value, ast.Call):
        raise error(st, stmt, f"the call {ast.unparse(stmt.value.func)}(...) is a statement of its "
                    "own, whose value nothing uses and which symdiff cannot differentiate; "
                    "remove it")
    raise error(st, stmt, "an expression statement has no value to differentiate; remove it")


_BUILTIN_PRINT = (classify(builtins.print, "print"), Unknown("builtin print"))  # (imported; read statically)
_WARNED: set = set()  # (the prints reported: each once per process, though array code is lowered twice)


def _is_print(st: Lowering, call: ast.expr) -> bool:
    """Whether `call` calls the builtin print (not a name the function or its module binds)."""
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print" \
        and "print" not in st.env and st.src.lookup("print") in _BUILTIN_PRINT


def _dropped_print(st: Lowering, stmt: ast.Expr) -> None:
    """print(...) is no part of the derivative: the generated code leaves it out, and
    says so once, at the call."""
    loc = st.src.loc(stmt)
    if loc in _WARNED:
        return
    _WARNED.add(loc)
    warnings.warn_explicit(f"{loc}: print(...) is left out of the derivative's code, which prints "
                           f"nothing; call {st.src.name} itself to see what it prints", SymdiffWarning,
                           loc.filename, loc.line, module="symdiff")


def assign(st: Lowering, target: ast.expr, value: ast.expr):
    """`target = value`."""
    if isinstance(target, (ast.Tuple, ast.List)):
        _unpack(st, target, value)
    elif isinstance(target, ast.Name) and isinstance(value, ast.Lambda):
        calls.define_function(st, value, target.id)
    elif isinstance(target, ast.Name) and isinstance(value, ast.List):  # ys = []: a list to build
        bind(st, target.id, lists.list_display(st, value))
    elif isinstance(target, ast.Name):
        bind(st, target.id, expr(st, value, target.id))
    else:
        receivers.refuse_change(st, target)
        if isinstance(target, ast.Subscript):  # x[i] = v: a new version of x
            updates.assign_item(st, target, value)
            return
        raise error(st, target, f"assignment to {type(target).__name__.lower()} changes a value "
                    "in place; assign to a new name instead")


def _unpack(st: Lowering, target: ast.Tuple | ast.List, value: ast.expr):
    """`a, b = value`: a shape, a helper's several values, a literal tuple, or any value
    that is a tuple or list (containers.py)."""
    if is_shape(value, st.env):  # n, d = X.shape
        for axis, element in enumerate(target.elts):
            containers.assign_value(st, element, arrays.dim(st, value, expr(st, value.value), axis), value)
        return
    if isinstance(value, ast.Call):
        st.unpacked = [t.id if isinstance(t, ast.Name) else None for t in target.elts]
        held = expr(st, value)  # a helper returning several values
        st.unpacked = []
    elif isinstance(value, (ast.Tuple, ast.List)) and len(target.elts) == len(value.elts) \
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        held = tuple(expr(st, v, t.id if isinstance(t, ast.Name) else None)  # (each named as its target)
                     for t, v in zip(target.elts, value.elts, strict=True))
    else:
        held = expr(st, value)
    containers.unpack(st, target, held, value)


def _is_docstring(stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
        and isinstance(stmt.value.value, str)


# ---------------------------------------------------------------- expressions

def _expr(st: Lowering, node: ast.expr, name: str | None = None):
    lowering = EXPRESSIONS.get(type(node))
    if lowering is None:
        raise error(st, node, f"{describe(node)} cannot be differentiated; "
                    "write it with arithmetic and math/NumPy calls")
    return lowering(st, node, name)


def _constant(st: Lowering, node: ast.Constant, name):
    if isinstance(node.value, (bool, int, float)):
        return Const(node.value)
    raise error(st, node, f"the constant {node.value!r} is not a real number; "
                "only int, float and bool constants can appear in a differentiated function")


def _name(st: Lowering, node: ast.Name, name):
    if node.id in st.env:
        return st.env[node.id]
    if node.id in st.unbound:
        raise error(st, node, f"{node.id} {st.unbound[node.id]}")
    ref = resolve(st, node, node.id)
    if isinstance(ref, ConstRef):
        return Const(ref.value, ref.label if visible_constant(st, ref) else None)
    if isinstance(ref, ConstTuple):  # COEFFS = (1.0, -2.0) at module level: its numbers now
        return ListValue(Const(v) for v in ref.values)
    what = "module" if isinstance(ref, ModuleRef) else "function"
    raise error(st, node, f"the {what} {node.id} is used as a value; call it, or use a number")


def _attribute(st: Lowering, node: ast.Attribute, name):
    read = receivers.attribute(st, node, name)  # self.w: an attribute of a method's object
    if read is not None:
        return read
    if is_value(node.value, st.env):
        return arrays.attribute(st, node, name)  # x.T
    return module_constant(st, node)  # math.pi, cfh.SCALE


def _subscript(st: Lowering, node: ast.Subscript, name):
    item = linalg.item(st, node)  # np.linalg.slogdet(a)[1] (lstsq's [1] refused there)
    if item is None:
        item = containers.item(st, node)  # params["W"], pair[0]
    if item is None:
        item = lists.list_item(st, node)  # ys[-1] of a list being built
    if item is None:
        item = concatenation(st, node, name)  # np.r_[a, b]
    return item if item is not None else arrays.subscript(st, node, name)


def _binary(st: Lowering, node: ast.BinOp, name):
    return _binop(st, node, node.op, node.left, node.right, name)


def _binop(st: Lowering, node, op, left, right, name):
    prim = BINOPS.get(type(op))
    if prim is None:
        raise error(st, node, f"the operator {_OP_SYMBOLS.get(type(op), type(op).__name__)} "
                    "cannot be differentiated; use arithmetic operators")
    atoms = (lists.list_operand(st, left), lists.list_operand(st, right))
    joined = lists.list_arithmetic(st, node, prim, (left, right), *atoms)  # [a, b] + [c], xs * 2
    if joined is not None:
        return joined
    folded = _integer_arithmetic(prim, atoms)
    return folded if folded is not None else emit(st, node, prim, atoms, name=name)


_INTEGER_OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
                "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b}


def _integer_arithmetic(prim: str, atoms) -> Const | None:
    """`len(ws) - 1 - i`, `k // 2`, `k % 2` of ints known now (a written-out loop's index):
    the int, so that it can index a list or bound a range; else None."""
    if prim not in _INTEGER_OPS or not all(
            isinstance(a, Const) and a.folds and type(a.value) is int for a in atoms):
        return None
    if prim in ("floordiv", "mod") and atoms[1].value == 0:
        return None  # (the generated code raises ZeroDivisionError, as Python does)
    return Const(_INTEGER_OPS[prim](atoms[0].value, atoms[1].value))


def _unary(st: Lowering, node: ast.UnaryOp, name):
    if isinstance(node.op, ast.UAdd):
        return expr(st, node.operand, name)
    if isinstance(node.op, ast.USub):
        operand = expr(st, node.operand)
        if isinstance(operand, Const) and operand.label is None:
            return Const(-operand.value)
        return emit(st, node, "neg", (operand,), name=name)
    if isinstance(node.op, ast.Not):
        operand = expr(st, node.operand)
        if isinstance(operand, Const) and operand.folds:
            return Const(not operand.value)
        return emit(st, node, "not", (operand,), name=name)
    raise error(st, node, "the ~ operator is not supported; use not, or np.logical_not")


def _call(st: Lowering, node: ast.Call, name):
    """A call: of a list being built, a function with a custom rule, a method of self, a
    function of the user's, or of the library, in that order."""
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise error(st, node, "starred arguments cannot be differentiated; pass the arguments one by one")
    counted = containers.length(st, node)  # len(layers)
    if counted is not None:
        return counted
    viewed = containers.dict_view(st, node)  # params.values()
    if viewed is not None:
        return viewed
    summed = comprehensions.aggregate_call(st, node)  # sum(x ** k for k in range(n))
    if summed is not None:
        return summed
    listed = lists.list_call(st, node, name)  # np.stack(ys), sum(ys), ... of a list being built
    if listed is not None:
        return listed
    helper = updates.emitted_helper_call(st, node, name)  # _scatter(shape, np.s_[k], v) of generated code
    if helper is not None:
        return helper
    custom = calls.custom_function(st, node.func)
    if custom is not None:
        return calls.custom_call(st, node, custom, name)
    method = receivers.method_call(st, node)  # self.helper(x): a method of the object's class
    if method is not None:
        return calls.user_call(st, *method, name)
    target = calls.user_function(st, node.func)
    if target is not None:
        return calls.user_call(st, node, target, name)
    values = linalg.several(st, node, name)  # sign, logdet = np.linalg.slogdet(a)
    if values is not None:
        return values
    return library_call(st, node, name)


STATEMENTS = {
    ast.Assign: _assignment,
    ast.AnnAssign: _annotated_assignment,
    ast.AugAssign: _augmented_assignment,
    ast.If: branches.if_statement,
    ast.FunctionDef: lambda st, stmt: calls.define_function(st, stmt, stmt.name),
    ast.For: loops.for_loop,
    ast.While: loops.while_loop,
    ast.Pass: lambda st, stmt: None,
    ast.Expr: _expression_statement,
}
EXPRESSIONS = {
    ast.Constant: _constant,
    ast.Name: _name,
    ast.Attribute: _attribute,
    ast.Subscript: _subscript,
    ast.BinOp: _binary,
    ast.UnaryOp: _unary,
    ast.Call: _call,
    ast.IfExp: branches.if_expression,
    ast.BoolOp: branches.bool_op,
    ast.Compare: branches.compare,
    ast.ListComp: comprehensions.list_value,
    ast.Tuple: containers.tuple_display,
    ast.Dict: containers.dict_display,
    ast.GeneratorExp: comprehensions.list_value,
}
GRAMMAR = Grammar(expr=_expr, statement=_statement, statements=statements, results=results)
