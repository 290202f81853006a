"""A corpus of plain scalar functions for symdiff, each with where to test it.

Every function is an ordinary module-level `def` in the subset symdiff accepts
(math, numpy as np on scalars, the builtins abs/max/min/round/pow/float/int,
operators, reassignment, augmented assignment, tuple unpacking). The tests build
the SymPy reference from these same function objects (see sympy_reference.py).

Each `Case` records the function, the `wrt` to differentiate (index, name, or a
tuple of them, in the forms users write), and a domain: one union of open
intervals per parameter where the function is defined and smooth. Kinks (abs
at 0, max ties, floor at integers, x/y an integer for // and %) lie outside the
intervals by a margin much wider than a finite-difference step, so central
differences are a fair third opinion at every point of the domain.

`CASES` together cover every primitive of symdiff's table; `test_corpus.py`
checks that.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

Interval = tuple[float, float]

ANY = ((-2.0, 2.0),)
POS = ((0.2, 3.0),)
UNIT = ((-0.9, 0.9),)
NONZERO = ((-2.0, -0.2), (0.2, 2.0))
ABOVE_ONE = ((1.2, 3.0),)


class WrtNames:
    """Reading back a case's `wrt`, given as users write it (index, name or a tuple)."""

    @property
    def wrt_names(self) -> tuple[str, ...]:
        entries = self.wrt if isinstance(self.wrt, (tuple, list)) else (self.wrt,)
        return tuple(e if isinstance(e, str) else self.params[e] for e in entries)

    @property
    def many(self) -> bool:
        return isinstance(self.wrt, (tuple, list))


@dataclass(frozen=True)
class Case(WrtNames):
    """One corpus function and where to differentiate it.

    Attributes:
        fun: the function.
        wrt: as passed to `symdiff.grad`.
        domain: per parameter, a union of open intervals to draw points from.
    """

    fun: Callable
    wrt: object
    domain: tuple[tuple[Interval, ...], ...]

    def __post_init__(self):
        assert len(self.domain) == len(self.params), f"{self.name}: one domain per parameter"
        for intervals in self.domain:
            assert intervals and all(lo < hi for lo, hi in intervals), f"{self.name}: {intervals}"

    @property
    def name(self) -> str:
        return self.fun.__name__

    @property
    def params(self) -> tuple[str, ...]:
        return self.fun.__code__.co_varnames[:self.fun.__code__.co_argcount]



# Weyl-sequence steps, one per parameter: irrational, so no two parameters share a
# sample fraction (no accidental ties such as x == y) and no sample is an endpoint.
_STEPS = (0.6180339887498949, 0.4142135623730951, 0.7320508075688772, 0.2360679774997897,
          0.6457513110645907)


def sample_points(case: Case, count: int = 4) -> list[tuple[float, ...]]:
    """`count` deterministic points inside `case.domain`, spread over every interval."""
    points = []
    for k in range(count):
        point = []
        for j, intervals in enumerate(case.domain):
            lo, hi = intervals[(k + j) % len(intervals)]
            fraction = ((k + 1) * _STEPS[j % len(_STEPS)] + 0.1 * j) % 1.0
            point.append(lo + (hi - lo) * (0.05 + 0.9 * fraction))
        points.append(tuple(point))
    return points


# ------------------------------------------------------------------ constants

RATE = 0.75
SCALE = 2.5
OFFSET = -1
SQRT2 = math.sqrt(2.0)
HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)


# ------------------------------------------------------------ exponentials, logs

def exp_times_sin(x):
    return math.exp(x) * math.sin(x)


def exp2_and_expm1(x):
    return np.exp2(x) * 0.5 - np.exp2(-x) + math.expm1(x / 2) * np.expm1(x)


def log_ratio(x, y):
    return math.log(x) / np.log(y)


def log_base_ten(x):
    return math.log(x, 10) * x


def log_base_variable(x, b):
    return math.log(x * x + 1, b)


def log2_log10_log1p(x, y):
    logs = math.log2(x) + np.log10(x * y) + math.log10(y / x)
    return logs + math.log1p(x * x) - np.log1p(y) + np.log2(y)


def softplus(x):
    return math.log1p(math.exp(x))


def logsumexp_two(a, b):
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


