"""Random NumPy programs, differentiated by symdiff and checked against central
differences (reverse mode) and the dot-product identity (forward mode).

Each program is `def f(A, B, W, v, s)`: a matrix A (m, k) or a vector (k,), an array B
of a shape that broadcasts with A (the same, a row, a column, (1,)), a matrix W (k, n),
a vector v (n,) and a scalar s, with m, k, n drawn from 1-4. Its 1-6 statements bind
new names or rebind old ones (parameters too), each a value whose shape the generator
knows, so it draws only operations that are defined:

- elementwise operations between operands that broadcast (+ - *, division by
  1 + b*b, np.maximum, np.minimum, a * scalar + constant) and of one (tanh, sin, cos,
  exp of a bounded value, log and sqrt of a positive one, x / (1 + x*x), -x);
- matrix products `@`, np.dot, np.matmul and `.dot` (A @ W, W @ v, A.T @ A, v @ v,
  ...), with `.T`, np.transpose and `.transpose()`;
- reductions np.sum, np.mean, np.max and np.min, as functions or methods, along an
  axis or all of them, with or without keepdims, whose results broadcast back against
  other values, and the normalizations along an axis built on them: the shift
  `e - np.max(e, axis=a, keepdims=True)`, centering by the mean, softmax and
  log-softmax;
- one `for i in range(k)` loop (k = 0-3) updating one or two carried values of any
  shape, `h = np.tanh(h @ M + ...)` (M square: a parameter, a local, or W @ W.T and
  the like) or `h = h + np.tanh(...)`, reading the index, rows and columns picked
  by it (`A[i]`, `W[:, i]`) and a helper;
- calls of up to two module-level helpers `h0, h1` of one or two array parameters
  (each of 0-2 statements of the above, a loop included, and a return), some called
  again with arguments of the same shapes;

and the result is a scalar: the last value's sum or mean (maybe weighted by another
value, maybe through tanh) plus the sums of 0-2 other values. An operand may be an
expression itself, two levels deep. The program is built as an `ast.Module` and
printed with `ast.unparse` (tests/support/random_programs.py's `render`), never formatted as
text.

Every value carries a bound on its entries at the inputs the test draws (entries in
[-1.5, 1.5]); a value that could exceed `MAX_BOUND` is squashed with tanh, and exp
sees only a value bounded by 3 or one shifted by its maximum. So the programs are
finite and of moderate size where they are sampled, and differentiable there (the
kinks of max and min lie on ties, which random floats miss), and central differences
with step 1e-6 are accurate to far better than the tolerance (the worst of 1000
random programs was off by 6e-9 relative to its largest entry): the gradient with
respect to every parameter must match them entry by entry to a relative 1e-5 and have
its parameter's shape. jvp must return f's value exactly and, along random directions,
the gradient's dot product with them up to rounding (relative to the sum of the
products' magnitudes).

CI runs `MAX_EXAMPLES`; SYMDIFF_FUZZ_EXAMPLES=N runs N (the scalar fuzzer's switch).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import itertools
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import symdiff
from symdiff.primitives import PRIMS

from .support.random_programs import binop, call, const, name, render

MAX_EXAMPLES = int(os.environ.get("SYMDIFF_FUZZ_EXAMPLES", "40"))
H = 1e-6
GRADIENT_RTOL = 1e-5   # central differences with H = 1e-6 are good to ~1e-8 here
JVP_RTOL = 1e-9        # two exact computations that differ only in rounding
PARAMETERS = ("A", "B", "W", "v", "s")
INPUT_BOUND = 1.5      # every input entry lies in [-INPUT_BOUND, INPUT_BOUND]
MAX_BOUND = 20.0       # a value that could exceed this is squashed with tanh
EXP_BOUND = 3.0        # exp's argument is bounded by this (or is at most 0)
MAX_HELPERS = 2
MAX_LOOP_COUNT = 3
_NUMBERS = itertools.count()

Shape = tuple


@dataclasses.dataclass(frozen=True)
class Term:
    """An expression, the shape of its value, and a bound on |each entry| of it."""
    node: ast.expr
    shape: Shape
    bound: float


@dataclasses.dataclass(frozen=True)
class Helper:
    """A module-level helper already drawn: what it may be called with again.

    Bounds are monotone in the arguments' bounds, so a call with arguments of the
    same shapes and no larger bounds keeps `result_bound`."""
    name: str
    shapes: tuple[Shape, ...]
    bounds: tuple[float, ...]
    result_shape: Shape
    result_bound: float


# ------------------------------------------------------------------ shapes

def broadcast(*shapes: Shape) -> Shape | None:
    """NumPy's broadcast of the shapes, or None where they do not broadcast."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        return None


