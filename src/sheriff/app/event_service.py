"""Use case: what a worker does with one webhook event, and the service's scheduled scans.

Any of this may run twice for one event (a worker killed midway, a retried step), so every
part is idempotent: scanning writes the store on natural keys and finds its issues by their
hidden markers before creating one; the audit entry is keyed by the delivery id; the
reconcile hook must be idempotent as well.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from sheriff.app.forge import Forge, WorkflowRun
from sheriff.app.ports import AuditEvent, JournalStore, JsonObject, LogReader, Store
from sheriff.app.scan import ScanReport, ScanRequest, scan_one_run, scan_repository
from sheriff.app.webhook_events import EventRoute, WebhookEvent, route_event

ForgeOpener = Callable[[str], AbstractContextManager[Forge]]
"""Opens the GitHub forge bound to one repository (closed when the block ends)."""

RunFollowUp = Callable[[Forge, WorkflowRun], str]
"""Work after a pull request's run was scanned (the PR failure report); returns a summary."""


@dataclass(frozen=True, slots=True)
class ReconcileTrigger:
    """A person acted on issue or pull request ``number`` of ``repo``."""

    repo: str
    number: int
    event: str
    action: str | None
    sender: str | None
    delivery_id: str


class MentionResponder(Protocol):
    """The @sheriff assistant: answers the text an event carries (idempotent); returns what
    it did, or None when the event carries no text."""

    def respond(self, event: WebhookEvent) -> str | None: ...


class InstallationEvents(Protocol):
    """Keeps the App's installed repositories (``RepositoryDiscovery``); idempotent."""

    def apply(self, event: WebhookEvent) -> str: ...


class CaseReconciler(Protocol):
    """Brings the failure cases tied to an issue or pull request up to date (idempotent).
    Returns a short description of what it did, for the audit log."""

    def reconcile(self, trigger: ReconcileTrigger) -> str: ...

    def reconcile_repository(self, repo: str) -> str: ...


class ScanService:
    """Scans for the service: one run a webhook named, or a whole repository on schedule."""

    def __init__(
        self,
        request: ScanRequest,
        open_forge: ForgeOpener,
        store: Store,
        reader: LogReader,
        *,
        pull_request_follow_up: RunFollowUp | None = None,
    ) -> None:
        self._request = request
        self._open_forge = open_forge
        self._store = store
        self._reader = reader
        self._follow_up = pull_request_follow_up

    def scan_run(self, repo: str, run: WorkflowRun) -> tuple[ScanReport, str | None]:
        """Scan one run; for a pull request's run, then report on the pull request (the
        report reads the verdicts the scan just stored). Returns the scan's report and the
        follow-up's summary (None when there was none)."""
        with self._open_forge(repo) as forge:
            report = scan_one_run(self._request, forge, self._store, self._reader, run)
            follow_up = None
            if self._follow_up is not None and run.event.startswith("pull_request"):
                follow_up = self._follow_up(forge, run)
            return report, follow_up

    def scan_repository(self, repo: str) -> ScanReport:
        with self._open_forge(repo) as forge:
            return scan_repository(self._request, forge, self._store, self._reader)


@dataclass(frozen=True, slots=True)
class EventOutcome:
    route: EventRoute
    summary: str
    details: JsonObject = field(default_factory=dict)


class EventHandler:
    """Handles one event in a worker and writes one audit entry for it."""

    def __init__(
        self,
        journal: JournalStore,
        scans: ScanService,
        reconciler: CaseReconciler,
        own_login: str | None = None,
        *,
        mentions: MentionResponder | None = None,
        installations: InstallationEvents | None = None,
    ) -> None:
        self._journal = journal
        self._scans = scans
        self._reconciler = reconciler
        self._own_login = own_login
        self._mentions = mentions
        self._installations = installations

    def handle(self, event: WebhookEvent) -> EventOutcome:
        # The assistant goes first: a comment it answers then counts as answered for the
        # case discussion (they share the reply key), so no comment is answered twice.
        note = self._mentions.respond(event) if self._mentions and event.text else None
        outcome = self._route(event)
        if note is not None:
            details = {**outcome.details, "assistant": note}
            outcome = EventOutcome(outcome.route, f"{outcome.summary}; {note}", details)
        self._journal.append_audit(audit_entry_of(event, outcome))
        return outcome

    def _route(self, event: WebhookEvent) -> EventOutcome:
        decision = route_event(event, self._own_login)
        if decision.route is EventRoute.SCAN_RUN and event.repo and event.run:
            outcome = _scan_outcome(*self._scans.scan_run(event.repo, event.run))
        elif decision.route is EventRoute.RECONCILE and event.repo and event.number:
            trigger = ReconcileTrigger(
                event.repo, event.number, event.name, event.action, event.sender, event.delivery_id
            )
            outcome = EventOutcome(EventRoute.RECONCILE, self._reconciler.reconcile(trigger))
        elif decision.route is EventRoute.INSTALLATION and self._installations is not None:
            outcome = EventOutcome(EventRoute.INSTALLATION, self._installations.apply(event))
        else:
            outcome = EventOutcome(decision.route, decision.reason)
        return outcome


def audit_entry_of(event: WebhookEvent, outcome: EventOutcome) -> AuditEvent:
    """The audit entry of a handled event, keyed by its delivery (written once)."""
    details: JsonObject = {"delivery": event.delivery_id, "route": outcome.route.value}
    details |= {"outcome": outcome.summary, **outcome.details}
    if event.run is not None:
        details["run_id"] = event.run.run_id
        details["run_attempt"] = event.run.attempt
    if event.number is not None:
        details["number"] = event.number
    if event.label:
        details["label"] = event.label
    action = f"webhook.{event.name}" + (f".{event.action}" if event.action else "")
    return AuditEvent(
        actor=event.sender or "github",
        action=action,
        cause=f"GitHub delivery {event.delivery_id}",
        repo=event.repo,
        details=details,
        key=f"webhook:{event.delivery_id}",
    )


def _scan_outcome(report: ScanReport, follow_up: str | None = None) -> EventOutcome:
    actions = Counter(item.plan.action.value for item in report.issues)
    details: JsonObject = {
        "runs_recorded": report.runs_recorded,
        "jobs_triaged": report.jobs_triaged,
        "issue_actions": dict(sorted(actions.items())),
    }
    summary = f"scanned: {report.runs_recorded} run(s), {report.jobs_triaged} failed job(s)"
    if follow_up is not None:
        details["pull_request_report"] = follow_up
        summary += f"; {follow_up}"
    return EventOutcome(EventRoute.SCAN_RUN, summary, details)
