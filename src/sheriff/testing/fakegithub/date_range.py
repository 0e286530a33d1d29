"""GitHub's date filters, as in ``created=>=2024-05-01`` or ``created:2024-05-01..2024-05-07``.

Forms: ``DATE``, ``>DATE``, ``>=DATE``, ``<DATE``, ``<=DATE``, ``A..B``, ``A..*``, ``*..B``;
a DATE is ``YYYY-MM-DD`` (the whole day) or an ISO 8601 time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sheriff.testing.fakegithub.api_errors import validation_failed
from sheriff.testing.fakegithub.seed_fields import parse_timestamp

DatePredicate = Callable[[datetime], bool]
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date_range(text: str, field: str = "created") -> DatePredicate:
    """A test of a time against ``text``; a 422 naming ``field`` when it cannot be read."""
    try:
        return _parse(text.strip())
    except ValueError as error:
        raise validation_failed(
            "Search", field, "invalid", f"{text!r} is not a date range such as >=2024-05-01"
        ) from error


def _parse(text: str) -> DatePredicate:
    if ".." in text:
        low, _, high = text.partition("..")
        after = None if low == "*" else _bounds(low)[0]
        before = None if high == "*" else _bounds(high)[1]
        return lambda moment: (
            (after is None or moment >= after) and (before is None or moment < before)
        )
    for operator in (">=", "<=", ">", "<"):
        if text.startswith(operator):
            start, end = _bounds(text[len(operator) :])
            return _compare(operator, start, end)
    start, end = _bounds(text)
    return lambda moment: start <= moment < end


def _compare(operator: str, start: datetime, end: datetime) -> DatePredicate:
    if operator == ">=":
        return lambda moment: moment >= start
    if operator == ">":
        return lambda moment: moment >= end
    if operator == "<=":
        return lambda moment: moment < end
    return lambda moment: moment < start


def _bounds(text: str) -> tuple[datetime, datetime]:
    """The half-open span a date names: a whole day, or one instant (one second wide)."""
    if _DAY.match(text):
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        return day, day + timedelta(days=1)
    moment = parse_timestamp(text)
    return moment, moment + timedelta(seconds=1)