def fits(shape: Shape, into: Shape) -> bool:
    """Whether a value of `shape` broadcasts into `into` without changing its shape."""
    return broadcast(shape, into) == into


def matmul_shape(left: Shape, right: Shape) -> Shape | None:
    """The shape of `left @ right` for 1-D and 2-D operands, or None where undefined."""
    if not left or not right or left[-1] != right[0]:
        return None
    return left[:-1] + right[1:]


def reduced_shape(shape: Shape, axis: int | None, keepdims: bool) -> Shape:
    return np.sum(np.zeros(shape), axis=axis, keepdims=keepdims).shape


def keyword(label: str, value) -> ast.keyword:
    return ast.keyword(arg=label, value=const(value))


def method(node: ast.expr, attribute: str, *args: ast.expr, keywords=()) -> ast.Call:
    return ast.Call(func=ast.Attribute(value=node, attr=attribute, ctx=ast.Load()), args=list(args),
                    keywords=list(keywords))


def numpy_call(function: str, *args: ast.expr, keywords=()) -> ast.Call:
    node = call("np", function, *args)
    node.keywords = list(keywords)
    return node


# ------------------------------------------------------------------ the strategy

class ArrayProgramWriter:
    """Draws one function's statements, tracking each name's shape and bound.

    `helpers` is the module's list of helpers (shared with the writers of the helpers'
    callers); None inside a helper, which calls no other."""

    def __init__(self, draw, values: dict[str, tuple[Shape, float]], helpers: list | None):
        self.draw = draw
        self.values = dict(values)  # name -> (shape, bound), in the order they were bound
        self.helpers = helpers
        self.definitions: list[ast.FunctionDef] = [] if helpers is not None else None
        self.locals = itertools.count()
        self.loop_count: int | None = None  # the trip count while drawing a loop's body
        self.looped = False
        self.last: str | None = None
        self.assigned: list[str] = []  # the names assigned so far, in order, repeated when rebound

    def choose(self, options):
        return self.draw(st.sampled_from(list(options)))

    def coin(self) -> bool:
        return self.draw(st.booleans())

    def leaf(self, identifier: str) -> Term:
        shape, bound = self.values[identifier]
        return Term(name(identifier), shape, bound)

    def any_name(self, where=lambda shape: True) -> Term | None:
        names = [n for n, (shape, _) in self.values.items() if where(shape)]
        return self.leaf(self.choose(names)) if names else None

    # -- expressions

    def expression(self, depth: int) -> Term:
        kind = self.choose(EXPRESSION_KINDS)
        return squashed(getattr(self, "expr_" + kind)(depth))

    def operand(self, depth: int) -> Term:
        """A name, or (one time in three, while depth lasts) a nested expression."""
        if depth > 0 and self.draw(st.integers(0, 2)) == 0:
            return self.expression(depth - 1)
        return self.any_name()

    def partner(self, term: Term, depth: int) -> Term:
        """An operand whose shape broadcasts with `term`'s (a constant if none does)."""
        if depth > 0 and self.draw(st.integers(0, 2)) == 0:
            nested = self.expression(depth - 1)
            if broadcast(term.shape, nested.shape) is not None:
                return nested
        found = self.any_name(lambda shape: broadcast(term.shape, shape) is not None)
        if found is None:
            value = self.choose((0.5, 1.5, 2.0))
            return Term(const(value), (), value)
        return found

    def expr_unary(self, depth):
        a = self.operand(depth)
        form = self.choose(("tanh", "sin", "cos", "exp", "log", "sqrt", "ratio", "negative"))
        if form in ("tanh", "sin"):
            return Term(numpy_call(form, a.node), a.shape, 1.0)
        if form == "cos":
            return Term(binop(const(0.5), ast.Mult(), numpy_call("cos", a.node)), a.shape, 0.5)
        if form == "exp":
            a = squashed(a, EXP_BOUND)
            return Term(numpy_call("exp", a.node), a.shape, math.exp(a.bound))
        square = binop(a.node, ast.Mult(), a.node)
        if form == "log":
            return Term(numpy_call("log", binop(const(1.0), ast.Add(), square)), a.shape,
                        math.log1p(a.bound ** 2))
        if form == "sqrt":
            return Term(numpy_call("sqrt", binop(square, ast.Add(), const(0.5))), a.shape,
                        math.sqrt(a.bound ** 2 + 0.5))
        if form == "ratio":
            return Term(binop(a.node, ast.Div(), binop(const(1.0), ast.Add(), square)), a.shape, 0.5)
        return Term(ast.UnaryOp(op=ast.USub(), operand=a.node), a.shape, a.bound)

    def expr_elementwise(self, depth):
        a = self.operand(depth)
        b = self.partner(a, depth)
        shape = broadcast(a.shape, b.shape)
        form = self.choose(("+", "-", "*", "divide", "maximum", "minimum"))
        if form in ("+", "-"):
            op = ast.Add() if form == "+" else ast.Sub()
            return Term(binop(a.node, op, b.node), shape, a.bound + b.bound)
        if form == "*":
            return Term(binop(a.node, ast.Mult(), b.node), shape, a.bound * b.bound)
        if form == "divide":
            divisor = binop(const(1.0), ast.Add(), binop(b.node, ast.Mult(), b.node))
            return Term(binop(a.node, ast.Div(), divisor), shape, a.bound)
        return Term(numpy_call(form, a.node, b.node), shape, max(a.bound, b.bound))

    def expr_scaled(self, depth):
        """a * c + d with c a scalar name (s, a reduced value, the loop index) or a number."""
        a = self.operand(depth)
        scale = self.any_name(lambda shape: shape == ())
        if scale is None or self.draw(st.integers(0, 3)) == 0:
            value = self.choose((0.5, 2.0, -1.5))
            scale = Term(const(value), (), abs(value))
        offset, offset_bound = self.choose(((const(0.5), 0.5), (const(1.5), 1.5),
                                            (ast.Attribute(value=name("np"), attr="pi", ctx=ast.Load()),
                                             math.pi)))
        node = binop(binop(a.node, ast.Mult(), scale.node), ast.Add(), offset)
        return Term(node, a.shape, a.bound * scale.bound + offset_bound)

    def transposed(self, term: Term) -> Term:
        spelling = self.choose((".T", "np.transpose", ".transpose()"))
        if spelling == ".T":
            node = ast.Attribute(value=term.node, attr="T", ctx=ast.Load())
        elif spelling == "np.transpose":
            node = numpy_call("transpose", term.node)
        else:
            node = method(term.node, "transpose")
        return Term(node, term.shape[::-1], term.bound)

    def orientations(self, where=lambda shape: True) -> list[tuple[str, bool]]:
        """(name, transposed) for every name of 1 or 2 dimensions, a matrix both ways."""
        found = []
        for identifier, (shape, _) in self.values.items():
            if len(shape) >= 1 and where(shape):
                found.append((identifier, False))
            if len(shape) == 2 and where(shape[::-1]):
                found.append((identifier, True))
        return found

    def oriented(self, identifier: str, transposed: bool) -> Term:
        term = self.leaf(identifier)
        return self.transposed(term) if transposed else term

    def product(self, left: Term, right: Term) -> Term:
        spelling = self.choose(("@", "np.dot", "np.matmul", ".dot"))
        if spelling == "@":
            node = binop(left.node, ast.MatMult(), right.node)
        elif spelling == ".dot":
            node = method(left.node, "dot", right.node)
        else:
            node = numpy_call(spelling[3:], left.node, right.node)
        inner = left.shape[-1]
        return Term(node, matmul_shape(left.shape, right.shape), inner * left.bound * right.bound)

    def expr_product(self, depth):
        """A matrix product with `a` on either side; a.T @ a (or a @ a for a vector)
        is always defined, so there is one."""
        a = self.operand(depth)
        if not a.shape:
            return self.expr_elementwise(depth)
        if len(a.shape) == 2 and self.draw(st.integers(0, 3)) == 0:
            a = self.transposed(a)
        on_right = self.orientations(lambda shape: matmul_shape(a.shape, shape) is not None)
        on_left = self.orientations(lambda shape: matmul_shape(shape, a.shape) is not None)
        side = self.choose(("gram", "right", "left"))
        if side == "right" and on_right:
            return self.product(a, self.oriented(*self.choose(on_right)))
        if side == "left" and on_left:
            return self.product(self.oriented(*self.choose(on_left)), a)
        if len(a.shape) == 1:
            return self.product(a, a)
        return self.product(self.transposed(a), a) if self.coin() else self.product(a, self.transposed(a))

    def axis(self, shape: Shape) -> int:
        return self.choose(list(range(len(shape))) + [-1])

    def expr_reduction(self, depth):
        a = self.operand(depth)
        if not a.shape:
            return self.expr_unary(depth)
        function = self.choose(("sum", "mean", "max", "min"))
        axis = self.axis(a.shape) if self.draw(st.integers(0, 3)) else None
        keepdims = self.coin()
        size = math.prod(a.shape) if axis is None else a.shape[axis]
        bound = a.bound * size if function == "sum" else a.bound
        shape = reduced_shape(a.shape, axis, keepdims)
        options = [keyword("axis", axis)] if axis is not None else []
        if keepdims:
            options.append(keyword("keepdims", True))
        spelling = self.choose(("function", "method", "positional"))
        if spelling == "method":
            return Term(method(a.node, function, keywords=options), shape, bound)
        if spelling == "positional" and axis is not None and not keepdims:
            return Term(numpy_call(function, a.node, const(axis)), shape, bound)
        return Term(numpy_call(function, a.node, keywords=options), shape, bound)

    def expr_normalize(self, depth):
        """A value against its own reduction along an axis, kept as a column or row."""
        a = self.operand(depth)
        if not a.shape:
            return self.expr_reduction(depth)
        axis = self.axis(a.shape)
        options = [keyword("axis", axis), keyword("keepdims", True)]
        form = self.choose(("shift", "center", "softmax", "log_softmax"))
        if form == "center":
            return Term(binop(a.node, ast.Sub(), numpy_call("mean", a.node, keywords=options)), a.shape,
                        2 * a.bound)
        # a - max(a) <= 0: exp of it lies in (0, 1] and the sum of those is >= 1.
        shifted = binop(a.node, ast.Sub(), numpy_call("max", a.node, keywords=options))
        if form == "shift":
            return Term(shifted, a.shape, 2 * a.bound)
        total = numpy_call("sum", numpy_call("exp", shifted), keywords=options)
        if form == "softmax":
            return Term(binop(numpy_call("exp", shifted), ast.Div(), total), a.shape, 1.0)
        return Term(binop(shifted, ast.Sub(), numpy_call("log", total)), a.shape,
                    2 * a.bound + math.log(a.shape[axis]))

    def expr_call(self, depth):
        """A call of a helper: a new one, or one drawn before called again."""
        if self.helpers is None:
            return self.expr_unary(depth)
        again = self.reusable_calls(lambda result_shape: True)
        if again and (len(self.helpers) >= MAX_HELPERS or self.coin()):
            return self.choose(again)
        if len(self.helpers) >= MAX_HELPERS:
            return self.expr_elementwise(depth)
        return self.new_helper(depth)

    def reusable_calls(self, where, passing: str | None = None) -> list[Term]:
        """Calls of the helpers drawn so far with names of their parameters' shapes and no
        larger bounds, whose result's shape satisfies `where`, one per helper at most;
        with `passing`, that name is one of the arguments."""
        calls = []
        for helper in self.helpers:
            if not where(helper.result_shape):
                continue
            candidates = [[n for n, (s, b) in self.values.items() if s == shape and b <= bound]
                          for shape, bound in zip(helper.shapes, helper.bounds, strict=True)]
            if passing is not None:
                positions = [k for k, names in enumerate(candidates) if passing in names]
                if not positions:
                    continue
                candidates[self.choose(positions)] = [passing]
            if all(candidates):
                arguments = [name(self.choose(names)) for names in candidates]
                node = ast.Call(func=name(helper.name), args=arguments, keywords=[])
                calls.append(Term(node, helper.result_shape, helper.result_bound))
        return calls

    def new_helper(self, depth) -> Term:
        arguments = [self.operand(depth) for _ in range(self.draw(st.integers(1, 2)))]
        params = ("p", "q")[:len(arguments)]
        inner = ArrayProgramWriter(self.draw, {p: (a.shape, a.bound) for p, a in zip(params, arguments)},
                                   helpers=None)
        body = inner.statements(self.draw(st.integers(0, 2)))
        result = squashed(inner.expression(1))
        helper = Helper(f"h{len(self.helpers)}", tuple(a.shape for a in arguments),
                        tuple(a.bound for a in arguments), result.shape, result.bound)
        self.helpers.append(helper)
        definition = ast.parse(f"def {helper.name}():\n    pass\n").body[0]
        definition.args.args = [ast.arg(arg=p) for p in params]
        definition.body = body + [ast.Return(value=result.node)]
        self.definitions.append(definition)
        node = ast.Call(func=name(helper.name), args=[a.node for a in arguments], keywords=[])
        return Term(node, result.shape, result.bound)

    # -- statements

    def statements(self, count: int) -> list[ast.stmt]:
        """`count` statements: assignments, and one loop at most (with what follows it)."""
        body = []
        for _ in range(count):
            if not self.looped and self.draw(st.integers(0, 3)) == 0:
                body += self.statement_loop()
            else:
                body.append(self.statement_assign())
        return body

    def assign(self, target: str, term: Term) -> ast.Assign:
        self.values.pop(target, None)  # (re-enter: the order of `values` is the order bound)
        self.values[target] = (term.shape, term.bound)
        self.last = target
        self.assigned.append(target)
        return ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=term.node)

    def statement_assign(self) -> ast.Assign:
        term = self.expression(self.draw(st.integers(0, 2)))
        if self.draw(st.integers(0, 4)) == 0:  # rebind a name in scope, a parameter too
            return self.assign(self.choose(list(self.values)), term)
        return self.assign(f"v{next(self.locals)}", term)

    def statement_loop(self) -> list[ast.stmt]:
        """`for i in range(count):` updating one or two carried names, each to a value of its
        own shape (a loop that never runs leaves it as it is)."""
        self.looped = True
        count = self.draw(st.integers(0, MAX_LOOP_COUNT))
        carried = list(dict.fromkeys(self.choose(list(self.values)) for _ in range(self.draw(st.integers(1, 2)))))
        accumulates = {}
        for target in carried:
            shape, bound = self.values[target]
            accumulates[target] = self.coin()
            # A bound for every iteration: tanh is within 1, an accumulator grows by 1 a turn.
            self.values[target] = (shape, bound + count if accumulates[target] else max(bound, 1.0))
        self.values["i"] = ((), float(max(count - 1, 0)))
        self.loop_count = count
        body = []
        for target in carried:
            update = numpy_call("tanh", self.loop_update(target).node)
            if accumulates[target]:
                update = binop(name(target), ast.Add(), update)
            body.append(ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=update))
            self.last = target
            self.assigned.append(target)
        self.loop_count = None
        del self.values["i"]
        loop = ast.For(target=ast.Name(id="i", ctx=ast.Store()),
                       iter=ast.Call(func=name("range"), args=[const(count)], keywords=[]),
                       body=body, orelse=[], type_comment=None)
        return [loop]

    def loop_update(self, target: str) -> Term:
        """The carried value through a square matrix, a helper or as it is, plus 0-2 terms
        that broadcast into its shape."""
        shape = self.values[target][0]
        terms = [self.carried_term(target)]
        for _ in range(self.draw(st.integers(0, 2))):
            terms.append(self.fitting_term(shape))
        node = terms[0].node
        for term in terms[1:]:
            node = binop(node, ast.Add(), term.node)
        return Term(node, shape, sum(term.bound for term in terms))

    def square(self, size: int) -> Term | None:
        """A (size, size) matrix: a name (either way round) or a product X.T @ X, X @ X.T."""
        options = [("name", n, t) for n, t in self.orientations(lambda shape: shape == (size, size))]
        for identifier, (shape, _) in self.values.items():
            if len(shape) == 2:
                options += [("gram", identifier, t) for t, side in ((True, 1), (False, 0))
                            if shape[side] == size]
        if not options:
            return None
        kind, identifier, transposed = self.choose(options)
        if kind == "name":
            return self.oriented(identifier, transposed)
        # X.T @ X is (cols, cols): transposed first; X @ X.T is (rows, rows).
        x = self.leaf(identifier)
        return self.product(self.transposed(x), x) if transposed else self.product(x, self.transposed(x))

    def carried_term(self, target: str) -> Term:
        carried = self.leaf(target)
        form = self.choose(("as it is", "times a matrix", "matrix times", "helper"))
        if form == "times a matrix" and carried.shape:
            matrix = self.square(carried.shape[-1])
            if matrix is not None:
                return self.product(carried, matrix)
        if form == "matrix times" and carried.shape:
            matrix = self.square(carried.shape[0])
            if matrix is not None:
                return self.product(matrix, carried)
        if form == "helper" and self.helpers:
            calls = self.reusable_calls(lambda result: result == carried.shape, passing=target)
            if calls:
                return self.choose(calls)
        return carried

    def fitting_term(self, shape: Shape) -> Term:
        """A term whose shape broadcasts into `shape`: a name, a row or column picked by the
        loop index, a product, or any expression that happens to fit."""
        form = self.choose(("name", "row", "column", "product", "expression"))
        count = self.loop_count
        if form == "row":
            rows = [n for n, (s, _) in self.values.items()
                    if len(s) >= 1 and s[0] >= count and fits(s[1:], shape)]
            if rows:
                row = self.choose(rows)
                picked = ast.Subscript(value=name(row), slice=name("i"), ctx=ast.Load())
                return Term(picked, self.values[row][0][1:], self.values[row][1])
        if form == "column":
            columns = [n for n, (s, _) in self.values.items()
                       if len(s) == 2 and s[1] >= count and fits(s[:1], shape)]
            if columns:
                column = self.choose(columns)
                index = ast.Tuple(elts=[ast.Slice(), name("i")], ctx=ast.Load())
                picked = ast.Subscript(value=name(column), slice=index, ctx=ast.Load())
                return Term(picked, self.values[column][0][:1], self.values[column][1])
        if form == "product":
            pairs = [(left, right) for left in self.orientations() for right in self.orientations()
                     if (result := matmul_shape(self.oriented_shape(*left), self.oriented_shape(*right)))
                     is not None and fits(result, shape)]
            if pairs:
                left, right = self.choose(pairs)
                return self.product(self.oriented(*left), self.oriented(*right))
        if form == "expression":
            term = self.expression(1)
            if fits(term.shape, shape):
                return term
        return self.any_name(lambda s: fits(s, shape)) or Term(const(0.5), (), 0.5)

    def oriented_shape(self, identifier: str, transposed: bool) -> Shape:
        shape = self.values[identifier][0]
        return shape[::-1] if transposed else shape

    def statement_return(self) -> ast.Return:
        """A scalar: the last value reduced (weighted by another value, maybe), plus the sums
        of 0-2 other values assigned, so that more of the program is live."""
        last = self.leaf(self.last) if self.last is not None else self.any_name()
        form = self.choose(("sum", "mean", "weighted", "tanh", "method"))
        if form == "weighted":
            other = self.partner(last, 0)
            result = numpy_call("sum", binop(last.node, ast.Mult(), other.node))
        elif form == "tanh":
            result = numpy_call("sum", numpy_call("tanh", last.node))
        elif form == "method" and last.shape:
            result = method(last.node, self.choose(("sum", "mean")))
        else:
            result = numpy_call("mean" if form == "mean" else "sum", last.node)
        others = [n for n in self.assigned if n != self.last]
        for _ in range(self.draw(st.integers(0, 2)) if others else 0):
            result = binop(result, ast.Add(), numpy_call("sum", name(self.choose(others))))
        return ast.Return(value=result)


