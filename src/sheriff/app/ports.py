"""The Protocols use cases depend on; adapters implement them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from sheriff.app.llm import LLM as LLM  # noqa: PLC0414 (re-export; the port lives in app/llm.py)
from sheriff.app.log_ports import LogReader as LogReader  # noqa: PLC0414 (re-export)
from sheriff.app.log_ports import PartScanner as PartScanner  # noqa: PLC0414 (re-export)
from sheriff.app.workspace import SourceMirror as SourceMirror  # noqa: PLC0414 (re-export)
from sheriff.app.workspace import Workspace as Workspace  # noqa: PLC0414 (re-export)
from sheriff.core.flaky.records import ResultContext
from sheriff.core.lifecycle.states import CaseState as CaseState  # noqa: PLC0414 (re-export)
from sheriff.core.model import Classification, Failure, FailureType, LineRange, TestIdentity

# --- Store: what Sheriff remembers between scans ------------------------------------------
# CI history ([T2]), test-result history ([T3]) and failure cases with their lifecycle
# ([T4]). Every write is idempotent on a natural key, so a step that runs twice (a retried
# workflow step, a scan restarted midway) changes nothing the second time. Times are aware
# UTC datetimes. The adapter is ``sheriff.adapters.store.Store``.

JsonObject = dict[str, Any]


class LogStatus(StrEnum):
    PENDING = "pending"  # not downloaded yet
    FETCHED = "fetched"
    EXPIRED = "expired"  # GitHub answered 404/410: the log is gone for good
    ERROR = "error"  # a download failed; worth retrying


class TestOutcome(StrEnum):
    __test__ = False  # not a pytest test class

    PASSED = "pass"
    FAILED = "fail"
    SKIPPED = "skip"


@dataclass(frozen=True, slots=True)
class RepositoryRecord:
    """A watched repository; CI is read from ``read_repo``, issues go to ``write_repo``."""

    full_name: str
    default_branch: str
    read_repo: str | None = None  # None: full_name
    write_repo: str | None = None  # None: full_name


@dataclass(frozen=True, slots=True)
class RunAttemptRecord:
    """One attempt of a workflow run (re-runs are further attempts of the same run)."""

    repo: str
    run_id: int
    attempt: int
    workflow: str
    head_sha: str
    head_branch: str | None
    event: str
    created_at: datetime
    conclusion: str | None = None
    started_at: datetime | None = None
    pull_requests: tuple[int, ...] = ()
    workflow_id: int | None = None
    actor: str | None = None
    html_url: str | None = None


@dataclass(frozen=True, slots=True)
class JobRecord:
    repo: str
    run_id: int
    attempt: int
    job_id: int
    name: str
    conclusion: str | None
    runner_os: str | None = None
    runner_labels: tuple[str, ...] = ()
    runner_name: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    steps: tuple[JsonObject, ...] = ()
    html_url: str | None = None


@dataclass(frozen=True, slots=True)
class JobLog:
    status: LogStatus
    path: str | None = None
    size: int | None = None
    detail: str | None = None  # why it is expired or failed (HTTP status, error text)


@dataclass(frozen=True, slots=True)
class OccurrenceRecord:
    """One failure triage found in a job's log. Texts are redacted before they are stored."""

    failure: Failure
    classification: Classification | None = None
    excerpt_ranges: tuple[LineRange, ...] = ()
    excerpt_text: str = ""


@dataclass(frozen=True, slots=True)
class OccurrenceEvidence:
    """An occurrence with its run and job: one row of an issue's evidence table."""

    run_id: int
    attempt: int
    job_id: int
    job_name: str
    workflow: str
    head_sha: str
    head_branch: str | None
    event: str
    runner_os: str | None
    seen_at: datetime
    job_url: str | None
    failure_id: str
    message: str


@dataclass(frozen=True, slots=True)
class OccurrenceDetail:
    """One stored occurrence with what triage said about it: what the case lifecycle
    grounds its analysis and fix prompts in. ``excerpt`` holds ``(line, text)`` pairs of
    the failure's own log lines (redacted when stored)."""

    evidence: OccurrenceEvidence
    fingerprint: str
    tool: str
    failure_type: FailureType
    sub_type: str
    test: TestIdentity | None
    excerpt: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class TestResultRecord:
    """One test's outcome in one job of one run attempt (natural key: run, attempt, job, test)."""

    __test__ = False

    repo: str
    test: TestIdentity
    outcome: TestOutcome
    run_id: int
    attempt: int
    job: str
    workflow: str
    sha: str
    branch: str | None
    event: str
    time: datetime
    job_id: int | None = None
    pr_number: int | None = None
    author: str | None = None
    fingerprint: str | None = None
    source: str = "log"  # log, junit, go-json, replay
    signature: str | None = None  # a failure's masked signature
    failure_type: FailureType | None = None  # a failure's class, from triage
    context: ResultContext | None = None  # what its job attempt said ([T3])


@dataclass(frozen=True, slots=True)
class CaseSeed:
    """What a new case starts from: the fingerprint and what the failure looks like."""

    repo: str
    fingerprint: str
    failure_type: FailureType
    sub_type: str
    signature: str
    test: TestIdentity | None = None


@dataclass(frozen=True, slots=True)
class CaseAssessment:
    """The flakiness engine's latest word on a case ([T3])."""

    p_flaky: float | None
    verdict: str | None
    quarantine_candidate: bool = False
    flags: JsonObject = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaseView:
    repo: str
    fingerprint: str
    state: CaseState
    failure_type: FailureType
    sub_type: str
    signature: str
    test_name: str | None
    occurrence_count: int
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    state_changed_at: datetime
    assessment: CaseAssessment


