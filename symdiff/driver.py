"""The driver: runs the passes in order and keeps what each produced.

    parse -> lower -> reverse -> simplify -> emit -> compile

`derive(source, wrt, with_value)` returns a `Derivation` holding the IR after
every pass (the CLI's `--show` prints any of them), the generated source and
the compiled function. Passes are pure; the driver holds no state.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, field, replace

from .backend.arguments import entry_check, live_check
from .backend.emit import compile_source, custom_functions, emit_source
from .errors import ArgumentCheck, ShapeError, WrtError, room_for_deep_code
from .analysis import integer_params
from .ir import Func
from .frontend.lower import lower
from .frontend.parse import Source, refuse_star_params
from .frontend.receivers import mark
from .primitives import PRIMS
from .transforms.adjoints import own_gradients, widen_loop_zeros, with_cotangent_shapes
from .transforms.forward import forward
from .transforms.reverse import pullback, reverse
from .transforms.simplify import simplify

STAGES = ("lowered", "reverse", "forward", "simplified", "source")


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

    @property
    def derivative(self) -> Func:
        return self.stages["simplified"]


def resolve_wrt(func: Func | Source, wrt) -> tuple[tuple[int, ...], bool]:
    """`wrt` as parameter indices, and whether the caller asked for a tuple.

    `func` is the lowered function, or its parsed source: so a bad `wrt` is reported
    before lowering, which may fail on the body.

    Raises:
        WrtError: an entry names no parameter, is of the wrong type (bool, float),
            repeats, or `wrt` is empty.
        UnsupportedSyntaxError: the source has a *args or **kwargs parameter.
    """
    if isinstance(func, Source):
        refuse_star_params(func.node.args, func.loc)  # (then there is no list to check against)
        names, loc, name = [a.arg for a in func.params], func.loc(), func.name
    else:
        names, loc, name = [p.var.name for p in func.params], func.loc, func.name
    many = isinstance(wrt, (tuple, list))
    entries = list(wrt) if many else [wrt]
    listing = ", ".join(names) or "none"
    indices = []
    for entry in entries:
        if isinstance(entry, str) and entry in names:
            indices.append(names.index(entry))
        elif isinstance(entry, int) and not isinstance(entry, bool) and -len(names) <= entry < len(names):
            indices.append(entry % len(names))
        else:
            raise WrtError(loc, f"wrt={entry!r} names no parameter of {name} "
                           f"(parameters: {listing}); pass a parameter name or index")
    if len(set(indices)) != len(indices):
        raise WrtError(loc, f"wrt={wrt!r} names a parameter twice; name each once")
    if not indices:
        raise WrtError(loc, "wrt=() asks for no gradient; name at least one parameter")
    return tuple(indices), many


def is_array_code(func: Func, prims=None) -> bool:
    """Whether `func` uses an operation that is not elementwise (then shapes are needed).

    A `cond` (the merge of an if), the structured equations (a loop counts by its body,
    a call by its callee) and an attribute of a method's object are not elementwise but
    work on numbers too.
    """
    prims = prims or PRIMS
    for eqn in func.body:
        if eqn.prim == "loop" and is_array_code(dict(eqn.params)["body"], prims):
            return True
        if eqn.prim == "call" and is_array_code(dict(eqn.params)["callee"].func, prims):
            return True
        row = prims[eqn.prim]
        if not row.elementwise and not row.structured and eqn.prim not in ("cond", "attr"):
            return True
    return False


def _live(source: Source, func: Func):
    """`source.live`, with cells for the functions with custom derivative rules the code
    calls (a partial given as a lambda is no name of the user's module)."""
    if source.live is None:
        return None
    globals_, cells = source.live
    extra = {n: types.CellType(f) for n, f in custom_functions(func).items() if globals_.get(n) is not f}
    return (globals_, {**cells, **extra}) if extra else source.live


def _compiled(source: Source, indices: tuple, stages: dict, prims, checked=None) -> Derivation:
    """The derivation whose IR after each pass is `stages`: its simplified function
    emitted and compiled, beginning with the entry check `checked` if given
    (`_entry_check`: None for code specialized to shapes)."""
    simplified = stages["simplified"]
    check, located = checked or (None, None)
    text = emit_source(simplified, prims, check)
    function = mark(compile_source(text, simplified.name, _live(source, simplified), located), source.receiver)
    return Derivation(stages["lowered"], indices, stages, text, function)


def _entry_check(source: Source, lowered: Func, derivative: Func, indices, mode: str):
    """(the entry check, what it calls) for `derivative`, code generated once for every
    call (backend/arguments.py); `mode` is 'grad' (its function returns one number) or 'jvp'
    (a tangent per parameter in `indices` follows the parameters)."""
    ints = integer_params(lowered) - {lowered.params[i].var.name for i in indices}
    names = [p.var.name for p in derivative.params]
    objects = {source.receiver.name} if source.receiver is not None else set()  # (a method's self)
    check = entry_check(derivative, mode == "grad", ints & set(names), objects)
    return check, argument_check(source, names, indices if mode == "jvp" else ())


def argument_check(source: Source, names, tangents=()) -> ArgumentCheck:
    """The located check of arguments for generated code whose parameters are `names`:
    the parameters of `source`, then a tangent for each parameter index in `tangents`.
    An argument refused is reported at its parameter (a tangent at its parameter)."""
    params = source.params
    spots = [source.loc(a) for a in params] + [source.loc(params[i]) for i in tangents]
    # (vjp's cotangents, which follow, are reported at the function)
    return live_check(dict(zip(names[:len(spots)], spots, strict=True)), source.loc())


def _deep(derive_function):
    """`derive_function` with room to recurse through deeply nested source (errors.py)."""
    @functools.wraps(derive_function)
    def deep(source: Source, *args, **kwargs):
        with room_for_deep_code(source.loc()):
            return derive_function(source, *args, **kwargs)
    return deep


def _prepared(source: Source, wrt, prims, shapes, lowered):
    """(prims, the lowered function, wrt as indices, whether wrt was a tuple) for a derivation."""
    prims = prims or PRIMS
    indices, many = resolve_wrt(source, wrt)  # (before lowering, which may fail on the body)
    lowered = lower(source, shapes) if shapes is not None or lowered is None else lowered
    if shapes is None and is_array_code(lowered, prims):
        raise ShapeError(lowered.loc, f"{lowered.name} uses array operations, so its derivative "
                         "depends on the arguments' shapes; give them (the CLI's --shape x=3x4)")
    return prims, lowered, indices, many


def _floats(derivative: Func, lowered: Func, indices, ints) -> set:
    """The parameters of `derivative` that hold floats, so that `1.0 * w` may become `w`.

    Differentiated parameters, tangents and cotangents are floats. Of the others,
    `ints` names those that hold integers or booleans when the arguments are known
    (array code is generated for them). When they are not (`ints` None, scalar code
    generated once for every call), a parameter is taken to be a float unless the
    function treats it as an integer (`integer_params`), so that the gradient of
    `x * y` is `y`, while that of `-x * n` with `n % 2` is `-(1.0 * n)`, a float
    even when n is an int.
    """
    if ints is None:
        ints = integer_params(lowered) - {lowered.params[i].var.name for i in indices}
    return {p.var.name for p in derivative.params} - set(ints)


@_deep
def derive_forward(source: Source, wrt=0, prims=None, shapes=None,
                   lowered: Func | None = None, ints=None) -> tuple[Derivation, bool]:
    """Differentiate `source` in forward mode (see transforms/forward.py); as `derive` otherwise.

    The stages are 'lowered', 'forward' (the tangent function) and 'simplified'."""
    prims, lowered, indices, many = _prepared(source, wrt, prims, shapes, lowered)
    tangent = forward(lowered, indices, prims, shapes)
    simplified = simplify(tangent, prims, _floats(tangent, lowered, indices, ints))
    if shapes is not None:  # (a tangent has its parameter's shape)
        dots = zip(tangent.params[len(lowered.params):], indices)
        simplified = widen_loop_zeros(simplified, {**shapes, **{
            p.var.name: shapes[lowered.params[i].var.name] for p, i in dots}}, prims)
    stages = {"lowered": lowered, "forward": tangent, "simplified": simplified}
    checked = _entry_check(source, lowered, simplified, indices, "jvp") if shapes is None else None
    return _compiled(source, indices, stages, prims, checked), many


@_deep
def derive_vjp(source: Source, wrt=0, prims=None, shapes=None,
               lowered: Func | None = None, ints=None) -> tuple[Derivation, bool]:
    """Differentiate `source` in reverse mode with a cotangent per result (see
    reverse.pullback): the generated function takes the arguments, then the
    cotangents, and returns the value and the parameters' cotangents."""
    prims, lowered, indices, many = _prepared(source, wrt, prims, shapes, lowered)
    backward = pullback(lowered, indices, prims, shapes, with_value=True)
    simplified = simplify(backward, prims, _floats(backward, lowered, indices, ints))
    if shapes is not None:
        cotangents = with_cotangent_shapes(lowered, backward, shapes, prims)
        simplified = own_gradients(widen_loop_zeros(simplified, cotangents, prims), indices, prims, cotangents)
    value, grads = simplified.results[0], simplified.results[1:]
    simplified = replace(simplified, results=(value, grads if many else grads[0]))
    stages = {"lowered": lowered, "reverse": backward, "simplified": simplified}
    checked = _entry_check(source, lowered, simplified, indices, "vjp") if shapes is None else None
    return _compiled(source, indices, stages, prims, checked), many


@_deep
def derive(source: Source, wrt=0, with_value: bool = False, prims=None, shapes=None,
           lowered: Func | None = None, ints=None) -> tuple[Derivation, bool]:
    """Differentiate `source` in reverse mode; returns the derivation and tuple-ness of wrt.

    Args:
        shapes: the parameters' shapes by name, to specialize array code; None
            for shape-agnostic (scalar and elementwise) code.
        lowered: `lower(source)`, if the caller has it already (only without shapes:
            with shapes, lowering makes `x.shape` constants).
        ints: the parameters known to hold ints or booleans (the others floats);
            None when the arguments are not known (see `_floats`).
    """
    prims, lowered, indices, many = _prepared(source, wrt, prims, shapes, lowered)
    backward = reverse(lowered, indices, with_value, prims, shapes)
    simplified = simplify(backward, prims, _floats(backward, lowered, indices, ints))
    if shapes is not None:
        simplified = own_gradients(widen_loop_zeros(simplified, shapes, prims), indices, prims, shapes)
    if many:  # a tuple wrt gives a tuple of gradients: (x_bar,) or (value, (x_bar, y_bar))
        grads = tuple(simplified.results[1:] if with_value else simplified.results)
        simplified = replace(simplified, results=(simplified.results[0], grads) if with_value else (grads,))
    stages = {"lowered": lowered, "reverse": backward, "simplified": simplified}
    checked = _entry_check(source, lowered, simplified, indices, "grad") if shapes is None else None
    return _compiled(source, indices, stages, prims, checked), many
