"""Methods: a function whose first parameter is an object, its attributes constants.

Which functions are methods (`receiver_of`):
  * a bound method (`model.loss`, a classmethod's `Model.make` too) is differentiated
    as the function it runs with the object fixed: `unbound_function` gives that
    function (a copy marked with the object's class, through which `self.helper` is
    found) and the object, which api binds the result to;
  * an unbound method is a function whose `__qualname__` has a class component
    (`Model.loss`; not `f.<locals>.g`) and whose first parameter is named `self`.
    Its class is looked up along the qualname in its module's globals (none for a
    class defined inside a function: then `self.helper(...)` is refused);
  * code symdiff generated for a method carries its `Receiver` (attribute `MARK`),
    so it is read the same way when it is differentiated again; other generated code
    is no method (`symdiff.grad(f, wrt=self)` of a function `f(self, x)` is not).
`wrt` counts the parameters after self (`own_wrt`); naming self is refused.

Lowering binds the receiver's name to an `ObjectValue`, never an atom:
  * `self.w`, `self.layer.w` (a chain of attributes; a final `.T`, `.shape`, `.ndim`
    or `.size` after the first is the array's) become one equation `w = self.w` (the
    `attr` primitive) on the receiver parameter, evaluated where the generated code
    runs, so rebinding `model.w` changes the next call, never folded as a number. It
    carries no gradient. In code specialized to shapes its shape and kind come from
    the object: api passes an `AttributeTable` as `shapes[ATTRIBUTES]`, and the
    attributes read (`AttributeReads`) are part of what a specialization depends on.
    Code for numbers, generated once for every object, takes it to hold a float, as
    it takes a parameter it does not differentiate (`1.0 * w` is `w`).
  * `self.helper(x)` calls the function the object's class defines (a def, or a
    staticmethod; a classmethod on cls), found when symdiff transforms the method,
    and inlines it where it is called, as a closure is: it reads self. For an
    unbound method the class is the one defining it, so a helper a subclass
    defines again is refused: which one runs depends on the object.
  * writing `self.w = ...` (`self.w += ...`, `self.w[i] = ...`) is refused, as is
    the object used as a value (`state.refuse_object`).
  * bound to an object (`bound_source`, for verify and explain): the receiver is no
    parameter and its attributes are the numbers they hold at that moment.
"""

from __future__ import annotations

import ast
import functools
import inspect
import types
import weakref
from dataclasses import dataclass, replace

import numpy as np

from ..primitives.custom import registered
from ..errors import ShapeError, SymdiffError, UnknownFunctionError, WrtError
from ..ir import Const
from .arrays import METHODS
from .parse import Source, UserFunction, parse_function
from .state import Lowering, emit, error
from .values import ObjectValue

MARK = "symdiff_receiver"  # the attribute holding the Receiver of generated code (and of copies)
ATTRIBUTES = "@attributes"  # the key of the AttributeTable in a lowering's shapes (no variable's name)
ARRAY_ATTRIBUTES = frozenset({"T", "shape", "ndim", "size"})


@dataclass(frozen=True, eq=False)
class Receiver:
    """A method's object parameter: its name, the class its methods are looked up in
    (None where unknown), whether that is the object's own class (a bound method's)
    rather than the one defining the method, whether the object is a class (a
    classmethod's cls), and `(object,)` where it is bound (verify, explain), else ()."""

    name: str
    owner: type | None
    exact: bool = False
    of_class: bool = False
    value: tuple = ()


# ---------------------------------------------------------------- which functions are methods

def receiver_of(fn) -> Receiver | None:
    """The receiver of `fn` if it is a method (see the module docstring), else None."""
    mark = getattr(fn, MARK, None)
    if isinstance(mark, Receiver):
        return mark
    if not isinstance(fn, types.FunctionType):
        return None
    code, parts = fn.__code__, fn.__qualname__.split(".")
    if code.co_filename.startswith("<symdiff "):  # generated code: a method where it is marked so
        return None
    if not code.co_argcount or code.co_varnames[0] != "self" or len(parts) < 2 or parts[-2] == "<locals>":
        return None
    return Receiver("self", _class_named(fn, parts[:-1]))


