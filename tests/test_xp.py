"""The Array API backend (issue 18): `symdiff.grad(f, xp="auto")` on other libraries' arrays.

The array corpora of the other tests (tests/test_arrays.py's notes, contractions,
shaping, stacking, updates in place, the realistic programs) are differentiated with xp="auto" on NumPy arrays
(through array_api_compat), on array-api-strict arrays (the standard and nothing
more) and on Dask arrays in chunks of 2, and must give NumPy's gradients (rtol 1e-12),
or, for what the standard cannot say, a located refusal listed here. A logistic
regression over 2,000,000 x 20 in 20 chunks stays lazy and never holds X in one
piece. torch and CuPy run where installed (torch is not in the `backends` extra:
its wheel is gigabytes; CuPy needs a GPU).
"""

import re
import subprocess
import sys

import numpy as np
import pytest

import symdiff
from symdiff.errors import SymdiffError

compat = pytest.importorskip("array_api_compat", reason="issue 18: the xp extra (array-api-compat) is not installed")

from .cases import realistic_programs, shaping_cases, stacking_cases  # noqa: E402
from .cases import xp_cases as cases  # noqa: E402
from .support.examples_loader import load_example  # noqa: E402
from .test_arrays import EXAMPLES, assert_close, draw  # noqa: E402
from .test_contractions import CASES as CONTRACTIONS  # noqa: E402
from .test_inplace import DIFFERENTIATED  # noqa: E402

RTOL = 1e-12
LOCATED = re.compile(r"^[^:]+\.py:\d+:\d+: xp='auto': ")

CORPUS = [(e.id, e.fun, draw(e.shapes), e.wrt) for e in EXAMPLES]
CORPUS += [(f.__name__, f, draw(shapes), tuple(range(len(shapes)))) for f, shapes in CONTRACTIONS]
CORPUS += [(f.__name__, f, args, wrt) for f, args, wrt in shaping_cases.CASES]
CORPUS += [(f.__name__, f, args, wrt) for _, f, args, wrt in stacking_cases.CASES]
CORPUS += [(f"{f.__name__}-{k}", f, args, 0) for k, (f, args) in enumerate(DIFFERENTIATED)]
CORPUS += [(c.fun.__name__, c.fun, [a.draw(np.random.default_rng(0)) for a in c.args], c.wrt)
           for c in realistic_programs.CASES if c.needs is None and all(
               not isinstance(a.draw(np.random.default_rng(0)), (dict, list, tuple)) for a in c.args)]

# What the standard has no spelling for (refused on every backend, at the user's line)
NOT_IN_THE_STANDARD = {
    "conv1d_loss", "edge_padded_blur", "reflect_padded_image", "pad_symmetric_and_wrap",  # np.pad
    "smallest_two_losses", "partition_flattened", "partition_rows",  # np.argpartition
    "dot_of_many_dimensions", "products_with_numbers",  # np.dot of more than two axes, of a number
    "uneven_repeat", "repeat_flattened",  # np.add.reduceat, the adjoint of np.repeat
    "diagonal_of_a_stack",  # np.trace of axes other than the last two
    "trace_squared_implicit", "diagonal_cubes",  # np.einsum of a diagonal ('ii')
    "least_squares_residual",  # np.linalg.lstsq
}
# Writes at an array index (x[idx] = v, or the gradient of reading x[idx]): numpy, cupy,
# torch and dask can; array-api-strict, holding to the standard, cannot
WRITES_AT_ARRAYS = {"arange_index-8", "banded", "cholesky_parameterisation", "method_chain", "upper_part",
                    "gather_rows", "methods_for_shapes", "sorted_columns", "take_flattened",
                    "softmax_cross_entropy_l2"}
# Adding into entries an index may repeat (np.add.at): numpy, cupy and torch only
REPEATS = {"banded", "cholesky_parameterisation", "method_chain", "upper_part", "gather_rows",
           "methods_for_shapes", "sorted_columns", "take_flattened"}
NEW_AXIS_WRITES = {"new_axis_index-7"}  # y[None, 1] = v: numpy's (cupy's, torch's) only
SEVERAL_ARRAYS = {"softmax_cross_entropy_l2"}  # logp[np.arange(n), labels]: not dask's
NOT_IN_DASK = {"spectral_embedding_energy",  # xp.linalg.eigh (array_api_compat.dask.array has no eigh)
               "gaussian_log_density", "gp_negative_log_marginal_likelihood"}  # cholesky: its upper factor
