"""The public API: grad, value_and_grad, wrt forms, the returned object, the
generated code (standalone, registered with linecache, deterministic)."""

import inspect
import math
import subprocess
import sys
import traceback
from pathlib import Path

import numpy as np
import pytest

import symdiff

SCALE = 3.0


def lecture(x):
    return math.sqrt(x**2 + math.exp(x**2)) + math.cos(x**2 + math.exp(x**2))


def three(x, y, z=2.0):
    return (x + y) * z + SCALE * math.sin(x * y)


def uses_numpy(x):
    return np.exp(x) * np.tanh(x)


def domain_error(x):
    return math.sqrt(x)


def reassigned(x):
    y = x * x
    y = y + x
    y *= 3
    a, b = y, x
    return a * b


@symdiff.grad
def decorated(x):
    return x**3


@symdiff.grad(wrt="y")
def decorated_wrt(x, y):
    return x * y**2


def test_grad_of_the_lecture_function_matches_the_notes():
    g = symdiff.grad(lecture)
    assert g(0.7) == pytest.approx(-1.874001704964, abs=1e-12)
    assert str(g.lowered) == "a = x**2\nb = exp(a)\nc = a + b\nd = sqrt(c)\ne = cos(c)\nlecture = d + e"


def test_wrt_by_index_name_and_tuple_give_the_same_numbers():
    by_index = symdiff.grad(three, wrt=1)(0.5, 1.5)
    by_name = symdiff.grad(three, wrt="y")(0.5, 1.5)
    both = symdiff.grad(three, wrt=("x", 1))(0.5, 1.5)
    assert by_index == by_name == both[1]
    assert both[0] == pytest.approx(2.0 + SCALE * 1.5 * math.cos(0.75))
    assert isinstance(both, tuple) and len(both) == 2


def test_a_one_element_tuple_wrt_returns_a_one_element_tuple():
    result = symdiff.grad(three, wrt=("x",))(0.5, 1.5)
    assert isinstance(result, tuple) and len(result) == 1


def test_value_and_grad_returns_the_value_first():
    value, gradient = symdiff.value_and_grad(lecture)(0.7)
    assert value == lecture(0.7)
    assert gradient == symdiff.grad(lecture)(0.7)
    value, (gx, gz) = symdiff.value_and_grad(three, wrt=("x", "z"))(0.5, 1.5, 4.0)
    assert value == three(0.5, 1.5, 4.0)
    assert gz == 2.0


def test_decorator_forms_and_defaults():
    assert decorated(2.0) == 12.0
    assert decorated_wrt(3.0, 2.0) == 12.0
    assert symdiff.grad(three, wrt="z")(1.0, 2.0) == 3.0  # z defaults to 2.0


def test_reassignment_augmented_assignment_and_unpacking():
    def reference(x):
        return 9 * x**2 + 6 * x  # d/dx of 3 (x^2 + x) x

    assert symdiff.grad(reassigned)(1.7) == pytest.approx(reference(1.7), rel=1e-14)
    assert "y_1" in str(symdiff.grad(reassigned).lowered)


def test_gradient_has_the_type_of_its_argument():
    assert type(symdiff.grad(lecture)(0.7)) is float
    assert isinstance(symdiff.grad(uses_numpy)(0.7), np.floating)


def test_numpy_namespace_is_kept_in_generated_code():
    source = symdiff.grad(uses_numpy).source
    assert "np.exp(x)" in source and "math." not in source
    assert "math.exp" in symdiff.grad(lecture).source


def test_object_exposes_source_lowered_original_and_a_helpful_repr():
    g = symdiff.grad(three, wrt=("x", "y"))
    assert g.fun is three
    assert g.wrt == ("x", "y")
    assert "def grad_three(x, y, z=2.0):" in g.source
    assert repr(g).startswith("<function symdiff.grad(three, wrt=x, y) at 0x")
    assert "```python" in g._repr_markdown_()
    assert g.__name__ == "grad_three"


def test_transformation_runs_once_per_function_and_wrt():
    assert symdiff.grad(three, wrt="x") is symdiff.grad(three, wrt="x")
    assert symdiff.grad(three, wrt="x") is not symdiff.grad(three, wrt="y")


