"""compile="numba" (backend/jit.py): the generated module rewritten for Numba's nopython
mode, then compiled.

The rewrite is plain Python too, so it is tested without Numba: the rewritten module,
run as Python, gives the same numbers as the module it came from. Where Numba is
installed (the `numba` extra), the compiled gradients are compared with the Python
ones, and what Numba cannot compile is reported as a located SymdiffError.
"""

import importlib.util
import re

import numpy as np
import pytest

import symdiff
from symdiff.backend.emit import compile_source
from symdiff.backend.jit import NumbaError, numba_source
from symdiff.errors import ArgumentError

from .cases import control_flow_corpus, inplace_cases
from .cases import numba_cases as cases

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="numba is not installed (the numba extra, issue 18)")
RNG = np.random.default_rng(5)
X, Y = RNG.uniform(0.0, 3.0, 6), RNG.uniform(0.0, 3.0, 6)
IDX = np.array([0, 2, 2, 5, 0])
CASES = [
    (cases.recurrence, ("x", "y"), (1.0, 0.02, 50)),
    (cases.two_carried, ("x", "y"), (0.4, -0.3)),
    (cases.stepped, "x", (0.7,)),
    (cases.calls_a_helper, ("x", "y"), (0.5, 1.5)),
    (inplace_cases.pair_energy, ("x", "y"), (X, Y)),
    (cases.rosenbrock, "x", (X,)),
    (cases.picked, "x", (X, IDX)),
    (cases.picked_unaliased, "x", (X, IDX)),
    (cases.stacked_unaliased, ("x", "y"), (0.3, 0.7)),
]
IDS = [fun.__name__ for fun, _, _ in CASES]


def _generated_text(gradient, args) -> str:
    """The module symdiff generated for `gradient` at `args` (array code: for their shapes)."""
    if hasattr(gradient, "specialized"):
        gradient.specialized(*args)  # (generated now: .source shows it)
    return gradient.source


def _same(got, want) -> None:
    got, want = (got, want) if isinstance(want, tuple) else ((got,), (want,))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fun, wrt, args", CASES, ids=IDS)
def test_the_rewritten_module_runs_as_python_with_the_same_numbers(fun, wrt, args):
    gradient = symdiff.grad(fun, wrt)
    want = gradient(*args)
    text = _generated_text(gradient, args)
    name = re.search(r"^def (grad_\w+)\(", text, re.MULTILINE).group(1)
    rewritten = numba_source(text, name)
    assert "reversed(" not in rewritten and "np.s_" not in rewritten and "np.add.at" not in rewritten
    assert f"_check_arguments('{name}'" not in rewritten.split(f"def {name}(")[1].split("\ndef ")[0]
    _same(compile_source(rewritten, name)(*args), want)


@needs_numba
@pytest.mark.parametrize("fun, wrt, args", CASES, ids=IDS)
def test_compiled_gradients_agree_with_the_python_ones(fun, wrt, args):
    fast = symdiff.grad(fun, wrt, compile="numba")
    _same(fast(*args), symdiff.grad(fun, wrt)(*args))
    assert "compile='numba'" in repr(fast)
    assert "reversed(" not in fast.source and "np.s_" not in fast.source


@needs_numba
def test_value_and_grad_jvp_and_vjp_compile_too():
    args = (0.4, -0.3)
    _same(symdiff.value_and_grad(cases.two_carried, ("x", "y"), compile="numba")(*args),
          symdiff.value_and_grad(cases.two_carried, ("x", "y"))(*args))
    _same(symdiff.jvp(cases.two_carried, ("x", "y"), compile="numba")(*args, 1.0, 0.5),
          symdiff.jvp(cases.two_carried, ("x", "y"))(*args, 1.0, 0.5))
    _same(symdiff.vjp(inplace_cases.pair_energy, ("x", "y"), compile="numba")(X, Y, 1.5),
          symdiff.vjp(inplace_cases.pair_energy, ("x", "y"))(X, Y, 1.5))
    decorated = symdiff.grad(wrt=("x", "y"), compile="numba")(cases.recurrence)
    _same(decorated(1.0, 0.02, n=30), symdiff.grad(cases.recurrence, ("x", "y"))(1.0, 0.02, 30))