# Dask reshapes only by merging or splitting whole chunks and its svd takes a matrix chunked
# along one axis: these get one chunk per array
WHOLE_CHUNKS = {"reshape_then_matmul", "reshape_method_then_matmul", "pca_reconstruction_error"}
REFUSED = {"numpy": NOT_IN_THE_STANDARD,
           "array_api_strict": NOT_IN_THE_STANDARD | WRITES_AT_ARRAYS | REPEATS | NEW_AXIS_WRITES,
           "dask": NOT_IN_THE_STANDARD | REPEATS | NEW_AXIS_WRITES | SEVERAL_ARRAYS | NOT_IN_DASK}


def _strict():
    return pytest.importorskip("array_api_strict", reason="issue 18: array-api-strict (the backends extra) "
                               "is not installed")


def _dask():
    return pytest.importorskip("dask.array", reason="issue 18: dask[array] (the backends extra) is not installed")


def converter(backend: str, case_id: str = ""):
    """The function putting a NumPy array into `backend`'s arrays (numbers stay numbers)."""
    if backend == "numpy":
        make = compat.array_namespace(np.ones(1)).asarray
    elif backend == "array_api_strict":
        make = _strict().asarray
    elif backend == "dask":
        da = _dask()
        make = lambda a: da.from_array(a, chunks=-1 if case_id in WHOLE_CHUNKS else 2)  # noqa: E731
    elif backend == "torch":
        make = pytest.importorskip("torch", reason="issue 18: torch is not installed (not in the backends "
                                   "extra: its wheel is gigabytes)").asarray
    else:
        make = _cupy().asarray
    return lambda a: make(a) if isinstance(a, np.ndarray) else a


def _cupy():
    cupy = pytest.importorskip("cupy", reason="issue 18: CuPy is not installed (it needs a GPU)")
    if not cupy.cuda.is_available():
        pytest.skip("issue 18: CuPy is installed but there is no GPU")
    return cupy


def as_numpy(value):
    """A backend's array (computed, where Dask's) as a NumPy array."""
    value = value.compute() if hasattr(value, "compute") else value
    if hasattr(value, "get") and not isinstance(value, dict):  # (CuPy's)
        value = value.get()
    if hasattr(value, "detach"):  # (torch's)
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def check_corpus_case(backend: str, case):
    case_id, fun, args, wrt = case
    expected = symdiff.grad(fun, wrt=wrt)(*args)
    gradient = symdiff.grad(fun, wrt=wrt, xp="auto")
    given = [converter(backend, case_id)(a) for a in args]
    if case_id in REFUSED.get(backend, ()):
        with pytest.raises(SymdiffError, match=LOCATED):
            gradient(*given)
        return
    try:
        got = [as_numpy(g) for g in gradient(*given)] if isinstance(wrt, tuple) else as_numpy(gradient(*given))
    except ModuleNotFoundError as exc:  # (dask's linalg.solve calls SciPy's)
        if exc.name != "scipy":
            raise
        pytest.skip(f"issue 18: {backend}'s linear algebra needs SciPy, which is not installed")
    if not any(isinstance(a, np.ndarray) for a in args):  # (numbers only: the ordinary gradient)
        assert not hasattr(gradient, "derivation")
        given = ()
    pairs = zip(expected, got, strict=True) if isinstance(wrt, tuple) else [(expected, got)]
    for mine, theirs in pairs:
        assert_close(theirs, mine, RTOL, f"{case_id} on {backend}")
    if not given:
        return
    source = gradient.source  # (the gradient's own def: the helpers before it may use NumPy for NumPy)
    own = source[source.index(f"def {gradient.derivation.function.__name__}("):]
    assert "xp = array_namespace(" in own and "np." not in own, source


IDS = [case[0] for case in CORPUS]


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_the_corpus_on_numpy_arrays_through_the_namespace(case):
    check_corpus_case("numpy", case)


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_the_corpus_on_array_api_strict_arrays(case):
    check_corpus_case("array_api_strict", case)


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_the_corpus_on_dask_arrays_in_chunks(case):
    check_corpus_case("dask", case)


TORCH_CASES = [case for case in CORPUS if case[0] not in NOT_IN_THE_STANDARD][:40]


