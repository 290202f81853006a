"""Batched derivative code (transforms/batching.py): jacobian and hessian by one call of
jvp or vjp code that takes every tangent (cotangent) at once, along a leading axis.

Each batched Jacobian and Hessian is compared with the one assembled a column (row) at
a time from the unbatched code, which tests/test_jacobians.py checks against SymPy and
the corpora against central differences: on the array functions of
tests/cases/batching_cases.py (one per rule), and on the surface corpus and the
realistic programs. Where batching has no rule, the batched code is refused with
NotBatched, and jacobian and hessian still give the assembled numbers."""

import numpy as np
import pytest

import symdiff
from symdiff.api import _derivative
from symdiff.errors import SymdiffError
from symdiff.jacobians import assemble, batched_columns, batched_rows
from symdiff.transforms.batching import NotBatched
from symdiff.trees import is_container

from .cases import autograd_surface, batching_cases, realistic_programs
from .support.surface import missing

FUNCTIONS = list(batching_cases.CASES.items())


def _differentiated(fun, args):
    """(wrt as jacobian takes it, indices, many): every float argument."""
    indices = [i for i, a in enumerate(args) if np.asarray(a).dtype.kind == "f"]
    names = fun.__code__.co_varnames[:fun.__code__.co_argcount]
    many = len(indices) > 1
    return (tuple(names[i] for i in indices) if many else names[indices[0]]), indices, many


def _columns(fun, args):
    """The Jacobian assembled from one jvp call per column (the reference)."""
    wrt, indices, many = _differentiated(fun, args)
    return assemble(symdiff.jvp(fun, wrt), None, args, indices, fun(*args), "forward", many)


def _same(got, want) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            _same(g, w)
        return
    assert type(got) is type(want) and np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fun, shapes", FUNCTIONS, ids=[f.__name__ for f, _ in FUNCTIONS])
def test_batched_jacobians_agree_with_columns(fun, shapes):
    args = batching_cases.arguments(shapes)
    wrt, indices, many = _differentiated(fun, args)
    want, value = _columns(fun, args), fun(*args)
    forward = batched_columns(_derivative(fun, wrt, "jvp_batch"), args, indices, many, isinstance(value, tuple))
    _same(forward, want)
    _same(batched_rows(_derivative(fun, wrt, "vjp_batch"), args, indices, value, many), want)
    _same(symdiff.jacobian(fun, wrt)(*args), want)


def scalar_of_written(x):
    y = np.zeros((4, 3))
    y[1:] = np.sin(x[:3])
    y[0] += x[3] * x[0]
    return np.sum(y * y * np.arange(12.0).reshape(4, 3))


def scalar_of_indexed(x, idx):
    return np.sum(np.sin(x[idx]) * x[idx]) + np.sum(x[1:3, ::-1] ** 3)


def scalar_of_products(A, x):
    return np.sum(np.tanh(A @ x) * x[0]) + x @ (A[0].T @ A[1]) @ x


def scalar_of_a_copied_update(x):
    y = np.zeros(3)
    y[0] = x[0]
    a = np.sum(y * y * x)
    y[1] += x[1] * a  # (the adjoint of y * y reads y before this: the gradient code copies)
    return a + np.sum(np.sin(y) * x)


def scalar_of_a_transposed_slice(x):
    return np.sum(np.sin(x.T[1:]) * x.T[1:])


HESSIANS = {scalar_of_written: ((4, 3),), scalar_of_indexed: ((3, 4), batching_cases.INDEX),
            scalar_of_products: ((2, 3, 3), (3,)), scalar_of_a_copied_update: ((3,),),
            scalar_of_a_transposed_slice: ((3, 4),)}
HELPERS = {scalar_of_written: "x_bar[0] = ", scalar_of_indexed: "_scatter_add(",
           scalar_of_a_copied_update: "_additem(", scalar_of_a_transposed_slice: "_scatter("}


@pytest.mark.parametrize("fun, shapes", list(HESSIANS.items()), ids=[f.__name__ for f in HESSIANS])
def test_batched_hessians_agree_with_columns(fun, shapes):
    args = batching_cases.arguments(shapes, seed=1)
    wrt, indices, many = _differentiated(fun, args)
    gradient = symdiff.grad(fun, wrt)
    generated = gradient.specialized(*args)
    assert HELPERS.get(fun, "") in gradient.source  # (read back as the equation it prints)
    want = assemble(symdiff.jvp(generated, wrt), None, args, indices, generated(*args), "forward", many)
    _same(batched_columns(_derivative(generated, wrt, "jvp_batch"), args, indices, many, many), want)
    _same(symdiff.hessian(fun, wrt)(*args), want)


def test_the_hessian_computes_the_gradient_once():
    """The batched tangent code of the gradient: the primal values once (one np.exp), the
    tangents of all columns as one array."""
    def f(x):
        return np.sum(np.exp(-np.outer(x, x) * 0.1)) + np.sum(x ** 4) / 4
    x = np.linspace(-1.0, 1.0, 5)
    gradient = symdiff.grad(f)
    generated = gradient.specialized(x)
    tangents = _derivative(generated, "x", "jvp_batch")
    dots = tangents(x, np.eye(5))
    assert dots.shape == (5, 5)
    assert tangents.source.count("np.exp(") == 1
    assert "return x_bar_dot" in tangents.source  # (not the gradient's value: no caller reads it)
    E = np.exp(-0.1 * np.outer(x, x))
    hand = (0.02 * np.outer(x, x) - 0.2) * E + np.diag(0.02 * (E @ (x * x)) + 3.0 * x * x)
    np.testing.assert_allclose(symdiff.hessian(f)(x), hand, rtol=1e-12)


