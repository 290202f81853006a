"""np.linalg: gradients and tangents of tests/cases/linalg_cases.py against central
differences, the printed form of functions returning several values (one call, one
tuple assignment), SymPy's closed form of det and inv, and the located refusals.

The rows themselves are checked one by one in test_every_row.py (symmetric positive
definite and well-conditioned examples, "spd" and "square").
"""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy

import symdiff
from symdiff.primitives import LIBRARY

from .cases import linalg_cases
from .support import surface

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")
CASES = linalg_cases.CASES


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gradient_matches_central_differences(case):
    args = case.arguments()
    problem = surface.reverse_problem(case, args, surface.gradients(case, args))
    assert problem is None, f"{case.name}: {problem}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_tangent_matches_central_differences_and_the_gradient(case):
    args = case.arguments()
    directions = surface.directions_for(case, args)
    result = surface.tangent(case, args, directions)
    assert surface.forward_problem(case, args, directions, result) is None
    expected = sum(surface.inner(g, d) for g, d in zip(surface.gradients(case, args), directions, strict=True))
    assert abs(result[1] - expected) <= 1e-9 * max(1.0, abs(expected)), (result[1], expected)


# ---------------------------------------------------------------- printed once

def eigh_both(a):
    w, v = np.linalg.eigh(a)
    return np.sum(np.sin(w)) + np.sum(v[:, 0] ** 4)