@dataclass(frozen=True, slots=True)
class IssueLink:
    issue_repo: str
    issue_number: int
    created_by_sheriff: bool  # False: attached to a human-filed issue
    managed_block_hash: str | None = None
    issue_state: str | None = None  # open / closed, as last seen


@dataclass(frozen=True, slots=True)
class CursorPosition:
    """How far discovery got: the newest run seen (by creation time, then run id)."""

    created_at: datetime
    run_id: int


@dataclass(frozen=True, slots=True)
class HttpValidator:
    """A response's validators (and optionally its body) for conditional requests."""

    etag: str | None
    last_modified: str | None
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    actor: str
    action: str
    cause: str
    repo: str | None = None
    fingerprint: str | None = None
    details: JsonObject = field(default_factory=dict)
    key: str | None = None  # idempotency key: an event with a key already logged is skipped


@dataclass(frozen=True, slots=True)
class AuditEntry:
    sequence: int
    time: datetime
    event: AuditEvent


@dataclass(frozen=True, slots=True)
class CostRecord:
    purpose: str
    model: str
    input_tokens: int
    output_tokens: int
    usd: Decimal
    repo: str | None = None
    fingerprint: str | None = None
    request_id: str | None = None  # idempotency key: a request already recorded is skipped


class RunHistoryStore(Protocol):
    """Repositories, runs, attempts, jobs, their logs and the failures found in them."""

    def upsert_repository(self, repository: RepositoryRecord) -> None: ...

    def upsert_run_attempt(self, attempt: RunAttemptRecord) -> None: ...

    def upsert_job(self, job: JobRecord) -> None: ...

    def record_job_log(self, repo: str, job_id: int, log: JobLog) -> None: ...

    def job_log_status(self, repo: str, job_id: int) -> LogStatus | None: ...

    def record_occurrences(
        self, repo: str, job_id: int, occurrences: Sequence[OccurrenceRecord]
    ) -> None: ...

    def occurrences_of(
        self, repo: str, fingerprint: str, limit: int = 20
    ) -> list[OccurrenceEvidence]: ...

    def latest_occurrence(self, repo: str, fingerprint: str) -> OccurrenceDetail | None: ...

    def occurrences_at(self, repo: str, head_sha: str, limit: int = 50) -> list[OccurrenceDetail]:
        """The failures found in the runs of one commit (a pull request's head), newest
        first."""
        ...


class TestHistoryStore(Protocol):
    """Per-test outcomes per run attempt: the flakiness engine's evidence ([T3])."""

    def record_test_results(self, results: Sequence[TestResultRecord]) -> None: ...

    def recent_test_results(
        self, repo: str, test: TestIdentity, limit: int = 100
    ) -> list[TestResultRecord]: ...

    def failed_results_between(
        self, repo: str, since: datetime, until: datetime, limit: int = 5000
    ) -> list[TestResultRecord]: ...


class CaseStore(Protocol):
    """Failure cases and their issues.

    ``transition_case`` is compare-and-set: it moves the case from ``expected`` to ``new``
    and logs ``cause`` in the same transaction, and returns False when the case was not in
    ``expected`` (another worker moved it first) unless this very change, identified by
    ``cause.key``, was already made (a retried step). Which transitions are allowed is
    core's decision, not the store's.
    """

    def ensure_case(self, seed: CaseSeed) -> CaseView: ...

    def get_case(self, repo: str, fingerprint: str) -> CaseView | None: ...

    def transition_case(
        self,
        repo: str,
        fingerprint: str,
        *,
        expected: CaseState,
        new: CaseState,
        cause: AuditEvent,
    ) -> bool: ...

    def assess_case(self, repo: str, fingerprint: str, assessment: CaseAssessment) -> None: ...

    def cases_in_state(self, repo: str, states: Collection[CaseState]) -> list[CaseView]: ...

    def link_issue(self, repo: str, fingerprint: str, link: IssueLink) -> None: ...

    def issue_links(self, repo: str, fingerprint: str) -> list[IssueLink]: ...

    def cases_for_issue(self, issue_repo: str, issue_number: int) -> list[CaseView]: ...


class ScanStateStore(Protocol):
    """Discovery cursors and HTTP validators, shared by workers and kept across restarts."""

    def cursor(self, repo: str, workflow: str, branch: str) -> CursorPosition | None: ...

    def advance_cursor(
        self, repo: str, workflow: str, branch: str, position: CursorPosition
    ) -> CursorPosition: ...

    def validator(self, url: str) -> HttpValidator | None: ...

    def put_validator(self, url: str, validator: HttpValidator) -> None: ...


class JournalStore(Protocol):
    """The append-only audit log and the LLM/API cost ledger."""

    def append_audit(self, event: AuditEvent) -> None: ...

    def claim_audit(self, event: AuditEvent) -> bool:
        """Log a keyed event unless its key is already logged; whether this call did (of
        workers claiming one key at once, exactly one gets True)."""
        ...

    def audit_log(
        self,
        repo: str | None = None,
        fingerprint: str | None = None,
        limit: int = 1000,
        *,
        action: str | None = None,
        after: int | None = None,
    ) -> list[AuditEntry]:
        """Oldest first: the last ``limit`` events, or with ``after`` the first ``limit``
        events logged after that sequence."""
        ...

    def record_cost(self, cost: CostRecord) -> None: ...

    def total_cost(self, since: datetime | None = None) -> Decimal: ...


class Store(RunHistoryStore, TestHistoryStore, CaseStore, ScanStateStore, JournalStore, Protocol):
    """Everything Sheriff keeps; use cases should ask for the narrowest part they need."""
