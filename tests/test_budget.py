"""The checks' work bounds (budget.py): verify, --check and explain never hand SymPy a
closed form past `max_nodes` (they compare with central differences to 30 digits
instead), stop at their time budget with a message, and show progress on a terminal.

Time is never measured here: the clock the checks read is replaced by one that
advances a fixed step per reading.
"""

import io
import math
from dataclasses import replace

import pytest
import sympy as sp

import symdiff
from symdiff import cli
from symdiff.verification import budget
from symdiff.verification.budget import Budget, Progress, tree_size
from symdiff.driver import derive
from symdiff.frontend.parse import parse_function
from symdiff.primitives import PRIMS
from symdiff.verification.scalars import DIFFERENCES, check
from symdiff.verification.symbolic import central_differences

from .support.examples_loader import load_example

ode = load_example("ode")


def quadratic(x, y):
    return x * x * y + math.sin(y)


@pytest.fixture
def ticking(monkeypatch):
    """A clock that advances `step[0]` seconds at each reading."""
    step = [10.0]
    time = [0.0]

    def now():
        time[0] += step[0]
        return time[0]

    monkeypatch.setattr(budget, "now", now)
    return step


def test_tree_size_counts_a_shared_subexpression_once_per_use():
    x = sp.Symbol("x")
    inner = sp.sin(x) + x          # Add(sin(x), x): 4 nodes
    twice = sp.exp(inner) * sp.cos(inner)  # Mul(exp(.), cos(.)): 1 + 2 * (1 + 4)
    assert tree_size(inner, {}) == 4
    assert tree_size(twice, {}) == 11
    assert tree_size(twice, {}, limit=5) == 6  # (only known to exceed the limit)


def test_tree_size_of_ten_runge_kutta_steps_is_astronomical_but_cheap_to_measure():
    from symdiff.frontend.lower import lower
    from symdiff.verification.symbolic import to_sympy

    lowered = lower(parse_function(ode.rk4))
    k, y0 = sp.symbols("k y0", real=True)
    form = to_sympy(lowered, [k, y0, sp.Integer(10)])[0]
    sizes = {}
    assert tree_size(form, sizes) > 10**17
    assert len(sizes) < 1000  # the graph: what measuring costs


def test_verify_of_ten_runge_kutta_steps_compares_with_precise_differences():
    report = symdiff.verify(ode.rk4, wrt=("k", "y0"))
    assert report.reference == DIFFERENCES
    assert report.points == 12 and report.complete
    assert report.max_error < 1e-12
    assert "more than 20,000 nodes" in str(report)


def test_a_small_closed_form_is_still_differentiated_by_sympy():
    report = symdiff.verify(ode.rk4, wrt=("k", "y0"), args=(0.7, 1.3, 1))
    assert report.reference == "SymPy" and report.notes == ()
    assert report.max_error < 1e-12


def test_max_nodes_chooses_between_sympy_and_differences():
    assert symdiff.verify(quadratic, wrt=(0, 1)).reference == "SymPy"
    small = symdiff.verify(quadratic, wrt=(0, 1), max_nodes=3)
    assert small.reference == DIFFERENCES and small.max_error < 1e-12
    assert small.closed_form == (None, None)


def test_central_differences_to_30_digits_are_far_more_precise_than_the_tolerance():
    from symdiff.frontend.lower import lower

    lowered = lower(parse_function(quadratic))
    dx, dy = central_differences(lowered, (0.7, 1.3), (0, 1))
    assert abs(dx.real - 2 * 0.7 * 1.3) < 1e-15
    assert abs(dy.real - (0.7 * 0.7 + math.cos(1.3))) < 1e-15


def test_a_wrong_rule_is_caught_when_the_closed_form_is_too_large():
    wrong = dict(PRIMS)
    wrong["sin"] = replace(PRIMS["sin"], partials=(lambda b, out, x: b.emit("sin", x),))
    derivation, _ = derive(parse_function(ode.rk4), (0, 1), prims=wrong)
    with pytest.raises(symdiff.VerificationError, match="central differences"):
        check(derivation)


def test_the_time_budget_stops_between_points_and_says_so(ticking):
    ticking[0] = 1.0  # one second per reading of the clock
    report = symdiff.verify(quadratic, wrt=(0, 1), seconds=4.5)
    assert 0 < report.points < 12 and not report.complete
    assert f"after {report.points} of 12 points" in str(report)
    assert "seconds=" in str(report)


