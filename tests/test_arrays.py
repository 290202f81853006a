"""NumPy arrays: the lecture notes' matrix calculus, checked twice.

Every example (tests/cases/array_cases.py) is compared with the closed form the notes
derive, typed here as the notes write it, and with central differences of the
original function, perturbing one element at a time. Where the notes slip, the
differences win and the comment says so: deck 002 writes dL/do = (y - o) for
L = (y - o)^2 / 2, but it is o - y.

Besides the gradients: the generated code reads like the notes (X_bar = G @ Y.T),
a broadcast operand's gradient is summed back to its shape, code is generated
once per combination of argument shapes, scalar functions are not specialized,
and shape errors are located in the user's source.
"""

import dataclasses
import re
from typing import Callable, NamedTuple

import numpy as np
import pytest

import symdiff
from symdiff.errors import NonScalarOutputError, ShapeError, SymdiffError
from symdiff.primitives import PRIMS

from .cases import array_cases as cases

SEED = 20240607
CLOSED_FORM_RTOL = 1e-12
DIFFERENCE_RTOL = 1e-6
EPS = 1e-5


def draw(shapes, seed=SEED):
    """Arguments of the given shapes from a fixed generator; shape () gives a float."""
    rng = np.random.default_rng(seed)
    return [float(rng.normal()) if shape == () else rng.normal(size=shape) for shape in shapes]


def central_differences(fun, args, index):
    """d fun / d args[index], one element at a time: (f(x + h e) - f(x - h e)) / 2h."""
    x = np.array(args[index], dtype=float)
    grad = np.zeros_like(x)
    for element in np.ndindex(x.shape):
        values = []
        for step in (EPS, -EPS):
            moved = x.copy()
            moved[element] += step
            values.append(fun(*args[:index], moved, *args[index + 1:]))
        grad[element] = (values[0] - values[1]) / (2 * EPS)
    return grad


