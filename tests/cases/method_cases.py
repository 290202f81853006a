"""Classes whose methods symdiff differentiates, for test_methods.py."""

import math

import numpy as np

import symdiff


class Layer:
    def __init__(self, w):
        self.w = w


class Model:
    rate = 0.5  # a class attribute, which the classmethod reads

    def __init__(self, w=1.375, n=3):
        self.w = w
        self.n = n
        self.layer = Layer(np.array([0.5, -1.0, 2.0]))

    def loss(self, x):
        return self.w * x * x + math.sin(self.w * x)

    def two(self, x, y):
        return self.w * x * y + y * y

    def with_helper(self, x):
        return self.squash(x) * self.w + self.scaled(x)

    def squash(self, x):
        return math.tanh(self.w * x)

    def with_static(self, x):
        return self.scaled(x) * self.w

    @staticmethod
    def scaled(x):
        return 3.0 * x * x

    def repeated(self, x):
        y = x
        for _ in range(self.n):
            y = math.sin(y) * self.w
        return y

    def energy(self, x):
        return np.sum(self.layer.w * x ** 2) + self.w * np.sum(x)

    @classmethod
    def scaled_square(cls, x):
        return cls.rate * x * x

    def writes(self, x):
        self.w = x
        return x

    def adds(self, x):
        self.w += x
        return x

    def returns_self(self, x):
        return self

    def calls_a_method_of_an_attribute(self, x):
        return self.layer.forward(x)

    def calls_a_missing_method(self, x):
        return self.missing(x)


class Sub(Model):
    def squash(self, x):
        return math.atan(self.w * x)


class Decorated:
    def __init__(self, c):
        self.c = c

    @symdiff.grad
    def slope(self, x):
        return self.c * x ** 3


def local_class():
    class Local:
        w = 2.0

        def loss(self, x):
            return self.cube(x) * self.w

        def cube(self, x):
            return x ** 3

    return Local


def not_a_method(self, x):
    # a module-level function whose first parameter happens to be named self: a number
    return self * x * x