@pytest.mark.parametrize("case", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_the_corpus_on_torch_cpu_tensors(case):
    check_corpus_case("torch", case)


@pytest.mark.parametrize("case", CORPUS[:10], ids=IDS[:10])
def test_the_notes_on_cupy_arrays(case):
    check_corpus_case("cupy", case)


# ------------------------------------------------ value_and_grad, jvp, vjp

FEW = [e for e in EXAMPLES if e.id in ("mlp_batched", "dense_bias", "sum_axis1_keepdims", "quadratic_form")]


@pytest.mark.parametrize("backend", ["array_api_strict", "dask"])
@pytest.mark.parametrize("example", FEW, ids=[e.id for e in FEW])
def test_value_and_grad_jvp_and_vjp_take_xp_too(example, backend):
    make = converter(backend)
    args = draw(example.shapes)
    given = [make(a) for a in args]
    value, grads = symdiff.value_and_grad(example.fun, wrt=example.wrt, xp="auto")(*given)
    expected_value, expected = symdiff.value_and_grad(example.fun, wrt=example.wrt)(*args)
    assert_close(as_numpy(value), expected_value, RTOL, "value")
    for mine, theirs in zip(expected, grads, strict=True):
        assert_close(as_numpy(theirs), mine, RTOL, "value_and_grad")
    names = list(example.fun.__code__.co_varnames[:len(args)])
    tangents = [np.ones_like(args[names.index(w)]) for w in example.wrt]
    _, tangent = symdiff.jvp(example.fun, wrt=example.wrt, xp="auto")(*given, *map(make, tangents))
    assert_close(as_numpy(tangent), symdiff.jvp(example.fun, wrt=example.wrt)(*args, *tangents)[1], RTOL, "jvp")
    _, cotangents = symdiff.vjp(example.fun, wrt=example.wrt, xp="auto")(*given, 2.0)
    for mine, theirs in zip(symdiff.vjp(example.fun, wrt=example.wrt)(*args, 2.0)[1], cotangents, strict=True):
        assert_close(as_numpy(theirs), mine, RTOL, "vjp")


# ------------------------------------------------ the generated code


def test_the_generated_code_fetches_the_namespace_and_spells_the_standard():
    gradient = symdiff.grad(cases.logistic_nll, xp="auto")
    gradient(*[converter("array_api_strict")(a) for a in draw([(3,), (5, 3), (5,)])])
    lines = [line.strip() for line in gradient.source.splitlines()]
    assert lines[0] == "from array_api_compat import array_namespace, device", gradient.source
    assert "xp = array_namespace(w, X, y)" in lines, gradient.source
    assert "X.T @" in gradient.source and "xp.exp(" in gradient.source, gradient.source


def test_code_is_generated_once_per_namespace_and_shapes():
    gradient = symdiff.grad(cases.logistic_nll, xp="auto")
    args = draw([(3,), (5, 3), (5,)])
    for backend in ("numpy", "array_api_strict", "numpy"):
        gradient(*[converter(backend)(a) for a in args])
    gradient(*draw([(3,), (7, 3), (7,)]))
    assert sorted(key[0] for key in gradient.specializations) == ["array_api_strict", "numpy", "numpy"]


def test_called_with_numbers_only_it_is_the_ordinary_gradient():
    gradient = symdiff.grad(lambda x: np.sin(x) * x, xp="auto")
    assert gradient(0.5) == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5), rel=1e-15)


def test_a_primitive_the_standard_lacks_is_refused_at_the_users_line():
    gradient = symdiff.grad(cases.padded, xp="auto")
    with pytest.raises(SymdiffError) as info:
        gradient(converter("array_api_strict")(np.arange(4.0)))
    line = next(k for k, text in enumerate(open(cases.__file__), 1) if text.rstrip().endswith("# <-"))
    assert str(info.value).startswith(f"{cases.__file__}:{line}:"), info.value
    assert "np.pad has no Array API spelling" in str(info.value)


def test_repeated_index_entries_add_on_numpy_and_are_refused_on_dask():
    x, idx = np.arange(1.0, 5.0), np.array([0, 2, 0, 0])
    gradient = symdiff.grad(cases.repeated_reads, xp="auto")
    expected = np.array([3 * np.cos(1.0), 0.0, np.cos(3.0), 0.0])
    assert_close(gradient(*map(converter("numpy"), (x, idx))), expected, RTOL, "x_bar")
    with pytest.raises(SymdiffError, match=LOCATED.pattern + ".*repeat"):
        gradient(*map(converter("dask"), (x, idx)))


def test_xp_must_be_auto():
    with pytest.raises(ValueError, match="xp='auto'"):
        symdiff.grad(cases.logistic_nll, xp="numpy")


