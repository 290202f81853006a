"""scipy.special (primitives/special.py): imported lazily, spelled as the user imports it,
derivatives written with SciPy's own functions, and refusals where a row has none.

The table-driven tests (test_primitives.py, test_every_row.py) check each row against
SymPy and central differences; the surface corpora run the functions in programs.
Without SciPy these tests are skipped, except those about working without it.
"""

import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import symdiff
from symdiff import cli
from symdiff.errors import ShapeError, UnsupportedSyntaxError
from symdiff.primitives import special as special_rows

from .support.helpers import module_from_text

scipy_special = pytest.importorskip("scipy.special", reason="SciPy is not installed: scipy.special is not checked")
from scipy import special  # noqa: E402
from scipy.special import digamma, gammaln, polygamma  # noqa: E402
import scipy.special as sps  # noqa: E402


def log_gamma_only(x):
    return gammaln(x) * 2.0


def through_the_package(x):
    return scipy_special.expit(x) + scipy_special.erfinv(0.5 * x)


def through_an_alias(x):
    return sps.gammaln(x) + special.i0(x) + sps.jn(2, x)


def lgamma_of_math(x):
    return math.lgamma(x) + math.gamma(x)


def lgamma_alone(x):
    return math.lgamma(x)


def incomplete_gamma(a, x):
    return special.gammainc(a, x) + special.gammaincc(a, 2.0 * x)


def order_of_polygamma(n, x):
    return polygamma(n, x)


def regularized_beta(a, b, x):
    return special.betainc(a, b, x)


def multivariate_log_gamma(a):
    return special.multigammaln(a, 3)


def multivariate_log_gamma_of_d(a, d):
    return special.multigammaln(a, d)


def log_normalizer(x):
    return np.sum(special.logsumexp(x, axis=0) * np.array([1.0, 2.0, 3.0]))


def weighted_log_normalizer(x, w):
    return special.logsumexp(x, b=w)


def central(fun, x, h=1e-6):
    return (fun(x + h) - fun(x - h)) / (2 * h)


def test_scipy_is_imported_only_by_a_function_that_uses_it():
    code = "import sys, symdiff, math\nsymdiff.grad(math.sin) if False else None\nprint('scipy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_derivative_written_with_scipy_runs_where_the_user_imported_only_the_function():
    gradient = symdiff.grad(log_gamma_only)
    assert math.isclose(gradient(2.5), 2.0 * digamma(2.5), rel_tol=1e-12)
    assert "scipy.special.digamma(x)" in gradient.source and "import scipy" in gradient.source


def test_the_package_an_alias_and_a_submodule_all_name_scipy_special():
    for fun in (through_the_package, through_an_alias):
        x = 0.8
        assert math.isclose(symdiff.grad(fun)(x), central(fun, x), rel_tol=1e-7), fun.__name__
        symdiff.verify(fun)


def test_math_lgamma_and_gamma_differentiate_with_digamma():
    x = 1.7
    expected = digamma(x) + math.gamma(x) * digamma(x)
    assert math.isclose(symdiff.grad(lgamma_of_math)(x), expected, rel_tol=1e-12)


def test_math_lgamma_without_scipy_is_refused_where_it_is_differentiated(monkeypatch):
    monkeypatch.setattr(special_rows, "scipy_installed", lambda: False)
    with pytest.raises(UnsupportedSyntaxError) as info:
        symdiff.grad(lgamma_alone)
    assert str(info.value).startswith(f"{__file__}:{lgamma_alone.__code__.co_firstlineno + 1}:")
    assert "install SciPy" in str(info.value)


def test_incomplete_gamma_in_x_and_a_located_refusal_in_a():
    a, x = 2.0, 0.7
    expected = x ** (a - 1) * math.exp(-x) / math.gamma(a) - 2.0 * (2 * x) ** (a - 1) * math.exp(-2 * x) / math.gamma(a)
    assert math.isclose(symdiff.grad(incomplete_gamma, wrt=1)(a, x), expected, rel_tol=1e-12)
    with pytest.raises(UnsupportedSyntaxError) as info:
        symdiff.grad(incomplete_gamma, wrt=0)
    assert "scipy.special.gammainc is not differentiated in a" in str(info.value)
    assert str(info.value).startswith(f"{__file__}:{incomplete_gamma.__code__.co_firstlineno + 1}:")


