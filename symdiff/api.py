"""The public API: `grad`, `value_and_grad`, `jvp`, `vjp`, `jacobian`, `hessian`, `verify`.

Each transformation runs once per (function, wrt) and is cached. What `grad`
returns is the generated function itself, annotated with `.source`, `.lowered`,
`.fun` (the original), `.wrt` and `.derivation`; its repr names what it is:
`<function symdiff.grad(f, wrt=x) at 0x...>`. So a call costs only the generated
code.
"""

from __future__ import annotations

import inspect
import types
import weakref

import numpy as np

from .backend.arguments import all_taken, check_array_arguments, refuse_tuples
from .backend.jit import compiled_derivative
from .display import code_html
from .signatures import integral, per_signature, refuse_masks, signature_of
from .driver import Derivation, argument_check, derive, is_array_code, narrow_on_arrays, resolve_wrt
from . import portable, pytrees
from .errors import NeedsContainers, ShapeError, SymdiffError, UnsupportedSyntaxError
from .explanations.explanation import explain as derive_explanation
from .frontend.lower import lower
from .transforms.batching import NotBatched
from .frontend.receivers import (AttributeReads, bound_alike, bound_source, mark, method_source, own_wrt,
                                 receiver_of, split_object, unbound_function)
from .ir import flat_results
from .jacobians import assemble, choose_mode, column_reader, row_reader, second_derivatives
from .verification.arrays import check_arrays
from .verification.budget import MAX_NODES, SECONDS, Budget
from .verification.scalars import check

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@bound_alike  # (a bound method: its function's derivative, bound to the object)
def _derivative(fun, wrt, kind: str):
    wrt = own_wrt(fun, wrt)  # (a method's: the parameters after self, by name)
    per_fun = _CACHE.setdefault(fun, {}) if _weakrefable(fun) else {}
    key = (kind, tuple(wrt) if isinstance(wrt, list) else wrt)
    if getattr(fun, "containers", False):  # (its code takes containers, and returns one)
        raise UnsupportedSyntaxError(method_source(fun.fun).loc(), f"symdiff.{kind} of {fun.__qualname__}, "
                                     "a derivative of a function taking containers, is not supported; "
                                     "differentiate a function of the leaves (W, b) instead")
    if key not in per_fun and hasattr(fun, "specialized"):  # a derivative of array code, again
        per_fun[key] = _of_specializing(fun, wrt, kind)
    if key not in per_fun:
        source = method_source(fun)
        resolved = resolve_wrt(source, wrt)  # once, and first: even if the body would fail
        try:
            lowered = lower(source)
        except NeedsContainers as exc:  # params["W"]: code generated for the arguments' structure
            if source.receiver is not None:
                raise _without_containers(exc, "a method taking containers is not supported; make it a "
                                          "function of the containers and the object's attributes") from None
            per_fun[key] = pytrees.specializing(fun, source, resolved, kind)
            return mark(per_fun[key], receiver_of(fun))
        # (a VJP sums a cotangent over the axes an argument was broadcast along: even
        # elementwise code needs the shapes then)
        if is_array_code(lowered) or kind in ("vjp", "jvp_batch", "vjp_batch"):
            per_fun[key] = _specializing(fun, source, lowered, resolved, kind)
        else:
            derivation, _ = derive(source, resolved, kind, lowered=lowered)
            per_fun[key] = _annotate(derivation.function, fun, derivation, kind)
            # (a tangent narrower than its result, `x + y` along x: on arrays, the shapes
            # give it the result's)
            if kind == "jvp" and narrow_on_arrays(derivation):
                per_fun[key] = _specializing(fun, source, lowered, resolved, kind)
    return mark(per_fun[key], receiver_of(fun))  # (differentiated again, it is read as a method too)


def _of(fun, wrt, kind: str, xp, compile=None):
    """`_derivative`; for `xp="auto"` the code written against the Array API (portable.py);
    for `compile="numba"` the code compiled by Numba (backend/jit.py)."""
    if xp is not None and compile is not None:
        raise ValueError(f"xp={xp!r} with compile={compile!r}: Numba compiles NumPy code; choose one")
    if xp is not None:
        return portable.derivative(fun, wrt, kind, xp, lambda: _derivative(fun, wrt, kind))
    return compiled_derivative(_derivative(fun, wrt, kind), fun, compile)


