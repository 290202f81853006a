"""Calls to the user's own functions (call_cases.py): helpers in the module or
imported, keyword and default arguments, several return values, closures,
nested defs and lambdas bound to names are differentiated; each is checked
against its hand-written derivative and by `symdiff.verify`. Helpers of the
module or imported ones are emitted once each, with their VJPs (calls.py);
closures, nested defs and lambdas are inlined."""

import inspect
import math
import re

import numpy as np
import pytest

import symdiff

from .cases import call_cases as cases
from .support.helpers import module_from_text

RTOL = 1e-12
SCALAR = [
    (cases.keywords_defaults_and_tuples, [(0.7, -1.2), (-2.0, 0.4)]),
    (cases.nested_def_and_lambda, [(0.7,), (-1.5,)]),
    (cases.lambda_kept_through_a_branch, [(0.7,), (-1.5,)]),
    (cases.calls_a_closure, [(0.7,), (-1.5,)]),
    (cases.imported_helpers, [(0.7,), (-1.5,)]),
    (cases.helper_in_a_branch, [(0.7,), (-1.5,)]),
]
IDS = [fun.__name__ for fun, _ in SCALAR]


def every_param(fun):
    return tuple(range(len(inspect.signature(fun).parameters)))


@pytest.mark.parametrize("fun, points", SCALAR, ids=IDS)
def test_gradient_matches_the_hand_derivative(fun, points):
    derivative = getattr(cases, "d_" + fun.__name__)
    gradient = symdiff.grad(fun, wrt=every_param(fun))
    for point in points:
        expected = derivative(*point)
        expected = expected if isinstance(expected, tuple) else (expected,)
        for got, want in zip(gradient(*point), expected, strict=True):
            error = abs(got - want)
            assert error <= RTOL * max(1.0, abs(want)), f"{fun.__name__}{point}: {got} != {want}"


@pytest.mark.parametrize("fun, points", SCALAR, ids=IDS)
def test_verify_accepts(fun, points):
    assert symdiff.verify(fun, wrt=every_param(fun)).max_error <= 1e-9


def test_helpers_are_called_by_name_and_emitted_once():
    gradient = symdiff.grad(cases.keywords_defaults_and_tuples, wrt=(0, 1))
    lowered = str(gradient.lowered).splitlines()
    # u = poly(x, 2.0, b=y): the call defines u; the defaults are passed; s, c keep their names
    assert "u = poly(x, 2.0, y)" in lowered
    assert lowered[lowered.index("s = a.0") - 1] == "a = sin_cos(x)"
    source = gradient.source
    for definition in ("def sin_cos(x):", "def sin_cos_vjp(x, a_bar, b_bar):", "def square_vjp(t, a_bar):"):
        assert source.count(definition) == 1, definition
    assert "s, c = sin_cos(x)" in source
    # poly's values are not needed, only its VJPs: one per set of arguments differentiated
    assert re.search(r"\bpoly\(", source) is None
    assert "def poly_vjp(x, a, b, f_bar):" in source and "def poly_vjp_1(x, a, b, f_bar):" in source


def _chain(count: int) -> str:
    lines = ["import math", "", "def step(t, w):", "    return 0.1 * math.sin(w * t) + t", "",
             "def f(x, w):", "    y = x"]
    lines += ["    y = step(y, w)"] * count  # (x, w) -> y stays well conditioned
    return "\n".join(lines + ["    return y", ""])


def test_a_helper_called_from_100_places_is_emitted_once(tmp_path):
    module = module_from_text(tmp_path, "chain100", _chain(100))
    gradient = symdiff.grad(module.f, wrt=(0, 1))
    source = gradient.source
    assert source.count("def step(") == 1 and source.count("def step_vjp(") == 1
    # the last value is not needed; every call's VJP is
    assert source.count("step(") == 1 + 99 and source.count("step_vjp(") == 1 + 100
    x, w, h = 0.3, 0.9, 1e-6
    numeric = ((module.f(x + h, w) - module.f(x - h, w)) / (2 * h),
               (module.f(x, w + h) - module.f(x, w - h)) / (2 * h))
    np.testing.assert_allclose(gradient(x, w), numeric, rtol=1e-6)
    # the code grows by two lines per call (the call, its VJP) and a term of w_bar's sum
    half = symdiff.grad(module_from_text(tmp_path, "chain50", _chain(50)).f, wrt=(0, 1)).source
    assert len(source.splitlines()) - len(half.splitlines()) == 50 * 2
    assert len(source) - len(half) < 50 * 80


