"""The lecture notes' worked examples (/work/shared/lecture-notes), each checked twice.

Every example's gradient must agree with SymPy's derivative of the same function
(sympy_reference.py) and with the formula the lecture derives by hand, typed
here as the lecture writes it. Where the OCR'd notes are wrong SymPy wins and
the comment says so: the chain-rule slide of deck 003 gives
d/dx ln(x^2) = (1/x^2) 2x = 1/x, but it is 2/x.

Besides the gradients: the Wengert list of deck 000's example prints exactly as
on the slide, the intermediate variables u1, u2, u3 of deck 003 keep their
names, and deck 000's first-order Taylor exercise for (x-2)^2 + 3 comes out as
in the notes, with a remainder that shrinks like h^2.
"""

import math

import pytest

import symdiff

from .support.examples_loader import load_example

from .support.sympy_reference import parameter_names, reference_gradient

RTOL = 1e-9


def assert_close(actual, expected, what, rtol=RTOL):
    # NaN on either side fails: NaN <= tol is False.
    error = abs(float(actual) - float(expected))
    assert error <= rtol * max(1.0, abs(float(expected))), (
        f"{what}: got {actual!r}, expected {expected!r} (error {error:.2e})")


# ------------------------------------------------------------ the examples
# The worked examples live in examples/lecture.py (the file the CLI quickstart
# uses); it is loaded here by path, since examples/ is not a package.

lecture = load_example("lecture")
f, product, neuron, sigmoid = lecture.f, lecture.product, lecture.neuron, lecture.sigmoid
quadratic_times_linear, linear_plus_square = lecture.quadratic_times_linear, lecture.linear_plus_square
log_of_square, cubed_quadratic = lecture.log_of_square, lecture.cubed_quadratic
log_sin_cube_squared, x_exp_x_squared = lecture.log_sin_cube_squared, lecture.x_exp_x_squared
shifted_parabola, sigma = lecture.shifted_parabola, lecture.sigmoid


def _f_by_hand(x):
    # a = x^2, b = e^a, c = a + b: f' = (1/(2 sqrt c) - sin c) (2x + 2x e^{x^2}).
    c = x**2 + math.exp(x**2)
    return (1 / (2 * math.sqrt(c)) - math.sin(c)) * (2 * x + 2 * x * math.exp(x**2))


def _neuron_by_hand(w0, x0, w1, x1, w2):
    s = sigma(w0 * x0 + w1 * x1 + w2)
    ds = s * (1 - s)  # sigma' = sigma (1 - sigma)
    return (ds * x0, ds * w0, ds * x1, ds * w1, ds)


# (function, wrt, the lecture's gradient formula, points)
EXAMPLES = [
    (f, "x", lambda x: (_f_by_hand(x),), [(0.7,), (-1.3,), (0.1,), (2.0,)]),
    (product, ("x", "y", "z"), lambda x, y, z: (z, z, x + y),
     [(-2.0, 5.0, -4.0), (0.5, 1.5, 3.0), (1.25, -0.75, 0.1)]),
    (neuron, ("w0", "x0", "w1", "x1", "w2"), _neuron_by_hand,
     [(2.0, -1.0, -3.0, -2.0, -3.0), (0.5, 1.5, -0.25, 2.0, 0.1), (-1.0, 0.3, 0.7, -0.2, 1.5)]),
    (sigmoid, "x", lambda x: (sigma(x) * (1 - sigma(x)),),
     [(-3.0,), (-0.5,), (0.0,), (1.0,), (4.0,)]),
    (quadratic_times_linear, ("x", "y"), lambda x, y: (6 * x * (2 * y + 7), 6 * x**2),
     [(1.0, 2.0), (-0.5, 0.3), (2.5, -4.0)]),
    (linear_plus_square, ("x", "y"), lambda x, y: (4, 2 * y),
     [(1.0, 2.0), (-0.5, 0.3), (2.5, -4.0)]),
    # The slide says (1/x^2) 2x = 1/x; the derivative is 2/x (SymPy agrees).
    (log_of_square, "x", lambda x: (2 / x,), [(0.5,), (1.0,), (3.0,), (-2.0,)]),
    (cubed_quadratic, "x", lambda x: (12 * x * (x**2 + 9) ** 2,), [(0.5,), (-1.0,), (2.0,)]),
    (log_sin_cube_squared, "x",
     lambda x: (6 * x**2 * math.cos(x**3) / math.sin(x**3),), [(0.5,), (1.0,), (1.3,), (-0.8,)]),
    (x_exp_x_squared, "x", lambda x: (math.exp(x**2) * (1 + 2 * x**2),),
     [(0.5,), (-1.0,), (1.5,), (0.0,)]),
    (shifted_parabola, "x", lambda x: (2 * (x - 2),), [(1.0,), (1.1,), (2.0,), (-3.0,)]),
]
IDS = [example[0].__name__ for example in EXAMPLES]