def squashed(term: Term, limit: float = MAX_BOUND) -> Term:
    """The term, or np.tanh of it where its bound exceeds `limit`."""
    if term.bound <= limit:
        return term
    return Term(numpy_call("tanh", term.node), term.shape, 1.0)


# Simplest first: Hypothesis shrinks a choice towards the start of its list.
EXPRESSION_KINDS = ("unary", "elementwise", "elementwise", "scaled", "product", "product", "reduction",
                    "normalize", "call")


@st.composite
def parameter_shapes(draw) -> dict[str, Shape]:
    """A (m, k) or (k,), B broadcasting with it, W (k, n), v (n,) and s a scalar."""
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    a = draw(st.sampled_from(((m, k), (k,))))
    b = draw(st.sampled_from(((m, k), (k,), (m, 1), (1, k), (1,))))
    return {"A": a, "B": b, "W": (k, n), "v": (n,), "s": ()}


@st.composite
def array_programs(draw):
    """(source, shapes): a module defining `f(A, B, W, v, s)` and its helpers."""
    shapes = draw(parameter_shapes())
    helpers: list[Helper] = []
    writer = ArrayProgramWriter(draw, {p: (shape, INPUT_BOUND) for p, shape in shapes.items()}, helpers)
    body = writer.statements(draw(st.integers(1, 6)))
    body.append(writer.statement_return())
    return render(PARAMETERS, body, writer.definitions), shapes


