"""Functions with for loops over range(...), for test_loops.py."""

import math

import numpy as np


def sine_map(x, n):
    s = 0.0
    y = x
    for i in range(n):
        y = math.sin(y) * x
        s = s + y * i
    return s + y


def linear_recurrence(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
    return s


def recurrent_tanh(W, h0, x, steps):
    h = h0
    for t in range(steps):
        h = np.tanh(W @ h + x)
    return np.sum(h * h)


def decaying_shift(y, decay, shift, steps):
    """The shift's cotangent is the carried y's, handed on unchanged by the body."""
    for t in range(steps):
        y = y * decay + shift
    return np.sum(y * y)


def loop_in_a_branch(x, n):
    if x > 0:
        for i in range(n):
            x = x * 0.5 + math.cos(x)
    return x


def branch_in_a_loop(x, n):
    y = x
    for i in range(n):
        if y > 1.0:
            y = math.sqrt(y)
        else:
            y = y * y + 1.0
    return y


def newton_sqrt(a):
    y = a
    while abs(y * y - a) > 1e-12 * a:
        y = 0.5 * (y + a / y)
    return y


def grow_until(x):
    y = x
    n = 0.0
    while y < 10.0:
        y = y * 1.5 + math.sin(x)
        n = n + 1.0
    return y * n


def break_out_of_inner(x, n):
    """break leaves the inner loop only; the outer loop goes on."""
    s = 0.0
    for i in range(n):
        t = x
        for j in range(5):
            t = t * 0.9 + math.sin(t + i)
            if t > 1.5:
                break
        s = s + t * t
    return s


def flag_names_taken(x):
    """The user's own `broke` and `skipped` must not meet symdiff's flags."""
    broke, skipped = x, 0.5
    for i in range(6):
        if i == 1:
            continue
        if broke * i > 2.0:
            break
        broke = broke * 1.1 + skipped
    return broke


def search_while(x):
    """A while loop that stops by its condition or by a break."""
    y = x
    while y < 10.0:
        y = y * y + 0.3
        if y > 4.0 and x > 0.0:
            break
    return y


def over_literal_pairs(x, y):
    s = 0.0
    for a, b in [(1.0, 2.0), (0.5, -1.0), (-2.0, 0.25)]:
        s = s + math.exp(a * x) * b + y * a
    return s


def weighted_pairs(w, xs, ys):
    """enumerate over zip, with a nested target."""
    s = 0.0
    for i, (a, b) in enumerate(zip(xs, ys), 1):
        s = s + math.tanh(w * a - b) / i
    return s


def row_norms(W, X):
    """The rows of an array, each a vector."""
    total = 0.0
    for row in X:
        h = np.tanh(W @ row)
        total = total + np.sum(h * h)
    return total


def rnn_hidden_states(w, u, xs):
    """An RNN cell unrolled over a sequence, its states collected and stacked."""
    h = 0.0
    states = []
    for t, x_t in enumerate(xs):
        states.append(np.tanh(w * h + u * x_t))
        h = states[t]
    return np.sum(np.stack(states, axis=0) ** 2) + states[-1] + len(states)


def partial_sums(x):
    sums = [x]
    for k in range(1, 4):
        if k % 2 == 0:
            sums.append(sums[-1] * x)
        else:
            sums.append(sums[-1] + math.sin(x))
    return sum(sums)


def last_index_used(x, n):
    """The loop variable read after the loop: its last value (the break's, here)."""
    s = x
    for k in range(1, n):
        s = s * s * 0.5 + 0.75
        if s > 3.0:
            break
    return s * k


def first_crossing(x, n):
    """A return in an inner loop leaves both loops."""
    for i in range(n):
        for j in range(3):
            x = x * 1.2 + 0.1 * j
            if x > 2.0:
                return x * (i + 1)
        x = x - 0.05
    return -x


COEFFICIENTS = (1.0, -0.5, 0.25)


def through_functions(x):
    """Loops over a tuple of functions and over a module's tuple of numbers."""
    square = lambda v: v * v  # noqa: E731
    y = x
    for g in (math.sin, square, np.tanh):
        y = g(y) + 0.1
    s = 0.0
    for c in COEFFICIENTS:
        s = s * y + c
    return s


def jumps_in_written_out_loops(x):
    """break, continue and return in loops over literal tuples (written out)."""
    s = 0.0
    for c in (0.5, -1.0, 2.0, 3.0):
        if c < 0.0:
            continue
        s = s + math.sin(c * x)
        if s > 1.2:
            break
    for c in (1.0, 2.0, 3.0):
        if c * x > 2.5:
            return s * x * c
    return s + x


def dead_in_body(x, n):
    s = x
    for i in range(n):
        unused = math.exp(s)  # noqa: F841 - read by nothing: not in the gradient code
        s = s * 0.5 + i
    return s


REVERSED_COEFFICIENTS = (1.0, -2.0, 0.5)


def reversed_module_tuple(x):
    y = 0.0
    for c in reversed(REVERSED_COEFFICIENTS):
        y = y * x + c
    return y


def reversed_range(x, n):
    y = x
    for i in reversed(range(n)):
        y = math.sin(y) * (i + 1)
    return y


def reversed_range_with_a_step(x):
    y = x
    for i in reversed(range(1, 8, 3)):  # i = 7, 4, 1
        y = y * x + i
    return y


def reversed_literal(x):
    y = 0.0
    for c in reversed([x, 2.0 * x, 3.0]):
        y = y * 0.5 + c * c
    return y


def reversed_rows(W, x):
    s = x
    for row in reversed(W):
        s = s * 0.5 + np.sum(row ** 2) * x
    return s


def list_after_a_return_in_its_loop(x):
    parts = []
    for k in range(4):
        if k * x > 2.5:
            return x
        parts.append(x * k)  # (grows only on the path that does not return)
    return sum(parts)


def taylor_series_to_n(x, n):
    terms = [1.0]
    term = 1.0
    for k in range(1, n):
        term = term * x / k
        terms.append(term)
    return sum(terms) + terms[-1] * len(terms)


def halvings_until_small(x):
    sizes = []
    while x > 0.1:
        x = x * 0.5 + 0.01 * x * x
        sizes.append(x)
    return sum(sizes) / len(sizes)


def appended_in_one_branch(x, n):
    picked = [x]
    for k in range(n):
        if math.sin(k * x) > 0.0:
            picked.append(x * k)
    return sum(picked) * picked[-1]


def first_large_state(W, x):
    h = x
    for k in range(5):
        h = np.tanh(W @ h)
        if np.sum(h) > 1.0:
            return h * 2.0  # an array returned from inside the loop
    return h


def loss_of_first_large_state(W, x):
    return np.sum(first_large_state(W, x) ** 2)


def rosenbrock_loop(x):
    """Rosenbrock's function as a loop over x's entries (an array or a list)."""
    s = 0.0
    for i in range(len(x) - 1):
        s = s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s
