"""Free names: what a name the function does not bind refers to.

parse.py resolved every free name of the source statically (`Source.lookup`):
a module, a library function, a number, a user's function or module, or
something symdiff cannot differentiate through. Here a lowering reads those
answers, refuses the last kind with a located error, and records what the
generated code will read from outside (the modules it imports, the names it
reads: `state.Unit`).
"""

from __future__ import annotations

import ast

from ..errors import UnknownFunctionError
from ..ir import Const
from ..primitives import CONSTANTS
from .parse import ConstRef, ConstTuple, FunctionRef, ModuleRef, Unknown, UserModule
from .state import Lowering, error
from .syntax import describe


def resolve(st: Lowering, node, name: str):
    """What the free name `name` refers to (a `parse` reference), read by the generated code.

    Raises:
        UnknownFunctionError: `name` is not defined, or is nothing symdiff differentiates through.
    """
    ref = st.src.lookup(name)
    if ref is None:
        raise error(st, node, f"name {name} is not defined; define it before the function "
                    "or pass it as a parameter", UnknownFunctionError)
    if isinstance(ref, (Unknown, UserModule)):
        what = ref.what if isinstance(ref, Unknown) else f"module {ref.module.__name__}"
        advice = getattr(ref, "advice", "") or "pass it as a parameter or use math/NumPy functions"
        raise error(st, node, f"{name} is a {what}, which symdiff cannot differentiate "
                    f"through; {advice}", UnknownFunctionError)
    st.unit.outside.add(name)
    if isinstance(ref, ModuleRef) and not ref.prefix:  # (a submodule's name is not the namespace's)
        st.unit.modules.setdefault(ref.ns, ref.alias)
    return ref


def module_of(st: Lowering, node: ast.Attribute) -> ModuleRef:
    """The library module of `module.attr` (`np.exp`; `np.linalg.norm` given `np.linalg`)."""
    base = node.value
    if isinstance(base, ast.Name) and base.id not in st.env:
        ref = resolve(st, base, base.id)
        if isinstance(ref, ModuleRef):
            return ref
    raise error(st, node, f"attribute .{node.attr} of {describe(base)} is not supported; "
                "only math and NumPy module attributes can be used")


def module_constant(st: Lowering, node: ast.Attribute) -> Const:
    """The number `module.attr` names: a constant of a module of the user's (`cfh.SCALE`),
    or of a library (`math.pi`, kept by its name)."""
    ref = user_module_attribute(st, node)
    if isinstance(ref, ConstRef):
        return Const(ref.value, None)  # the generated code cannot name it: a number
    module = module_of(st, node)
    if (module.ns, node.attr) in CONSTANTS:
        return Const(CONSTANTS[(module.ns, node.attr)], f"{module.alias}.{node.attr}")
    raise error(st, node, f"{module.alias}.{node.attr} is not a constant symdiff knows; "
                "use a number or pass it as a parameter", UnknownFunctionError)


def user_module_attribute(st: Lowering, node: ast.expr):
    """What `module.attr` is, for a module of the user's (`cfh.helper`), else None."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)) \
            or node.value.id in st.env:
        return None
    module = st.src.lookup(node.value.id)
    return module.attribute(node.attr) if isinstance(module, UserModule) else None


def visible_constant(st: Lowering, ref: ConstRef) -> bool:
    """Whether the generated code can read this constant by its name."""
    return st.unit.top_lookup(ref.label) == ref


def constant_tuple(st: Lowering, node: ast.expr) -> tuple | None:
    """The numbers of a module-level tuple `node` names (COEFFS, cfh.COEFFS), or None."""
    if isinstance(node, ast.Name) and node.id not in st.env:
        ref = st.src.lookup(node.id)
    else:
        ref = user_module_attribute(st, node)
    return ref.values if isinstance(ref, ConstTuple) else None


def is_builtin_call(st: Lowering, node: ast.expr, name: str) -> bool:
    """Whether `node` calls the builtin `name` (range, zip, ...), which nothing shadows."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
            and name not in st.env):
        return False
    ref = st.src.lookup(name)  # (None from a file read statically: nothing shadows it there)
    return ref is None or (isinstance(ref, Unknown) and ref.what in (
        f"type {name}", f"builtin {name}", f"builtin_function_or_method {name}")) or (
        isinstance(ref, FunctionRef) and ref.ns == "builtins")