# ------------------------------------------------------------------ the checks

def load(source: str, directory):
    path = directory / f"random_array_program_{next(_NUMBERS)}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def draw_arguments(shapes: dict[str, Shape], rng) -> tuple:
    """An array of each shape (a float for shape ()), entries in [-INPUT_BOUND, INPUT_BOUND]."""
    return tuple(float(rng.uniform(-INPUT_BOUND, INPUT_BOUND)) if shape == ()
                 else rng.uniform(-INPUT_BOUND, INPUT_BOUND, shape) for shape in shapes.values())


def central(f, args, index):
    """d f / d args[index] by central differences, entry by entry."""
    value = np.asarray(args[index], dtype=float)
    result = np.zeros(value.shape)
    for entry in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[entry] += H
        down[entry] -= H
        plus = list(args)
        minus = list(args)
        plus[index], minus[index] = (up, down) if value.shape else (float(up), float(down))
        result[entry] = (f(*plus) - f(*minus)) / (2 * H)
    return result


def check_gradients(f, args, gradients) -> None:
    """Each gradient has its parameter's shape and matches central differences entry by
    entry to GRADIENT_RTOL times the largest of 1 and its largest entry (NaN fails)."""
    for index, (parameter, got) in enumerate(zip(PARAMETERS, gradients, strict=True)):
        assert np.shape(got) == np.shape(args[index]), (parameter, np.shape(got))
        numeric = central(f, args, index)
        scale = max(1.0, float(np.max(np.abs(numeric))))
        close = np.abs(np.asarray(got) - numeric) <= GRADIENT_RTOL * scale
        assert close.all(), (parameter, got, numeric)