def assert_close(actual, expected, rtol, what):
    """Same shape, and max |actual - expected| <= rtol * max(1, max |expected|); NaN fails."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    error = float(np.max(np.abs(actual - expected)))
    scale = max(1.0, float(np.max(np.abs(expected))))
    assert error <= rtol * scale, f"{what}: error {error:.2e} > {rtol:.0e} * {scale:.3g}\n{actual}\n{expected}"


def sigma(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------ the notes' closed forms
# Each takes the arguments by name and returns one gradient per wrt entry.

def _mlp_by_hand(W, v, x, y):
    # Deck 002's backward pass for one example. The slides write dL/do = (y - o);
    # for L = (y - o)^2 / 2 it is o - y (the central differences agree).
    h = W @ x
    a = sigma(h)
    o = v @ a
    o_bar = o - y
    v_bar = o_bar * a
    a_bar = o_bar * v
    h_bar = a_bar * sigma(h) * (1 - sigma(h))
    W_bar = np.outer(h_bar, x)  # h_bar x^T
    return W_bar, v_bar


def _mlp_batched_by_hand(W, v, X, y):
    # The same pass with the examples as rows; the mean brings 1/n into o_bar.
    H = X @ W.T
    A = sigma(H)
    o = A @ v
    o_bar = (o - y) / len(y)
    v_bar = A.T @ o_bar
    A_bar = np.outer(o_bar, v)
    H_bar = A_bar * A * (1 - A)
    return H_bar.T @ X, v_bar, H_bar @ W


def _dense_bias_by_hand(X, W, b):
    D_bar = 1 - np.tanh(X @ W.T + b) ** 2
    return D_bar @ W, D_bar.T @ X, D_bar.sum(axis=0)


def _broadcast_operands_by_hand(X, c, r, s):
    D_bar = 1 - np.tanh(s * X + c + r) ** 2
    return s * D_bar, D_bar.sum(axis=1, keepdims=True), D_bar.sum(axis=0), np.sum(D_bar * X)


def _reshape_matmul_by_hand(X, W):
    ones = np.ones((3, W.shape[1]))  # the cotangent of np.sum(Z) is all ones
    return (ones @ W.T).reshape(X.shape), X.reshape(3, 4).T @ ones


def _tile(row, shape):
    return np.broadcast_to(row, shape).copy()


class Example(NamedTuple):
    fun: Callable
    shapes: tuple
    wrt: tuple
    by_hand: Callable

    @property
    def id(self):
        return self.fun.__name__


_GRAM = lambda B, G: (B @ (G + G.T),)  # noqa: E731
_MATRIX_PRODUCT = lambda X, Y, G: (G @ Y.T, X.T @ G)  # noqa: E731
_SUM_AXIS0 = lambda X, g: (_tile(g, X.shape),)  # noqa: E731
_SUM_AXIS1_KEEPDIMS = lambda X, G: (_tile(G.sum(axis=1, keepdims=True), X.shape),)  # noqa: E731
_SUM_AXIS1 = lambda X, g: (_tile(g[:, None], X.shape),)  # noqa: E731
_MEAN_AXIS0 = lambda X, g: (_tile(g / X.shape[0], X.shape),)  # noqa: E731
_MEAN_AXIS1_KEEPDIMS = lambda X, G: (_tile(G.sum(axis=1, keepdims=True) / X.shape[1], X.shape),)  # noqa: E731

EXAMPLES = [
    # deck 000: d(x^T A x)/dx = (A + A^T) x, d/dA = x x^T
    Example(cases.quadratic_form, ((4,), (4, 4)), ("x", "A"),
            lambda x, A: ((A + A.T) @ x, np.outer(x, x))),
    # sum(A x): every row of A_bar is x^T; x_bar = A^T 1
    Example(cases.sum_of_product, ((3, 4), (4,)), ("A", "x"),
            lambda A, x: (_tile(x, A.shape), A.T @ np.ones(A.shape[0]))),
    # K = B^T B through sum(K * G): B_bar = B (G + G^T), in three spellings of the transpose
    Example(cases.gram, ((5, 3), (3, 3)), ("B",), _GRAM),
    Example(cases.gram_np_transpose, ((5, 3), (3, 3)), ("B",), _GRAM),
    Example(cases.gram_transpose_method, ((5, 3), (3, 3)), ("B",), _GRAM),
    # deck 001: Z = X Y gives X_bar = Z_bar Y^T, Y_bar = X^T Z_bar, in four spellings
    Example(cases.matrix_product, ((2, 3), (3, 4), (2, 4)), ("X", "Y"), _MATRIX_PRODUCT),
    Example(cases.matrix_product_np_matmul, ((2, 3), (3, 4), (2, 4)), ("X", "Y"), _MATRIX_PRODUCT),
    Example(cases.matrix_product_np_dot, ((2, 3), (3, 4), (2, 4)), ("X", "Y"), _MATRIX_PRODUCT),
    Example(cases.matrix_product_dot_method, ((2, 3), (3, 4), (2, 4)), ("X", "Y"), _MATRIX_PRODUCT),
    # a_bar = h_bar * g'(a) for g = tanh and g = sigma
    Example(cases.tanh_layer, ((3, 4), (3, 4)), ("a",),
            lambda a, h_bar: (h_bar * (1 - np.tanh(a) ** 2),)),
    Example(cases.sigmoid_layer, ((3, 4), (3, 4)), ("a",),
            lambda a, h_bar: (h_bar * sigma(a) * (1 - sigma(a)),)),
    # deck 002: the two-layer MLP, one example and a batch with mean loss
    Example(cases.mlp, ((4, 3), (4,), (3,), ()), ("W", "v"), _mlp_by_hand),
    Example(cases.mlp_batched, ((4, 3), (4,), (6, 3), (6,)), ("W", "v", "X"), _mlp_batched_by_hand),
    # a broadcast operand's gradient is summed over the axes it was broadcast along
    Example(cases.dense_bias, ((5, 3), (4, 3), (4,)), ("X", "W", "b"), _dense_bias_by_hand),
    Example(cases.broadcast_operands, ((3, 4), (3, 1), (4,), ()), ("X", "c", "r", "s"),
            _broadcast_operands_by_hand),
    # reductions with axis and keepdims, as functions and as methods
    Example(cases.sum_axis0, ((3, 4), (4,)), ("X",), _SUM_AXIS0),
    Example(cases.sum_axis0_method, ((3, 4), (4,)), ("X",), _SUM_AXIS0),
    Example(cases.sum_axis1_keepdims, ((3, 4), (3, 4)), ("X",), _SUM_AXIS1_KEEPDIMS),
    Example(cases.sum_axis1_keepdims_method, ((3, 4), (3, 4)), ("X",), _SUM_AXIS1_KEEPDIMS),
    Example(cases.sum_axis1_positional, ((3, 4), (3,)), ("X",), _SUM_AXIS1),
    Example(cases.mean_axis1_positional_method, ((3, 4), (3,)), ("X",),
            lambda X, g: (_tile(g[:, None] / X.shape[1], X.shape),)),
    Example(cases.sum_last_axis_squared, ((2, 3, 4),), ("X",),
            lambda X: (_tile(2 * X.sum(axis=-1, keepdims=True), X.shape),)),
    Example(cases.mean_axis0, ((3, 4), (4,)), ("X",), _MEAN_AXIS0),
    Example(cases.mean_axis0_method, ((3, 4), (4,)), ("X",), _MEAN_AXIS0),
    Example(cases.mean_axis1_keepdims, ((3, 4), (3, 4)), ("X",), _MEAN_AXIS1_KEEPDIMS),
    Example(cases.mean_axis1_keepdims_method, ((3, 4), (3, 4)), ("X",), _MEAN_AXIS1_KEEPDIMS),
    Example(cases.centered_variance, ((3, 4),), ("X",),
            lambda X: (2 * (X - X.mean(axis=1, keepdims=True)) / X.size,)),
    Example(cases.mean_of_squares_method, ((3, 4),), ("X",), lambda X: (2 * X / X.size,)),
    # reshapes: reshape(-1) instead of ravel, np.reshape with a tuple, x.reshape(3, -1)
    Example(cases.flatten_dot, ((3, 4), (12,)), ("X", "w"),
            lambda X, w: (w.reshape(X.shape), X.reshape(-1))),
    Example(cases.reshape_then_matmul, ((2, 6), (4, 2)), ("X", "W"), _reshape_matmul_by_hand),
    Example(cases.reshape_method_then_matmul, ((2, 6), (4, 2)), ("X", "W"), _reshape_matmul_by_hand),
    # np.dot of vectors and of a matrix and a vector; np.outer
    Example(cases.dot_squared, ((4,), (4,)), ("x", "y"),
            lambda x, y: (2 * (x @ y) * y, 2 * (x @ y) * x)),
    Example(cases.dot_norm_squared, ((3, 4), (4,)), ("A", "x"),
            lambda A, x: (2 * np.outer(A @ x, x), 2 * A.T @ (A @ x))),
    Example(cases.outer_weighted, ((3,), (4,), (3, 4)), ("x", "y"),
            lambda x, y, G: (G @ y, G.T @ x)),
]


def arguments(example):
    return draw(example.shapes)


def by_name(example, args):
    names = example.fun.__code__.co_varnames[:len(args)]
    return dict(zip(names, args, strict=True))


def gradients(example, args):
    """symdiff's gradients, and the index of each wrt parameter."""
    names = list(by_name(example, args))
    got = symdiff.grad(example.fun, wrt=example.wrt)(*args)
    return got, [names.index(name) for name in example.wrt]


