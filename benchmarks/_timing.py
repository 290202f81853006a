"""Timing and formatting shared by the benchmark scripts (`bench_scalar.py`, `bench_arrays.py`, ...).

The scripts import it as `_timing`: run them as `python benchmarks/<script>.py`, which
puts this directory first on `sys.path`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import inspect
import itertools
import math
import os
import platform
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np


def options(doc: str, argv=None) -> tuple[int, float]:
    """(repeats, seconds per run) from the command line: 7 of 0.2 s, or 3 of 0.02 s with --quick."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    return (3, 0.02) if parser.parse_args(argv).quick else (7, 0.2)


def interleaved_best(timers, repeats, min_time):
    """Seconds per call of each `timeit.Timer` in `timers` (label -> timer), best of `repeats`.

    Each timer's number of loops is the first of 1, 2, 5, 10, ... whose run lasts at
    least `min_time`; then the repeats of all timers are interleaved, so that load
    from other processes hits them alike, and each timer's best repeat counts.
    """
    numbers = {label: next(n for n in loop_counts() if timer.timeit(n) >= min_time)
               for label, timer in timers.items()}
    best = dict.fromkeys(timers, math.inf)
    for _ in range(repeats):
        for label, timer in timers.items():
            best[label] = min(best[label], timer.timeit(numbers[label]) / numbers[label])
    return best


def interleaved_medians(timers, repeats, min_time):
    """Seconds per call of each `timeit.Timer` in `timers` (label -> timer), median of `repeats`.

    As `interleaved_best`, but each timer's median repeat counts: the median says what a
    call typically costs on a machine shared with other work, the best what it costs at
    least.
    """
    numbers = {label: next(n for n in loop_counts() if timer.timeit(n) >= min_time)
               for label, timer in timers.items()}
    runs = {label: [] for label in timers}
    for _ in range(repeats):
        for label, timer in timers.items():
            runs[label].append(timer.timeit(numbers[label]) / numbers[label])
    return {label: statistics.median(times) for label, times in runs.items()}


def loop_counts():
    """1, 2, 5, 10, 20, 50, ... as in `timeit.Timer.autorange`."""
    for power in itertools.count():
        for step in (1, 2, 5):
            yield step * 10**power


def import_file(path):
    """The module in the file `path`, imported under its stem (not entered in `sys.modules`)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compiled_row(label, make, args, compile_times: dict):
    """(fn, args, None) for the row of `make()` (a function compiled at its first call: Numba,
    jax), its compile time, `make()` and that first call, recorded in `compile_times`."""
    start = time.perf_counter()
    fn = make()
    fn(*args)
    compile_times[label] = time.perf_counter() - start
    return fn, args, None


def compile_line(compile_times: dict) -> str:
    """The line under a table that gives each row's compile time (empty without any)."""
    if not compile_times:
        return ""
    return "Compile time (transformation and first call, once): " + ", ".join(
        f"{label} {fmt_time(seconds)}" for label, seconds in compile_times.items()) + "."


def first_calls(fun, header, directory, count, transform, call):
    """(transform times, first-call times, the last transformed) of `transform` on `count`
    fresh copies of `fun`:
    its source (after `header`, the imports it needs) written to a file of its own in
    `directory` and imported, so that symdiff has not seen the function object; then the
    first `call(transformed)`, which generates code where it waits for the arguments."""
    source = header + inspect.getsource(fun)
    makes, firsts = [], []
    for i in range(count):
        path = Path(directory, f"{fun.__name__}_{i}.py")
        path.write_text(source)
        fresh = getattr(import_file(path), fun.__name__)
        start = time.perf_counter()
        transformed = transform(fresh)
        middle = time.perf_counter()
        call(transformed)
        makes.append(middle - start)
        firsts.append(time.perf_counter() - middle)
    return makes, firsts, transformed


def fmt_time(seconds):
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)):
        if seconds < 1000 * scale:
            value = seconds / scale
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"
    return f"{seconds:.3g} s"


def fmt_ratio(seconds, hand_seconds):
    return f"{seconds / hand_seconds:.2f}x"


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def package_versions(names):
    """"name version" or "name not installed" for each distribution in `names`."""
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    return versions


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def as_numpy(value):
    """A float64 NumPy array from a number, a list of numbers, or a NumPy, jax or torch array."""
    if hasattr(value, "detach"):  # torch
        value = value.detach()
    if isinstance(value, (list, tuple)):
        value = [as_numpy(v) for v in value]
    return np.asarray(value, dtype=float)


def check_gradient(script, label, got, want, rtol=1e-9):
    """Stop `script` unless `got` agrees with the hand-written `want`, result by result:
    equal shapes and max |got - want| <= rtol * max |want| (`want`: an array or a tuple of them)."""
    wants = want if isinstance(want, tuple) else (want,)
    gots = tuple(got) if isinstance(want, tuple) else (got,)
    for i, (g, w) in enumerate(zip(gots, wants, strict=True)):
        g, w = as_numpy(g), as_numpy(w)
        error = np.max(np.abs(g - w)) if g.shape == w.shape else math.inf
        if not error <= rtol * np.max(np.abs(w)):
            sys.stdout.flush()
            sys.exit(f"{script}: {label} disagrees with the hand-written result {i}: shape {g.shape} "
                     f"vs {w.shape}, max |difference| {error:.3g}, max |hand-written| "
                     f"{np.max(np.abs(w)):.3g} (relative tolerance {rtol}); stopping before timing it")


def call_timers(impls):
    """A `timeit.Timer` per label for `impls` (label -> (fn, args, block)): `fn(*args)`, or
    `block(fn(*args))` when `block` is given (jax: wait for the result)."""
    return {label: timeit.Timer("block(fn(*args))" if block else "fn(*args)",
                                setup="fn = _fn; args = _args; block = _block",
                                globals={"_fn": fn, "_args": args, "_block": block})
            for label, (fn, args, block) in impls.items()}


def load_line(when):
    try:
        return f"1-minute load average {when}: {os.getloadavg()[0]:.2f}."
    except OSError:
        return f"1-minute load average {when}: unavailable."