def check_jvp(f, args, gradients, rng) -> None:
    """jvp returns f's value exactly and,
    along random directions, the gradients' dot product with them, to rounding
    relative to the sum of the products' magnitudes."""
    directions = tuple(float(rng.normal()) if np.shape(a) == () else rng.normal(size=np.shape(a))
                       for a in args)
    value, dot = symdiff.jvp(f, wrt=PARAMETERS)(*args, *directions)
    products = [np.asarray(g) * d for g, d in zip(gradients, directions, strict=True)]
    expected = sum(float(np.sum(p)) for p in products)
    magnitude = sum(float(np.sum(np.abs(p))) for p in products)
    expected_value = f(*args)
    assert value == expected_value, (value, expected_value)
    assert abs(dot - expected) <= JVP_RTOL * max(1.0, magnitude), (dot, expected)


def check_program(source: str, shapes: dict[str, Shape], seed: int, directory) -> None:
    f = load(source, directory)
    rng = np.random.default_rng(seed)
    args = draw_arguments(shapes, rng)
    gradients = symdiff.grad(f, wrt=PARAMETERS)(*args)
    check_gradients(f, args, gradients)
    check_jvp(f, args, gradients, rng)


@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(program=array_programs(), seed=st.integers(0, 2**16))
def test_random_array_program_gradient(tmp_path, program, seed):
    source, shapes = program
    note(source)
    note(f"shapes: {shapes}")
    check_program(source, shapes, seed, tmp_path)


