"""The engine's own upkeep, as scheduled workflows: pruning finished workflows, and relaying
the audit log's notices to chat.

Both run on the upkeep queue, partitioned by kind with one workflow per partition at a
time across all processes, so a slow prune never delays a relay and two relays never run
at once. Each schedule tick queues its slot's work under a slot-keyed workflow id, so every
process firing the tick queues it once.

Pruning: every webhook delivery, scan and reconcile leaves a workflow row and its steps in
the engine database. Those that finished (success, error, cancelled, too many recovery
attempts) longer ago than the retention are deleted with everything DBOS keeps for them
(``DBOS.delete_workflows``: inputs, outputs, steps; events, notifications and streams go
with the row), a batch at a time; waiting or running workflows are never touched. A
redelivery of a pruned delivery would be queued again, which is why the retention is at
least the web tier's inbox retention (``Settings``), and never shorter than a scheduled
slot (a slot's workflow id must outlive its slot, or a later tick would queue it again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from sheriff.adapters.engine.engine_settings import PRUNE_SCHEDULE, RELAY_SCHEDULE
from sheriff.adapters.engine.schedules import slot_of, tick_cron
from sheriff.app.notify_relay import RelayReport
from sheriff.errors import SheriffError

log = logging.getLogger("sheriff.engine")

UPKEEP_QUEUE = "sheriff-upkeep"
FINISHED = ["SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"]
PRUNE_BATCH = 500  # workflows deleted per transaction
MOST_BATCHES = 100  # per prune: a backlog beyond 50,000 waits for the next slot
PRUNE_EVERY_SECONDS = 3600
RELAY_EVERY_SECONDS = 60


class NoticeRelay(Protocol):
    """Relays the audit log's new notices (``AuditRelay``); ``claimant`` names the pass."""

    def relay(self, claimant: str) -> RelayReport: ...


@dataclass(frozen=True, slots=True)
class UpkeepContext:
    """Stored with the prune schedule (re-applied at every launch)."""

    keep_seconds: float


@dataclass(frozen=True, slots=True)
class UpkeepWorkflows:
    prune_tick: Callable[[datetime, Any], None]
    relay_tick: Callable[[datetime, Any], None]


def register_upkeep_workflows(relay: NoticeRelay | None) -> UpkeepWorkflows:
    """Register the upkeep workflows and steps with DBOS (before ``DBOS.launch``)."""

    @DBOS.step(name="sheriff.prune_finished_workflows")
    def prune_step(keep_seconds: float) -> int:
        removed = prune_finished_workflows(datetime.now(UTC) - timedelta(seconds=keep_seconds))
        log.info("pruned %d finished workflow(s) older than %.0fs", removed, keep_seconds)
        return removed

    @DBOS.workflow(name="sheriff.prune")
    def prune(keep_seconds: float) -> int:
        return prune_step(keep_seconds)

    @DBOS.step(name="sheriff.relay_notices")
    def relay_step(claimant: str) -> str:
        if relay is None:
            return "notifications are off"
        report = relay.relay(claimant)
        return f"{report.notices_sent} notice(s) from {report.entries_read} audit entries"

    @DBOS.workflow(name="sheriff.relay")
    def relay_notices() -> str:
        try:
            return relay_step(DBOS.workflow_id or "")
        except SheriffError as error:
            log.warning("relaying notices failed (the next minute tries again): %s", error)
            raise

    @DBOS.workflow(name="sheriff.prune_tick")
    def prune_tick(scheduled_at: datetime, context: Any) -> None:
        if isinstance(context, UpkeepContext):
            slot = slot_of(scheduled_at.astimezone(UTC), PRUNE_EVERY_SECONDS)
            _enqueue_once(f"prune:{slot}", "prune", prune, context.keep_seconds)

    @DBOS.workflow(name="sheriff.relay_tick")
    def relay_tick(scheduled_at: datetime, _context: Any) -> None:
        slot = slot_of(scheduled_at.astimezone(UTC), RELAY_EVERY_SECONDS)
        _enqueue_once(f"relay:{slot}", "relay", relay_notices)

    return UpkeepWorkflows(prune_tick, relay_tick)


def _enqueue_once(workflow_id: str, kind: str, workflow: Callable[..., Any], *args: Any) -> None:
    with SetWorkflowID(workflow_id), SetEnqueueOptions(queue_partition_key=kind):
        DBOS.enqueue_workflow(UPKEEP_QUEUE, workflow, *args)


def prune_finished_workflows(
    finished_before: datetime, *, batch: int = PRUNE_BATCH, most_batches: int = MOST_BATCHES
) -> int:
    """Delete the workflows that finished before ``finished_before`` (through the
    completion-time index), a batch per transaction; how many were deleted."""
    removed = 0
    for _ in range(most_batches):
        finished = DBOS.list_workflows(
            status=FINISHED,
            completed_before=finished_before.isoformat(),
            limit=batch,
            load_input=False,
            load_output=False,
        )
        if finished:
            DBOS.delete_workflows([status.workflow_id for status in finished])
        removed += len(finished)
        if len(finished) < batch:
            break
    return removed


def register_upkeep_queue(poll_seconds: float) -> None:
    """The upkeep queue (after ``DBOS.launch``): one workflow of each kind at a time."""
    DBOS.register_queue(
        UPKEEP_QUEUE, partition_concurrency=1, polling_interval_sec=max(poll_seconds, 1.0)
    )


def apply_upkeep_schedules(workflows: UpkeepWorkflows, keep_seconds: float, relaying: bool) -> None:
    """The hourly prune, and the relay every minute when there is a relay (else none)."""
    DBOS.apply_schedules(
        [
            {
                "schedule_name": PRUNE_SCHEDULE,
                "workflow_fn": workflows.prune_tick,
                "schedule": tick_cron(PRUNE_EVERY_SECONDS),
                "context": UpkeepContext(keep_seconds),
            }
        ]
    )
    if not relaying:
        DBOS.delete_schedule(RELAY_SCHEDULE)
        return
    DBOS.apply_schedules(
        [
            {
                "schedule_name": RELAY_SCHEDULE,
                "workflow_fn": workflows.relay_tick,
                "schedule": tick_cron(RELAY_EVERY_SECONDS),
            }
        ]
    )
