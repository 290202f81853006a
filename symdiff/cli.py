"""The command line: print the derivative code symdiff generates for a function, or
explain its derivation.

    symdiff FILE.py:FUNC [--wrt x,y] [--value] [--show STAGES] [--shape x=3x4] [--check]
                         [--compile numba]
    symdiff explain FILE.py:FUNC [--wrt x,y] [--at x=0.7,y=2] [--mode forward]
                    [--format text|markdown|dot|svg|png] [--output PATH]
    symdiff export FILE.py:FUNC -o grad_f.py [--wrt x,y] [--shape x=3x4] [--compile numba]

The file is read statically: it is never imported or run. Only the generated
code runs, and only for `--check`; `export` writes the one file given by -o. A user error prints one `file:line:col:`
line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from dataclasses import replace

from .backend.jit import numba_source
from .display import rendered
from .driver import STAGES, derive, is_array_code, resolve_wrt
from .errors import Loc, NeedsContainers, SymdiffError
from .explanations.explanation import explain
from .export import standalone
from .frontend.lower import lower
from .frontend.parse import parse_file
from .ir import format_program
from .verification.arrays import check_arrays
from .verification.budget import MAX_NODES, SECONDS, Budget
from .verification.scalars import check


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symdiff", description="Print the derivative code symdiff generates for FUNC in FILE.py.",
        usage="symdiff FILE.py:FUNC [options]        print the derivative code (below)\n"
              "       symdiff explain FILE.py:FUNC [options]   write out the derivation "
              "(symdiff explain --help)\n"
              "       symdiff export FILE.py:FUNC -o PATH      write a module that needs no symdiff "
              "(symdiff export --help)",
        epilog="symdiff explain FILE.py:FUNC --at x=0.7 writes out the derivation instead "
               "(see symdiff explain --help); symdiff export FILE.py:FUNC -o grad_f.py writes the "
               "derivative as a module that needs no symdiff (see symdiff export --help).")
    _derivative_arguments(parser)
    parser.add_argument("--show", default="source",
                        help=f"what to print, comma-separated from {', '.join(STAGES)} (default: source)")
    parser.add_argument("--check", action="store_true", help="also verify the derivative against SymPy")
    parser.add_argument("--compile", choices=("numba",), default=None,
                        help="print the code as compile='numba' compiles it (backend/jit.py)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead: the source, the lowered list, wrt, "
                             "shapes, mode, and --check's verdict (for editors and other tools)")
    _color_argument(parser)
    _budget_arguments(parser, seconds=True)
    return parser


def _color_argument(parser) -> None:
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the code with pygments (the cli extra): auto (default) on a "
                             "terminal when NO_COLOR is unset, always, or never")


def _derivative_arguments(parser) -> None:
    """FILE.py:FUNC and what to derive: --wrt, --mode, --value, --shape."""
    parser.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    parser.add_argument("--wrt", default=None,
                        help="parameters to differentiate, comma-separated names or indices "
                             "(default: the first parameter)")
    parser.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                        help="reverse mode (gradient; default) or forward mode (value and "
                        "directional derivative, one tangent x_dot per --wrt parameter)")
    parser.add_argument("--value", action="store_true",
                        help="generate value_and_grad: return the value with the gradient")
    parser.add_argument("--shape", default=None, metavar="x=3x4,W=10x784",
                        help="array parameters' shapes, for functions using array operations "
                             "(parameters not listed are scalars)")
    parser.add_argument("--xp", action="store_true",
                        help="array code written against the Array API (xp = array_namespace(x)), "
                             "as xp='auto' generates it for NumPy arrays; needs --shape")


def _budget_arguments(parser, seconds: bool):
    """--max-nodes (and --seconds): how much SymPy work a check may do (verification/budget.py)."""
    parser.add_argument("--max-nodes", type=int, default=MAX_NODES, metavar="N",
                        help=f"the largest closed form handed to SymPy, in tree nodes (default "
                             f"{MAX_NODES:,}); larger ones are checked against central differences "
                             "to 30 digits")
    if seconds:
        parser.add_argument("--seconds", type=float, default=SECONDS, metavar="S",
                            help=f"--check's time budget: it stops between two points after S "
                                 f"seconds (default {SECONDS:g})")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["explain"]:
        return explain_main(argv[1:])
    if argv[:1] == ["export"]:
        return export_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_line
            text = run_json(args) if args.json else highlighted(run(args), sys.stdout, args.color)
    except NeedsContainers as exc:  # (the structure is known only from the arguments, at a call)
        print(f"{exc.loc}: {exc.detail.partition(';')[0]}; the CLI reads the source without calling it, "
              "so it cannot know the containers' structure: call symdiff.grad from Python, then read "
              ".source", file=sys.stderr)
        return 2
    except SymdiffError as exc:
        print(exc, file=sys.stderr)
        return 2
    return _write(text + "\n")


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line on stderr, `file:line:col: ...` (a print left out of the code)."""
    print(message, file=sys.stderr)