def _of_specializing(fun, wrt, kind: str):
    """The `kind` derivative of what `_specializing` returned: at each call, that of the
    code it generates for the arguments' shapes (which has source)."""
    count = fun.arity

    def nested(*args, **kwargs):
        return _derivative(fun.specialized(*args[:count], **kwargs), wrt, kind)(*args, **kwargs)

    def specialized(*args, **kwargs):
        inner = _derivative(fun.specialized(*args[:count], **kwargs), wrt, kind)
        return inner.specialized(*args, **kwargs) if hasattr(inner, "specialized") else inner

    nested.__name__ = f"{kind}_{fun.__name__}"
    nested.__qualname__ = f"symdiff.{kind}({fun.__qualname__})"
    nested.specialized, nested.fun, nested.lowered = specialized, fun, fun.lowered
    nested.wrt = tuple(fun.lowered.params[i].var.name for i in resolve_wrt(fun.lowered, wrt)[0])
    nested.arity = count + (len(nested.wrt) if kind == "jvp" else 0)
    return nested


def _specializing(fun, source, lowered, wrt, kind: str):
    """For array code: a function that generates code per argument shapes, on first use.

    The generated code depends on the shapes (where a broadcast operand's
    gradient is summed, which axes a reduction restores), so each new
    combination of shapes is differentiated once and cached.
    """
    names = [p.var.name for p in lowered.params]
    indices = wrt.indices
    # jvp's code takes a tangent per wrt after the arguments, vjp's a cotangent per result
    tangents = {"jvp": len(indices), "vjp": len(flat_results(lowered.results))}.get(kind.removesuffix("_batch"), 0)
    mode = kind.removesuffix("_batch")  # (batched: the tangents' leading axis is the batch)
    signature = inspect.signature(fun)
    simple = all(p.kind == "positional" for p in lowered.params) and not tangents
    positional = [p.var.name for p in lowered.params if p.kind != "kwonly"]
    receiver = source.receiver.name if source.receiver is not None else None  # (a method's self: an object)
    check = argument_check(source, names)
    specialized = {}
    fast = simple and receiver is None  # (positional arguments only, no object's attributes)
    reads = AttributeReads(source.receiver, signature_of)  # (a method's: its object's attributes too)
    # (arguments that are containers other than a flat tuple of numbers: code for their structure)
    of_containers = pytrees.specializing(fun, source, wrt, kind, lambda d: _generated(specializing, d)) \
        if receiver is None else None

    def containers_given(args, kwargs) -> bool:
        return of_containers is not None and not all_taken(args, kwargs) and pytrees.any_tree(args[:len(names)], kwargs)

    direct, key_of = (of_containers.direct if of_containers is not None else {}), pytrees.specialization_key

    def specializing(*args, **kwargs):
        if not all_taken(args, kwargs):  # (numbers and arrays only: one type test per argument)
            # (a gradient's code for containers seen before: one lookup, as pytrees.py would)
            generated = direct.get(tuple(map(key_of, args))) if direct and not kwargs else None
            if generated is not None:
                return generated(*args)
            if containers_given(args, kwargs):
                return of_containers(*args, **kwargs)
        elif fast and not kwargs and len(args) == len(names):
            # (the common call, code generated before for these shapes: what specialized_for
            # does for it, in 1 us less, a tenth of a small array's gradient)
            generated = specialized.get(tuple(map(signature_of, args)))
            if generated is not None:
                return generated(*args)
        generated, args, kwargs = specialized_for(args, kwargs)
        return generated(*args, **kwargs)

    def given_as_named(args, kwargs) -> dict:
        """The function's own arguments (not the tangents that follow, nor a method's
        object), by parameter."""
        given = dict(zip(positional, args[:len(positional)], strict=True)) | kwargs
        return {n: v for n, v in given.items() if n != receiver}

    def specialized_for(args, kwargs):
        """The code generated for the shapes of `args` (generating it now if new), and
        the arguments as it takes them."""
        if kwargs or not simple or len(args) != len(names):
            if tangents and len(args) < tangents:
                raise TypeError(f"{specializing.__name__} takes the arguments of {lowered.name}, "
                                f"then {tangents} tangent(s)")
            head, tail = (args[:-tangents], args[-tangents:]) if tangents else (args, ())
            bound = signature.bind(*head, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args + tuple(tail), bound.kwargs
        if not all_taken(args, kwargs):  # (what every call costs: a type test per argument)
            check_array_arguments(check, specializing.__name__, given_as_named(args, kwargs))
        key = tuple(map(signature_of, args)) + tuple((k, signature_of(v)) for k, v in kwargs.items())
        generated = specialized.get(key + reads.key(args))
        if generated is None:
            refuse_masks(lowered, args)
            shapes = dict(zip(names, (np.shape(a) for a in args))) | {k: np.shape(v) for k, v in kwargs.items()}
            shapes |= reads.shapes(args)
            ints = {name for name, a in zip(names, args) if integral(a)} | \
                {k for k, v in kwargs.items() if integral(v)}
            batch = np.shape(args[len(names)])[0] if mode != kind else None
            derivation, _ = derive(source, wrt, mode, shapes=shapes, ints=ints, batch=batch)
            refuse_tuples(check, specializing.__name__, derivation.lowered, given_as_named(args, kwargs))
            generated = specialized[key + reads.key(args)] = derivation.function
            _generated(specializing, derivation)
        return generated, args, kwargs

    specializing.__name__ = f"{kind}_{lowered.name}"
    specializing.specializations = specialized
    specializing.specialized = lambda *args, **kwargs: of_containers.specialized(*args, **kwargs) \
        if containers_given(args, kwargs) else specialized_for(args, kwargs)[0]
    specializing.arity = len(names) + tangents  # (the arguments its generated code takes)
    specializing.source = (f"# {kind}({lowered.name}) is generated for the arguments' shapes "
                           "at its first call; call it, then read .source\n")
    _describe(specializing, fun, lowered, indices, kind)
    return specializing


def _generated(specializing, derivation: Derivation) -> None:
    """Show the code generated last (for arrays or for containers) as `.source`."""
    specializing.source, specializing.derivation = derivation.source, derivation
    specializing.lowered = derivation.lowered


def _annotate(generated, fun, derivation: Derivation, kind: str):
    """The generated function itself, carrying what produced it.

    Returning the generated function (rather than a wrapper object) means a call
    costs exactly the generated code, and the result can be differentiated again
    like any function with source.
    """
    generated.__defaults__ = fun.__defaults__
    generated.__kwdefaults__ = fun.__kwdefaults__
    generated.source = derivation.source
    generated.derivation = derivation
    return _describe(generated, fun, derivation.lowered, derivation.wrt, kind)


def _describe(generated, fun, lowered, indices, kind: str):
    wrt = tuple(lowered.params[i].var.name for i in indices)
    generated.__qualname__ = f"symdiff.{kind}({fun.__qualname__}, wrt={', '.join(wrt)})"
    generated.fun = fun  # not __wrapped__: inspect.getsource must show the generated code
    generated.lowered = lowered
    generated.wrt = wrt
    title = f"symdiff.{kind} of {fun.__qualname__} with respect to {', '.join(wrt)}"
    generated._repr_markdown_ = lambda: (
        f"`symdiff.{kind}` of `{fun.__qualname__}` with respect to `{', '.join(wrt)}`\n\n"
        f"```python\n{generated.source}```\n")
    generated._repr_html_ = lambda: code_html(title, generated.source)
    return generated


def _weakrefable(fun) -> bool:
    try:
        weakref.ref(fun)
    except TypeError:
        return False
    return True


def grad(fun=None, wrt=0, xp=None, compile: str | None = None):
    """Reverse-mode gradient of a scalar function, as generated Python code.

    Args:
        fun: a Python function returning one scalar. Omit it to use
            `@grad(wrt=...)` as a decorator with arguments.
        wrt: the parameter to differentiate: an index, a name, or a tuple of
            them (then the result is a tuple of gradients in that order).
        xp: None for NumPy code; "auto" for code written against the Array API
            standard (`xp = array_namespace(x)`, `xp.sum`, ...), generated at the first
            call per namespace and shapes, which runs on the arguments' own library:
            NumPy, CuPy, torch, Dask (lazily), array-api-strict. Needs
            `pip install 'symdiff[xp]'`. value_and_grad, jvp and vjp take it too.
        compile: None (plain Python), or 'numba': the same code, made ready for
            Numba's nopython mode and compiled with `numba.njit` at the first call
            for each argument type (the `numba` extra; backend/jit.py). The same
            keyword works on value_and_grad, jvp and vjp; not with xp.

    Returns:
        The generated gradient function: call it with the function's arguments.
        `.source` is the generated code, `.lowered` the Wengert list, `.fun`
        the original function.

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
        return lambda f: _of(f, wrt, "grad", xp, compile)
    return _of(fun, wrt, "grad", xp, compile)


def value_and_grad(fun=None, wrt=0, xp=None, compile: str | None = None):
    """Like `grad`, but the call returns `(value, gradient)`.

    With a tuple `wrt` the call returns `(value, (grad_1, grad_2, ...))`; `xp="auto"`
    writes it against the Array API, as for `grad`.

    Example:
        >>> import symdiff
        >>> symdiff.value_and_grad(lambda x: x * x)(3.0)
        (9.0, 6.0)
    """
    if fun is None:
        return lambda f: _of(f, wrt, "value_and_grad", xp, compile)
    return _of(fun, wrt, "value_and_grad", xp, compile)


def jvp(fun=None, wrt=0, xp=None, compile: str | None = None):
    """Forward-mode derivative: the value and the directional derivative, as generated code.

    Args:
        fun: a Python function (its results may be several, and arrays). Omit it to
            use `@jvp(wrt=...)` as a decorator with arguments.
        wrt: the parameter(s) the direction moves: an index, a name, or a tuple.
        xp: "auto" for code written against the Array API (see `grad`).

    Returns:
        The generated function: call it with the function's arguments followed by a
        tangent (a direction) for each parameter in `wrt`, of that parameter's
        shape. It returns `(value, tangent)`: the function's value and its
        directional derivative, `J @ x_dot` (tuples of them when the function
        returns several values). `.source` is the generated code.

    For `f(x, y) = x * math.sin(y)` (defined in a file), `jvp(f, wrt=("x", "y"))(2.0, 0.0,
    1.0, 0.5)` is `(0.0, 1.0)`: f(2, 0), and d/dt f(2 + t, 0.5 t) at t = 0.
    """
    if fun is None:
        return lambda f: _of(f, wrt, "jvp", xp, compile)
    return _of(fun, wrt, "jvp", xp, compile)


def vjp(fun=None, wrt=0, xp=None, compile: str | None = None):
    """Reverse mode with an explicit cotangent: for functions with several or array results.

    Returns:
        The generated function: call it with the function's arguments followed by a
        cotangent `y_bar` for each result, of that result's shape. It returns
        `(value, x_bar)`: the function's value and `J.T @ y_bar` for the parameter
        in `wrt` (a tuple of them for a tuple `wrt`). `xp="auto"`: code written
        against the Array API (see `grad`).

    For `polar(r, t) = (r cos t, r sin t)`, `vjp(polar, wrt=("r", "t"))(2.0, 0.0, 1.0, 0.0)`
    is `((2.0, 0.0), (1.0, 0.0))`: the value, then the cotangents of r and t.
    """
    if fun is None:
        return lambda f: _of(f, wrt, "vjp", xp, compile)
    return _of(fun, wrt, "vjp", xp, compile)


@bound_alike
def jacobian(fun, wrt=0, mode: str | None = None):
    """The Jacobian of `fun`, as a function of its arguments.

    Each block has shape `result.shape + param.shape` (JAX's convention; a float
    when both are scalars); a tuple `wrt` gives a tuple of blocks, and several
    results a tuple of those. It is computed by generated code, in forward mode
    (tangents along every entry of the parameters) or reverse mode (cotangents of
    every entry of the results), whichever needs fewer (`mode` forces one:
    'forward' or 'reverse'): by one call of the jvp or vjp code batched along them
    (transforms/batching.py), which computes the function's own values once, or
    where that code has no batching rule (a loop, a helper), one call per entry.
    See jacobians.py.

    For `polar(r, t) = (r cos t, r sin t)`, `jacobian(polar, wrt=("r", "t"))(2.0, 0.0)` is
    `((1.0, 0.0), (0.0, 2.0))`: one row per result, one entry per parameter.
    """
    if mode not in (None, "forward", "reverse"):
        raise ValueError(f"mode={mode!r}: use 'forward', 'reverse' or None (chosen by the sizes)")
    many = isinstance(wrt, (tuple, list))
    tangent, cotangent = jvp(fun, wrt), vjp(fun, wrt)
    _refuse_containers(fun, "jacobian", tangent)
    names = [p.var.name for p in tangent.lowered.params]
    indices = [names.index(w) for w in tangent.wrt]
    def reader(args):
        value = fun(*args)
        chosen = mode or choose_mode([np.size(args[i]) for i in indices],
                                     [np.size(o) for o in (value if isinstance(value, tuple) else (value,))])
        try:
            if chosen == "forward":
                return column_reader(_derivative(fun, wrt, "jvp_batch"), args, indices, many,
                                     isinstance(value, tuple))
            return row_reader(_derivative(fun, wrt, "vjp_batch"), args, indices, value, many)
        except NotBatched:
            return lambda *a: assemble(tangent, cotangent, a, indices, fun(*a), chosen, many)

    jacobian_of = per_signature(reader, lambda args: _refuse_containers(fun, "jacobian", tangent, args))

    jacobian_of.__qualname__ = f"symdiff.jacobian({fun.__qualname__}, wrt={', '.join(tangent.wrt)})"
    return jacobian_of


@bound_alike
def hessian(fun, wrt=0, compile: str | None = None):
    """The Hessian of a scalar `fun`, as a function of its arguments: forward mode over
    the generated gradient code (forward over reverse), by one call of its tangent code
    batched along the unit vectors of the parameters, so that the gradient's own values
    are computed once (transforms/batching.py); where that code has no batching rule, one
    `jvp` of `grad(fun)` per column.

    A block has shape `param.shape + param.shape`; a tuple `wrt` gives the blocks
    ((H_xx, H_xy), (H_yx, H_yy)). Gradient code with a loop keeps a tape, which is not
    differentiated again: such a function gets forward over forward mode instead, one
    call of `jvp(jvp(fun))` per pair of entries (jacobians.second_derivatives).
    `compile="numba"` compiles the tangent code with Numba (as `jvp` does), one call per
    column (or per pair), unbatched: loops are what Numba speeds up, not array code
    already batched.
    """
    many = isinstance(wrt, (tuple, list))
    gradient = grad(fun, wrt)
    _refuse_containers(fun, "hessian", gradient)
    names = [p.var.name for p in gradient.lowered.params]
    indices = [names.index(w) for w in gradient.wrt]
    along = tuple(gradient.wrt) if many else gradient.wrt[0]

    def reader(args):
        # array code: the gradient code generated for these shapes (it has source)
        generated = gradient.specialized(*args) if hasattr(gradient, "specialized") else gradient
        like = tuple(args[i] for i in indices) if many else args[indices[0]]  # (the gradient's shapes)
        try:
            if compile is None:
                try:
                    return column_reader(_derivative(generated, along, "jvp_batch"), args, indices, many, many)
                except NotBatched:
                    pass
            tangent = jvp(generated, along, compile=compile)
            columns = lambda *a: assemble(tangent, None, a, indices, like, "forward", many)  # noqa: E731
            if compile is not None:
                columns(*args)  # (array code is generated at a first call: a refusal falls back below)
            return columns
        except SymdiffError:  # a loop's tape in the gradient code: forward over forward mode
            twice = jvp(jvp(fun, wrt), wrt, compile=compile)
            return lambda *a: second_derivatives(twice, a, indices, many)

    hessian_of = per_signature(reader, lambda args: _refuse_containers(fun, "hessian", gradient, args))

    hessian_of.__qualname__ = f"symdiff.hessian({fun.__qualname__}, wrt={', '.join(gradient.wrt)})"
    return hessian_of


def _without_containers(exc: NeedsContainers, refusal: str) -> UnsupportedSyntaxError:
    """The error for code reading containers where they are not taken: where (`exc`), and why."""
    return UnsupportedSyntaxError(exc.loc, f"{exc.detail.partition(';')[0]}: {refusal}")


def _refuse_containers(fun, what: str, derivative, args=()):
    """Refuse a Jacobian or Hessian where a parameter is a container: its blocks would be
    containers of containers. `derivative` is the jvp or grad it is built from."""
    if getattr(derivative, "containers", False) or pytrees.any_tree(args, {}):
        raise ShapeError(method_source(fun).loc(),
                         f"symdiff.{what} of {fun.__qualname__} with a container argument or result (a "
                         "dict, a list, a tuple of arrays) is not supported; flatten it first (one array of "
                         "its leaves: np.concatenate([W.ravel(), b])), or use symdiff.jvp or "
                         "symdiff.vjp, which take containers")


def explain(fun, *args, wrt=0, mode: str = "reverse", max_nodes: int = MAX_NODES,
            progress: bool | None = None, **kwargs):
    """The derivation of `fun`'s gradient written out, as a lecture does it.

    Args:
        fun: a function symdiff can differentiate, returning one scalar.
        *args, **kwargs: the point (all of the function's arguments), or nothing
            for the symbolic derivation of a function without branches, loops
            on values or arrays.
        wrt: the parameters to differentiate, as for `grad`.
        mode: 'reverse' (adjoints summed over children) or 'forward'
            (tangent recurrences, one pass per wrt parameter).
        max_nodes: the largest closed form given to SymPy; past it, the passes
            are checked against central differences of f to 30 digits.
        progress: show what it is doing on stderr after a second (None: where
            stderr is a terminal).

    Returns:
        An `Explanation`: `str()` (or `.text()`) for the terminal, `.markdown()`
        (LaTeX by SymPy's printer; Jupyter shows it), `.dot()` (Graphviz). It
        holds the steps, partials, adjoints or tangents and their values, SymPy's
        closed form and whether the two agree (`.agrees`).

    Example:
        >>> import math, symdiff
        >>> def f(x):
        ...     return math.sin(x) * x
        >>> print(symdiff.explain(f, 0.5).text().splitlines()[2:5])
        ['Forward pass (the lowered list):', '  a = sin(x)  = 0.479426', '  f = a * x   = 0.239713']
    """
    obj = None
    if isinstance(fun, types.MethodType):  # a bound method: its function, with the object fixed
        fun, obj = unbound_function(fun)
    source = method_source(fun)
    receiver = source.receiver
    if receiver is not None:  # a method: the numbers its object's attributes hold now are constants
        obj, args = split_object(source, args, obj)
        source, wrt = bound_source(source, obj), own_wrt(fun, wrt)
    resolve_wrt(source, wrt)  # (before explaining, which may fail on the body)
    point = None
    if args or kwargs:
        bound = inspect.signature(fun).bind(*(() if receiver is None else (obj,)), *args, **kwargs)
        bound.apply_defaults()
        point = {n: v for n, v in bound.arguments.items() if receiver is None or n != receiver.name}
    return derive_explanation(source, wrt, point, mode, max_nodes=max_nodes, progress=progress)


def verify(fun, wrt=0, points: int = 12, seed: int = 0, rtol: float = 1e-7, args=None, shapes=None,
           max_nodes: int = MAX_NODES, seconds: float | None = SECONDS, progress: bool | None = None):
    """Check symdiff's gradient of `fun` against SymPy's closed-form derivative.

    The lowered function is executed on SymPy symbols and differentiated by
    SymPy; the generated gradient must agree with it symbolically where SymPy
    can simplify the difference to 0, and numerically (to `rtol`, relative to
    max(1, |value|)) at `points` random points inside every primitive's domain.
    A function that branches gets a closed form per point, that of the path the
    point takes (as does a loop whose trip count the values decide; then 4 points).

    The work is bounded: a closed form with more than `max_nodes` nodes (counted
    as a tree; loops make them grow exponentially with the trip count) is not
    given to SymPy, and the gradient is compared with central differences of
    the function evaluated to 30 digits instead (the report says so). Past
    `seconds` the check stops between two points, and the report says how many
    were compared. On a terminal, progress shows after a second.

    Array functions are checked for given shapes: entry by entry against SymPy
    when the arrays have at most 64 entries in all, against central
    differences of the lowered function otherwise.

    Args:
        fun: a function, or what `grad`/`value_and_grad` returned for one.
        wrt: as for `grad` (ignored when `fun` came from `grad`).
        points, seed: how many random points, drawn reproducibly from `seed`.
        rtol: the largest relative error accepted.
        args: example arguments. The parameters not differentiated keep these
            values (an int trip count, labels); for array functions, their
            shapes are used.
        shapes: for array functions, instead of `args`: parameter name -> shape.
        max_nodes: the largest closed form handed to SymPy.
        seconds: the time budget (None: none).
        progress: show progress on stderr (None: where stderr is a terminal).

    Returns:
        A `VerificationReport` (print it for a summary; `.complete` says whether
        every point was compared, `.notes` why a reference was cheaper).

    Raises:
        VerificationError: the generated gradient disagrees with SymPy.
        BudgetError: the time budget ran out before one point was compared.
        SymdiffError: `fun` cannot be differentiated, or array shapes are missing.

    Example:
        >>> import math, symdiff
        >>> def f(x):
        ...     return math.exp(x) * x
        >>> symdiff.verify(f).method
        'symbolic'
    """
    obj = None
    if isinstance(fun, types.MethodType):  # a bound method: its function, with the object fixed
        fun, obj = unbound_function(fun)
    if hasattr(fun, "fun") and hasattr(fun, "lowered"):
        fun, wrt = fun.fun, fun.wrt
    budget = Budget(max_nodes, seconds)
    indices = own_wrt(fun, tuple(wrt) if isinstance(wrt, (tuple, list)) else (wrt,))  # (names, for a method)
    source = method_source(fun)
    resolve_wrt(source, indices)  # (before lowering, which may fail on the body)
    try:
        lowered = lower(source)
    except NeedsContainers as exc:
        raise _without_containers(exc, "verify does not take containers; check a function of their "
                                  "leaves (W, b), or compare symdiff.grad with central differences") from None
    names = [p.var.name for p in lowered.params]
    receiver = source.receiver
    if receiver is not None:  # a method: its object fixed, the arguments after it drawn or given
        obj, args = split_object(source, args if args is not None else (), obj)
        args, names = args or None, names[1:]
    if not is_array_code(lowered):
        fixed = dict(zip(names, args, strict=True)) if args is not None else None
        derivation = derive(bound_source(source, obj), indices)[0] if receiver is not None else \
            _derivative(fun, indices, "grad").derivation  # (a method: its attributes as numbers)
        return check(derivation, points, seed, rtol, fixed=fixed, budget=budget, progress=progress)
    if args is None and shapes is None:
        raise ShapeError(lowered.loc, f"{lowered.name} uses array operations; give verify "
                         "example arguments (args=...) or their shapes (shapes={'x': (3, 4)})")
    given = dict(zip(names, args, strict=True)) if args is not None else {}
    shapes = {n: np.shape(given[n]) if n in given else tuple((shapes or {}).get(n, ())) for n in names}
    obj_shapes = AttributeReads(receiver, signature_of).shapes((obj,))  # (a method: self and its attributes)
    derivation, _ = derive(source, indices, shapes=shapes | obj_shapes)
    wrt_names = {lowered.params[i].var.name for i in derivation.wrt}
    fixed = {n: v for n, v in given.items() if n not in wrt_names}
    fixed |= {} if receiver is None else {receiver.name: obj}
    return check_arrays(derivation, shapes, min(points, 3), seed, rtol, fixed, budget, progress)
