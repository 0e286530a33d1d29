"""Small builders of observations for the flakiness tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sheriff.core.flaky import Observation, Outcome
from sheriff.core.flaky.history import History

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEST = "tests/test_cache.py::test_expiry"


def result(
    outcome: str = "fail", *, sha: str = "a1", run_id: int = 1, minutes: int = 0, **fields: object
) -> Observation:
    base = Observation(
        repo="acme/widgets", workflow="ci", job="unit", run_id=run_id, run_attempt=1, sha=sha,
        branch="main", event="push", pr=None, author="ana", time=T0 + timedelta(minutes=minutes),
        test=TEST, outcome=Outcome(outcome),
        signature="AssertionError: assert 2 == 3" if outcome == "fail" else "",
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


def history_of(*observations: Observation) -> History:
    history = History()
    for item in observations:
        history.add(item)
    return history