def gradient_tuple(fun, wrt, point):
    result = symdiff.grad(fun, wrt=wrt)(*point)
    return result if isinstance(wrt, tuple) else (result,)


def wrt_names(wrt):
    return wrt if isinstance(wrt, tuple) else (wrt,)


@pytest.mark.parametrize("fun, wrt, by_hand, points", EXAMPLES, ids=IDS)
def test_lecture_gradient_matches_sympy(fun, wrt, by_hand, points):
    for point in points:
        exact = reference_gradient(fun, wrt_names(wrt), point)
        ours = gradient_tuple(fun, wrt, point)
        for name, mine, ref in zip(wrt_names(wrt), ours, exact, strict=True):
            assert_close(mine, ref, f"d{fun.__name__}/d{name} at {point} vs SymPy")


@pytest.mark.parametrize("fun, wrt, by_hand, points", EXAMPLES, ids=IDS)
def test_lecture_gradient_matches_hand_derived_formula(fun, wrt, by_hand, points):
    for point in points:
        expected = by_hand(*point)
        ours = gradient_tuple(fun, wrt, point)
        assert len(ours) == len(expected) == len(wrt_names(wrt))
        for name, mine, formula in zip(wrt_names(wrt), ours, expected, strict=True):
            assert_close(mine, formula, f"d{fun.__name__}/d{name} at {point} vs the lecture")


def test_examples_cover_every_parameter():
    # Each example differentiates all of its parameters, as the slides do.
    for fun, wrt, _, _ in EXAMPLES:
        assert set(wrt_names(wrt)) == set(parameter_names(fun)), fun.__name__


# ------------------------------------------------------ deck 000: Wengert list

def test_wengert_example_gradient_at_0_7():
    assert_close(symdiff.grad(f)(0.7), -1.874001704964713, "f'(0.7)", rtol=1e-14)


def test_wengert_example_lowers_to_the_lecture_list():
    lowered = str(symdiff.grad(f).lowered)
    assert lowered == "a = x**2\nb = exp(a)\nc = a + b\nd = sqrt(c)\ne = cos(c)\nf = d + e"


def test_intermediate_variables_keep_the_lecture_names():
    assert str(symdiff.grad(x_exp_x_squared).lowered) == "u1 = x**2\nu2 = exp(u1)\nu3 = x * u2"


# ----------------------------------------------- deck 003: the Jacobian of [f, g]

def test_jacobian_rows_are_the_gradients_of_f_and_g():
    x, y = 1.5, -2.0
    jacobian = [symdiff.grad(quadratic_times_linear, wrt=("x", "y"))(x, y),
                symdiff.grad(linear_plus_square, wrt=("x", "y"))(x, y)]
    assert jacobian == [(6 * x * (2 * y + 7), 6 * x**2), (4.0, 2 * y)]


# ----------------------------------------------- deck 000: first-order Taylor

def test_taylor_approximation_of_shifted_parabola_at_1_1():
    value, slope = symdiff.value_and_grad(shifted_parabola)(1.0)
    assert (value, slope) == (4.0, -2.0)
    approximation = value + slope * (1.1 - 1.0)
    assert_close(approximation, 3.8, "f(1) + f'(1) (1.1 - 1)", rtol=1e-15)
    assert_close(shifted_parabola(1.1), 3.81, "f(1.1)", rtol=1e-15)
    assert_close(shifted_parabola(1.1) - approximation, 0.01, "approximation error", rtol=1e-14)


def test_taylor_remainder_shrinks_like_h_squared():
    value, slope = symdiff.value_and_grad(shifted_parabola)(1.0)
    steps = [0.1 / 2**k for k in range(8)]
    remainders = [abs(shifted_parabola(1 + h) - value - h * slope) for h in steps]
    # f'' = 2, so the remainder is f''/2 h^2 = h^2: halving h divides it by 4.
    for h, remainder in zip(steps, remainders, strict=True):
        assert_close(remainder / h**2, 1.0, f"remainder / h^2 at h={h}", rtol=1e-6)
    for big, small in zip(remainders, remainders[1:]):
        assert_close(big / small, 4.0, "remainder(h) / remainder(h/2)", rtol=1e-6)


# ---------------------------------------------------- sigmoid' = sigma (1 - sigma)

@pytest.mark.parametrize("t", [-6.0, -2.5, -0.3, 0.0, 0.8, 3.0, 7.5])
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(t):
    value, slope = symdiff.value_and_grad(sigmoid)(t)
    assert_close(value, sigma(t), f"sigma({t})", rtol=1e-15)
    assert_close(slope, value * (1 - value), f"sigma'({t}) vs sigma (1 - sigma)", rtol=1e-12)
