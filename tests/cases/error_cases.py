"""Functions symdiff must refuse, each with `# <-` on the line the error points at."""

import math
from math import nextafter

import numpy as np


def name_from_one_branch(x):
    if x > 0:
        y = x
    return y  # <-


def returns_differ(x):
    if x > 0:  # <-
        return x, x
    return x


def identity_test(x):
    return x if x is None else 2 * x  # <-


def branch_without_return(x):
    if x > 0:  # <-
        return x
    y = 2 * x


def while_true_without_break(x):
    while True:  # <-
        x = x * 2
    return x


def loop_over_a_sequence(x, cs):
    for c in sorted(cs):  # <-
        x = x * c
    return x


def comprehension(x, n):
    y = np.array([x * i for i in range(n)])  # <- (its length only n tells: no array)
    return np.sum(y)


def unknown_math_function(x):
    return math.nextafter(x, 1.0)  # <-


def imported_function_without_rule(x):
    return nextafter(x, 1.0)  # <-


def misspelled_numpy_function(x):
    return np.tanhh(x) + 1.0  # <-


def unknown_numpy_function(x):
    return np.fooo(x)  # <-


def misspelled_linalg_function(x):
    return np.linalg.nrom(x)  # <-


def recursion(x):
    if x > 1.0:
        return recursion(x / 2) * 2  # <-
    return x


def mutual_a(x):
    return mutual_b(x) + 1.0


def mutual_b(x):
    return mutual_a(x) * 2.0  # <- (found where the cycle closes)


def helper_returning_in_a_loop(x):
    return returning_helper(x) * 2


def returning_helper(x):
    for k in range(2):
        if x > 1.0:
            return x, k  # <-
        if x < -1.0:
            return x
        x = x * 2
    return x


def discarded_call(x):
    abs(x)  # <-
    return x


def subscript_assignment(x):
    y = x
    y.attribute = x  # <-
    return y


def undefined_name(x):
    return x * undefined_thing  # noqa: F821  # <-


def two_outputs(x):  # <-
    return x, 2 * x


def string_constant(x):
    return x * "a"  # <-


def no_return(x):  # <-
    y = x * 2  # noqa: F841


def keyword_call(x):
    return np.exp(x, out=None)  # <-


def bitwise_and(x):
    return x & 1  # <-


def star_params(*xs):  # <-
    return xs[0]


def walrus(x):
    return (y := x) * y  # <-


def global_state(x):
    global SOMETHING  # <-
    return x


def for_wrt(x, y):  # <-
    return x * y




def list_in_a_while_loop(x):
    ys = []
    while x < 4.0:
        ys.append(x)
        x = x * 2.0
    return np.stack(ys)  # <-


def list_grows_in_one_branch(x):
    ys = [x]
    if x > 0.0:
        ys.append(x * x)
    return ys[0]  # <-


def list_as_a_number(x):
    ys = [x, 2.0 * x]
    return ys * 2.0  # <-


def list_insert(x):
    ys = [x]
    ys.insert(0, 2.0 * x)  # <-
    return sum(ys)


# ------------------------------------------------------------ hostile input (issue 6)

def try_except(x):
    try:  # <-
        y = math.log(x)
    except ValueError:
        y = 0.0
    return y


def with_block(x):
    with open("weights.txt") as handle:  # <-
        w = float(handle.read())
    return w * x


def generator(x):
    yield x * x  # <-


async def coroutine(x):  # <-
    return x * x


def class_inside(x):
    class Scaled:  # <-
        factor = 2.0
    return Scaled.factor * x


def nonlocal_mutation(x):
    total = 0.0

    def add(v):
        nonlocal total  # <-
        total = total + v
        return total
    return add(x)


def dict_state(x):
    state = {1: x}  # <-
    return state[1] * 2.0


def star_call(x):
    return np.add(*[x, x])  # <-


def random_numbers(x):
    return x * np.random.normal()  # <-


def assertion(x):
    assert x > 0.0  # <-
    return math.sqrt(x)


def string_formatting(x):
    label = f"x = {x}"  # <-
    return x * len(label)


def deletion(x):
    y = x * 2.0
    del y  # <-
    return x


def raising(x):
    if x < 0.0:
        raise ValueError("negative")  # <-
    return math.sqrt(x)


def import_inside(x):
    import cmath  # <-
    return cmath.sqrt(x).real


def bound_method(x):
    return x.conjugate()  # <-


def set_display(x):
    return len({x, 2.0 * x}) * x  # <-


def calls_exec(x):
    exec("y = 1")  # <-
    return x


def opens_a_file(x):
    return x * float(open("w.txt").read())  # <-


def module_level_list(x):
    return x * WEIGHTS[0]  # <-


WEIGHTS = [0.5, 1.5]


def returns_a_function(x):
    return lambda t: t * x  # <-


def matching(x):
    match x:  # <-
        case 0.0:
            return 1.0
        case _:
            return x


def function_chosen_in_a_branch(x):
    g = lambda t: t * t  # noqa: E731
    if x > 0:
        g = lambda t: t + 1.0  # noqa: E731
    return g(x)  # <-


def default_none_as_number(x):
    return shifted_by(x)  # (the error is the helper's, below)


def shifted_by(x, shift=None):
    return x + shift  # <-


def joined_range(x):
    return np.sum(np.r_[0:3] * x)  # <-
