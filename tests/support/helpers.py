"""Small helpers several test files share."""

import importlib.util
import textwrap

import numpy as np

import symdiff


def module_from_text(tmp_path, name: str, text: str):
    """A module written to `tmp_path/name.py` from `text` (dedented) and imported."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def defined(module_text: str, name: str) -> str:
    """The definition of function `name` in printed generated code (not the helpers around it)."""
    start = module_text.index(f"def {name}(")
    end = module_text.find("\n\n\ndef ", start)
    return module_text[start:] if end == -1 else module_text[start:end + 1]


def assert_jvp_agrees_with_grad(fun, names, params, points, rtol: float = 1e-9):
    """At each point, along a random direction: <J x_dot> from `symdiff.jvp` equals
    <grad, x_dot> from `symdiff.grad` (the dot-product identity), the tangent is one
    number, and jvp's value is the function's."""
    tangent = symdiff.jvp(fun, wrt=tuple(names))
    gradient = symdiff.grad(fun, wrt=tuple(names))
    rng = np.random.default_rng(7)
    for point in points:
        direction = [rng.uniform(-1.0, 1.0, np.shape(point[params.index(n)])) for n in names]
        direction = [float(d) if np.ndim(d) == 0 else d for d in direction]
        value, dot = tangent(*point, *direction)
        expected = sum(float(np.sum(g * d)) for g, d in zip(gradient(*point), direction, strict=True))
        assert isinstance(dot, (float, np.floating)) and not isinstance(dot, (bool, np.bool_)), (point, dot)
        assert abs(dot - expected) <= rtol * max(1.0, abs(expected)), (point, dot, expected)
        assert np.allclose(value, fun(*point), rtol=1e-12, atol=0.0), (point, value)