@pytest.mark.parametrize("example", EXAMPLES, ids=Example.id.fget)
def test_gradient_matches_the_closed_form_of_the_notes(example):
    args = arguments(example)
    got, indices = gradients(example, args)
    expected = example.by_hand(**by_name(example, args))
    for name, index, mine, theirs in zip(example.wrt, indices, got, expected, strict=True):
        assert np.shape(mine) == np.shape(args[index]), f"{name}_bar has the shape of {name}"
        assert_close(mine, theirs, CLOSED_FORM_RTOL, f"d{example.id}/d{name}")


@pytest.mark.parametrize("example", EXAMPLES, ids=Example.id.fget)
def test_gradient_matches_central_differences(example):
    args = arguments(example)
    got, indices = gradients(example, args)
    for name, index, mine in zip(example.wrt, indices, got, strict=True):
        assert_close(mine, central_differences(example.fun, args, index), DIFFERENCE_RTOL,
                     f"d{example.id}/d{name}")


@pytest.mark.parametrize("example", EXAMPLES, ids=Example.id.fget)
def test_value_and_grad_returns_the_exact_value_and_the_same_gradients(example):
    args = arguments(example)
    value, got = symdiff.value_and_grad(example.fun, wrt=example.wrt)(*args)
    expected = example.fun(*args)
    assert value == expected and type(value) is type(expected)
    for name, mine, theirs in zip(example.wrt, got, gradients(example, args)[0], strict=True):
        assert_close(mine, theirs, CLOSED_FORM_RTOL, f"d{example.id}/d{name}")


