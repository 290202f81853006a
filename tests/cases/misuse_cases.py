"""Functions for tests/test_misuse.py: each is fine, the calls the tests make of them are not."""

import math

import numpy as np

from .custom_cases import sine_of_product, softplus


def doubled(x):
    return x * 2.0


def sine(x):
    return np.sin(x)


def times(x, y):
    return x * y


def exp_of(x):
    return math.exp(x)


def powers(x, n):
    s = 0.0
    for k in range(n):
        s = s + x**k
    return s


def first_two(x):
    return x[0] * x[1]


def mean_of_doubled(x):
    return np.mean(x * 2)


def picked_twice(x):
    return np.sum(np.sin(x[[0, 2]])) + x[1]


def weighted(w, xs):
    s = 0.0
    for a in xs:
        s = s + math.tanh(w * a)
    return s


def refused_body(x, y):
    abs(x)
    return x * y


def not_a_check(name, kind, /, **arguments):
    return None


def looks_like_a_check(x):
    if type(x) is not float:
        not_a_check("looks_like_a_check", "numbers", x=x)
    return x * x


def doubled_softplus(x):
    return 2.0 * softplus(x)  # (the README's rule, written with math for numbers)


def doubled_sine_of_product(x, y):
    return 2.0 * sine_of_product(x, y)  # (a rule written with NumPy)
