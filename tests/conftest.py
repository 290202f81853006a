"""Shared test settings.

No test may depend on how fast the machine is: the clock symdiff's checks read for
their time budget and progress (symdiff.verification.budget.now) is frozen here, so a verify
never stops early on a busy machine. Tests of the budget itself replace it with a
clock that ticks a fixed step per reading.

Tests marked `slow` (the long fuzzer runs, checks of whole examples against SymPy)
run only when asked: `pytest -m slow`; CI runs both selections.
"""

import pytest

from symdiff.verification import budget


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(budget, "now", lambda: 0.0)
