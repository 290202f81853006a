"""Work bounds and progress for the checks that call SymPy (verify, `--check`, explain).

SymPy's closed form of a function is a tree. Its nodes are shared (the closed
form of ten Runge-Kutta steps is a graph of 230 nodes), but differentiating,
substituting and evaluating walk it as a tree, whose size can grow exponentially
with a loop's trip count (ten such steps: 7.8e17 nodes). So every check measures
the tree first, which costs the size of the graph, and past `Budget.max_nodes`
it does not hand the formula to SymPy: it compares with central differences of
the function evaluated to 30 digits instead (symbolic.py). The size of the tree
bounds the rest of SymPy's work, so a check's cost is bounded by the function,
not by the machine's speed.

`Budget.seconds` is a second bound, for the user: it is checked between steps
(SymPy cannot be interrupted within one) and stops a check with a message that
says what was checked and how to raise it. `Progress` shows on a terminal what a
check is doing once it has run for a second.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from ..errors import BudgetError, Loc

MAX_NODES = 20_000  # differentiating such a tree and evaluating the result takes SymPy about a second
SECONDS = 60.0
PROGRESS_AFTER = 1.0  # seconds before a check says what it is doing


@dataclass(frozen=True)
class Budget:
    """How much SymPy work a check may do.

    Attributes:
        max_nodes: the largest closed form (counted as a tree, shared subexpressions
            once per use) given to SymPy; larger ones are checked numerically.
        seconds: the time after which a check stops (between two steps), or None.
    """

    max_nodes: int = MAX_NODES
    seconds: float | None = SECONDS


def tree_size(expr, sizes: dict, limit: int | None = None) -> int:
    """The number of nodes of `expr` read as a tree, counting each shared subexpression
    once per use. `sizes` remembers the subexpressions already measured, so measuring
    costs the number of distinct subexpressions (the size of the graph); the count
    stops growing past `limit` (it is then only known to exceed it)."""
    cap = limit + 1 if limit is not None else None
    stack = [(expr, False)]
    while stack:  # (iterative, in post-order: closed forms nest deeper than Python recurses)
        node, ready = stack.pop()
        if node in sizes:
            continue
        args = getattr(node, "args", ())
        if ready:
            total = 1 + sum(sizes[a] for a in args)
            sizes[node] = total if cap is None else min(total, cap)
            continue
        stack.append((node, True))
        stack.extend((a, False) for a in args if a not in sizes)
    return sizes[expr]


def now() -> float:
    """The clock checks read (tests replace it, so that they need not wait)."""
    return time.monotonic()


class ClosedFormTooLarge(Exception):
    """A value of a closed form being built has more nodes than its `SizeLimit`."""


@dataclass
class SizeLimit:
    """The largest tree a closed form may reach while it is built; `sizes` remembers the
    subexpressions measured so far, so that measuring every value costs the graph once."""

    max_nodes: int
    sizes: dict = field(default_factory=dict)

    def check(self, value):
        """Raise ClosedFormTooLarge if `value` (an expression, or a tuple, list or object
        array of them) has a tree of more than `max_nodes` nodes."""
        if isinstance(value, (tuple, list)):
            for item in value:
                self.check(item)
        elif getattr(value, "dtype", None) == object:
            for item in value.flat:
                self.check(item)
        elif hasattr(value, "args") and tree_size(value, self.sizes, self.max_nodes) > self.max_nodes:
            raise ClosedFormTooLarge(self.max_nodes)


class Progress:
    """What a check is doing, on one terminal line of `stream`, once it has taken
    `PROGRESS_AFTER` seconds; nothing where `stream` is not a terminal."""

    def __init__(self, what: str, enabled: bool | None = None, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.what, self.enabled = what, enabled
        self.start = now()
        self.shown = False

    @property
    def elapsed(self) -> float:
        return now() - self.start

    def update(self, doing: str):
        """Say what the check is doing now (after `PROGRESS_AFTER` seconds)."""
        if not self.enabled or self.elapsed < PROGRESS_AFTER:
            return
        self.stream.write(f"\r\033[K{self.what}: {doing} ({self.elapsed:.1f} s)")
        self.stream.flush()
        self.shown = True

    def done(self):
        """Clear the line, if anything was shown."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


@dataclass
class Clock:
    """A check's time budget: `over()` says whether it is spent."""

    budget: Budget
    progress: Progress
    stopped: str | None = field(default=None)

    def over(self, compared: int, wanted: int) -> bool:
        """Whether the time is spent (then `stopped` says so, with `compared` of `wanted`)."""
        seconds = self.budget.seconds
        if seconds is None or self.progress.elapsed <= seconds:
            return False
        self.stopped = (f"stopped at the time budget of {seconds:g} s after {compared} of {wanted} "
                        "points; raise it with verify(..., seconds=...) or --seconds")
        return True


def budget_error(loc: Loc, what: str, budget: Budget) -> BudgetError:
    """The error of a check stopped by its time budget before comparing anything."""
    return BudgetError(loc, f"{what} stopped at its time budget of {budget.seconds:g} s before "
                       "comparing a point; raise it (verify(..., seconds=600), or --seconds 600 "
                       "on the command line), or lower max_nodes so that SymPy's part is smaller")