def _class_named(fn, parts: list[str]) -> type | None:
    """The class `Outer.Inner` names in `fn`'s module, if it can be found there."""
    if "<locals>" in parts:
        return None
    value = fn.__globals__.get(parts[0])
    for part in parts[1:]:
        value = inspect.getattr_static(value, part, None)
    return value if isinstance(value, type) else None


_COPIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # function -> {class: marked copy}


def unbound_function(method: types.MethodType) -> tuple:
    """(the function a bound method runs, marked as a method of the object's class, the object).

    The copy shares the function's code, globals and closure; one is kept per class, so
    its derivatives are cached like any function's."""
    function, obj = method.__func__, method.__self__
    code = getattr(function, "__code__", None)
    if isinstance(getattr(function, MARK, None), Receiver) or code is None or not code.co_argcount:
        return function, obj  # (generated code, or no function with a parameter for the object)
    owner = obj if isinstance(obj, type) else type(obj)
    copies = _COPIES.setdefault(function, {})
    if owner not in copies:
        copy = types.FunctionType(code, function.__globals__, function.__name__, function.__defaults__,
                                  function.__closure__)
        copy.__kwdefaults__, copy.__qualname__ = function.__kwdefaults__, function.__qualname__
        copy.__module__, copy.__doc__ = function.__module__, function.__doc__
        setattr(copy, MARK, Receiver(code.co_varnames[0], owner, True, isinstance(obj, type)))
        copies[owner] = copy
    return copies[owner], obj


def bound_alike(transform):
    """`transform(fun, ...)` that also takes a bound method: the result for its function,
    bound to the same object (so it takes the method's own arguments)."""
    @functools.wraps(transform)
    def transformed(fun, *args, **kwargs):
        if isinstance(fun, types.MethodType):
            function, obj = unbound_function(fun)
            return types.MethodType(transform(function, *args, **kwargs), obj)
        return transform(fun, *args, **kwargs)
    return transformed


def split_object(source: Source, args: tuple, obj=None) -> tuple:
    """(the object, the arguments after it) for verify or explain of a method at a point:
    the bound method's object, or else the first argument."""
    if obj is not None:
        return obj, args
    if not args:
        raise SymdiffError(source.loc(), f"{source.name} is a method: give the object as the first "
                           "argument (or use the bound method, obj.method), whose attributes "
                           "are constants to the derivative")
    return args[0], tuple(args[1:])


def method_source(fn) -> Source:
    """`parse.parse_function(fn)`, with its receiver where `fn` is a method."""
    source = parse_function(fn)
    receiver = receiver_of(fn)
    return source if receiver is None else replace(source, receiver=receiver)


def bound_source(source: Source, obj) -> Source:
    """A method's source with its receiver bound to `obj` (see the module docstring)."""
    return replace(source, receiver=replace(source.receiver, value=(obj,)))


def mark(generated, receiver: Receiver | None):
    """`generated` (code symdiff made), marked as a method where it takes the receiver."""
    if receiver is not None and not receiver.value:
        setattr(generated, MARK, receiver)
    return generated


def own_wrt(fn, wrt):
    """`wrt` of a method as parameter names, an index counting from the parameter after
    self; `wrt` itself for other functions.

    Raises:
        WrtError: `wrt` names self, or an index past the parameters.
    """
    receiver = receiver_of(fn)
    if receiver is None:
        return wrt
    lowered = getattr(fn, "lowered", None)
    own = _param_names(fn)[1:]
    listing = ", ".join(own) or "none"

    def where():  # (the def's position, read only for an error)
        return lowered.loc if lowered is not None else parse_function(fn).loc()

    def entry(item):
        if isinstance(item, str) and item == receiver.name:
            raise WrtError(where(), f"wrt={item!r} is the object the method is called on: its attributes "
                           f"are constants to the derivative; name a parameter after {item} ({listing})")
        if not isinstance(item, int) or isinstance(item, bool):
            return item
        if -len(own) <= item < len(own):
            return own[item]
        raise WrtError(where(), f"wrt={item!r} names no parameter of {fn.__name__} (its parameters after "
                       f"{receiver.name}: {listing}); an index counts from the one after {receiver.name}")

    return tuple(map(entry, wrt)) if isinstance(wrt, (tuple, list)) else entry(wrt)


