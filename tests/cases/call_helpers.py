"""Helpers in another module, called by call_cases.py."""

import numpy as np

OFFSET = 0.5


def shifted_square(t, shift=OFFSET):
    return (t - shift) ** 2


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))
