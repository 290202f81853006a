"""Containers as values (tests/cases/container_cases.py): tuples, lists and dicts as
arguments, locals and helpers' results, in every mode, against central differences
(tests/support/surface.py) and SymPy where there is a closed form; and the errors
for what symdiff refuses, each located in the source."""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy

import symdiff
from symdiff import cli
from symdiff.errors import ArgumentError, NeedsContainers, NonScalarOutputError, ShapeError, UnsupportedSyntaxError

from .cases import container_cases as cases
from .support import surface
from .support.sympy_reference import sympy_version

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): \S")
RNG = np.random.default_rng(7)


def normal(*shape):
    return RNG.normal(size=shape) if shape else float(RNG.normal())


MLP = {"W1": normal(3, 2), "b1": normal(3), "W2": normal(1, 3), "b2": normal(1)}
X, Y = normal(2), normal(1)
LAYERS = [(normal(3, 2), normal(3)), (normal(2, 3), normal(2)), (normal(1, 2), normal(1))]
NESTED = {"encoder": (normal(3, 2), normal(3)), "decoder": {"V": normal(2, 3), "c": normal()}}
SMALL = {"W": normal(3, 2), "b": normal(3)}

# (function, arguments, the parameters differentiated)
DIFFERENTIATED = [
    (cases.mlp_dict, (MLP, X, Y), (0,)),
    (cases.mlp_dict, (MLP, X, Y), (0, 1)),
    (cases.mlp_layers, (LAYERS, X, Y), (0,)),
    (cases.mlp_layers, (LAYERS, X, Y), (0, 1)),
    (cases.nested, (NESTED, X), (0,)),
    (cases.with_helpers, (SMALL, X), (0, 1)),
    (cases.pair_of_numbers, ((0.3, 0.7), 2.0), (0, 1)),
    (cases.starred, ((1.5, -2.0, 0.5),), (0,)),
    (cases.nested_unpacking, (0.4, 0.9), (0, 1)),
    (cases.tuple_local, (0.4, 0.9), (0, 1)),
    (cases.indexed_tuple, ((normal(3), 1.5), normal(3)), (0, 1)),
    (cases.swaps_in_a_loop, (0.8, -1.3, 3), (0, 1)),
    (cases.chosen_in_a_branch, ({"a": 0.7, "b": -1.1}, 0.5), (0, 1)),
    (cases.chosen_in_a_branch, ({"a": 0.7, "b": -1.1}, -0.5), (0, 1)),
    (cases.list_readers, ([normal(3), normal(3), normal(3)], normal(3)), (0, 1)),
    (cases.indexes_a_call, (0.4, 0.9), (0, 1)),
    (cases.l2_regularized, (MLP, X, Y), (0,)),
    (cases.zipped_layers, ([(normal(3, 2), normal(3)), (normal(2, 3), normal(2))], (0.7, 1.3), normal(2)), (0, 1, 2)),
]
IDS = [f"{f.__name__}-{'-'.join(map(str, wrt))}-{k}" for k, (f, _, wrt) in enumerate(DIFFERENTIATED)]


def expected_gradients(fun, args, wrt) -> tuple:
    return tuple(surface.central_differences(fun, list(args), i) for i in wrt)


@pytest.mark.parametrize("fun,args,wrt", DIFFERENTIATED, ids=IDS)
def test_gradient_has_the_structure_of_its_argument_and_matches_central_differences(fun, args, wrt):
    grads = symdiff.grad(fun, wrt=wrt)(*args)
    assert surface.mismatch(grads, expected_gradients(fun, args, wrt), "gradient") is None


@pytest.mark.parametrize("fun,args,wrt", DIFFERENTIATED, ids=IDS)
def test_value_and_grad_gives_the_value_and_the_same_gradient(fun, args, wrt):
    value, grads = symdiff.value_and_grad(fun, wrt=wrt)(*args)
    assert value == pytest.approx(fun(*args), rel=1e-12)
    assert surface.mismatch(grads, symdiff.grad(fun, wrt=wrt)(*args), "value_and_grad") is None


