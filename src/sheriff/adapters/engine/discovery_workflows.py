"""Installed-repository discovery on the engine: which repositories a schedule's tick
covers, read when it fires, and the resynchronisation of the App's installations.

A tick reads the repositories in a step, so a tick resumed after a crash queues the same
ones. The resynchronisation is queued at start (one per start-up slot, however many
processes start) and by the reconcile ticks once a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from sheriff.adapters.engine.engine_settings import EVENTS_QUEUE
from sheriff.adapters.engine.schedules import slot_of
from sheriff.app.webhook_events import INSTALLATIONS_PARTITION
from sheriff.errors import SheriffError

log = logging.getLogger("sheriff.engine")

SYNC_INTERVAL_SECONDS = 86400
START_SLOT_SECONDS = 300  # processes started within one such slot share one resync
SYNC_PARTITION = INSTALLATIONS_PARTITION  # shared with installation deliveries

Repositories = Callable[[tuple[str, ...]], tuple[str, ...]]
Retrying = Callable[[Callable[[], str]], str]


class WatchedRepositories(Protocol):
    """``sheriff.app.installations.RepositoryDiscovery``."""

    @property
    def can_resynchronise(self) -> bool: ...

    def repositories_to_watch(self, configured: Sequence[str]) -> tuple[str, ...]: ...

    def resynchronise(self) -> str: ...


@dataclass(frozen=True, slots=True)
class DiscoveryWorkflows:
    """``repositories``: a tick's repositories, given the configured ones;
    ``sync_installations``: the resync workflow (None when it cannot run)."""

    repositories: Repositories
    sync_installations: Callable[[], str] | None = None

    def queue_daily_sync(self, moment: datetime) -> None:
        """Queue the day's resynchronisation (once per day, whoever asks)."""
        slot = slot_of(moment.astimezone(UTC), SYNC_INTERVAL_SECONDS)
        self._queue_sync(f"installations:{slot}")

    def queue_start_sync(self, moment: datetime) -> None:
        slot = slot_of(moment.astimezone(UTC), START_SLOT_SECONDS)
        self._queue_sync(f"installations:start:{slot}")

    def _queue_sync(self, workflow_id: str) -> None:
        if self.sync_installations is None:
            return
        with (
            SetWorkflowID(workflow_id),
            SetEnqueueOptions(queue_partition_key=SYNC_PARTITION),
        ):
            DBOS.enqueue_workflow(EVENTS_QUEUE, self.sync_installations)


def register_discovery_workflows(
    discovery: WatchedRepositories | None, retrying: Retrying
) -> DiscoveryWorkflows:
    """Register the discovery step and workflow with DBOS (before ``DBOS.launch``)."""
    if discovery is None:
        return DiscoveryWorkflows(lambda configured: configured)

    @DBOS.step(name="sheriff.repositories_to_watch")
    def repositories(configured: tuple[str, ...]) -> tuple[str, ...]:
        return discovery.repositories_to_watch(configured)

    @DBOS.step(name="sheriff.resynchronise_installations")
    def resynchronise() -> str:
        return discovery.resynchronise()

    @DBOS.workflow(name="sheriff.sync_installations")
    def sync_installations() -> str:
        try:
            summary = retrying(resynchronise)
        except SheriffError as error:
            log.error(  # noqa: TRY400 - the error says what failed; no traceback wanted
                "could not list the GitHub App's installed repositories: %s", error
            )
            raise
        log.info("installed repositories resynchronised: %s", summary)
        return summary

    return DiscoveryWorkflows(
        repositories, sync_installations if discovery.can_resynchronise else None
    )
