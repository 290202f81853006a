"""Methods (receivers.py): self and its attributes are constants to the derivative, read
when the generated code runs; `wrt` counts the method's own parameters; bound methods
take the method's own arguments, unbound ones take self first. Every gradient is
checked against central differences of the method itself."""

import math

import numpy as np
import pytest

import symdiff
from symdiff import cli

from .cases import method_cases as cases
from .cases.method_cases import Model, Sub


def central(f, x, h=1e-6):
    """Central differences of `f` at `x` (a number or an array)."""
    if np.ndim(x) == 0:
        return (f(x + h) - f(x - h)) / (2 * h)
    grad = np.zeros(np.shape(x))
    for index in np.ndindex(np.shape(x)):
        step = np.zeros(np.shape(x))
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def close(got, expected):
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


def line_of(text: str) -> int:
    return open(cases.__file__).read().splitlines().index(text) + 1


def test_a_bound_method_reads_self_w_where_the_code_runs():
    model = Model()
    gradient = symdiff.grad(model.loss)
    close(gradient(0.7), central(model.loss, 0.7))
    assert "w = self.w" in gradient.source and "1.375" not in gradient.source
    assert gradient.wrt == ("x",) and gradient.source.startswith("import math\n\n\ndef grad_loss(self, x):")


def test_rebinding_an_attribute_changes_the_next_call_without_deriving_again():
    model = Model()
    gradient = symdiff.grad(model.loss)
    generated = gradient.__func__
    before = gradient(0.7)
    model.w = -0.625
    assert gradient.__func__ is generated  # the same generated code, called again
    close(gradient(0.7), central(model.loss, 0.7))
    assert abs(gradient(0.7) - before) > 0.1


def test_an_unbound_method_takes_self_first_and_wrt_counts_after_it():
    model = Model()
    x, y = 0.3, -0.8
    by_x = central(lambda t: model.two(t, y), x)
    by_y = central(lambda t: model.two(x, t), y)
    close(symdiff.grad(Model.two)(model, x, y), by_x)
    close(symdiff.grad(Model.two, wrt=1)(model, x, y), by_y)
    close(symdiff.grad(Model.two, wrt="y")(model, x, y), by_y)
    close(symdiff.grad(Model.two, wrt=(0, 1))(model, x, y), (by_x, by_y))
    close(symdiff.grad(model.two, wrt=-1)(x, y), by_y)


@pytest.mark.parametrize("method", [Model.two, Model().two], ids=["unbound", "bound"])
def test_wrt_self_is_a_located_error_saying_its_attributes_are_constants(method):
    with pytest.raises(symdiff.WrtError) as info:
        symdiff.grad(method, wrt="self")
    assert str(info.value).startswith(f"{cases.__file__}:{line_of('    def two(self, x, y):')}:")
    assert "attributes are constants" in str(info.value) and "name a parameter after self (x, y)" in str(info.value)


def test_an_index_past_the_parameters_after_self_is_refused():
    with pytest.raises(symdiff.WrtError, match=r"wrt=2 names no parameter of two \(its parameters after self: x, y\)"):
        symdiff.grad(Model.two, wrt=2)


def test_other_methods_are_found_through_the_class_of_the_object():
    model, sub = Model(), Sub()
    base = symdiff.grad(model.with_helper)
    close(base(0.4), central(model.with_helper, 0.4))
    close(symdiff.grad(Model.with_static)(model, 0.4), central(model.with_static, 0.4))
    # a subclass's own squash (atan, not tanh) is what its bound method calls
    gradient = symdiff.grad(sub.with_helper)
    close(gradient(0.4), central(sub.with_helper, 0.4))
    assert "math.tanh" in base.source and "tanh" not in gradient.source


def test_an_unbound_method_calling_a_method_a_subclass_overrides_is_a_located_error():
    # which squash runs depends on the object: only a bound method tells
    with pytest.raises(symdiff.UnknownFunctionError) as info:
        symdiff.grad(Model.with_helper)
    line = line_of("        return self.squash(x) * self.w + self.scaled(x)")
    assert str(info.value).startswith(f"{cases.__file__}:{line}:16: self.squash is defined again in Sub")


def test_a_loop_over_range_of_an_attribute_reads_it_live():
    model = Model()
    gradient = symdiff.grad(model.repeated)
    close(gradient(0.9), central(model.repeated, 0.9))
    model.n = 5
    close(gradient(0.9), central(model.repeated, 0.9))
    # (its gradient code keeps a tape: the Hessian is forward over forward mode)
    close(symdiff.hessian(model.repeated)(0.9), central(gradient, 0.9))


def test_array_attributes_are_part_of_what_array_code_is_specialized_for():
    model = Model()
    gradient = symdiff.grad(model.energy)
    x = np.array([0.3, -1.1, 0.8])
    close(gradient(x), central(model.energy, x))
    model.layer.w = np.array([[0.5, 1.5, -2.0], [1.0, 0.25, 3.0]])  # now broadcast along a new axis
    got = gradient(x)
    assert got.shape == (3,)
    close(got, central(model.energy, x))
    assert len(gradient.__func__.specializations) == 2
    model.layer.w = np.array([2.0, -3.0, 0.5])  # the first shape again, other values: read live
    close(gradient(x), central(model.energy, x))
    assert len(gradient.__func__.specializations) == 2


def test_a_classmethod_reads_the_class_attribute_live():
    gradient = symdiff.grad(Model.scaled_square)
    assert gradient(0.8) == 2 * Model.rate * 0.8
    try:
        Model.rate = 1.25
        assert gradient(0.8) == 2 * 1.25 * 0.8
    finally:
        Model.rate = 0.5


