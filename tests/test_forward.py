"""Forward mode (forward.py, `symdiff.jvp`, `--mode forward`): the tangent code the
lecture writes, tangents through helpers, loops and array operations, checked
against reverse mode (the dot-product identity), central differences and a
Taylor test. Every corpus function is checked too (test_corpus.py,
test_control_flow.py)."""

import inspect
import math

import numpy as np
import pytest

import symdiff
from symdiff import cli

from .support.examples_loader import load_example
from .support.helpers import module_from_text

H = 1e-6


def test_the_lecture_function_gets_the_tangents_of_its_wengert_list():
    lecture = load_example("lecture")
    tangent = symdiff.jvp(lecture.f)
    assert tangent.source.startswith("import math\n")
    assert inspect.getsource(tangent) == '''def jvp_f(x, x_dot):
    """Value of f and its directional derivative along x."""
    if not type(x) is type(x_dot) is float:
        _check_arguments('jvp_f', 'numbers', x=x, x_dot=x_dot)
    a = x * x
    a_dot = 2.0 * x * x_dot
    b = math.exp(a)
    b_dot = b * a_dot
    c = a + b
    c_dot = a_dot + b_dot
    d = math.sqrt(c)
    d_dot = 0.5 / d * c_dot
    e = math.cos(c)
    f = d + e
    f_dot = d_dot - c_dot * math.sin(c)
    return f, f_dot
'''
    value, dot = tangent(0.7, 1.0)
    assert value == lecture.f(0.7)
    assert math.isclose(dot, symdiff.grad(lecture.f)(0.7), rel_tol=1e-14)


def test_a_taylor_remainder_shrinks_like_h_squared(tmp_path):
    module = module_from_text(tmp_path, "parabola", """
        def f(x):
            return (x - 2.0) ** 2 + 3.0
        """)
    tangent = symdiff.jvp(module.f)
    x, direction = 0.5, 1.0
    value, dot = tangent(x, direction)
    remainders = [abs(module.f(x + h * direction) - value - h * dot) for h in (0.1, 0.05, 0.025)]
    for big, small in zip(remainders, remainders[1:]):
        assert math.isclose(big / small, 4.0, rel_tol=1e-6)  # (x-2)^2: the remainder is exactly h^2


def test_several_results_give_several_tangents(tmp_path):
    module = module_from_text(tmp_path, "polar", """
        import math

        def polar(r, t):
            return r * math.cos(t), r * math.sin(t)
        """)
    values, dots = symdiff.jvp(module.polar, wrt=("r", "t"))(2.0, 0.5, 0.3, -0.1)
    assert values == module.polar(2.0, 0.5)
    expected = (0.3 * math.cos(0.5) + 2.0 * math.sin(0.5) * 0.1, 0.3 * math.sin(0.5) - 2.0 * math.cos(0.5) * 0.1)
    for got, want in zip(dots, expected, strict=True):
        assert math.isclose(got, want, rel_tol=1e-14)


def test_a_helper_gets_one_tangent_function_returning_value_and_tangent(tmp_path):
    lines = ["import math", "", "def step(t, w):", "    return 0.1 * math.sin(w * t) + t", "",
             "def f(x, w):", "    y = x"] + ["    y = step(y, w)"] * 100 + ["    return y", ""]
    module = module_from_text(tmp_path, "chain", "\n".join(lines))
    tangent = symdiff.jvp(module.f, wrt=("x", "w"))
    source = tangent.source
    assert source.count("def step_jvp(t, w, t_dot, w_dot):") == 1 and source.count("step_jvp(") == 101
    assert "    y, y_dot = step_jvp(x, w, x_dot, w_dot)\n    y_1, y_1_dot = step_jvp(y, w, y_dot, w_dot)\n" \
        in source
    gradient = symdiff.grad(module.f, wrt=("x", "w"))(0.3, 0.9)
    value, dot = tangent(0.3, 0.9, 0.5, -2.0)
    assert value == module.f(0.3, 0.9)
    assert math.isclose(dot, 0.5 * gradient[0] - 2.0 * gradient[1], rel_tol=1e-12)


def test_a_loop_carries_its_tangents_and_needs_no_tape(tmp_path):
    module = module_from_text(tmp_path, "series", """
        import math

        def f(x, n):
            y = x
            s = 0.0
            for i in range(n):
                y = math.sin(y) * x
                s = s + y * i
            return s + y
        """)
    tangent = symdiff.jvp(module.f)
    assert "tape" not in tangent.source and "reversed" not in tangent.source
    for n in (0, 1, 5):
        value, dot = tangent(0.7, n, 1.0)
        assert value == module.f(0.7, n)
        assert math.isclose(dot, symdiff.grad(module.f)(0.7, n), rel_tol=1e-12)


