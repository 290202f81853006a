"""Array manipulation (primitives/shaping.py, primitives/compositions.py) in realistic code.

Each program of tests/cases/shaping_cases.py is differentiated in reverse mode and
compared with central differences of the original function, entry by entry, and
in forward mode, whose tangent along a random direction must be that directional
derivative too. Beside them: np.cumprod exact at zeros (against SymPy's closed form
and the product of the other factors), the generated code spelling the operations
as NumPy does, and the located errors for what is refused.
"""

import math

import numpy as np
import pytest

import symdiff
from symdiff.errors import ShapeError, SymdiffError

from .cases import shaping_cases as cases
from .support.helpers import module_from_text
from .test_arrays import central_differences

RTOL, ATOL = 1e-6, 1e-8


def _indices(fun, wrt):
    names = list(fun.__code__.co_varnames[:fun.__code__.co_argcount])
    return [names.index(n) for n in wrt]


IDS = [fun.__name__ for fun, _, _ in cases.CASES]


@pytest.mark.parametrize("fun,args,wrt", cases.CASES, ids=IDS)
def test_reverse_mode_agrees_with_central_differences(fun, args, wrt):
    grads = symdiff.grad(fun, wrt=wrt)(*args)
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, grad in zip(_indices(fun, wrt), grads, strict=True):
        estimate = central_differences(fun, args, i)
        assert np.shape(grad) == np.shape(args[i])
        assert np.allclose(grad, estimate, rtol=RTOL, atol=ATOL), (fun.__name__, i, grad, estimate)


@pytest.mark.parametrize("fun,args,wrt", cases.CASES, ids=IDS)
def test_forward_mode_gives_the_directional_derivative(fun, args, wrt):
    rng = np.random.default_rng(5)
    indices = _indices(fun, wrt)
    directions = [rng.normal(size=np.shape(args[i])) for i in indices]
    directions = [d if d.shape else float(d) for d in directions]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *directions)
    expected = sum(float(np.sum(central_differences(fun, args, i) * d))
                   for i, d in zip(indices, directions, strict=True))
    assert math.isclose(value, fun(*args), rel_tol=1e-12)
    assert math.isclose(tangent, expected, rel_tol=1e-6, abs_tol=1e-7), (fun.__name__, tangent, expected)


# ---------------------------------------------------------------- np.cumprod at zeros

def _others(x, i, j):
    """d cumprod(x)_j / d x_i: the product of x_0..x_j without x_i (0 for i > j)."""
    return math.prod(x[k] for k in range(j + 1) if k != i) if i <= j else 0.0


@pytest.mark.parametrize("x", [[0.5, 0.0, 2.0, -1.5], [0.0, 3.0, 0.0, 2.0], [1.5, -2.0, 0.0, 0.0],
                               [0.0, 0.0, 0.0, 1.0], [1.5, -2.0, 0.5, 3.0]])
def test_cumprod_gradient_is_exact_where_entries_are_zero(x):
    weights = np.array([0.3, -1.2, 0.7, 2.0])

    def running(x, c):
        return np.sum(np.cumprod(x) * c)

    grad = symdiff.grad(running)(np.array(x), weights)
    exact = [sum(weights[j] * _others(x, i, j) for j in range(4)) for i in range(4)]
    assert np.allclose(grad, exact, rtol=1e-14, atol=1e-15), (grad, exact)
    direction = np.array([0.25, -1.0, 2.0, 0.5])
    _, tangent = symdiff.jvp(running)(np.array(x), weights, direction)
    assert math.isclose(tangent, float(np.dot(exact, direction)), rel_tol=1e-13, abs_tol=1e-14)


def test_cumprod_along_an_axis_with_zeros_agrees_with_sympy():
    def survival(h):
        return np.sum(np.cumprod(1.0 - h, axis=1) * (np.arange(3.0) + 1.0))

    h = np.array([[1.0, 0.2, 0.5], [0.3, 1.0, 1.0]])  # zero, and two zeros, in a row's factors
    report = symdiff.verify(survival, args=(h,), points=2, seconds=None)
    assert report.reference == "SymPy" and report.max_error < 1e-12
    rows = [[sum(w * _others(list(1.0 - r), i, j) for j, w in enumerate((1.0, 2.0, 3.0))) for i in range(3)]
            for r in h]
    assert np.allclose(symdiff.grad(survival)(h), -np.array(rows), rtol=1e-14, atol=1e-15)


# ---------------------------------------------------------------- closed forms

def test_sort_gradient_follows_the_permutation():
    x = np.array([0.3, -1.0, 2.5, 0.7])
    w = np.array([1.0, 2.0, 3.0, 4.0])
    grad = symdiff.grad(cases.ordered_weighted_average)(x, w)
    # the largest entry (x[2]) gets w[0], the next (x[3]) w[1], ...
    assert np.array_equal(grad, np.array([3.0, 4.0, 1.0, 2.0]))


def test_tril_parameterisation_gradient_is_the_lower_triangle_of_the_chain_rule():
    def loss(W, A):
        L = np.tril(W)
        return np.sum((L @ L.T) * A)

    W, A = cases.RNG.normal(size=(3, 3)), cases.RNG.normal(size=(3, 3))
    L = np.tril(W)
    assert np.allclose(symdiff.grad(loss)(W, A), np.tril((A + A.T) @ L), rtol=1e-13, atol=1e-14)


