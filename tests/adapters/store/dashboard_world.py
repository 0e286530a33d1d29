"""A store filled the way Sheriff fills it, for the dashboard's tests.

Failures come from triaging real CI logs bundled with Sheriff (pytorch pytest on Actions,
awesome-go on Travis, a Jenkins agent lost under Maven, a Docker pull during a Terraform
build), so fingerprints, signatures, messages and excerpts are real. One more case is
hostile on purpose: its texts are HTML and script, as a log or an issue may be.
Everything is written through the store's own API.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sheriff.adapters.store import Store
from sheriff.app.ports import (
    AuditEvent,
    CaseAssessment,
    CaseState,
    CostRecord,
    IssueLink,
    JobRecord,
    OccurrenceRecord,
    RepositoryRecord,
    RunAttemptRecord,
)
from sheriff.app.scan_records import case_seed, occurrence_record
from sheriff.core.causes import causes_of
from sheriff.core.model import Failure, FailureType, Finding, TestIdentity
from sheriff.core.triage import triage_bytes
from tests.adapters.store.conftest import TickingClock

EXAMPLE_LOGS = Path(__file__).resolve().parents[3] / "src" / "sheriff" / "examples" / "logs"
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
"""When the dashboard looks at this store."""
DAY = timedelta(days=1)
HOSTILE = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src="x" onerror="window.__pwned = 2">'
S = CaseState


@dataclass
class World:
    """What was written, for the tests to compare the dashboard with."""

    fingerprints: dict[str, str] = field(default_factory=dict)  # name -> fingerprint
    repos: dict[str, str] = field(default_factory=dict)  # name -> repository
    signatures: dict[str, str] = field(default_factory=dict)
    occurrences_per_day: dict[tuple[str, FailureType], int] = field(default_factory=dict)
    audit_events: int = 0


@dataclass(frozen=True)
class Job:
    run_id: int
    attempt: int
    job_id: int
    name: str
    completed_at: datetime
    conclusion: str = "failure"
    url: str | None = None


def head_sha(run_id: int) -> str:
    return hashlib.sha1(str(run_id).encode()).hexdigest()


def triaged_failure(log: str, repo: str) -> tuple[Failure, OccurrenceRecord]:
    report = triage_bytes((EXAMPLE_LOGS / log).read_bytes(), source=log, repo=repo)
    failure = causes_of(report)[0]
    return failure, occurrence_record(report, failure)


def hostile_failure() -> tuple[Failure, OccurrenceRecord]:
    finding = Finding(
        tool="pytest",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=f"AssertionError: {HOSTILE} {HOSTILE_IMG}",
        anchor=3,
        ranges=((1, 5),),
        test=TestIdentity("pytest", "tests/test_render.py", f"test_title[{HOSTILE}]"),
    )
    failure = Failure("F001", finding, f"AssertionError: {HOSTILE}", "e" * 64)
    excerpt = f'</pre>{HOSTILE}\n{HOSTILE_IMG}\n<a href="javascript:alert(1)">x</a>'
    return failure, OccurrenceRecord(failure, None, ((1, 5),), excerpt)


class WorldWriter:
    def __init__(self, store: Store, clock: TickingClock) -> None:
        self.store = store
        self.clock = clock
        self.world = World()

    def at(self, moment: datetime) -> None:
        self.clock.now = moment

    def repository(self, repo: str, write_repo: str | None = None) -> None:
        self.store.upsert_repository(RepositoryRecord(repo, "main", write_repo=write_repo))

    def fail(self, repo: str, job: Job, record: OccurrenceRecord, workflow: str = "CI") -> None:
        self.at(job.completed_at)
        self.store.upsert_run_attempt(
            RunAttemptRecord(
                repo=repo,
                run_id=job.run_id,
                attempt=job.attempt,
                workflow=workflow,
                head_sha=head_sha(job.run_id),
                head_branch="main",
                event="push",
                created_at=job.completed_at - timedelta(minutes=30),
                conclusion=job.conclusion,
                started_at=job.completed_at - timedelta(minutes=25),
                html_url=f"https://github.com/{repo}/actions/runs/{job.run_id}",
            )
        )
        self.store.upsert_job(
            JobRecord(
                repo=repo,
                run_id=job.run_id,
                attempt=job.attempt,
                job_id=job.job_id,
                name=job.name,
                conclusion=job.conclusion,
                runner_os="Linux",
                started_at=job.completed_at - timedelta(minutes=20),
                completed_at=job.completed_at,
                html_url=job.url
                or f"https://github.com/{repo}/actions/runs/{job.run_id}/job/{job.job_id}",
            )
        )
        self.store.record_occurrences(repo, job.job_id, [record])
        day = (job.completed_at.date().isoformat(), record.failure.finding.failure_type)
        self.world.occurrences_per_day[day] = self.world.occurrences_per_day.get(day, 0) + 1

    def attempt(self, repo: str, run_id: int, attempt: int, conclusion: str | None) -> None:
        self.store.upsert_run_attempt(
            RunAttemptRecord(
                repo=repo,
                run_id=run_id,
                attempt=attempt,
                workflow="CI",
                head_sha=head_sha(run_id),
                head_branch="main",
                event="push",
                created_at=self.clock.now,
                conclusion=conclusion,
            )
        )

    def case(self, name: str, repo: str, failure: Failure) -> str:
        self.store.ensure_case(case_seed(repo, failure))
        self.world.fingerprints[name] = failure.fingerprint
        self.world.repos[name] = repo
        self.world.signatures[name] = failure.signature
        return failure.fingerprint

    def move(self, name: str, *path: tuple[CaseState, dict[str, object]]) -> None:
        repo, fingerprint = self.world.repos[name], self.world.fingerprints[name]
        state = CaseState.DISCOVERED
        for new, details in path:
            self.clock.now += timedelta(minutes=7)
            cause = AuditEvent("sheriff", "case.transition", f"{state} -> {new}", details=details)
            moved = self.store.transition_case(
                repo, fingerprint, expected=state, new=new, cause=cause
            )
            assert moved
            state = new

    def audit(self, action: str, cause: str, **fields: object) -> None:
        self.clock.now += timedelta(minutes=3)
        self.store.append_audit(AuditEvent("sheriff", action, cause, **fields))

    def cost(self, moment: datetime, purpose: str, tokens: tuple[int, int], usd: str) -> None:
        self.at(moment)
        self.store.record_cost(
            CostRecord(purpose, "claude-sonnet-4-5", tokens[0], tokens[1], Decimal(usd))
        )


def fill_dashboard_store(store: Store, clock: TickingClock) -> World:
    """Four real failures in four repositories, one hostile case, re-runs, costs, audit."""
    writer = WorldWriter(store, clock)
    flaky_test(writer)
    broken_test(writer)
    infra_and_dependency(writer)
    hostile_case(writer)
    reruns(writer)
    costs(writer)
    webhook_deliveries(writer, count=30)
    writer.world.audit_events = len(store.audit_log(limit=100_000))
    return writer.world


def flaky_test(writer: WorldWriter) -> None:
    repo = "pytorch/pytorch"
    writer.repository(repo)
    failure, record = triaged_failure("pytorch-pytest-github-actions.log", repo)
    for day in range(4):
        moment = NOW - (7 - day * 2) * DAY - timedelta(hours=day)
        job = Job(8_100_000_000 + day, 1, 30_100_000_000 + day, "linux-jammy-py3.10 / test", moment)
        writer.fail(repo, job, record, workflow="pull")
    writer.case("flaky", repo, failure)
    writer.store.assess_case(
        repo, failure.fingerprint, CaseAssessment(0.86, "flaky", quarantine_candidate=True)
    )
    writer.store.link_issue(repo, failure.fingerprint, IssueLink(repo, 101_234, True))
    issue = {"issue_repo": repo, "issue": 101_234}
    writer.move("flaky", (S.ISSUE_OPEN, issue), (S.TRIAGED, {}), (S.WAITING_FOR_SIGNAL, {}))


def broken_test(writer: WorldWriter) -> None:
    repo = "avelino/awesome-go"
    writer.repository(repo)
    failure, record = triaged_failure("go-awesome-go-travis.log", repo)
    job = Job(8_200_000_001, 1, 30_200_000_001, "test (1.21)", NOW - 2 * DAY)
    writer.fail(repo, job, record)
    writer.case("broken", repo, failure)
    writer.store.assess_case(repo, failure.fingerprint, CaseAssessment(0.08, "regression"))
    writer.store.link_issue(repo, failure.fingerprint, IssueLink(repo, 5_120, True))
    writer.move(
        "broken",
        (S.ISSUE_OPEN, {}),
        (S.TRIAGED, {}),
        (S.WAITING_FOR_SIGNAL, {}),
        (S.APPROVED_TO_FIX, {"approver": "avelino"}),
        (S.FIXING, {}),
        (S.PR_OPEN, {"pull_request": 5_133}),
    )


def infra_and_dependency(writer: WorldWriter) -> None:
    repo = "SpoonLabs/astor"
    writer.repository(repo)
    failure, record = triaged_failure("maven-astor-jenkins.log", repo)
    writer.fail(repo, Job(8_300_000_001, 1, 30_300_000_001, "build", NOW - 1 * DAY), record)
    writer.case("infra", repo, failure)
    writer.store.assess_case(repo, failure.fingerprint, CaseAssessment(None, "infra"))

    repo = "hashicorp/terraform"
    writer.repository(repo, write_repo="hashicorp/terraform-ci-issues")
    failure, record = triaged_failure("terraform-github-actions.log", repo)
    writer.fail(repo, Job(8_400_000_001, 1, 30_400_000_001, "e2e-test", NOW - 3 * DAY), record)
    writer.case("dependency", repo, failure)
    human = IssueLink("hashicorp/terraform-ci-issues", 77, False, issue_state="closed")
    writer.store.link_issue(repo, failure.fingerprint, human)
    writer.move("dependency", (S.ISSUE_OPEN, {}))


def hostile_case(writer: WorldWriter) -> None:
    repo = "evil-org/site"
    writer.repository(repo)
    failure, record = hostile_failure()
    url = "javascript:window.__pwned=3"
    writer.fail(
        repo, Job(8_500_000_001, 1, 30_500_000_001, HOSTILE, NOW - 4 * DAY, url=url), record
    )
    writer.case("hostile", repo, failure)
    writer.store.assess_case(repo, failure.fingerprint, CaseAssessment(0.5, HOSTILE[:30]))
    writer.audit(
        "issue.create",
        f"issue title {HOSTILE_IMG}",
        repo=repo,
        fingerprint=failure.fingerprint,
        details={"title": HOSTILE},
    )


def reruns(writer: WorldWriter) -> None:
    """Three re-runs: the flaky test passed on attempt 2, the broken one failed again, and
    one is still running."""
    flaky, broken = writer.world.fingerprints["flaky"], writer.world.fingerprints["broken"]
    writer.at(NOW - 2 * DAY + timedelta(hours=1))
    for repo, fingerprint, run_id, p_flaky, next_conclusion in (
        ("pytorch/pytorch", flaky, 8_100_000_002, 0.86, "success"),
        ("avelino/awesome-go", broken, 8_200_000_001, 0.74, "failure"),
        ("pytorch/pytorch", flaky, 8_100_000_003, 0.9, None),
    ):
        details = {"run_id": run_id, "attempt": 1, "job": "linux-jammy-py3.10 / test"}
        details["p_flaky"] = p_flaky
        writer.audit(
            "rerun.requested",
            f"P(flaky) {p_flaky}",
            repo=repo,
            fingerprint=fingerprint,
            details=details,
        )
        if next_conclusion is not None:
            writer.attempt(repo, run_id, 2, next_conclusion)


def costs(writer: WorldWriter) -> None:
    writer.cost(NOW - 5 * DAY, "analysis", (48_210, 1_904), "0.173190")
    writer.cost(NOW - 2 * DAY, "analysis", (51_002, 2_311), "0.187671")
    writer.cost(NOW - 2 * DAY + timedelta(hours=2), "fix", (310_554, 20_118), "1.233432")
    writer.cost(NOW - 40 * DAY, "analysis", (12_000, 800), "0.048000")  # outside 30 days


def webhook_deliveries(writer: WorldWriter, count: int) -> None:
    writer.at(NOW - timedelta(hours=count))
    for number in range(count):
        writer.clock.now += timedelta(minutes=55)
        delivery = f"72d3162e-cc78-11e3-81ab-4c9367dc{number:04d}"
        writer.store.append_audit(
            AuditEvent(
                "octocat",
                "webhook.workflow_run.completed",
                f"GitHub delivery {delivery}",
                repo="pytorch/pytorch",
                details={
                    "delivery": delivery,
                    "route": "scan_run",
                    "run_id": 8_100_000_100 + number,
                },
                key=f"webhook:{delivery}",
            )
        )
