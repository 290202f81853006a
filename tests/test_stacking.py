"""The joining, splitting, reordering, differencing and partitioning rows
(primitives/stacking.py, and np.cross's axis parameters in compositions.py), table-driven
over tests/cases/stacking_cases.py: every row has cases; each case's value is NumPy's,
its gradient (reverse mode) agrees with central differences of the original function,
its tangent (forward mode) with the directional difference, and both with SymPy's
closed form (symdiff.verify). Beside them: np.gradient's Jacobian is NumPy's own
difference matrix exactly, np.partition's gradient the cotangent put back through
np.argpartition's order, and the located errors for what is refused.
"""

import math

import numpy as np
import pytest

import symdiff
from symdiff.errors import SymdiffError
from symdiff.primitives.stacking import STACKING_ROWS

from .cases import stacking_cases as cases
from .support.helpers import module_from_text
from .test_arrays import central_differences

RTOL, ATOL = 1e-6, 1e-8
IDS = [fun.__name__ for _, fun, _, _ in cases.CASES]
LOCATED = r"^\S+:\d+:\d+: "


def _indices(fun, wrt):
    names = list(fun.__code__.co_varnames[:fun.__code__.co_argcount])
    return [names.index(n) for n in wrt]


def test_every_row_of_the_module_has_cases():
    covered = {row for row, _, _, _ in cases.CASES}
    assert {row.name for row in STACKING_ROWS} - {"argpartition"} <= covered
    assert {"split", "cross"} <= covered  # (np.split indexed, np.cross's axes: other modules' rows)


@pytest.mark.parametrize("row,fun,args,wrt", cases.CASES, ids=IDS)
def test_reverse_mode_agrees_with_central_differences(row, fun, args, wrt):
    value, grads = symdiff.value_and_grad(fun, wrt=wrt)(*args)
    assert math.isclose(value, fun(*args), rel_tol=1e-13, abs_tol=1e-14), (value, fun(*args))
    for i, grad in zip(_indices(fun, wrt), grads, strict=True):
        estimate = central_differences(fun, args, i)
        assert np.shape(grad) == np.shape(args[i]), (fun.__name__, i, np.shape(grad))
        assert isinstance(grad, np.ndarray) if np.ndim(args[i]) else isinstance(grad, float)
        assert np.allclose(grad, estimate, rtol=RTOL, atol=ATOL), (fun.__name__, i, grad, estimate)


@pytest.mark.parametrize("row,fun,args,wrt", cases.CASES, ids=IDS)
def test_forward_mode_gives_the_directional_derivative(row, fun, args, wrt):
    indices = _indices(fun, wrt)
    directions = [np.cos(np.arange(np.size(args[i])) + i).reshape(np.shape(args[i])) for i in indices]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *(d if d.shape else float(d) for d in directions))
    assert math.isclose(value, fun(*args), rel_tol=1e-12)
    slopes = [central_differences(fun, args, i) for i in indices]
    expected = sum(float(np.sum(s * d)) for s, d in zip(slopes, directions, strict=True))
    assert math.isclose(tangent, expected, rel_tol=1e-6, abs_tol=1e-7), (fun.__name__, tangent, expected)


# np.partition's order is np.argpartition's, which SymPy has no meaning for: its exact
# gradient is checked below instead
SYMBOLIC = [case for case in cases.CASES if case[0] != "partition"]


@pytest.mark.parametrize("row,fun,args,wrt", SYMBOLIC, ids=[fun.__name__ for _, fun, _, _ in SYMBOLIC])
def test_the_gradient_agrees_with_sympy(row, fun, args, wrt):
    report = symdiff.verify(fun, wrt=wrt, args=args, points=1, seconds=None)
    assert report.reference == "SymPy" and report.max_error < 1e-10, (report.reference, report.max_error)


# ---------------------------------------------------------------- exact forms

def _difference_matrix(n, **kwargs):
    """np.gradient's matrix for a vector of length n: NumPy applied to each unit vector."""
    return np.column_stack([np.gradient(np.eye(n)[k], **kwargs) for k in range(n)])


def _first_order(f):
    return np.gradient(f)


def _second_order(f):
    return np.gradient(f, edge_order=2)


@pytest.mark.parametrize("n,edge_order", [(2, 1), (3, 1), (5, 1), (3, 2), (6, 2)])
def test_np_gradient_is_numpys_difference_matrix_exactly(n, edge_order):
    slope = _first_order if edge_order == 1 else _second_order
    f = np.linspace(-1.0, 2.0, n) ** 2
    assert np.array_equal(symdiff.jacobian(slope)(f), _difference_matrix(n, edge_order=edge_order))
    assert np.array_equal(symdiff.jvp(slope)(f, np.eye(n)[1])[1], _difference_matrix(n, edge_order=edge_order)[:, 1])


def test_np_gradient_divides_by_its_spacing():
    def slope(f):
        return np.gradient(f, 0.5)

    assert np.allclose(symdiff.jacobian(slope)(np.ones(4)), _difference_matrix(4) / 0.5, rtol=0, atol=1e-15)


