"""Real inputs for the pull request report's core tests: the pytest log of the broken
``total`` (tests/fixtures/pr_report) and the patch git prints for that change."""

from __future__ import annotations

from pathlib import Path

from sheriff.core.model import Failure, TriageReport
from sheriff.core.pr_report import (
    CauseFacts,
    ChangedFile,
    JobFacts,
    NewFailure,
    changed_file,
    judge_job,
    new_failure_of,
)
from sheriff.core.triage import triage_bytes

REPO = "acme/shop"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pr_report"
PRICING_PATCH = "\n".join(
    [
        "@@ -3,4 +3,4 @@",
        " ",
        " def total(items, discount=0.0):",
        "     subtotal = sum(items)",
        "-    return round(subtotal * (1 - discount), 2)",
        "+    return round(subtotal * (1 - discount) + 1, 2)",
        "",
    ]
)


def pricing_report() -> TriageReport:
    data = (FIXTURES / "pricing_pytest.log").read_bytes()
    return triage_bytes(data, repo=REPO, platform="Linux")


def pricing_failures() -> list[Failure]:
    """The two failing tests (the summary line apart)."""
    return [item for item in pricing_report().failures if item.finding.test is not None]


def pricing_change() -> ChangedFile:
    return changed_file("shop/pricing.py", "modified", 1, 1, PRICING_PATCH)


def pricing_job(*, p_flaky: float | None = 0.02) -> JobFacts:
    report = pricing_report()
    causes = tuple(CauseFacts(failure, p_flaky=p_flaky) for failure in pricing_failures())
    return JobFacts(
        run_id=90000000001,
        attempt=1,
        workflow="CI",
        job_id=41000000001,
        name="tests",
        conclusion="failure",
        url="https://github.com/acme/shop/actions/runs/90000000001/job/41000000001",
        causes=causes,
        failed_step="Run pytest",
        excerpt=report.excerpt_text,
    )


def pricing_subject(files: tuple[ChangedFile, ...] | None = None) -> NewFailure:
    judged = judge_job(pricing_job(), 0.7)
    chosen = (pricing_change(),) if files is None else files
    return new_failure_of(REPO, judged, chosen, {})