def test_central_differences_catch_a_deliberately_wrong_matmul_rule(monkeypatch):
    # X_bar = G @ Y instead of G @ Y^T: square shapes, so only the numbers are wrong.
    row = PRIMS["matmul"]
    wrong = dataclasses.replace(row, vjp=(lambda b, g, out, x, y: b.matmul(g, y), row.vjp[1]))
    monkeypatch.setitem(PRIMS, "matmul", wrong)
    args = draw([(3, 3), (3, 3), (3, 3)])
    X_bar, Y_bar = symdiff.grad(cases.wrong_rule_probe, wrt=("X", "Y"))(*args)
    assert_close(Y_bar, central_differences(cases.wrong_rule_probe, args, 1), DIFFERENCE_RTOL, "Y_bar")
    with pytest.raises(AssertionError, match="error"):
        assert_close(X_bar, central_differences(cases.wrong_rule_probe, args, 0), DIFFERENCE_RTOL, "X_bar")


# ------------------------------------------------ the generated code


def test_matrix_product_gradient_reads_like_the_notes():
    g = symdiff.grad(cases.matrix_product, wrt=("X", "Y"))
    g(*draw([(2, 3), (3, 4), (2, 4)]))
    lines = [line.strip() for line in g.source.splitlines()]
    assert "X_bar = G @ Y.T" in lines, g.source
    assert "Y_bar = X.T @ G" in lines, g.source


def test_broadcast_bias_gradient_is_summed_over_the_batch_axis():
    g = symdiff.grad(cases.dense_bias, wrt="b")
    b_bar = g(*draw([(5, 3), (4, 3), (4,)]))
    assert b_bar.shape == (4,)
    assert re.search(r"^\s*b_bar = np\.sum\(.+, axis=0\)$", g.source, re.MULTILINE), g.source


def test_unused_array_parameter_gets_zeros_of_its_shape():
    g = symdiff.grad(cases.one_matrix_unused, wrt=("x", "A"))
    args = draw([(3,), (2, 5)])
    x_bar, A_bar = g(*args)
    assert A_bar.shape == (2, 5) and A_bar.dtype == np.float64
    assert not A_bar.any()
    assert "np.zeros(" in g.source
    assert_close(x_bar, central_differences(cases.one_matrix_unused, args, 0), DIFFERENCE_RTOL, "x_bar")


def test_scalar_function_returns_a_plain_float_and_is_not_specialized():
    g = symdiff.grad(cases.scalar_lecture)
    assert type(g(0.7)) is float
    assert g(0.7) == pytest.approx(-1.874001704964, abs=1e-12)
    assert not hasattr(g, "specializations")
    assert "def grad_scalar_lecture(x):" in g.source  # generated before any call


def test_elementwise_numpy_function_is_not_specialized_and_its_tangent_works_on_arrays():
    g = symdiff.grad(cases.elementwise_numpy)
    x = np.linspace(-1.0, 1.0, 5)
    assert not hasattr(g, "specializations")
    expected = np.exp(x) * np.tanh(x) + np.exp(x) * (1 - np.tanh(x) ** 2)
    assert_close(g(x[1]), expected[1], CLOSED_FORM_RTOL, "d elementwise_numpy / dx")
    # (on an array its value is an array, so grad refuses it: test_misuse.py; jvp takes it)
    _, tangent = symdiff.jvp(cases.elementwise_numpy)(x, np.ones(5))
    assert_close(tangent, expected, CLOSED_FORM_RTOL, "tangent of elementwise_numpy")


# ------------------------------------------------ specialization per shapes


def test_two_shapes_compile_two_specializations_both_correct_and_a_seen_shape_is_reused():
    g = symdiff.grad(cases.tanh_product, wrt=("X", "Y"))
    before = set(g.specializations)
    small, large = [(2, 3), (3, 4), (2, 4)], [(5, 2), (2, 3), (5, 3)]
    for shapes in (small, large):
        args = draw(shapes)
        got = g(*args)
        for index, mine in zip((0, 1), got, strict=True):
            assert_close(mine, central_differences(cases.tanh_product, args, index), DIFFERENCE_RTOL,
                         f"shapes {shapes}, argument {index}")
    assert set(g.specializations) - before == {tuple(small), tuple(large)}
    compiled = g.specializations[tuple(small)]
    count = len(g.specializations)
    g(*draw(small, seed=SEED + 1))
    assert len(g.specializations) == count
    assert g.specializations[tuple(small)] is compiled