def test_array_operations_match_reverse_mode(tmp_path):
    module = module_from_text(tmp_path, "arrays", """
        import numpy as np

        def loss(W, b, X, y):
            S = X @ W.T + b
            S = S - np.max(S, axis=1, keepdims=True)
            P = np.exp(S) / np.sum(np.exp(S), axis=1, keepdims=True)
            picked = np.sum(P * y, axis=1)
            penalty = np.linalg.norm(W) + np.sum(np.where(W > 0.0, W, 0.1 * W))
            return -np.mean(np.log(picked)) + 0.01 * penalty
        """)
    rng = np.random.default_rng(4)
    W, b, X = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(6, 5))
    y = np.eye(3)[rng.integers(0, 3, size=6)]
    W_dot, b_dot = rng.normal(size=W.shape), rng.normal(size=b.shape)
    tangent = symdiff.jvp(module.loss, wrt=("W", "b"))
    value, dot = tangent(W, b, X, y, W_dot, b_dot)
    W_bar, b_bar = symdiff.grad(module.loss, wrt=("W", "b"))(W, b, X, y)
    assert value == module.loss(W, b, X, y)
    assert math.isclose(dot, np.sum(W_bar * W_dot) + np.sum(b_bar * b_dot), rel_tol=1e-10)
    numeric = (module.loss(W + H * W_dot, b + H * b_dot, X, y) - module.loss(W - H * W_dot, b - H * b_dot, X, y)) / (2 * H)
    assert math.isclose(dot, numeric, rel_tol=1e-6)
    assert "W_dot @" in tangent.source or "@ W_dot" in tangent.source or "W_dot.T" in tangent.source


def test_products_of_two_moving_arrays_get_a_term_for_each(tmp_path):
    module = module_from_text(tmp_path, "products2", """
        import numpy as np

        def f(A, B, u, v):
            C = np.tanh(A @ B)
            return np.sum(C * np.outer(u, v)) + np.dot(u, u) * np.einsum("ij,ij->", A, A) + np.sum(B[0] * v)
        """)
    rng = np.random.default_rng(5)
    args = [rng.normal(size=shape) for shape in ((3, 4), (4, 2), (3,), (2,))]
    direction = [rng.normal(size=a.shape) for a in args]
    names = ("A", "B", "u", "v")
    value, dot = symdiff.jvp(module.f, wrt=names)(*args, *direction)
    gradient = symdiff.grad(module.f, wrt=names)(*args)
    assert value == module.f(*args)
    assert math.isclose(dot, sum(np.sum(g * d) for g, d in zip(gradient, direction, strict=True)), rel_tol=1e-10)


def test_a_maximum_tie_shares_its_tangent(tmp_path):
    module = module_from_text(tmp_path, "ties", """
        import numpy as np

        def top(x):
            return np.max(x)
        """)
    x = np.array([1.0, 3.0, 3.0])
    value, dot = symdiff.jvp(module.top)(x, np.array([5.0, 1.0, 2.0]))
    assert (value, dot) == (3.0, 1.5)  # the mean of the tied entries' tangents, as the gradient splits


def test_a_product_with_a_zero_factor(tmp_path):
    module = module_from_text(tmp_path, "products", """
        import numpy as np

        def f(X):
            return np.sum(np.prod(X, axis=1) ** 2) + np.prod(X)
        """)
    X = np.array([[0.5, 2.0, -1.5], [0.7, 0.0, 1.2]])  # one zero: its row's product is 0
    direction = np.array([[0.3, -0.2, 1.0], [0.4, 2.0, -0.6]])
    value, dot = symdiff.jvp(module.f)(X, direction)
    expected = np.sum(symdiff.grad(module.f)(X) * direction)
    assert value == module.f(X) and math.isclose(dot, expected, rel_tol=1e-12)
    # 2 p0 dp0 with p0 = -1.5, dp0 = 0.3 (2 * -1.5) - 0.2 (0.5 * -1.5) + 1.0 (0.5 * 2) = 0.25; the
    # product of all has one zero factor, X[1, 1]: only its tangent counts, times the others, -1.26
    assert math.isclose(dot, 2 * -1.5 * 0.25 + 2.0 * -1.26, rel_tol=1e-12)


def test_cli_prints_the_tangent_code(capsys):
    assert cli.main(["examples/lecture.py:f", "--mode", "forward"]) == 0
    assert "def jvp_f(x, x_dot):" in capsys.readouterr().out
    assert cli.main(["examples/lecture.py:f", "--mode", "forward", "--show", "lowered,forward"]) == 0
    assert "a_dot = " in capsys.readouterr().out
    assert cli.main(["examples/lecture.py:f", "--mode", "forward", "--check"]) == 2
    assert "--check applies to reverse mode" in capsys.readouterr().err


def _ceil(x):
    return np.ceil(x)


def _sign_plus(x, y):
    return np.sign(x) + y


def _unrelated(x, y):
    return 2.0 * y


def _broadcast_sum(x, y):
    return x + y


def _broadcast_mod(x, y):
    return x % y


def _array_sum_plus(x, y):
    return np.sum(x) + y


@pytest.mark.parametrize("fun, args, tangent, expected", [
    (_ceil, (np.array([0.5, 1.5]),), np.ones(2), np.zeros(2)),
    (_sign_plus, (np.array([-1.0, 2.0]), 1.0), np.ones(2), np.zeros(2)),
    (_unrelated, (1.0, np.arange(3.0)), 1.0, np.zeros(3)),
    (_broadcast_sum, (1.0, np.arange(3.0)), 1.0, np.ones(3)),
    (_broadcast_mod, (1.5, np.arange(1.0, 4.0)), 1.0, np.ones(3)),
    (_array_sum_plus, (np.arange(2.0), np.arange(3.0)), np.ones(2), np.full(3, 2.0)),
], ids=lambda v: getattr(v, "__name__", None))
def test_a_tangent_has_the_shape_of_its_result(fun, args, tangent, expected):
    value, got = symdiff.jvp(fun)(*args, tangent)
    assert np.shape(got) == np.shape(value) == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_a_narrow_tangent_of_numbers_stays_a_number():
    value, tangent = symdiff.jvp(_broadcast_sum)(1.0, 2.0, 1.0)
    assert (value, tangent) == (3.0, 1.0)
