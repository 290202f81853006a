"""Functions calling the user's own functions, for test_calls.py; each with its derivative."""

import math

import numpy as np

from .call_helpers import shifted_square, sigmoid

SCALE = 2.0


def square(t):
    return t * t


def poly(x, a=1.0, *, b=3.0):
    return a * square(x) + b * x


def sin_cos(x):
    return math.sin(x), math.cos(x)


def keywords_defaults_and_tuples(x, y):
    u = poly(x, 2.0, b=y)
    s, c = sin_cos(x)
    return SCALE * u + s * c + poly(y)


def d_keywords_defaults_and_tuples(x, y):
    return (SCALE * (4 * x + y) + math.cos(2 * x), SCALE * x + 2 * y + 3.0)


def nested_def_and_lambda(x):
    k = 3.0

    def inner(t):
        return k * t + x

    sq = lambda t: t ** 2  # noqa: E731 - a lambda bound to a name, on purpose
    return inner(sq(x)) + sq(2.0)


def d_nested_def_and_lambda(x):
    return 6.0 * x + 1.0


def lambda_kept_through_a_branch(x):
    sq = lambda t: t * t  # noqa: E731 - bound before the if, called in it and after it
    if x > 0:
        y = sq(x)
    else:
        y = -x
    return sq(y)


def d_lambda_kept_through_a_branch(x):
    return 4.0 * x ** 3 if x > 0 else 2.0 * x


def make_scaled_exp(c):
    def scaled_exp(x):
        return c * math.exp(x)
    return scaled_exp


triple_exp = make_scaled_exp(3.0)


def calls_a_closure(x):
    return triple_exp(x) + x


def d_calls_a_closure(x):
    return 3.0 * math.exp(x) + 1.0


def imported_helpers(x):
    return shifted_square(x) + shifted_square(x, shift=2.0) + sigmoid(x)


def d_imported_helpers(x):
    s = 1.0 / (1.0 + math.exp(-x))
    return 2 * (x - 0.5) + 2 * (x - 2.0) + s * (1 - s)


def helper_in_a_branch(x):
    if x > 0:
        return square(x)
    return -square(x)


def d_helper_in_a_branch(x):
    return 2 * x if x > 0 else -2 * x


def logistic_loss(w, X, y):
    p = sigmoid(X @ w)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def d_logistic_loss(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ (p - y) / len(y)
