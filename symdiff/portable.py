"""Derivatives written against the Array API standard: what `grad(f, xp="auto")` returns.

The function returned takes the arguments of `f` (then tangents or cotangents, for
jvp and vjp) as arrays of any one namespace array_api_compat knows (NumPy, CuPy,
torch, Dask) or array-api-strict. At its first call for a namespace and the
arguments' shapes and kinds (float, integer), it generates code for them
(driver.derive with `xp`, backend/arrayapi.py) and caches it; the code begins with
`xp = array_namespace(...)` and spells every operation `xp.<name>`, so it runs on
the arrays' own library: lazily on Dask, on the GPU with CuPy or torch. `.source`
is the code generated last. Called with no array at all, it is the ordinary
derivative (`fallback`). A function with a custom derivative rule
(symdiff.custom_derivative) is called as written, so it must take those arrays itself
(written against the Array API too); one written for numbers (applied entry by entry,
np.vectorize) is refused where it is called.

array_api_compat is imported at the first call, not with symdiff.
"""

from __future__ import annotations

import importlib
import inspect
import weakref

from .driver import derive, resolve_wrt
from .errors import NeedsContainers, UnsupportedSyntaxError
from .frontend.lower import lower
from .frontend.receivers import method_source
from .ir import flat_results

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BACKENDS = ("numpy", "cupy", "torch", "dask", "jax")  # (array_api_compat's is_<name>_namespace)


def derivative(fun, wrt, kind: str, xp, fallback):
    """The `kind` derivative of `fun` ('grad', 'value_and_grad', 'jvp', 'vjp') written
    against the Array API; `fallback()` gives the ordinary one (for calls with no array).

    Raises:
        ValueError: `xp` is not "auto".
        SymdiffError: `fun` cannot be differentiated (at its first call: where and why).
    """
    if xp != "auto":
        raise ValueError(f"xp={xp!r}: use xp='auto' (the namespace of the arguments) or None (NumPy code)")
    per_fun = _CACHE.setdefault(fun, {})
    key = (kind, tuple(wrt) if isinstance(wrt, list) else wrt)
    if key not in per_fun:
        per_fun[key] = _specializing(fun, wrt, kind, fallback)
    return per_fun[key]


def _specializing(fun, wrt, kind: str, fallback):
    source = method_source(fun)
    if source.receiver is not None:
        raise UnsupportedSyntaxError(source.loc(), f"xp='auto' of the method {fun.__qualname__} is not "
                                     "supported; differentiate a function of the arrays it reads instead")
    resolved = resolve_wrt(source, wrt)
    try:
        lowered = lower(source)
    except NeedsContainers as exc:
        raise UnsupportedSyntaxError(exc.loc, f"{exc.detail.partition(';')[0]}: xp='auto' takes arrays and "
                                     "numbers, not containers; differentiate a function of the leaves") from None
    names = [p.var.name for p in lowered.params]
    tangents = {"jvp": len(resolved.indices), "vjp": len(flat_results(lowered.results))}.get(kind, 0)
    signature = inspect.signature(fun)
    generated, seen = {}, {}

    def specialized(*args, **kwargs):
        if kwargs or len(args) != len(names) + tangents:
            head, tail = (args[:len(args) - tangents], args[len(args) - tangents:]) if tangents else (args, ())
            bound = signature.bind(*head, **kwargs)
            bound.apply_defaults()
            args = bound.args + tuple(tail)
        # (a call like one before: one lookup of the arguments' types, shapes and dtypes)
        probe = tuple((type(a), getattr(a, "shape", None), getattr(a, "dtype", None)) for a in args)
        code = seen.get(probe)
        if code is None:
            code = seen[probe] = code_for(args)
        return code(*args)

    def code_for(args):
        """The code for arguments like `args`, generated now if their namespace, shapes and
        kinds are new; the ordinary derivative where none is an array."""
        try:
            compat = importlib.import_module("array_api_compat")
        except ImportError:
            raise ImportError("xp='auto' needs array-api-compat: pip install 'symdiff[xp]'") from None
        arrays = [a for a in args if compat.is_array_api_obj(a) and not isinstance(a, (bool, int, float))]
        if not arrays:
            return fallback()
        namespace = compat.array_namespace(*arrays)
        key = (_backend(compat, namespace), *(_signature(namespace, a, specialized.__name__) for a in args))
        code = generated.get(key)
        if code is None:
            shapes = {n: s for n, (s, _) in zip(names, key[1:])}
            ints = {n for n, (_, k) in zip(names, key[1:]) if k != "float"}
            derivation, _ = derive(source, resolved, kind, shapes=shapes, ints=ints, xp=key[0])
            code = generated[key] = derivation.function
            specialized.source, specialized.derivation = derivation.source, derivation
        return code

    specialized.__name__ = f"{kind}_{lowered.name}"
    specialized.__qualname__ = f"symdiff.{kind}({fun.__qualname__}, xp='auto')"
    specialized.source = f"# {kind}({lowered.name}, xp='auto') is generated for the arguments' namespace " \
        "and shapes at its first call; call it, then read .source\n"
    specialized.fun, specialized.lowered, specialized.specializations = fun, lowered, generated
    specialized.wrt = tuple(names[i] for i in resolved.indices)
    return specialized


def _backend(compat, namespace) -> str:
    """The short name of `namespace`: 'numpy', 'torch', 'dask', ..., or its module's name."""
    for name in _BACKENDS:
        if getattr(compat, f"is_{name}_namespace")(namespace):
            return name
    return namespace.__name__


def _signature(namespace, value, name: str) -> tuple:
    """(shape, 'float' or 'int'): what the code generated for `value` depends on.

    Raises:
        TypeError: `value` is neither a number nor an array.
    """
    if isinstance(value, (bool, int)):
        return (), "int"
    if isinstance(value, float):
        return (), "float"
    if not hasattr(value, "dtype") or not hasattr(value, "shape"):
        raise TypeError(f"{name}: an argument is a {type(value).__name__}; xp='auto' takes numbers and "
                        "arrays of one namespace (NumPy, CuPy, torch, Dask, array-api-strict)")
    integral = namespace.isdtype(value.dtype, ("integral", "bool"))
    return tuple(int(n) for n in value.shape), "int" if integral else "float"