def test_cross_product_gradients_are_cross_products():
    def torque_along(r, F, n):
        return np.sum(np.cross(r, F) * n)

    r, F, n = (cases.RNG.normal(size=3) for _ in range(3))
    dr, dF = symdiff.grad(torque_along, wrt=("r", "F"))(r, F, n)
    assert np.allclose(dr, np.cross(F, n), rtol=1e-13) and np.allclose(dF, np.cross(n, r), rtol=1e-13)


ORDERING = {cases.trimmed_mean, cases.ordered_weighted_average, cases.sorted_columns, cases.sort_flattened}


@pytest.mark.parametrize("fun,args,wrt", cases.CASES, ids=IDS)
def test_programs_agree_with_sympy_or_say_why_not(fun, args, wrt):
    report = symdiff.verify(fun, wrt=wrt, args=args, points=1, seconds=None)
    if fun in ORDERING:  # SymPy cannot order symbols: 30-digit differences, and the report says so
        assert report.reference == "finite differences" and "np.sort" in report.notes[0], report
    else:
        assert report.reference == "SymPy", report
    assert report.max_error < 1e-8, report


def test_a_maximum_of_a_whole_array_has_a_closed_form():
    # np.max's SymPy meaning is one expression, not an array of none dimensions
    def peak(X):
        return np.maximum(np.max(X), 0.5) * 2.0

    report = symdiff.verify(peak, args=(np.array([[1.0, 2.0], [0.3, 0.1]]),), points=2, seconds=None)
    assert report.reference == "SymPy" and report.max_error < 1e-12


# ---------------------------------------------------------------- second order

def cumprod_squares(x):
    return np.sum(np.cumprod(x) ** 2)


def edge_padded_cubes(x):
    return np.sum(np.pad(x, (2, 1), mode="edge") ** 3)


def uneven_cubes(x):
    return np.sum(np.repeat(x, [1, 2, 3]) ** 3)


def off_diagonal_trace(x):
    return np.trace(np.outer(x, x)[:, :2], offset=-1) ** 2


def sorted_cubes(x):
    return np.sum(np.sort(x) ** 3 * np.arange(3.0))


@pytest.mark.parametrize("fun", [cumprod_squares, edge_padded_cubes, uneven_cubes, off_diagonal_trace,
                                 sorted_cubes])
def test_the_rules_differentiate_again(fun):
    # the Hessian is the gradient's Jacobian: central differences of symdiff's gradient
    x = np.array([0.5, -1.2, 2.0])
    gradient = symdiff.grad(fun)
    columns = [central_differences(lambda y: gradient(y)[i], [x], 0) for i in range(3)]
    assert np.allclose(symdiff.hessian(fun)(x), np.array(columns), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- the generated code

def test_generated_code_spells_the_operations_as_numpy_does():
    rolled = symdiff.grad(cases.cyclic_shift_loss)
    rolled(np.ones(5), np.ones(5))
    assert "np.roll(" in rolled.source, rolled.source
    tiled = symdiff.grad(tiled_cube)
    tiled(np.ones((2, 3)))
    assert "np.tile(x, reps=(2, 1))" in tiled.source, tiled.source


def tiled_cube(x):
    return np.sum(np.tile(x, (2, 1)) ** 3)


# ---------------------------------------------------------------- refusals

REFUSED = {
    "np.diff(x, prepend=0.0)": "leave prepend out",
    "np.sort(x, kind='stable')": "kind",
    "np.pad(x, 1, mode='maximum')": "mode",
    "np.pad(x, 5, mode='reflect')": "pad in steps",
    "np.pad(x, 1, mode='edge', constant_values=1.0)": "mode 'constant' only",
    "np.repeat(x, [1, 0, 2])": "below 1",
    "x.astype(int)": "dtype",
    "np.take(x, 1, mode='clip')": "mode",
    "np.clip(x, None, None)": "not None",
    "np.clip(x, lo=0.0, hi=1.0)": "a_min=",
    "np.std(x, ddof=3)": "ddof=3",
    "np.tril(x)": "matrix",
    "np.linspace(x, x + 1.0, 4)": "number start and stop",
    "np.cross(x[:2], x[1:])": "3-vectors",
}


@pytest.mark.parametrize("call", sorted(REFUSED))
def test_refused_calls_are_located_and_say_what_to_do(tmp_path, call):
    module = module_from_text(tmp_path, "refused", f"""
        import numpy as np

        def f(x):
            return np.sum({call})
        """)
    with pytest.raises(SymdiffError) as caught:
        symdiff.grad(module.f)(np.array([0.5, -1.0, 2.0]))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'refused.py'}:5:"), message
    assert REFUSED[call] in message, message


def test_sort_method_is_refused_because_it_sorts_in_place(tmp_path):
    module = module_from_text(tmp_path, "in_place", """
        import numpy as np

        def f(x):
            return np.sum(x.sort())
        """)
    with pytest.raises(SymdiffError, match=r"in_place.py:5:\d+: x.sort\(\) sorts x in place.*np.sort\(x\)"):
        symdiff.grad(module.f)(np.array([0.5, -1.0, 2.0]))


def test_a_shape_that_does_not_fit_is_a_located_shape_error(tmp_path):
    module = module_from_text(tmp_path, "shapes", """
        import numpy as np

        def f(x):
            return np.sum(np.squeeze(x, axis=0))
        """)
    with pytest.raises(ShapeError, match=r"shapes.py:5:\d+: np.squeeze: .*length 1"):
        symdiff.grad(module.f)(np.ones((2, 3)))