def test_an_integer_array_argument_gets_its_own_specialization_and_the_gradient_stays_float():
    g = symdiff.grad(cases.weighted_by_counts)
    w = np.array([0.5, -1.0, 2.0])
    sources = []
    for counts in (np.array([3, 0, 1]), np.array([3.0, 0.0, 1.0])):
        got = g(w, counts)
        assert got.dtype == np.float64, (counts.dtype, got.dtype)
        np.testing.assert_array_equal(got, [3.0, 0.0, 1.0])
        sources.append(g.source.splitlines())
    assert len(g.specializations) == 2, list(g.specializations)
    assert "    w_bar = 1.0 * counts" in sources[0], sources[0]  # ints become floats...
    assert "    w_bar = np.copy(counts)" in sources[1], sources[1]  # ...floats need no conversion


def test_keyword_and_default_arguments_give_the_positional_result_and_share_a_specialization():
    g = symdiff.grad(cases.product_with_defaults, wrt=("X", "Y", "scale"))
    X, Y = draw([(2, 3), (3, 4)])
    positional = g(X, Y, 2.0)
    count = len(g.specializations)
    for got in (g(X, Y), g(X, Y=Y), g(X=X, Y=Y), g(Y=Y, X=X, scale=2.0)):
        for mine, theirs in zip(got, positional, strict=True):
            assert np.array_equal(mine, theirs)
    assert len(g.specializations) == count
    scaled = g(X, Y, scale=3.0)
    for index, mine in enumerate(scaled):
        assert_close(mine, central_differences(cases.product_with_defaults, [X, Y, 3.0], index),
                     DIFFERENCE_RTOL, f"argument {index} at scale=3")


def test_keyword_only_parameters_in_either_order_share_a_specialization():
    g = symdiff.grad(cases.product_keyword_only, wrt=("X", "Y"))
    X, Y, G = draw([(2, 3), (3, 4), (2, 4)])
    X_bar, Y_bar = g(X, Y=Y, G=G)
    count = len(g.specializations)
    again = g(X, G=G, Y=Y)
    assert len(g.specializations) == count
    assert np.array_equal(again[0], X_bar) and np.array_equal(again[1], Y_bar)
    assert_close(X_bar, G @ Y.T, CLOSED_FORM_RTOL, "X_bar")
    assert_close(Y_bar, X.T @ G, CLOSED_FORM_RTOL, "Y_bar")


def test_gradient_is_a_new_array_not_an_argument_or_a_view_of_one():
    X, G = draw([(2, 3), (2, 3)])
    kept = G.copy()
    X_bar = symdiff.grad(cases.weighted_sum)(X, G)
    assert not np.shares_memory(X_bar, G)
    X_bar *= 0.5  # e.g. gradient clipping
    assert np.array_equal(G, kept)
    assert "X_bar = np.copy(G)" in symdiff.grad(cases.weighted_sum).source


# ------------------------------------------------ errors, located in array_cases.py


