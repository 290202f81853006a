"""The row type of the table of primitives (table.py): one elementary operation.

A row says how to spell the operation in each library (`ns` -> attribute; 'op'
-> Python operator), how to evaluate it, its SymPy meaning, and its derivatives:
for an elementwise operation one `partials` entry, from which reverse mode (VJP:
`x_bar += g * d out/d x`) and forward mode (JVP: `out_dot = sum(d out/d x_i *
x_dot_i)`) both come, so they cannot drift apart; for an array operation its VJP
and, beside it, what its tangent is (linear, bilinear, or a rule of its own).

Rules are written with a builder `b` (builder.Builder): a partial is a function
`(b, out, *args) -> Atom | number | None` that may reuse `out`, the primal result,
and returns None for a symbolic zero. So a derivative is itself IR.
"""

from __future__ import annotations

import builtins
import importlib
import math
import operator
import sys
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

MODULES = {"math": math, "numpy": np, "builtins": builtins, "operator": operator}
# Libraries imported only where they are used (the base install has none of them): namespace ->
# the module to import, whose top-level package the namespace names (`scipy.special.expit`
# is spelled "special.expit" in "scipy").
LAZY_MODULES = {"scipy": "scipy.special"}


def library_module(ns: str):
    """The module of namespace `ns`, a lazy one imported now (ImportError if not installed)."""
    if ns in MODULES:
        return MODULES[ns]
    importlib.import_module(LAZY_MODULES[ns])
    return sys.modules[ns]

_OPERATORS = {
    ("+", 2): operator.add, ("-", 2): operator.sub, ("*", 2): operator.mul,
    ("/", 2): operator.truediv, ("**", 2): operator.pow, ("//", 2): operator.floordiv,
    ("%", 2): operator.mod, ("-", 1): operator.neg, ("<", 2): operator.lt,
    ("<=", 2): operator.le, (">", 2): operator.gt, (">=", 2): operator.ge,
    ("==", 2): operator.eq, ("!=", 2): operator.ne, ("@", 2): operator.matmul,
    # and / or join conditions only (lowering merges other values with `cond`): as bools
    ("not", 1): operator.not_, ("and", 2): lambda a, b: bool(a) and bool(b),
    ("or", 2): lambda a, b: bool(a) or bool(b),
    ("if", 3): lambda c, a, b: a if c else b,
}


