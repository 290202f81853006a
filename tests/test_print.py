"""print(...) in a differentiated function (frontend/lower.py): left out of the generated
code with one SymdiffWarning per call site, located there; the derivative is that of the
function without it. A `print` the function binds itself is no builtin, and refused as
any other call whose value nothing uses."""

import math
import warnings

import numpy as np
import pytest

import symdiff

from .cases import print_cases as cases


def test_the_gradient_is_that_of_the_function_without_its_prints_and_prints_nothing(capsys):
    with pytest.warns(symdiff.SymdiffWarning) as caught:
        gradient = symdiff.grad(cases.prints_as_it_goes, wrt=("x", "y"))
    got = gradient(0.5, 2.0)
    assert capsys.readouterr().out == ""  # (only f itself prints)
    a = 0.5 * 2.0
    slope = math.cos(a) * math.cos(math.sin(a))
    assert got == pytest.approx((slope * 2.0, slope * 0.5), rel=1e-14)
    assert "print(" not in gradient.source
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2, messages
    assert messages[0].startswith(f"{cases.__file__}:10:5: print(...) is left out of the derivative's code")
    assert "call prints_as_it_goes itself to see what it prints" in messages[0]
    assert messages[1].startswith(f"{cases.__file__}:12:9: ")


def test_array_code_leaves_its_prints_out_too():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = symdiff.grad(cases.prints_an_array)(w)
    np.testing.assert_array_equal(got, 2.0 * w)
    assert [w.category for w in caught] == [symdiff.SymdiffWarning]


def test_a_print_of_the_functions_own_is_refused():
    with pytest.raises(symdiff.UnsupportedSyntaxError, match=r"print_cases\.py:24:5: the call print\(\.\.\.\)"):
        symdiff.grad(cases.its_own_print)(1.0)


def test_the_cli_says_so_in_one_line_per_print(capsys):
    from symdiff import cli

    assert cli.main([f"{cases.__file__}:prints_for_the_cli", "--shape", "w=2x2"]) == 0
    captured = capsys.readouterr()
    assert "def grad_prints_for_the_cli(w):" in captured.out and "print(" not in captured.out
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{cases.__file__}:29:5: print(...) is left out"), lines
