"""Random NumPy programs with broadcasting, differentiated by symdiff and checked against
central differences (reverse mode) and the dot-product identity (forward mode).

Each program takes two arrays of random shapes that broadcast together (a matrix and a
row, a column and a row, ...) and a scalar, combines them in 1-6 statements of
elementwise operations (+ - *, division by a positive value, tanh, sin, cos, exp of a
bounded value, maximum), and returns a sum or mean. (No matrix products, reductions
along an axis inside the program, loops or helpers yet: issue 6.) A broadcast argument's
gradient is summed back over the broadcast axes, which the reductions along an axis
in the generated code exercise. The gradient with respect to every parameter must match central differences
entry by entry (a relative 1e-5, the differences' own accuracy) and have its parameter's
shape; jvp along random directions must match the gradient's dot product with them.

CI runs `MAX_EXAMPLES`; SYMDIFF_FUZZ_EXAMPLES=N runs N (the scalar fuzzer's switch).
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import os

import numpy as np
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import symdiff

MAX_EXAMPLES = int(os.environ.get("SYMDIFF_FUZZ_EXAMPLES", "40"))
H = 1e-6
# (shape of A, shape of B): pairs that broadcast, with the shape of their combination.
SHAPES = (((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3), (2, 3)), ((4,), (4,)), ((3, 4), (3, 1)), ((5,), (1,)))
UNARY = ("np.tanh({})", "np.sin({})", "np.exp(np.tanh({}))", "np.cos({}) * 0.5")
BINARY = ("{} + {}", "{} - {}", "{} * {}", "{} / (1.0 + {} * {})", "np.maximum({}, {})")
_NUMBERS = itertools.count()


@st.composite
def array_programs(draw):
    """(source, shapes): `def f(A, B, s)` over arrays of `shapes` and a scalar s."""
    shapes = draw(st.sampled_from(SHAPES))
    names = ["A", "B", "s"]
    lines = []
    for k in range(draw(st.integers(1, 6))):
        target = f"v{k}"
        kind = draw(st.sampled_from(("unary", "binary", "binary", "scalar")))
        a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        if kind == "unary":
            expr = draw(st.sampled_from(UNARY)).format(a)
        elif kind == "scalar":
            expr = f"{a} * s + {draw(st.sampled_from(('0.5', '1.5', 'np.pi')))}"
        else:
            template = draw(st.sampled_from(BINARY))
            expr = template.format(a, b, b) if template.count("{}") == 3 else template.format(a, b)
        lines.append(f"    {target} = {expr}")
        names.append(target)
    last = names[-1]
    ending = draw(st.sampled_from(("np.sum({})", "np.mean({})", "np.sum({} * {})", "np.sum(np.tanh({}))")))
    result = ending.format(last, draw(st.sampled_from(names))) if ending.count("{}") == 2 else ending.format(last)
    source = "import numpy as np\n\n\ndef f(A, B, s):\n" + "\n".join(lines) + f"\n    return {result}\n"
    ast.parse(source)
    return source, shapes


def load(source: str, directory):
    path = directory / f"random_array_program_{next(_NUMBERS)}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def central(f, args, index):
    """d f / d args[index] by central differences, entry by entry."""
    value = np.asarray(args[index], dtype=float)
    result = np.zeros(value.shape)
    for entry in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[entry] += H
        down[entry] -= H
        plus = list(args)
        minus = list(args)
        plus[index], minus[index] = (up, down) if value.shape else (float(up), float(down))
        result[entry] = (f(*plus) - f(*minus)) / (2 * H)
    return result


@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(program=array_programs(), seed=st.integers(0, 2**16))
def test_random_array_program_gradient(tmp_path, program, seed):
    source, shapes = program
    note(source)
    f = load(source, tmp_path)
    rng = np.random.default_rng(seed)
    args = (rng.uniform(-1.5, 1.5, shapes[0]), rng.uniform(-1.5, 1.5, shapes[1]), float(rng.uniform(-1.5, 1.5)))
    names = ("A", "B", "s")
    gradient = symdiff.grad(f, wrt=names)(*args)
    for index, (name, got) in enumerate(zip(names, gradient, strict=True)):
        assert np.shape(got) == np.shape(args[index]), (name, np.shape(got))
        numeric = central(f, args, index)
        scale = max(1.0, float(np.max(np.abs(numeric))))
        close = np.abs(np.asarray(got) - numeric) <= 1e-5 * scale
        assert close.all(), (name, got, numeric)
    directions = (rng.normal(size=shapes[0]), rng.normal(size=shapes[1]), float(rng.normal()))
    value, dot = symdiff.jvp(f, wrt=names)(*args, *directions)
    expected = sum(float(np.sum(g * d)) for g, d in zip(gradient, directions, strict=True))
    assert value == f(*args)
    assert abs(dot - expected) <= 1e-9 * max(1.0, abs(expected)), (dot, expected)


# Found by this fuzzer: terms that cancel (v0 - v0) simplified to the number 0.0, which
# lost the shape a reduction along an axis needed (a ZeroDivisionError in shape
# inference), and returned a gradient of the wrong shape.
CANCELLING = """import numpy as np


def f(A, B, s):
    v0 = A * B
    v1 = v0 - v0
    return np.sum(v1)


def g(A, B):
    return (A * B - A * B) * 2.0, np.tanh(B)
"""


def test_cancelling_terms_give_zeros_of_each_parameters_shape(tmp_path):
    path = tmp_path / "cancelling.py"
    path.write_text(CANCELLING)
    spec = importlib.util.spec_from_file_location("cancelling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for shapes in (((3, 4), (4,)), ((3, 4), (3, 1))):
        A, B = np.ones(shapes[0]), np.ones(shapes[1])
        A_bar, B_bar, s_bar = symdiff.grad(module.f, wrt=("A", "B", "s"))(A, B, 0.5)
        assert (A_bar.shape, B_bar.shape, s_bar) == (A.shape, B.shape, 0.0)
        assert not A_bar.any() and not B_bar.any()
        _, (A_bar, B_bar) = symdiff.vjp(module.g, wrt=("A", "B"))(A, B, np.ones(shapes[0]), np.ones(shapes[1]))
        assert (A_bar.shape, B_bar.shape) == (A.shape, B.shape) and not A_bar.any()
