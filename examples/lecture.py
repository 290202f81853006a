"""Worked examples from the lecture notes, ready for the symdiff CLI.

    symdiff examples/lecture.py:f            # the generated gradient code
    symdiff examples/lecture.py:f --show lowered
    symdiff examples/lecture.py:neuron --wrt w0,w1,w2 --check
    symdiff examples/lecture.py:x_exp_x_squared --show lowered,source
    symdiff explain examples/lecture.py:f --at x=0.7   # the derivation, with numbers

symdiff reads this file statically; it never imports or runs it.
"""

import math


def f(x):
    """The Wengert-list example: a = x**2, b = exp(a), c = a + b, ..."""
    return math.sqrt(x**2 + math.exp(x**2)) + math.cos(x**2 + math.exp(x**2))


def product(x, y, z):
    """f(x, y, z) = (x + y) z: q = x + y, f = q z."""
    return (x + y) * z


def neuron(w0, x0, w1, x1, w2):
    """A sigmoid neuron: sigma(w0 x0 + w1 x1 + w2)."""
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def gaussian_nll(x, m, s):
    """The Gaussian negative log-likelihood as a list of temporaries."""
    t0 = x - m
    t1 = t0 / s
    t2 = math.log(s)
    t3 = t1**2
    t4 = t2 + math.log(2 * math.pi) / 2
    t5 = t3 / 2
    return t4 + t5


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def quadratic_times_linear(x, y):
    """Deck 003: f(x, y) = 3x^2 (2y + 7), the first row of the Jacobian."""
    return 3 * x**2 * (2 * y + 7)


def linear_plus_square(x, y):
    """Deck 003: g(x, y) = 4x + y^2, the second row of the Jacobian."""
    return 4 * x + y**2


def log_of_square(x):
    """Deck 003, chain rule: ln(x^2)."""
    return math.log(x**2)


def cubed_quadratic(x):
    """Deck 003, chain rule with u = x^2 + 9: 2(x^2 + 9)^3."""
    return 2 * (x**2 + 9) ** 3


def log_sin_cube_squared(x):
    """Deck 003: y = ln(sin(x^3)^2), through u1 = x^3, u2 = sin(u1), u3 = u2^2."""
    return math.log(math.sin(x**3) ** 2)


def x_exp_x_squared(x):
    """Deck 003: y = x exp(x^2), written with the lecture's intermediate variables."""
    u1 = x**2
    u2 = math.exp(u1)
    u3 = x * u2
    return u3


def shifted_parabola(x):
    """Deck 000's Taylor exercise: f(x) = (x - 2)^2 + 3."""
    return (x - 2) ** 2 + 3
