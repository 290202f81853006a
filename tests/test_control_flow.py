"""Control flow, helper calls and lists (control_flow_corpus.py), checked twice.

The reference shares no code with symdiff. For a scalar case it is
concrete-guided symbolic execution: the corpus function itself (a copy whose
math/numpy names, and those of every helper it calls, are rebound to SymPy as in
sympy_reference.py) runs on one real SymPy symbol per float argument, and each
order comparison SymPy cannot decide (`x > 0` for a symbol x) takes the truth
value it has at the concrete point. The branches and trip counts the point
takes thus yield one closed-form expression, exact in a neighbourhood of the
point; `sympy.diff` of it, evaluated to 30 digits, is the reference gradient.
Central differences are a second opinion for every case, scalar and array.

Tests of the reference itself (which pass without symdiff): the closed form
reproduces the function, the decisions do not change within 100 difference
steps of each point (so the function is smooth there), SymPy and the
differences agree, and the checks reject a wrong gradient.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import inspect
import types
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp

import symdiff

from .cases import control_flow_corpus as corpus
from .cases import control_flow_helpers
from .cases.control_flow_corpus import CASES, CATEGORIES, ERROR_CASES
from .support.helpers import assert_jvp_agrees_with_grad
from .support.sympy_reference import (NUMPY_SHIM, decided_at, drop_nondifferentiable, evaluate, sympy_version,
                              truth_at)

SCALAR = [case for case in CASES if case.scalar]
ARRAY = [case for case in CASES if not case.scalar]
RTOL = 1e-9        # symdiff vs SymPy's 30-digit value, relative to max(1, |exact|)
FD_RTOL = 1e-6     # central differences: truncation ~h^2, rounding ~eps/h
H = 1e-6           # the difference step, relative to max(1, |x|)
MARGIN = 100       # decisions must hold this many difference steps away from each point
USER_MODULES = {corpus.__name__, control_flow_helpers.__name__}


def ids(cases):
    return [case.name for case in cases]


# ------------------------------------------------ SymPy copies of corpus code

def _object_array(values, dtype=None):
    return np.array(values, dtype=object)


def _object_stack(arrays, axis=0):
    return np.stack([np.asarray(a, dtype=object) for a in arrays], axis=axis)


# The numpy shim, plus what list accumulators need: arrays of SymPy scalars are object arrays.
NUMPY_LIST_SHIM = types.SimpleNamespace(**vars(NUMPY_SHIM), array=_object_array, stack=_object_stack,
                                        sum=np.sum, mean=np.mean, dot=np.dot)
_COPIES: dict[int, object] = {}


def _is_user_code(value) -> bool:
    """A function or module of the corpus or its helpers (not math, numpy or the shims)."""
    if isinstance(value, types.FunctionType):
        return value.__module__ in USER_MODULES
    return isinstance(value, types.ModuleType) and value.__name__ in USER_MODULES


def symbolic(value):
    """`value` for SymPy: the corpus' functions and modules are copied, recursively.

    A copied function has its globals rebound by `sympy_version`, then every user
    function, module and closure cell it can reach is copied the same way, so a
    helper in another module, a closure's captured function or a nested def
    (which inherits the copy's globals) all compute with SymPy. Copies are
    registered before their contents are filled in, so recursion terminates.
    """
    if value is NUMPY_SHIM:
        return NUMPY_LIST_SHIM
    if not _is_user_code(value):
        return value
    if id(value) not in _COPIES:
        if isinstance(value, types.ModuleType):
            _COPIES[id(value)] = copy = types.SimpleNamespace()
            for name, attribute in vars(value).items():
                setattr(copy, name, symbolic(attribute))
        else:
            _copy_function(value)
    return _COPIES[id(value)]


def _copy_function(f):
    scope = sympy_version(f).__globals__  # a fresh dict, ours to change
    cells = tuple(types.CellType() for _ in f.__closure__ or ())
    copy = types.FunctionType(f.__code__, scope, f.__name__, f.__defaults__, cells or None)
    copy.__kwdefaults__ = f.__kwdefaults__
    _COPIES[id(f)] = copy
    for name, value in list(scope.items()):
        scope[name] = symbolic(value)
    for cell, original in zip(cells, f.__closure__ or (), strict=True):
        with contextlib.suppress(ValueError):  # a cell not yet filled stays empty
            cell.cell_contents = symbolic(original.cell_contents)


# ------------------------------------------------ concrete-guided execution
# (sympy_reference.decided_at gives each relation its truth value at the point.)

@dataclass(frozen=True)
class Path:
    """The closed form of a case on the path its point takes.

    Attributes:
        symbols: parameter name -> real Symbol, for each float argument.
        point: their values, in the same order.
        expr: the function's value as a SymPy expression of the symbols.
        decisions: (relation, truth value) for every data-dependent comparison.
    """

    symbols: dict
    point: tuple
    expr: sp.Expr
    decisions: tuple

    def value(self, expr, point=None) -> float:
        return evaluate(expr, tuple(self.symbols.values()), self.point if point is None else point)


@functools.cache
def path(case, index: int) -> Path:
    point = case.points[index]
    symbols = {name: sp.Symbol(name, real=True)
               for name, value in zip(case.params, point, strict=True) if type(value) is float}
    args = [symbols.get(name, value) for name, value in zip(case.params, point, strict=True)]
    values = tuple(value for value in point if type(value) is float)
    with decided_at(tuple(symbols.values()), values) as decisions:
        expr = sp.sympify(symbolic(case.fun)(*args))
    return Path(symbols, values, expr, tuple(decisions))


@functools.cache
def reference_gradient(case, index: int) -> tuple[float, ...]:
    """d case.fun / d name at case.points[index], for each wrt name, from SymPy."""
    p = path(case, index)
    return tuple(p.value(drop_nondifferentiable(sp.diff(p.expr, p.symbols[name])))
                 for name in case.wrt_names)


# ------------------------------------------------ central differences

def central_differences(case, point, name, h=H):
    """d case.fun / d name at point, one element at a time: (f(x + h) - f(x - h)) / 2h."""
    index = case.params.index(name)
    x = np.array(point[index], dtype=float)
    grad = np.zeros_like(x)
    for element in np.ndindex(x.shape):
        values = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[element] += sign * h * max(1.0, abs(x[element]))
            argument = float(moved) if x.shape == () else moved
            values.append(case.fun(*point[:index], argument, *point[index + 1:]))
        grad[element] = (values[0] - values[1]) / (2 * h * max(1.0, abs(x[element])))
    return float(grad) if x.shape == () else grad


def assert_close(actual, expected, rtol, what):
    """Same shape, max |actual - expected| <= rtol * max(1, max |expected|); NaN fails."""
    assert np.shape(actual) == np.shape(expected), (
        f"{what}: shape {np.shape(actual)}, expected {np.shape(expected)}")
    error = float(np.max(np.abs(np.asarray(actual, dtype=float) - np.asarray(expected, dtype=float))))
    scale = max(1.0, float(np.max(np.abs(expected))))
    assert error <= rtol * scale, f"{what}: got {actual!r}, expected {expected!r} (error {error:.2e})"


def assert_matches_reference(case, index, gradient):
    """`gradient` (one value per wrt name) agrees with SymPy at case.points[index]."""
    exact = reference_gradient(case, index)
    for name, mine, ref in zip(case.wrt_names, gradient, exact, strict=True):
        assert_close(mine, ref, RTOL, f"d{case.name}/d{name} at point {index}")


def assert_matches_differences(case, index, gradient):
    point = case.points[index]
    for name, mine in zip(case.wrt_names, gradient, strict=True):
        estimate = central_differences(case, point, name)
        assert_close(mine, estimate, FD_RTOL, f"d{case.name}/d{name} at point {index} vs differences")


def as_tuple(case, result):
    return tuple(result) if case.many else (result,)


def each_point(case):
    return list(enumerate(case.points))


# ------------------------------------------------ the reference's own tests (no symdiff)

@pytest.mark.parametrize("case", SCALAR, ids=ids(SCALAR))
def test_reference_closed_form_reproduces_the_function(case):
    for index, point in each_point(case):
        p = path(case, index)
        assert_close(p.value(p.expr), case.fun(*point), 1e-12, f"closed form of {case.name} at {point}")


@pytest.mark.parametrize("case", SCALAR, ids=ids(SCALAR))
def test_points_take_the_same_path_a_margin_away(case):
    # Every decision keeps its truth value MARGIN difference steps away along each wrt
    # parameter: the path, hence the closed form, is that of the point throughout.
    for index, _ in each_point(case):
        p = path(case, index)
        names = tuple(p.symbols)
        for name in case.wrt_names:
            for sign in (1.0, -1.0):
                moved = list(p.point)
                x = moved[names.index(name)]
                moved[names.index(name)] = x + sign * MARGIN * H * max(1.0, abs(x))
                for relation, truth in p.decisions:
                    assert truth_at(relation, tuple(p.symbols.values()), moved) == truth, (
                        f"{case.name} at point {index}: {relation} flips when {name} = {moved}")


@pytest.mark.parametrize("case", SCALAR, ids=ids(SCALAR))
def test_reference_agrees_with_central_differences(case):
    for index, _ in each_point(case):
        assert_matches_differences(case, index, reference_gradient(case, index))


@pytest.mark.parametrize("case", ARRAY, ids=ids(ARRAY))
def test_array_differences_do_not_depend_on_the_step(case):
    # The array cases' only reference: at a smooth point, 10x the step changes it by ~100 h^2.
    for index, point in each_point(case):
        for name in case.wrt_names:
            fine = central_differences(case, point, name)
            coarse = central_differences(case, point, name, h=10 * H)
            assert_close(coarse, fine, FD_RTOL, f"d{case.name}/d{name} at point {index}")


def test_the_checks_reject_a_wrong_gradient():
    case = next(c for c in CASES if c.fun is corpus.sqrt_or_negate)
    right = reference_gradient(case, 0)  # 1 / (2 sqrt(0.7))
    assert_matches_reference(case, 0, right)
    assert_matches_differences(case, 0, right)
    other_branch = (-1.0,)
    slightly_off = (right[0] * (1 + 1e-4),)
    for wrong in (other_branch, slightly_off, (float("nan"),)):
        with pytest.raises(AssertionError):
            assert_matches_reference(case, 0, wrong)
        with pytest.raises(AssertionError):
            assert_matches_differences(case, 0, wrong)
    with pytest.raises(AssertionError):
        assert_matches_reference(case, 0, (right[0] * (1 + 1e-8),))


def test_the_difference_check_rejects_a_wrong_array_gradient():
    case = next(c for c in CASES if c.fun is corpus.rnn_loss)
    right = tuple(central_differences(case, case.points[0], name) for name in case.wrt_names)
    assert_matches_differences(case, 0, right)
    W_bar, U_bar = right
    for wrong in ((W_bar.T, U_bar), (W_bar, 1.01 * U_bar), (W_bar, U_bar[:, :1]), (W_bar, U_bar * np.nan)):
        with pytest.raises(AssertionError):
            assert_matches_differences(case, 0, wrong)


def test_the_zero_trip_reference_is_the_no_loop_gradient():
    case = next(c for c in CASES if c.fun is corpus.range_to_parameter)
    index = next(i for i, point in each_point(case) if point[2] == 0)
    x = case.points[index][0]
    assert reference_gradient(case, index) == (2 * x, 0.0)


def test_corpus_covers_every_category_with_unique_names():
    assert len(set(ids(CASES))) == len(CASES)
    assert {case.category for case in CASES} == set(CATEGORIES)


def _calls(tree, name):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func) == name]


def test_corpus_uses_every_construct_the_issue_lists():
    tree = ast.parse(open(corpus.__file__).read())
    nodes = list(ast.walk(tree))
    kinds = {type(node).__name__ for node in nodes}
    assert {"If", "IfExp", "For", "While", "Break", "Continue", "Lambda", "Not"} <= kinds
    assert {type(node.op).__name__ for node in nodes if isinstance(node, ast.BoolOp)} == {"And", "Or"}
    assert any(isinstance(node, ast.Compare) and len(node.ops) >= 2 for node in nodes)
    assert {len(call.args) for call in _calls(tree, "range")} >= {1, 2, 3}
    for name in ("zip", "enumerate", "len", "sum", "np.stack", "np.array"):
        assert _calls(tree, name), name
    assert any(call.func.attr == "append" for call in ast.walk(tree)
               if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute))
    loops = [node for node in nodes if isinstance(node, (ast.For, ast.While))]
    assert any(isinstance(inner, ast.Return) for loop in loops for inner in ast.walk(loop))
    functions = [node for node in nodes if isinstance(node, ast.FunctionDef)]
    assert any(isinstance(inner, ast.FunctionDef) for f in functions for inner in f.body)


# ------------------------------------------------ symdiff against the reference
# Cases symdiff cannot do yet are strict xfails, each naming its open issue: a
# case that starts to pass fails the run until its mark is removed.

INT_GRADIENTS = {}


def symdiff_cases(cases, known=None):
    """The cases as parameters; a case in `known` is a strict xfail naming its open issue."""
    params = []
    for case in cases:
        reason = (known or {}).get(case.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, marks=marks, id=case.name))
    return params


@pytest.mark.parametrize("case", symdiff_cases(CASES))
def test_forward_mode_agrees_with_reverse_mode(case):
    assert_jvp_agrees_with_grad(case.fun, case.wrt_names, case.params, case.points)


@pytest.mark.parametrize("case", symdiff_cases(SCALAR))
def test_gradient_matches_sympy_reference(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for index, point in each_point(case):
        assert_matches_reference(case, index, as_tuple(case, gradient(*point)))


@pytest.mark.parametrize("case", symdiff_cases(CASES))
def test_gradient_matches_central_differences(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for index, point in each_point(case):
        assert_matches_differences(case, index, as_tuple(case, gradient(*point)))


def _is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, (bool, np.bool_))


@pytest.mark.parametrize("case", symdiff_cases(CASES, INT_GRADIENTS))
def test_gradient_is_a_float_or_an_array_of_the_parameters_shape(case):
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for _, point in each_point(case):
        result = gradient(*point)
        if case.many:
            assert isinstance(result, tuple) and len(result) == len(case.wrt_names), result
        for name, value in zip(case.wrt_names, as_tuple(case, result), strict=True):
            given = point[case.params.index(name)]
            if isinstance(given, np.ndarray):
                assert isinstance(value, np.ndarray) and value.shape == given.shape, (name, value)
                assert value.dtype == np.float64, (name, value.dtype)
            else:
                assert _is_float(value), (name, type(value).__name__)


@pytest.mark.parametrize("case", symdiff_cases(CASES))
def test_value_and_grad_returns_the_function_value(case):
    both = symdiff.value_and_grad(case.fun, wrt=case.wrt)
    gradient = symdiff.grad(case.fun, wrt=case.wrt)
    for index, point in each_point(case):
        value, grads = both(*point)
        # The value comes from the same float operations as the function's: bit-identical.
        assert value == case.fun(*point), f"value of {case.name} at point {index}"
        for mine, alone in zip(as_tuple(case, grads), as_tuple(case, gradient(*point)), strict=True):
            assert_close(mine, alone, 1e-12, f"value_and_grad vs grad of {case.name} at point {index}")


@pytest.mark.parametrize("case", symdiff_cases(SCALAR))
def test_verify_accepts_the_gradient(case):
    for _, point in each_point(case):
        report = symdiff.verify(case.fun, wrt=case.wrt, args=point)
        assert report.max_error <= 1e-7, report


ZERO_TRIPS = [
    # (function, wrt, args, gradient of the function without its loops)
    (corpus.range_to_parameter, ("x", "y"), (1.2, -0.6, 0), (2.4, 0.0)),
    (corpus.zero_trip_literals, ("x", "y"), (0.3, 1.7), (np.exp(0.3), 0.0)),
    (corpus.while_maybe_not_entered, ("x", "y"), (1.5, 0.7), (3.0, 0.0)),
    (corpus.nested_triangular, ("x", "y"), (0.9, 1.1, 1), (0.0, 0.0)),
    (corpus.range_over_len, ("w",), (-0.6, ()), (0.0,)),
    (corpus.composition_over_range, ("x",), (0.9, 0), (1.0,)),
]


@pytest.mark.parametrize("fun,wrt,args,expected", [pytest.param(*z, id=z[0].__name__) for z in ZERO_TRIPS])
def test_a_loop_that_never_runs_contributes_nothing(fun, wrt, args, expected):
    result = symdiff.grad(fun, wrt=wrt)(*args)
    for name, value, exact in zip(wrt, result, expected, strict=True):
        assert _is_float(value), (name, type(value).__name__)
        if exact == 0.0:
            assert value == 0.0, f"d{fun.__name__}/d{name} = {value!r}, expected exactly 0.0"
        else:
            assert_close(value, exact, 1e-12, f"d{fun.__name__}/d{name}")


# ------------------------------------------------ refused: recursion

def marker(case) -> str:
    """`file:line:col:` of the recursive call on the `# <-` line of case.marked."""
    lines, start = inspect.getsourcelines(case.marked)
    offset = next(i for i, line in enumerate(lines) if line.rstrip().endswith("# <-"))
    column = lines[offset].index(f"{case.callee}(") + 1
    return f"{case.marked.__code__.co_filename}:{start + offset}:{column}:"


@pytest.mark.parametrize("case", ERROR_CASES, ids=ids(ERROR_CASES))
def test_recursion_is_refused_at_the_recursive_call(case):
    with pytest.raises(symdiff.SymdiffError) as info:
        symdiff.grad(case.fun)(*case.args)
    message = str(info.value)
    assert message.startswith(marker(case)), f"{message!r} does not start with {marker(case)!r}"
    assert "recursi" in info.value.detail.lower(), message
    assert case.callee in info.value.detail, message
