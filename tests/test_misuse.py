"""Misuse gets a located SymdiffError before any generated code runs (issue 14): grad of
a value that is not one number, a bad wrt, and arguments of a kind the code was not
generated for (the entry check of arguments.py, and array code's wrapper in api.py)."""

import ast
import inspect
import math

import numpy as np
import pytest

import symdiff
from symdiff import cli
from symdiff.errors import (ArgumentError, NonScalarOutputError, SymdiffError, UnsupportedSyntaxError,
                            WrtError)

from .cases import loop_cases
from .cases import misuse_cases as cases
from .support.helpers import module_from_text

FILE = cases.__file__


def def_loc(fun) -> str:
    """`file:line:col` of `def fun` in misuse_cases.py."""
    return f"{FILE}:{inspect.getsourcelines(fun)[1]}:1"


def param_loc(fun, name: str) -> str:
    """`file:line:col` of parameter `name` of `fun` in misuse_cases.py (read with ast)."""
    tree = ast.parse(open(FILE).read())
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fun.__name__)
    arg = next(a for a in node.args.args if a.arg == name)
    return f"{FILE}:{arg.lineno}:{arg.col_offset + 1}"


# ------------------------------------------------ grad of a value that is not one number

@pytest.mark.parametrize("transform", [symdiff.grad, symdiff.value_and_grad], ids=["grad", "value_and_grad"])
@pytest.mark.parametrize("fun", [cases.doubled, cases.sine], ids=["x_times_2", "np_sin"])
def test_grad_of_elementwise_code_on_an_array_is_refused_naming_the_value_shape(transform, fun):
    with pytest.raises(NonScalarOutputError) as info:
        transform(fun)(np.ones(3))
    assert str(info.value).startswith(def_loc(fun) + ": ")
    detail = info.value.detail
    assert "x is an array of shape (3,)" in detail and "an array of shape (3,); use" in detail, detail
    assert "symdiff.jacobian" in detail and "symdiff.vjp" in detail and "np.sum" in detail, detail


def test_the_value_shape_named_is_the_arguments_broadcast_shape():
    with pytest.raises(NonScalarOutputError) as info:
        symdiff.grad(cases.times)(np.ones(3), np.ones((2, 1)))
    assert "the function's value here is an array of shape (2, 3)" in info.value.detail, info.value.detail


def test_numbers_and_0d_arrays_still_get_their_gradient_and_jvp_takes_arrays():
    assert symdiff.grad(cases.sine)(np.array(0.5)) == pytest.approx(math.cos(0.5), abs=1e-15)
    assert symdiff.grad(cases.doubled)(np.array(0.5)) == 2.0
    x = np.linspace(-1.0, 1.0, 4)
    value, tangent = symdiff.jvp(cases.sine)(x, np.ones(4))
    assert np.array_equal(value, np.sin(x)) and np.allclose(tangent, np.cos(x), rtol=1e-15, atol=0)


# ------------------------------------------------ wrt, checked before the body is lowered

def explain_at(fun, wrt):
    return symdiff.explain(fun, 1.0, 2.0, wrt=wrt)


WRT_USERS = {
    "grad": symdiff.grad, "value_and_grad": symdiff.value_and_grad, "jvp": symdiff.jvp,
    "vjp": symdiff.vjp, "jacobian": symdiff.jacobian, "hessian": symdiff.hessian,
    "verify": symdiff.verify, "explain": explain_at,
}


@pytest.mark.parametrize("wrt", ["zz", 2, -3, (0, 0), ("x", "x"), True, 1.5, ()])
@pytest.mark.parametrize("user", WRT_USERS)
def test_a_bad_wrt_is_reported_before_an_unsupported_construct_in_the_body(user, wrt):
    with pytest.raises(WrtError) as info:
        WRT_USERS[user](cases.refused_body, wrt=wrt)
    assert str(info.value).startswith(def_loc(cases.refused_body) + ": wrt="), str(info.value)


def test_the_body_is_still_refused_for_a_good_wrt():
    with pytest.raises(SymdiffError, match=r"the call abs\(\.\.\.\)"):
        symdiff.grad(cases.refused_body, wrt="y")


@pytest.mark.parametrize("command", [[], ["explain", "--at", "x=1,y=2"]], ids=["code", "explain"])
def test_the_cli_reports_a_bad_wrt_before_the_body(command, capsys):
    argv = command[:1] + [f"{FILE}:refused_body", "--wrt", "zz"] + command[1:]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{def_loc(cases.refused_body)}: wrt='zz' names no parameter of refused_body"), err


# ------------------------------------------------ the entry check of code generated once

