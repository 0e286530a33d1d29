"""What became of a delivery handed to the inbox or to the durable queue."""

from __future__ import annotations

from enum import StrEnum


class Enqueued(StrEnum):
    NEW = "queued"
    DUPLICATE = "duplicate"  # the delivery id is already known: nothing started
