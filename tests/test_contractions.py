"""Contractions: np.einsum in every form NumPy accepts, np.tensordot, batched `@`,
np.dot / np.inner / np.vdot with numbers and many dimensions, and shapes written as
constant expressions (tests/cases/contraction_cases.py).

Each function's gradient is compared with central differences, perturbing one entry
at a time; its forward mode with the gradient by the dot-product identity; closed
forms where the matrix calculus gives one, SymPy entry by entry on small ones. One
einsum equation per subscripts form goes through the passes directly, as the table's
own rows do (tests/test_every_row.py). What stays refused is a located error.
"""

import inspect

import numpy as np
import pytest

import symdiff
from symdiff.errors import ShapeError, SymdiffError, UnsupportedSyntaxError
from symdiff.ir import evaluate_ir
from symdiff.primitives import PRIMS
from symdiff.transforms.forward import forward
from symdiff.transforms.reverse import pullback

from .cases import contraction_cases as cases
from .support.helpers import assert_jvp_agrees_with_grad
from .test_arrays import DIFFERENCE_RTOL, assert_close, central_differences, draw
from .test_every_row import central_differences as equation_differences
from .test_every_row import inner, one_equation

CASES = [
    (cases.bilinear_form, [(3,), (3, 4), (4,)]),
    (cases.quadratic_form_three_operands, [(3,), (3, 3)]),
    (cases.trace_of_product, [(3, 2), (2, 3)]),
    (cases.trace_squared_implicit, [(3, 3)]),
    (cases.diagonal_cubes, [(3, 3)]),
    (cases.chain_of_three, [(2, 3), (3, 4), (4, 2), (2, 2)]),
    (cases.chain_optimized, [(2, 3), (3, 4), (4, 2)]),
    (cases.transposed_and_row_sums, [(2, 3), (3, 2)]),
    (cases.implicit_product, [(2, 3), (3, 4)]),
    (cases.batched_bilinear, [(2, 5, 3), (3, 3)]),
    (cases.broadcast_batch_einsum, [(1, 2, 3), (4, 3, 2)]),
    (cases.interleaved_einsum, [(2, 3), (3, 4), (2, 3, 3)]),
    (cases.attention_scores, [(2, 3, 4), (2, 5, 4), (2, 5, 2)]),
    (cases.shared_weights_over_a_batch, [(4, 3), (2, 3, 5)]),
    (cases.batch_times_vector, [(2, 3, 4), (4,)]),
    (cases.vector_times_batch, [(3,), (2, 3, 4)]),
    (cases.broadcast_batches, [(2, 1, 2, 3), (3, 3, 4), (4, 2)]),
    (cases.tensordot_layer, [(2, 3, 4), (3, 4)]),
    (cases.tensordot_int_axes, [(2, 3, 4), (4, 2)]),
    (cases.dot_of_many_dimensions, [(2, 3, 4), (4,), (3, 4, 2)]),
    (cases.products_with_numbers, [(3,), ()]),
    (cases.inner_of_many_dimensions, [(2, 3, 4), (3, 2, 4), (5, 4)]),
    (cases.vdot_of_matrices, [(2, 3), (3, 2)]),
    (cases.mixture, [(5,), (3,)]),
    (cases.flatten_by_arithmetic, [(3, 4)]),
    (cases.constant_shapes, [(3, 4)]),
    (cases.reshape_by_product, [(4, 5)]),
]
IDS = [fun.__name__ for fun, _ in CASES]


def params(fun) -> list[str]:
    return list(inspect.signature(fun).parameters)


@pytest.mark.parametrize("fun,shapes", CASES, ids=IDS)
def test_reverse_mode_agrees_with_central_differences(fun, shapes):
    args = draw(shapes)
    wrt = tuple(range(len(shapes)))
    grads = symdiff.grad(fun, wrt=wrt)(*args)
    for i, grad in zip(wrt, grads, strict=True):
        assert_close(grad, central_differences(fun, args, i), DIFFERENCE_RTOL, f"{fun.__name__} d/d{params(fun)[i]}")


@pytest.mark.parametrize("fun,shapes", CASES, ids=IDS)
def test_forward_mode_agrees_with_reverse_mode(fun, shapes):
    names = params(fun)
    assert_jvp_agrees_with_grad(fun, names, names, [draw(shapes, seed) for seed in (1, 2)])


@pytest.mark.parametrize("fun,shapes", [
    (cases.diagonal_cubes, [(3, 3)]),
    (cases.attention_scores, [(2, 2, 3), (2, 3, 3), (2, 3, 2)]),
    (cases.broadcast_batches, [(2, 1, 2, 3), (3, 3, 4), (4, 2)]),
    (cases.chain_optimized, [(2, 3), (3, 4), (4, 2)]),
], ids=lambda v: getattr(v, "__name__", ""))
def test_hessians_agree_with_central_differences_of_the_gradient(fun, shapes):
    args = draw(shapes)
    hessian, gradient = symdiff.hessian(fun)(*args), symdiff.grad(fun)
    estimate = np.stack([central_differences(lambda *a: gradient(*a)[entry], args, 0)
                         for entry in np.ndindex(shapes[0])]).reshape(hessian.shape)
    assert_close(hessian, estimate, DIFFERENCE_RTOL, f"{fun.__name__} Hessian")