def test_a_constant_argument_the_helper_needs_is_bound(tmp_path):
    module = module_from_text(tmp_path, "axes", """
        import numpy as np

        def summed(X, k):
            return np.sum(X, axis=k)

        def f(X):
            return np.sum(summed(X, 0) ** 2) + np.sum(np.sin(summed(X, 1)))
        """)
    X = np.random.default_rng(1).normal(size=(3, 4))
    expected = 2 * X.sum(axis=0)[None, :] + np.cos(X.sum(axis=1))[:, None]
    gradient = symdiff.grad(module.f)
    np.testing.assert_allclose(gradient(X), expected, rtol=1e-12)
    assert "def summed(X):" in gradient.source and "def summed_1(X):" in gradient.source  # per axis


def test_a_helper_called_in_a_loop_gets_its_vjp_in_the_adjoint_loop(tmp_path):
    module = module_from_text(tmp_path, "rnn", """
        import math

        def cell(h, x, w):
            return math.tanh(w * h + x)

        def rnn(x, w):
            h = 0.0
            for i in range(4):
                h = cell(h, x, w)
            return h
        """)
    gradient = symdiff.grad(module.rnn, wrt=(0, 1))
    source = gradient.source
    assert source.count("cell_vjp(") == 2  # its def, and its call in the loop over reversed(tape)
    assert source.index("reversed(tape)") < source.rindex("cell_vjp(")
    x, w, h = 0.3, 0.7, 1e-6
    numeric = ((module.rnn(x + h, w) - module.rnn(x - h, w)) / (2 * h),
               (module.rnn(x, w + h) - module.rnn(x, w - h)) / (2 * h))
    np.testing.assert_allclose(gradient(x, w), numeric, rtol=1e-6)


def test_one_def_for_a_helper_that_prints_the_same_for_two_shapes(tmp_path):
    module = module_from_text(tmp_path, "layers", """
        import numpy as np

        def layer(W, x):
            return np.tanh(W @ x)

        def net(W1, W2, x):
            return np.sum(layer(W2, layer(W1, x)) ** 2)
        """)
    rng = np.random.default_rng(2)
    W1, W2, x = rng.normal(size=(4, 3)), rng.normal(size=(2, 4)), rng.normal(size=3)
    gradient = symdiff.grad(module.net, wrt=(0, 1))
    got = gradient(W1, W2, x)
    source = gradient.source
    assert source.count("def layer(") == 1 and "def layer_1(" not in source
    h = np.tanh(W1 @ x)
    o = np.tanh(W2 @ h)
    o_bar = 2 * o * (1 - o ** 2)
    h_bar = (W2.T @ o_bar) * (1 - h ** 2)
    np.testing.assert_allclose(got[0], np.outer(h_bar, x), rtol=1e-12)
    np.testing.assert_allclose(got[1], np.outer(o_bar, h), rtol=1e-12)


def test_a_cotangent_that_only_broadcasts_is_made_whole(tmp_path):
    module = module_from_text(tmp_path, "linear", """
        import numpy as np

        def linear(W, x):
            return W @ x

        def total(W, x):
            return np.sum(linear(W, x))
        """)
    rng = np.random.default_rng(3)
    W, x = rng.normal(size=(4, 3)), rng.normal(size=3)
    got = symdiff.grad(module.total, wrt=(0, 1))(W, x)
    np.testing.assert_allclose(got[0], np.outer(np.ones(4), x), rtol=1e-12)
    np.testing.assert_allclose(got[1], W.sum(axis=0), rtol=1e-12)


