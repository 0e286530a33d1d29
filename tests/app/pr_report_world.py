"""A world for the pull request failure report, end to end: the fake GitHub over real HTTP
with a real bare git repository (a small shop project), pull requests opened from real
branches, CI runs whose jobs printed real logs (real pytest output, a real flake8 run, a
real GitHub Actions log of a network failure), Sheriff's GitHub adapter, a SQLite store,
and a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheriff.adapters.github import GitHubForge, GitHubSettings, Retrier, TokenCredentials
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.forge import RunQuery, WorkflowRun
from sheriff.app.llm import LLM
from sheriff.app.notify import Notifications
from sheriff.app.pr_report import (
    PullRequestReportOutcome,
    PullRequestReportRequest,
    report_pull_request_failures,
)
from sheriff.app.scan import ScanReport, ScanRequest, scan_one_run
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.repo_config import RepoSettings
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.records import CommentRecord
from sheriff.testing.flaky_project import failing_log
from tests.app.lifecycle_world import HandClock
from tests.conftest import read_shared, read_tool_fixture

REPO = "acme/shop"
APP_LOGIN = "sheriff[bot]"  # a GitHub App's bot: may create check runs
USER_LOGIN = "sheriff-bot"  # a plain token: GitHub refuses it check runs
AUTHOR = "bob"

PRICING = '''"""Prices of a basket."""


def total(items, discount=0.0):
    subtotal = sum(items)
    return round(subtotal * (1 - discount), 2)
'''
BROKEN_PRICING = PRICING.replace("(1 - discount), 2)", "(1 - discount) + 1, 2)")
PRICING_TESTS = """from shop.pricing import total


def test_total_without_discount():
    assert total([1.0, 2.0]) == 3.0


def test_total_with_discount():
    assert total([10.0], discount=0.5) == 5.0
"""
PROJECT = {
    "README.md": "# shop\n",
    "shop/__init__.py": "",
    "shop/pricing.py": PRICING,
    "tests/test_pricing.py": PRICING_TESTS,
    "docs/guide.md": "# Guide\n",
}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pr_report"


def pricing_failure_log() -> bytes:
    """Real pytest output of the tests against the broken ``total``: the fixture that
    ``make_pricing_log`` wrote (tests/fixtures/pr_report/README.md)."""
    return (FIXTURES / "pricing_pytest.log").read_bytes()


def make_pricing_log() -> bytes:
    """Run the real pytest on the project with the broken ``total`` (how the fixture was
    made)."""
    return failing_log({**PROJECT, "shop/pricing.py": BROKEN_PRICING})


def lint_log() -> bytes:
    """A real flake8 run that failed."""
    return read_tool_fixture("flake8/flake8_errors.log")


def network_log() -> bytes:
    """A real GitHub Actions log: ``go mod`` could not reach the module proxy."""
    return read_shared(
        "cidiff-breakages/breakages_dump/Build Terraform CLI Packages_/run407/fail.log"
    )


@dataclass
class PrWorld:
    fake: FakeGitHub
    store: Store
    folder: Path
    clock: HandClock
    token: str = "t-app"
    forges: list[GitHubForge] = field(default_factory=list)

    def forge(self, token: str | None = None) -> GitHubForge:
        settings = GitHubSettings(
            REPO, api_url=self.fake.url, read_credentials=TokenCredentials(token or self.token)
        )
        retrier = Retrier(settings.retry, sleep=lambda _seconds: None, jitter=lambda: 0.5)
        forge = GitHubForge(settings, None, retrier=retrier)
        self.forges.append(forge)
        return forge

    # -- git and CI ----------------------------------------------------------------------
    def push_main(self, files: dict[str, str | None]) -> str:
        self.clock.advance(minutes=5)
        return self.fake.commit(REPO, files, branch="main")

    def open_pull(self, branch: str, files: dict[str, str | None], title: str) -> tuple[int, str]:
        self.clock.advance(minutes=5)
        self.fake.create_branch(REPO, branch)
        sha = self.fake.commit(REPO, files, branch=branch)
        number = self.fake.open_pull_as(REPO, AUTHOR, branch, title=title)
        return number, sha

    def push_pull(self, branch: str, files: dict[str, str | None]) -> str:
        self.clock.advance(minutes=5)
        return self.fake.commit(REPO, files, branch=branch)

    def ci(self, sha: str, name: str, log: bytes, conclusion: str = "failure") -> WorkflowRun:
        """CI job ``name`` finished on ``sha`` having printed ``log``; its run."""
        self.clock.advance(minutes=2)
        self.fake.complete_checks(REPO, sha, conclusion, name=name, log=log)
        runs = self.forge().list_workflow_runs(
            RunQuery(head_sha=sha, conclusions=frozenset({conclusion}))
        )
        return next(run for run in runs.items if run.workflow == name)

    # -- Sheriff -------------------------------------------------------------------------
    def scan(self, run: WorkflowRun) -> ScanReport:
        request = ScanRequest(self.folder / "data", RepoSettings(), clock=self.clock)
        return scan_one_run(request, self.forge(), self.store, FileLogReader(1 << 20), run)

    def report(
        self,
        run: WorkflowRun,
        *,
        llm: LLM | None = None,
        notifications: Notifications | None = None,
        token: str | None = None,
        **options: Any,
    ) -> PullRequestReportOutcome:
        """What the service does for a failed run: scan it, then report on its pull request."""
        self.scan(run)
        request = PullRequestReportRequest(self.folder / "data", clock=self.clock, **options)
        return report_pull_request_failures(
            request, self.forge(token), self.store, FileLogReader(1 << 20), run,
            llm=llm, notifications=notifications,
        )  # fmt: skip

    # -- what GitHub shows ---------------------------------------------------------------
    def report_comments(self, number: int) -> list[CommentRecord]:
        return [
            item
            for item in self.fake.comments(REPO, number)
            if comment_key_of(item.body) == "pr-report"
        ]

    def audit_actions(self) -> list[str]:
        return [entry.event.action for entry in self.store.audit_log(REPO)]


def comment_action(outcome: PullRequestReportOutcome) -> str | None:
    return outcome.comment.action if outcome.comment is not None else None


def check_action(outcome: PullRequestReportOutcome) -> str | None:
    return outcome.check.action if outcome.check is not None else None


def running_pr_world(folder: Path) -> Iterator[PrWorld]:
    clock = HandClock()
    folder.mkdir(parents=True, exist_ok=True)
    tokens = {"t-app": APP_LOGIN, "t-user": USER_LOGIN}
    with FakeGitHub.running(clock=clock, tokens=tokens) as fake:
        fake.create_git_repo(REPO, PROJECT)
        store = open_store(f"sqlite:///{folder}/sheriff.db", upgrade=True, clock=clock)
        world = PrWorld(fake, store, folder, clock)
        try:
            yield world
        finally:
            for forge in world.forges:
                forge.close()
            store.close()
