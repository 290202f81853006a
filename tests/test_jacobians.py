"""`symdiff.vjp`, `symdiff.jacobian` and `symdiff.hessian` (jacobians.py): against
SymPy's `Matrix.jacobian` and `hessian` of the same function objects, analytic
matrices, and each other (forward and reverse mode give the same Jacobian)."""

import math

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff.jacobians import choose_mode

from .support.sympy_reference import parameter_names, sympy_version


def polar(r, t):
    return r * math.cos(t), r * math.sin(t)


def spherical(r, t, p):
    return r * math.sin(t) * math.cos(p), r * math.sin(t) * math.sin(p), r * math.cos(t)


def curve(t):
    return math.cos(t), math.sin(t), t * t


def energy(x, y, z):
    return math.exp(-x * x) * y + math.sin(y * z) + z ** 3


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def layer(W, x):
    return np.tanh(W @ x)


def quadratic(x, A):
    return 0.5 * x @ A @ x + np.sum(np.sin(x))


def _sympy_matrix(f):
    symbols = tuple(sp.Symbol(n, real=True) for n in parameter_names(f))
    value = sympy_version(f)(*symbols)
    rows = value if isinstance(value, tuple) else (value,)
    return symbols, sp.Matrix(rows)


def _at(expr, symbols, point) -> float:
    return float(expr.subs(dict(zip(symbols, point, strict=True))).evalf(30))


@pytest.mark.parametrize("fun, point", [(polar, (2.0, 0.3)), (spherical, (1.5, 0.7, -0.4)),
                                        (curve, (0.9,)), (energy, (0.3, -0.8, 1.1))],
                         ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("mode", [None, "forward", "reverse"])
def test_jacobian_matches_sympy(fun, point, mode):
    names = parameter_names(fun)
    symbols, matrix = _sympy_matrix(fun)
    expected = matrix.jacobian(symbols)
    got = symdiff.jacobian(fun, wrt=names, mode=mode)(*point)
    rows = got if isinstance(fun(*point), tuple) else (got,)
    for i, row in enumerate(rows):
        for j, entry in enumerate(row):
            exact = _at(expected[i, j], symbols, point)
            assert isinstance(entry, float) and abs(entry - exact) <= 1e-12 * max(1.0, abs(exact)), (i, j)


def test_the_mode_follows_the_sizes():
    assert choose_mode([1], [3]) == "forward"  # one input, three outputs: one jvp call
    assert choose_mode([3], [1]) == "reverse"  # three inputs, one output: one vjp call
    assert choose_mode([2], [2]) == "reverse"


def test_array_jacobians_have_jax_shapes():
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(3, 2)), rng.normal(size=2)
    by_x = symdiff.jacobian(layer, wrt="x")(W, x)
    slope = 1.0 - np.tanh(W @ x) ** 2
    assert by_x.shape == (3, 2)
    np.testing.assert_allclose(by_x, slope[:, None] * W, rtol=1e-12)
    by_w, by_x_again = symdiff.jacobian(layer, wrt=("W", "x"), mode="forward")(W, x)
    assert by_w.shape == (3, 3, 2)
    np.testing.assert_allclose(by_w, np.einsum("i,ij,k->ijk", slope, np.eye(3), x), rtol=1e-12)
    np.testing.assert_allclose(by_x_again, by_x, rtol=1e-12)
    np.testing.assert_allclose(symdiff.jacobian(layer, wrt="x", mode="reverse")(W, x), by_x, rtol=1e-12)


def test_vjp_takes_a_cotangent_per_result():
    value, (r_bar, t_bar) = symdiff.vjp(polar, wrt=("r", "t"))(2.0, 0.3, 1.0, 0.5)
    assert value == polar(2.0, 0.3)
    assert math.isclose(r_bar, math.cos(0.3) + 0.5 * math.sin(0.3), rel_tol=1e-15)
    assert math.isclose(t_bar, -2.0 * math.sin(0.3) + 0.5 * 2.0 * math.cos(0.3), rel_tol=1e-15)
    rng = np.random.default_rng(1)
    W, x, y_bar = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=3)
    value, x_bar = symdiff.vjp(layer, wrt="x")(W, x, y_bar)
    np.testing.assert_allclose(x_bar, W.T @ (y_bar * (1.0 - np.tanh(W @ x) ** 2)), rtol=1e-12)