def test_generated_source_runs_standalone_without_symdiff():
    g = symdiff.grad(three, wrt=("x", "y"))
    namespace = {}
    exec(g.source, namespace)
    assert namespace["grad_three"](0.5, 1.5) == g(0.5, 1.5)
    assert "import symdiff" not in g.source and "from symdiff" not in g.source


def test_generated_code_is_registered_with_linecache():
    g = symdiff.grad(lecture)
    assert inspect.getsource(g) in g.source
    assert inspect.getsourcefile(g).startswith("<symdiff grad_lecture ")


def test_tracebacks_show_the_generated_line():
    with pytest.raises(ValueError) as info:
        symdiff.grad(domain_error)(-1.0)
    frames = traceback.extract_tb(info.tb)
    generated = [f for f in frames if f.filename.startswith("<symdiff grad_domain_error")]
    assert len(generated) == 1
    assert generated[0].line == "domain_error = math.sqrt(x)"


def test_generated_code_is_identical_across_processes(tmp_path):
    script = ("import symdiff, sys; sys.path.insert(0, %r); import test_api; "
              "print(symdiff.grad(test_api.three, wrt=('x', 'y', 'z')).source)") % str(Path(__file__).parent)
    outputs = set()
    for seed in ("1", "2"):
        env = {"PYTHONHASHSEED": seed, "PATH": ""}
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                             check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


RATE = 2.0


def reads_a_module_constant(x):
    return RATE * math.sin(x)


def make_closure(c):
    def scaled(x):
        return c * x * x
    return scaled


def test_module_constants_are_read_live_like_the_original_reads_them():
    global RATE
    g = symdiff.grad(reads_a_module_constant)
    vg = symdiff.value_and_grad(reads_a_module_constant)
    assert g(0.0) == 2.0
    RATE = 5.0
    try:
        assert g(0.0) == 5.0
        assert vg(0.0) == (reads_a_module_constant(0.0), 5.0)
    finally:
        RATE = 2.0
    assert "RATE = 2.0" in g.source  # the standalone module defines it


def test_closures_read_the_original_cells():
    scaled = make_closure(3.0)
    assert symdiff.grad(scaled)(1.0) == 6.0
    gradient = symdiff.grad(scaled)
    cells = dict(zip(gradient.__code__.co_freevars, gradient.__closure__, strict=True))
    assert cells["c"] is scaled.__closure__[0]


def test_modules_the_original_lacks_are_supplied_to_the_generated_code(monkeypatch):
    expected = (8 * math.log(2), 3 * 4.0)
    monkeypatch.delitem(globals(), "math")
    from_import = symdiff.grad(uses_power, wrt=("y", "x"))
    assert "math.log" in from_import.source and "math" not in globals()
    assert from_import(2.0, 3.0) == pytest.approx(expected)


def uses_power(x, y):
    return x**y



def _sympy_fails(*args, **kwargs):
    raise NotImplementedError("a formula SymPy cannot evaluate")


def test_verify_survives_sympy_failing_on_the_generated_closed_form(monkeypatch):
    from symdiff.verification import symbolic

    def f(x):
        return math.sin(x) * x

    real = symbolic.to_sympy
    calls = []

    def only_the_reference(func, inputs, prims=symbolic.PRIMS, limit=None):
        calls.append(func.name)
        if func.name.startswith("grad_"):  # the generated code's closed form: SymPy gives up
            raise NotImplementedError("a formula SymPy cannot evaluate")
        return real(func, inputs, prims, limit)

    monkeypatch.setattr(symbolic, "to_sympy", only_the_reference)
    report = symdiff.verify(f)
    assert "grad_f" in calls and report.max_error <= 1e-12
    assert "checked numerically" in str(report)  # (no symbolic equality without our closed form)
    monkeypatch.setattr(symbolic, "to_sympy", _sympy_fails)
    with pytest.raises(symdiff.VerificationError, match="SymPy failed building or differentiating"):
        symdiff.verify(f)