def location(name: str, construct: str) -> str:
    """`file:line:col` of `construct` on the line marked `# <-` in function `name`."""
    lines = open(cases.__file__).read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}("))
    index = next(i for i in range(start, len(lines)) if lines[i].endswith("# <-"))
    return f"{cases.__file__}:{index + 1}:{lines[index].index(construct) + 1}"


def test_non_scalar_output_raises_at_the_call_with_its_location_and_shape():
    g = symdiff.grad(cases.outer_output)  # the shape is unknown until the call
    with pytest.raises(NonScalarOutputError) as info:
        g(np.ones(3))
    assert str(info.value).startswith(location("outer_output", "def") + ": ")
    assert "(3, 3)" in info.value.detail


def test_same_function_is_scalar_for_one_shape_and_refused_for_another():
    g = symdiff.grad(cases.vector_times_matrix, wrt=("x", "A"))
    x, a = draw([(3,), (3,)])
    x_bar, a_bar = g(x, a)
    assert_close(x_bar, a, CLOSED_FORM_RTOL, "x_bar")
    assert_close(a_bar, x, CLOSED_FORM_RTOL, "A_bar")
    with pytest.raises(NonScalarOutputError) as info:
        g(x, np.ones((3, 2)))
    assert str(info.value).startswith(location("vector_times_matrix", "def") + ": ")
    assert "(2,)" in info.value.detail


@pytest.mark.parametrize("name,construct,operation,shapes", [
    ("misaligned_product", "X @ Y", "matmul", [(2, 3), (4, 3)]),
    ("misaligned_dot", "np.dot(A, x)", "dot", [(2, 3), (2,)]),
    ("misaligned_bias", "X + b", "add", [(2, 3), (2,)]),
])
def test_misaligned_shapes_raise_a_located_shape_error_naming_the_operation(name, construct, operation,
                                                                            shapes):
    g = symdiff.grad(getattr(cases, name))
    with pytest.raises(ShapeError) as info:
        g(*draw(shapes))
    assert isinstance(info.value, SymdiffError)
    assert str(info.value).startswith(location(name, construct) + ": ")
    assert info.value.detail.startswith(operation)
    for shape in shapes:
        assert str(shape) in info.value.detail


@pytest.mark.parametrize("given", ["function", "grad"])
def test_verify_of_an_array_function_needs_example_arguments_or_shapes(given):
    fun = cases.verified if given == "function" else symdiff.grad(cases.verified)
    with pytest.raises(ShapeError) as info:
        symdiff.verify(fun)
    assert not isinstance(info.value, symdiff.VerificationError)  # not a failed check
    assert str(info.value).startswith(location("verified", "def") + ": ")
    assert "args=" in info.value.detail and "shapes=" in info.value.detail


def test_verify_checks_small_arrays_entry_by_entry_against_sympy():
    report = symdiff.verify(cases.matrix_product, wrt=("X", "Y"), args=draw([(2, 3), (3, 2), (2, 2)]))
    assert report.reference == "SymPy" and report.points == 3
    assert report.max_error < 1e-12
    assert "dmatrix_product/dX: 6 entries of shape (2, 3)" in str(report)


def test_verify_uses_finite_differences_for_large_arrays():
    report = symdiff.verify(cases.matrix_product, wrt="X", shapes={"X": (8, 9), "Y": (9, 4), "G": (8, 4)})
    assert report.reference == "finite differences"
    assert report.max_error < 1e-5


def test_verify_catches_a_deliberately_wrong_array_rule(monkeypatch):
    wrong = dataclasses.replace(PRIMS["matmul"], vjp=(lambda b, g, o, x, y: b.matmul(g, y),
                                                      PRIMS["matmul"].vjp[1]))
    monkeypatch.setitem(PRIMS, "matmul", wrong)
    with pytest.raises(symdiff.VerificationError, match="a derivative rule is wrong"):
        symdiff.verify(cases.matrix_product, wrt="X", args=draw([(2, 2), (2, 2), (2, 2)]))


def test_max_and_min_reductions_send_the_gradient_to_the_extremes_and_split_ties():
    X = np.array([[1.0, 3.0, 3.0], [2.0, -1.0, 0.0]])
    expected = np.array([[0.0, 0.5, 0.5], [1.0, 1.0, 0.0]])  # row maxima; X.min() is -1
    assert np.array_equal(symdiff.grad(cases.row_maxima)(X), expected)
    (X,) = draw([(3, 4)])
    assert_close(symdiff.grad(cases.row_maxima)(X), central_differences(cases.row_maxima, [X], 0),
                 DIFFERENCE_RTOL, "row maxima")


@pytest.mark.parametrize("name,shapes", [
    ("permuted", [(2, 3, 2), (2, 2, 3)]),
    ("diagonals", [(3,), (3, 3), (2, 4)]),
    ("joined", [(3,), (3,), (2, 3)]),
    ("statistics", [(3, 4)]),
    ("products", [(4,), (3, 2)]),
    ("contractions", [(2, 3), (3, 2), (3,)]),
], ids=["transpose_axes", "diag", "concatenate_stack_hstack_vstack_inner", "var_std_clip_norm", "prod",
        "einsum"])
def test_more_array_operations_agree_with_sympy_entry_by_entry(name, shapes):
    fun = getattr(cases, name)
    args = draw(shapes)
    report = symdiff.verify(fun, wrt=tuple(range(len(shapes) if name != "permuted" else 1)), args=args)
    assert report.reference == "SymPy" and report.max_error < 1e-10


def test_prod_gradient_is_the_product_of_the_others_even_at_zeros():
    A = np.ones((2, 2))
    one_zero = symdiff.grad(cases.products)(np.array([1.0, 0.0, 2.0, 3.0]), A)
    two_zeros = symdiff.grad(cases.products)(np.array([0.0, 0.0, 2.0, 3.0]), A)
    assert one_zero.tolist() == [0.0, 6.0, 0.0, 0.0]
    assert two_zeros.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_full_broadcasts_a_scalar_whose_gradient_sums_it_back():
    x = np.arange(6.0).reshape(3, 2)
    assert symdiff.grad(cases.filled, wrt="s")(x, 0.5) == pytest.approx(15.0 + 2 * 2 * 0.5)
    assert "np.sum(x)" in symdiff.grad(cases.filled, wrt="s").source


def test_boolean_mask_indexing_is_refused_with_advice():
    x = np.array([1.0, -2.0, 3.0])
    with pytest.raises(ShapeError, match="np.where") as info:
        symdiff.grad(cases.masked_by_comparison)(x)
    assert str(info.value).startswith(location("masked_by_comparison", "x[x > 0]").rsplit(":", 1)[0])
    with pytest.raises(ShapeError, match="boolean mask"):
        symdiff.grad(cases.masked_by_parameter)(x, x > 0)
    assert symdiff.grad(cases.masked_by_parameter)(x, np.array([0, 2])).tolist() == [2.0, 0.0, 6.0]


def test_the_gradient_reaching_softmax_max_shift_is_proved_zero_and_not_computed():
    Z, labels = draw([(4, 3)])[0], np.array([0, 2, 1, 1])
    g = symdiff.grad(cases.log_softmax_pick)
    got = g(Z, labels)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(4), labels] -= 1.0
    assert_close(got, P / 4, CLOSED_FORM_RTOL, "log-softmax")
    assert "np.max" in g.source and "==" not in g.source  # no tie mask for the shift
    # logp[np.arange(n), labels] picks one entry per row: the row sums of its adjoint
    # are the picked value itself, so the only reduction left is softmax's own.
    assert g.source.count("np.sum(") == 1