def test_partition_gradient_is_the_cotangent_put_back_in_argpartition_order():
    def weighted(x, w):
        return np.sum(np.partition(x, 2) * w)

    x, w = np.array([0.3, -1.0, 2.5, 0.7, -0.2]), np.arange(1.0, 6.0)
    grad = symdiff.grad(weighted)(x, w)
    expected = np.zeros(5)
    expected[np.argpartition(x, 2)] = w
    assert np.array_equal(grad, expected)


def test_the_generated_code_spells_the_operations_as_numpy_does():
    grad = symdiff.grad(cases.smallest_two_losses)
    grad(np.array([0.9, -0.2, 1.7, 0.4]))
    assert "np.argpartition(losses, kth=1)" in grad.source
    assert "losses[a]" in grad.source  # (the entries picked in that order)


def cross_with_a_written_list(x):
    return np.sum(np.cross(x, [0.0, 0.0, 1.0]) * np.arange(3.0)) + np.sum(np.kron(x, [1.0, -2.0]) ** 2)


def test_a_list_written_out_as_a_second_argument_is_read_as_an_array():
    # (np.cross(x, [0, 0, 1]) once raised AttributeError: the lowering got the list itself)
    x = np.array([0.3, -1.2, 0.8])
    gradient = symdiff.grad(cross_with_a_written_list)(x)
    assert np.allclose(gradient, central_differences(cross_with_a_written_list, (x,), 0), rtol=RTOL, atol=ATOL)


def constant_piece_by_zero(x):
    return np.sum(np.concatenate([np.sin(x * 0), np.sin(x)]) * np.arange(4.0))


def constant_piece_by_power(x):
    return np.sum(np.hstack([x ** 0, x]) * np.arange(4.0))


@pytest.mark.parametrize("fun", [constant_piece_by_zero, constant_piece_by_power])
def test_a_joined_piece_that_is_constant_keeps_its_shape(fun):
    # simplification once made sin(x * 0) the number 0.0, which np.concatenate cannot join
    x = np.array([0.4, -1.1])
    value, tangent = symdiff.jvp(fun)(x, np.ones(2))
    gradient = symdiff.grad(fun)(x)
    assert math.isclose(value, fun(x), rel_tol=1e-15)
    assert np.allclose(gradient, central_differences(fun, (x,), 0), rtol=RTOL, atol=ATOL)
    assert math.isclose(tangent, float(np.sum(gradient)), rel_tol=1e-13)


# ---------------------------------------------------------------- refused, located

REFUSED = [
    ("np.hsplit(x, 2)[0]", "x = 1.5", "needs an array of 1 or more dimensions"),
    ("np.vsplit(x, 2)[0]", "x = np.ones(4)", "needs an array of 2 or more dimensions"),
    ("np.dsplit(x, 2)[0]", "x = np.ones((2, 2))", "needs an array of 3 or more dimensions"),
    ("np.split(x, 2)[2]", "x = np.ones(4)", "a tuple or list of 2 item(s) is indexed with 2"),
    ("np.split(x, 2)[k]", "x = np.ones(4)", "index it with an integer constant in range"),
    ("np.gradient(x, np.arange(4.0))", "x = np.ones(4)", "give one number as the spacing"),
    ("np.gradient(x, edge_order=3)", "x = np.ones(4)", "edge_order must be 1 or 2"),
    ("np.gradient(x, 1.0, 2.0)", "x = np.ones((2, 2))", "one spacing per axis is not supported"),
    ("np.gradient(x, 1, 2)", "x = np.ones((2, 2, 3))", "one spacing per axis is not supported"),
    ("np.gradient(x)", "x = 1.5", "needs an array of 1 or more dimensions"),
    ("np.gradient(x, edge_order=2)", "x = np.ones(2)", "at least 3 entries"),
    ("np.partition(x, 5)", "x = np.ones(4)", "kth 5 is not an entry"),
    ("np.append(x, np.ones(2), axis=0)", "x = np.ones((2, 2))", "need the array's 2 dimension(s)"),
    ("np.cross(x, x, axisa=0, axisb=0)", "x = np.ones((2, 3))", "for 2-vectors write"),
    ("np.rollaxis(x, 3)", "x = np.ones((2, 2))", "is not an axis"),
    ("np.cross(x, [])", "x = np.ones(3)", "give it numbers or arrays of one shape"),
]


@pytest.mark.parametrize("call,point,fragment", REFUSED, ids=[c for c, _, _ in REFUSED])
def test_what_is_refused_is_refused_with_a_location_and_advice(call, point, fragment, tmp_path):
    module = module_from_text(tmp_path, "refused", f"import numpy as np\n\n\ndef f(x, k=0):\n    return np.sum({call})\n")
    x = eval(point.split(" = ")[1], {"np": np})
    with pytest.raises(SymdiffError, match=LOCATED) as caught:
        symdiff.grad(module.f)(x)
    assert fragment in str(caught.value), str(caught.value)


def test_a_call_of_numbers_alone_is_lowered_too(tmp_path):
    module = module_from_text(tmp_path, "numbers", "import numpy as np\n\n\ndef f(x):\n"
                              "    return np.sum(np.append(1.0, 2.0) * x)\n")
    assert symdiff.grad(module.f)(1.5) == 3.0
