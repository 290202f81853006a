"""Iteration as people write it (tests/cases/iteration_cases.py): comprehensions and
generator expressions, loops over local lists, integer-valued functions of loop
counters, and lists used as values.

Every program's gradient (reverse mode) and tangent (forward mode) agree with central
differences of the original function; those with a closed form agree with SymPy
(`symdiff.verify`); what stays refused is refused with a located error that advises.
"""

import inspect
import math

import numpy as np
import pytest

import symdiff
from symdiff.errors import UnknownFunctionError, UnsupportedSyntaxError
from tests.cases import iteration_cases as cases

XS = np.array([0.1, 0.5, -0.3, 0.9])
CASES = [  # (name, arguments, the indices of the arguments to differentiate)
    ("horner", (0.7,), (0,)),
    ("horner_reversed", (-0.4,), (0,)),
    ("power_series", (0.7,), (0,)),
    ("taylor_exp", (0.7, 6), (0,)),
    ("taylor_sin", (1.3,), (0,)),
    ("taylor_sin_n", (1.3, 5), (0,)),
    ("taylor_module_terms", (0.7,), (0,)),
    ("polynomial_features", (0.7, np.array([0.5, -1.0, 2.0, 0.3])), (0, 1)),
    ("weighted_sum", (np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.1, -0.2])), (0, 1)),
    ("pairwise_energy", (XS,), (0,)),
    ("binomial_expansion", (0.7, 0.2), (0, 1)),
    ("binomial_expansion_n", (0.7, 0.2, 5), (0, 1)),
    ("filtered_even_powers", (0.7,), (0,)),
    ("filtered_on_values", (np.array([1.0, -2.0, 3.0]),), (0,)),
    ("comprehension_as_a_list", (0.7, 0.3), (0, 1)),
    ("mean_and_max_of_lists", (0.7, 0.3), (0, 1)),
    ("nested_literal_array", (0.7, 0.3), (0, 1)),
    ("integer_list_index", (np.array([1.0, 2.0, 3.0]),), (0,)),
    ("max_of_comprehension", (0.7,), (0,)),
    ("integer_functions_of_a_counter", (0.7,), (0,)),
    ("loop_over_a_generator", (0.7, (1.0, 2.0)), (0,)),
    ("loop_over_a_comprehension", (0.7,), (0,)),
    ("stacked_comprehension", (np.arange(6.0).reshape(3, 2),), (0,)),
    ("product_of_a_list", (0.5, 0.25), (0, 1)),
]
IDS = [c[0] for c in CASES]


def central(fun, args, index, h=1e-6) -> np.ndarray:
    """d fun / d args[index], entry by entry, by central differences."""
    base = np.asarray(args[index], dtype=float)
    estimate = np.empty(base.shape)
    for entry in np.ndindex(base.shape):
        sides = []
        for step in (h, -h):
            moved = base.copy()
            moved[entry] += step
            trial = list(args)
            trial[index] = moved if moved.shape else float(moved)
            sides.append(fun(*trial))
        estimate[entry] = (sides[0] - sides[1]) / (2 * h)
    return estimate


@pytest.mark.parametrize("name,args,wrt", CASES, ids=IDS)
def test_reverse_mode_agrees_with_central_differences(name, args, wrt):
    fun = getattr(cases, name)
    grads = symdiff.grad(fun, wrt=wrt)(*args)
    for index, grad in zip(wrt, grads, strict=True):
        expected = central(fun, args, index)
        assert np.shape(grad) == np.shape(args[index]), (index, grad)
        assert np.allclose(grad, expected, rtol=1e-6, atol=1e-7), (index, grad, expected)


@pytest.mark.parametrize("name,args,wrt", CASES, ids=IDS)
def test_forward_mode_agrees_with_central_differences(name, args, wrt):
    fun = getattr(cases, name)
    rng = np.random.default_rng(5)
    directions = [rng.uniform(-1.0, 1.0, np.shape(args[i])) for i in wrt]
    directions = [float(d) if np.ndim(d) == 0 else d for d in directions]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *directions)
    expected = sum(float(np.sum(central(fun, args, i) * d)) for i, d in zip(wrt, directions, strict=True))
    assert np.isclose(value, fun(*args), rtol=1e-12, atol=0.0), (value, fun(*args))
    assert abs(float(tangent) - expected) <= 1e-6 * max(1.0, abs(expected)), (tangent, expected)


CLOSED_FORMS = [  # (name, arguments for verify, or None where every argument is differentiated)
    ("horner", None), ("horner_reversed", None), ("power_series", None), ("taylor_exp", (0.7, 6)),
    ("taylor_sin", None), ("taylor_sin_n", (0.7, 4)), ("taylor_module_terms", None),
    ("binomial_expansion", None), ("binomial_expansion_n", (0.7, 0.2, 4)),
    ("filtered_even_powers", None), ("comprehension_as_a_list", (0.7, 0.3)), ("product_of_a_list", None),
    ("nested_literal_array", (0.7, 0.3)), ("polynomial_features", (0.7, np.array([0.5, -1.0, 2.0, 0.3]))),
    ("pairwise_energy", (np.array([0.1, 0.5, -0.3]),)), ("weighted_sum", (np.ones(3), np.ones(3))),
]


