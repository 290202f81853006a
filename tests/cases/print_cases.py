"""Functions that print as they go (a scientist's first debugging tool), for test_print.py."""

import math

import numpy as np


def prints_as_it_goes(x, y):
    a = x * y
    print("a =", a)
    for k in range(2):
        print(k, a)
        a = math.sin(a)
    return a


def prints_an_array(w):
    print("w:", w.shape)
    return np.sum(w * w)


def its_own_print(x):
    print = lambda *args: None  # noqa: E731 - a name of its own, not the builtin
    print(x)
    return x * x


def prints_for_the_cli(w):
    print(w)
    return np.sum(np.sin(w))
