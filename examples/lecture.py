"""Worked examples from the lecture notes, ready for the symdiff CLI.

    symdiff examples/lecture.py:f            # the generated gradient code
    symdiff examples/lecture.py:f --show lowered
    symdiff examples/lecture.py:neuron --wrt w0,w1,w2 --check

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
