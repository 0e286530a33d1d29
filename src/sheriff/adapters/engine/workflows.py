"""Sheriff's durable workflows, registered with DBOS under stable names.

They are closures over the use cases they run (registered afresh at every launch), so no
module-level state holds the store or GitHub clients. Each workflow is a few steps; each
step calls an idempotent use case, so a step run twice (a worker killed after the step's
effects but before DBOS recorded it) changes nothing twice.

Transient failures (GitHub down or rate limited, the store locked) are retried by the
workflow after a durable sleep, so a retry survives a restart; other failures end the
workflow in DBOS's ERROR state, logged and counted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from sheriff.adapters.engine.discovery_workflows import (
    DiscoveryWorkflows,
    Repositories,
    WatchedRepositories,
    register_discovery_workflows,
)
from sheriff.adapters.engine.engine_settings import EVENTS_QUEUE
from sheriff.adapters.engine.schedules import slot_of, slot_workflow_id
from sheriff.adapters.engine.upkeep import NoticeRelay
from sheriff.app.event_service import CaseReconciler, EventOutcome
from sheriff.app.scan import ScanReport
from sheriff.app.webhook_events import WebhookEvent
from sheriff.errors import RETRYABLE_ERRORS, RateLimitedError, SheriffError

log = logging.getLogger("sheriff.engine")
T = TypeVar("T")

LONGEST_RATE_LIMIT_WAIT = 900.0


class ProcessingObserver(Protocol):
    """Told when this process finishes an event (for metrics)."""

    def event_processed(self, event: str, route: str, seconds: float) -> None: ...

    def event_failed(self, event: str, seconds: float) -> None: ...


class EventWork(Protocol):
    def handle(self, event: WebhookEvent) -> EventOutcome: ...


class RepositoryScans(Protocol):
    def scan_repository(self, repo: str) -> ScanReport: ...


@dataclass(frozen=True, slots=True)
class ServiceWork:
    """The use cases the workflows run (``EventHandler``, ``ScanService`` and a
    ``CaseReconciler`` in production; ``relay``: an ``AuditRelay`` when Slack is on)."""

    events: EventWork
    scans: RepositoryScans
    reconciler: CaseReconciler
    relay: NoticeRelay | None = None
    discovery: WatchedRepositories | None = None  # installed repositories (RepositoryDiscovery)


@dataclass(frozen=True, slots=True)
class ScheduleContext:
    """Stored with a schedule (re-applied at every launch, so it follows the settings);
    ``repos``: the configured ones (each tick adds the installed ones it reads then)."""

    repos: tuple[str, ...]
    interval_seconds: int


@dataclass(frozen=True, slots=True)
class Workflows:
    process_event: Callable[[WebhookEvent], str]
    scan_tick: Callable[[datetime, Any], None]
    reconcile_tick: Callable[[datetime, Any], None]
    discovery: DiscoveryWorkflows | None = None


def register_workflows(
    work: ServiceWork, observer: ProcessingObserver, retry_pauses: tuple[float, ...]
) -> Workflows:
    """Register Sheriff's workflows and steps with DBOS (before ``DBOS.launch``)."""
    discovery = register_discovery_workflows(
        work.discovery, lambda call: _retrying(retry_pauses, call)
    )

    @DBOS.step(name="sheriff.handle_event")
    def handle_event(event: WebhookEvent) -> EventOutcome:
        return work.events.handle(event)

    @DBOS.workflow(name="sheriff.process_event")
    def process_event(event: WebhookEvent) -> str:
        try:
            outcome = _retrying(retry_pauses, lambda: handle_event(event))
        except SheriffError as error:
            observer.event_failed(event.name, time.time() - event.received_at)
            log.error(  # noqa: TRY400 - the error says what failed; no traceback wanted
                "delivery %s (%s) failed: %s", event.delivery_id, event.name, error
            )
            raise
        observer.event_processed(event.name, outcome.route.value, time.time() - event.received_at)
        return outcome.summary

    @DBOS.step(name="sheriff.scan_repository")
    def scan_repository(repo: str) -> str:
        report = work.scans.scan_repository(repo)
        return f"{repo}: {report.runs_recorded} run(s), {len(report.issues)} case update(s)"

    @DBOS.workflow(name="sheriff.scheduled_scan")
    def scheduled_scan(repo: str) -> str:
        return _retrying(retry_pauses, lambda: scan_repository(repo))

    @DBOS.step(name="sheriff.reconcile_repository")
    def reconcile_repository(repo: str) -> str:
        return work.reconciler.reconcile_repository(repo)

    @DBOS.workflow(name="sheriff.scheduled_reconcile")
    def scheduled_reconcile(repo: str) -> str:
        return _retrying(retry_pauses, lambda: reconcile_repository(repo))

    @DBOS.workflow(name="sheriff.scan_tick")
    def scan_tick(scheduled_at: datetime, context: Any) -> None:
        _enqueue_per_repo("scan", scheduled_scan, scheduled_at, context, discovery.repositories)

    @DBOS.workflow(name="sheriff.reconcile_tick")
    def reconcile_tick(scheduled_at: datetime, context: Any) -> None:
        discovery.queue_daily_sync(scheduled_at)
        repositories = discovery.repositories
        _enqueue_per_repo("reconcile", scheduled_reconcile, scheduled_at, context, repositories)

    return Workflows(process_event, scan_tick, reconcile_tick, discovery=discovery)


def _enqueue_per_repo(
    kind: str,
    workflow: Callable[[str], str],
    scheduled_at: datetime,
    context: Any,
    repositories: Repositories,
) -> int:
    """Queue this slot's work for each repository, configured or installed (one workflow
    id per repo and slot, so every tick of the slot, on every process, queues it once)."""
    if not isinstance(context, ScheduleContext):
        return 0
    slot = slot_of(scheduled_at.astimezone(UTC), context.interval_seconds)
    repos = repositories(tuple(context.repos))
    for repo in repos:
        with (
            SetWorkflowID(slot_workflow_id(kind, repo, slot)),
            SetEnqueueOptions(queue_partition_key=repo),
        ):
            DBOS.enqueue_workflow(EVENTS_QUEUE, workflow, repo)
    return len(repos)


def _retrying(pauses: tuple[float, ...], call: Callable[[], T]) -> T:
    """``call()``, retried after a durable sleep while it fails transiently."""
    for pause in pauses:
        try:
            return call()
        except RETRYABLE_ERRORS as error:
            wait = _pause_for(error, pause)
            log.warning("transient failure, retrying in %.0fs: %s", wait, error)
            DBOS.sleep(wait)
    return call()


def _pause_for(error: Exception, default: float) -> float:
    if isinstance(error, RateLimitedError) and error.reset_at is not None:
        until_reset = (error.reset_at - datetime.now(UTC)).total_seconds() + 1.0
        return min(max(until_reset, default), LONGEST_RATE_LIMIT_WAIT)
    return default
