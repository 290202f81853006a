"""Helpers that functions of control_flow_corpus.py call from another module.

They are imported both by name (`from .control_flow_helpers import affine`) and
through the module (`from . import control_flow_helpers as cfh`), so symdiff
must resolve a call in the helper's own globals, not the caller's. Some
helpers branch, loop or call each other; `recursive_halving` must be refused,
with `# <-` on the line the error points at.
"""

import math

import numpy as np


def softplus(t):
    return math.log1p(math.exp(t))


def stable_softplus(t):
    # log(1 + e^t) without overflow: t + log(1 + e^-t) for t > 0.
    if t > 0.0:
        return t + math.log1p(math.exp(-t))
    return math.log1p(math.exp(t))


def affine(t, scale=2.0, shift=-0.5):
    return scale * t + shift


def logistic_loss(z):
    # A helper calling a helper: -log(sigmoid(z)) = softplus(-z).
    return softplus(-z)


def gaussian(t, mu=0.0, sigma=1.0):
    return np.exp(-0.5 * ((t - mu) / sigma) ** 2)


def two_layers(t, u):
    # Three levels deep: two_layers -> logistic_loss -> softplus.
    return logistic_loss(affine(t, scale=u)) + gaussian(u, sigma=2.0)


def power(t, n=3):
    p = 1.0
    for _ in range(n):
        p = p * t
    return p


def clipped(t, *, low=-1.0, high=1.0):
    if t < low:
        return low
    if t > high:
        return high
    return t


def steps_to_reach(t, target):
    # Doubles t until it exceeds target; returns the overshoot times the step count.
    k = 0
    while t < target:
        t = 2.0 * t + 0.25
        k += 1
    return (t - target) * k


def make_decay(rate):
    def decay(t):
        return math.exp(-rate * t)
    return decay


cube = lambda t: t * t * t  # noqa: E731 (a lambda bound to a module-level name)


def recursive_halving(t, k):
    if k <= 0:
        return t
    return recursive_halving(0.5 * t + 1.0, k - 1)  # <-