@dataclass(frozen=True)
class Prim:
    """One elementary operation.

    Attributes:
        name: lowercase, SymPy's name where SymPy has one.
        arity: the number of array/scalar arguments.
        spelling: library -> how that library spells it ('op' -> operator symbol).
        sympy: the SymPy meaning, `(*exprs) -> expr`.
        partials: one partial-derivative builder per argument, or None if the
            operation carries no gradient.
        domain: predicate on float arguments: where the operation is defined and
            smooth (used to pick verification points).
        sample: an interval per argument for table-driven tests.
        kind: result type: 'float', 'bool', 'promote' (like the arguments),
            'arithmetic' (like them, and a float where one is), 'integral' (int for
            math/builtins, float for NumPy), or 'any'.
        expand: builds the operation from others where the library in use has no
            spelling for it (e.g. sign without NumPy).
        linear: the operation is linear in its arguments (an array operation's tangent
            is then the operation applied to the tangents).
        bilinear: linear in each argument, the others held (`A @ B`; multilinear
            for np.einsum of any number of operands): its tangent is one term per
            active argument.
        commutative: swapping the two arguments gives the same result.
        arities: the argument counts accepted, where more than one is.
        vjp: for operations that are not elementwise, one builder per argument,
            `(b, g, out, *args) -> Atom | None`: that argument's cotangent given
            the output's cotangent `g` (shapes through `b.shape(atom)`).
        jvp: for operations that are not elementwise and neither linear nor
            bilinear, the tangent rule `(b, eqn, tangents, **params) -> Atom | None`
            (a tangent per argument, None for those that do not depend on the inputs).
        shape: for operations that are not elementwise, the result's shape,
            `(*arg_shapes, **params) -> tuple`; None means elementwise
            (NumPy broadcasting of the arguments' shapes).
        params: static keyword parameters and their defaults (axis, keepdims).
        evaluate: how to evaluate it, where no library function is its spelling
            (indexing).
        positional: the emitted call passes `params` positionally
            (`np.reshape(x, (3, 4))`), not as keywords.
        lowering: for operations lowered into others (np.var, np.clip), how:
            `(b, *args, **params) -> Atom` with the lowering's builder `b`.
        broadcast_cotangent: the VJP also accepts a cotangent that merely
            broadcasts to the output's shape (a reduction's does).
        view: NumPy may return a view of the first argument, not a new array.
        sequence: the arrays come as one list (`np.concatenate([a, b])`); then
            `vjp` is a function of their count giving one rule per array.
        variadic: any number of arrays come as arguments of their own
            (`np.einsum('ij,jk,k->i', a, b, c)`); `vjp` is then, as for `sequence`,
            a function of their count.
        params_first: the first static parameter comes before the arrays,
            positionally (`np.einsum('ij,jk->ik', a, b)`, `np.full((3, 4), x)`); the
            others are keywords (`optimize=True`).
        adjoint_text: for an array operation, its adjoint in words for each argument,
            as the lecture notes write it (explain shows it): `{g}` is the output's
            adjoint, `{0}`, `{1}` the arguments ("{g} · {1}ᵀ" for `A @ B`'s A).
        example: the arguments' shapes and the static parameters of a call the table's
            tests make (tests/test_every_row.py), `((shape, ...), ((key, value), ...))`,
            where an operation needs arrays; a shape may be `(kind, shape)`, a kind of
            tests/test_every_row.py's MATRICES: "bool", "spd" (symmetric positive definite),
            "square" (invertible, well-conditioned).
        never_raises: it cannot raise on numbers (a condition built from such
            operations needs no guard where it is short-circuited).
        reduction: it reduces along axes (`axis`, `keepdims`).
        comparison: an order or equality comparison (<, <=, >, >=, ==, !=).
        integral_operands: its operands are seldom floats (`%`, `//`, `==`, `!=`): a
            parameter used as one is taken to hold an int (analysis.integer_params).
        integer_only: it takes integers only and carries no gradient (math.factorial): a
            differentiated value given to it is refused (driver.py), as Python refuses
            a float there.
        structured: a loop, a call, a pick of their outputs, or a range: the IR's own
            (ir.evaluate_eqn, analysis.result_shape, symbolic execution run them), not
            evaluated, shaped or given a SymPy meaning by the row.
        fixed: the arguments it is not differentiated in, `((index, what it is), ...)`
            (polygamma's order n, gammainc's a, what np.float32 rounds): a value depending
            on a differentiated parameter there is refused (driver.py), never given a
            zero gradient; their partials are None.
        array_params: the `params` of a row with a `lowering` that take arrays when given
            by keyword (scipy.special.logsumexp's b=): they reach the lowering as atoms.
        output: `(i, n)`: the row is value i of the n that its library function returns
            as a tuple (np.linalg.slogdet's sign and log|det|, 0 and 1 of 2). Each value
            is a row of its own, with its own rules; the rows of one call on the same
            arguments and parameters are one computation, emitted as one tuple
            assignment (`sign, logdet = np.linalg.slogdet(a)`, backend/emit.py).
    """

    name: str
    arity: int
    spelling: Mapping[str, str]
    sympy: Callable
    partials: tuple[Callable | None, ...] | None = None
    domain: Callable[..., bool] | None = None
    sample: tuple[tuple[float, float], ...] = ()
    kind: str = "float"
    expand: Callable | None = None
    linear: bool = False
    bilinear: bool = False
    commutative: bool = False
    arities: tuple[int, ...] = field(default=())
    vjp: tuple[Callable | None, ...] | None = None
    jvp: Callable | None = None
    shape: Callable | None = None
    params: tuple[tuple[str, object], ...] = ()
    evaluate: Callable | None = None
    positional: bool = False
    lowering: Callable | None = None
    broadcast_cotangent: bool = False
    view: bool = False
    sequence: bool = False
    variadic: bool = False
    params_first: bool = False
    adjoint_text: tuple[str, ...] = ()
    example: tuple = ()
    never_raises: bool = False
    reduction: bool = False
    comparison: bool = False
    integral_operands: bool = False
    integer_only: bool = False
    structured: bool = False
    fixed: tuple[tuple[int, str], ...] = ()
    array_params: tuple[str, ...] = ()
    output: tuple[int, int] = ()

    @property
    def infix(self) -> str | None:
        return self.spelling.get("op")

    @property
    def operator_name(self) -> str | None:
        """The operator module's name for this operation (`operator.truediv` for `/`), if any."""
        if "op" not in self.spelling or (self.spelling["op"], self.arity) not in _OPERATORS:
            return None
        name = _OPERATORS[(self.spelling["op"], self.arity)].__name__
        return name if name.isidentifier() and hasattr(operator, name) else None

    @property
    def differentiable(self) -> bool:
        return self.partials is not None or self.vjp is not None

    @property
    def elementwise(self) -> bool:
        return self.shape is None and not self.structured

    def result_shape(self, shapes, params=()) -> tuple:
        """The result's shape given the arguments' shapes (structured rows: see
        analysis.result_shape)."""
        if self.structured:
            raise TypeError(f"{self.name} is structured: its shape is analysis.result_shape's")
        if self.shape is None:
            return tuple(np.broadcast_shapes(*shapes))
        return self.shape(*shapes, **dict(params))

    def impl(self, ns: str) -> Callable:
        """The Python callable that evaluates this primitive as spelled in `ns` (structured
        rows: see ir.evaluate_eqn)."""
        if self.structured:
            raise TypeError(f"{self.name} is structured: ir.evaluate_eqn evaluates it")
        if self.evaluate is not None:
            return self.evaluate
        if ns == "op":
            return _OPERATORS[(self.spelling["op"], self.arity)]
        function = resolve_attribute(library_module(ns), self.spelling[ns])
        if self.output:  # one of the values the function returns
            index = self.output[0]
            return lambda *args, **params: function(*args, **params)[index]
        return function


def resolve_attribute(module, dotted: str):
    """`module.a.b` for the dotted name "a.b" (np.linalg.norm)."""
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


# ---------------------------------------------------------------- helpers