def test_the_check_is_the_first_statement_of_the_generated_function():
    lines = inspect.getsource(symdiff.grad(cases.exp_of)).splitlines()
    assert lines[2:4] == ["    if type(x) is not float:",
                          "        _check_arguments('grad_exp_of', 'numbers', x=x)"], lines
    lines = inspect.getsource(symdiff.grad(cases.powers)).splitlines()  # n counts: an int
    assert lines[2] == "    if not (type(x) is float and type(n) is int):", lines


@pytest.mark.parametrize("argument,what", [
    ([1.0, 2.0, 3.0], "a list of 3 elements"), ((1.0, 2.0), "a tuple of 2 elements"), (None, "None"),
    (1j, "a complex"), ("0.5", "a str"), (np.array([1j]), "a NumPy value of dtype complex128"),
], ids=["list", "tuple", "None", "complex", "str", "complex_array"])
def test_an_argument_that_is_not_a_real_number_is_refused_at_its_parameter(argument, what):
    for fun in (cases.exp_of, cases.doubled):  # math code, and elementwise code (x * 2 on a list repeats it)
        with pytest.raises(ArgumentError) as info:
            symdiff.grad(fun)(argument)
        assert str(info.value).startswith(param_loc(fun, "x") + ": "), str(info.value)
        assert info.value.detail.startswith(f"grad_{fun.__name__}(x): x is {what}; grad_{fun.__name__} was "
                                            "generated for real numbers"), info.value.detail
        assert info.value.detail.endswith("pass a number or np.asarray(x)"), info.value.detail
        assert isinstance(info.value, TypeError) and isinstance(info.value, SymdiffError)


def test_an_array_where_the_code_calls_math_is_refused_before_math_sees_it():
    for generated, args in ((symdiff.grad(cases.exp_of), (np.ones(3),)),
                            (symdiff.jvp(cases.exp_of), (np.ones(3), np.ones(3)))):
        with pytest.raises(ArgumentError) as info:
            generated(*args)
        assert str(info.value).startswith(param_loc(cases.exp_of, "x") + ": "), str(info.value)
        assert "x is an array of shape (3,)" in info.value.detail and "calls math" in info.value.detail


def test_jvp_of_a_rule_written_for_numbers_refuses_an_array_before_the_rule_sees_it():
    tangent = symdiff.jvp(cases.doubled_softplus)
    assert tangent(0.5, 1.0)[1] == pytest.approx(2.0 / (1.0 + math.exp(-0.5)), rel=1e-15)
    with pytest.raises(ArgumentError) as info:
        tangent(np.ones(3), np.ones(3))
    assert str(info.value).startswith(param_loc(cases.doubled_softplus, "x") + ": jvp_doubled_softplus(x, x_dot): "
                                      "x is an array of shape (3,)"), str(info.value)
    x, y = np.array([0.3, -0.7]), np.array([1.1, 0.4])  # a rule written with NumPy takes arrays
    _, dot = symdiff.jvp(cases.doubled_sine_of_product, wrt="x")(x, y, np.ones(2))
    assert np.allclose(dot, 2.0 * y * np.cos(x * y), rtol=1e-14)


def test_a_tangent_of_the_wrong_kind_is_reported_at_its_parameter():
    with pytest.raises(ArgumentError) as info:
        symdiff.jvp(cases.sine)(np.ones(3), [1.0, 1.0, 1.0])
    assert str(info.value).startswith(param_loc(cases.sine, "x") + ": jvp_sine(x, x_dot): x_dot is a list")


@pytest.mark.parametrize("argument", [2, True, np.float32(0.5), np.int64(2), np.array(0.5), np.float64(0.5)],
                         ids=["int", "bool", "float32", "int64", "0d_array", "float64"])
def test_other_real_numbers_pass_the_check(argument):
    expected = math.exp(float(argument))
    assert symdiff.grad(cases.exp_of)(argument) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("count", [3, np.int64(3), np.array(3), True], ids=["int", "int64", "0d_array", "bool"])
def test_integers_pass_the_check_of_a_trip_count(count):  # (its fast-path type is int)
    expected = sum(k * 0.5 ** (k - 1) for k in range(1, int(count)))
    assert symdiff.grad(cases.powers, wrt="x")(0.5, count) == expected


def test_the_standalone_module_raises_a_plain_type_error_naming_the_argument():
    gradient = symdiff.grad(cases.exp_of)
    namespace = {}
    exec(gradient.source, namespace)  # noqa: S102 - symdiff's generated code, without symdiff
    for argument, kind in (([1.0], "list"), (np.ones(3), "ndarray"), (None, "NoneType")):
        with pytest.raises(TypeError) as plain:
            namespace["grad_exp_of"](argument)
        assert not isinstance(plain.value, SymdiffError)
        assert str(plain.value) == f"grad_exp_of: x is a {kind}; it takes numbers"
    assert namespace["grad_exp_of"](0.5) == gradient(0.5)
    assert namespace["grad_exp_of"](np.float32(0.5)) == pytest.approx(gradient(0.5), rel=1e-7)
    jvp = {}
    exec(symdiff.jvp(cases.doubled).source, jvp)  # noqa: S102 - elementwise code takes arrays in jvp
    assert np.array_equal(jvp["jvp_doubled"](np.ones(2), np.ones(2))[1], np.full(2, 2.0))