def test_a_pick_that_misses_rows_keeps_its_row_sums():
    def pick_some_rows(Z, labels):
        S = Z - np.max(Z, axis=1, keepdims=True)
        logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
        return -np.mean(logp[np.arange(2), labels])

    Z, labels = draw([(4, 3)])[0], np.array([0, 2])
    got = symdiff.grad(pick_some_rows)(Z, labels)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    expected = np.zeros_like(Z)
    expected[:2] = P[:2]
    expected[np.arange(2), labels] -= 1.0
    assert_close(got, expected / 2, CLOSED_FORM_RTOL, "a pick of two of four rows")


def test_a_shift_whose_gradient_is_not_zero_keeps_it():
    (Z,) = draw([(3, 4)])
    g = symdiff.grad(cases.shifted_squares)
    assert_close(g(Z), central_differences(cases.shifted_squares, [Z], 0), DIFFERENCE_RTOL, "shift")
    assert "==" in g.source


@pytest.mark.parametrize("fun, shape", [(cases.log_partitions, (2, 3)), (cases.pair_products, (3,)),
                                        (cases.centred_energy, (2, 3))],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_helper_defaults_of_none_and_np_newaxis(fun, shape):
    x, = draw([shape])
    assert_close(symdiff.grad(fun)(x), central_differences(fun, [x], 0), DIFFERENCE_RTOL, fun.__name__)


def test_a_helper_default_of_none_is_bound_into_the_helper():
    gradient = symdiff.grad(cases.log_partitions)
    gradient(np.ones((2, 3)))
    assert "np.max(a, keepdims=True)" in gradient.source  # axis=None: NumPy's default, not passed
    assert "np.max(a, axis=1, keepdims=True)" in gradient.source


@pytest.mark.parametrize("fun", [cases.joined_rows, cases.joined_columns], ids=lambda f: f.__name__)
def test_np_r_and_np_c_join_as_np_concatenate(fun):
    x, y = draw([(2,), (2,)])
    for index in (0, 1):
        got = symdiff.grad(fun, wrt=index)(x, y)
        assert_close(got, central_differences(fun, [x, y], index), DIFFERENCE_RTOL, fun.__name__)


def test_static_parameters_written_as_lists():
    x, = draw([(2, 3, 4)])
    got = symdiff.grad(cases.listed_parameters)(x)
    assert_close(got, central_differences(cases.listed_parameters, [x], 0), DIFFERENCE_RTOL, "lists")