def _write(text: str) -> int:
    """Print `text`; a reader that stops early (`| head`) is no error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (no second error at exit)
    return 0


def highlighted(code: str, stream, color: str = "auto") -> str:
    """`code` coloured by pygments: with `color` 'always', or 'auto' when `stream` is a
    terminal and NO_COLOR is unset (pygments installed: the cli extra); as it is
    otherwise, so piped output is plain text. 'always' without pygments is an error."""
    terminal = getattr(stream, "isatty", lambda: False)() and not os.environ.get("NO_COLOR")
    if color == "never" or color == "auto" and not terminal:
        return code
    try:
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        if color == "always":
            raise SymdiffError(_arg_loc(), "--color always needs pygments: pip install 'symdiff[cli]'") from None
        return code
    return highlight(code, PythonLexer(), TerminalFormatter()).rstrip("\n")


def run_json(args) -> str:
    """The --json object: the generated source, the lowered list, wrt, shapes, mode, and
    --check's verdict (null without --check)."""
    import json

    _, report, made = derived(args)
    shapes = made["shapes"]
    verdict = None if report is None else {  # (a derivative that disagrees is an error: exit 2)
        "verified": True, "reference": report.reference,
        "method": report.method, "points": report.points, "max_error": float(report.max_error),
        "complete": report.complete, "text": str(report)}
    found = {"target": args.target, "function": made["lowered"].name, "mode": args.mode, "value": args.value,
             "compile": args.compile, "wrt": made["wrt"],
             "shapes": {k: list(v) for k, v in shapes.items()} if shapes is not None else None,
             "source": made["source"], "lowered": format_program(made["lowered"]), "check": verdict}
    return json.dumps(found, indent=2)


# ------------------------------------------------------------------ symdiff export

def build_export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symdiff export",
        description="Write FUNC's derivative as a module that imports numpy and math only (numba "
                    "with --compile numba): symdiff need not be installed where it runs.")
    _derivative_arguments(parser)
    parser.add_argument("-o", "--output", required=True, metavar="PATH", help="the module to write")
    parser.add_argument("--compile", choices=("numba",), default=None,
                        help="decorate the functions with @numba.njit (the code compile='numba' runs)")
    return parser


def export_main(argv) -> int:
    args = build_export_parser().parse_args(argv)
    args.show, args.check = "source", False
    compile_as, args.compile = args.compile, None  # (standalone writes the Numba module itself)
    try:
        _, _, made = derived(args)
        what = ("Tangent code" if args.mode == "forward" else "Value and gradient" if args.value else
                "Gradient")
        module = standalone(made["source"], made["name"], args.target, "symdiff export " + " ".join(argv),
                            what, compile_as, args.xp)
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(module)
    except SymdiffError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{_arg_loc()}: -o {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


# ------------------------------------------------------------------ symdiff explain

FORMATS = ("text", "markdown", "dot", "svg", "png")


def build_explain_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symdiff explain",
        description="Write out the chain rule for FUNC in FILE.py: the lowered list, each local "
                    "partial, the backward pass as sums over children (or the tangent "
                    "recurrences) and SymPy's closed form, with values at --at.")
    parser.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    parser.add_argument("--wrt", default=None, help="parameters to differentiate, comma-separated "
                        "names or indices (default: the first parameter)")
    parser.add_argument("--at", default=None, metavar="x=0.7,y=2",
                        help="the point: a value per parameter (Python literals; lists are arrays: "
                             "W=[[1,2],[3,4]])")
    parser.add_argument("--shape", default=None, metavar="W=3x4",
                        help="draw the listed array parameters at random (seeded) with these shapes")
    parser.add_argument("--seed", type=int, default=0, help="the seed for --shape (default 0)")
    parser.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                        help="reverse mode (adjoints; default) or forward mode (tangents)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), markdown (with LaTeX), dot (Graphviz), or svg/png "
                             "(needs Graphviz's dot and --output)")
    parser.add_argument("--output", default=None, metavar="PATH",
                        help="write svg or png here (the only file symdiff ever writes)")
    _budget_arguments(parser, seconds=False)
    return parser