def test_generated_code_with_its_check_is_differentiated_again():
    second = symdiff.grad(symdiff.grad(cases.exp_of))
    assert second(0.5) == pytest.approx(math.exp(0.5), rel=1e-15)
    assert inspect.getsource(second).splitlines()[2] == "    if type(x) is not float:"
    assert symdiff.jvp(symdiff.grad(cases.exp_of))(0.5, 1.0) == pytest.approx((math.exp(0.5),) * 2, rel=1e-15)
    assert symdiff.hessian(loop_cases.sine_map, wrt="x")(0.5, 0) == 0.0
    assert symdiff.hessian(cases.times, wrt=("x", "y"))(0.5, 2.0) == ((0.0, 1.0), (1.0, 0.0))
    with pytest.raises(ArgumentError):
        second([0.5])


def test_a_saved_generated_module_is_differentiated_again_in_python_and_by_the_cli(tmp_path, capsys):
    saved = module_from_text(tmp_path, "saved_gradient", symdiff.grad(cases.exp_of).source)
    assert symdiff.grad(saved.grad_exp_of)(0.5) == pytest.approx(math.exp(0.5), rel=1e-15)
    assert cli.main([f"{tmp_path / 'saved_gradient.py'}:grad_exp_of"]) == 0
    assert "    exp_of = math.exp(x)\n    return exp_of\n" in capsys.readouterr().out


def test_a_look_alike_of_the_check_in_user_code_is_not_dropped():
    with pytest.raises(UnsupportedSyntaxError, match="identity and membership tests"):
        symdiff.grad(cases.looks_like_a_check)  # (only the check symdiff binds is dropped)


# ------------------------------------------------ array code, checked by its wrapper

def test_a_list_passed_to_array_code_is_a_container_with_a_list_gradient():
    # (a list is a pytree, tests/test_containers.py: its gradient is a list of its leaves')
    assert symdiff.grad(cases.first_two)([1.0, 2.0]) == [2.0, 1.0]
    assert np.array_equal(symdiff.grad(cases.first_two)(np.array([1.0, 2.0])), [2.0, 1.0])
    with pytest.raises(ArgumentError) as info:
        symdiff.grad(cases.first_two)(["a", 2.0])
    assert str(info.value).startswith(param_loc(cases.first_two, "x") + ": grad_first_two: x holds a str")


def test_a_tuple_is_refused_where_array_code_computes_with_it_and_taken_where_it_loops_over_it():
    with pytest.raises(ArgumentError) as info:  # x * 2 would repeat the tuple: np.mean of it is wrong
        symdiff.value_and_grad(cases.mean_of_doubled)((1.0, 2.0))
    assert str(info.value).startswith(param_loc(cases.mean_of_doubled, "x") + ": ")
    assert "uses as an array" in info.value.detail and "np.asarray(x)" in info.value.detail
    value, gradient = symdiff.value_and_grad(cases.mean_of_doubled)(np.array([1.0, 2.0]))
    assert value == 3.0 and np.array_equal(gradient, [1.0, 1.0])
    w_bar = symdiff.grad(cases.weighted)(0.5, (1.0, -2.0))
    assert w_bar == pytest.approx(1.0 / math.cosh(0.5) ** 2 - 2.0 / math.cosh(1.0) ** 2, rel=1e-12)
    with pytest.raises(UnsupportedSyntaxError, match="a tuple is repeated by a count symdiff cannot know"):
        symdiff.grad(cases.weighted)(0.5, (1.0, (2.0, 3.0)))  # (a nested tuple is a container: w * a)


def test_a_tuple_indexed_by_an_index_array_is_refused_not_a_type_error():
    # x[[0, 2]] reads two entries at once: a tuple cannot serve (Python's TypeError before)
    with pytest.raises(ArgumentError) as info:
        symdiff.grad(cases.picked_twice)((0.3, 1.2, 0.8))
    assert "uses as an array" in info.value.detail and "np.asarray(x)" in info.value.detail
    gradient = symdiff.grad(cases.picked_twice)(np.array([0.3, 1.2, 0.8]))
    assert np.allclose(gradient, [math.cos(0.3), 1.0, math.cos(0.8)], rtol=1e-15, atol=0)
