"""Functions at their singular points and kinks, for test_singular_points.py."""

import math

import numpy as np


def root(x):
    return math.sqrt(x)


def np_root(x):
    return np.sum(np.sqrt(x))


def root_of_square(x):
    return math.sqrt(x ** 2)


def np_root_of_square(x):
    return np.sum(np.sqrt(x * x))


def norm(x):
    return np.linalg.norm(x)


def norm_squared(x):
    return np.linalg.norm(x) ** 2


def absolute(x):
    return abs(x)


def larger(x, y):
    return max(x, y)


def np_larger(x, y):
    return np.sum(np.maximum(x, y))


def smaller(x, y):
    return min(x, y)


def relu_difference(x):
    return max(x, 0.0) - max(-x, 0.0)


def cube(x):
    return x ** 3


def power_two_and_a_half(x):
    return x ** 2.5


def power_one_half(x):
    return x ** 0.5


def np_power_one_half(x):
    return np.sum(x ** 0.5)


def power(x, y):
    return x ** y


def np_power(x, y):
    return np.sum(x ** y)


def log_sum_exp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def where_sqrt(x):
    return np.sum(np.where(x > 0.0, np.sqrt(x), 0.0))


def where_log(p, y):
    return -np.sum(np.where(y > 0.0, y * np.log(p), 0.0))


def where_reciprocal(x):
    return np.sum(np.where(x != 0.0, 1.0 / x, 0.0))


def log1p(x):
    return math.log1p(x)


def expm1(x):
    return math.expm1(x)


def softplus(x):
    return math.log1p(math.exp(x))


def np_power_of_zero(x, y):
    return np.power(x, y)


def spread(x):
    return np.std(x)


def spread_of_columns(x):
    return np.sum(np.std(x, axis=0))


def sample_spread(x):
    return np.std(x, ddof=1) + np.sum(np.var(x, axis=1, ddof=1))