@pytest.mark.parametrize("fun, shapes", list(batching_cases.APART.items()),
                         ids=[f.__name__ for f in batching_cases.APART])
def test_without_a_rule_jacobian_and_hessian_go_column_by_column(fun, shapes):
    args = batching_cases.arguments(shapes)
    wrt, _, _ = _differentiated(fun, args)
    with pytest.raises(NotBatched):
        _derivative(fun, wrt, "jvp_batch")(*args, np.zeros((1,) + args[0].shape))
    _same(symdiff.jacobian(fun, wrt)(*args), _columns(fun, args))


def test_a_hessian_through_a_loop_is_still_computed():
    x = np.array([0.3, -0.5, 0.8])
    gradient = symdiff.grad(batching_cases.looped_loss)
    step = 1e-6  # (central differences of the gradient, column by column)
    columns = [(gradient(x + step * e) - gradient(x - step * e)) / (2 * step) for e in np.eye(3)]
    np.testing.assert_allclose(symdiff.hessian(batching_cases.looped_loss)(x), np.array(columns).T, rtol=1e-7)


CORPUS = [c for c in list(autograd_surface.CASES) + list(realistic_programs.CASES)
          if missing(c) is None and not any(is_container(a) for a in c.arguments())]


def _central(gradient, args, indices, many):
    """The Hessian by central differences of `gradient`, a column per entry of each
    differentiated argument: blocks[i][j] of shape grad_i.shape + args[j].shape."""
    def grads(values):
        found = gradient(*values)
        return found if many else (found,)
    blocks = []
    for j in indices:
        x = np.asarray(args[j], dtype=float)
        columns = []
        for k in range(x.size):
            step = 1e-6 * max(1.0, abs(x.flat[k]))
            shifted = [np.array(x) for _ in range(2)]
            shifted[0].flat[k] += step
            shifted[1].flat[k] -= step
            up, down = (grads([*args[:j], s if np.ndim(args[j]) else float(s), *args[j + 1:]]) for s in shifted)
            columns.append([(np.asarray(u) - np.asarray(d)) / (2 * step) for u, d in zip(up, down)])
        blocks.append([np.moveaxis(np.array([c[i] for c in columns]), 0, -1).reshape(np.shape(columns[0][i]) + x.shape)
                       for i in range(len(columns[0]))])
    return blocks  # blocks[j][i]


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_batched_hessians_of_the_corpora(case):
    """On every surface case and realistic program without containers: the batched
    Hessian is the assembled one; where the gradient code cannot be differentiated
    again column by column, the batched code is refused alike or agrees with central
    differences of the gradient; where batching has no rule (a loop, a helper),
    hessian still gives the assembled Hessian."""
    args = case.arguments()
    many = len(case.wrt) > 1
    try:
        gradient = symdiff.grad(case.fun, wrt=tuple(case.wrt) if many else case.wrt[0])
        generated = gradient.specialized(*args) if hasattr(gradient, "specialized") else gradient
        names = [p.var.name for p in gradient.lowered.params]
    except SymdiffError:
        return  # (no gradient code to differentiate: tests/test_surface.py checks the refusal)
    indices = [names.index(w) for w in gradient.wrt]
    along = tuple(gradient.wrt) if many else gradient.wrt[0]
    with np.errstate(all="ignore"):
        try:
            want = assemble(symdiff.jvp(generated, along), None, args, indices, generated(*args), "forward", many)
        except SymdiffError:
            try:
                got = batched_columns(_derivative(generated, along, "jvp_batch"), args, indices, many, many)
            except SymdiffError:  # (refused too, maybe for another construct)
                return
            want = _central(gradient, args, indices, many)
            want = tuple(tuple(want[j][i] for j in range(len(indices))) for i in range(len(indices))) \
                if many else want[0][0]
            _close(got, want, many, rtol=1e-5, atol=1e-6)
            return
        try:
            got = batched_columns(_derivative(generated, along, "jvp_batch"), args, indices, many, many)
        except SymdiffError:  # NotBatched, or a tape the shaped lowering refuses: hessian goes on
            got = symdiff.hessian(case.fun, along)(*args)
    _close(got, want, many, rtol=1e-9, atol=1e-9)


def _close(got, want, many, rtol, atol) -> None:
    rows_got, rows_want = (got, want) if many else ((got,), (want,))
    for g, w in zip(rows_got, rows_want, strict=True):
        for a, b in zip(g if many else (g,), w if many else (w,), strict=True):
            assert np.shape(a) == np.shape(b)
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def test_hessian_and_jacobian_reuse_their_code_only_for_the_same_types_and_shapes():
    """The code generated at the first call is called again at other points of the same
    shape; a new shape or type gets its own (and the numbers are those of each point)."""
    def f(x):
        return np.sum(np.exp(-np.outer(x, x) * 0.1)) + np.sum(x ** 4) / 4

    def hand(x):
        E = np.exp(-0.1 * np.outer(x, x))
        return (0.02 * np.outer(x, x) - 0.2) * E + np.diag(0.02 * (E @ (x * x)) + 3.0 * x * x)

    hessian, jacobian = symdiff.hessian(f), symdiff.jacobian(lambda x: np.sin(x) * x[0])
    for x in (np.linspace(-1.0, 1.0, 3), np.array([0.3, 0.1, -2.0]), np.linspace(0.0, 1.0, 4)):
        np.testing.assert_allclose(hessian(x), hand(x), rtol=1e-12)
        want = np.diag(np.cos(x) * x[0])
        want[:, 0] += np.sin(x)
        np.testing.assert_allclose(jacobian(x), want, rtol=1e-12)
    np.testing.assert_allclose(symdiff.hessian(lambda a: a * a * a)(0.5), 3.0)
    assert symdiff.hessian(lambda a: a * a * a)(2) == 12.0