# A program of each construct the generator draws (a product, a reduction broadcast
# back, a loop indexing rows, a helper): W (3, 3) is square, so a wrong matmul rule
# is wrong only in its numbers, not in its shapes.
LAYERED = """import numpy as np


def layer(p, q):
    return np.tanh(p @ q)


def f(A, B, W, v, s):
    h = A
    for i in range(2):
        h = np.tanh(h @ W + B[i] * s)
    z = h - np.max(h, axis=1, keepdims=True)
    return np.sum(np.exp(z) * v) + np.sum(layer(A, W.T))
"""
LAYERED_SHAPES = {"A": (4, 3), "B": (4, 3), "W": (3, 3), "v": (3,), "s": ()}


def test_the_checks_pass_a_correct_gradient_and_catch_one_wrong_entry(tmp_path):
    f = load(LAYERED, tmp_path)
    rng = np.random.default_rng(1)
    args = draw_arguments(LAYERED_SHAPES, rng)
    gradients = symdiff.grad(f, wrt=PARAMETERS)(*args)
    check_gradients(f, args, gradients)
    check_jvp(f, args, gradients, np.random.default_rng(2))
    wrong = list(gradients)
    wrong[2] = gradients[2].copy()
    wrong[2][1, 2] += 1e-3 * max(1.0, float(np.max(np.abs(gradients[2]))))
    with pytest.raises(AssertionError):
        check_gradients(f, args, wrong)
    with pytest.raises(AssertionError):
        check_jvp(f, args, wrong, np.random.default_rng(2))