def slogdet_both(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign * logdet


def svd_values(a):
    return np.sum(np.linalg.svd(a, compute_uv=False) ** 3)


def test_a_call_returning_several_values_is_printed_once_as_a_tuple_assignment():
    a = np.diag([1.0, 2.0, 3.0]) + 0.1
    gradient = symdiff.grad(eigh_both)
    gradient(a)
    source = gradient.source
    assert source.count("np.linalg.eigh(") == 1, source
    assert re.search(r"^\s+w, v = np\.linalg\.eigh\(a\)$", source, re.M), source
    forward = symdiff.jvp(eigh_both)
    value, tangent = forward(a, np.eye(3))
    assert forward.source.count("np.linalg.eigh(") == 1, forward.source
    assert np.isclose(value, eigh_both(a)) and np.isfinite(tangent)


def _source(fun, *args) -> str:
    gradient = symdiff.grad(fun)
    gradient(*args)
    return gradient.source


def test_a_value_nothing_reads_is_printed_as_underscore():
    a = np.diag([1.0, 2.0, 3.0]) + 0.1
    # the gradient of sign * logdet reads the sign alone; the value both
    assert re.search(r"^\s+sign, _ = np\.linalg\.slogdet\(a\)$", _source(slogdet_both, a), re.M)
    both = symdiff.value_and_grad(slogdet_both)
    both(a)
    assert re.search(r"^\s+sign, logdet = np\.linalg\.slogdet\(a\)$", both.source, re.M), both.source
    value_only = _source(linalg_cases.eigvalsh_lower, a)
    assert "np.linalg.eigvalsh(a)" in value_only, value_only
    svd = _source(svd_values, a[:, :2])
    # compute_uv=False: the values are read from the one svd whose vectors their adjoint needs
    assert svd.count("np.linalg.svd(") == 1, svd
    assert re.search(r"^\s+\w+, \w+, \w+ = np\.linalg\.svd\(a, full_matrices=False\)$", svd, re.M), svd


def test_the_library_name_np_linalg_norm_is_the_lowered_call():
    assert LIBRARY[("numpy", "linalg.norm")] == ("linalg_norm", "numpy")


# ---------------------------------------------------------------- SymPy's closed form

def det3(a):
    return np.linalg.det(a)


def inverse_trace(a):
    return np.trace(np.linalg.inv(a))


@pytest.mark.parametrize("fun,closed", [
    (det3, lambda m: m.det()),
    (inverse_trace, lambda m: m.inv().trace()),
], ids=["det", "trace_of_inv"])
def test_gradient_is_sympys_derivative_of_the_closed_form(fun, closed):
    symbols = sympy.Matrix(3, 3, lambda i, j: sympy.Symbol(f"a{i}{j}", real=True))
    expr = closed(symbols)
    point = np.random.default_rng(5).normal(size=(3, 3)) + 3 * np.eye(3)
    at = dict(zip(symbols, point.ravel(), strict=True))
    exact = np.array([[float(sympy.diff(expr, symbols[i, j]).subs(at)) for j in range(3)] for i in range(3)])
    assert np.allclose(symdiff.grad(fun)(point), exact, rtol=1e-10, atol=1e-12)


def test_verify_checks_det_against_sympy_entry_by_entry():
    report = symdiff.verify(det3, shapes={"a": (3, 3)}, points=2)
    assert report.reference == "SymPy" and report.points == 2


def test_verify_of_a_decomposition_compares_with_finite_differences():
    report = symdiff.verify(eigvals_sum_of_squares, shapes={"a": (2, 2)}, points=2)
    assert report.reference == "finite differences" and report.points == 2


def eigvals_sum_of_squares(a):
    return np.sum(np.linalg.eigvalsh(a) ** 3)


# ---------------------------------------------------------------- refused, with a location

def svd_full_tall(x):
    u, s, vt = np.linalg.svd(x)
    return np.sum(u)


def qr_wide(a):
    q, r = np.linalg.qr(a)
    return np.sum(r)


def qr_r_only(a):
    return np.sum(np.linalg.qr(a, mode="r"))


def lstsq_residuals(a, b):
    coef, residuals, rank, s = np.linalg.lstsq(a, b, rcond=None)
    return np.sum(residuals)


def lstsq_residuals_indexed(a, b):
    return np.sum(np.linalg.lstsq(a, b, rcond=None)[1])


def norm_zero(x):
    return np.linalg.norm(x, 0)


def norm_nuclear_of_vector(x):
    return np.linalg.norm(x, "nuc")


def norm_three_of_matrix(x):
    return np.linalg.norm(x, 3)


def power_of_float(a):
    return np.sum(np.linalg.matrix_power(a, 2.5))


def slogdet_out_of_range(a):
    return np.linalg.slogdet(a)[2]


def det_of_rectangle(a):
    return np.linalg.det(a)


def cholesky_upper(a):
    return np.sum(np.linalg.cholesky(a, upper=True))


REFUSED = [
    (svd_full_tall, (np.ones((3, 2)),), "pass full_matrices=False"),
    (qr_wide, (np.ones((2, 3)),), "wide 2 x 3 matrix"),
    (qr_r_only, (np.eye(3),), "mode='r' is not supported"),
    (lstsq_residuals, (np.ones((3, 2)), np.ones(3)), "only its solution"),
    (lstsq_residuals_indexed, (np.ones((3, 2)), np.ones(3)), "only its solution, [0]"),
    (norm_zero, (np.ones(3),), "ord=0 of a vector is not supported"),
    (norm_nuclear_of_vector, (np.ones(3),), "ord='nuc' is a matrix norm"),
    (norm_three_of_matrix, (np.ones((2, 2)),), "ord=3 of a matrix"),
    (power_of_float, (np.eye(2),), "the power must be an integer"),
    (slogdet_out_of_range, (np.eye(2),), "returns 2 values"),
    (det_of_rectangle, (np.ones((2, 3)),), "takes a square matrix"),
    (cholesky_upper, (np.eye(2),), "no parameter upper"),
]


@pytest.mark.parametrize("fun,args,words", REFUSED, ids=[f.__name__ for f, _, _ in REFUSED])
def test_refused_with_a_location_and_what_to_do(fun, args, words):
    with pytest.raises(symdiff.SymdiffError) as caught:
        symdiff.grad(fun)(*args)
    message = str(caught.value)
    located = LOCATED.match(message)
    assert located and Path(located["file"]).is_file(), message
    assert words in message, message


def test_at_repeated_eigenvalues_the_vectors_gradient_is_not_a_number_not_a_wrong_one():
    # F has 1 / (w_j - w_i): at a repeated eigenvalue the eigenvectors' derivative does not
    # exist, and the gradient says so (inf or NaN) rather than giving a finite number
    def vectors(a):
        w, v = np.linalg.eigh(a)
        return np.sum(v ** 3)

    with np.errstate(divide="ignore", invalid="ignore"):
        got = symdiff.grad(vectors)(np.eye(3))
    assert not np.all(np.isfinite(got)), got


# ---------------------------------------------------------------- second order

def eigvalsh_cubes(a):
    return np.sum(np.linalg.eigvalsh(a) ** 3)


def cholesky_cubes(a):
    return np.sum(np.linalg.cholesky(a) ** 3)


def qr_powers(a):
    q, r = np.linalg.qr(a)
    return np.sum(q ** 3) + np.sum(r ** 2)


@pytest.mark.parametrize("fun,shape", [(eigvalsh_cubes, (3, 3)), (cholesky_cubes, (3, 3)), (qr_powers, (3, 2))],
                         ids=["eigvalsh", "cholesky", "qr"])
def test_hessian_is_the_central_difference_of_the_gradient(fun, shape):
    # the rules are IR, so they are differentiated again like any code
    m = np.random.default_rng(4).normal(size=shape)
    a = m @ m.T + 3 * np.eye(3) if shape == (3, 3) else m
    gradient = symdiff.grad(fun)
    expected = np.empty(shape + shape)
    for index in np.ndindex(shape):
        step = np.zeros(shape)
        step[index] = 1e-5
        expected[index] = (gradient(a + step) - gradient(a - step)) / 2e-5
    assert np.allclose(symdiff.hessian(fun)(a), expected, rtol=1e-5, atol=1e-6)
