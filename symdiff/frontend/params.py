"""A function's parameters, bound: to fresh variables where the function is lowered
on its own, or to a call's arguments where it is inlined.

`function_params`: each parameter a new variable (its source name kept), bound
in the lowering's names, with its default as a constant; a method's receiver is
bound to its object (receivers.py). `call_env`: the parameters of a function
being inlined bound to the call's arguments, by position, by keyword, or to
their defaults.
"""

from __future__ import annotations

import ast

from ..errors import UnsupportedSyntaxError
from ..ir import Const, Param, Var
from . import containers
from .parse import Source, refuse_star_params
from .receivers import receiver_params
from .state import Lowering, error, expr


class _NoDefault:
    pass


_NO_DEFAULT = _NoDefault()


def function_params(st: Lowering, args: ast.arguments) -> tuple[Param, ...]:
    """The parameters of the function `st` lowers, each bound to its variable."""
    refuse_star_params(args, st.src.loc)
    kinds = [(a, "posonly") for a in args.posonlyargs] + [(a, "positional") for a in args.args]
    kinds += [(a, "kwonly") for a in args.kwonlyargs]
    params = []
    for arg, kind in kinds:
        if arg.arg in (st.code.trees or {}):  # a container: a parameter per leaf
            params += containers.tree_params(st, arg.arg, *st.code.trees[arg.arg])
            continue
        var = Var(st.code.names.fresh(arg.arg))
        st.env[arg.arg] = var
        default = st.src.defaults.get(arg.arg, _NO_DEFAULT)
        params.append(Param(var, kind, None if default is _NO_DEFAULT else Const(default)))
    return receiver_params(st, tuple(params))  # a method's self: an object


def call_env(st: Lowering, node: ast.Call, src: Source, defaults: dict | None) -> dict:
    """The callee's parameters bound to the call's arguments (`defaults`: a local
    function's, evaluated where it was defined; None: those `src` holds)."""
    args = src.node.args
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            raise UnsupportedSyntaxError(src.loc(extra), f"*{extra.arg} / **{extra.arg} "
                                         "parameters cannot be inlined; list the parameters one by one")
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    keyword = positional[len(args.posonlyargs):] + [a.arg for a in args.kwonlyargs]
    if len(node.args) > len(positional):
        raise error(st, node, f"{src.name} takes {len(positional)} positional argument(s), "
                    f"got {len(node.args)}")
    env = {p: expr(st, a) for p, a in zip(positional, node.args)}
    for kw in node.keywords:
        if kw.arg not in keyword or kw.arg in env:
            raise error(st, kw.value, f"{src.name} has no parameter {kw.arg} that can be "
                        "given by keyword here" if kw.arg not in keyword else
                        f"{src.name} got parameter {kw.arg} twice")
        env[kw.arg] = expr(st, kw.value)
    for param in positional + [a.arg for a in args.kwonlyargs]:
        if param not in env:
            env[param] = _default(st, node, src, defaults, param)
    return env


def _default(st: Lowering, node: ast.Call, src: Source, defaults: dict | None, param: str):
    if defaults is not None and param in defaults:
        return defaults[param]
    if defaults is None and param in src.defaults:
        value = src.defaults[param]
        if isinstance(value, (bool, int, float)) or _static(value):
            return Const(value)  # (None, a string or a tuple: a static parameter, `axis=None`)
        raise error(st, st.src.node, f"the default of {param} is not a number; pass the value")
    raise error(st, node, f"the call to {src.name} gives no value for its parameter "
                f"{param}; pass it")


def _static(value) -> bool:
    """A default that only a static parameter can take: None, a string, a tuple of them or
    of ints (`axis=None`, `axis=(0, 1)`, `ord="fro"`)."""
    if isinstance(value, tuple):
        return all(isinstance(v, int) or _static(v) for v in value)
    return value is None or isinstance(value, str)
