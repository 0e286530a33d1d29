"""The filters the templates use to show times, money, probabilities and details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sheriff.core.lifecycle.states import CaseState
from sheriff.core.model import FailureType
from sheriff.entry.dashboard.rendering import (
    DETAILS_SHOWN,
    css_token,
    failure_label,
    format_ago,
    format_details,
    format_probability,
    format_usd,
    format_when,
    state_label,
)

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before", "shown"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 h ago"),
        (timedelta(hours=23, minutes=59), "23 h ago"),
        (timedelta(days=1), "1 d ago"),
        (timedelta(days=400), "400 d ago"),
        (timedelta(seconds=-30), "just now"),  # clocks of two machines disagree a little
        (timedelta(hours=-2), "2026-01-12 17:00 UTC"),  # really in the future: say when
    ],
)
def test_ago(before: timedelta, shown: str) -> None:
    assert format_ago(NOW - before, NOW) == shown


def test_times_are_shown_in_utc() -> None:
    paris = datetime(2026, 1, 12, 16, 30, tzinfo=UTC).astimezone()
    assert format_when(paris) == "2026-01-12 16:30 UTC"
    assert format_when(None) == "—"
    assert format_ago(None, NOW) == "never"


@pytest.mark.parametrize(
    ("usd", "shown"),
    [
        (Decimal(0), "$0.00"),
        (Decimal("0.000123"), "$0.0001"),
        (Decimal("0.173190"), "$0.1732"),
        (Decimal("1.594293"), "$1.59"),
        (Decimal("12345.678"), "$12,345.68"),
    ],
)
def test_usd(usd: Decimal, shown: str) -> None:
    assert format_usd(usd) == shown


def test_labels_and_tokens() -> None:
    assert format_probability(None) == "—"
    assert format_probability(0.856) == "0.86"
    assert state_label(CaseState.PR_NEEDS_CHANGES) == "pr needs changes"
    assert failure_label(FailureType.TYPE_CHECK) == "type check failure"
    assert failure_label(FailureType.UNKNOWN) == "unknown"
    assert css_token("broken_trunk") == "broken_trunk"
    assert css_token('x" onclick="y') == "x-onclick-y"
    assert css_token("<>") == "none"


def test_details_are_compact_json_cut_to_length() -> None:
    assert format_details({}) == ""
    assert format_details({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    long = format_details({"text": "x" * 1000})
    assert len(long) == DETAILS_SHOWN
    assert long.endswith("…")
