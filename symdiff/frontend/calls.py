"""Lowering of calls to the user's own functions.

A mixin of `lower._Lowering`. A helper defined in the module or imported from
another is lowered on its own, once per way it is called (the shapes of its
arguments), and a call becomes one `call` equation (calls.py): the generated
module defines the helper once and calls it by name. Its arguments are its
parameters in order, defaults filled in, so the helper takes them all
positionally. A constant argument is passed like any other unless the helper
needs its value to lower (`axis=k`): then it is bound, and the helper lowered
for that value.

Where that cannot be done, the call is inlined: the callee's body is lowered
in place, its parameters bound to the call's arguments (positional, keyword,
defaults), its equations joining the caller's list, and a value it returns
named after the caller's target (`y = helper(x)` defines `y`). Closures,
`def`s nested in the function and lambdas bound to a name are always inlined
(they read the variables of the function defining them); so is a helper
given a function, a list or several values as an argument. A call that would
inline a function already being inlined (recursion) is refused.

Names the callee reads from its own module or closure: functions and modules
resolve in the callee's scope; numeric constants stay names when the caller's
scope binds the same name to the same constant (read live, like the caller's
own), and are taken as numbers otherwise.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..errors import SymdiffError, UnsupportedSyntaxError
from ..ir import Const, Param, Var, atom_key
from ..primitives.custom import registered
from .parse import ConstRef, CustomRef, ModuleRef, Source, UserFunction, UserModule
from ..primitives import MODULES
from .values import LocalFunction


class CallLowering:
    """Methods of `lower._Lowering` for calls to user functions."""

    def user_module_attribute(self, node: ast.expr):
        """What `module.attr` is, for a module of the user's (`cfh.helper`), else None."""
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)) \
                or node.value.id in self.env:
            return None
        module = self.src.lookup(node.value.id)
        return module.attribute(node.attr) if isinstance(module, UserModule) else None

    def custom_function(self, func: ast.expr):
        """The `parse.CustomRef` of a function with a custom derivative rule `func` names, or None."""
        ref = self.user_module_attribute(func)
        if ref is None and isinstance(func, ast.Name) and func.id not in self.env:
            ref = self.src.lookup(func.id)
            if isinstance(ref, CustomRef):
                self.outside.add(func.id)
        if ref is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id not in self.env:  # np.sinc with a rule registered for it
            module = self.src.lookup(func.value.id)
            if isinstance(module, ModuleRef):
                fun = getattr(MODULES[module.ns], func.attr, None)
                partials = registered(fun) if callable(fun) else None
                ref = CustomRef(ast.unparse(func), fun, partials) if partials is not None else None
                if ref is not None:
                    self.outside.add(func.value.id)
                    self.modules.setdefault(module.ns, module.alias)
        return ref if isinstance(ref, CustomRef) else None

    def custom_call(self, node: ast.Call, ref, name: str | None):
        """`f(x, y)` for a function with a custom derivative rule: one `custom` equation."""
        if node.keywords:
            raise self.error(node, f"{ref.name} has a custom derivative rule; pass its arguments "
                             "by position")
        args = [self.expr(a) for a in node.args]
        rule = self.rule(ast.unparse(node.func), ref.fun, ref.partials, self.src.loc(node))
        if self.shapes is not None and any(isinstance(a, (Var, Const)) and self.shape(a) != () for a in args):
            rule = rule.on_arrays(len(args))  # (arrays: entry by entry, unless it takes arrays)
        return self.emit(node, "custom", args, name=name, params=(("rule", rule),))

    def rule(self, spelled: str, fun, partials: tuple, loc):
        """The `custom.Rule` for a function (the same one for every call), with rules for its
        partials: functions (named for the generated code), or names read statically."""
        from ..primitives.custom import Rule

        key = (spelled, id(fun))
        if key not in self.rules:
            inner = []
            for i, partial in enumerate(partials):
                if isinstance(partial, str):
                    self.outside.add(partial)
                    inner.append(Rule(partial, None, (), loc))
                    continue
                label = getattr(partial, "__name__", "")
                label = label if label.isidentifier() else f"{spelled.replace('.', '_')}_d{i}"
                self.outside.add(label)
                inner.append(self.rule(label, partial, registered(partial) or (), loc))
            self.rules[key] = Rule(spelled, fun, tuple(inner), loc)
        return self.rules[key]

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
                             "differentiate; rewrite the recursion as a loop or straight-line code")
        env = self.call_env(node, src, defaults)
        if not isinstance(target, LocalFunction):
            called = self.call_once(node, src, key, name, env)
            if called is not None:
                return called
        callee = self.callee_lowering(src, isinstance(target, LocalFunction), name)
        callee.call_stack = self.call_stack + (key,)
        callee.env = env
        if isinstance(target, LocalFunction):  # a closure: it reads its definer's variables
            callee.env = {**target.scope, **callee.env}
        body = src.node.body
        results = callee.results(body, src.node) if isinstance(src.node, ast.Lambda) else \
            callee.statements(body)
        return results[0] if len(results) == 1 else results

    def call_once(self, node: ast.Call, src: Source, key, name: str | None, env: dict):
        """The value(s) of a call to a helper lowered on its own (calls.py), or None
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
        shapes = None if self.shapes is None else tuple(self.shape(a) for a in atoms)
        found = self.lowered_callee(src, key, order, shapes, {})
        if found is None:  # bind the constant arguments: `axis=k` needs k
            consts = {p: a for p, a in zip(order, atoms) if isinstance(a, Const)}
            found = self.lowered_callee(src, key, order, shapes, consts) if consts else None
            if found is None:
                return None
            atoms = [a for p, a in zip(order, atoms) if p not in consts]
        count = len(found.func.results)
        out = self.emit(node, "call", atoms, name=name if count == 1 else None, params=(("callee", found),))
        if count == 1:
            return out
        names = self.unpacked if len(self.unpacked) == count else [None] * count
        self.unpacked = []
        return tuple(self.emit(node, "pick", (out,), name=n, params=(("index", j),)) for j, n in enumerate(names))

    def lowered_callee(self, src: Source, key, order: list, shapes, consts: dict):
        """The helper lowered on its own for these argument shapes (and constants),
        once per lowering of the top function; None if that cannot be done."""
        from ..calls import Callee
        from .loops import NeedsShapes
        from ..transforms.simplify import dead_code

        memo = (key, shapes, tuple((p, atom_key(c)) for p, c in consts.items()))
        if memo in self.callees:
            return self.callees[memo]
        self.callees[memo] = None  # (while lowering it: a recursive call inlines, and fails there)
        callee = type(self)(src, None if shapes is None else dict(zip(order, shapes)))
        for shared in ("modules", "outside", "top_lookup", "callees", "rules"):
            setattr(callee, shared, getattr(self, shared))
        callee.call_stack = self.call_stack + (key,)
        callee.result_name = None
        try:
            params = callee.params(src.node.args)
            kept = []
            for param, p in zip(params, order, strict=True):
                if p in consts:
                    callee.env[p] = consts[p]
                else:
                    kept.append(Param(param.var))
            results = callee.lower_body()
        except (NeedsShapes, SymdiffError):
            return None
        if not all(isinstance(r, (Var, Const)) for r in results):
            return None
        doc = (ast.get_docstring(src.node) or "").strip().split("\n")[0] \
            if isinstance(src.node, ast.FunctionDef) else ""
        func = dead_code(callee.as_func(tuple(kept), tuple(callee.eqns), tuple(results), doc))
        self.callees[memo] = Callee(func)
        return self.callees[memo]

    def callee_lowering(self, src: Source, local: bool, name: str | None):
        """A lowering of `src` that appends to this one's equations and shares its names."""
        callee = type(self)(src, None)
        for shared in ("shapes", "names", "eqns", "values", "modules", "outside", "guard", "top_lookup", "rules"):
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
