"""The durable engine: DBOS launched with Sheriff's workflows, queue, schedules and liveness.

One process (``sheriff serve``) runs it on SQLite, enqueueing and processing; several
processes (``sheriff serve --no-workers`` plus ``sheriff worker``) share it on PostgreSQL.
Webhook deliveries become workflows whose id is the delivery id, so a redelivery (even
after a restart) finds the workflow already there and starts nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import TracebackType

from dbos import DBOS, ScheduleInput, SetEnqueueOptions, SetWorkflowID
from dbos._error import DBOSException, DBOSWorkflowIDInUseError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sheriff.adapters.engine.engine_settings import (
    EVENTS_QUEUE,
    RECONCILE_SCHEDULE,
    SCAN_SCHEDULE,
    EngineSettings,
    dbos_config,
)
from sheriff.adapters.engine.enqueued import Enqueued
from sheriff.adapters.engine.liveness import Liveness, now_ms
from sheriff.adapters.engine.schedules import tick_cron
from sheriff.adapters.engine.sqlite_tuning import tuned_sqlite_engine
from sheriff.adapters.engine.upkeep import (
    apply_upkeep_schedules,
    register_upkeep_queue,
    register_upkeep_workflows,
)
from sheriff.adapters.engine.workflows import (
    ProcessingObserver,
    ScheduleContext,
    ServiceWork,
    Workflows,
    register_workflows,
)
from sheriff.app.webhook_events import WebhookEvent
from sheriff.errors import EngineError

log = logging.getLogger("sheriff.engine")
WAITING = ["ENQUEUED", "PENDING"]
ENGINE_FAILURES = (DBOSException, SQLAlchemyError)


class DurableEngine:
    """Start with ``with DurableEngine(...) as engine:`` (or ``start()``/``stop()``)."""

    def __init__(
        self, settings: EngineSettings, work: ServiceWork, observer: ProcessingObserver
    ) -> None:
        self.settings = settings
        self._work = work
        self._observer = observer
        self._workflows: Workflows | None = None
        self._sqlite: Engine | None = None  # our tuned engine, when the database is SQLite
        self._liveness = Liveness(
            settings.system_database_url,
            settings.executor_id,
            beat_seconds=settings.heartbeat_seconds,
            dead_after_seconds=settings.dead_after_seconds,
        )

    def __enter__(self) -> DurableEngine:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        try:
            self._launch()
        except ENGINE_FAILURES as error:
            self.stop()
            raise EngineError(
                f"the durable engine could not start: {error}",
                hint="check SHERIFF_ENGINE_DB_URL (a writable SQLite path or a reachable "
                "PostgreSQL database)",
            ) from error

    def _launch(self) -> None:
        settings = self.settings
        self._workflows = register_workflows(self._work, self._observer, settings.retry_pauses)
        upkeep = register_upkeep_workflows(self._work.relay)
        self._liveness.open()
        if settings.is_sqlite:
            self._sqlite = tuned_sqlite_engine(settings.system_database_url, pool_size=20)
        DBOS(config=dbos_config(settings, self._sqlite))
        if not settings.process_queues:
            DBOS.listen_queues([])
        DBOS.launch()
        DBOS.register_queue(
            EVENTS_QUEUE,
            worker_concurrency=settings.worker_concurrency,
            partition_concurrency=settings.repo_concurrency,
            polling_interval_sec=settings.poll_seconds,
        )
        DBOS.apply_schedules(self._schedules(self._workflows))
        self._queue_installation_sync()
        register_upkeep_queue(settings.poll_seconds)
        apply_upkeep_schedules(upkeep, settings.keep_finished_seconds, self._work.relay is not None)
        self._liveness.start(self._executors_with_pending_work, self._resume)
        log.info("durable engine started as executor %s", settings.executor_id)

    def _queue_installation_sync(self) -> None:
        """Resynchronise the App's installed repositories from GitHub soon after a worker
        starts. Only processes that work the queue ask: ``sheriff serve`` and the worker
        process it starts a second later could fall in two start windows and resync
        twice."""
        discovery = self._workflows.discovery if self._workflows is not None else None
        if discovery is not None and self.settings.process_queues:
            discovery.queue_start_sync(datetime.now(UTC))

    def _schedules(self, workflows: Workflows) -> list[ScheduleInput]:
        settings, repos = self.settings, self.settings.watched_repos
        scan = ScheduleContext(repos, settings.scan_interval_seconds)
        reconcile = ScheduleContext(repos, settings.reconcile_interval_seconds)
        return [
            {
                "schedule_name": SCAN_SCHEDULE,
                "workflow_fn": workflows.scan_tick,
                "schedule": tick_cron(settings.scan_interval_seconds),
                "context": scan,
            },
            {
                "schedule_name": RECONCILE_SCHEDULE,
                "workflow_fn": workflows.reconcile_tick,
                "schedule": tick_cron(settings.reconcile_interval_seconds),
                "context": reconcile,
            },
        ]

    def enqueue(self, event: WebhookEvent) -> Enqueued:
        """Durably queue ``event`` under its delivery id (a no-op for a known delivery)."""
        if self._workflows is None:
            raise EngineError("the durable engine is not running", hint="start it first")
        try:
            with (
                SetWorkflowID(event.delivery_id, workflow_id_reuse_policy="reject"),
                SetEnqueueOptions(queue_partition_key=event.partition),
            ):
                DBOS.enqueue_workflow(EVENTS_QUEUE, self._workflows.process_event, event)
        except DBOSWorkflowIDInUseError:
            return Enqueued.DUPLICATE
        except ENGINE_FAILURES as error:
            raise EngineError(
                f"could not queue delivery {event.delivery_id}: {error}",
                hint="the engine database is unreachable or busy; GitHub can redeliver it",
            ) from error
        return Enqueued.NEW

    def queue_depth(self) -> int:
        """Events waiting or running, across all processes."""
        try:
            waiting = DBOS.list_queued_workflows(
                queue_name=EVENTS_QUEUE, status=WAITING, load_input=False, load_output=False
            )
        except ENGINE_FAILURES as error:
            raise EngineError(f"could not read the queue: {error}") from error
        return len(waiting)

    @property
    def application_version(self) -> str:
        """The version DBOS stamps on the workflows this process queues (a hash of the
        workflows' code unless configured): only processes of the same version take
        them off the queue. Read from DBOS's launch parameters (pinned dbos==3.4.*)."""
        from dbos._utils import GlobalParams

        return str(GlobalParams.app_version)

    def healthy(self) -> bool:
        """Running, and the last heartbeat reached the engine database recently."""
        silence_ms = now_ms() - self._liveness.last_beat_ms
        limit_ms = 1000 * max(self.settings.dead_after_seconds, 2 * self.settings.heartbeat_seconds)
        return self._workflows is not None and silence_ms < limit_ms

    def run_schedule_now(self, schedule_name: str) -> str:
        """Fire a schedule at once (as its next tick would); returns the tick's workflow id."""
        try:
            return DBOS.trigger_schedule(schedule_name).get_workflow_id()
        except ENGINE_FAILURES as error:
            raise EngineError(f"could not fire {schedule_name}: {error}") from error

    def stop(self) -> None:
        self._liveness.stop_beating()
        if self._workflows is not None:
            DBOS.destroy(
                destroy_registry=True,
                workflow_completion_timeout_sec=self.settings.shutdown_grace_seconds,
            )
            self._workflows = None
        if self._sqlite is not None:
            self._sqlite.dispose()
            self._sqlite = None
        self._liveness.close()

    def _executors_with_pending_work(self) -> set[str]:
        try:
            pending = DBOS.list_workflows(status="PENDING", load_input=False, load_output=False)
        except ENGINE_FAILURES as error:
            raise EngineError(f"could not list pending workflows: {error}") from error
        return {status.executor_id for status in pending if status.executor_id}

    def _resume(self, executor_ids: list[str]) -> int:
        # DBOS's own recovery entry point (what its admin API calls), made public for
        # self-hosted distributed recovery only through that API; pinned dbos==3.4.*.
        try:
            return len(DBOS._recover_pending_workflows(executor_ids))
        except ENGINE_FAILURES as error:
            raise EngineError(f"could not resume {executor_ids}: {error}") from error