def _param_names(fn) -> list[str]:
    """`fn`'s parameters in order (its lowered form's, for code generated per shapes, which
    takes *args)."""
    if hasattr(fn, "specialized"):
        return [p.var.name for p in fn.lowered.params]
    code = fn.__code__
    return list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])


# ---------------------------------------------------------------- lowering

def receiver_params(st: Lowering, params: tuple) -> tuple:
    """The lowered function's parameters, its receiver bound to an ObjectValue: kept as the
    first parameter, or dropped where the receiver is bound to an object."""
    receiver = st.src.receiver
    if receiver is None or not params or params[0].var.name != receiver.name:
        return params
    st.env[receiver.name] = ObjectValue(None if receiver.value else params[0].var, receiver)
    return params[1:] if receiver.value else params


def _chain(st: Lowering, node: ast.expr):
    """(the ObjectValue, the attribute names, the root name) of `self.a.b`, or None."""
    path = []
    while isinstance(node, ast.Attribute):
        path.append(node.attr)
        node = node.value
    value = st.env.get(node.id) if isinstance(node, ast.Name) else None
    return (value, tuple(reversed(path)), node) if isinstance(value, ObjectValue) and path else None


def attribute(st: Lowering, node: ast.Attribute, name: str | None):
    """The atom `self.w` (`self.layer.w`) is lowered to, or None if `node` reads no attribute
    of the object (or an array attribute of one: `self.w.T`)."""
    found = _chain(st, node)
    if found is None or len(found[1]) > 1 and found[1][-1] in ARRAY_ATTRIBUTES:
        return None
    value, path, _ = found
    spelled = ".".join((value.receiver.name, *path))
    if value.var is None:  # bound (verify, explain): the number it holds now
        number = _read(st, node, value.receiver.value[0], path, spelled)
        if not _is_number(number):
            raise error(st, node, f"{spelled} is of type {type(number).__name__}; explain (and verify "
                        "of code for numbers) reads self's attributes as numbers: make the "
                        "value a parameter to explain it")
        return Const(number)
    params = (("path", path),)
    if st.code.shapes is not None:  # array code: its shape and kind, from the object
        table = st.code.shapes.get(ATTRIBUTES)
        if table is None:
            raise error(st, node, f"{spelled} is read in array code, which symdiff specializes to "
                        "the shapes of the object's attributes; call the derivative with the "
                        "object (the CLI cannot read objects)", ShapeError)
        params += table.entry(st, node, path, spelled)
    return emit(st, node, "attr", (value.var,), "op", name=name or path[-1], params=params)


def _read(st: Lowering, node, obj, path: tuple, spelled: str):
    try:
        return functools.reduce(getattr, path, obj)
    except Exception as exc:  # (an attribute missing, or a property that raised: the user's object)
        raise error(st, node, f"reading {spelled} from the object raised {type(exc).__name__}: "
                    f"{exc}; give the object that attribute before differentiating",
                    UnknownFunctionError) from None


def _is_number(value) -> bool:
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


class AttributeTable:
    """The object's attributes as array code lowered for it reads them: shape and kind."""

    def __init__(self, obj, reads: AttributeReads):
        self.obj, self.reads = obj, reads

    def entry(self, st: Lowering, node, path: tuple, spelled: str) -> tuple:
        """The `attr` equation's parameters shape and kind ('float', or 'any' for ints and bools)."""
        value = _read(st, node, self.obj, path, spelled)
        if not (_is_number(value) or isinstance(value, np.ndarray) and value.dtype.kind in "biuf"):
            raise error(st, node, f"{spelled} is a {type(value).__name__}, not a number or a NumPy "
                        "array of numbers; read its attributes, or store an array", ShapeError)
        self.reads.paths.add(path)
        floating = isinstance(value, (float, np.floating)) or getattr(value, "dtype", None) is not None \
            and value.dtype.kind == "f"
        return (("shape", tuple(np.shape(value))), ("kind", "float" if floating else "any"))