def test_a_contraction_of_a_broadcast_number_has_a_tangent_in_forward_mode():
    names = params(cases.trace_of_a_scalar_plus_a_matrix)
    assert_jvp_agrees_with_grad(cases.trace_of_a_scalar_plus_a_matrix, names[:1], names, [draw([(), (3, 3)])])


def test_closed_forms_of_the_bilinear_and_quadratic_forms():
    x, A, y = draw([(3,), (3, 4), (4,)])
    x_bar, A_bar, y_bar = symdiff.grad(cases.bilinear_form, wrt=(0, 1, 2))(x, A, y)
    assert_close(x_bar, A @ y, 1e-12, "x_bar")
    assert_close(A_bar, np.outer(x, y), 1e-12, "A_bar")
    assert_close(y_bar, A.T @ x, 1e-12, "y_bar")
    x, S = draw([(3,), (3, 3)])
    assert_close(symdiff.grad(cases.quadratic_form_three_operands)(x, S), (S + S.T) @ x, 1e-12, "x_bar")
    assert_close(symdiff.hessian(cases.quadratic_form_three_operands)(x, S), S + S.T, 1e-12, "Hessian")


def test_closed_forms_of_traces_and_diagonals():
    A, B = draw([(3, 2), (2, 3)])
    A_bar, B_bar = symdiff.grad(cases.trace_of_product, wrt=(0, 1))(A, B)
    assert_close(A_bar, B.T, 1e-12, "A_bar")
    assert_close(B_bar, A.T, 1e-12, "B_bar")
    (C,) = draw([(3, 3)])
    assert_close(symdiff.grad(cases.trace_squared_implicit)(C), 2 * np.trace(C) * np.eye(3), 1e-12, "tr^2")
    assert_close(symdiff.grad(cases.diagonal_cubes)(C), np.diag(3 * np.diag(C) ** 2), 1e-12, "diag^3")


def test_a_weight_broadcast_over_the_batch_gets_its_gradient_summed_over_the_batch():
    W, X = draw([(4, 3), (2, 3, 5)])
    W_bar = symdiff.grad(cases.shared_weights_over_a_batch)(W, X)
    by_hand = sum((1 - np.tanh(W @ X[b]) ** 2) @ X[b].T for b in range(2))
    assert_close(W_bar, by_hand, 1e-12, "W_bar")


