"""Realistic records for the store's tests (shapes as GitHub and triage produce them)."""

from __future__ import annotations

from datetime import timedelta

from sheriff.app.ports import (
    CaseSeed,
    JobRecord,
    OccurrenceRecord,
    RepositoryRecord,
    RunAttemptRecord,
    TestOutcome,
    TestResultRecord,
)
from sheriff.core.model import (
    Classification,
    Failure,
    FailureType,
    Finding,
    TestIdentity,
)
from tests.adapters.store.conftest import START

REPO = "tikv/pd"
FINGERPRINT = "3f2a9c0d1e4b5a6f7788"
TEST = TestIdentity("go", "github.com/tikv/pd/server/cluster", "TestRegionSyncer")


def repository(full_name: str = REPO) -> RepositoryRecord:
    return RepositoryRecord(full_name, "master", write_repo="sheriff-bot/pd")


def run_attempt(
    run_id: int = 9_876_543_210, attempt: int = 1, **changes: object
) -> RunAttemptRecord:
    fields: dict[str, object] = {
        "repo": REPO,
        "run_id": run_id,
        "attempt": attempt,
        "workflow": "PD Test",
        "head_sha": "a3c1f0e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3",
        "head_branch": "master",
        "event": "push",
        "created_at": START,
        "conclusion": "failure",
        "started_at": START + timedelta(minutes=attempt),
        "pull_requests": (),
        "workflow_id": 1_234_567,
        "actor": "ti-chi-bot",
        "html_url": f"https://github.com/{REPO}/actions/runs/{run_id}",
    }
    fields.update(changes)
    return RunAttemptRecord(**fields)  # type: ignore[arg-type]


def job(
    job_id: int = 27_000_000_001,
    run_id: int = 9_876_543_210,
    attempt: int = 1,
    name: str = "chunks (3)",
) -> JobRecord:
    return JobRecord(
        repo=REPO,
        run_id=run_id,
        attempt=attempt,
        job_id=job_id,
        name=name,
        conclusion="failure",
        runner_os="Linux",
        runner_labels=("ubuntu-latest",),
        runner_name="GitHub Actions 12",
        started_at=START + timedelta(minutes=2),
        completed_at=START + timedelta(minutes=20 * attempt),
        steps=({"name": "Run tests ✅", "conclusion": "failure", "number": 4},),
        html_url=f"https://github.com/{REPO}/actions/runs/{run_id}/job/{job_id}",
    )


def failure(
    failure_id: str = "F001",
    fingerprint: str = FINGERPRINT,
    message: str = "region syncer did not catch up 🐢 after 3s",
) -> Failure:
    finding = Finding(
        tool="go test",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=message,
        anchor=812,
        ranges=((800, 830),),
        test=TEST,
    )
    return Failure(failure_id, finding, f"--- FAIL: TestRegionSyncer {message}", fingerprint)


def classification(failure_id: str = "F001") -> Classification:
    return Classification(
        failure_id=failure_id,
        step_name="Run tests ✅",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        stack="go",
        secondary_stack=None,
        confidence=85,
        auto_fixable=False,
        fix_approach="investigate the race in the region syncer",
        related_workflow=None,
        evidence=("--- FAIL: TestRegionSyncer",),
        affected_files=(),
        primary_error="region syncer did not catch up 🐢",
        error_count=1,
        error_category="test",
    )


def occurrence(
    failure_id: str = "F001",
    fingerprint: str = FINGERPRINT,
    message: str = "region syncer did not catch up 🐢 after 3s",
) -> OccurrenceRecord:
    return OccurrenceRecord(
        failure=failure(failure_id, fingerprint, message),
        classification=classification(failure_id),
        excerpt_ranges=((800, 830),),
        excerpt_text="=== RUN   TestRegionSyncer\n    syncer_test.go:88: 同步超时 🐢\n--- FAIL",
    )


def case_seed(fingerprint: str = FINGERPRINT, repo: str = REPO) -> CaseSeed:
    return CaseSeed(
        repo=repo,
        fingerprint=fingerprint,
        failure_type=FailureType.TEST,
        sub_type="assertion",
        signature="--- FAIL: TestRegionSyncer region syncer did not catch up",
        test=TEST,
    )


def result_of_test(
    outcome: TestOutcome = TestOutcome.FAILED,
    run_id: int = 9_876_543_210,
    attempt: int = 1,
    minutes: int = 0,
    test: TestIdentity = TEST,
    job_name: str = "chunks (3)",
) -> TestResultRecord:
    return TestResultRecord(
        repo=REPO,
        test=test,
        outcome=outcome,
        run_id=run_id,
        attempt=attempt,
        job=job_name,
        workflow="PD Test",
        sha="a3c1f0e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3",
        branch="master",
        event="push",
        time=START + timedelta(minutes=minutes),
        job_id=27_000_000_001,
        pr_number=None,
        author="ti-chi-bot",
        fingerprint=FINGERPRINT if outcome is TestOutcome.FAILED else None,
        source="go-json",
    )
