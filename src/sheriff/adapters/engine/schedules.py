"""Periodic work as DBOS schedules.

A cron expression cannot say "every 72 hours", so each schedule ticks at a coarser, regular
pace (a divisor of the interval: hourly, every 15, 5 or 1 minutes) and every tick names the
interval *slot* it falls in; the work of a slot gets a workflow id made from the slot, so
all the ticks of one slot (and every process firing them) start it once.
"""

from __future__ import annotations

from datetime import datetime

TICKS = ((3600, "0 0 * * * *"), (900, "0 */15 * * * *"), (300, "0 */5 * * * *"))
EVERY_MINUTE = "0 * * * * *"


def tick_cron(interval_seconds: int) -> str:
    """The cron (with seconds) of the ticks for work due every ``interval_seconds``."""
    for seconds, cron in TICKS:
        if interval_seconds >= seconds and interval_seconds % seconds == 0:
            return cron
    return EVERY_MINUTE


def slot_of(moment: datetime, interval_seconds: int) -> int:
    """Which interval ``moment`` falls in, counted from the epoch."""
    return int(moment.timestamp()) // interval_seconds


def slot_workflow_id(kind: str, repo: str, slot: int) -> str:
    return f"{kind}:{repo}:{slot}"
