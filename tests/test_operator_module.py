"""`operator.add(x, y)` and the other operator functions are the operators themselves.

The operator module's functions resolve to the rows of `+ - * / % ** @` and unary
minus (primitives/row.py: `Prim.operator_name`), through `operator.f` and `from
operator import f`, live and in the CLI, which reads the file without running it.
The generated code writes the operator.
"""

import math
import operator
from operator import matmul, mul, truediv

import numpy as np

import symdiff
from symdiff import cli

from .support.helpers import defined


def through_the_module(x, y):
    return operator.add(operator.mul(x, y), operator.truediv(x, y)) - operator.pow(x, 2.0) + operator.neg(y)


def through_imported_names(x, y):
    return mul(x, truediv(y, x))


def remainder(x, y):
    return operator.mod(x, y) * operator.sub(x, y)


def quadratic_form(A, v):
    return np.sum(v * matmul(A, v))


def test_operator_functions_differentiate_as_the_operators():
    x, y = 1.5, 0.75
    gx, gy = symdiff.grad(through_the_module, wrt=(0, 1))(x, y)
    assert math.isclose(gx, y + 1.0 / y - 2.0 * x, rel_tol=1e-12)
    assert math.isclose(gy, x - x / y**2 - 1.0, rel_tol=1e-12)
    assert symdiff.grad(through_imported_names)(x, y) == 0.0  # x * (y / x) = y
    symdiff.verify(through_the_module, wrt=(0, 1))
    gx, gy = symdiff.grad(remainder, wrt=(0, 1))(2.5, 1.0)
    assert (gx, gy) == (0.5 + 1.5, -2.0 * 1.5 - 0.5)  # mod: d/dx 1, d/dy -floor(x / y)


def test_operator_matmul_on_arrays():
    A = np.array([[1.0, 2.0], [0.5, -1.0]])
    v = np.array([0.3, -0.7])
    np.testing.assert_allclose(symdiff.grad(quadratic_form, wrt=1)(A, v), (A + A.T) @ v, rtol=1e-12)


def test_the_generated_code_writes_the_operators():
    source = defined(symdiff.grad(through_the_module).source, "grad_through_the_module")
    assert "operator" not in source and " / " in source and " * " in source


def test_the_cli_reads_operator_imports_statically(capsys):
    code = cli.main([f"{__file__}:through_the_module"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "def grad_through_the_module" in captured.out and "operator" not in captured.out
    code = cli.main([f"{__file__}:through_imported_names"])
    assert code == 0, capsys.readouterr().err
