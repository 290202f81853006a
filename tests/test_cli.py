"""The CLI: golden output for the lecture examples, --show, --check, python -m,
and the promise never to import or run the user's file."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symdiff import cli

from .support.helpers import defined

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
LECTURE = "examples/lecture.py"
RUNS = {
    "lecture_f": [f"{LECTURE}:f"],
    "lecture_f_lowered": [f"{LECTURE}:f", "--show", "lowered"],
    "lecture_product_value": [f"{LECTURE}:product", "--wrt", "x,y,z", "--value"],
    "lecture_neuron_stages": [f"{LECTURE}:neuron", "--wrt", "w0,w1,w2", "--show", "lowered,reverse,source"],
    "lecture_gaussian_nll": [f"{LECTURE}:gaussian_nll", "--wrt", "x,m,s"],
    "matrix_product": ["examples/matrix.py:product", "--wrt", "X,Y", "--shape", "X=2x3,Y=3x4,G=2x4"],
    "matrix_mlp": ["examples/matrix.py:mlp", "--wrt", "W,v", "--shape", "W=4x3,v=4,x=3"],
    "matrix_mlp_batch": ["examples/matrix.py:mlp_batch", "--wrt", "W,v",
                         "--shape", "W=128x784,v=128,X=256x784,y=256"],
    "matrix_dense_tanh": ["examples/matrix.py:dense_tanh", "--wrt", "W,b", "--shape", "X=5x3,W=4x3,b=4"],
}


def run_cli(args, capsys):
    os.chdir(ROOT)
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", RUNS)
def test_cli_output_matches_golden_file(name, capsys):
    code, out, err = run_cli(RUNS[name], capsys)
    assert (code, err) == (0, "")
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("SYMDIFF_UPDATE_GOLDEN"):
        path.write_text(out)
    assert out == path.read_text()


def test_check_appends_the_sympy_verification(capsys):
    code, out, err = run_cli([f"{LECTURE}:f", "--check"], capsys)
    assert code == 0
    assert "# verified f against SymPy (symbolic)" in out
    assert "[difference simplifies to 0]" in out


def test_check_verifies_array_code_entry_by_entry(capsys):
    code, out, err = run_cli(["examples/matrix.py:product", "--wrt", "X,Y", "--shape", "X=2x3,Y=3x2,G=2x2",
                              "--check"], capsys)
    assert (code, err) == (0, "")
    assert "# verified product against SymPy (numeric): 3 random points" in out
    assert "#   dproduct/dX: 6 entries of shape (2, 3)" in out


def test_wrt_by_index_and_unknown_stage(capsys):
    code, out, _ = run_cli([f"{LECTURE}:product", "--wrt", "2"], capsys)
    assert code == 0
    assert defined(out, "grad_product").endswith("    a = x + y\n    return a\n")
    code, _, err = run_cli([f"{LECTURE}:f", "--show", "bytecode"], capsys)
    assert code == 2 and err.startswith("<command line>:1:1: --show 'bytecode'")


def test_array_code_needs_shapes_and_says_how_to_give_them(capsys):
    code, _, err = run_cli(["examples/matrix.py:product"], capsys)
    assert code == 2 and "give them with --shape" in err
    code, _, err = run_cli(["examples/matrix.py:product", "--shape", "X=2x3,Q=3"], capsys)
    assert code == 2 and "--shape entry 'Q=3'" in err
    code, _, err = run_cli(["examples/matrix.py:product", "--shape", "X=2x3,Y=4x4,G=2x4"], capsys)
    assert code == 2 and err.startswith("examples/matrix.py:21:9: matmul: shapes (2, 3) and (4, 4)")


def test_python_dash_m_matches_the_console_entry_point(capsys):
    _, expected, _ = run_cli([f"{LECTURE}:f"], capsys)
    run = subprocess.run([sys.executable, "-m", "symdiff", f"{LECTURE}:f"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, expected, "")


def test_source_text_reaches_the_generated_code_only_as_a_one_line_comment(tmp_path, capsys):
    # The loop header is copied into a comment; a vertical tab and a Unicode line
    # separator (a line break to str.splitlines and editors) must not start a new line.
    user_file = tmp_path / "sneaky.py"
    user_file.write_text(
        "def f(x):\n"
        "    s = 0.0\n"
        "    for k in range(3):  # \x0b\u2028import os; os.remove('x')\n"
        "        s = s + x * k\n"
        "    return s\n", encoding="utf-8")
    code, out, err = run_cli([f"{user_file}:f"], capsys)
    assert (code, err) == (0, "")
    assert "\x0b" not in out and "\u2028" not in out, out
    comments = [line.strip() for line in out.splitlines() if "import os" in line]
    assert comments == ["# line 3, backwards: for k in range(3):  #   import os; os.remove('x')"], out
    namespace = {}
    exec(compile(out, "generated", "exec"), namespace)  # noqa: S102 - the code under test
    assert namespace["grad_f"](0.5) == 3.0


def test_cli_writes_no_file(tmp_path):
    user_file = tmp_path / "model.py"
    user_file.write_text("import math\ndef f(x):\n    return math.exp(x) * x\n")
    before = sorted(tmp_path.rglob("*"))
    run = subprocess.run([sys.executable, "-m", "symdiff", "model.py:f", "--check", "--show", "lowered,source"],
                         cwd=tmp_path, capture_output=True, text=True, check=False,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert "def grad_f(x):" in run.stdout
    assert sorted(tmp_path.rglob("*")) == before


def test_cli_never_imports_or_runs_the_users_file(tmp_path, capsys):
    marker = tmp_path / "ran.txt"
    user_file = tmp_path / "hostile.py"
    user_file.write_text(
        "import math\n"
        f"open({str(marker)!r}, 'w').write('executed')\n"
        "raise SystemExit('the module body ran')\n"
        "def f(x):\n    return math.exp(x) * x\n")
    code, out, err = run_cli([f"{user_file}:f", "--check"], capsys)
    assert (code, err) == (0, "")
    assert "def grad_f(x):" in out
    assert not marker.exists()


def test_the_cli_reads_helper_defaults_of_none_and_tuples(capsys):
    code, out, err = run_cli(["tests/cases/array_cases.py:log_partitions", "--shape", "x=2x3"], capsys)
    assert (code, err) == (0, "")
    assert "np.max(a, axis=1, keepdims=True)" in out and "np.max(a, keepdims=True)" in out
    code, out, err = run_cli(["tests/cases/array_cases.py:centred_energy", "--shape", "x=2x3"], capsys)
    assert (code, err) == (0, "")
    assert "axis=(0, 1)" in out


def test_json_holds_the_source_the_lowered_list_and_the_verdict(capsys):
    import json

    code, out, err = run_cli(["examples/matrix.py:product", "--wrt", "X,Y", "--shape", "X=2x3,Y=3x4,G=2x4",
                              "--json", "--check"], capsys)
    assert code == 0, err
    found = json.loads(out)
    assert found["function"] == "product" and found["wrt"] == ["X", "Y"] and found["mode"] == "reverse"
    assert found["shapes"] == {"X": [2, 3], "Y": [3, 4], "G": [2, 4]}
    assert "def grad_product(X, Y, G):" in found["source"] and "Z = X @ Y" in found["lowered"]
    assert found["check"]["verified"] is True and found["check"]["points"] >= 1
    assert found["check"]["max_error"] <= 1e-12
    code, out, _ = run_cli([f"{LECTURE}:f", "--json"], capsys)
    assert json.loads(out)["check"] is None and json.loads(out)["shapes"] is None


def _in_a_terminal(args) -> str:
    """What the CLI prints with its stdout a pseudo-terminal (NO_COLOR unset)."""
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    run = subprocess.run([sys.executable, "-m", "symdiff", *args], stdout=follower, stderr=subprocess.PIPE,
                         cwd=ROOT, env=env, check=False, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # (the terminal is closed once everything was read)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert run.returncode == 0, run.stderr
    return b"".join(chunks).decode()


@pytest.mark.skipif(importlib.util.find_spec("pygments") is None,
                    reason="pygments is not installed (the cli extra, issue 19)")
def test_colour_on_a_terminal_unless_never_and_plain_when_piped(capsys):
    assert "\x1b[" in _in_a_terminal([f"{LECTURE}:f"])
    assert "\x1b[" not in _in_a_terminal([f"{LECTURE}:f", "--color", "never"])
    _, out, _ = run_cli([f"{LECTURE}:f"], capsys)
    assert "\x1b[" not in out
    _, out, _ = run_cli([f"{LECTURE}:f", "--color", "always"], capsys)
    assert "\x1b[" in out and "grad_f" in out


def test_help_lists_the_subcommands_in_its_usage(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "symdiff explain FILE.py:FUNC" in usage and "symdiff export FILE.py:FUNC -o PATH" in usage
