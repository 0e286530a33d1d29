"""Use case: tell people in chat what the audit log says happened.

Every use case already writes what it does to the audit log; the relay reads the entries
logged since its last pass and turns the ones people care about into notices: a case
filed for the first time (DISCOVERED → ISSUE_OPEN), any other state change of a case, and
errors (a model that failed, a fix that failed, a permission GitHub refused). Its
position is itself an audit entry (``notify.relayed``), so the relay resumes where it
stopped in any process, and each notice's key makes a re-sent entry a no-op. The first
pass starts from the end of the log: it does not replay history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sheriff.app.notify import ACTOR, Notifications
from sheriff.app.ports import AuditEntry, AuditEvent, CaseStore, JournalStore, RunHistoryStore
from sheriff.core.notify import CodeOwners, Notice, NoticeKind
from sheriff.core.pr_report import failing_test_path

RELAYED = "notify.relayed"
ERROR_ACTIONS = frozenset(
    {
        "llm.failed",
        "action.failed",
        "fix.failed",
        "review.update_failed",
        "pr_report.check_run.denied",
        "pr_report.failed",
    }
)
FILED = ("DISCOVERED", "ISSUE_OPEN")
RELAY_LIMIT = 1000


class RelayStore(JournalStore, CaseStore, RunHistoryStore, Protocol):
    """The audit log, the cases and their latest occurrences."""


@dataclass(frozen=True, slots=True)
class RelayReport:
    entries_read: int
    notices_sent: int
    through: int | None  # the last audit sequence relayed


def relay_audit_notices(
    store: RelayStore,
    notifications: Notifications,
    *,
    codeowners_of: Callable[[str], CodeOwners | None] | None = None,
    limit: int = RELAY_LIMIT,
) -> RelayReport:
    """Send the notices of the entries logged since the last pass (at most ``limit``)."""
    marks = store.audit_log(action=RELAYED, limit=1)
    entries = [entry for entry in store.audit_log(limit=limit) if entry.event.action != RELAYED]
    if not entries:
        return RelayReport(0, 0, None)
    through = _through(marks[-1]) if marks else None
    newest = entries[-1].sequence
    if through is None:  # the first pass: start from here
        _mark(store, newest)
        return RelayReport(0, 0, newest)
    fresh = [entry for entry in entries if entry.sequence > through]
    sent = 0
    owners_of = codeowners_of or (lambda _repo: None)
    for entry in fresh:
        notice = notice_of(entry, store)
        if notice is not None and notifications.enabled:
            owners = owners_of(notice.repo) if notice.paths else None
            sent += sum(item.status == "sent" for item in notifications.send(notice, owners))
    if fresh:
        _mark(store, fresh[-1].sequence)
    return RelayReport(len(fresh), sent, fresh[-1].sequence if fresh else through)


def notice_of(entry: AuditEntry, store: RelayStore) -> Notice | None:
    """The notice an audit entry deserves, or None."""
    event = entry.event
    details = event.details
    source, target = details.get("from"), details.get("to")
    if isinstance(source, str) and isinstance(target, str) and event.repo and event.fingerprint:
        return _case_notice(entry, store, source, target)
    if event.action in ERROR_ACTIONS:
        lines = [str(details[key]) for key in ("error", "hint") if details.get(key)]
        return Notice(
            NoticeKind.ERROR, event.repo or "-", f"{event.action}: {event.cause}",
            key=f"audit:{entry.sequence}", lines=tuple(lines), fingerprint=event.fingerprint,
        )  # fmt: skip
    return None


def _case_notice(entry: AuditEntry, store: RelayStore, source: str, target: str) -> Notice:
    event = entry.event
    repo, fingerprint = event.repo or "", event.fingerprint or ""
    view = store.get_case(repo, fingerprint)
    what = (view.test_name or view.signature) if view is not None else fingerprint[:12]
    occurrence = store.latest_occurrence(repo, fingerprint)
    test_path = failing_test_path(occurrence.test, repo) if occurrence is not None else None
    issue = event.details.get("issue")
    issue_repo = event.details.get("issue_repo") or repo
    lines = [event.cause]
    if view is not None:
        lines.append(f"{view.failure_type.value}/{view.sub_type}, seen {view.occurrence_count}x")
    if isinstance(issue, int):
        lines.append(f"issue {issue_repo}#{issue}")
    filed = (source, target) == FILED
    return Notice(
        NoticeKind.NEW_CASE if filed else NoticeKind.STATE_CHANGE,
        repo,
        f"new failure case: {what}" if filed else f"{what}: {source} → {target}",
        key=f"audit:{entry.sequence}",
        lines=tuple(lines),
        link=occurrence.evidence.job_url if occurrence is not None else None,
        paths=(test_path,) if test_path else (),
        fingerprint=fingerprint,
    )


def _through(entry: AuditEntry) -> int | None:
    value = entry.event.details.get("through")
    return value if isinstance(value, int) else None


def _mark(store: JournalStore, sequence: int) -> None:
    store.append_audit(
        AuditEvent(
            ACTOR,
            RELAYED,
            f"notices relayed through audit entry {sequence}",
            details={"through": sequence},
            key=f"{RELAYED}:{sequence}",
        )
    )
