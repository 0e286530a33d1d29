"""Schedule ticks and interval slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from croniter import croniter

from sheriff.adapters.engine.schedules import slot_of, slot_workflow_id, tick_cron


@pytest.mark.parametrize(
    ("interval", "cron"),
    [
        (72 * 3600, "0 0 * * * *"),
        (3600, "0 0 * * * *"),
        (1800, "0 */15 * * * *"),
        (600, "0 */5 * * * *"),
        (120, "0 * * * * *"),
        (90, "0 * * * * *"),
        (5400, "0 */15 * * * *"),
    ],
)
def test_ticks_divide_the_interval(interval: int, cron: str) -> None:
    assert tick_cron(interval) == cron
    assert croniter.is_valid(cron, second_at_beginning=True)


def test_every_tick_of_a_slot_names_the_same_work_and_the_next_slot_new_work() -> None:
    interval = 72 * 3600
    start = datetime(2026, 1, 1, tzinfo=UTC)
    slots = {slot_of(start + timedelta(hours=hour), interval) for hour in range(72)}
    assert len(slots) <= 2  # 72 hourly ticks span at most two slots
    first = slot_of(start, interval)
    assert slot_of(start + timedelta(seconds=interval), interval) == first + 1
    assert slot_workflow_id("scan", "acme/app", first) == f"scan:acme/app:{first}"
