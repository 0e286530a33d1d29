"""A world for the case lifecycle, end to end: the fake GitHub over real HTTP with a real
bare git repository holding a small project with a flaky test, Sheriff's real GitHub
adapter, a SQLite store, real git mirrors and worktrees running the real pytest, and a
clock the test moves by hand (the fake, the store and reconcile all read it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic_ai.models import Model

from sheriff.adapters.git import GitOptions, GitWorkspaces, WorktreeSlots
from sheriff.adapters.github import GitHubForge, GitHubSettings, Retrier, TokenCredentials
from sheriff.adapters.llm import PriceRef, PydanticLLM
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.case_context import ReconcileRequest
from sheriff.app.ports import CaseState
from sheriff.app.reconcile import ReconcileReport, reconcile_repository
from sheriff.app.scan import ScanReport, ScanRequest, scan_repository
from sheriff.app.workspace import SourceMirror
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.repo_config import RepoSettings
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.records import CommentRecord
from sheriff.testing.flaky_project import (
    SeededRepository,
    failing_log,
    seed_flaky_repository,
    shop_test_command,
)

REPO = "acme/shop"
SHERIFF = "sheriff-bot"
MAINTAINER = "ada"
OUTSIDER = "mallory"
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PRICED = PriceRef("claude-sonnet-4-5", provider_id="anthropic")  # scripted, priced as this
_LOG: list[bytes] = []


def flaky_log() -> bytes:
    """The real failing pytest log (made once per test session)."""
    if not _LOG:
        _LOG.append(failing_log())
    return _LOG[0]


class HandClock:
    """Now, as the test says: moved by ``advance`` only."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class LifecycleWorld:
    fake: FakeGitHub
    store: Store
    folder: Path
    clock: HandClock
    seeded: SeededRepository
    forge: GitHubForge
    slots: int = 2
    wait_seconds: float = 5.0
    model: Model | None = None
    verify_runs: int = 2
    requests: list[ReconcileRequest] = field(default_factory=list)

    # -- Sheriff -------------------------------------------------------------------------
    def scan(self) -> ScanReport:
        request = ScanRequest(self.folder / "data", RepoSettings(), clock=self.clock)
        return scan_repository(request, self.forge, self.store, FileLogReader(1 << 20))

    def workspaces(self, test_command: str | None = None) -> GitWorkspaces:
        options = GitOptions(
            bot_name="sheriff[bot]",
            bot_email="sheriff@example.org",
            git_timeout=60,
            test_command=test_command or shop_test_command(),
            test_timeout=120,
        )
        pool = WorktreeSlots(
            self.folder / "sheriff" / "worktrees",
            self.slots,
            wait_seconds=self.wait_seconds,
            poll_seconds=0.01,
        )
        return GitWorkspaces(self.folder / "sheriff", pool, options)

    def reconcile(self, *, dry_run: bool = False, **options: Any) -> ReconcileReport:
        workspaces = self.workspaces(options.pop("test_command", None))

        def mirrors(repo: str, url: str) -> SourceMirror:
            return workspaces.mirror(repo, url)

        request = ReconcileRequest(
            dry_run=dry_run,
            verify_runs=options.pop("verify_runs", self.verify_runs),
            test_command=True,
            clock=self.clock,
            **options,
        )
        self.requests.append(request)
        llm = PydanticLLM(self.model, PRICED) if self.model else None
        return reconcile_repository(request, self.forge, self.store, llm=llm, mirrors=mirrors)

    # -- people and CI -------------------------------------------------------------------
    def issue_number(self) -> int:
        issues = [item for item in self.fake.issues(REPO) if item.user == SHERIFF]
        assert len(issues) == 1, [item.title for item in issues]
        return issues[0].number

    def comment(self, user: str, body: str) -> CommentRecord:
        self.clock.advance(minutes=5)
        return self.fake.comment_as(REPO, self.issue_number(), user, body)

    def sheriff_comments(self, number: int | None = None) -> list[CommentRecord]:
        return [
            item
            for item in self.fake.comments(REPO, number or self.issue_number())
            if item.user == SHERIFF
        ]

    def comment_keys(self, number: int | None = None) -> list[str]:
        return [comment_key_of(item.body) or "" for item in self.sheriff_comments(number)]

    def state(self) -> str:
        cases = [
            case for case in self.store.cases_in_state(REPO, list(CaseState)) if case.test_name
        ]
        assert len(cases) == 1
        return cases[0].state.value

    def fingerprint(self) -> str:
        cases = [
            case for case in self.store.cases_in_state(REPO, list(CaseState)) if case.test_name
        ]
        return cases[0].fingerprint

    def snapshot(self) -> tuple[object, ...]:
        """Everything Sheriff can create on GitHub, to compare before and after a rerun."""
        pulls = [(p.number, p.head_ref, p.head_sha, p.merged_at) for p in self.fake.pulls(REPO)]
        comments = [
            (issue.number, len(self.fake.comments(REPO, issue.number)))
            for issue in self.fake.issues(REPO, pulls=True)
        ]
        bodies = [(issue.number, issue.body, issue.state) for issue in self.fake.issues(REPO)]
        return (
            tuple(pulls),
            tuple(comments),
            tuple(bodies),
            tuple(sorted(self.fake.git(REPO).branches().items())),
        )


def running_lifecycle_world(folder: Path, **options: Any) -> Iterator[LifecycleWorld]:
    clock = HandClock()
    folder.mkdir(parents=True, exist_ok=True)
    with FakeGitHub.running(clock=clock) as fake:
        seeded = seed_flaky_repository(fake, REPO, flaky_log(), folder, at=clock())
        clock.advance(hours=1)
        store = open_store(f"sqlite:///{folder}/sheriff.db", upgrade=True, clock=clock)
        settings = GitHubSettings(
            REPO, api_url=fake.url, read_credentials=TokenCredentials("sheriff-token")
        )
        retrier = Retrier(settings.retry, sleep=lambda _seconds: None, jitter=lambda: 0.5)
        forge = GitHubForge(settings, None, retrier=retrier)
        fake.set_permission(REPO, MAINTAINER, "maintain")
        fake.set_permission(REPO, OUTSIDER, "read")
        try:
            yield LifecycleWorld(fake, store, folder, clock, seeded, forge, **options)
        finally:
            forge.close()
            store.close()
