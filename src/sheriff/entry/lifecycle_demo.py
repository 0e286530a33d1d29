"""``sheriff demo``'s second part: a failure case's whole lifecycle, offline.

In a fresh temporary directory: the fake GitHub on loopback with a real git repository
holding a small project whose test is flaky, two CI runs that failed on it (their log is
made by running the real pytest), a SQLite store and git mirrors. Sheriff scans, analyses,
ignores an ``/ai-fix`` from someone without write access, follows a maintainer's, opens a
draft pull request with a verified quarantine patch, and closes the issue once the
maintainer merges it; every step is printed as it happens. Without an LLM configured the
analysis is deterministic and the fix a quarantine; with one, Sheriff uses it.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sheriff.adapters.github import GitHubForge, GitHubSettings, TokenCredentials
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.reconcile import reconcile_repository
from sheriff.app.scan import ScanRequest, scan_repository
from sheriff.config import Settings, load_settings
from sheriff.entry.reconcile_command import configured_llm, mirror_opener, reconcile_request_of
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.flaky_project import (
    TEST_FILE,
    failing_log,
    seed_flaky_repository,
    shop_test_command,
)

Write = Callable[[str], object]
REPO = "acme/shop"
MAINTAINER, OUTSIDER = "ada", "mallory"


def print_lifecycle_demo(stream: TextIO) -> None:
    """The demo on ``stream``, with Sheriff's settings (an LLM, if one is configured)."""

    def write(text: str) -> None:
        stream.write(text)
        stream.flush()

    write("\n-- the lifecycle of a flaky test's case, on a fake GitHub and a real git repo --\n")
    run_lifecycle_demo(write, load_settings())


def run_lifecycle_demo(write: Write, settings: Settings) -> None:
    """The demo, printing to ``write`` as it goes (module docstring)."""
    write("Running the real pytest on a small project until its flaky test fails...\n")
    log = failing_log()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sheriff-demo-")))
        fake = stack.enter_context(FakeGitHub.running())
        seed_flaky_repository(fake, REPO, log, folder, at=datetime.now(UTC) - timedelta(hours=3))
        fake.set_permission(REPO, MAINTAINER, "maintain")
        fake.set_permission(REPO, OUTSIDER, "read")
        store = open_store(f"sqlite:///{folder / 'sheriff.db'}", upgrade=True)
        stack.callback(store.close)
        github = GitHubSettings(REPO, api_url=fake.url, read_credentials=TokenCredentials("demo"))
        forge = stack.enter_context(GitHubForge(github, store))
        demo = _Demo(write, fake, forge, store, _demo_settings(settings, folder))
        write(f"{REPO}: CI failed twice on main in {TEST_FILE} (a flaky test)\n")
        demo.scan()
        demo.reconcile("Sheriff reconciles the case")
        demo.person(OUTSIDER, "read", "/ai-fix")
        demo.reconcile("Sheriff reconciles: the command is refused")
        demo.person(MAINTAINER, "maintain", "This keeps failing on main.\n/ai-fix quarantine")
        demo.reconcile("Sheriff reconciles: approved, fixing")
        demo.show_pull_request(TEST_FILE)
        demo.merge()
        demo.reconcile("Sheriff reconciles: merged")
        demo.closing()


def _demo_settings(settings: Settings, folder: Path) -> Settings:
    """Everything under the demo's folder; fixes verified when pytest is installed."""
    has_pytest = importlib.util.find_spec("pytest") is not None
    return settings.model_copy(
        update={
            "data_dir": folder / "data",
            "workspace_dir": folder / "workspaces",
            "test_command": shop_test_command() if has_pytest else None,
            "verify_runs": 3,
            "workspace_wait_seconds": 30,
        }
    )


class _Demo:
    """The people and CI around Sheriff in the demo, and what it prints."""

    def __init__(
        self, write: Write, fake: FakeGitHub, forge: GitHubForge, store: Store, settings: Settings
    ) -> None:
        self.write, self.fake, self.forge, self.store = write, fake, forge, store
        self.settings = settings
        self.llm = configured_llm(settings)
        self.seen: set[int] = set()

    def scan(self) -> None:
        request = ScanRequest(data_dir=self.settings.data_dir or Path("."))
        scan_repository(request, self.forge, self.store, FileLogReader())
        for issue in self.fake.issues(REPO):
            self.write(f"  issue opened: #{issue.number} {issue.title}\n")

    def reconcile(self, title: str) -> None:
        self.write(f"{title}:\n")
        report = reconcile_repository(
            reconcile_request_of(self.settings, dry_run=False),
            self.forge,
            self.store,
            llm=self.llm,
            mirrors=mirror_opener(self.settings),
            listener=self._step,
        )
        for case in report.cases:
            for problem in case.problems:
                self.write(f"  ! {problem}\n")
        self._new_comments()

    def _step(self, _fingerprint: str, step: str) -> None:
        self.write(f"  {step}\n")

    def person(self, login: str, role: str, body: str) -> None:
        shown = body.replace("\n", " / ")
        self.write(f"@{login} ({role} permission) comments on #1: {shown!r}\n")
        self.fake.comment_as(REPO, 1, login, body)

    def _new_comments(self) -> None:
        for comment in self.fake.comments(REPO, 1):
            if comment.id in self.seen or comment.user != "sheriff-bot":
                continue
            self.seen.add(comment.id)
            lines = [line for line in comment.body.splitlines()[1:] if line.strip()]
            self.write(f"  sheriff commented on #1: {lines[0][:110] if lines else ''}\n")

    def show_pull_request(self, test_file: str) -> None:
        for pull in self.fake.pulls(REPO):
            patched = self.fake.git(REPO).run("show", f"{pull.head_ref}:{test_file}")
            skip = next((line for line in patched.splitlines() if "skip" in line), "")
            self.write(f"  pull request #{pull.number} ({pull.head_ref}, draft): {skip.strip()}\n")

    def merge(self) -> None:
        for pull in self.fake.pulls(REPO):
            self.write(f"@{MAINTAINER} marks #{pull.number} ready for review and merges it\n")
            self.fake.set_draft(REPO, pull.number, False, MAINTAINER)
            self.fake.merge_as(REPO, pull.number, MAINTAINER)

    def closing(self) -> None:
        issue = self.fake.issue(REPO, 1)
        self.write(f"Issue #1 is {issue.state} ({issue.state_reason}); the case is MERGED.\n")
