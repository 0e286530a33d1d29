"""Use case: tell people in chat what the audit log says happened.

Every use case already writes what it does to the audit log; the relay reads the entries
logged since its last pass and turns the ones people care about into notices: a case
filed for the first time (DISCOVERED → ISSUE_OPEN), any other state change of a case, and
errors (a model that failed, a fix that failed, a permission GitHub refused). Its
position is itself an audit entry (``notify.relayed``), so the relay resumes where it
stopped in any process. A pass *claims* the entries it relays before sending anything: its
mark is keyed by the position it starts from, so of passes starting from one position at
once (two processes), exactly one logs its mark and relays; the others send nothing. A
claimant (the relay's durable workflow) that dies midway finds its own claim when it is
resumed and finishes that range; each notice's key makes a re-sent entry a no-op. The
first pass starts from the end of the log: it does not replay history.
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


@dataclass(frozen=True, slots=True)
class RelayRange:
    """Entries ``after`` < sequence <= ``through`` (``after`` None: the very first pass)."""

    after: int | None
    through: int
    claimant: str | None = None


@dataclass(frozen=True, slots=True)
class AuditRelay:
    """The relay bound to its store and notifications (the service's scheduled work)."""

    store: RelayStore
    notifications: Notifications
    codeowners_of: Callable[[str], CodeOwners | None] | None = None

    def relay(self, claimant: str) -> RelayReport:
        return relay_audit_notices(
            self.store, self.notifications, codeowners_of=self.codeowners_of, claimant=claimant
        )


def relay_audit_notices(
    store: RelayStore,
    notifications: Notifications,
    *,
    codeowners_of: Callable[[str], CodeOwners | None] | None = None,
    limit: int = RELAY_LIMIT,
    claimant: str | None = None,
) -> RelayReport:
    """Send the notices of the entries logged since the last pass (at most ``limit``), once
    this pass has claimed them; ``claimant`` names the caller, so that a resumed caller
    finishes what it claimed."""
    marks = store.audit_log(action=RELAYED, limit=1)
    last = _range_of(marks[-1]) if marks else None
    if last is not None and claimant is not None and last.claimant == claimant:
        return _send(store, notifications, last, codeowners_of, limit)  # resumed: finish it
    after = last.through if last is not None else None
    if after is None:  # the first pass: start from the end of the log
        newest = store.audit_log(limit=1)
        if not newest or not _claim(store, RelayRange(None, newest[-1].sequence, claimant)):
            return RelayReport(0, 0, None)
        return RelayReport(0, 0, newest[-1].sequence)
    entries = store.audit_log(after=after, limit=limit)
    if all(entry.event.action == RELAYED for entry in entries):  # nothing new
        return RelayReport(0, 0, None)
    claimed = RelayRange(after, entries[-1].sequence, claimant)
    if not _claim(store, claimed):
        return RelayReport(0, 0, None)  # another pass took these entries
    return _send(store, notifications, claimed, codeowners_of, limit)


def _send(
    store: RelayStore,
    notifications: Notifications,
    claimed: RelayRange,
    codeowners_of: Callable[[str], CodeOwners | None] | None,
    limit: int,
) -> RelayReport:
    if claimed.after is None:  # a first pass only marks where the relay starts
        return RelayReport(0, 0, claimed.through)
    entries = [
        entry
        for entry in store.audit_log(after=claimed.after, limit=limit)
        if entry.sequence <= claimed.through and entry.event.action != RELAYED
    ]
    owners_of = codeowners_of or (lambda _repo: None)
    sent = 0
    for entry in entries:
        notice = notice_of(entry, store)
        if notice is not None and notifications.enabled:
            owners = owners_of(notice.repo) if notice.paths else None
            sent += sum(item.status == "sent" for item in notifications.send(notice, owners))
    return RelayReport(len(entries), sent, claimed.through)


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


def _range_of(mark: AuditEntry) -> RelayRange | None:
    details = mark.event.details
    after, through, claimant = details.get("after"), details.get("through"), details.get("by")
    if not isinstance(through, int):
        return None
    return RelayRange(
        after if isinstance(after, int) else None,
        through,
        claimant if isinstance(claimant, str) else None,
    )


def _claim(store: JournalStore, claimed: RelayRange) -> bool:
    """Log the mark of ``claimed``, keyed by where it starts: whether this call logged it."""
    start = "start" if claimed.after is None else str(claimed.after)
    details: dict[str, object] = {"through": claimed.through}
    if claimed.after is not None:
        details["after"] = claimed.after
    if claimed.claimant is not None:
        details["by"] = claimed.claimant
    return store.claim_audit(
        AuditEvent(
            ACTOR,
            RELAYED,
            f"notices relayed through audit entry {claimed.through}",
            details=details,
            key=f"{RELAYED}.after:{start}",
        )
    )