@pytest.mark.parametrize("point", [(1.0, 1.0), (-0.5, 0.8)])
def test_hessian_matches_sympy(point):
    symbols, matrix = _sympy_matrix(rosenbrock)
    expected = sp.hessian(matrix[0], symbols)
    got = symdiff.hessian(rosenbrock, wrt=("x", "y"))(*point)
    for i in range(2):
        for j in range(2):
            exact = _at(expected[i, j], symbols, point)
            assert abs(got[i][j] - exact) <= 1e-10 * max(1.0, abs(exact)), (i, j, got[i][j], exact)


def test_hessian_of_array_code_for_each_shape():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.3, -0.2])
    np.testing.assert_allclose(symdiff.hessian(quadratic)(x, A), A - np.diag(np.sin(x)), rtol=1e-12)
    x3 = np.full(3, 0.1)
    np.testing.assert_allclose(symdiff.hessian(quadratic)(x3, np.eye(3)), np.eye(3) * (1.0 - math.sin(0.1)),
                               rtol=1e-12)


def test_third_derivatives_and_mixed_partials():
    third = symdiff.grad(symdiff.grad(symdiff.grad(energy, wrt="z"), wrt="z"), wrt="z")
    assert math.isclose(third(0.3, -0.8, 1.1), 6.0 - (-0.8) ** 3 * math.cos(-0.8 * 1.1), rel_tol=1e-12)
    mixed = symdiff.grad(symdiff.grad(energy, wrt="y"), wrt="x")  # d2 E / dx dy
    assert math.isclose(mixed(0.3, -0.8, 1.1), -2 * 0.3 * math.exp(-0.09), rel_tol=1e-12)


def shift(x, y):
    return x + y


def product(x, y):
    return x * y


d_shift_dy = symdiff.grad(shift, wrt="y")
d_product_dy = symdiff.grad(product, wrt="y")


def outer_shift(x):
    return x * d_shift_dy(x, 1.0)  # x * d/dy (x + y) = x


def outer_product(x):
    return x * d_product_dy(x, 2.0)  # x * d/dy (x y) = x * x


def test_nested_derivatives_keep_their_variables_apart():
    # Siskind and Pearlmutter's perturbation confusion: d/dx [x * d/dy (x + y)] is 1, not 2
    assert symdiff.grad(outer_shift)(3.0) == 1.0
    assert symdiff.jvp(outer_shift)(3.0, 1.0) == (3.0, 1.0)
    assert symdiff.grad(outer_product)(3.0) == 6.0
    assert symdiff.jvp(outer_product)(3.0, 1.0) == (9.0, 6.0)


def sine_sum(x):
    return np.sum(np.sin(x) * x)


sine_sum_grad = symdiff.grad(sine_sum)


def calls_the_array_gradient(x):
    return np.sum(sine_sum_grad(x) ** 2)


def test_derivatives_of_array_gradient_code_per_shape():
    x = np.array([0.3, -0.5])
    value, column = symdiff.jvp(sine_sum_grad)(x, np.array([1.0, 0.0]))
    np.testing.assert_allclose(value, np.sin(x) + x * np.cos(x), rtol=1e-14)
    np.testing.assert_allclose(column, [2 * math.cos(0.3) - 0.3 * math.sin(0.3), 0.0], rtol=1e-14)
    with pytest.raises(symdiff.UnknownFunctionError) as info:
        symdiff.grad(calls_the_array_gradient)(x)
    assert "sine_sum_grad is a derivative symdiff generates per argument shape" in str(info.value)
    assert str(info.value).startswith(f"{__file__}:")


def iterated_sine(x, n):
    y = x
    for i in range(n):
        y = math.sin(y) * x
    return y


def recurrent_energy(W, x, n):
    h = x
    for i in range(n):
        h = np.tanh(W @ h)
    return np.sum(h ** 2)


def test_hessians_of_functions_with_loops_use_forward_over_forward_mode():
    # the gradient code's tape is not differentiated again: jvp(jvp(f)) instead
    gradient = symdiff.grad(iterated_sine)
    h = 1e-5
    numeric = (gradient(0.7 + h, 3) - gradient(0.7 - h, 3)) / (2 * h)
    assert math.isclose(symdiff.hessian(iterated_sine)(0.7, 3), numeric, rel_tol=1e-8)
    W, x = np.array([[0.4, -0.3], [0.2, 0.6]]), np.array([0.3, -0.4])
    got = symdiff.hessian(recurrent_energy, wrt="x")(W, x, 3)
    by_x = symdiff.grad(recurrent_energy, wrt="x")
    numeric = np.array([(by_x(W, x + h * e, 3) - by_x(W, x - h * e, 3)) / (2 * h) for e in np.eye(2)]).T
    np.testing.assert_allclose(got, numeric, rtol=1e-7)
    np.testing.assert_allclose(got, got.T, rtol=1e-12)
