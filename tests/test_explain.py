"""`symdiff explain` and `symdiff.explain`: golden derivations of the lecture examples in
every format, the DOT output parsed, LaTeX from SymPy's printer, agreement with `grad`
and `jvp` over the corpora, and located errors."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import symdiff
from symdiff import cli
from symdiff.errors import SymdiffError
from symdiff.explanations.explanation import ExplainError

from .cases import array_cases, autograd_surface
from .cases.control_flow_corpus import CASES as CONTROL_FLOW
from .cases.corpus import CASES as SCALAR
from .cases.corpus import sample_points
from .support import surface
from .support.dot_grammar import DotSyntaxError, parse
from .test_arrays import EXAMPLES as ARRAY_EXAMPLES
from .test_arrays import draw
from .test_cli import GOLDEN, LECTURE, ROOT, run_cli
from .test_surface import EXPECTED_REFUSED

AT_MLP = "W=[[0.5,-0.2],[0.1,0.3],[-0.4,0.2]],v=[1,-1,0.5],x=[1,2],y=0.5"
RUNS = {
    "explain_lecture_f.txt": [f"{LECTURE}:f", "--at", "x=0.7"],
    "explain_lecture_f.md": [f"{LECTURE}:f", "--at", "x=0.7", "--format", "markdown"],
    "explain_lecture_f.dot": [f"{LECTURE}:f", "--at", "x=0.7", "--format", "dot"],
    "explain_lecture_f_symbolic.txt": [f"{LECTURE}:f"],
    "explain_lecture_f_forward.md": [f"{LECTURE}:f", "--at", "x=0.7", "--mode", "forward", "--format", "markdown"],
    "explain_product_forward.txt": [f"{LECTURE}:product", "--wrt", "x,y,z", "--at", "x=-2,y=5,z=-4",
                                    "--mode", "forward"],
    # the neuron of the notes, at the numbers of the classic worked example (output 0.73)
    "explain_neuron.md": [f"{LECTURE}:neuron", "--wrt", "w0,w1,w2", "--at", "w0=2,x0=-1,w1=-3,x1=-2,w2=-3",
                          "--format", "markdown"],
    "explain_neuron.dot": [f"{LECTURE}:neuron", "--wrt", "w0,w1,w2", "--at", "w0=2,x0=-1,w1=-3,x1=-2,w2=-3",
                           "--format", "dot"],
    "explain_matrix_mlp.txt": ["examples/matrix.py:mlp", "--wrt", "W,v", "--at", AT_MLP],
    "explain_matrix_mlp.md": ["examples/matrix.py:mlp", "--wrt", "W,v", "--at", AT_MLP, "--format", "markdown"],
    "explain_matrix_mlp_forward.txt": ["examples/matrix.py:mlp", "--wrt", "W", "--at", AT_MLP, "--mode", "forward"],
}


def run_explain(args, capsys):
    return run_cli(["explain", *args], capsys)


@pytest.mark.parametrize("name", RUNS)
def test_explain_output_matches_golden_file(name, capsys):
    code, out, err = run_explain(RUNS[name], capsys)
    assert (code, err) == (0, "")
    path = GOLDEN / name
    if os.environ.get("SYMDIFF_UPDATE_GOLDEN"):
        path.write_text(out)
    assert out == path.read_text()


def test_the_lecture_derivation_is_reproduced_with_numbers(capsys):
    _, out, _ = run_explain([f"{LECTURE}:f", "--at", "x=0.7"], capsys)
    lines = [line.strip() for line in out.splitlines()]
    for step in ("a = x**2", "b = exp(a)", "c = a + b", "d = sqrt(c)", "e = cos(c)", "f = d + e"):
        assert any(line.startswith(step + " ") for line in lines), step
    for partial in ("∂a/∂x = 2*x = 1.4", "∂b/∂a = exp(a) = 1.63232", "∂d/∂c = 1/(2*sqrt(c)) = 0.343214",
                    "∂e/∂c = -sin(c) = -0.851729", "∂c/∂a = 1", "∂f/∂e = 1"):
        assert partial in lines, partial
    assert "∂f/∂c = ∂f/∂d·∂d/∂c + ∂f/∂e·∂e/∂c = 1·0.343214 + 1·(-0.851729) = -0.508515" in lines
    assert "∂f/∂a = ∂f/∂b·∂b/∂a + ∂f/∂c·∂c/∂a = (-0.508515)·1.63232 + (-0.508515)·1 = -1.33857" in lines
    assert "∂f/∂x = ∂f/∂a·∂a/∂x = (-1.33857)·1.4 = -1.874" in lines
    assert "the backward pass agrees with it (relative difference below 1e-12)" in lines


# ------------------------------------------------------------------ agreement with grad and jvp

def _agrees_with(explanation, fun, point, wrt, many, mode):
    derivative = symdiff.grad(fun, wrt=wrt)(*point)
    for name, expected in zip(explanation.wrt, derivative if many else (derivative,), strict=True):
        if mode == "forward":  # the tangent pass along all ones: the sum of the gradient
            expected = np.sum(expected)
        np.testing.assert_allclose(explanation.derivative_of(name), expected, rtol=1e-10, atol=1e-12,
                                   err_msg=f"{fun.__name__}, {name}, {mode}")
    assert explanation.agrees is True, explanation.agreement


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_explanation_of_every_scalar_corpus_function_agrees_with_grad_and_sympy(case, mode):
    point = sample_points(case, 1)[0]
    explanation = symdiff.explain(case.fun, *point, wrt=case.wrt, mode=mode)
    _agrees_with(explanation, case.fun, point, case.wrt, case.many, mode)


@pytest.mark.parametrize("case", CONTROL_FLOW, ids=[c.name for c in CONTROL_FLOW])
def test_explanation_follows_branches_loops_and_helpers_and_agrees_with_grad(case):
    for point in case.points:
        explanation = symdiff.explain(case.fun, *point, wrt=case.wrt)
        _agrees_with(explanation, case.fun, point, case.wrt, case.many, "reverse")


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("example", ARRAY_EXAMPLES, ids=[e.fun.__name__ for e in ARRAY_EXAMPLES])
def test_explanation_of_array_code_agrees_with_grad_and_central_differences(example, mode):
    args = draw(example.shapes)
    explanation = symdiff.explain(example.fun, *args, wrt=example.wrt, mode=mode)
    _agrees_with(explanation, example.fun, args, example.wrt, True, mode)


def picked_by_indices(x, i):
    return np.sum(np.sin(x[i]) * np.arange(3.0))


def picked_by_a_list(x):
    return np.sum(np.sin(x[[0, 2]])) + np.sum(np.take(x, np.array([1, 1])) ** 2)


INDEXED = [(picked_by_indices, (np.array([0.3, -1.2, 0.8]), np.array([2, 0, 2]))),
           (picked_by_a_list, (np.array([0.3, -1.2, 0.8]),))]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("fun,args", INDEXED, ids=[f.__name__ for f, _ in INDEXED])
def test_explanation_of_integer_array_indexing_keeps_the_indices_integers(fun, args, mode):
    # (the check against central differences once made the indices floats: IndexError)
    explanation = symdiff.explain(fun, *args, mode=mode)
    _agrees_with(explanation, fun, args, 0, False, mode)


@pytest.mark.parametrize("point", [[0.3, -1.2, 0.8], (0.3, -1.2, 0.8), [0, 1, 2]], ids=["list", "tuple", "ints"])
def test_explanation_at_a_point_given_as_a_list_or_tuple_reads_it_as_an_array(point):
    for mode in ("reverse", "forward"):
        explanation = symdiff.explain(picked_by_a_list, point, mode=mode)
        _agrees_with(explanation, picked_by_a_list, (np.asarray(point, dtype=float),), 0, False, mode)


def test_cli_reads_a_list_of_ints_for_an_index_parameter_as_ints(capsys):
    code, out, err = run_explain([f"{__file__}:picked_by_indices", "--at", "x=[0.3,-1.2,0.8],i=[2,0,2]"], capsys)
    assert code == 0, err
    assert "agrees with central differences" in out


SURFACE = [case for case in autograd_surface.CASES if case.name not in EXPECTED_REFUSED]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("case", SURFACE, ids=[case.name for case in SURFACE])
def test_explanation_of_every_autograd_surface_case_renders_and_agrees(case, mode):
    # (3-d steps once broke the LaTeX of .markdown(), np.std of a number its SymPy meaning)
    if surface.missing(case):
        pytest.skip(surface.missing(case))
    explanation = symdiff.explain(case.fun, *case.arguments(), wrt=case.wrt, mode=mode)
    for text in (explanation.text(), explanation.markdown(), explanation.dot()):
        assert isinstance(text, str) and len(text) > 0
    if explanation.agrees is None:  # (SymPy's own derivative is undefined at a singular point)
        assert "not a finite real number" in explanation.agreement, explanation.agreement
    else:
        assert explanation.agrees is True, explanation.agreement


def test_a_wrong_partial_rule_shows_as_disagreement_with_sympy(monkeypatch):
    from symdiff.primitives import PRIMS

    row = PRIMS["cos"]
    monkeypatch.setitem(PRIMS, "cos", row.__class__(**{**row.__dict__, "partials": (
        lambda b, out, x: b.sin(x),)}))  # the sign dropped
    explanation = symdiff.explain(array_cases.scalar_lecture, 0.7)
    assert explanation.agrees is False
    assert "DOES NOT AGREE" in explanation.text()


# ------------------------------------------------------------------ formats

def test_dot_output_is_valid_dot_with_a_node_per_step_and_an_edge_per_argument():
    explanation = symdiff.explain(array_cases.scalar_lecture, 0.7)
    graph = parse(explanation.dot())
    assert set(graph["nodes"]) == {"x", "a", "b", "c", "d", "e", "scalar_lecture"}
    assert ("c", "d", {"label": "∂d/∂c = 0.343214"}) in graph["edges"]
    assert len(graph["edges"]) == 8
    assert graph["nodes"]["x"]["label"] == "x\\n= 0.7\\n∂scalar_lecture/∂x = -1.874"
    if shutil.which("dot"):  # Graphviz itself, where installed, must accept it too
        run = subprocess.run(["dot", "-Tsvg"], input=explanation.dot(), capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def test_the_dot_checker_refuses_broken_dot():
    with pytest.raises(DotSyntaxError):
        parse('digraph "f" {\n  "a" -> ;\n}\n')
    with pytest.raises(DotSyntaxError):
        parse('digraph "f" {\n  "a" [label="x\ny"];\n}\n')  # a raw newline in a string
    with pytest.raises(DotSyntaxError):
        parse('digraph "f" {\n  "a" [label="x"]\n}\n')  # no semicolon


def test_labels_with_quotes_and_backslashes_are_escaped():
    from symdiff.explanations.dot import quoted as _quoted

    text = 'a "b" \\ c\nd'
    graph = parse(f"digraph g {{\n  n [label={_quoted(text)}];\n}}\n")
    assert graph["nodes"]["n"]["label"] == 'a "b" \\\\ c\\nd'


def test_latex_fragments_are_sympy_s_printer_output():
    explanation = symdiff.explain(array_cases.scalar_lecture, 0.7)
    markdown = explanation.markdown()
    partials = [p for step in explanation.steps for p in step.partials.values()]
    assert len(partials) == 8
    for partial in partials:
        assert f"&= {sp.latex(partial.expr)}" in markdown, partial
    assert r"\frac{1}{2 \sqrt{c}}" in markdown
    assert sp.latex(explanation.closed_form) in markdown
    assert sp.latex(explanation.gradient["x"]) in markdown
    assert markdown.count("$$") % 2 == 0 and markdown.count(r"\begin{aligned}") == markdown.count(r"\end{aligned}")


def test_jupyter_shows_explanations_and_gradients_as_markdown():
    explanation = symdiff.explain(array_cases.scalar_lecture, 0.7)
    assert explanation._repr_markdown_() == explanation.markdown()
    assert str(explanation) == explanation.text()
    gradient = symdiff.grad(array_cases.scalar_lecture)
    assert f"```python\n{gradient.source}```" in gradient._repr_markdown_()


def test_point_binds_keywords_and_defaults_like_a_call():
    by_position = symdiff.explain(array_cases.scalar_lecture, 0.7)
    by_keyword = symdiff.explain(array_cases.scalar_lecture, x=0.7)
    assert by_keyword.text() == by_position.text()


def test_symbolic_explanation_needs_no_point_and_checks_the_chain_at_random_points():
    explanation = symdiff.explain(array_cases.scalar_lecture)
    assert explanation.point is None and explanation.agrees is True
    assert explanation.agreement == "at 3 random points, relative difference below 1e-12"
    assert all(adjoint.value is None for name, adjoint in explanation.adjoints.items()
               if name != explanation.output)


# ------------------------------------------------------------------ the terminal

class _Terminal:
    def isatty(self):
        return True


def test_code_is_highlighted_only_on_a_terminal(monkeypatch):
    code = "def f(x):\n    return x\n"
    assert cli.highlighted(code, sys.stdout if not sys.stdout.isatty() else None) == code
    monkeypatch.delenv("NO_COLOR", raising=False)
    if importlib.util.find_spec("pygments") is None:  # (optional: then code stays plain)
        assert cli.highlighted(code, _Terminal()) == code
    else:
        assert "\x1b[" in cli.highlighted(code, _Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.highlighted(code, _Terminal()) == code


def test_piped_cli_output_has_no_escape_codes():
    run = subprocess.run([sys.executable, "-m", "symdiff", f"{LECTURE}:f"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "\x1b[" not in run.stdout and "def grad_f(x):" in run.stdout


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("args, fragment", [
    (["tests/cases/control_flow_corpus.py:if_elif_else"], "this branch depends on the values; give a point"),
    (["examples/matrix.py:mlp"], "uses array operations: explaining it needs the values"),
    ([f"{LECTURE}:f", "--at", "y=0.7"], "--at names y, which f does not take"),
    ([f"{LECTURE}:product", "--at", "x=1"], "--at needs a value for every parameter of product: give y, z"),
    ([f"{LECTURE}:f", "--at", "x=[1"], "--at 'x=[1' is not NAME=VALUE"),
    ([f"{LECTURE}:f", "--at", "0.7"], "every value needs its parameter's name"),
    ([f"{LECTURE}:log_of_square", "--at", "x=0"], "log_of_square = log(a) is not defined at the point given"),
    ([f"{LECTURE}:f", "--format", "svg"], "--format svg writes a file: give --output PATH"),
    ([f"{LECTURE}", "--at", "x=1"], "is not FILE.py:FUNC"),
    (["examples/matrix.py:mlp", "--at", "W=[[1,2]],v=[1,2],x=[1],y=0.5"], "do not align"),
])
def test_explain_errors_are_located_and_exit_2(args, fragment, capsys):
    code, out, err = run_explain(args, capsys)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and re.match(r"[^\n]+:\d+:\d+: ", err), err
    assert fragment in err


def test_api_errors_are_located_symdiff_errors():
    with pytest.raises(ExplainError, match=r"control_flow_corpus\.py:\d+:\d+: this branch depends"):
        symdiff.explain(CONTROL_FLOW[0].fun)
    with pytest.raises(ExplainError, match=r"array_cases\.py:\d+:\d+: .*mode is 'reverse' or 'forward'"):
        symdiff.explain(array_cases.scalar_lecture, 0.7, mode="sideways")
    with pytest.raises(ExplainError, match="returns an array of shape \\(3,\\)"):
        symdiff.explain(array_cases.elementwise_numpy, np.ones(3))
    with pytest.raises(SymdiffError, match="wrt"):
        symdiff.explain(array_cases.scalar_lecture, 0.7, wrt="nope")


def test_graph_image_needs_graphviz_and_writes_only_the_output_path(tmp_path, capsys):
    target = tmp_path / "graph.svg"
    code, _, err = run_explain([f"{LECTURE}:f", "--at", "x=0.7", "--format", "svg", "--output", str(target)],
                               capsys)
    if shutil.which("dot"):
        assert code == 0 and target.read_text().lstrip().startswith("<?xml"), err
    else:
        assert code == 2 and "needs Graphviz's dot program" in err and not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["graph.svg"] if shutil.which("dot") else [])


def test_readme_shows_the_lecture_derivation_as_the_cli_prints_it():
    readme = (ROOT / "README.md").read_text()
    golden = (GOLDEN / "explain_lecture_f.txt").read_text()
    assert f"$ symdiff explain examples/lecture.py:f --at x=0.7\n{golden}```" in readme