@pytest.mark.parametrize("fun,args,wrt", DIFFERENTIATED, ids=IDS)
def test_jvp_takes_tangents_of_the_same_structure(fun, args, wrt):
    directions = [surface.directions_for(_named(fun), [args[i]])[0] for i in wrt]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*args, *directions)
    moved = lambda t: fun(*[surface.along(a, directions[wrt.index(i)], t) if i in wrt else a
                            for i, a in enumerate(args)])
    expected = (moved(surface.STEP) - moved(-surface.STEP)) / (2 * surface.STEP)
    assert value == pytest.approx(fun(*args), rel=1e-12)
    assert tangent == pytest.approx(expected, rel=1e-6, abs=1e-6)
    by_gradient = sum(surface.inner(g, d) for g, d in zip(symdiff.grad(fun, wrt=wrt)(*args), directions,
                                                          strict=True))
    assert tangent == pytest.approx(by_gradient, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("fun,args,wrt", DIFFERENTIATED, ids=IDS)
def test_vjp_scales_the_gradient_by_the_cotangent(fun, args, wrt):
    value, grads = symdiff.vjp(fun, wrt=wrt)(*args, 2.0)
    doubled = tuple(_scaled(g, 2.0) for g in symdiff.grad(fun, wrt=wrt)(*args))
    assert value == pytest.approx(fun(*args), rel=1e-12)
    assert surface.mismatch(grads, doubled, "vjp") is None


def test_a_tuple_of_numbers_agrees_with_sympy():
    a, b, k = sympy.symbols("a b k", real=True)
    closed = sympy_version(cases.pair_of_numbers)((a, b), k)
    point = {a: 0.3, b: 0.7, k: 2.0}
    (da, db), dk = symdiff.grad(cases.pair_of_numbers, wrt=(0, 1))((0.3, 0.7), 2.0)
    assert isinstance(da, float) and isinstance(db, float)
    for got, symbol in ((da, a), (db, b), (dk, k)):
        assert got == pytest.approx(float(sympy.diff(closed, symbol).subs(point)), rel=1e-12)


def test_one_training_step_of_the_dict_mlp_lowers_its_loss():
    step = symdiff.value_and_grad(cases.mlp_dict)
    loss, grads = step(MLP, X, Y)
    trained = {k: MLP[k] - 0.1 * grads[k] for k in MLP}
    assert set(grads) == set(MLP) and all(grads[k].shape == MLP[k].shape for k in MLP)
    assert step(trained, X, Y)[0] < loss


def test_wrt_names_a_container_parameter():
    by_name = symdiff.grad(cases.mlp_dict, wrt="params")(MLP, X, Y)
    by_index = symdiff.grad(cases.mlp_dict)(MLP, X, Y)
    assert isinstance(by_name, dict) and surface.mismatch(by_name, by_index, "wrt='params'") is None
    both = symdiff.grad(cases.mlp_dict, wrt=("params", "x"))(MLP, X, Y)
    assert isinstance(both, tuple) and isinstance(both[0], dict) and both[1].shape == X.shape


def test_containers_may_be_passed_by_keyword():
    by_keyword = symdiff.grad(cases.mlp_dict)(x=X, y=Y, params=MLP)
    assert surface.mismatch(by_keyword, symdiff.grad(cases.mlp_dict)(MLP, X, Y), "by keyword") is None


def test_a_list_of_pairs_gets_a_list_of_pairs():
    grads = symdiff.grad(cases.mlp_layers)(LAYERS, X, Y)
    assert type(grads) is list and [type(g) for g in grads] == [tuple] * 3
    assert [g[0].shape for g in grads] == [W.shape for W, _ in LAYERS]


def test_generated_code_unpacks_leaves_at_entry_and_packs_the_gradient():
    gradient = symdiff.grad(cases.mlp_dict)
    gradient(MLP, X, Y)
    assert "def grad_mlp_dict(params, x, y):" in gradient.source
    assert "    W1 = params['W1']\n" in gradient.source
    assert "return {'W1': W1_bar, 'b1': " in gradient.source
    assert '"""Gradient of mlp_dict with respect to params."""' in gradient.source
    numbers = symdiff.grad(cases.pair_of_numbers, wrt=(0, 1))
    numbers((0.3, 0.7), 2.0)  # (leaves a and b: the docstring names pair, and keeps its other words)
    assert '"""Gradient of pair_of_numbers with respect to pair, k."""' in numbers.source
    unpacked = symdiff.grad(cases.linear_tuple_params)
    unpacked((normal(3, 2), normal(2)), normal(4, 3), normal(4, 2))
    assert "    W, b = params\n" in unpacked.source and "return W_bar, b_bar" in unpacked.source
    tangent = symdiff.jvp(cases.mlp_dict)
    tangent(MLP, X, Y, MLP)
    assert "def jvp_mlp_dict(params, x, y, params_dot):" in tangent.source
    assert "    W1_dot = params_dot['W1']\n" in tangent.source


def test_generated_code_runs_without_symdiff():
    gradient = symdiff.grad(cases.mlp_layers)
    expected = gradient(LAYERS, X, Y)
    namespace = {}
    exec(compile(gradient.source, "saved.py", "exec"), namespace)  # noqa: S102 (the module as saved)
    saved = namespace["grad_mlp_layers"](LAYERS, X, Y)
    assert surface.mismatch(saved, expected, "the saved module") is None


def test_code_is_generated_once_per_structure():
    gradient = symdiff.grad(cases.mlp_layers)
    gradient(LAYERS, X, Y)
    gradient([(W + 1.0, b) for W, b in LAYERS], X, Y)
    assert len(gradient.specializations) == 1
    shorter = gradient(LAYERS[1:], normal(3), Y)
    assert len(gradient.specializations) == 2 and len(shorter) == 2


# ---------------------------------------------------------------- refused

def _refusal(cls, call) -> str:
    with pytest.raises(cls) as info:
        call()
    message = str(info.value)
    located = LOCATED.match(message)
    assert located and Path(located["file"]).is_file(), message
    assert ";" in info.value.detail  # the advice follows the diagnosis
    return message


@pytest.mark.parametrize("fun,args,cls,says", [
    (cases.keyed_by_number, ({0: 1.0}, 2.0), ArgumentError, "not a string"),
    (cases.mlp_dict, ({"W1": "W"}, X, Y), ArgumentError, "params holds a str"),
    (cases.mlp_dict, (MLP, "x", Y), ArgumentError, "x is a str"),
    (cases.grows_in_a_loop_of_values, (1.0, 2.0, 3), UnsupportedSyntaxError, "structure this loop changes"),
    (cases.returns_a_dict, (1.0,), NonScalarOutputError, "returns a container"),
    (cases.missing_key, ({"W": normal(2)},), UnsupportedSyntaxError, "has no key 'W3'"),
    (cases.reads_a_number_as_dict, (1.0,), NeedsContainers, "which is not a dict here"),
    (cases.unpacks_a_dict, ({"W": normal(2), "b": normal(2)},), UnsupportedSyntaxError, "gives its keys"),
    (cases.too_many_names, ((1.0, 2.0),), UnsupportedSyntaxError, "2 value(s) into 3 name(s)"),
    (cases.other_structure_in_each_branch, (1.0,), UnsupportedSyntaxError, "another structure in each branch"),
    (cases.dict_as_number, ({"W": normal(2)},), UnsupportedSyntaxError, "a dict is used as a number"),
    (cases.list_readers, (normal(3, 3), normal(3)), NeedsContainers, "as a list or tuple"),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_refused_containers_are_located_errors(fun, args, cls, says):
    assert says in _refusal(cls, lambda: symdiff.grad(fun)(*args))


def test_a_method_taking_containers_is_refused():
    assert "a method taking containers" in _refusal(UnsupportedSyntaxError, lambda: symdiff.grad(cases.Model().loss))


def test_a_tangent_of_another_structure_is_refused():
    message = _refusal(ArgumentError, lambda: symdiff.jvp(cases.mlp_dict)(MLP, X, Y, {"W1": MLP["W1"]}))
    assert "same structure" in message


@pytest.mark.parametrize("transform", [symdiff.jacobian, symdiff.hessian], ids=["jacobian", "hessian"])
def test_jacobian_and_hessian_of_a_container_say_to_flatten_it(transform):
    assert "flatten it first" in _refusal(ShapeError, lambda: transform(cases.mlp_dict)(MLP, X, Y))
    assert "flatten it first" in _refusal(
        ShapeError, lambda: transform(cases.indexed_tuple)((normal(3), 1.5), normal(3)))


RESULTS = [(cases.polar_tree, ((1.7, 0.4),)), (cases.layer_outputs, (SMALL, X))]


@pytest.mark.parametrize("fun,args", RESULTS, ids=[f.__name__ for f, _ in RESULTS])
def test_a_container_result_gets_tangents_and_takes_cotangents_of_its_structure(fun, args):
    direction = surface.directions_for(_named(fun), [args[0]])[0]
    value, tangent = symdiff.jvp(fun)(*args, direction)
    moved = lambda t: fun(surface.along(args[0], direction, t), *args[1:])
    ahead, behind = moved(surface.STEP), moved(-surface.STEP)
    expected = _combined(ahead, behind, 1 / (2 * surface.STEP))
    assert surface.mismatch(value, fun(*args), "jvp's value") is None
    assert surface.mismatch(tangent, expected, "jvp's tangent") is None
    cotangent = _scaled(value, 0.5)  # (a cotangent of the result's structure)
    value_again, pulled = symdiff.vjp(fun)(*args, cotangent)
    assert surface.mismatch(value_again, value, "vjp's value") is None
    assert surface.inner(pulled, direction) == pytest.approx(surface.inner(cotangent, tangent), rel=1e-9)


def test_a_container_result_has_no_gradient_and_its_cotangent_must_fit():
    assert "grad needs one number" in _refusal(NonScalarOutputError, lambda: symdiff.grad(cases.polar_tree)((1.0, 0.5)))
    assert "cotangent of its structure" in _refusal(
        ArgumentError, lambda: symdiff.vjp(cases.polar_tree)((1.0, 0.5), {"x": 1.0}))
    tangent = symdiff.jvp(cases.polar_tree)
    tangent((1.0, 0.5), (1.0, 0.0))
    assert "return {'x': " in tangent.source and "}, {'x': " in tangent.source


def test_a_derivative_of_container_code_is_not_differentiated_again():
    gradient = symdiff.grad(cases.mlp_dict)
    assert "taking containers" in _refusal(UnsupportedSyntaxError, lambda: symdiff.jvp(gradient))


def test_verify_says_it_does_not_take_containers():
    assert "verify does not take containers" in _refusal(
        UnsupportedSyntaxError, lambda: symdiff.verify(cases.mlp_dict, args=(MLP, X, Y)))


def test_the_cli_says_it_cannot_know_the_structure(capsys):
    assert cli.main([f"{cases.__file__}:mlp_dict"]) == 2
    printed = capsys.readouterr().err
    assert printed.startswith(f"{cases.__file__}:") and "cannot know the containers' structure" in printed
    assert len(printed.strip().splitlines()) == 1


# ---------------------------------------------------------------- helpers

def _named(fun):
    """A stand-in for a surface case (surface.directions_for draws per case name)."""
    return type("Case", (), {"name": fun.__name__, "wrt": (0,)})()


def _combined(a, b, k: float):
    """(a - b) * k, leaf by leaf, for two values of one structure."""
    if isinstance(a, dict):
        return {key: _combined(a[key], b[key], k) for key in a}
    if isinstance(a, (tuple, list)):
        return type(a)(_combined(x, y, k) for x, y in zip(a, b, strict=True))
    return (a - b) * k


def _scaled(value, k: float):
    if isinstance(value, dict):
        return {key: _scaled(v, k) for key, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_scaled(v, k) for v in value)
    return value * k


def test_the_function_returned_shows_the_code_generated_for_containers():
    from .cases.loop_cases import rosenbrock_loop

    gradient = symdiff.grad(rosenbrock_loop)
    assert gradient([0.5, 1.0, 1.5]) == [-151.0, -50.0, 100.0]
    assert gradient.source.startswith("def grad_rosenbrock_loop(x):"), gradient.source
    # a leaf differentiated surely holds a float: its int literals are floats
    assert "2.0 * x_0 * " in gradient.source and "x_0 * x_0" in gradient.source, gradient.source


def _rosenbrock_gradient(x: list) -> list:
    g = [0.0] * len(x)
    for i in range(len(x) - 1):
        d = x[i + 1] - x[i] * x[i]
        g[i] += -400.0 * x[i] * d - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * d
    return g


def test_a_list_of_numbers_is_specialized_by_its_length_and_other_entries_are_checked():
    from .cases.loop_cases import rosenbrock_loop

    gradient = symdiff.grad(rosenbrock_loop)
    floats = [0.5, 1.0, 1.5]
    assert gradient(floats) == [-151.0, -50.0, 100.0]
    code = gradient.specialized(floats)
    for numbers in ([0.5, 1, 1.5], [0.5, True, np.float64(1.5)]):  # numbers all: the same code
        assert gradient.specialized(numbers) is code
        assert gradient(numbers) == _rosenbrock_gradient(numbers)
    assert gradient(x=floats) == [-151.0, -50.0, 100.0]
    longer = [0.5, 1.0, 1.5, -2.0]  # another length: code of its own
    assert gradient(longer) == _rosenbrock_gradient(longer) and gradient.specialized(longer) is not code
    # entries that are not numbers, after the code for three floats: never run by it
    assert "x holds a str" in _refusal(ArgumentError, lambda: gradient([0.5, "1.0", 1.5]))
    assert "list arithmetic" in _refusal(UnsupportedSyntaxError, lambda: gradient([[0.5], [1.0], [1.5]]))
    assert "array of shape (2,)" in _refusal(NonScalarOutputError, lambda: gradient([np.ones(2)] * 3))
    assert gradient.specialized(floats) is code