@pytest.mark.parametrize("fun,shapes", [
    (cases.bilinear_form, [(2,), (2, 3), (3,)]),
    (cases.trace_squared_implicit, [(3, 3)]),
    (cases.batched_bilinear, [(2, 2, 2), (2, 2)]),
    (cases.tensordot_int_axes, [(2, 2, 2), (2, 2)]),
    (cases.broadcast_batch_einsum, [(1, 2, 2), (2, 2, 2)]),
], ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_agree_with_sympy_entry_by_entry(fun, shapes):
    report = symdiff.verify(fun, wrt=tuple(range(len(shapes))), args=draw(shapes))
    assert report.reference == "SymPy" and report.max_error < 1e-10


# One einsum equation per form, through reverse and forward mode directly.
EINSUMS = [
    ("ii->", [(3, 3)]), ("ij->ji", [(2, 3)]), ("ij->i", [(2, 3)]), ("ij->", [(2, 3)]),
    ("ii->i", [(3, 3)]), ("iij->j", [(2, 2, 3)]), ("iii->", [(2, 2, 2)]),
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ba,ca", [(2, 3), (4, 3)]),
    ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]), ("ii,i->i", [(3, 3), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("i,ij,j->", [(3,), (3, 4), (4,)]),
    ("ij,ij,ij->", [(2, 3), (2, 3), (2, 3)]), (",ij->ij", [(), (2, 3)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]), ("...ij,...jk->...ik", [(1, 2, 3), (4, 3, 2)]),
    ("...ij,jk->...ik", [(2, 5, 2, 3), (3, 4)]), ("...ii->...i", [(2, 3, 3)]), ("i...->...", [(3, 2, 2)]),
    ("ij...,jk", [(2, 3, 2), (3, 4)]), ("ab,bc->ac", [(2, 1), (1, 3)]),
    ("ijk,lji->lki", [(2, 3, 4), (5, 3, 2)]), ("ijk,lji,lli->lki", [(2, 3, 4), (5, 3, 2), (5, 5, 2)]),
    ("...,...->...", [(4, 3), (2, 4, 3)]), ("jk...,kl...->jl...", [(2, 3, 4), (3, 5, 4)]),
    ("j...k,kl...->jl...", [(2, 4, 3), (3, 5, 4)]), ("...", [(2, 3)]), ("i...i", [(3, 2, 3)]),
]


@pytest.mark.parametrize("subscripts,shapes", EINSUMS, ids=[f"{s}-{len(sh)}" for s, sh in EINSUMS])
def test_every_einsum_form_agrees_with_central_differences_and_the_dot_product_identity(subscripts, shapes):
    row, params_ = PRIMS["einsum"], (("subscripts", subscripts),)
    func, given = one_equation(row, "numpy", shapes, params_)
    wrt = tuple(range(len(shapes)))
    vjp, tangent = pullback(func, wrt, PRIMS, given), forward(func, wrt, PRIMS, given)
    rng = np.random.default_rng(5)
    args = [rng.normal(size=s) if s else float(rng.normal()) for s in shapes]
    value = evaluate_ir(func, *args)
    assert np.allclose(value, np.einsum(subscripts, *args), rtol=1e-14, atol=0.0)
    cotangent = rng.normal(size=np.shape(value))
    grads = evaluate_ir(vjp, *args, cotangent if cotangent.shape else float(cotangent))
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, grad in zip(wrt, grads, strict=True):
        assert np.shape(grad) == np.shape(args[i]), (i, np.shape(grad))
        assert np.allclose(grad, equation_differences(func, args, i, cotangent), rtol=1e-5, atol=1e-6), i
    directions = [rng.normal(size=np.shape(a)) for a in args]
    _, jvp = evaluate_ir(tangent, *args, *[d if d.shape else float(d) for d in directions])
    left = inner(jvp, cotangent)
    right = sum(inner(d, g) for d, g in zip(directions, grads, strict=True))
    assert abs(left - right) <= 1e-10 * max(1.0, abs(left)), (left, right)


def test_the_adjoint_of_a_diagonal_writes_onto_the_diagonal_only():
    x = np.arange(9.0).reshape(3, 3)
    g = symdiff.grad(cases.trace_squared_implicit)
    assert np.array_equal(g(x), 24.0 * np.eye(3))
    assert "A_bar = 2.0 * np.einsum('ii', A) * np.eye(3)" in [line.strip() for line in g.source.splitlines()], \
        g.source


def test_einsum_keeps_optimize_in_the_product_and_its_adjoints():
    g = symdiff.grad(cases.chain_optimized, wrt=(0, 1, 2))
    g(*draw([(2, 3), (3, 4), (4, 2)]))
    lines = [line.strip() for line in g.source.splitlines()]
    assert "A_bar = np.einsum('il,jk,kl->ij', a_bar, B, C, optimize=True)" in lines, g.source
    assert sum("optimize=True" in line for line in lines) == 4, g.source


def test_constant_shape_expressions_are_folded_into_the_generated_code():
    (X,) = draw([(3, 4)])
    g = symdiff.value_and_grad(cases.flatten_by_arithmetic)
    assert np.isclose(g(X)[0], cases.flatten_by_arithmetic(X), rtol=1e-14, atol=0.0)
    assert "np.reshape(X, (12,))" in g.source and "np.reshape(X, 12)" in g.source, g.source


def _location(name: str, construct: str) -> str:
    lines = open(cases.__file__).read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}("))
    index = next(i for i in range(start, len(lines)) if lines[i].endswith("# <-"))
    return f"{cases.__file__}:{index + 1}:{lines[index].index(construct) + 1}"


@pytest.mark.parametrize("name,shapes,cls,construct,words", [
    ("misaligned_einsum", [(2, 3), (4, 5)], ShapeError, "np.einsum",
     ["einsum", "'j'", "length 3", "(4, 5)"]),
    ("einsum_output_letter_unknown", [(2, 3)], ShapeError, "np.einsum", ["einsum", "'k'", "output"]),
    ("einsum_without_subscripts", [(2, 3), (3, 4)], UnsupportedSyntaxError, "np.einsum",
     ["subscripts as a string", "labels"]),
    ("batch_axes_that_do_not_broadcast", [(2, 3, 4), (3, 4, 5)], ShapeError, "A @ B",
     ["matmul", "batch axes", "(2, 3, 4)", "(3, 4, 5)"]),
    ("shape_from_a_float", [(3,), ()], UnsupportedSyntaxError, "k))", ["parameter shape", "len(x)"]),
])
def test_what_stays_refused_is_a_located_error_saying_what_is_wrong(name, shapes, cls, construct, words):
    fun = getattr(cases, name)
    with pytest.raises(cls) as info:
        symdiff.grad(fun)(*draw(shapes))
    assert isinstance(info.value, SymdiffError)
    message = str(info.value)
    assert message.startswith(_location(name, construct) + ": "), message
    for word in words:
        assert word in message, (word, message)
