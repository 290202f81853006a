"""docs/tutorial.ipynb, executed in a real IPython kernel (nbclient; the docs extra): every
cell runs, and symdiff's objects show as a notebook shows them (display.py): generated
code as coloured HTML and Markdown, an explanation as Markdown with LaTeX, the graph as
SVG (or a note where Graphviz is not installed), a verification report as Markdown."""

import importlib.util
import shutil
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "tutorial.ipynb"
MISSING = [m for m in ("nbclient", "nbformat", "ipykernel", "scipy", "pygments") if importlib.util.find_spec(m) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs the docs extra (pip install '.[docs]', issue 19): "
                                f"{', '.join(MISSING)} not installed")


@pytest.fixture(scope="module")
def executed():
    import nbclient
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


def _result(executed, fragment: str) -> dict:
    """The data of the execute_result of the code cell whose source contains `fragment`."""
    cell = next(c for c in executed.cells if c.cell_type == "code" and fragment in c.source)
    results = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(results) == 1, cell.outputs
    return results[0]["data"]


def test_every_cell_runs_without_an_error(executed):
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert not any(o.output_type == "stream" and o.name == "stderr" and "Traceback" in o.text
                   for c in executed.cells if c.cell_type == "code" for o in c.outputs)


def test_generated_code_shows_as_coloured_html_and_as_markdown(executed):
    data = _result(executed, "grad_f = symdiff.grad(f)")
    assert "def grad_f(x):" in data["text/markdown"] and data["text/markdown"].startswith("`symdiff.grad` of `f`")
    assert "<span" in data["text/html"] and "grad_f" in data["text/html"]
    assert float(_result(executed, "grad_f(0.7)")["text/plain"]) == pytest.approx(-1.8740017049647133, rel=1e-13)


def test_an_explanation_shows_its_derivation_in_latex(executed):
    markdown = _result(executed, "explanation = symdiff.explain(f, 0.7)")["text/markdown"]
    assert "**Backward pass** (each adjoint sums over the children)" in markdown, markdown[:500]
    assert "\\frac{\\partial f}{\\partial c} &= \\frac{\\partial f}{\\partial d} \\frac{\\partial d}{\\partial c}" \
        in markdown, markdown


def test_the_graph_is_svg_where_graphviz_is_installed_else_a_note(executed):
    data = _result(executed, "explanation.graph()")
    if shutil.which("dot"):
        assert data["image/svg+xml"].lstrip().startswith(("<?xml", "<svg"))
    else:
        assert "Graphviz's `dot` is not installed" in data["text/markdown"] and "digraph" in data["text/markdown"]


def test_a_verification_report_shows_each_closed_form_in_latex(executed):
    markdown = _result(executed, "symdiff.verify(f)")["text/markdown"]
    assert markdown.startswith("**verified `f`** against SymPy") and "$\\displaystyle" in markdown, markdown


def test_the_fit_the_jacobian_and_the_hessian_vector_product_give_their_numbers(executed):
    fit = _result(executed, "fit = minimize(")["text/plain"]
    assert "array([2.5" in fit, fit  # (the decay's amplitude, 2.5, found)
    assert _result(executed, "hv, np.allclose(")["text/plain"].endswith("True)")
    assert _result(executed, "symdiff.jacobian(polar")["text/plain"].startswith("((0.955336489125606")
