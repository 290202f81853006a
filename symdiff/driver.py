"""The driver: runs the passes in order and keeps what each produced.

    parse -> lower -> reverse (or forward) -> simplify -> emit -> compile

`derive(source, wrt, mode)` returns a `Derivation` holding the IR after every
pass (the CLI's `--show` prints any of them), the generated source and the
compiled function, for one of the `MODES`: 'grad', 'value_and_grad', 'jvp' or
'vjp'. `resolve_wrt` turns what the user wrote (an index, a name, a tuple) into a
`Wrt` once; everything after takes that. Passes are pure; the driver holds no state.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import types
from dataclasses import dataclass, field, replace

from .backend.arguments import entry_check, live_check, takes_arrays
from .backend import arrayapi, xpmodule
from .backend.emit import compile_source, custom_functions, emit_source
from .backend.packing import packed, spans
from .errors import ArgumentCheck, NonScalarOutputError, ShapeError, UnsupportedSyntaxError, room_for_deep_code
from .analysis import infer_shapes, integer_only_misuse, integer_params, is_array_code, truncating_update
from .ir import Func
from .frontend.lower import lower, lower_with_result
from .frontend.parse import Source
from .frontend.wrt import resolve_wrt
from .frontend.receivers import mark
from .primitives import PRIMS
from .transforms.accumulate import accumulated_scatters
from .transforms.batching import batched
from .transforms.adjoints import own_gradients, widen_loop_zeros, with_cotangent_shapes
from .transforms.forward import forward, narrow_tangents, widen_tangents
from .transforms.reverse import pullback, reverse
from .transforms.simplify import simplify

STAGES = ("lowered", "reverse", "forward", "simplified", "source")
MODES = ("grad", "value_and_grad", "jvp", "vjp")


@dataclass(frozen=True)
class Derivation:
    """Everything one transformation produced.

    Attributes:
        lowered: the function as a Wengert list.
        wrt: indices of the differentiated parameters.
        stages: IR after each pass, by name ('lowered', 'reverse', 'simplified').
        source: the generated module's text.
        function: the compiled generated function.
    """

    lowered: Func
    wrt: tuple[int, ...]
    stages: dict = field(repr=False)
    source: str
    function: object = field(repr=False)
    result: object = None  # the trees.Tree of a result that is a container (the container path)

    @property
    def derivative(self) -> Func:
        return self.stages["simplified"]


def _live(source: Source, func: Func):
    """`source.live`, with cells for the functions with custom derivative rules the code
    calls (a partial given as a lambda is no name of the user's module)."""
    if source.live is None:
        return None
    globals_, cells = source.live
    extra = {n: types.CellType(f) for n, f in custom_functions(func).items() if globals_.get(n) is not f}
    return (globals_, {**cells, **extra}) if extra else source.live


def _compiled(source: Source, indices: tuple, stages: dict, prims, checked=None, signature=None,
              finish=None) -> Derivation:
    """The derivation whose IR after each pass is `stages`: its simplified function
    emitted and compiled, beginning with the entry check `checked` if given
    (`_entry_check`: None for code specialized to shapes), taking containers where
    `signature` says (backend/packing.py)."""
    simplified = stages["simplified"]
    check, located = checked or (None, None)
    text = emit_source(simplified, prims, check, signature, finish)
    function = mark(compile_source(text, simplified.name, _live(source, simplified), located), source.receiver)
    return Derivation(stages["lowered"], indices, stages, text, function)


def _entry_check(source: Source, derivative: Func, indices, mode: str, ints: set):
    """(the entry check, what it calls) for `derivative`, code generated once for every
    call (backend/arguments.py); `mode` is 'grad' (its function returns one number) or 'jvp'
    (a tangent per parameter in `indices` follows the parameters); `ints` the parameters
    held as integers (`_ints`)."""
    names = [p.var.name for p in derivative.params]
    objects = {source.receiver.name} if source.receiver is not None else set()  # (a method's self)
    check = entry_check(derivative, mode == "grad", ints & set(names), objects)
    return check, argument_check(source, names, indices if mode == "jvp" else ())


def narrow_on_arrays(derivation: Derivation) -> bool:
    """Whether tangent code generated for every call would, on arrays, return a tangent
    smaller than its result (`x + y` along x, x a number, y an array): then it must be
    generated per shapes, like array code. Code that takes numbers only is never."""
    func = derivation.derivative
    return takes_arrays(func) and narrow_tangents(func, derivation.wrt)


def argument_check(source: Source, names, tangents=()) -> ArgumentCheck:
    """The located check of arguments for generated code whose parameters are `names`:
    the parameters of `source`, then a tangent for each parameter index in `tangents`.
    An argument refused is reported at its parameter (a tangent at its parameter)."""
    params = source.params
    spots = [source.loc(a) for a in params] + [source.loc(params[i]) for i in tangents]
    # (vjp's cotangents, which follow, are reported at the function)
    return live_check(dict(zip(names[:len(spots)], spots, strict=True)), source.loc())


@contextlib.contextmanager
def _without_cyclic_gc():
    """Pause Python's cyclic garbage collector. A derivation allocates many small,
    acyclic IR objects that live until it ends; the collector's full passes over
    them made generation time grow faster than the program (bench_scale.py). Their
    memory is still freed by reference counting; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _deep(derive_function):
    """`derive_function` with room to recurse through deeply nested source (errors.py),
    and without the cyclic garbage collector's passes while it runs."""
    @functools.wraps(derive_function)
    def deep(source: Source, *args, **kwargs):
        with room_for_deep_code(source.loc()), _without_cyclic_gc():
            return derive_function(source, *args, **kwargs)
    return deep


def _prepared(source: Source, wrt, prims, shapes, lowered, trees=None):
    """(prims, the lowered function, the resolved `Wrt`) for a derivation; given `trees`
    (the container path), the lowered function is (it, the tree of its result)."""
    prims = prims or PRIMS
    wrt = resolve_wrt(source, wrt)  # (before lowering, which may fail on the body)
    result = None
    if trees is not None:
        lowered, result = lower_with_result(source, shapes, trees)
    elif shapes is not None or lowered is None:
        lowered = lower(source, shapes)
    if shapes is None and is_array_code(lowered, prims):
        raise ShapeError(lowered.loc, f"{lowered.name} uses array operations, so its derivative "
                         "depends on the arguments' shapes; give them (the CLI's --shape x=3x4)")
    if trees is not None:  # (checked for the leaves: _of_containers)
        return prims, (lowered, result), wrt
    _refuse_misuse(lowered, wrt.indices, prims)
    return prims, lowered, wrt


def _refuse_misuse(lowered: Func, indices, prims) -> None:
    """Refuse an integer-only function applied to a value differentiated (`indices`), and
    a function whose order or shape parameter (`Prim.fixed`) depends on one."""
    misuse = integer_only_misuse(lowered, indices, prims)
    if misuse is not None and prims[misuse.prim].fixed:
        row = prims[misuse.prim]
        what = " or ".join(what for _, what in row.fixed)
        raise UnsupportedSyntaxError(misuse.loc, f"{misuse.ns}.{row.spelling.get(misuse.ns, row.name)} is not "
                                     f"differentiated in {what}, which here depends on a differentiated "
                                     "parameter; differentiate with respect to other parameters, or "
                                     "give it a constant")
    if misuse is not None:
        raise UnsupportedSyntaxError(misuse.loc, f"{misuse.ns}.{misuse.prim} is applied to a value "
                                     "that depends on a differentiated parameter; it takes integers "
                                     "and has no derivative: differentiate with respect to other "
                                     "parameters, or give it an integer (a loop counter)")


def _ints(lowered: Func, indices, ints) -> set:
    """The parameters that hold integers or booleans: `ints` where the arguments are known
    (array code is generated for them). Where they are not (`ints` None, scalar code
    generated once for every call), a parameter is taken to be a float unless the
    function treats it as an integer (`integer_params`), so that the gradient of `x * y`
    is `y`, while that of `-x * n` with `n % 2` is `-(1.0 * n)`, a float even when n is
    an int. Differentiated parameters, tangents and cotangents are floats."""
    if ints is None:
        ints = integer_params(lowered) - {lowered.params[i].var.name for i in indices}
    return set(ints)


@_deep
def derive(source: Source, wrt=0, mode: str = "grad", prims=None, shapes=None,
           lowered: Func | None = None, ints=None, trees=None, batch: int | None = None,
           xp: str | None = None) -> tuple[Derivation, bool]:
    """Differentiate `source`; returns the derivation and whether wrt was a tuple.

    Args:
        wrt: the parameters to differentiate (as `resolve_wrt` takes them, or a `Wrt`).
        mode: 'grad' and 'value_and_grad' (reverse mode, transforms/reverse.py), 'jvp'
            (forward mode: the value and a tangent per result, transforms/forward.py)
            or 'vjp' (reverse mode with a cotangent per result: the value and the
            parameters' cotangents, reverse.pullback).
        shapes: the parameters' shapes by name, to specialize array code; None
            for shape-agnostic (scalar and elementwise) code.
        lowered: `lower(source)`, if the caller has it already (only without shapes:
            with shapes, lowering makes `x.shape` constants).
        ints: the parameters known to hold ints or booleans (the others floats);
            None when the arguments are not known (see `_ints`).
        trees: the parameters given as containers: name -> (trees.Tree, the leaves'
            shapes); needs `shapes` (of the others). The derivation's `wrt` are then
            the indices of the leaves differentiated.
        batch: for 'jvp' and 'vjp' of array code, the tangents (cotangents) come as one
            array of `batch` of them along a new leading axis, and so do the derivatives
            returned (transforms/batching.py; NotBatched where it has no rule).
        xp: for array code (needs `shapes`), the short name of the Array API namespace
            the arguments come from ('numpy', 'torch', 'dask', ...): the code is then
            written against the standard (backend/arrayapi.py), not NumPy.
    """
    if mode not in MODES:
        raise ValueError(f"mode={mode!r}: use one of {', '.join(MODES)}")
    prims, lowered, (indices, many) = _prepared(source, wrt, prims, shapes, lowered, trees)
    if trees is not None:
        return _of_containers(source, mode, prims, shapes, lowered, (indices, many), trees, ints)
    ints = _ints(lowered, indices, ints)
    _refuse_truncation(lowered, ints)
    raw = _transformed(mode, lowered, indices, prims, shapes)
    floats = {p.var.name for p in raw.params} - ints  # (so that `1.0 * w` may become `w`)
    simplified = simplify(raw, prims, floats, _surely_floats(lowered, raw, indices), shapes)
    if shapes is not None:
        simplified = _fitted(mode, lowered, raw, simplified, indices, prims, shapes, floats)
    simplified = _grouped(mode, simplified, many)
    if batch is not None:
        simplified = _batched(mode, lowered, raw, simplified, indices, prims, shapes, batch)
    stages = {"lowered": lowered, "forward" if mode == "jvp" else "reverse": raw, "simplified": simplified}
    checked = None if shapes is not None else _entry_check(
        source, simplified, indices, "grad" if mode == "value_and_grad" else mode, ints)
    if xp is not None:  # (the standard's spelling, emitted for any namespace)
        stages["simplified"], prims, finish = _for_namespace(mode, lowered, raw, simplified, indices, prims,
                                                             shapes, ints, xp)
        return _compiled(source, indices, stages, prims, None, None, finish), many
    return _compiled(source, indices, stages, prims, checked), many


def _for_namespace(mode: str, lowered: Func, raw: Func, simplified: Func, indices, prims, shapes, ints, xp):
    """(`simplified` spelled for the Array API namespace `xp`, the rows that spell it, the
    rewrite of its printed module): backend/arrayapi.py, backend/xpmodule.py."""
    own = [p.var.name for p in lowered.params]
    if mode == "jvp":
        shapes = {**shapes, **{p.var.name: shapes[own[i]] for p, i in zip(raw.params[len(own):], indices)}}
    elif mode == "vjp":
        shapes = with_cotangent_shapes(lowered, raw, shapes, prims)
    try:
        known = infer_shapes(simplified, {p.var.name: shapes[p.var.name] for p in simplified.params}, prims)
    except (ShapeError, KeyError):  # (then .T stays .T, np.dot is refused)
        known = dict(shapes)
    respelled, table = arrayapi.respelled(simplified, known, prims, xp)
    names = [p.var.name for p in simplified.params if known.get(p.var.name, ())]
    arrays = sorted(names, key=lambda n: n in ints)  # (float arrays first: the first gives the dtype)
    numpy = dict(simplified.modules).get("numpy", "np")
    return respelled, table, functools.partial(xpmodule.finish, arrays={simplified.name: arrays}, numpy=numpy)


def _surely_floats(lowered: Func, raw: Func, indices) -> set:
    """The derivative's parameters that surely hold floats: the differentiated ones and
    the tangents or cotangents that follow the function's own (see simplify's `sure`)."""
    return {lowered.params[i].var.name for i in indices} | {p.var.name for p in raw.params[len(lowered.params):]}


def _transformed(mode: str, lowered: Func, indices, prims, shapes) -> Func:
    """The derivative function before simplification."""
    if mode == "jvp":
        return forward(lowered, indices, prims, shapes)
    if mode == "vjp":
        return pullback(lowered, indices, prims, shapes, with_value=True)
    return reverse(lowered, indices, mode == "value_and_grad", prims, shapes)


def _fitted(mode: str, lowered: Func, raw: Func, simplified: Func, indices, prims, shapes, floats) -> Func:
    """Array code's derivative with its loops' zeros and its gradients of their parameters'
    shapes (a tangent has its parameter's shape, a gradient is an array of its own), its
    adjoints of reads accumulated in place where they are floats (`floats`: the parameters
    that are)."""
    if mode == "jvp":
        dots = zip(raw.params[len(lowered.params):], indices)
        shapes = {**shapes, **{p.var.name: shapes[lowered.params[i].var.name] for p, i in dots}}
        return widen_tangents(widen_loop_zeros(simplified, shapes, prims), shapes, prims)
    if mode == "vjp":
        shapes = with_cotangent_shapes(lowered, raw, shapes, prims)
    widened = accumulated_scatters(widen_loop_zeros(simplified, shapes, prims), shapes, prims, floats)
    return own_gradients(widened, indices, prims, shapes)


def _batched(mode: str, lowered: Func, raw: Func, simplified: Func, indices, prims, shapes, batch: int) -> Func:
    """jvp or vjp array code taking `batch` tangents (cotangents) at once."""
    if mode not in ("jvp", "vjp") or shapes is None:
        raise ValueError("batch= needs mode 'jvp' or 'vjp' and the shapes")
    own = [p.var.name for p in lowered.params]
    if mode == "jvp":
        shapes = {**shapes, **{p.var.name: shapes[own[i]] for p, i in zip(raw.params[len(own):], indices)}}
    else:
        shapes = with_cotangent_shapes(lowered, raw, shapes, prims)
    names = [p.var.name for p in simplified.params[len(own):]]
    return batched(simplified, names, batch, {n: shapes[n] for n in own + names}, prims)


def _refuse_truncation(lowered: Func, ints: set) -> None:
    """Refuse writing a float into an array of ints or bools: NumPy cuts the value to the
    array's kind, and no derivative flows through that (frontend/updates.py)."""
    eqn = truncating_update(lowered, {p.var.name: "int" if p.var.name in ints else "float" for p in lowered.params})
    if eqn is not None:
        raise UnsupportedSyntaxError(eqn.loc, "this update writes a float into an array of integers (or "
                                     "booleans), which NumPy cuts to an integer, so no derivative flows "
                                     "through it; make the array a float array first (np.arange(3.0), "
                                     "x.astype(float), np.zeros(n))")


def _grouped(mode: str, simplified: Func, many: bool) -> Func:
    """A tuple wrt gives a tuple of gradients: (x_bar,) or (value, (x_bar, y_bar)); vjp
    returns (value, x_bar) or (value, (x_bar, ...)); jvp's results are grouped already."""
    results = simplified.results
    if mode == "vjp":
        return replace(simplified, results=(results[0], results[1:] if many else results[1]))
    if mode == "jvp" or not many:
        return simplified
    if mode == "value_and_grad":
        return replace(simplified, results=(results[0], tuple(results[1:])))
    return replace(simplified, results=(tuple(results),))


def _of_containers(source: Source, mode: str, prims, shapes, lowered: tuple, wrt, trees: dict, ints) -> tuple:
    """`derive` for a function some of whose parameters (or its result) are containers:
    differentiated with respect to the leaves of those in `wrt`, its gradients packed as
    the containers are (backend/packing.py). `lowered`: (the function, its result's tree)."""
    lowered, result = lowered
    if result is not None and mode in ("grad", "value_and_grad"):
        raise NonScalarOutputError(lowered.loc, f"{lowered.name} returns a container (a dict, or a "
                                   "tuple or list inside its result); grad needs one number: use "
                                   "symdiff.jvp or symdiff.vjp, or return a number")
    names = [a.arg for a in source.params]
    indices, many = wrt
    ranges = spans(names, trees)
    leaves = tuple(k for i in indices for k in range(*ranges[i]))
    _refuse_misuse(lowered, leaves, prims)
    shapes = dict(shapes) | {lowered.params[k].var.name: tuple(shape) for name, (a, b) in zip(names, ranges)
                             if name in trees for k, shape in zip(range(a, b), trees[name][1], strict=True)}
    raw = _transformed(mode, lowered, leaves, prims, shapes)
    floats = {p.var.name for p in raw.params} - _ints(lowered, leaves, ints)
    simplified = simplify(raw, prims, floats, _surely_floats(lowered, raw, leaves), shapes)
    simplified = _fitted(mode, lowered, raw, simplified, leaves, prims, shapes, floats)
    simplified, signature = packed(simplified, mode, names, trees, indices, many, result)
    stages = {"lowered": lowered, "forward" if mode == "jvp" else "reverse": raw, "simplified": simplified}
    return replace(_compiled(source, leaves, stages, prims, None, signature), result=result), many