def test_a_time_budget_spent_before_any_point_is_a_located_error(ticking):
    with pytest.raises(symdiff.BudgetError, match=r"test_budget\.py:\d+:\d+: verify quadratic stopped at "
                       r"its time budget of 1 s before comparing a point; raise it"):
        symdiff.verify(quadratic, wrt=(0, 1), seconds=1)


def test_no_time_budget_checks_every_point(ticking):
    assert symdiff.verify(quadratic, wrt=(0, 1), seconds=None).points == 12


def test_array_checks_have_the_same_budget(ticking):
    import numpy as np

    def loss(W, x):
        return np.sum(np.tanh(W @ x) ** 2)

    args = (np.ones((2, 2)), np.ones(2))
    ticking[0] = 0.0
    assert symdiff.verify(loss, wrt=0, args=args).reference == "SymPy"
    assert symdiff.verify(loss, wrt=0, args=args, max_nodes=10).reference == "finite differences"
    ticking[0] = 10.0
    with pytest.raises(symdiff.BudgetError, match="stopped at its time budget"):
        symdiff.verify(loss, wrt=0, args=args, seconds=1)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_after_a_second_and_is_cleared(ticking):
    ticking[0] = 0.6
    stream = Terminal()
    shown = Progress("verify f", stream=stream)
    shown.update("point 1 of 12")  # 0.6 s: not yet
    assert stream.getvalue() == ""
    shown.update("point 2 of 12")  # 1.2 s
    assert stream.getvalue() == "\r\033[Kverify f: point 2 of 12 (1.8 s)"
    shown.done()
    assert stream.getvalue().endswith("\r\033[K")


def test_progress_is_silent_where_the_stream_is_not_a_terminal(ticking):
    stream = io.StringIO()
    shown = Progress("verify f", stream=stream)
    shown.update("point 1 of 12")
    shown.done()
    assert stream.getvalue() == ""


def test_verify_shows_its_progress_on_stderr_when_asked(ticking, capsys):
    symdiff.verify(quadratic, wrt=(0, 1), seconds=None, progress=True)
    err = capsys.readouterr().err
    assert "verify quadratic: point 12 of 12" in err and err.endswith("\r\033[K")


def test_explain_of_ten_runge_kutta_steps_checks_against_precise_differences():
    result = symdiff.explain(ode.rk4, 0.7, 1.3, wrt=("k", "y0"))
    assert result.closed_form is None and result.agrees is True
    text = result.text()
    assert "Check (the closed form has more than 20,000 nodes (max_nodes, --max-nodes), too large " \
           "for SymPy):" in text
    assert "agrees with central differences of f to 30 digits at the point" in text
    small = symdiff.explain(ode.rk4, 0.7, 1.3, 1, wrt=("k", "y0"))
    assert small.closed_form is not None and small.agrees is True


def test_explain_without_a_point_says_a_large_closed_form_needs_one():
    def nested(x):
        for i in range(6):
            x = math.sin(x) * x + math.cos(x)
        return x

    result = symdiff.explain(nested, max_nodes=50)
    assert result.agrees is None and "give a point (--at)" in result.agreement


def test_cli_check_and_explain_take_the_budget(capsys):
    import os

    os.chdir(cli.__file__.rsplit("/symdiff/", 1)[0])
    assert cli.main(["examples/ode.py:rk4", "--wrt", "k,y0", "--check"]) == 0
    assert "# verified rk4 against central differences (30 digits)" in capsys.readouterr().out
    assert cli.main(["examples/lecture.py:f", "--check", "--max-nodes", "2"]) == 0
    assert "against central differences (30 digits)" in capsys.readouterr().out
    assert cli.main(["explain", "examples/ode.py:rk4", "--at", "k=0.7,y0=1.3"]) == 0
    assert "too large for SymPy" in capsys.readouterr().out


def test_budget_defaults_are_documented_values():
    assert Budget() == Budget(max_nodes=20_000, seconds=60.0)


def test_a_function_that_branches_gets_the_closed_form_of_each_points_path():
    def relu_or_sine(x, y):
        if x > y or y > 1.5:
            return x * y
        return math.sin(x)

    report = symdiff.verify(relu_or_sine, wrt=(0, 1))
    assert report.points == 12 and report.reference == "SymPy"
    assert not any(form.has(sp.Piecewise) for form in report.closed_form)


def test_explain_shows_its_progress_on_stderr_when_asked(ticking, capsys):
    symdiff.explain(ode.rk4, 0.7, 1.3, 1, wrt="k", progress=True)
    err = capsys.readouterr().err
    assert "explain rk4: local partials, step 1 of" in err and "explain rk4: the closed form" in err
    assert err.endswith("\r\033[K")
