"""The public API: `grad`, `value_and_grad`, `verify`.

Each transformation runs once per (function, wrt) and is cached; calling the
returned object calls the generated function directly (the object's class has
the generated function as its `__call__`), so a call costs only the generated
code.
"""

from __future__ import annotations

import weakref

from .driver import Derivation, derive
from .parse import parse_function

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Derivative:
    """A differentiated function. Call it like the original function.

    Attributes:
        fun: the original function (also `__wrapped__`).
        source: the generated module's source text.
        lowered: the original function as a Wengert list (`print` it).
        derivative_ir: the generated function's IR.
        wrt: the names of the differentiated parameters.
        function: the generated function itself.
    """

    def __init__(self, fun, derivation: Derivation, kind: str):
        self.fun = self.__wrapped__ = fun
        self.derivation = derivation
        self.kind = kind
        self.__name__ = derivation.derivative.name
        self.__qualname__ = self.__name__
        self.__doc__ = derivation.derivative.doc

    @property
    def source(self) -> str:
        return self.derivation.source

    @property
    def lowered(self):
        return self.derivation.lowered

    @property
    def derivative_ir(self):
        return self.derivation.derivative

    @property
    def function(self):
        return self.derivation.function

    @property
    def wrt(self) -> tuple[str, ...]:
        return tuple(self.lowered.params[i].var.name for i in self.derivation.wrt)

    def __repr__(self) -> str:
        return (f"<symdiff.{self.kind} of {self.fun.__qualname__} wrt {', '.join(self.wrt)}: "
                f"call it, or print .source / .lowered>")

    def _repr_markdown_(self) -> str:
        return f"`symdiff.{self.kind}` of `{self.fun.__qualname__}`\n\n```python\n{self.source}```\n"


def _derivative(fun, wrt, kind: str) -> Derivative:
    per_fun = _CACHE.setdefault(fun, {}) if _weakrefable(fun) else {}
    key = (kind, tuple(wrt) if isinstance(wrt, list) else wrt)
    if key not in per_fun:
        derivation, _ = derive(parse_function(fun), wrt, with_value=(kind == "value_and_grad"))
        generated = derivation.function
        generated.__defaults__ = fun.__defaults__
        generated.__kwdefaults__ = fun.__kwdefaults__
        # A class per derivative whose __call__ is the generated function: calling
        # the object costs one descriptor lookup more than calling the function.
        cls = type(generated.__name__, (Derivative,), {"__call__": staticmethod(generated)})
        per_fun[key] = cls(fun, derivation, kind)
    return per_fun[key]


def _weakrefable(fun) -> bool:
    try:
        weakref.ref(fun)
    except TypeError:
        return False
    return True


def grad(fun=None, wrt=0):
    """Reverse-mode gradient of a scalar function, as generated Python code.

    Args:
        fun: a Python function returning one scalar. Omit it to use
            `@grad(wrt=...)` as a decorator with arguments.
        wrt: the parameter to differentiate: an index, a name, or a tuple of
            them (then the result is a tuple of gradients in that order).

    Returns:
        A `Derivative`: call it with the function's arguments to get the
        gradient; `.source` is the generated code, `.lowered` the Wengert list.

    Raises:
        SymdiffError: the function cannot be differentiated (the message says
            where and why), `wrt` names no parameter, or the output is not one
            scalar.

    Example:
        >>> import math, symdiff
        >>> @symdiff.grad
        ... def f(x):
        ...     return math.sin(x) * x
        >>> f(0.0)
        0.0
    """
    if fun is None:
        return lambda f: _derivative(f, wrt, "grad")
    return _derivative(fun, wrt, "grad")


def value_and_grad(fun=None, wrt=0):
    """Like `grad`, but the call returns `(value, gradient)`.

    With a tuple `wrt` the call returns `(value, (grad_1, grad_2, ...))`.

    Example:
        >>> import symdiff
        >>> symdiff.value_and_grad(lambda x: x * x)(3.0)
        (9.0, 6.0)
    """
    if fun is None:
        return lambda f: _derivative(f, wrt, "value_and_grad")
    return _derivative(fun, wrt, "value_and_grad")


def verify(fun, wrt=0, points: int = 12, seed: int = 0, rtol: float = 1e-7):
    """Check symdiff's gradient of `fun` against SymPy's closed-form derivative.

    The lowered function is executed on SymPy symbols and differentiated by
    SymPy; the generated gradient must agree with it symbolically where SymPy
    can simplify the difference to 0, and numerically (to `rtol`, relative to
    max(1, |value|)) at `points` random points inside every primitive's domain.

    Args:
        fun: a function, or a `Derivative` returned by `grad`/`value_and_grad`.
        wrt: as for `grad` (ignored when `fun` is a `Derivative`).
        points, seed: how many random points, drawn reproducibly from `seed`.
        rtol: the largest relative error accepted.

    Returns:
        A `VerificationReport` (print it for a summary).

    Raises:
        VerificationError: the generated gradient disagrees with SymPy.
        SymdiffError: `fun` cannot be differentiated.

    Example:
        >>> import math, symdiff
        >>> def f(x):
        ...     return math.exp(x) * x
        >>> symdiff.verify(f).method
        'symbolic'
    """
    from .symbolic import check

    if isinstance(fun, Derivative):
        fun, wrt = fun.fun, fun.derivation.wrt
    indices = tuple(wrt) if isinstance(wrt, (tuple, list)) else (wrt,)
    return check(_derivative(fun, indices, "grad").derivation, points, seed, rtol)
