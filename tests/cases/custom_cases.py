"""Functions with custom derivative rules, for test_custom.py."""

import math

import numpy as np

import symdiff


def d_softplus(x):
    return 1.0 / (1.0 + math.exp(-x))


@symdiff.custom_derivative(d_softplus)
def softplus(x):
    # stable where log1p(exp(x)) overflows; its source is never differentiated
    return x + math.log1p(math.exp(-x)) if x > 0.0 else math.log1p(math.exp(x))


def smooth_hinge(x, y):
    return softplus(1.0 - x * y) + 0.5 * x * x


@symdiff.custom_derivative(lambda x, y: y * np.cos(x * y), lambda x, y: x * np.cos(x * y))
def sine_of_product(x, y):
    return np.sin(x * y)


def opaque_energy(W, v):
    return np.sum(sine_of_product(W, v) ** 2)


def d_sinc(x):
    return np.where(x == 0.0, 0.0, (np.cos(np.pi * x) - np.sinc(x)) / np.where(x == 0.0, 1.0, x))


def uses_sinc(x):
    return np.sum(np.sinc(x) * x)


@symdiff.custom_derivative(d_softplus)
def two_arguments(x, y):
    return softplus(x) * y


def calls_two_arguments(x, y):
    return two_arguments(x, y)


def hinge_loss(x, y):
    # the README's rule, written with math.* and a branch, inside a loss of arrays
    return np.sum(smooth_hinge(x, y))


def d_sinc_by_cases(x):
    # np.sinc's derivative written for numbers: math.* and a branch
    if x == 0.0:
        return 0.0
    return (math.cos(math.pi * x) - math.sin(math.pi * x) / (math.pi * x)) / x
