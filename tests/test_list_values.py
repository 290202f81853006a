"""Lists as values (frontend/lists.py): `xs + ys`, `xs * k` for a constant int k, `ys +=
[y]` and `ys = ys + [y]` in a loop of known trip count, reads by index (also of a
comprehension or of a joined list), and `np.array`, `np.stack`, `np.concatenate`,
`np.column_stack`, `sum` and `len` of any of them. Each program is checked against SymPy's closed form (symdiff.verify),
central differences, and forward mode; what stays refused says what to write.
"""

import math

import numpy as np
import pytest

import symdiff
from symdiff.errors import SymdiffError

from .support.helpers import module_from_text
from .test_arrays import central_differences


def harmonics(x):
    features = [math.sin(k * x) for k in range(1, 4)] + [math.cos(k * x) for k in range(1, 4)]
    return sum(features) + features[4] * features[0]


def joined_displays(x, y):
    a = [x, y]
    b = a + [x * y] + [y, 2.0]
    return np.sum(np.array(b) ** 2) + len(b) * b[2]


def repeated(x, y):
    pair = [x, y * x]
    return np.sum(np.stack(pair * 3) * np.arange(6.0)) + sum(2 * [y])


def repeated_in_place(x):
    ys = [x, x * x]
    ys *= 2
    return sum(ys) * ys[-1]


def grown_by_plus_equals(x):
    ys = []
    for i in range(4):
        ys += [x ** i]
    return np.dot(np.array(ys), np.arange(4.0) + 1.0)


def grown_by_rebinding(x):
    ys = [x]
    for _ in range(3):
        ys = ys + [math.sin(ys[-1])]
    return sum(ys)


def grown_by_append(x, y):
    ys = []
    for k in range(3):
        ys.append(x * k + y)
    return np.sum(np.stack(ys) ** 2) + sum(ys) * ys[1]


def joined_inline(x):
    return np.mean(np.array([x] + [x * x, math.exp(x)])) + len([x] * 3) * ([x, 2.0 * x] + [3.0])[1]


def item_of_a_comprehension(x):
    return [math.cos(k * x) for k in range(3)][2] * x


def vectors_joined(u, v):
    rows = [u, v] + [u * v]
    return np.sum(np.arange(3.0) @ np.stack(rows)) + np.sum((rows + [v])[3])


def pieces_concatenated(x):
    parts = []
    for k in range(3):
        parts.append(np.sin(x * k))
    return np.sum(np.concatenate(parts) * np.arange(6.0))


def columns_of_a_list(x, y):
    cols = [x, y] + [x * y]
    return np.sum(np.column_stack(cols) ** 2 * np.arange(3.0))


def stacked_comprehension(x):
    return np.sum(np.hstack([x ** k for k in range(3)]) * np.arange(6.0))


SCALAR = [
    (harmonics, (0.4,), 0),
    (joined_displays, (0.7, -1.3), (0, 1)),
    (repeated, (0.3, 1.1), (0, 1)),
    (repeated_in_place, (0.6,), 0),
    (grown_by_plus_equals, (1.2,), 0),
    (grown_by_rebinding, (0.9,), 0),
    (grown_by_append, (0.5, -0.4), (0, 1)),
    (joined_inline, (0.2,), 0),
    (item_of_a_comprehension, (0.8,), 0),
]
ARRAYS = [(vectors_joined, (np.array([0.5, -1.0]), np.array([1.5, 0.25])), (0, 1)),
          (pieces_concatenated, (np.array([0.5, -1.0]),), 0),
          (columns_of_a_list, (np.array([0.5, -1.0]), np.array([1.5, 0.25])), (0, 1)),
          (stacked_comprehension, (np.array([0.5, -1.0]),), 0)]


def _each(wrt, gradient):
    return zip(wrt if isinstance(wrt, tuple) else (wrt,), gradient if isinstance(wrt, tuple) else (gradient,),
               strict=True)


@pytest.mark.parametrize("fun,args,wrt", SCALAR + ARRAYS, ids=[f.__name__ for f, _, _ in SCALAR + ARRAYS])
def test_gradient_agrees_with_central_differences(fun, args, wrt):
    gradient = symdiff.grad(fun, wrt=wrt)(*args)
    for index, grad in _each(wrt, gradient):
        expected = central_differences(fun, args, index)
        assert np.shape(grad) == np.shape(args[index])
        assert np.allclose(grad, expected, rtol=1e-6, atol=1e-8), (fun.__name__, index, grad, expected)


@pytest.mark.parametrize("fun,args,wrt", SCALAR, ids=[f.__name__ for f, _, _ in SCALAR])
def test_gradient_agrees_with_sympy(fun, args, wrt):
    report = symdiff.verify(fun, wrt=wrt, args=args, points=2, seconds=None)
    assert report.reference == "SymPy" and report.max_error < 1e-10, (report.reference, report.max_error)


@pytest.mark.parametrize("fun,args,wrt", SCALAR + ARRAYS, ids=[f.__name__ for f, _, _ in SCALAR + ARRAYS])
def test_forward_mode_agrees_with_reverse_mode(fun, args, wrt):
    gradient = symdiff.grad(fun, wrt=wrt)(*args)
    directions = [np.full(np.shape(args[i]), 0.5 + i) if np.ndim(args[i]) else 0.5 + i
                  for i, _ in _each(wrt, gradient)]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *directions)
    expected = sum(float(np.sum(g * d)) for (_, g), d in zip(_each(wrt, gradient), directions, strict=True))
    assert math.isclose(value, fun(*args), rel_tol=1e-12)
    assert math.isclose(tangent, expected, rel_tol=1e-10, abs_tol=1e-12), (tangent, expected)


def test_joined_lists_reach_the_generated_code_as_their_elements():
    grad = symdiff.grad(harmonics)
    grad(0.4)
    assert "[" not in grad.source.split('"""')[-1]  # (no list is built: its elements are)


REFUSED = [
    ("return np.sum([x] - [x])", "- of a list and a list is not list arithmetic"),
    ("return sum([x] + x)", "+ of a list and a number is not list arithmetic"),
    ("return sum([x] * x)", "repeated by a count symdiff cannot know now"),
    ("return sum([x] * 2.0)", "Python repeats a list by an int only"),
    ("ys = []\n    for _ in range(n):\n        ys.append(x)\n    return sum(ys + [x])",
     "read it with sum(ys), ys[-1] or len(ys)"),
    ("return ([x] + [x])[n]", "constant int in range"),
    ("return sum([x] + (x, x))", "a list and a tuple are joined"),
]


@pytest.mark.parametrize("body,fragment", REFUSED, ids=[fragment for _, fragment in REFUSED])
def test_what_stays_refused_is_located_and_says_what_to_write(body, fragment, tmp_path):
    module = module_from_text(tmp_path, "lists", f"import numpy as np\n\n\ndef f(x, n):\n    {body}\n")
    with pytest.raises(SymdiffError, match=r"^\S+:\d+:\d+: ") as caught:
        symdiff.grad(module.f)(0.5, 3)
    assert fragment in str(caught.value), str(caught.value)