@needs_numba
@pytest.mark.parametrize("fun, args", [(cases.recurrence, (1.0, 0.02, 40)), (cases.two_carried, (0.4, -0.3)),
                                       (inplace_cases.pair_energy, (X[:4], Y[:4]))], ids=["tape", "carried", "pairs"])
def test_hessians_compile_column_by_column(fun, args, monkeypatch):
    import symdiff.backend.jit as jit

    made = []
    compile_one = jit.compiled
    monkeypatch.setattr(jit, "compiled", lambda generated, *rest: made.append(generated.__name__) or
                        compile_one(generated, *rest))
    want = symdiff.hessian(fun, ("x", "y"))(*args)
    assert made == []
    got = symdiff.hessian(fun, ("x", "y"), compile="numba")(*args)
    assert made and all(name.startswith("jvp_") for name in made), made
    for got_row, want_row in zip(got, want, strict=True):
        for g, w in zip(got_row, want_row, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-11, atol=1e-13)


@needs_numba
def test_a_wrong_argument_gets_symdiffs_located_error_not_a_typing_error():
    fast = symdiff.grad(cases.recurrence, ("x", "y"), compile="numba")
    with pytest.raises(ArgumentError, match=r"numba_cases\.py:\d+:\d+: grad_recurrence\(x, y, n\): x is a str"):
        fast("1.0", 0.02, 3)


@needs_numba
def test_what_numba_cannot_compile_is_a_located_error_naming_the_generated_line():
    fast = symdiff.grad(cases.contracted, ("A", "B"), compile="numba")
    with pytest.raises(NumbaError) as refused:
        fast(np.outer(X, Y), np.outer(Y, X))
    message = str(refused.value)
    assert re.match(r".*numba_cases\.py:\d+:1: compile='numba': Numba cannot compile grad_contracted "
                    r"\(generated line \d+: `.*np\.tensordot.*`\): .*tensordot", message), message
    assert "compile=None" in message


@needs_numba
def test_a_method_and_a_container_of_arrays_are_refused_at_the_function():
    with pytest.raises(NumbaError, match=r"numba_cases\.py:\d+:1: compile='numba' of the method Decay\.loss"):
        symdiff.grad(cases.Decay().loss, compile="numba")
    fast = symdiff.grad(cases.of_a_dict, compile="numba")
    with pytest.raises(NumbaError, match=r"numba_cases\.py:\d+:1: .*given a container of arrays"):
        fast({"W": np.ones((2, 3))}, np.ones(3))


def test_without_numba_compile_numba_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "numba", None)  # (import numba raises ImportError)
    with pytest.raises(NumbaError, match=r"numba_cases\.py:\d+:1: .*pip install 'symdiff\[numba\]'"):
        symdiff.grad(cases.stepped, compile="numba")
    with pytest.raises(ValueError, match="compile='jax'"):
        symdiff.grad(cases.stepped, compile="jax")


CORPUS = list(control_flow_corpus.CASES)
REFUSED_BY_NUMBA = {"range_over_len": "xs[i_1]"}  # (a tuple indexed by the loop's index: Numba cannot)


def _leaves(value) -> list:
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [float(v) for v in np.ravel(np.asarray(value, dtype=float))]


@needs_numba
@pytest.mark.slow  # (a Numba compilation per case: about a minute)
@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_the_control_flow_corpus_compiles_to_the_same_gradients_or_a_located_refusal(case):
    """Loops, branches, helpers, early returns, tapes: each case's gradient, compiled,
    equals the Python one at every point, or Numba's refusal names the generated line."""
    python = symdiff.grad(case.fun, wrt=case.wrt)
    fast = symdiff.grad(case.fun, wrt=case.wrt, compile="numba")
    for point in case.points:
        try:
            want = python(*point)
        except symdiff.SymdiffError:
            continue  # (refused without Numba too: tests/test_control_flow.py)
        try:
            got = fast(*point)
        except NumbaError as refused:
            assert case.name in REFUSED_BY_NUMBA and REFUSED_BY_NUMBA[case.name] in str(refused), str(refused)
            assert re.search(r"\(generated line \d+: `", str(refused)), str(refused)
            continue
        np.testing.assert_allclose(_leaves(got), _leaves(want), rtol=1e-10, atol=1e-12)