def explain_main(argv) -> int:
    args = build_explain_parser().parse_args(argv)
    try:
        text = run_explain(args)
    except SymdiffError as exc:
        print(exc, file=sys.stderr)
        return 2
    return _write(text) if text else 0


def run_explain(args) -> str:
    path, name = _split_target(args.target)
    if args.format in ("svg", "png") and not args.output:
        raise SymdiffError(_arg_loc(), f"--format {args.format} writes a file: give --output PATH")
    source = parse_file(path, name)
    wrt = resolve_wrt(source, _parse_wrt(args.wrt))  # (a bad --wrt is reported before the body)
    lowered = lower(source)
    moved = {lowered.params[i].var.name for i in wrt.indices}
    point = _parse_point(args.at, args.shape, args.seed, lowered, moved)
    result = explain(source, wrt, point, args.mode, max_nodes=args.max_nodes)
    if args.format == "text":
        return result.text()
    if args.format == "markdown":
        return result.markdown()
    if args.format == "dot":
        return result.dot()
    _render_graph(result.dot(), args.format, args.output)
    return ""


def _render_graph(dot_text: str, fmt: str, output: str):
    """Graphviz's `dot` renders the graph into `output` (and nothing else is written)."""
    try:
        drawn = rendered(dot_text, fmt)
    except RuntimeError as exc:
        raise SymdiffError(_arg_loc(), f"Graphviz's dot failed: {exc}") from None
    if drawn is None:
        raise SymdiffError(_arg_loc(), f"--format {fmt} needs Graphviz's dot program, which is not "
                           "installed; use --format dot and render it elsewhere")
    with open(output, "wb") as out:
        out.write(drawn)


def _parse_point(at: str | None, shape: str | None, seed: int, lowered, moved=frozenset()) -> dict | None:
    """The point from `--at x=0.7,W=[[1,2],[3,4]]` (Python literals, lists as float arrays,
    but lists of ints as int arrays where their parameter is not in `moved`, the
    differentiated ones: indices, `--at i=[2,0]`) and `--shape W=3x4` (standard normal
    entries drawn with `seed`); None for neither."""
    import ast

    import numpy as np

    if at is None and shape is None:
        return None
    names = [p.var.name for p in lowered.params]
    point = {}
    if at:
        try:
            call = ast.parse(f"point({at})", mode="eval").body
            if call.args:
                raise ValueError("every value needs its parameter's name")
            for keyword in call.keywords:
                value = ast.literal_eval(keyword.value)
                if isinstance(value, (list, tuple)):
                    value = np.array(value)
                    if keyword.arg in moved or value.dtype.kind not in "iu":
                        value = value.astype(float)
                point[keyword.arg] = value
        except (SyntaxError, ValueError, TypeError) as exc:
            raise SymdiffError(_arg_loc(), f"--at {at!r} is not NAME=VALUE,... with Python literal "
                               f"values ({exc})") from None
    if shape:
        rng = np.random.default_rng(seed)
        for name, dims in _parse_shapes(shape, lowered).items():
            if dims and name not in point:
                point[name] = rng.standard_normal(dims)
    unknown = [n for n in point if n not in names]
    if unknown:
        raise SymdiffError(_arg_loc(), f"--at names {', '.join(unknown)}, which {lowered.name} does "
                           f"not take; its parameters are {', '.join(names)}")
    for p in lowered.params:
        if p.var.name not in point and p.default is not None:
            point[p.var.name] = p.default.value
    missing = [n for n in names if n not in point]
    if missing:
        raise SymdiffError(_arg_loc(), f"--at needs a value for every parameter of {lowered.name}: "
                           f"give {', '.join(missing)} too")
    return point


def _split_target(target: str) -> tuple[str, str]:
    """`FILE.py:FUNC` as (path, function name)."""
    path, _, name = target.rpartition(":")
    if not path or not name:
        raise SymdiffError(_arg_loc(), f"target {target!r} is not FILE.py:FUNC; "
                           "name the function after a colon, e.g. examples/lecture.py:f")
    return path, name


