"""Plain Python functions with control flow, helper calls and lists, for symdiff.

Every function is ordinary Python: branches, loops, early returns, calls to
helpers (here, in control_flow_helpers.py, closures, nested defs, lambdas) and
lists used as accumulators. Each `Case` records the function, the `wrt` to
differentiate (index, name or tuple, as users write it), a category, and the
points to test it at: full argument tuples, so parameters that are not
differentiated (an int trip count `n`, a tuple of data, a NumPy array) carry
their value there. Points lie a finite-difference step and much more away from
every branch boundary and every place where a loop's trip count changes;
test_control_flow.py checks that, on the reference's record of the decisions.

`ERROR_CASES` are constructs symdiff must refuse with a located error: the
line marked `# <-` is where the error points, at the call that re-enters a
function already being differentiated.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import control_flow_helpers as cfh
from .corpus import WrtNames
from .control_flow_helpers import affine, make_decay, stable_softplus

CATEGORIES = ("branches", "loops", "calls", "lists", "examples")


@dataclass(frozen=True, eq=False)
class Case(WrtNames):
    """One corpus function and where to differentiate it.

    Attributes:
        fun: the function.
        wrt: as passed to `symdiff.grad`.
        category: one of CATEGORIES.
        points: full argument tuples where `fun` is smooth in the `wrt` parameters.
    """

    fun: Callable
    wrt: object
    category: str
    points: tuple[tuple, ...]

    def __post_init__(self):
        assert self.category in CATEGORIES, self.category
        for point in self.points:
            assert len(point) == len(self.params), f"{self.name}: {point}"
            kinds = {type(point[self.params.index(name)]) for name in self.wrt_names}
            assert kinds in ({float}, {np.ndarray}), f"{self.name}: wrt values are {kinds}"

    @property
    def name(self) -> str:
        return self.fun.__qualname__

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(inspect.signature(self.fun).parameters)


    @property
    def scalar(self) -> bool:
        """Every differentiated parameter is a float (SymPy gives the reference)."""
        point = self.points[0]
        return all(type(point[self.params.index(n)]) is float for n in self.wrt_names)


@dataclass(frozen=True, eq=False)
class ErrorCase:
    """A function symdiff must refuse; the `# <-` line of `marked` is where the error points.

    Attributes:
        fun: the function given to `symdiff.grad`.
        marked: the function whose source holds the `# <-` line (fun or a callee).
        callee: the function called recursively on that line.
        args: arguments to call the gradient with.
    """

    fun: Callable
    marked: Callable
    callee: str
    args: tuple

    @property
    def name(self) -> str:
        return self.fun.__qualname__


# ------------------------------------------------------------------ branches

def if_elif_else(x):
    if x < -1.0:
        y = x * x
    elif x < 1.0:
        y = math.sin(x) + 1.0
    else:
        y = math.exp(-x) * x
    return y * x


def nested_branches(x, y):
    if x > y:
        if x > 0.0:
            z = x * y
        else:
            z = x - y * y
    else:
        z = math.cos(x * y)
    return z + x


def conditional_expressions(x, y):
    s = x * y if x > y else x + y
    return s * (math.cos(x) if y > 0.0 else np.sin(y)) + (x if s > 1.0 else -x)


def and_or_not(x, y):
    if x > 0.0 and y > 0.0:
        return x * y
    if x < -1.0 or not y < 0.5:
        return x + math.exp(y)
    return x * x - y


def chained_comparisons(x, y):
    if 0.0 < x < 1.0:
        return x * y
    elif -1.0 < x <= 0.0 < y:
        return x * x * x + y
    return math.tanh(x) - y


def early_returns(x, y):
    if x < 0.0:
        return -x * y
    z = x * y
    if z > 1.0:
        return math.log(z)
    w = z + x
    if w > 1.0:
        return w * w
    return math.sqrt(w + 1.0)


def return_inside_loop(x, n):
    for k in range(n):
        x = x * 1.5 + 0.25
        if x > 3.0:
            return x * k
    return -x


def return_inside_while(x, y):
    while x < 5.0:
        x = x + y * y + 0.5
        if x * y > 3.0:
            return x * y
    return x - y


def sqrt_or_negate(x):
    # The untaken side would raise: math.sqrt of a negative number.
    if x > 0.0:
        return math.sqrt(x)
    else:
        return -x


def guarded_log_and_sqrt(x, y):
    r = math.log(x) if x > 0.0 else 0.0
    return r * y + (math.sqrt(y - 1.0) if y > 1.0 else y)


def branch_on_computed_value(x):
    s = math.sin(3.0 * x)
    if s > 0.2:
        t = s * x
        y = t + x
    else:
        y = x * x
    return y


def branch_on_int_argument(x, n):
    if n % 2 == 0:
        return x**n
    return -x * n


# ------------------------------------------------------------------ loops

def range_one_argument(x):
    s = 0.0
    for k in range(5):
        s = s + x**k / (k + 1)
    return s


def range_two_arguments(x):
    p = 1.0
    for k in range(2, 6):
        p = p * (1.0 + x / k)
    return p


def range_three_arguments(x):
    s = x
    for k in range(9, 0, -3):
        s = math.sin(s) * k + x
    for k in range(1, 8, 3):
        s = s + x / k
    return s


def range_to_parameter(x, y, n):
    # With n == 0, y is used only inside the loop: its gradient is 0.0.
    s = x * x
    for k in range(n):
        s = s + y * math.cos(k * x)
    return s


def range_over_len(w, xs):
    s = 0.0
    for i in range(len(xs)):
        s = s + w**i * xs[i]
    return s


def over_constant_list(x):
    for c in [0.5, -1.0, 2.0]:
        x = x + c * math.sin(x)
    return x


def over_constant_tuples(x, y):
    s = 0.0
    for a, b in ((1.0, 2.0), (0.5, -1.0), (-2.0, 0.25)):
        s = s + math.exp(a * x) * b + y * a
    return s


def over_array_rows(w, b, X):
    s = 0.0
    for row in X:
        s = s + math.tanh(w * row[0] + b * row[1])
    return s


def over_zip(x, y, weights):
    s = 0.0
    for w, c in zip(weights, (0.5, 1.5, -1.0)):
        s = s + w * math.exp(-c * x) * y
    return s


def over_enumerate(mu, rate, xs):
    s = 0.0
    for t, x_t in enumerate(xs):
        s = s + math.exp(-rate * t) * (x_t - mu) ** 2
    return s


def while_data_dependent(x, y):
    k = 0
    while x < 4.0:
        x = x * 1.5 + y
        k = k + 1
    return x * k + y


def while_maybe_not_entered(x, y):
    s = x * x
    while s > 10.0:
        s = s - y
    return s


def while_true_with_break(x):
    n = 0
    while True:
        x = math.cos(x) + 0.5 * x
        n = n + 1
        if x < 0.9 or n >= 6:
            break
    return x * n


def break_in_for(x):
    s = x
    for k in range(10):
        s = s * s * 0.5 + 0.75
        if s > 2.0:
            break
    return s * k


def continue_in_for(x, y):
    s = 0.0
    for k in range(6):
        if k % 3 == 0:
            continue
        t = math.sin(x * k)
        if t < 0.0:
            continue
        s = s + t * y
    return s


def nested_triangular(x, y, n):
    s = 0.0
    for i in range(n):
        for j in range(i):
            s = s + x**j * y ** (i - j)
    return s


def nested_inner_from_outer(x):
    s = x
    for i in range(1, 4):
        for j in range(i, 4):
            s = s + math.sin(s * j) / i
    return s


def carried_swaps(x, y):
    a, b = x, y
    for _ in range(4):
        a, b = b, a + 0.5 * math.sin(b)
    return a * b


def rotation(theta, x, y):
    c, s = math.cos(theta), math.sin(theta)
    for _ in range(3):
        x, y = c * x - s * y, s * x + c * y
    return x * x + 2.0 * y


def zero_trip_literals(x, y):
    # No loop runs: the gradient is exp(x) for x and 0.0 for y.
    s = math.exp(x)
    for _ in range(0):
        s = s + y
    for c in ():
        s = s * c * y
    for k in range(5, 2):
        s = s - y * k
    return s


# ------------------------------------------------------------------ calls

def smooth_step(t):
    if t < 0.0:
        return 0.0
    if t > 1.0:
        return 1.0
    return t * t * (3.0 - 2.0 * t)


def quadratic(t, a=1.0, b=0.0):
    return a * t * t + b


def scaled_step(t, scale):
    # A helper calling a helper.
    return scale * smooth_step(t / scale)


def make_scaled_power(c):
    def scaled_power(x, y):
        return c * x**3 + math.sin(c * y) * x
    return scaled_power


def make_damped_oscillator(rate):
    def damped_oscillator(t, omega):
        return math.exp(-rate * t) * math.cos(omega * t)
    return damped_oscillator


scaled_power = make_scaled_power(1.5)
damped_oscillator = make_damped_oscillator(0.8)


def same_module_helpers(x, y):
    return smooth_step(x) * y + quadratic(y, b=x) + quadratic(x, 2.0) + quadratic(a=y, t=x)


def imported_helpers(x):
    return stable_softplus(affine(x)) + affine(x, 0.5) + affine(x, shift=1.0, scale=-1.0)


def module_attribute_helpers(x, y):
    return cfh.logistic_loss(x * y) + cfh.gaussian(x, mu=0.5) + cfh.two_layers(x, y)


def helper_called_twice(x, y):
    # The two calls may take different branches of smooth_step.
    return smooth_step(x) * smooth_step(0.5 * y) + scaled_step(y, 2.0)


def helpers_with_loops_and_keywords(x, y):
    return cfh.power(x) + cfh.power(y, 2) + cfh.clipped(x * y, high=0.5) + cfh.steps_to_reach(y, 3.0)


def factory_called_inside(x):
    decay = make_decay(0.5)
    cubic = make_scaled_power(-2.0)
    return decay(x) + decay(2.0 * x) + cubic(x, 0.25)


def nested_definitions(x, y):
    def inner(t):
        return t * t + x

    def outer(t):
        return inner(t) * y

    return outer(x) + inner(y)


def lambdas_bound_to_names(x, y):
    square = lambda t: t * t  # noqa: E731
    shifted = lambda t, c=1.0: math.exp(t - c) * y  # noqa: E731
    return square(x) + shifted(x) + shifted(y, c=0.5) + cfh.cube(x)


# ------------------------------------------------------------------ lists

def taylor_exp_terms(x, n):
    terms = []
    term = 1.0
    for k in range(n):
        terms.append(term)
        term = term * x / (k + 1)
    return sum(terms)


def scalar_rnn_states(w, u, xs):
    h = 0.0
    states = []
    for x_t in xs:
        h = math.tanh(w * h + u * x_t)
        states.append(h)
    H = np.array(states)
    return np.sum(H * H)


def stacked_series(x, y):
    values = []
    v = x
    for _ in range(4):
        v = v * y + math.sin(v)
        values.append(v)
    return np.mean(np.stack(values) ** 2)


def trajectory_from_last(x, weights):
    trajectory = [x]
    for w in weights:
        trajectory.append(trajectory[-1] * w + 0.1)
    return sum(trajectory) * trajectory[-1]


def list_of_branch_results(x, y):
    parts = []
    for c in (-1.0, 0.0, 1.0):
        if x * c > y:
            parts.append(x * c - y)
        else:
            parts.append(0.5 * (x * c - y) ** 2)
    return np.dot(np.array(parts), np.array([1.0, 2.0, 3.0]))


# ------------------------------------------------------------------ worked examples

HORNER_COEFFICIENTS = (2.0, -3.0, 0.5, 1.0, -0.25)


def composition_of_choices(x):
    # h = f_5 o ... o f_1 (x), each f_k picked by a constant code.
    h = x
    for choice in (0, 1, 2, 1, 0):
        if choice == 0:
            h = math.sin(h)
        elif choice == 1:
            h = math.exp(h) - 1.0
        else:
            h = h * h + 0.5
    return h


def composition_over_range(x, n):
    h = x
    for k in range(n):
        if k % 2 == 0:
            h = math.tanh(2.0 * h + 0.5)
        else:
            h = h * h - 0.3
    return h


def composition_of_functions(x):
    h = x
    for f in (math.sin, math.tanh, cfh.softplus, np.exp):
        h = f(h)
    return h


def horner(x):
    p = 0.0
    for c in HORNER_COEFFICIENTS:
        p = p * x + c
    return p


def horner_with_coefficients(x, coefficients):
    p = 0.0
    for c in coefficients:
        p = p * x + c
    return p


def newton_sqrt_while(a):
    x = a if a > 1.0 else 1.0
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


def newton_sqrt_for(a):
    x = 1.0
    for _ in range(6):
        x = 0.5 * (x + a / x)
    return x


def rnn_loss(W, U, h0, xs, y):
    # h_t = tanh(W h_{t-1} + U x_t) over the rows of xs, then a squared error.
    h = h0
    for x_t in xs:
        h = np.tanh(W @ h + U @ x_t)
    return 0.5 * np.sum((h - y) ** 2)


def rnn_sequence_loss(W, U, h0, xs, targets):
    hs = []
    h = h0
    for t in range(len(xs)):
        h = np.tanh(W @ h + U @ xs[t])
        hs.append(h)
    H = np.stack(hs)
    return np.mean((H - targets) ** 2)


# ------------------------------------------------------------------ array loops

def array_rows(w, X):
    s = 0.0
    for row in X:
        s = s + np.tanh(row @ w)
    return s


def matrix_power(A, G, n):
    P = A
    for _ in range(n - 1):
        P = P @ A
    return np.sum(P * G)


def normalize_if_long(w, X):
    if np.sum(w * w) > 1.0:
        w = w / np.sqrt(np.sum(w * w))
    return np.sum(np.tanh(X @ w))


def unrolled_gradient_descent(w, X, y):
    for _ in range(3):
        w = w - 0.1 * (X.T @ (X @ w - y))
    return np.sum((X @ w - y) ** 2)


# ------------------------------------------------------------------ refused

def recursive_power(x, n):
    if n == 0:
        return 1.0
    return x * recursive_power(x, n - 1)  # <-


def ping(x, n):
    if n <= 0:
        return x
    return pong(0.5 * x, n - 1)


def pong(x, n):
    if n <= 0:
        return x
    return x + ping(x + 1.0, n - 1)  # <-


def nested_recursion(x):
    def halve(t, k):
        if k == 0:
            return t
        return halve(0.5 * t, k - 1)  # <-

    return halve(x, 3)


def calls_recursive_helper(x):
    return cfh.recursive_halving(x, 3) * x


# ------------------------------------------------------------------ the table

def _draw(seed, *shapes):
    """Arrays of these shapes, entries N(0, 0.5^2), from a fixed generator."""
    rng = np.random.default_rng(seed)
    return tuple(0.5 * rng.normal(size=shape) for shape in shapes)


def _rnn_points(seed, hidden, inputs, steps, target_shape):
    """(W, U, h0, xs, targets) twice: xs has one row per time step."""
    return tuple(_draw(seed + k, (hidden, hidden), (hidden, inputs), (hidden,), (steps, inputs),
                       target_shape) for k in range(2))


def _with_norm(seed, norm):
    """A random direction in R^3 scaled to length `norm`."""
    (w,) = _draw(seed, (3,))
    return norm * w / np.sqrt(np.sum(w * w))


ROWS = np.array([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]])

CASES = [
    Case(if_elif_else, 0, "branches", ((-1.7,), (-0.4,), (0.6,), (1.9,))),
    Case(nested_branches, ("x", "y"), "branches", ((0.8, 0.3), (-0.2, -1.1), (0.3, 1.2))),
    Case(conditional_expressions, ("x", "y"), "branches",
         ((0.8, 0.3), (1.5, 1.3), (0.2, -0.5), (-0.5, 0.7))),
    Case(and_or_not, ("x", "y"), "branches", ((0.5, 0.7), (-1.4, -0.3), (-0.3, 0.9), (0.4, -0.6))),
    Case(chained_comparisons, ("x", "y"), "branches",
         ((0.5, 0.3), (-0.5, 0.8), (-0.5, -0.8), (1.6, 0.4), (-1.8, 0.4))),
    Case(early_returns, ("x", "y"), "branches", ((-0.5, 1.2), (1.5, 1.0), (0.8, 0.5), (0.3, 0.5))),
    Case(return_inside_loop, 0, "branches", ((0.5, 6), (0.5, 2), (2.8, 4), (-1.0, 3))),
    Case(return_inside_while, ("x", "y"), "branches", ((0.5, 0.8), (4.8, 0.3), (-0.5, -1.0))),
    Case(sqrt_or_negate, "x", "branches", ((0.7,), (2.3,), (-0.5,), (-1.9,))),
    Case(guarded_log_and_sqrt, ("x", "y"), "branches",
         ((1.3, 0.4), (-0.7, 1.8), (0.4, 2.5), (-1.2, -0.3))),
    Case(branch_on_computed_value, 0, "branches", ((0.3,), (-0.4,), (1.5,), (0.9,))),
    Case(branch_on_int_argument, 0, "branches", ((1.3, 2), (0.7, 3), (-0.8, 4))),
    Case(range_one_argument, 0, "loops", ((-1.3,), (0.4,), (1.7,))),
    Case(range_two_arguments, 0, "loops", ((-1.3,), (0.4,), (1.7,))),
    Case(range_three_arguments, 0, "loops", ((-0.6,), (0.4,), (1.1,))),
    Case(range_to_parameter, ("x", "y"), "loops", ((0.7, 1.3, 3), (-0.4, 0.9, 1), (1.2, -0.6, 0))),
    Case(range_over_len, 0, "loops", ((0.7, (1.0, -2.0, 0.5)), (1.3, (0.5, 0.25)), (-0.6, ()))),
    Case(over_constant_list, 0, "loops", ((-1.1,), (0.3,), (2.2,))),
    Case(over_constant_tuples, ("x", "y"), "loops", ((0.3, -0.7), (-0.9, 1.4))),
    Case(over_array_rows, ("w", "b"), "loops", ((0.4, -0.3, ROWS), (-1.2, 0.8, ROWS[:2]))),
    Case(over_zip, ("x", "y"), "loops", ((0.3, 1.1, (2.0, -1.0, 0.5)), (-0.6, 0.7, (1.5, 0.5)))),
    Case(over_enumerate, ["mu", "rate"], "loops",
         ((0.2, 0.5, (1.0, -0.5, 2.0, 0.3)), (-0.4, 1.2, (0.7, 0.1)))),
    Case(while_data_dependent, ("x", "y"), "loops", ((0.5, 0.3), (1.0, 1.0), (4.6, 0.2))),
    Case(while_maybe_not_entered, ("x", "y"), "loops", ((1.5, 0.7), (3.4, 0.9), (-3.5, 1.3))),
    Case(while_true_with_break, 0, "loops", ((0.3,), (2.5,), (-1.2,))),
    Case(break_in_for, 0, "loops", ((0.3,), (1.2,), (-0.9,), (2.1,))),
    Case(continue_in_for, ("x", "y"), "loops", ((0.4, 1.5), (1.3, -0.8), (-0.7, 0.6))),
    Case(nested_triangular, (0, 1), "loops", ((0.7, 1.2, 4), (-0.5, 0.8, 3), (0.9, 1.1, 1))),
    Case(nested_inner_from_outer, 0, "loops", ((0.2,), (-0.7,), (1.3,))),
    Case(carried_swaps, ("x", "y"), "loops", ((0.3, -0.8), (1.4, 0.6))),
    Case(rotation, ("theta", "x", "y"), "loops", ((0.4, 1.0, -0.5), (-1.1, 0.3, 0.9))),
    Case(zero_trip_literals, ("x", "y"), "loops", ((0.3, 1.7), (-1.2, -0.4))),
    Case(same_module_helpers, ("x", "y"), "calls", ((0.4, 0.9), (-0.3, 1.6), (1.4, -0.5))),
    Case(imported_helpers, 0, "calls", ((0.9,), (-0.6,), (0.1,))),
    Case(module_attribute_helpers, ("x", "y"), "calls", ((0.4, 0.9), (-1.1, 0.6))),
    Case(helper_called_twice, ("x", "y"), "calls", ((0.4, 1.2), (0.7, 2.6), (-0.3, 0.6), (1.3, 4.6))),
    Case(helpers_with_loops_and_keywords, ("x", "y"), "calls",
         ((0.4, 0.9), (-1.1, 0.6), (1.5, 1.3), (0.5, 0.2))),
    Case(scaled_power, ("x", "y"), "calls", ((0.4, 0.9), (-1.1, 0.6))),
    Case(damped_oscillator, ("t", "omega"), "calls", ((0.4, 2.0), (1.7, -0.6))),
    Case(factory_called_inside, 0, "calls", ((0.4,), (-1.1,))),
    Case(nested_definitions, ("x", "y"), "calls", ((0.4, 0.9), (-1.1, 0.6))),
    Case(lambdas_bound_to_names, ("x", "y"), "calls", ((0.4, 0.9), (-1.1, 0.6))),
    Case(taylor_exp_terms, "x", "lists", ((0.7, 6), (-1.3, 4), (0.4, 1))),
    Case(scalar_rnn_states, ("w", "u"), "lists",
         ((0.8, -0.6, (1.0, -0.5, 0.3, 2.0)), (-0.4, 1.1, (0.2, 0.7)))),
    Case(stacked_series, ("x", "y"), "lists", ((0.4, 0.9), (-1.1, 0.6))),
    Case(trajectory_from_last, 0, "lists", ((0.4, (0.5, 1.5, -1.0)), (-1.2, (2.0,)), (0.8, ()))),
    Case(list_of_branch_results, ("x", "y"), "lists", ((0.8, 0.3), (-1.3, -0.4), (0.2, -0.9))),
    Case(composition_of_choices, 0, "examples", ((0.3,), (-0.6,), (0.9,))),
    Case(composition_over_range, 0, "examples", ((0.3, 5), (-0.6, 2), (0.9, 0))),
    Case(composition_of_functions, 0, "examples", ((0.3,), (-0.6,), (1.9,))),
    Case(horner, 0, "examples", ((0.3,), (-1.6,), (2.2,))),
    Case(horner_with_coefficients, 0, "examples",
         ((0.3, (1.0, 2.0, -1.0)), (-1.6, (0.5, 0.0, 0.0, 3.0)), (2.2, (4.0,)))),
    Case(newton_sqrt_while, 0, "examples", ((0.3,), (0.75,), (2.0,), (9.3,))),
    Case(newton_sqrt_for, 0, "examples", ((0.5,), (1.7,), (3.1,))),
    Case(rnn_loss, ("W", "U"), "examples", _rnn_points(11, 3, 2, 4, (3,))),
    Case(rnn_sequence_loss, (0, 1), "examples", _rnn_points(21, 3, 2, 3, (3, 3))),
    Case(array_rows, "w", "loops", tuple(_draw(31 + k, (3,), (4, 3)) for k in range(2))),
    Case(matrix_power, "A", "loops",
         tuple(_draw(41 + n, (3, 3), (3, 3)) + (n,) for n in (1, 2, 4))),
    Case(normalize_if_long, "w", "branches",
         tuple((_with_norm(51 + k, norm),) + _draw(55 + k, (4, 3)) for k, norm in enumerate((0.6, 1.8)))),
    Case(unrolled_gradient_descent, 0, "loops",
         tuple(_draw(61 + k, (3,), (5, 3), (5,)) for k in range(2))),
]

ERROR_CASES = [
    ErrorCase(recursive_power, recursive_power, "recursive_power", (1.5, 3)),
    ErrorCase(ping, pong, "ping", (1.5, 3)),
    ErrorCase(nested_recursion, nested_recursion, "halve", (1.5,)),
    ErrorCase(calls_recursive_helper, cfh.recursive_halving, "recursive_halving", (1.5,)),
]
