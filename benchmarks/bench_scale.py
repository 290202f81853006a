"""Scale benchmark: how long symdiff takes to transform large functions, and how big the
generated code gets.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/bench_scale.py

Three families of functions, written to temporary files and read by `parse_file` as the
CLI reads them (never imported):

  * straight-line: n = 250, 500, 1000 lines `a_k = <op>(a_{k-1})`, cycling through
    sin(.) + x, . * y - 0.5, exp(-. * .) and . / (1 + . * .);
  * nesting: one expression nested d = 50, 100, 200 deep, sin(. * y + c);
  * calls: a helper called from c = 25, 50, 100 places in a chain.

For each it prints the median time of 5 transformations (gradient with respect to
both parameters, from reading the file to the compiled function; target (issue 17):
under 0.5 s for the 1000-line function) and the generated code's size in lines and
characters, which should grow linearly with n, d and c.

A second table times `symdiff.verify` (SymPy's closed form of every branch, at its
default points) on small programs with branches, a kink and a loop, each a fresh
function object from a module of its own, median of 5 (target: within a second).
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _timing

import symdiff
from symdiff.driver import derive
from symdiff.frontend.parse import parse_file

OPS = ("math.sin({p}) + x", "{p} * y - 0.5", "math.exp(-{p} * {p})", "{p} / (1.0 + {p} * {p})")


def straight_line(n: int) -> str:
    lines = ["import math", "", "def f(x, y):", "    a0 = x * y"]
    lines += [f"    a{k} = " + OPS[k % len(OPS)].format(p=f"a{k - 1}") for k in range(1, n)]
    return "\n".join(lines + [f"    return a{n - 1}", ""])


def nested(depth: int) -> str:
    expr = "x"
    for k in range(depth):
        expr = f"math.sin({expr} * y + {k % 7}.0)"
    return f"import math\n\ndef f(x, y):\n    return {expr}\n"


def calls(count: int) -> str:
    lines = ["import math", "", "def step(t, w):", "    return 0.1 * math.sin(w * t) + t", "",
             "def f(x, y):", "    z = x"]
    lines += ["    z = step(z, y)"] * count
    return "\n".join(lines + ["    return z", ""])


VERIFIED = {
    "if/elif/else on x": (
        "def f(x, y):\n"
        "    if x > 1.0:\n        return math.sqrt(x) * y\n"
        "    elif x > -1.0:\n        return x * x * y + math.sin(y)\n"
        "    return -x * math.exp(y)\n"),
    "max and abs kinks": (
        "def f(x, y):\n"
        "    return max(x * y, 0.0) + abs(x - y) * math.cos(x) + min(x, 2.0 * y)\n"),
    "a for loop and a branch inside": (
        "def f(x, y):\n    s = 0.0\n    for k in range(5):\n"
        "        if s < 2.0:\n            s = s + math.sin(x * k) * y\n"
        "        else:\n            s = s * 0.5 + x\n    return s\n"),
    "Newton's method in a while loop": (
        "def f(x, y):\n    r = x\n    while abs(r * r - x) > 1e-12:\n"
        "        r = 0.5 * (r + x / r)\n    return r * y\n"),
}


def verify_times(directory: Path) -> list[list[str]]:
    """[program, median time of symdiff.verify, points checked, max error]."""
    rows = []
    for k, (label, body) in enumerate(VERIFIED.items()):
        times = []
        for i in range(5):
            path = directory / f"verified_{k}_{i}.py"
            path.write_text("import math\n\n\n" + body)
            fun = _timing.import_file(path).f
            start = time.perf_counter()
            report = symdiff.verify(fun, wrt=(0, 1), args=(1.7, 0.4) if k == 3 else None)
            times.append(time.perf_counter() - start)
        rows.append([label, _timing.fmt_time(statistics.median(times)), str(report.points),
                     f"{report.max_error:.1e}"])
    return rows


def measure(text: str, directory: Path, label: str):
    path = directory / f"{label}.py"
    path.write_text(text)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        derivation, _ = derive(parse_file(str(path), "f"), wrt=(0, 1))
        times.append(time.perf_counter() - start)
    source = derivation.source
    return statistics.median(times), len(source.splitlines()), len(source)


def main():
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))  # (Python's own ast for d = 200)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        for family, make, sizes in (("straight-line lines", straight_line, (250, 500, 1000)),
                                    ("nesting depth", nested, (50, 100, 200)),
                                    ("call sites", calls, (25, 50, 100))):
            for size in sizes:
                seconds, lines, chars = measure(make(size), directory, f"{family.split()[0]}_{size}")
                rows.append([family, str(size), _timing.fmt_time(seconds), str(lines), str(chars)])
        verified = verify_times(directory)
    print(_timing.markdown_table(["function", "n", "transformation (median of 5)",
                                  "generated lines", "generated characters"], rows))
    print()
    print(_timing.markdown_table(["program", "symdiff.verify (median of 5)", "points", "max error"], verified))
    print(f"\nPython {platform.python_version()}, {_timing.cpu_name()}")


if __name__ == "__main__":
    main()
