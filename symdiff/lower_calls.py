"""Lowering of calls to the user's own functions: inlined where they are called.

A mixin of `lower._Lowering`. A call to a Python function with source (defined
in the module, imported from another one, a closure, a `def` nested in the
function, or a lambda bound to a name) is lowered by lowering the callee's
body in place, its parameters bound to the call's arguments (positional,
keyword, defaults). The callee's equations join the caller's list, so the
chain rule runs through them like through any other equation, and a value the
callee returns is named after the caller's target (`y = helper(x)` defines
`y`). A call that would inline a function already being inlined (recursion)
is refused.

Names the callee reads from its own module or closure: functions and modules
resolve in the callee's scope; numeric constants stay names when the caller's
scope binds the same name to the same constant (read live, like the caller's
own), and are taken as numbers otherwise.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from .errors import UnsupportedSyntaxError
from .ir import Const
from .parse import ConstRef, Source, UserFunction, UserModule


@dataclass(frozen=True)
class LocalFunction:
    """A `def` nested in the function, or a lambda bound to a name."""

    node: ast.FunctionDef | ast.Lambda
    name: str
    defaults: dict = field(compare=False)  # parameter name -> atom, evaluated where defined
    scope: dict = field(compare=False)     # the variables of the function that defined it
    src: Source = field(compare=False)     # that function's source (its globals)


class CallLowering:
    """Methods of `lower._Lowering` for calls to user functions."""

    def user_module_attribute(self, node: ast.expr):
        """What `module.attr` is, for a module of the user's (`cfh.helper`), else None."""
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)) \
                or node.value.id in self.env:
            return None
        module = self.src.lookup(node.value.id)
        return module.attribute(node.attr) if isinstance(module, UserModule) else None

    def user_function(self, func: ast.expr):
        """The user function `func` names, or None (a library function, or not a name)."""
        ref = self.user_module_attribute(func)
        if isinstance(ref, UserFunction):
            return ref
        if not isinstance(func, ast.Name):
            return None
        if func.id in self.env:
            bound = self.env[func.id]
            return bound if isinstance(bound, LocalFunction) else None
        ref = self.src.lookup(func.id)
        return ref if isinstance(ref, UserFunction) else None

    def define_local(self, node: ast.FunctionDef | ast.Lambda, name: str):
        """`def name(...)` in the function body, or `name = lambda ...`."""
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            raise self.error(node.decorator_list[0], f"the nested function {name} is decorated; "
                             "symdiff inlines plain functions: remove the decorator")
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
        defaults = {arg.arg: self.expr(expr) for arg, expr in pairs}
        self.bind(name, LocalFunction(node, name, defaults, self.env, self.src))

    def inline_call(self, node: ast.Call, target, name: str | None):
        """The value(s) `target(...)` returns, its body lowered in place."""
        if isinstance(target, LocalFunction):
            key = ("local", target.node.lineno, target.node.col_offset)
            src = replace(target.src, node=target.node, name=target.name)
            defaults = target.defaults
        else:
            key, src = target.key, target.load()
            defaults = None
        if key in self.call_stack:
            raise self.error(node, f"{target.name} calls itself (recursion), which symdiff cannot "
                             "inline; rewrite the recursion as straight-line code")
        callee = self.callee_lowering(src, isinstance(target, LocalFunction), name)
        callee.call_stack = self.call_stack + (key,)
        callee.env = self.call_env(node, src, defaults)
        if isinstance(target, LocalFunction):  # a closure: it reads its definer's variables
            callee.env = {**target.scope, **callee.env}
        body = src.node.body
        results = callee.results(body, src.node) if isinstance(src.node, ast.Lambda) else \
            callee.statements(body)
        return results[0] if len(results) == 1 else results

    def callee_lowering(self, src: Source, local: bool, name: str | None):
        """A lowering of `src` that appends to this one's equations and shares its names."""
        callee = type(self)(src, None)
        for shared in ("shapes", "names", "eqns", "values", "modules", "outside", "guard", "top_lookup"):
            setattr(callee, shared, getattr(self, shared))
        callee.result_name = name
        callee.unbound = {}
        return callee

    def call_env(self, node: ast.Call, src: Source, defaults: dict | None) -> dict:
        """The callee's parameters bound to the call's arguments."""
        args = src.node.args
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                raise UnsupportedSyntaxError(src.loc(extra), f"*{extra.arg} / **{extra.arg} "
                                             "parameters cannot be inlined; list the parameters one by one")
        positional = [a.arg for a in [*args.posonlyargs, *args.args]]
        keyword = positional[len(args.posonlyargs):] + [a.arg for a in args.kwonlyargs]
        if len(node.args) > len(positional):
            raise self.error(node, f"{src.name} takes {len(positional)} positional argument(s), "
                             f"got {len(node.args)}")
        env = {p: self.expr(a) for p, a in zip(positional, node.args)}
        for kw in node.keywords:
            if kw.arg not in keyword or kw.arg in env:
                raise self.error(kw.value, f"{src.name} has no parameter {kw.arg} that can be "
                                 "given by keyword here" if kw.arg not in keyword else
                                 f"{src.name} got parameter {kw.arg} twice")
            env[kw.arg] = self.expr(kw.value)
        for param in positional + [a.arg for a in args.kwonlyargs]:
            if param in env:
                continue
            if defaults is not None and param in defaults:
                env[param] = defaults[param]
            elif defaults is None and param in src.defaults:
                env[param] = self.default_atom(src.defaults[param], param)
            else:
                raise self.error(node, f"the call to {src.name} gives no value for its parameter "
                                 f"{param}; pass it")
        return env

    def default_atom(self, value, param: str):
        if isinstance(value, (bool, int, float)):
            return Const(value)
        raise self.error(self.src.node, f"the default of {param} is not a number; pass the value")

    def visible_constant(self, ref: ConstRef) -> bool:
        """Whether the generated code can read this constant by its name."""
        return self.top_lookup(ref.label) == ref