@pytest.mark.parametrize("name,args", CLOSED_FORMS, ids=[c[0] for c in CLOSED_FORMS])
def test_closed_forms_agree_with_sympy(name, args):
    report = symdiff.verify(getattr(cases, name), args=args, seconds=None)
    assert report.max_error <= 1e-9 and report.points >= 3, report


def test_a_taylor_series_and_a_binomial_expansion_are_the_functions_they_expand():
    assert symdiff.grad(cases.taylor_exp)(0.3, 25) == pytest.approx(math.exp(0.3), rel=1e-15)
    assert symdiff.grad(cases.taylor_sin)(0.3) == pytest.approx(math.cos(0.3), rel=1e-12)
    x_bar, y_bar = symdiff.grad(cases.binomial_expansion, wrt=(0, 1))(0.7, 0.2)
    assert x_bar == pytest.approx(5 * 0.9 ** 4) and y_bar == pytest.approx(5 * 0.9 ** 4)


def test_sum_of_a_generator_over_range_n_is_a_running_sum_carried_by_a_loop():
    source = symdiff.grad(cases.taylor_sin_n).source
    assert "for k" in source and "reversed(range(n))" in source, source
    assert "stack" not in source and "math.factorial(" in source, source
    assert symdiff.grad(cases.taylor_sin_n)(0.5, 0) == 0.0  # (no term: Python's sum is 0)


def test_integer_functions_of_ints_known_now_are_computed_at_once():
    source = symdiff.grad(cases.taylor_sin).source
    assert "factorial" not in source and repr(-1 / 39916800) in source, source  # 1 / 11!, folded
    assert "comb" not in symdiff.grad(cases.binomial_expansion).source


def test_a_loop_over_a_local_list_is_written_out():
    source = symdiff.grad(cases.horner).source
    assert "for " not in source.split("def _check_arguments")[0], source


def test_comprehension_targets_do_not_leak_and_the_first_sequence_is_read_outside():
    def shadowing(x, xs):
        k = 2.0
        total = sum(x * k for k in range(3))  # (k = 0, 1, 2 inside)
        return total * k + sum(xs * xs for xs in xs)  # (the sequence is the parameter xs)

    xs = np.array([1.0, 2.0])
    x_bar, xs_bar = symdiff.grad(shadowing, wrt=(0, 1))(0.5, xs)
    assert x_bar == 6.0 and np.allclose(xs_bar, 2.0 * xs)

    def leaking(x):
        total = sum(x * j for j in range(3))
        return total * j  # noqa: F821  # (NameError in Python: j is the comprehension's)

    with pytest.raises(UnknownFunctionError, match="name j is not defined"):
        symdiff.grad(leaking)


REFUSED = [  # (name, error class, what the message says, where it points: the marked line's text)
    ("array_of_unknown_length", UnsupportedSyntaxError, "only the values tell", "[x * k"),
    ("array_of_filtered_values", UnsupportedSyntaxError, "an if filtering on them", "[v for v"),
    ("factorial_of_the_differentiated", UnsupportedSyntaxError, "math.factorial is applied to a value",
     "math.factorial"),
    ("factorial_in_a_loop_of_the_differentiated", UnsupportedSyntaxError, "math.comb is applied",
     "math.comb"),
    ("len_of_a_generator", UnsupportedSyntaxError, "len of a generator fails in Python", "len("),
    ("module_level_list", UnknownFunctionError, "make it a tuple of numbers", "COEFFICIENT_LIST"),
    ("append_to_a_module_tuple", UnsupportedSyntaxError, "module-level tuple, which cannot change",
     "TAYLOR_TERMS.append"),
    ("comprehension_of_lists", UnsupportedSyntaxError, "make each an array, np.array(...)", "[x * k, x]"),
    ("unsupported_inside_a_comprehension", UnknownFunctionError, "math.nextafter is not a function",
     "math.nextafter"),
]
REFUSED_ARGS = {"array_of_filtered_values": (np.array([1.0, -2.0]),),
                "factorial_of_the_differentiated": (3.0,)}


@pytest.mark.parametrize("name,cls,says,where", REFUSED, ids=[r[0] for r in REFUSED])
def test_what_stays_refused_is_located_at_the_construct_and_advises(name, cls, says, where):
    fun = getattr(cases, name)
    with pytest.raises(cls) as info:
        symdiff.grad(fun)(*REFUSED_ARGS.get(name, (np.ones(2),)))
    message = str(info.value)
    lines, first = inspect.getsourcelines(fun)
    marked = next(i for i, line in enumerate(lines) if "# <-" in line)
    column = lines[marked].index(where) + 1
    assert message.startswith(f"{cases.__file__}:{first + marked}:{column}:"), message
    assert says in message, message


def test_a_list_built_over_a_range_of_constants_computed_in_the_function_is_not_dropped():
    # (symdiff once took such bounds for shapes, lowered nothing, and returned 0.0)
    def folded(x):
        ys = []
        for i in range(4 - 1):  # (ints known now: 3)
            ys.append(x * i)
        return sum(ys)

    def computed(x):
        ys = []
        for i in range(int(3.0)):  # (an int the generated code computes)
            ys.append(x * i)
        return sum(ys)

    assert symdiff.grad(folded)(0.5) == 3.0
    assert symdiff.grad(computed)(0.5) == 3.0
