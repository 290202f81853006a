"""Functions with branches for test_branches.py: each with its derivative written by hand."""

import math

import numpy as np

SCALE = 3.0


def sqrt_or_negate(x):
    if x > 0:
        return math.sqrt(x)
    return -x


def d_sqrt_or_negate(x):
    return 0.5 / math.sqrt(x) if x > 0 else -1.0


def three_way(x, y):
    if x > y:
        z = x * y
        w = 2.0
    elif x > 0:
        z = x
        w = 3.0
    else:
        z = math.sin(y)
        w = 1.0
    return z * w


def d_three_way(x, y):
    if x > y:
        return 2.0 * y, 2.0 * x
    if x > 0:
        return 3.0, 0.0
    return 0.0, math.cos(y)


def chained_and_not(x):
    y = x * 2 if 0 < x < 1 else x ** 2
    c = x > 0 and not x > 3
    return y + float(c) * x


def d_chained_and_not(x):
    return (2.0 if 0 < x < 1 else 2 * x) + (1.0 if 0 < x <= 3 else 0.0)


def short_circuit(x):
    if x > 0 and math.log(x) > 1:
        return x
    return 2 * x


def d_short_circuit(x):
    return 1.0 if x > 0 and math.log(x) > 1 else 2.0


def value_or(x, y):
    u = (x - 1.0) or y   # Python's or: the first truthy value
    return u * x


def d_value_or(x, y):
    return (2 * x - 1.0, 0.0) if x != 1.0 else (y, x)


def nested_returns(x, y):
    if x > 0:
        if y > 0:
            return x * y
        t = x + y
    else:
        t = x - y
    return t * t


def d_nested_returns(x, y):
    if x > 0 and y > 0:
        return y, x
    t, sign = (x + y, 1.0) if x > 0 else (x - y, -1.0)
    return 2 * t, sign * 2 * t


def only_in_a_branch(x, y):
    if x > 1.0:
        x = x * y
    return SCALE * x


def d_only_in_a_branch(x, y):
    return (SCALE * y, SCALE * x) if x > 1.0 else (SCALE, 0.0)


def static_condition(x):
    if 2 > 1:
        return x * x
    return math.log(x)


def d_static_condition(x):
    return 2 * x


def array_branch(w):
    s = np.sum(w)
    if s > 0:
        return np.sum(w ** 2)
    return -s


def d_array_branch(w):
    return 2 * w if np.sum(w) > 0 else -np.ones_like(w)


def array_condition(w):
    if w > 0:  # <-
        return np.sum(w)
    return 0.0