# ------------------------------------------------ functions written against the standard


def test_a_function_written_against_the_standard_is_differentiated_as_numpys():
    args = draw([(3,), (5, 3), (5,)])
    args[2] = np.sign(args[2])
    numpy_gradient = symdiff.grad(cases.written_for_the_standard)
    assert "import numpy as xp" in (numpy_gradient(*args), numpy_gradient.source)[1]
    reference = symdiff.grad(lambda w, X, y: cases.written_for_the_standard(w, X, y))
    assert_close(numpy_gradient(*args), reference(*args), RTOL, "w_bar")
    steps = np.eye(3) * 1e-6
    differences = [(cases.written_for_the_standard(args[0] + s, *args[1:])
                    - cases.written_for_the_standard(args[0] - s, *args[1:])) / 2e-6 for s in steps]
    assert_close(numpy_gradient(*args), np.array(differences), 1e-6, "central differences")
    for backend in ("array_api_strict", "dask"):
        got = symdiff.grad(cases.written_for_the_standard, xp="auto")(*map(converter(backend), args))
        assert_close(as_numpy(got), numpy_gradient(*args), RTOL, backend)


# ------------------------------------------------ Dask: out of core, lazily

ROWS, FEATURES, CHUNKS = 2_000_000, 20, 20


class LargestBlock:
    """A Dask callback noting the largest array any task made (its bytes)."""

    def __init__(self):
        self.largest = 0

    def __call__(self, key, result, dsk, state, worker_id):
        self.largest = max(self.largest, getattr(result, "nbytes", 0))


def test_a_logistic_regression_gradient_over_two_million_rows_in_chunks_is_lazy_and_exact():
    da = _dask()
    from dask.callbacks import Callback
    rng = da.random.default_rng(18)
    X = rng.normal(size=(ROWS, FEATURES), chunks=(ROWS // CHUNKS, FEATURES))
    y = (rng.random(ROWS, chunks=ROWS // CHUNKS) < 0.5).astype(float)
    w = np.linspace(-0.5, 0.5, FEATURES)
    gradient = symdiff.grad(cases.logistic_nll, xp="auto")(da.from_array(w), X, y)
    assert isinstance(gradient, da.Array), type(gradient)  # (nothing computed yet)
    largest = LargestBlock()
    with Callback(posttask=largest):
        got = gradient.compute()
    assert 0 < largest.largest <= X.nbytes // CHUNKS, f"a block of {largest.largest} bytes: X is {X.nbytes}"
    X_np, y_np = X.compute(), y.compute()
    expected = symdiff.grad(cases.logistic_nll)(w, X_np, y_np)
    assert np.max(np.abs(got - expected)) <= 1e-10 * np.max(np.abs(expected))


def test_the_dask_cluster_examples_loss_gradient_runs_on_dask_arrays_without_a_cluster():
    da = _dask()
    example = load_example("dask_cluster")
    args = draw([(4,), (30, 4), (30,)])
    lazy = symdiff.grad(example.nll, xp="auto")(da.from_array(args[0]), da.from_array(args[1], chunks=(10, 4)),
                                                da.from_array(args[2], chunks=10))
    assert_close(lazy.compute(), symdiff.grad(cases.logistic_nll)(*args), RTOL, "w_bar")


def test_importing_symdiff_imports_no_array_library_but_numpy():
    code = "import sys, symdiff; print(sorted({'array_api_compat', 'dask', 'array_api_strict'} & set(sys.modules)))"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]", imported


def test_an_argument_that_is_no_array_is_refused_by_type():
    w, X, y = draw([(3,), (5, 3), (5,)])
    strict = _strict()
    with pytest.raises(TypeError, match="xp='auto' takes numbers and arrays"):
        symdiff.grad(cases.logistic_nll, xp="auto")(strict.asarray(w), X.tolist(), strict.asarray(y))


def test_a_custom_rule_written_for_numbers_is_refused_where_it_is_called():
    from .cases import custom_cases
    x, y = np.linspace(-1.0, 1.0, 4), np.linspace(0.5, 2.0, 4)
    with pytest.raises(SymdiffError, match=LOCATED.pattern + "d_softplus is written for numbers") as info:
        symdiff.grad(custom_cases.hinge_loss, wrt=(0, 1), xp="auto")(*map(converter("numpy"), (x, y)))
    assert str(info.value).startswith(f"{custom_cases.__file__}:21:"), info.value  # (softplus(1.0 - x * y))