def test_the_checks_catch_a_deliberately_wrong_matmul_rule(tmp_path, monkeypatch):
    # X_bar = G @ Y instead of G @ Y.T (reverse mode only): both checks must fail.
    row = PRIMS["matmul"]
    wrong = dataclasses.replace(row, vjp=(lambda b, g, out, x, y: b.matmul(g, y), row.vjp[1]))
    monkeypatch.setitem(PRIMS, "matmul", wrong)
    f = load(LAYERED, tmp_path)
    args = draw_arguments(LAYERED_SHAPES, np.random.default_rng(1))
    gradients = symdiff.grad(f, wrt=PARAMETERS)(*args)
    with pytest.raises(AssertionError, match="^\\('A'"):
        check_gradients(f, args, gradients)
    with pytest.raises(AssertionError):
        check_jvp(f, args, gradients, np.random.default_rng(2))


# Found by this fuzzer (all fixed now): minimal programs.
LOOP_THEN_SUM = """import numpy as np


def f(A, B, W, v, s):
    for i in range(2):
        A = np.tanh(A)
    return np.sum(A)
"""
LOOP_THEN_CENTERED_SUM = """import numpy as np


def f(A, B, W, v, s):
    for i in range(2):
        A = np.tanh(A)
    A = A * np.tanh(A)
    return np.sum(A - np.mean(A, axis=0, keepdims=True))
"""
TRANSPOSED_GRAM = """import numpy as np


def f(A, B, W, v, s):
    return np.sum((A.T @ A).T @ v)
"""


