"""Rows that need a library imported lazily (SciPy): skipped, with the reason, where it is absent."""

import importlib

import pytest

from symdiff.builder import Builder
from symdiff.errors import UnsupportedSyntaxError
from symdiff.ir import NameAllocator, Var
from symdiff.primitives import LAZY_MODULES, PRIMS


def installed(ns: str) -> bool:
    try:
        importlib.import_module(LAZY_MODULES[ns])
    except ImportError:
        return False
    return True


def skip_where_missing(row, ns: str) -> None:
    """Skip a test of `row` spelled in `ns` if that library, or the one its derivative is
    written with (math.lgamma's: scipy.special.digamma), is not installed."""
    if ns in LAZY_MODULES and not installed(ns):
        pytest.skip(f"{ns} is not installed: its rows are not checked")
    if not row.elementwise or not row.partials or all(installed(lazy) for lazy in LAZY_MODULES):
        return
    args = [Var(f"x{i}") for i in range(row.arity)]
    for partial in filter(None, row.partials):
        try:
            partial(Builder(NameAllocator(set()), PRIMS, ns=ns if ns in ("math", "numpy") else "math"),
                    Var("out"), *args)
        except UnsupportedSyntaxError as error:
            pytest.skip(f"the derivative of {row.name} needs a library that is not installed: {error.detail}")