def test_an_order_and_betainc_shape_parameters_are_refused_not_given_zero():
    assert math.isclose(symdiff.grad(order_of_polygamma, wrt=1)(2, 1.3), polygamma(3, 1.3), rel_tol=1e-12)
    with pytest.raises(UnsupportedSyntaxError, match="polygamma is not differentiated in the order n"):
        symdiff.grad(order_of_polygamma, wrt=0)
    assert math.isclose(symdiff.grad(regularized_beta, wrt=2)(2.0, 3.0, 0.4),
                        central(lambda t: special.betainc(2.0, 3.0, t), 0.4), rel_tol=1e-7)
    with pytest.raises(UnsupportedSyntaxError, match="betainc is not differentiated in a or b"):
        symdiff.grad(regularized_beta, wrt=1)


def test_multigammaln_with_d_written_out_and_refused_with_d_a_parameter():
    a = 2.4
    expected = sum(digamma(a - j / 2.0) for j in range(3))
    assert math.isclose(symdiff.grad(multivariate_log_gamma)(a), expected, rel_tol=1e-12)
    with pytest.raises(ShapeError, match="multigammaln: write d as a positive int in the call"):
        symdiff.grad(multivariate_log_gamma_of_d)(a, 3)


def test_logsumexp_along_an_axis_is_softmax_weights():
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    weights = np.exp(x - special.logsumexp(x, axis=0))
    np.testing.assert_allclose(symdiff.grad(log_normalizer)(x), weights * np.array([1.0, 2.0, 3.0]), rtol=1e-12)


def test_logsumexp_weights_by_keyword():
    x, w = np.array([0.5, -1.0, 2.0]), np.array([0.5, 1.0, 2.0])
    gx, gw = symdiff.grad(weighted_log_normalizer, wrt=(0, 1))(x, w)
    total = np.sum(w * np.exp(x))
    np.testing.assert_allclose(gx, w * np.exp(x) / total, rtol=1e-12)
    np.testing.assert_allclose(gw, np.exp(x) / total, rtol=1e-12)


def test_the_cli_reads_scipy_imports_without_running_the_file(tmp_path, capsys):
    text = textwrap.dedent("""
        import numpy as np
        import scipy.special as sps
        from scipy import special
        from scipy.special import gammaln


        def f(x):
            return gammaln(x) + sps.expit(x) + special.erf(x)
    """)
    module = module_from_text(tmp_path, "uses_scipy", text)
    code = cli.main([f"{module.__file__}:f"])
    out = capsys.readouterr().out
    assert code == 0 and "scipy.special.digamma(x)" in out and "scipy.special.expit(x)" in out


def misspelled_through_an_alias(x):
    return sps.expitt(x)


def misspelled_through_the_package(x):
    return scipy_special.gamaln(x)


def test_a_misspelled_scipy_function_gets_the_closest_name_as_it_was_spelled():
    with pytest.raises(symdiff.UnknownFunctionError) as info:
        symdiff.grad(misspelled_through_an_alias)
    assert "sps.expitt is not a function symdiff can differentiate; did you mean sps.expit?" in str(info.value)
    with pytest.raises(symdiff.UnknownFunctionError, match="did you mean scipy_special.gammaln?"):
        symdiff.grad(misspelled_through_the_package)


def second_derivatives(x):
    return gammaln(x) + special.j0(x) + special.expit(x)


def test_second_derivatives_are_written_with_scipy_too():
    x = 1.3
    expected = polygamma(1, x) - 0.5 * (special.j0(x) - special.jv(2, x)) \
        + special.expit(x) * (1 - special.expit(x)) * (1 - 2 * special.expit(x))
    assert math.isclose(symdiff.hessian(second_derivatives)(x), expected, rel_tol=1e-10)
