"""Realistic inputs for issue tests: failures the engine finds in real logs, and GitHub
issue bodies as people write them (templates, checklists, emoji, CRLF from the web UI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache

from sheriff.core.issues import FailureCase, FlakySignal, Occurrence, case_from_triage
from sheriff.core.model import FailureType, TriageReport
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared

GO_LOG = "logchunks/logs/Go/avelino@awesome-go/failed/553491785.log.gz"
XUNIT_LOG = "logchunks/logs/C#/NancyFx@Nancy/failed/375800180.log.gz"
INFRA_LOG = "logchunks/logs/CSS/twbs@bootstrap/failed/566160487.log.gz"
BUILD_LOG = "logchunks/logs/C#/NancyFx@Nancy/failed/461393228.log.gz"
T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


@cache
def triaged(log: str, repo: str) -> TriageReport:
    return triage_bytes(read_shared(log), repo=repo, platform="ubuntu-latest")


def occurrence(
    run_id: int,
    *,
    hours: float = 0,
    attempt: int = 1,
    branch: str | None = "main",
    event: str = "push",
    sha: str = "9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f",
    job: str = "test (ubuntu-latest, 1.22)",
    repo: str = "avelino/awesome-go",
) -> Occurrence:
    return Occurrence(
        run_id=run_id,
        attempt=attempt,
        run_url=f"https://github.com/{repo}/actions/runs/{run_id}",
        job_name=job,
        head_sha=sha,
        branch=branch,
        event=event,
        seen_at=T0 + timedelta(hours=hours),
        runner="ubuntu-22.04",
    )


def on_main(runs: int, *, repo: str = "avelino/awesome-go") -> tuple[Occurrence, ...]:
    return tuple(
        occurrence(9_000_000 + n, hours=n, sha=f"{n:02d}" + "ab" * 19, repo=repo)
        for n in range(runs)
    )


def go_case(occurrences: tuple[Occurrence, ...] = (), **changes: object) -> FailureCase:
    """The failing Go subtest ``TestAlpha/Meetups`` of avelino/awesome-go (a real log)."""
    report = triaged(GO_LOG, "avelino/awesome-go")
    case = case_from_triage(
        report, report.failures[0], repo="avelino/awesome-go", occurrences=occurrences or on_main(2)
    )
    return replace(case, **changes)


def xunit_case(occurrences: tuple[Occurrence, ...] = (), **changes: object) -> FailureCase:
    """NancyFx's ``BrowserFixture.Should_return_JSON_serialized_form`` (xunit, real log)."""
    report = triaged(XUNIT_LOG, "NancyFx/Nancy")
    case = case_from_triage(
        report,
        report.failures[0],
        repo="NancyFx/Nancy",
        occurrences=occurrences or on_main(2, repo="NancyFx/Nancy"),
    )
    return replace(case, **changes)


def infra_case(occurrences: tuple[Occurrence, ...] = ()) -> FailureCase:
    """A Karma browser disconnect in twbs/bootstrap (an infrastructure failure)."""
    report = triaged(INFRA_LOG, "twbs/bootstrap")
    case = case_from_triage(
        report, report.failures[0], repo="twbs/bootstrap", occurrences=occurrences or on_main(5)
    )
    assert case.failure_type is FailureType.INFRASTRUCTURE
    return case


def build_case(occurrences: tuple[Occurrence, ...] = ()) -> FailureCase:
    """A C# compile error in NancyFx (a build failure)."""
    report = triaged(BUILD_LOG, "NancyFx/Nancy")
    case = case_from_triage(
        report, report.failures[0], repo="NancyFx/Nancy", occurrences=occurrences or on_main(3)
    )
    assert case.failure_type is FailureType.BUILD
    return case


FLAKY_RETRY = FlakySignal(failed_and_passed_on="9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f")

# A person's issue, as GitHub returns it after an edit in the web UI (CRLF line endings).
HUMAN_ISSUE_BODY = (
    "### What happened?\r\n"
    "\r\n"
    "`TestAlpha/Meetups` fails on main since the meetup list was re-sorted 😕\r\n"
    "\r\n"
    "```\r\n"
    "--- FAIL: TestAlpha/Meetups (0.00s)\r\n"
    "    repo_test.go:131: expected 'golang auckland, nz' but actual is 'golang baltimore, md'\r\n"
    "```\r\n"
    "\r\n"
    "### Checklist\r\n"
    "\r\n"
    "- [x] I searched existing issues\r\n"
    "- [ ] I can reproduce it locally\r\n"
    "\r\n"
    "cc @avelino — happy to send a PR 🙏"
)

# Notes a maintainer adds above and between Sheriff's blocks of a Sheriff-created issue.
MAINTAINER_NOTE = (
    "> [!NOTE]\r\n"
    "> Triaged by @kenny — this is the sort order, not flakiness. 🧹\r\n"
    "\r\n"
    "- [x] confirmed on `main`\r\n"
    "- [ ] fix README ordering\r\n"
    "\r\n"
)
