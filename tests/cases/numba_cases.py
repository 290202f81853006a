"""Functions for compile="numba" (backend/jit.py): a loop's tape of numbers and of pairs,
a helper called by name, slices, a pick at an index array that repeats an entry, NumPy
by its own name, a method, a dict of arrays, and one that Numba cannot compile
(np.tensordot). Nested loops over pairs are inplace_cases.pair_energy."""

import math

import numpy
import numpy as np


def recurrence(x, y, n):
    for i in range(n):
        x = x - 0.01 * math.sin(x) * y
    return x


def two_carried(x, y):
    a, b = x, y
    for k in range(6):
        a, b = a * math.cos(b) + 0.1 * k, b + 0.3 * math.sin(a)
    return a * b


def stepped(x):
    s = 0.0
    for k in range(1, 9, 3):
        s = s + math.sin(x * k) * x
    return s


def _bump(t, w):
    return 0.1 * math.tanh(w * t) + t


def calls_a_helper(x, y):
    z = x
    for _ in range(3):
        z = _bump(z, y)
    return _bump(z, x) * y


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def picked(x, idx):
    return np.sum(np.sin(x[idx]) * x[idx])


def picked_unaliased(x, idx):  # (NumPy by its own name: the rewritten helpers call it so)
    return numpy.sum(numpy.sin(x[idx]) * x[idx])


def stacked_unaliased(x, y):
    s = numpy.stack([x * y, x + y, x])
    return numpy.sum(s * s)


def contracted(A, B):
    return np.sum(np.sin(np.tensordot(A, B, axes=1)))


class Decay:
    rate = 0.5

    def loss(self, x):
        return math.exp(-self.rate * x) * x


def of_a_dict(p, x):
    return np.sum(np.tanh(p["W"] @ x))