# -------------------------------------------------------------- roots and powers

def sqrt_of_sum(x, y):
    return math.sqrt(x * x + y * y + 1) + np.sqrt(x + 3)


def cube_roots(x):
    return np.cbrt(x) * x + np.cbrt(x * x + 1)


if hasattr(math, "cbrt"):  # math.exp2 and math.cbrt are new in Python 3.11
    def math_exp2_and_cbrt(x):
        return math.exp2(x) - math.cbrt(x) * x


def squares(x):
    return np.square(np.sin(x)) + np.square(x - 1)


def power_spellings(x, y):
    return math.pow(x, 3) + pow(x, y) + np.power(y, 2.5) + np.power(x, y)


def variable_exponent(x, y):
    return x**y + y**-x


def integer_powers_of_any_sign(x):
    return x**3 - 2 * x**-2 + x**4 / 4


def fractional_powers(x):
    return x**0.5 + x**(1 / 3) - x**-1.5


def power_of_composite(x, y):
    return (x**2 + 1) ** (y / 2)


def rational_function(x, y):
    return (x**2 - 1) / (x**2 + 1) / (y - 3)


# -------------------------------------------------------------------- trigonometry

def trig_mix(x, y):
    return math.sin(x) * math.cos(y) + math.tan(x * y)


def numpy_trig(x):
    return np.sin(x) ** 2 + np.cos(2 * x) - np.tan(x / 2)


def inverse_trig(x):
    return math.asin(x) + math.acos(x / 2) + math.atan(3 * x)


def numpy_inverse_trig(x, y):
    return np.arcsin(x * y) * np.arctan(y) - np.arccos(y / 2)


def angle_atan2(y, x):
    return math.atan2(y, x)


def numpy_arctan2(x, y):
    return np.arctan2(x * x + 1, y) * x


def sinc(x):
    return math.sin(x) / x


# ---------------------------------------------------------------------- hyperbolic

def hyperbolic(x, y):
    return math.sinh(x) * math.cosh(y) - math.tanh(x * y)


def numpy_hyperbolic(x):
    return np.sinh(x) + np.cosh(x / 2) * np.tanh(x)


def inverse_hyperbolic(x, y):
    return math.asinh(x) + math.acosh(1 + x * x + y) + math.atanh(x / 2)


def numpy_inverse_hyperbolic(x):
    return np.arcsinh(3 * x) - np.arccosh(x + 2) * np.arctanh(x / 2)


# ------------------------------------------------------------ special functions

def hypot_distance(x, y):
    return math.hypot(x - 1, y + 2) + np.hypot(x, 2 * y)


def gaussian_cdf(x):
    return 0.5 * (1 + math.erf(x / SQRT2))


def erfc_tail(x):
    return math.erfc(x * x) * x


# ----------------------------------------------------------- kinks and steps

def absolute_values(x, y):
    return abs(x * y) + math.fabs(x) - np.abs(y - 1) + np.fabs(x - 3) + np.absolute(x)


def relu_by_max(x, y):
    return max(x, 0.0) * y + min(y, 1.0) * x


def numpy_maximum_minimum(x, y):
    return np.maximum(x, y) * np.minimum(x, 2 * y)


def numpy_logaddexp(x, y):
    """A smooth maximum: log(e^x + e^y), without overflow."""
    return np.logaddexp(x, 2 * y) * x


def numpy_elementwise_breadth(x, y):
    """np.reciprocal, the angle conversions, sinc, fmax/fmin, logaddexp2 (primitives/elementwise.py)."""
    angles = np.sin(np.deg2rad(x)) * np.rad2deg(y) + np.radians(x) * np.degrees(x)
    smooth = np.reciprocal(y) + np.sinc(x) + np.logaddexp2(x, y) + np.float64(x) * np.float32(2.0)
    return angles + smooth + np.fmax(x, y) * np.fmin(x, 2 * y) + np.nan_to_num(x * y)


def numpy_steps_without_gradient(x, h):
    """np.rint, np.fix, np.heaviside (gradient in h only where x is 0: never, here) and isfinite."""
    steps = np.rint(x) * x + np.fix(x) + np.heaviside(x, h) * x
    return steps + float(np.isfinite(x)) * h + float(math.isfinite(x)) * x