def test_a_value_the_caller_does_not_read(tmp_path):
    module = module_from_text(tmp_path, "unread", """
        import math

        def pair(x):
            return 2.0 * x, math.sin(x)

        def first(x):
            a, _ = pair(x)
            return a * x

        def second(x):
            a, b = pair(x)
            return b * x
        """)
    assert symdiff.grad(module.first)(0.5) == 2.0
    assert symdiff.grad(module.second)(0.5) == math.sin(0.5) + 0.5 * math.cos(0.5)


def test_a_helper_named_like_a_variable_of_the_generated_code(tmp_path):
    module = module_from_text(tmp_path, "clash", """
        import math

        def x_bar(t):
            return math.exp(t) * t

        def a(t):
            return x_bar(t) + t

        def f(x):
            b = a(x)
            return b * a(2.0 * x)
        """)
    gradient = symdiff.grad(module.f)
    x, h = 0.3, 1e-6
    np.testing.assert_allclose(gradient(x), (module.f(x + h) - module.f(x - h)) / (2 * h), rtol=1e-7)
    assert "def x_bar_1(t):" in gradient.source  # x_bar is f's gradient's own variable


def test_grad_of_grad_through_a_helper(tmp_path):
    module = module_from_text(tmp_path, "twice", """
        K = 2.0

        def sq(t):
            return K * t * t

        def outer(x):
            return sq(sq(x) + 1.0)
        """)
    x = 0.4
    second = symdiff.grad(symdiff.grad(module.outer))
    assert math.isclose(second(x), 16 * (2 * x * x + 1) + 64 * x * x, rel_tol=1e-12)
    module.K = 3.0  # the helper's constant is read live, by the gradient too
    assert math.isclose(symdiff.grad(module.outer)(x), 4 * 9 * x * (3 * x * x + 1), rel_tol=1e-12)


def test_array_helper_from_another_module():
    rng = np.random.default_rng(0)
    w, X, y = rng.normal(size=3), rng.normal(size=(8, 3)), (rng.random(8) > 0.5).astype(float)
    got = symdiff.grad(cases.logistic_loss)(w, X, y)
    np.testing.assert_allclose(got, cases.d_logistic_loss(w, X, y), rtol=1e-12)


def test_constants_of_another_module_are_taken_as_numbers():
    # call_helpers.OFFSET is not visible from the generated code's module: inlined as 0.5.
    source = symdiff.grad(cases.imported_helpers).source
    assert "OFFSET" not in source and "0.5" in source


def _scale_families(monkeypatch):
    """The function families of benchmarks/bench_scale.py (straight-line, nested)."""
    import pathlib

    monkeypatch.syspath_prepend(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_scale

    return bench_scale


@pytest.mark.parametrize("family, small", [("straight_line", 250), ("nested", 50)])
def test_generated_code_grows_linearly_with_the_function(tmp_path, monkeypatch, family, small):
    from symdiff.driver import derive
    from symdiff.frontend.parse import parse_file

    make = getattr(_scale_families(monkeypatch), family)
    sizes = []
    for size in (small, 2 * small, 4 * small):
        path = tmp_path / f"scale_{size}.py"
        path.write_text(make(size))
        sizes.append(len(derive(parse_file(str(path), "f"), wrt=(0, 1))[0].source.splitlines()))
    first, second = sizes[1] - sizes[0], sizes[2] - sizes[1]  # lines per `small` more, then per 2 * small
    assert abs(second - 2 * first) <= 0.1 * second, sizes


def test_nesting_too_deep_for_the_room_given_is_a_located_error(tmp_path, monkeypatch):
    import sys

    from symdiff import errors

    module = module_from_text(tmp_path, "deep", _scale_families(monkeypatch).nested(200))
    assert symdiff.grad(module.f)(0.3, 0.7) == symdiff.grad(module.f)(0.3, 0.7)  # (room enough)
    monkeypatch.setattr(errors, "RECURSION_ROOM", 300)
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        with pytest.raises(symdiff.UnsupportedSyntaxError, match="nests expressions too deeply"):
            symdiff.grad(module.f, wrt="y")
    finally:
        sys.setrecursionlimit(before)
