"""What issue decisions are made from: a failure case with its occurrences, and snapshots
of GitHub issues and comments as the adapter read them.

Times are aware datetimes (naive ones are taken as UTC); nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sheriff.core.model import Failure, FailureType, Location, TestIdentity, TriageReport

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One failed job of one run attempt in which the failure was seen."""

    run_id: int
    attempt: int
    run_url: str
    job_name: str
    head_sha: str
    branch: str | None
    event: str
    seen_at: datetime
    runner: str | None = None

    @property
    def from_pull_request(self) -> bool:
        return self.event in PULL_REQUEST_EVENTS


@dataclass(frozen=True, slots=True)
class EvidenceNote:
    """One term of the flakiness engine's verdict: its log-odds weight, what it saw and in
    which runs."""

    kind: str
    weight: float
    detail: str
    runs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class FlakySignal:
    """Evidence that a failure is flaky, when there is any.

    ``verdict``, ``p_flaky`` and ``evidence`` come from the flakiness engine ([T3]); without
    a verdict (a case judged before the engine existed) ``failed_and_passed_on`` names a
    commit on which the same fingerprint both failed and passed.
    """

    p_flaky: float | None = None
    failed_and_passed_on: str | None = None
    verdict: str | None = None  # flaky, regression, broken_trunk, infra, unknown, healthy
    evidence: tuple[EvidenceNote, ...] = ()
    quarantine_candidate: bool = False


@dataclass(frozen=True, slots=True)
class FailureCase:
    """Everything Sheriff knows about one fingerprint, as issue decisions need it.

    ``occurrences`` may be capped by the caller (the most recent ones); ``total_occurrences``,
    ``distinct_runs`` and ``first_seen`` then give the true totals. ``excerpt`` holds
    unredacted log lines ``(number, text)`` of the most recent occurrence; every renderer
    redacts them.
    """

    repo: str
    fingerprint: str
    failure_type: FailureType
    sub_type: str
    tool: str
    signature: str
    message: str
    occurrences: tuple[Occurrence, ...]
    test: TestIdentity | None = None
    confidence: int | None = None
    location: Location | None = None
    excerpt: tuple[tuple[int, str], ...] = ()
    flakiness: FlakySignal = FlakySignal()
    total_occurrences: int | None = None
    distinct_runs: int | None = None
    first_seen: datetime | None = None

    @property
    def occurrence_count(self) -> int:
        return self.total_occurrences or len(self.occurrences)

    @property
    def run_count(self) -> int:
        return self.distinct_runs or len({item.run_id for item in self.occurrences})

    @property
    def newest_first(self) -> tuple[Occurrence, ...]:
        return tuple(sorted(self.occurrences, key=lambda item: item.seen_at, reverse=True))

    @property
    def first_seen_at(self) -> datetime | None:
        if self.first_seen is not None:
            return self.first_seen
        return min((item.seen_at for item in self.occurrences), default=None)

    @property
    def last_seen_at(self) -> datetime | None:
        return max((item.seen_at for item in self.occurrences), default=None)


class IssueState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


NOT_PLANNED = "not_planned"


@dataclass(frozen=True, slots=True)
class IssueSnapshot:
    """An issue as GitHub returned it (pull requests excluded by the adapter)."""

    number: int
    title: str
    body: str
    labels: frozenset[str]
    author: str
    state: IssueState = IssueState.OPEN
    state_reason: str | None = None  # completed / not_planned / reopened
    closed_at: datetime | None = None
    locked: bool = False


@dataclass(frozen=True, slots=True)
class CommentSnapshot:
    id: int
    body: str
    author: str


@dataclass(frozen=True, slots=True)
class LinkedIssue:
    """The issue the store links to a case, with its comments (the adapter fetches them)."""

    issue: IssueSnapshot
    created_by_sheriff: bool
    comments: tuple[CommentSnapshot, ...] = ()


def case_from_triage(
    report: TriageReport,
    failure: Failure,
    *,
    repo: str,
    occurrences: Sequence[Occurrence],
    flakiness: FlakySignal = FlakySignal(),
) -> FailureCase:
    """A case from the engine's report of the most recent occurrence of ``failure``."""
    finding = failure.finding
    return FailureCase(
        repo=repo,
        fingerprint=failure.fingerprint,
        failure_type=finding.failure_type,
        sub_type=finding.sub_type,
        tool=finding.tool,
        signature=failure.signature,
        message=finding.message,
        occurrences=tuple(occurrences),
        test=finding.test,
        confidence=_confidence_of(report, failure),
        location=finding.locations[0] if finding.locations else None,
        excerpt=_lines_about(report, failure),
        flakiness=flakiness,
    )


def _confidence_of(report: TriageReport, failure: Failure) -> int | None:
    classifications = report.classification.classifications
    return next((c.confidence for c in classifications if c.failure_id == failure.id), None)


def _lines_about(report: TriageReport, failure: Failure) -> tuple[tuple[int, str], ...]:
    """The excerpt lines inside the failure's own ranges, or the whole excerpt when they are
    fewer than two lines."""
    ranges = failure.finding.ranges
    own = tuple(
        (number, text)
        for number, text in report.excerpt_text
        if any(first <= number <= last for first, last in ranges)
    )
    return own if len(own) >= 2 else report.excerpt_text


def commit_that_failed_and_passed(
    failed_commits: Iterable[str], passed_commits: Iterable[str]
) -> str | None:
    """A commit on which the same job both failed and passed (the flaky evidence that needs
    no model), or None; the adapter gives the shas of failed and passed attempts."""
    passed = set(passed_commits)
    return next((sha for sha in failed_commits if sha in passed), None)