@pytest.mark.parametrize("method, line", [
    (Model.writes, "        self.w = x"), (Model.adds, "        self.w += x")])
def test_writing_to_the_object_is_a_located_error(method, line):
    with pytest.raises(symdiff.UnsupportedSyntaxError) as info:
        symdiff.grad(method)
    assert str(info.value).startswith(f"{cases.__file__}:{line_of(line)}:9: assigning to self.w changes")
    assert "must not change its object" in str(info.value)


@pytest.mark.parametrize("method, line, words", [
    (Model.returns_self, "        return self", "self, the object the method is called on, is used as a value"),
    (Model.calls_a_method_of_an_attribute, "        return self.layer.forward(x)",
     "self.layer.forward(...) calls a method of self.layer"),
    (Model.calls_a_missing_method, "        return self.missing(x)", "self.missing is not an attribute of class Model"),
], ids=["returns-self", "method-of-an-attribute", "missing-method"])
def test_the_object_itself_and_methods_of_attributes_are_located_errors(method, line, words):
    with pytest.raises(symdiff.SymdiffError) as info:
        symdiff.grad(method)
    assert str(info.value).startswith(f"{cases.__file__}:{line_of(line)}:16: {words}")


def test_value_and_grad_jvp_vjp_jacobian_and_hessian_of_a_method():
    model = Model()
    slope = central(model.loss, 0.7)
    curvature = central(symdiff.grad(model.loss), 0.7)
    value, gradient = symdiff.value_and_grad(model.loss)(0.7)
    assert value == model.loss(0.7)
    close(gradient, slope)
    value, tangent = symdiff.jvp(model.loss)(0.7, 2.0)
    assert value == model.loss(0.7)
    close(tangent, 2.0 * slope)
    close(symdiff.vjp(model.loss)(0.7, 3.0)[1], 3.0 * slope)
    close(symdiff.jacobian(model.loss)(0.7), slope)
    close(symdiff.hessian(model.loss)(0.7), curvature)
    close(symdiff.hessian(Model.loss)(model, 0.7), curvature)
    close(curvature, 2 * model.w - model.w ** 2 * math.sin(model.w * 0.7))


def test_hessian_of_array_code_with_array_attributes():
    model = Model()
    x = np.array([0.3, -1.1, 0.8])
    close(symdiff.hessian(model.energy)(x), np.diag(2 * model.layer.w))


def test_verify_a_bound_and_an_unbound_method():
    model = Model()
    report = symdiff.verify(model.loss)
    assert report.method == "symbolic" and report.max_error <= 1e-12
    report = symdiff.verify(Model.two, wrt=("x", "y"), args=(model, 0.3, -0.4))
    assert report.wrt == ("x", "y") and report.max_error <= 1e-12
    report = symdiff.verify(model.energy, args=(np.array([0.3, -1.1, 0.8]),))
    assert report.max_error <= 1e-12 and report.points == 3
    assert symdiff.verify(symdiff.grad(model.repeated)).max_error <= 1e-12


@pytest.mark.parametrize("check", [symdiff.verify, symdiff.explain], ids=["verify", "explain"])
def test_an_unbound_method_without_its_object_is_a_located_error(check):
    with pytest.raises(symdiff.SymdiffError) as info:
        check(Model.loss)
    assert str(info.value).startswith(f"{cases.__file__}:{line_of('    def loss(self, x):')}:")
    assert "give the object as the first argument" in str(info.value)


def test_explain_of_a_method_reading_an_array_attribute_is_a_located_error():
    with pytest.raises(symdiff.UnsupportedSyntaxError) as info:
        symdiff.explain(Model().energy, np.array([0.3, -1.1, 0.8]))
    line = line_of("        return np.sum(self.layer.w * x ** 2) + self.w * np.sum(x)")
    assert str(info.value).startswith(f"{cases.__file__}:{line}:23: self.layer.w is of type ndarray")


def test_explain_a_method_at_a_point():
    model = Model()
    explanation = symdiff.explain(model.loss, 0.7)
    assert explanation.agrees is True
    close(explanation.derivative_of("x"), central(model.loss, 0.7))
    assert symdiff.explain(Model.loss, model, 0.7).agrees is True


def test_a_gradient_of_a_method_is_differentiated_again():
    model = Model()
    gradient = symdiff.grad(model.loss)
    close(symdiff.grad(gradient)(0.7), central(gradient, 0.7))
    unbound = symdiff.grad(Model.loss)  # (its code takes self first, and is read as a method again)
    close(symdiff.grad(unbound)(model, 0.7), central(gradient, 0.7))


def test_a_method_decorated_with_grad_in_its_class():
    assert cases.Decorated(2.0).slope(0.5) == 3 * 2.0 * 0.5 ** 2


def test_a_method_of_a_class_defined_in_a_function():
    local = cases.local_class()
    close(symdiff.grad(local().loss)(0.6), central(local().loss, 0.6))
    with pytest.raises(symdiff.UnknownFunctionError, match="the class of this method is not known"):
        symdiff.grad(local.loss)


def test_the_cli_refuses_a_method_with_a_located_error(capsys):
    assert cli.main([f"{cases.__file__}:Model.loss"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{cases.__file__}:{line_of('class Model:')}:1: Model.loss is a method")
    assert "cannot know self's attributes" in err and "Traceback" not in err


def test_a_function_of_the_module_with_a_parameter_named_self_is_no_method():
    assert symdiff.grad(cases.not_a_method)(2.0, 3.0) == 9.0  # wrt=0 is self: d/dself = x**2
    by_x = symdiff.grad(cases.not_a_method, wrt=1)
    assert by_x(2.0, 3.0) == 12.0
    assert symdiff.grad(by_x, wrt=1)(2.0, 3.0) == 4.0  # its generated code is no method either
