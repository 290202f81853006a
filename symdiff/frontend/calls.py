"""Lowering of calls to the user's own functions.

A helper defined in the module or imported from another is lowered on its own,
once per way it is called (the shapes of its arguments), and a call becomes one
`call` equation (symdiff/calls.py): the generated module defines the helper once
and calls it by name. Its arguments are its parameters in order, defaults filled
in, so the helper takes them all positionally. A constant argument is passed
like any other unless the helper needs its value to lower (`axis=k`): then it is
bound, and the helper lowered for that value.

Where that cannot be done, the call is inlined: the callee's body is lowered
in place, its parameters bound to the call's arguments (positional, keyword,
defaults: params.py), its equations joining the caller's list, and a value it
returns named after the caller's target (`y = helper(x)` defines `y`). Closures,
`def`s nested in the function and lambdas bound to a name are always inlined
(they read the variables of the function defining them); so is a helper
given a function, a list or several values as an argument. A call that would
inline a function already being inlined (recursion) is refused.

Names the callee reads from its own module or closure: functions and modules
resolve in the callee's scope; numeric constants stay names when the caller's
scope binds the same name to the same constant (read live, like the caller's
own), and are taken as numbers otherwise.

A function with a custom derivative rule (primitives/custom.py) is neither: its
call is one `custom` equation.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..errors import SymdiffError
from ..ir import Callee, Const, Param, Var, atom_key
from ..primitives import library_module, resolve_attribute
from ..primitives.custom import Rule, registered
from ..transforms.simplify import dead_code
from .params import call_env, function_params
from .parse import CustomRef, ModuleRef, Source, UserFunction
from .scope import user_module_attribute
from .state import (Lowering, NeedsShapes, as_func, bind, emit, error, expr, inlined, lower_body, results,
                    separately, shape, statements)
from .values import LocalFunction


def define_function(st: Lowering, node: ast.FunctionDef | ast.Lambda, name: str):
    """`def name(...)` in the function body, or `name = lambda ...`."""
    if isinstance(node, ast.FunctionDef) and node.decorator_list:
        raise error(st, node.decorator_list[0], f"the nested function {name} is decorated; "
                    "symdiff inlines plain functions: remove the decorator")
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    defaults = {arg.arg: expr(st, default) for arg, default in pairs}
    bind(st, name, LocalFunction(node, name, defaults, st.env, st.src))


# ---------------------------------------------------------------- custom derivative rules

def custom_function(st: Lowering, func: ast.expr):
    """The `parse.CustomRef` of a function with a custom derivative rule `func` names, or None."""
    ref = user_module_attribute(st, func)
    if ref is None and isinstance(func, ast.Name) and func.id not in st.env:
        ref = st.src.lookup(func.id)
        if isinstance(ref, CustomRef):
            st.unit.outside.add(func.id)
    if ref is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id not in st.env:  # np.sinc with a rule registered for it
        module = st.src.lookup(func.value.id)
        if isinstance(module, ModuleRef):
            fun = _library_function(module, func.attr)
            partials = registered(fun) if callable(fun) else None
            ref = CustomRef(ast.unparse(func), fun, partials) if partials is not None else None
            if ref is not None:
                st.unit.outside.add(func.value.id)
                st.unit.modules.setdefault(module.ns, module.alias)
    return ref if isinstance(ref, CustomRef) else None


def _library_function(module: ModuleRef, attr: str):
    """The function `module.attr` names (a rule may be registered for it), or None."""
    try:
        return resolve_attribute(library_module(module.ns), module.prefix + attr)
    except (AttributeError, ImportError):  # (no such function; SciPy not installed)
        return None


def custom_call(st: Lowering, node: ast.Call, ref, name: str | None):
    """`f(x, y)` for a function with a custom derivative rule: one `custom` equation."""
    if node.keywords:
        raise error(st, node, f"{ref.name} has a custom derivative rule; pass its arguments "
                    "by position")
    args = [expr(st, a) for a in node.args]
    rule = _rule(st, ast.unparse(node.func), ref.fun, ref.partials, st.src.loc(node))
    if st.code.shapes is not None and any(isinstance(a, (Var, Const)) and shape(st, a) != () for a in args):
        rule = rule.on_arrays(len(args))  # (arrays: entry by entry, unless it takes arrays)
    return emit(st, node, "custom", args, name=name, params=(("rule", rule),))


def _rule(st: Lowering, spelled: str, fun, partials: tuple, loc):
    """The `custom.Rule` for a function (the same one for every call), with rules for its
    partials: functions (named for the generated code), or names read statically."""
    key = (spelled, id(fun))
    rules = st.unit.rules
    if key not in rules:
        inner = []
        for i, partial in enumerate(partials):
            if isinstance(partial, str):
                st.unit.outside.add(partial)
                inner.append(Rule(partial, None, (), loc))
                continue
            label = getattr(partial, "__name__", "")
            label = label if label.isidentifier() else f"{spelled.replace('.', '_')}_d{i}"
            st.unit.outside.add(label)
            inner.append(_rule(st, label, partial, registered(partial) or (), loc))
        rules[key] = Rule(spelled, fun, tuple(inner), loc)
    return rules[key]


# ---------------------------------------------------------------- the user's functions

def user_function(st: Lowering, func: ast.expr):
    """The user function `func` names, or None (a library function, or not a name)."""
    ref = user_module_attribute(st, func)
    if isinstance(ref, UserFunction):
        return ref
    if not isinstance(func, ast.Name):
        return None
    if func.id in st.env:
        bound = st.env[func.id]
        return bound if isinstance(bound, LocalFunction) else None
    if func.id in st.unbound:  # (bound before, but not after an if or a loop)
        raise error(st, func, f"{func.id} {st.unbound[func.id]}")
    ref = st.src.lookup(func.id)
    return ref if isinstance(ref, UserFunction) else None


def user_call(st: Lowering, node: ast.Call, target, name: str | None):
    """The value(s) `target(...)` returns: one `call` equation where the helper can be
    lowered on its own, else its body lowered in place."""
    local = isinstance(target, LocalFunction)
    if local:
        key = ("local", target.node.lineno, target.node.col_offset)
        src = replace(target.src, node=target.node, name=target.name)
    else:
        key, src = target.key, target.load()
    if key in st.call_stack:
        raise error(st, node, f"{target.name} calls itself (recursion), which symdiff cannot "
                    "differentiate; rewrite the recursion as a loop or straight-line code")
    env = call_env(st, node, src, target.defaults if local else None)
    if not local:
        called = _call_once(st, node, src, key, name, env)
        if called is not None:
            return called
    if local:  # a closure: it reads its definer's variables
        env = {**target.scope, **env}
    callee = inlined(st, src, name, env, key)
    body = src.node.body
    found = results(callee, body, src.node) if isinstance(src.node, ast.Lambda) else statements(callee, body)
    return found[0] if len(found) == 1 else found


def _call_once(st: Lowering, node: ast.Call, src: Source, key, name: str | None, env: dict):
    """The value(s) of a call to a helper lowered on its own (symdiff/calls.py), or None
    where the call is inlined instead: an argument is not a number or an array
    (a function, a list, several values), the helper returns something else, or
    it cannot be lowered on its own (it needs the arguments' shapes, not known
    yet, or a constant argument is used where only a constant will do and
    binding it does not help either). `env`: the parameters bound to the arguments."""
    args = src.node.args
    order = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    atoms = [env[p] for p in order]
    if not all(isinstance(a, (Var, Const)) for a in atoms):
        return None
    shapes = None if st.code.shapes is None else tuple(shape(st, a) for a in atoms)
    # (a default such as `axis=None` is no value to pass: it is bound in)
    static = any(isinstance(a, Const) and isinstance(a.value, (str, tuple, type(None))) for a in atoms)
    found = None if static else _lowered_callee(st, src, key, order, shapes, {})
    if found is None:  # bind the constant arguments: `axis=k` needs k
        consts = {p: a for p, a in zip(order, atoms) if isinstance(a, Const)}
        found = _lowered_callee(st, src, key, order, shapes, consts) if consts else None
        if found is None:
            return None
        atoms = [a for p, a in zip(order, atoms) if p not in consts]
    count = len(found.func.results)
    out = emit(st, node, "call", atoms, name=name if count == 1 else None, params=(("callee", found),))
    if count == 1:
        return out
    names = st.unpacked if len(st.unpacked) == count else [None] * count
    st.unpacked = []
    return tuple(emit(st, node, "pick", (out,), name=n, params=(("index", j),)) for j, n in enumerate(names))


def _lowered_callee(st: Lowering, src: Source, key, order: list, shapes, consts: dict):
    """The helper lowered on its own for these argument shapes (and constants),
    once per lowering of the top function; None if that cannot be done."""
    memo = (key, shapes, tuple((p, atom_key(c)) for p, c in consts.items()))
    if memo in st.callees:
        return st.callees[memo]
    st.callees[memo] = None  # (while lowering it: a recursive call inlines, and fails there)
    callee = separately(st, src, None if shapes is None else dict(zip(order, shapes)), key)
    try:
        params = function_params(callee, src.node.args)
        kept = []
        for param, p in zip(params, order, strict=True):
            if p in consts:
                callee.env[p] = consts[p]
            else:
                kept.append(Param(param.var))
        found = lower_body(callee)
    except (NeedsShapes, SymdiffError):
        return None
    if not all(isinstance(r, (Var, Const)) for r in found):
        return None
    doc = (ast.get_docstring(src.node) or "").strip().split("\n")[0] \
        if isinstance(src.node, ast.FunctionDef) else ""
    func = dead_code(as_func(callee, tuple(kept), tuple(callee.code.eqns), tuple(found), doc))
    st.callees[memo] = Callee(func)
    return st.callees[memo]