def gamma_functions(x):
    """math.gamma and math.lgamma (their derivatives are written with scipy.special.digamma)."""
    return math.gamma(x) + math.lgamma(x) * x


def indicator_by_comparison(x, y):
    relu = x * float(x > 0)
    gated = y * float(x <= y) + x * float(x < y) - x * y * float(y != 1)
    return relu + gated + float(x >= -5) * x * x + float(y == 0.5) * x


def step_functions(x, y):
    return x * math.floor(y) + math.ceil(x) + math.trunc(x * y) + round(y) + int(y) * x


def rounded_to_tenths(x):
    return x * round(x, 1)


def numpy_step_functions(x):
    return np.sign(x) * x**2 + np.round(x) + np.floor(x) * x + np.ceil(x) + np.trunc(x)


def floordiv_and_mod(x, y):
    return x // y + (x % y) * y


def numpy_ufunc_spellings(x, y):
    s = np.add(np.multiply(x, y), np.exp(np.negative(x)))
    q = np.true_divide(np.subtract(s, y), np.divide(y, 3))
    return q + np.floor_divide(x, y) + np.mod(x, y) * x - np.remainder(y, x)


def float_conversion(x):
    return float(x) * 2 + float(x * x)


# --------------------------------------------------------------- constants

def pi_and_e(x):
    return math.pi * x**2 + math.e**x + np.pi * np.sin(x) + np.e


def module_constants(x):
    return SCALE * math.exp(-RATE * x) + OFFSET * x


def constant_function(x):
    return 3.0


def identity(x):
    return x


def linear(x, y):
    return 3 * x - 2 * y + 7


# ------------------------------------------------------------- program shape

def reassigned_names(x):
    y = x * x
    y = y + math.sin(y)
    y = y * x
    return y


def augmented_assignment(x, y):
    t = x
    t += y
    t *= x
    t -= 1
    t /= y
    t **= 2
    return t


def tuple_unpacking_swap(x, y):
    a, b = x + y, x * y
    a, b = b, a
    return a * math.exp(b)


def unused_parameter(x, unused, y):
    return x * y


def shared_subexpressions(x, y):
    u = x * y + 1
    return math.exp(u) * math.log(u) + u**2 / math.sqrt(u) + math.log(x * y + 1)


def deep_composition(x):
    return math.log(1 + math.exp(math.sin(math.sqrt(1 + math.tanh(x) ** 2))))


def negations(x, y):
    return -x - (-y) * -(x - y)


def gaussian_nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    t2 = math.log(s)
    t3 = t1**2
    t4 = t2 + HALF_LOG_TWO_PI
    t5 = t3 / 2
    return t4 + t5


def sigmoid_neuron(w0, x0, w1, x1, w2):
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def many_parameters(a, b, c, d):
    return a * b - c / d + math.exp(a * d) * math.cos(b * c)


