"""Coverage of code symdiff did not write: the surface corpora, case by case.

Run from the repository root (symdiff installed, e.g. `pip install -e .`):

    python benchmarks/corpus_coverage.py              # a table per corpus, totals, refusals by reason
    python benchmarks/corpus_coverage.py --summary    # totals and refusals only
    python benchmarks/corpus_coverage.py --only realistic_programs
    python benchmarks/corpus_coverage.py --summary --expected-refused   # + what test_surface.py expects refused

The corpora are tests/cases/autograd_surface.py (a function of our own for every
NumPy, np.linalg and scipy.special function autograd differentiates, in the forms
its tests use, plus the operators) and tests/cases/realistic_programs.py (programs
as users write them). Every case goes through `symdiff.grad` and `symdiff.jvp`, and
each mode gets one verdict, judged as tests/test_surface.py judges it
(tests/support/surface.py):

- passed: the gradient has the type and shape of each argument and agrees with
  central differences to 1e-6 relative (jvp: its value is the function's and its
  tangent agrees with central differences along a fixed random direction);
- wrong: it disagrees, has another type or shape, or is NaN;
- crash: an exception other than a SymdiffError;
- refused: a SymdiffError (a located refusal), shown by its first line;
- skipped: the case needs SciPy and SciPy is not installed.

Then the totals per corpus and mode, the refusals grouped by reason (the message
without its location, up to its first ';'), and how many of the functions autograd
differentiates symdiff covers: a function counts when every case of it passes in
both modes (and as partly covered when some do). Nothing is timed. Works with and
without SciPy.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # (the repository root, for tests.*)

from tests.cases import autograd_surface, realistic_programs  # noqa: E402
from tests.support.surface import forward_outcome, reverse_outcome  # noqa: E402

CORPORA = {"autograd_surface": autograd_surface.CASES, "realistic_programs": realistic_programs.CASES}
STATUSES = ("passed", "wrong", "crash", "refused", "skipped")
LOCATION = re.compile(r"^.*?:\d+:\d+: ")


def run(cases) -> list:
    """(case, reverse outcome, forward outcome) for each case, in order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (a NaN is reported as wrong, not warned about)
        return [(case, reverse_outcome(case), forward_outcome(case)) for case in cases]


def cell(text: str, width: int = 110) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[:width - 3] + "..."


def print_table(name: str, results: list) -> None:
    print(f"\n## {name} ({len(results)} cases)\n")
    print("| case | covers | reverse | forward | detail |")
    print("| --- | --- | --- | --- | --- |")
    for case, reverse, forward in results:
        detail = reverse.detail or forward.detail
        if forward.detail and reverse.detail and forward.detail != reverse.detail:
            detail = f"reverse: {reverse.detail} / forward: {forward.detail}"
        print(f"| {case.name} | {cell(case.covers, 40)} | {reverse.status} | {forward.status} | "
              f"{cell(LOCATION.sub('', detail))} |")


def totals(results: list, mode: int) -> collections.Counter:
    return collections.Counter((reverse, forward)[mode].status for _, reverse, forward in results)


def print_totals(all_results: dict) -> None:
    print("\n## Totals\n")
    print("| corpus | mode | " + " | ".join(STATUSES) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in STATUSES) + " |")
    for name, results in all_results.items():
        for mode, label in ((0, "reverse (grad)"), (1, "forward (jvp)")):
            counts = totals(results, mode)
            print(f"| {name} | {label} | " + " | ".join(str(counts[s]) for s in STATUSES) + " |")


def reason(detail: str) -> str:
    """A refusal's message without its location, up to its first ';'."""
    return LOCATION.sub("", detail).split(";")[0].strip()


def print_reasons(all_results: dict) -> None:
    print("\n## Refused, by reason (reverse mode; forward mode where only it refuses)\n")
    groups = collections.Counter()
    for results in all_results.values():
        for _, reverse, forward in results:
            outcome = reverse if reverse.status == "refused" else forward
            if outcome.status == "refused":
                groups[reason(outcome.detail)] += 1
    print("| cases | reason |")
    print("| --- | --- |")
    for text, count in sorted(groups.items(), key=lambda item: (-item[1], item[0])):
        print(f"| {count} | {cell(text, 150)} |")


def families(names) -> dict:
    """How many of `names` are NumPy's, np.linalg's, scipy.special's, and other (operators,
    indexing, builtins, methods)."""
    def family(name: str) -> str:
        for prefix in ("np.linalg.", "scipy.special.", "np."):
            if name.startswith(prefix):
                return prefix[:-1]
        return "other"
    counts = collections.Counter(family(name) for name in names)
    return {f: counts[f] for f in ("np", "np.linalg", "scipy.special", "other")}


def print_expected_refused(all_results: dict) -> None:
    """The cases refused in reverse mode, as entries of tests/test_surface.py's EXPECTED_REFUSED."""
    print("\n## As EXPECTED_REFUSED entries (tests/test_surface.py)\n")
    for name, results in all_results.items():
        print(f"    # {name}")
        for case, reverse, _ in results:
            if reverse.status == "refused":
                print(f"    {json.dumps(case.name)}: {json.dumps(reason(reverse.detail))},")


def print_autograd_coverage(results: list) -> None:
    """How many of the functions autograd differentiates have every (some) case passing."""
    by_function = collections.defaultdict(list)
    for case, reverse, forward in results:
        if case.covers in autograd_surface.AUTOGRAD:
            by_function[case.covers].append(reverse.status == forward.status == "passed")
    covered = sorted(f for f, ok in by_function.items() if all(ok))
    partly = sorted(f for f, ok in by_function.items() if any(ok) and not all(ok))
    missing = sorted(f for f, ok in by_function.items() if not any(ok))
    print("\n## autograd's functions\n")
    print(f"{len(by_function)} functions autograd differentiates have cases here "
          f"({', '.join(f'{n} {family}' for family, n in families(by_function).items())}; "
          f"{len(autograd_surface.EXCLUDED)} entries excluded: complex-valued, removed from NumPy, "
          "not NumPy's, out of scope); of them:\n")
    print(f"- covered (every case passes in both modes): {len(covered)} "
          f"({', '.join(f'{n} {family}' for family, n in families(covered).items())})")
    print(f"- partly covered (some cases pass): {len(partly)}: {', '.join(partly) or '-'}")
    print(f"- not covered (no case passes): {len(missing)}: {', '.join(missing) or '-'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="totals and refusals only, no per-case table")
    parser.add_argument("--only", choices=sorted(CORPORA), help="one corpus only")
    parser.add_argument("--expected-refused", action="store_true",
                        help="also print the refused cases as entries of test_surface.py's EXPECTED_REFUSED")
    options = parser.parse_args(argv)
    names = [options.only] if options.only else list(CORPORA)
    all_results = {name: run(CORPORA[name]) for name in names}
    if not options.summary:
        for name, results in all_results.items():
            print_table(name, results)
    print_totals(all_results)
    print_reasons(all_results)
    if "autograd_surface" in all_results:
        print_autograd_coverage(all_results["autograd_surface"])
    if options.expected_refused:
        print_expected_refused(all_results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
