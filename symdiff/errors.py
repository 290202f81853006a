"""Every error symdiff raises, located in the user's source.

Contract: each exception derives from `SymdiffError`; its message starts with
`file:line:col:` of the offending construct (columns count from 1), names the
construct, and says what to do instead.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Loc:
    """A position in the user's source: file name, line and 1-based column."""

    filename: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col}"


class SymdiffError(Exception):
    """Base class of every error symdiff raises.

    Attributes:
        loc: where in the user's source the problem is.
        detail: the message without its location prefix.
    """

    def __init__(self, loc: Loc, detail: str):
        self.loc = loc
        self.detail = detail
        super().__init__(f"{loc}: {detail}")


class UnsupportedSyntaxError(SymdiffError):
    """A Python construct symdiff cannot differentiate (yet)."""


class NeedsContainers(UnsupportedSyntaxError):
    """The function reads a parameter as a container (`params["W"]`, `W, b = params`)
    that it was not given as one: its code is generated for the structure of the
    arguments at their first call (api.py), and the error stands if they are no
    containers then."""


class UnknownFunctionError(SymdiffError):
    """A call or name that resolves to nothing symdiff knows how to differentiate."""


class SourceUnavailableError(SymdiffError):
    """The function's source text cannot be found (builtins, exec, the REPL)."""


class WrtError(SymdiffError):
    """`wrt` names no parameter of the function, or names one twice."""


class NonScalarOutputError(SymdiffError):
    """`grad` was asked for the gradient of something that is not one scalar."""


class ShapeError(SymdiffError):
    """Array arguments whose shapes an operation cannot combine."""


class VerificationError(SymdiffError):
    """`verify` found that a generated derivative disagrees with SymPy."""

    def __init__(self, loc: Loc, detail: str, report=None):
        super().__init__(loc, detail)
        self.report = report


class BudgetError(SymdiffError):
    """A check (verify, `--check`, explain) stopped at its time budget before it had
    compared anything."""


class SymdiffWarning(UserWarning):
    """Something in the differentiated function is left out of the generated code (a
    `print` call); the message starts with its `file:line:col`."""


class ArgumentError(SymdiffError, TypeError):
    """An argument of a kind the generated code was not generated for (a list where it
    takes numbers, an array where it uses `math`), refused before that code runs."""


class ArgumentCheck:
    """What the generated code's `_check_arguments(name, kind, **arguments)` is bound to
    when symdiff compiles it (backend/arguments.py): the same check, raising located errors.

    `problem(name, kind, arguments)` is arguments.argument_error: the
    first argument refused, as (parameter, message, whether the output's shape is the
    problem), or None. A refused argument is an ArgumentError at its parameter in the
    user's source (`locs`, by name; `loc` where none is known); an output that is not
    one number a NonScalarOutputError at the function (`loc`).
    """

    def __init__(self, problem, locs: dict, loc: Loc):
        self.problem, self.locs, self.loc = problem, locs, loc

    def __call__(self, name: str, kind: str, /, **arguments):
        found = self.problem(name, kind, arguments)
        if found is not None:
            parameter, message, output = found
            if output:
                raise NonScalarOutputError(self.loc, message)
            self.refuse(parameter, message)

    def refuse(self, parameter: str, message: str):
        """Raise ArgumentError(message) at `parameter`."""
        raise ArgumentError(self.locs.get(parameter, self.loc), message)


RECURSION_ROOM = 20_000  # frames: walking a 200-deep expression takes about 1,000


@contextlib.contextmanager
def room_for_deep_code(loc: Loc):
    """Let the block recurse as deeply nested source needs; past `RECURSION_ROOM` frames,
    a located UnsupportedSyntaxError instead of RecursionError."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, RECURSION_ROOM))
    try:
        yield
    except RecursionError:
        raise UnsupportedSyntaxError(loc, "this function nests expressions too deeply to "
                                     "differentiate; split them into assignments") from None
    finally:
        sys.setrecursionlimit(before)