CASES = [
    Case(exp_times_sin, 0, (ANY,)),
    Case(exp2_and_expm1, "x", (ANY,)),
    Case(log_ratio, ("x", "y"), (POS, ABOVE_ONE)),
    Case(log_base_ten, 0, (POS,)),
    Case(log_base_variable, ("x", "b"), (ANY, ABOVE_ONE)),
    Case(log2_log10_log1p, ("x", "y"), (POS, POS)),
    Case(softplus, 0, (ANY,)),
    Case(logsumexp_two, ("a", "b"), (ANY, ANY)),
    Case(sqrt_of_sum, ("x", "y"), (ANY, ANY)),
    Case(cube_roots, 0, (NONZERO,)),
    *([Case(math_exp2_and_cbrt, 0, (NONZERO,))] if hasattr(math, "cbrt") else []),
    Case(squares, 0, (ANY,)),
    Case(power_spellings, ("x", "y"), (POS, POS)),
    Case(variable_exponent, (0, 1), (POS, POS)),
    Case(integer_powers_of_any_sign, 0, (NONZERO,)),
    Case(fractional_powers, 0, (POS,)),
    Case(power_of_composite, ("x", "y"), (ANY, ANY)),
    Case(rational_function, ["x", "y"], (ANY, ANY)),
    Case(trig_mix, ("x", "y"), (UNIT, UNIT)),
    Case(numpy_trig, 0, (ANY,)),
    Case(inverse_trig, 0, (UNIT,)),
    Case(numpy_inverse_trig, ("x", "y"), (UNIT, UNIT)),
    Case(angle_atan2, ("y", "x"), (ANY, NONZERO)),
    Case(numpy_arctan2, (0, 1), (ANY, NONZERO)),
    Case(sinc, 0, (NONZERO,)),
    Case(hyperbolic, ("x", "y"), (ANY, ANY)),
    Case(numpy_hyperbolic, 0, (ANY,)),
    Case(inverse_hyperbolic, ("x", "y"), (UNIT, POS)),
    Case(numpy_inverse_hyperbolic, 0, (UNIT,)),
    Case(hypot_distance, ("x", "y"), (((1.2, 2.0),), POS)),
    Case(gaussian_cdf, 0, (ANY,)),
    Case(erfc_tail, 0, (ANY,)),
    Case(absolute_values, ("x", "y"), (NONZERO, ((-1.5, -0.2), (1.2, 2.0)))),
    Case(relu_by_max, ("x", "y"), (NONZERO, ((0.1, 0.4), (1.2, 1.9)))),
    Case(numpy_maximum_minimum, ("x", "y"), (((-2.0, -1.2), (1.2, 2.0)), ((0.1, 0.5),))),
    Case(numpy_logaddexp, ("x", "y"), (((-2.0, 2.0),), ((-2.0, 2.0),))),
    # x and y apart (fmax/fmin ties), y away from 0 (reciprocal), x not at 0 or a half-integer
    Case(numpy_elementwise_breadth, ("x", "y"), (((0.6, 0.9), (1.1, 1.4)), ((-1.9, -1.6), (0.2, 0.4)))),
    Case(numpy_steps_without_gradient, ("x", "h"), (((-1.4, -1.1), (0.1, 0.4), (1.6, 1.9)), ((0.0, 1.0),))),
    # |x| >= 0.6 > |y| or x <= 1 < 1.2 <= y: never x == y, where the indicators jump.
    Case(indicator_by_comparison, ("x", "y"),
         (((-2.0, -0.6), (0.6, 1.0)), ((-0.4, 0.4), (1.2, 2.0)))),
    Case(step_functions, ("x", "y"), (((0.1, 0.4),), ((1.1, 1.4), (1.6, 1.9)))),
    Case(rounded_to_tenths, 0, (((1.16, 1.24), (2.06, 2.14)),)),
    Case(numpy_step_functions, 0, (((-1.9, -1.6), (-0.4, -0.1), (0.1, 0.4), (1.1, 1.4)),)),
    Case(floordiv_and_mod, ("x", "y"), (((2.1, 2.3),), ((0.6, 0.65),))),
    Case(numpy_ufunc_spellings, ("x", "y"), (((2.1, 2.3),), ((0.6, 0.65),))),
    Case(float_conversion, 0, (ANY,)),
    Case(pi_and_e, 0, (ANY,)),
    Case(module_constants, 0, (ANY,)),
    Case(constant_function, 0, (ANY,)),
    Case(identity, 0, (ANY,)),
    Case(linear, ("x", "y"), (ANY, ANY)),
    Case(reassigned_names, 0, (ANY,)),
    Case(augmented_assignment, ("x", "y"), (ANY, POS)),
    Case(tuple_unpacking_swap, ("x", "y"), (ANY, ANY)),
    Case(unused_parameter, ("x", "unused", "y"), (ANY, ANY, ANY)),
    Case(shared_subexpressions, ("x", "y"), (POS, POS)),
    Case(deep_composition, 0, (ANY,)),
    Case(negations, ("x", "y"), (ANY, ANY)),
    Case(gaussian_nll, ("m", "s"), (ANY, ANY, POS)),
    Case(sigmoid_neuron, ("w0", "w1", "w2"), (ANY, ANY, ANY, ANY, ANY)),
    Case(many_parameters, (0, 1, 2, -1), (ANY, ANY, ANY, NONZERO)),
]
if importlib.util.find_spec("scipy") is not None:  # (without SciPy: test_special.py says it is refused)
    CASES.append(Case(gamma_functions, 0, (POS,)))
