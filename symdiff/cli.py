"""The command line: print the derivative code symdiff generates for a function.

    symdiff FILE.py:FUNC [--wrt x,y] [--value] [--show STAGES] [--shape x=3x4] [--check]

The file is read statically: it is never imported or run. Only the generated
code runs, and only for `--check`. A user error prints one `file:line:col:`
line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import sys

from .driver import STAGES, derive, derive_forward, is_array_code
from .errors import SymdiffError
from .ir import format_program
from .lower import lower
from .parse import parse_file


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symdiff", description="Print the derivative code symdiff generates for FUNC in FILE.py.")
    parser.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    parser.add_argument("--wrt", default=None,
                        help="parameters to differentiate, comma-separated names or indices "
                             "(default: the first parameter)")
    parser.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                        help="reverse mode (gradient; default) or forward mode (value and "
                        "directional derivative, one tangent x_dot per --wrt parameter)")
    parser.add_argument("--value", action="store_true",
                        help="generate value_and_grad: return the value with the gradient")
    parser.add_argument("--show", default="source",
                        help=f"what to print, comma-separated from {', '.join(STAGES)} (default: source)")
    parser.add_argument("--shape", default=None, metavar="x=3x4,W=10x784",
                        help="array parameters' shapes, for functions using array operations "
                             "(parameters not listed are scalars)")
    parser.add_argument("--check", action="store_true", help="also verify the derivative against SymPy")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        print(run(args))
    except SymdiffError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def run(args) -> str:
    path, _, name = args.target.rpartition(":")
    if not path or not name:
        raise SymdiffError(_arg_loc(), f"target {args.target!r} is not FILE.py:FUNC; "
                           "name the function after a colon, e.g. examples/lecture.py:f")
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
    lowered = lower(source)
    if is_array_code(lowered) and not args.shape:
        raise SymdiffError(lowered.loc, f"{name} uses array operations, so its derivative depends "
                           "on the arguments' shapes; give them with --shape x=3x4,W=10x784")
    shapes = _parse_shapes(args.shape, lowered) if args.shape else None
    ints = set() if shapes is not None else None  # (arrays given by shape are of floats)
    if mode == "forward":
        derivation, _ = derive_forward(source, _parse_wrt(args.wrt), shapes=shapes, lowered=lowered,
                                       ints=ints)
    else:
        derivation, _ = derive(source, _parse_wrt(args.wrt), args.value, shapes=shapes,
                               lowered=lowered, ints=ints)
    parts = [_stage(derivation, stage, len(stages) > 1) for stage in stages]
    if args.check:
        parts.append(_comment(str(_check(source, derivation.wrt, lowered, shapes))))
    return "\n".join(parts).rstrip("\n")


def _check(source, wrt, lowered, shapes):
    """SymPy's verdict on the gradient (entry by entry, or by finite differences, for arrays)."""
    from .symbolic import check
    from .verify_arrays import check_arrays

    if shapes is None:
        return check(derive(source, tuple(wrt), lowered=lowered)[0])
    return check_arrays(derive(source, tuple(wrt), shapes=shapes)[0], shapes)


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
    from .errors import Loc

    return Loc("<command line>", 1, 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