class AttributeReads:
    """The attributes of self that the code api specialized for a method has read, learnt
    as it is lowered: their signatures join the arguments' in what a specialization
    depends on, so a rebound `model.W` of another shape gets code of its own."""

    def __init__(self, receiver: Receiver | None, signature):
        self.receiver, self.signature, self.paths = receiver, signature, set()

    def key(self, args) -> tuple:
        if self.receiver is None:
            return ()
        return tuple((path, self._signature(args[0], path)) for path in sorted(self.paths))

    def _signature(self, obj, path: tuple):
        try:
            return self.signature(functools.reduce(getattr, path, obj))
        except Exception:  # (missing now: lowering for this object reports it, located)
            return "missing"

    def shapes(self, args) -> dict:
        """What to add to the shapes that array code for `args` is lowered with."""
        if self.receiver is None:
            return {}
        return {self.receiver.name: (), ATTRIBUTES: AttributeTable(args[0], self)}


def method_call(st: Lowering, node: ast.Call):
    """(the call with the object as first argument where the method takes it, the method to
    inline) for `self.helper(x)`; None if `node` calls no attribute of the object, or an
    array method of one of its attributes (`self.w.sum()`)."""
    found = _chain(st, node.func) if isinstance(node.func, ast.Attribute) else None
    if found is None or len(found[1]) > 1 and found[1][-1] in METHODS:
        return None
    value, path, root = found
    spelled = ".".join((value.receiver.name, *path))
    if len(path) > 1:
        raise error(st, node, f"{spelled}(...) calls a method of {spelled.rpartition('.')[0]}; symdiff "
                    "follows the methods of self itself and NumPy's array methods: call a "
                    "method of self, or a function", UnknownFunctionError)
    function, takes_object = _method(st, node, value.receiver, path[0], spelled)
    code = function.__code__
    target = UserFunction(spelled, (code.co_filename, code.co_firstlineno, code.co_name),
                          lambda: parse_function(function))
    args = [root, *node.args] if takes_object else list(node.args)
    return ast.copy_location(ast.Call(node.func, args, node.keywords), node), target


def _method(st: Lowering, node, receiver: Receiver, name: str, spelled: str) -> tuple:
    """(the function `receiver.name(...)` runs, whether it takes the object first)."""
    owner = receiver.owner
    if owner is None:
        raise error(st, node, f"{spelled}(...) calls a method, but the class of this method is not "
                    "known (it is defined inside a function); differentiate the bound method "
                    "(obj.method), or define the class at module level", UnknownFunctionError)
    found = inspect.getattr_static(owner, name, None)
    if isinstance(found, staticmethod):
        function, takes_object = found.__func__, False
    elif isinstance(found, classmethod) and receiver.of_class or \
            isinstance(found, types.FunctionType) and not receiver.of_class:
        function, takes_object = getattr(found, "__func__", found), True
    else:
        what = "not an attribute" if found is None else f"a {type(found).__name__}"
        raise error(st, node, f"{spelled} is {what} of class {owner.__name__}, not a method symdiff "
                    "can call here; call a method defined with def in the class (or a "
                    "staticmethod), or a function", UnknownFunctionError)
    overriding = [c.__name__ for c in _subclasses(owner) if name in vars(c)] if not receiver.exact else []
    if overriding:  # (which one runs depends on the object's class, known for a bound method only)
        raise error(st, node, f"{spelled} is defined again in {', '.join(overriding)}, a subclass "
                    f"of {owner.__name__}, so which one runs depends on the object; "
                    "differentiate the bound method (obj.method)", UnknownFunctionError)
    if not isinstance(function, types.FunctionType) or registered(function) is not None:
        raise error(st, node, f"{spelled} is not a Python function symdiff can read (or it has a "
                    "custom derivative rule); call it as a function of the module",
                    UnknownFunctionError)
    return function, takes_object


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in type.__subclasses__(cls):
        found += [sub, *_subclasses(sub)]
    return found


def refuse_change(st: Lowering, target: ast.expr):
    """Refuse `self.w = ...` (and `self.w[i] = ...`): the function would change its object."""
    node = target
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    root = st.env.get(node.id) if isinstance(node, ast.Name) else None
    if node is not target and isinstance(root, ObjectValue):
        raise error(st, target, f"assigning to {ast.unparse(target)} changes the object {node.id}; a "
                    "function symdiff differentiates must not change its object: compute the "
                    "value into a local name (and return it)")