def run(args) -> str:
    parts, report, _ = derived(args)
    if report is not None:
        parts.append(_comment(str(report)))
    return "\n".join(parts).rstrip("\n")


def derived(args) -> tuple[list[str], object, dict]:
    """(the stages to print, --check's report or None, what was derived: wrt, shapes, the
    lowered list, the module's source and the derivative's name) for the main command's `args`."""
    path, name = _split_target(args.target)
    stages = [s.strip() for s in args.show.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown or not stages:
        raise SymdiffError(_arg_loc(), f"--show {args.show!r}: unknown stage; "
                           f"choose from {', '.join(STAGES)}")
    mode = "forward" if args.mode == "forward" else "reverse"
    other = {"forward": "reverse", "reverse": "forward"}[mode]
    if other in stages:
        raise SymdiffError(_arg_loc(), f"--show {other}: there is no {other} stage in {mode} mode; "
                           f"show {mode}, or use --mode {other}")
    if mode == "forward" and (args.value or args.check):
        raise SymdiffError(_arg_loc(), f"--{'value' if args.value else 'check'} applies to reverse mode "
                           "(the tangent code returns the value already; --check verifies the "
                           "gradient): drop --mode forward")
    source = parse_file(path, name)
    wrt = resolve_wrt(source, _parse_wrt(args.wrt))  # (a bad --wrt is reported before the body)
    lowered = lower(source)
    if is_array_code(lowered) and not args.shape:
        raise SymdiffError(lowered.loc, f"{name} uses array operations, so its derivative depends "
                           "on the arguments' shapes; give them with --shape x=3x4,W=10x784")
    shapes = _parse_shapes(args.shape, lowered) if args.shape else None
    ints = set() if shapes is not None else None  # (arrays given by shape are of floats)
    kind = "jvp" if mode == "forward" else "value_and_grad" if args.value else "grad"
    if args.xp and (shapes is None or getattr(args, "compile", None)):
        raise SymdiffError(_arg_loc(), "--xp writes array code: give --shape, and not --compile numba "
                           "(Numba compiles NumPy code)")
    derivation, _ = derive(source, wrt, kind, shapes=shapes, lowered=lowered, ints=ints,
                           xp="numpy" if args.xp else None)
    if getattr(args, "compile", None) == "numba":  # (the module compile='numba' compiles)
        derivation = replace(derivation, source=numba_source(derivation.source, derivation.derivative.name))
    parts = [_stage(derivation, stage, len(stages) > 1) for stage in stages]
    report = _check(source, wrt, lowered, shapes, Budget(args.max_nodes, args.seconds)) if args.check else None
    made = {"wrt": [lowered.params[i].var.name for i in wrt.indices], "shapes": shapes, "lowered": lowered,
            "source": derivation.source, "name": derivation.derivative.name}
    return parts, report, made


def _check(source, wrt, lowered, shapes, budget: Budget):
    """SymPy's verdict on the gradient (entry by entry, or by finite differences, for arrays)."""
    if shapes is None:
        return check(derive(source, wrt, lowered=lowered)[0], budget=budget)
    return check_arrays(derive(source, wrt, shapes=shapes)[0], shapes, budget=budget)


def _parse_shapes(text: str | None, lowered) -> dict:
    """`x=3x4,W=10x784` as {'x': (3, 4), 'W': (10, 784)}; unlisted parameters are scalars."""
    shapes = {p.var.name: () for p in lowered.params}
    for entry in filter(None, (text or "").split(",")):
        name, _, dims = entry.partition("=")
        try:
            shape = tuple(int(d) for d in dims.split("x") if d.strip())
        except ValueError:
            shape = None
        if name.strip() not in shapes or shape is None:
            raise SymdiffError(_arg_loc(), f"--shape entry {entry!r} is not NAME=3x4 for a parameter "
                               f"of {lowered.name} ({', '.join(shapes)})")
        shapes[name.strip()] = shape
    return shapes


def _parse_wrt(text: str | None):
    if text is None:
        return 0
    entries = [int(e) if e.strip().lstrip("-").isdigit() else e.strip() for e in text.split(",")]
    return tuple(entries) if len(entries) > 1 else entries[0]


def _stage(derivation, stage: str, titled: bool) -> str:
    text = derivation.source if stage == "source" else format_program(derivation.stages[stage]) + "\n"
    return f"# {stage}\n{text}" if titled else text


def _comment(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines())


def _arg_loc():
    return Loc("<command line>", 1, 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
