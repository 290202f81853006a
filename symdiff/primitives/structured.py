"""The table's rows for the IR's structured equations (ir.py: a loop, with a body of
its own; a call of a helper's own IR; a pick of one of their outputs; a range of
indices), for functions with a custom derivative rule (custom.py), and for an
attribute of a method's object (frontend/receivers.py).
"""

from __future__ import annotations

import functools

from . import custom
from .row import Prim

STRUCTURED_ROWS = [
    Prim("loop", 0, {"op": "for"}, None, vjp=(), kind="any", structured=True,
         params=(("body", None), ("carried", 0), ("kind", "range"), ("record", ()), ("cond", None), ("stop", None))),
    Prim("call", 0, {"op": "call"}, None, vjp=(), kind="any", structured=True, params=(("callee", None),)),
    Prim("range", 3, {"op": "range"}, None, kind="any", structured=True),
    Prim("pick", 1, {"op": "pick"}, None, vjp=(), kind="float", structured=True, params=(("index", 0),)),
    Prim("custom", 0, {"op": "custom"}, custom.sympy_meaning, vjp=custom.vjp_rules, jvp=custom.jvp, kind="float",
         evaluate=custom.evaluate, params=(("rule", None),)),
    # `self.layer.w` of a method's object (frontend/receivers.py): a constant to the derivative, read
    # where the code runs; its shape and kind (calls.eqn_kind) are known in array code
    Prim("attr", 1, {"op": "getattr"}, None, shape=lambda obj, path, shape=(), kind="float": shape,
         evaluate=lambda obj, path, shape=None, kind=None: functools.reduce(getattr, path, obj),
         kind="any", params=(("path", ()), ("shape", None), ("kind", "float"))),
]