# Programs the fuzzer found symdiff bugs with (all fixed), minimized: they always run.
REGRESSIONS = [
    # fixed: the cotangent reaching the loop is broadcast to the carried value's shape
    pytest.param(LOOP_THEN_SUM, {"A": (2, 3), "B": (1,), "W": (3, 1), "v": (1,), "s": ()}, range(1),
                 id="loop_cotangent_of_a_smaller_shape"),
    # fixed: a loop that starts a carried array from a cotangent simplified to the number 0
    # starts it from np.zeros of the array's shape
    pytest.param(LOOP_THEN_CENTERED_SUM, {"A": (1, 1), "B": (1,), "W": (1, 1), "v": (1,), "s": ()}, range(1),
                 id="loop_cotangent_a_zero_without_shape"),
    # fixed: (P.T @ Q).T is rewritten only in derivative code, never in a value f computes
    pytest.param(TRANSPOSED_GRAM, {"A": (3, 4), "B": (1,), "W": (4, 1), "v": (4,), "s": ()}, range(20),
                 id="value_of_a_transposed_product"),
]


@pytest.mark.parametrize("source,shapes,seeds", REGRESSIONS)
def test_regression_program(tmp_path, source, shapes, seeds):
    for seed in seeds:
        check_program(source, shapes, seed, tmp_path)


# Found by this fuzzer: terms that cancel (v0 - v0) simplified to the number 0.0, which
# lost the shape a reduction along an axis needed (a ZeroDivisionError in shape
# inference), and returned a gradient of the wrong shape.
CANCELLING = """import numpy as np


def f(A, B, s):
    v0 = A * B
    v1 = v0 - v0
    return np.sum(v1)


def g(A, B):
    return (A * B - A * B) * 2.0, np.tanh(B)
"""


def test_cancelling_terms_give_zeros_of_each_parameters_shape(tmp_path):
    path = tmp_path / "cancelling.py"
    path.write_text(CANCELLING)
    spec = importlib.util.spec_from_file_location("cancelling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for shapes in (((3, 4), (4,)), ((3, 4), (3, 1))):
        A, B = np.ones(shapes[0]), np.ones(shapes[1])
        A_bar, B_bar, s_bar = symdiff.grad(module.f, wrt=("A", "B", "s"))(A, B, 0.5)
        assert (A_bar.shape, B_bar.shape, s_bar) == (A.shape, B.shape, 0.0)
        assert not A_bar.any() and not B_bar.any()
        _, (A_bar, B_bar) = symdiff.vjp(module.g, wrt=("A", "B"))(A, B, np.ones(shapes[0]), np.ones(shapes[1]))
        assert (A_bar.shape, B_bar.shape) == (A.shape, B.shape) and not A_bar.any()
