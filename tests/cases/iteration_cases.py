"""Programs that iterate as people write them, for tests/test_iteration.py: comprehensions,
generator expressions, loops over local lists, integer-valued functions, lists as values.

Each returns one scalar. `# <-` marks the line an error must point at.
"""

import math

import numpy as np

TAYLOR_TERMS = (0, 1, 2, 3, 4, 5, 6)


def horner(x):
    # Horner's rule over a local coefficient list: 0.5 x^4 - 2 x^3 + 3 x^2 + x - 1.5.
    coeffs = [0.5, -2.0, 3.0, 1.0, -1.5]
    y = 0.0
    for c in coeffs:
        y = y * x + c
    return y


def horner_reversed(x):
    # The same polynomial, its coefficients given from the constant term up.
    coeffs = [-1.5, 1.0, 3.0, -2.0, 0.5]
    y = 0.0
    for c in reversed(coeffs):
        y = y * x + c
    return y


def power_series(x):
    # sum c_i x^i over enumerate(coeffs).
    coeffs = [1.0, -0.5, 0.25, -0.125]
    return sum(c * x ** i for i, c in enumerate(coeffs))


def taylor_exp(x, n):
    # exp(x) to n terms: a loop over range(n) with math.factorial of its counter.
    total = 0.0
    for k in range(n):
        total = total + x ** k / math.factorial(k)
    return total


def taylor_sin(x):
    # sin(x) to 6 terms, as a generator expression with a known trip count (written out).
    return sum((-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1) for k in range(6))


def taylor_sin_n(x, n):
    # sin(x) to n terms: the generator's trip count only n tells, a running sum.
    return sum((-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1) for k in range(n))


def taylor_module_terms(x):
    # exp(x) over a module-level tuple of exponents (read as a list of numbers too).
    return sum(x ** k / math.factorial(k) for k in TAYLOR_TERMS) + TAYLOR_TERMS[2] * len(TAYLOR_TERMS) * x


def polynomial_features(x, w):
    # A comprehension-built feature vector [1, x, x^2, x^3] and a linear model on it.
    features = np.array([x ** k for k in range(4)])
    return np.sum(w * features) ** 2


def weighted_sum(ws, vs):
    # sum(w * v for w, v in zip(ws, vs)) over two array parameters.
    return sum(w * v for w, v in zip(ws, vs))


def pairwise_energy(xs):
    # Soft pairwise repulsion over all pairs i < j: a nested comprehension over range(len(xs)).
    return sum(1.0 / (1.0 + (xs[i] - xs[j]) ** 2) for i in range(len(xs)) for j in range(i + 1, len(xs)))


def binomial_expansion(x, y):
    # (x + y)^5 written out with math.comb: equal to (x + y) ** 5.
    return sum(math.comb(5, k) * x ** k * y ** (5 - k) for k in range(6))


def binomial_expansion_n(x, y, n):
    # (x + y)^n with n an argument: math.comb(n, k) is called by the generated code.
    total = 0.0
    for k in range(n + 1):
        total = total + math.comb(n, k) * x ** k * y ** (n - k)
    return total


def filtered_even_powers(x):
    # An if filter on the loop counter: the even powers x^0 + x^2 + x^4 + x^6.
    return sum(x ** k for k in range(7) if k % 2 == 0)


def filtered_on_values(xs):
    # An if filter on the values: the sum of the squares of the positive entries.
    return sum(v * v for v in xs if v > 0.0)


def comprehension_as_a_list(x, y):
    # A comprehension bound to a name, then read as a list.
    terms = [math.sin(k * x) * y for k in range(1, 4)]
    return terms[0] + 2.0 * terms[-1] + np.sum(np.stack(terms)) + len(terms) * x


def mean_and_max_of_lists(x, y):
    # Lists as values: np.mean, np.max and sum of a written-out list.
    return np.mean([x, y]) + np.max([x * y, x - y]) + sum([x, y, x * y]) + math.fsum([x, 2.0 * y])


def nested_literal_array(a, b):
    # np.array of a nested literal list: a 2x2 matrix of scalars, and a constant vector.
    M = np.array([[a, b], [b * b, a * b]])
    v = np.array([1.0, 2.0])
    return v @ M @ v


def integer_list_index(x):
    # An integer list index is an integer array index: entries 0, 2 and 2 again.
    return np.sum(x[[0, 2, 2]] ** 2)


def max_of_comprehension(x):
    # max of a written-out comprehension: x, x^2, 1.5 x.
    return max(x * k for k in (1.0, 1.5)) + min([x ** 2, 3.0 * x])


def integer_functions_of_a_counter(x):
    # k % 2, k // 2, int(k), abs(k - 3), math.perm and math.gcd of a loop counter: no gradient.
    total = 0.0
    for k in range(1, 6):
        total = total + x * (k % 2) + x ** (k // 2) + int(k) * x + abs(k - 3) * x \
            + math.perm(k, 2) * x + math.gcd(k, 4) * x
    return total


def loop_over_a_generator(x, cs):
    # A for loop over a generator expression of a tuple parameter.
    for c in (2.0 * v for v in cs):
        x = x * c
    return x


def loop_over_a_comprehension(x):
    y = x
    for t in [x * k for k in range(1, 4)]:
        y = y + t * t
    return y


def stacked_comprehension(X):
    # np.stack of a comprehension over an array's rows, scaled by their index; a
    # comprehension of arrays made with np.array.
    rows = np.array([np.array([x, 2.0 * x]) for x in X[:, 0]])
    return np.sum(np.stack([k * row for k, row in enumerate(X)]) ** 2) + np.sum(rows * X)


# ---------------------------------------------------------------- refused


def array_of_unknown_length(x, n):
    return np.sum(np.array([x * k for k in range(n)]))  # <-


def array_of_filtered_values(xs):
    return np.sum(np.array([v for v in xs if v > 0.0]))  # <-


def factorial_of_the_differentiated(x):
    return math.factorial(x) * 2.0  # <-


def factorial_in_a_loop_of_the_differentiated(x, n):
    total = x
    for k in range(n):
        total = total + math.comb(k, total)  # <-
    return total


def len_of_a_generator(x):
    return len(x * k for k in range(3))  # <-


def unsupported_inside_a_comprehension(x):
    return sum([math.nextafter(x * k, 0.0) for k in range(1, 3)])  # <-


def append_to_a_module_tuple(x):
    TAYLOR_TERMS.append(x)  # <-
    return x


def comprehension_of_lists(x):
    return np.sum(np.array([[x * k, x] for k in range(3)]))  # <-


def module_level_list(x):
    return sum(c * x for c in COEFFICIENT_LIST)  # <-


COEFFICIENT_LIST = [1.0, 2.0]


def product_of_a_list(x, y):
    # math.prod of a written-out list and of a generator with a known trip count.
    return math.prod([x, y, 2.0]) + math.prod(x + k for k in range(3))
