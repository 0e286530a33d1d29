"""Wiring for ``sheriff scan`` and ``sheriff db``: settings → store, GitHub forge, progress,
then the scan use case; and what the scan prints."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sheriff.config import Settings
from sheriff.core.issues import IssueAction
from sheriff.core.repo_config import RepoSettings
from sheriff.errors import RETRYABLE_ERRORS, ConfigError, InputError

if TYPE_CHECKING:
    from sheriff.adapters.github import AppCredentials, GitHubForge, GitHubSettings
    from sheriff.adapters.store import Store
    from sheriff.app.scan import ScanReport
    from sheriff.app.scan_reruns import RerunSettings

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """Seconds in ``72h``, ``30m``, ``2d``, ``90s`` or ``3600``; at least a minute."""
    match = _DURATION.match(text.lower())
    if match is None:
        raise InputError(f"invalid interval {text!r}", hint="write it like 72h, 30m, 2d or 3600")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 60:
        raise InputError(f"interval {text!r} is under a minute", hint="scan at most once a minute")
    return seconds


def check_repo_name(value: str, flag: str) -> str:
    owner, slash, name = value.partition("/")
    if not (owner and slash and name) or "/" in name:
        raise InputError(f"{flag} {value!r} is not OWNER/NAME", hint=f"e.g. {flag} octo/app")
    return value


def database_url(settings: Settings) -> str:
    from sheriff.adapters.store import default_database_url

    return settings.db_url or default_database_url()


def open_scan_store(settings: Settings) -> Store:
    """The store, migrated on first use when it is the embedded SQLite default."""
    from sheriff.adapters.store import open_store

    url = database_url(settings)
    return open_store(url, upgrade=url.startswith("sqlite"))


def data_dir_of(settings: Settings) -> Path:
    if settings.data_dir is not None:
        return settings.data_dir
    from sheriff.adapters.store import default_database_path

    return default_database_path().parent


def open_forge(settings: Settings, repo: str, store: Store) -> GitHubForge:
    """The GitHub adapter for ``repo`` (issues in ``settings.write_repo`` when set)."""
    from sheriff.adapters.github import GitHubForge

    return GitHubForge(github_settings_of(settings, repo), store)


def github_settings_of(settings: Settings, repo: str) -> GitHubSettings:
    """Where and as whom Sheriff talks to GitHub for ``repo``: the tokens when set, else
    the GitHub App."""
    from sheriff.adapters.github import GitHubSettings, TokenCredentials

    read = TokenCredentials(settings.github_token) if settings.github_token else None
    write = TokenCredentials(settings.github_write_token) if settings.github_write_token else None
    return GitHubSettings(
        read_repo=repo,
        write_repo=settings.write_repo,
        api_url=settings.github_api_url,
        read_credentials=read or app_credentials_of(settings),
        write_credentials=write,
    )


def app_credentials_of(settings: Settings) -> AppCredentials | None:
    """The GitHub App's credentials, when an App id is set (its key read from disk)."""
    if settings.github_app_id is None:
        return None

    path = settings.github_app_private_key_path
    if path is None:
        raise ConfigError(
            "a GitHub App id is set without its private key",
            hint="set SHERIFF_GITHUB_APP_PRIVATE_KEY_PATH to the App's .pem file",
        )
    try:
        key = path.read_text()
    except OSError as error:
        raise ConfigError(
            f"cannot read the GitHub App private key {path}: {error.strerror}",
            hint="check SHERIFF_GITHUB_APP_PRIVATE_KEY_PATH",
        ) from error
    from sheriff.adapters.github import AppCredentials

    return AppCredentials(settings.github_app_id, key, settings.github_app_installation_id)


def rerun_settings_of(settings: Settings) -> RerunSettings:
    from sheriff.app.scan_reruns import RerunSettings

    return RerunSettings(enabled=settings.auto_rerun, hourly_cap=settings.rerun_hourly_cap)


def repo_settings_of(settings: Settings) -> RepoSettings:
    return RepoSettings(
        issue_kinds=settings.repo_issue_kinds,
        label_prefix=settings.label_prefix,
        flaky_threshold=settings.flaky_threshold,
    )


class RichProgress:
    """A progress bar on stderr (quiet when stderr is not a terminal)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("runs", total=None)

    def runs_found(self, count: int) -> None:
        self._progress.update(self._task, total=count, description=f"{count} runs to read")

    def run_done(self, label: str) -> None:
        self._progress.update(self._task, advance=1, description=label)

    def note(self, message: str) -> None:
        self._progress.console.print(f"sheriff: {message}", markup=False, highlight=False)


@contextmanager
def progress_display() -> Iterator[RichProgress]:
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        yield RichProgress(bar)


def render_report(report: ScanReport, *, dry_run: bool) -> str:
    """What a scan did (or, in a dry run, would do), one line per issue action."""
    lines = [
        f"{report.repo}: {report.runs_recorded} runs, {report.attempts_recorded} attempts, "
        f"{report.jobs_triaged} failed jobs triaged, {report.logs_expired} expired logs"
        + (f", {report.logs_failed} logs not downloaded" if report.logs_failed else "")
    ]
    lines += [f"config {problem.describe()}" for problem in report.config_problems]
    prefix = "would " if dry_run else ""
    quiet = (IssueAction.NOT_FILED, IssueAction.UNCHANGED)
    planned = report.issues
    if dry_run:  # each run re-plans the same case: its last plan used all the evidence
        planned = list({item.plan.fingerprint: item for item in report.issues}.values())
    shown = [item for item in planned if item.plan.action not in quiet]
    lines += list(dict.fromkeys(f"{prefix}{item.description}" for item in shown))
    lines += _rerun_lines(report, dry_run=dry_run)
    counted = len(planned) - len(shown)
    if counted:
        lines.append(
            f"{counted} case updates recorded without an issue change (policy or up to date)"
        )
    if report.more_runs_waiting:
        lines.append("more runs are waiting: the next scan continues from here")
    return "\n".join(lines) + "\n"


def _rerun_lines(report: ScanReport, *, dry_run: bool) -> list[str]:
    """Re-runs asked (or, dry, every decision with its reason) and re-run outcomes; a real
    scan counts its refusals (each is in the audit log with its reason)."""
    taken = [plan for plan in report.reruns if plan.decision.rerun]
    refused = [plan for plan in report.reruns if not plan.decision.rerun]
    prefix = "would " if dry_run else ""
    lines = [f"{prefix}{plan.description}" for plan in taken]
    if dry_run:
        lines += [plan.description for plan in refused]
    elif refused:
        lines.append(f"{len(refused)} failed runs not re-run (reasons in the audit log)")
    return lines + report.rerun_outcomes


@dataclass(frozen=True, slots=True)
class Loop:
    """Scan once, or every ``interval`` seconds; a repeating scan outlives a GitHub outage,
    a spent rate limit or a database that is busy or away (it tries again next time), not
    other errors."""

    interval: int | None
    sleep: Callable[[float], None] = time.sleep

    def run(self, scan_once: Callable[[], None]) -> None:
        if self.interval is None:
            scan_once()
            return
        while True:
            try:
                scan_once()
            except RETRYABLE_ERRORS as error:  # the same failures a worker retries
                sys.stderr.write(f"sheriff: {error}; trying again in {self.interval}s\n")
            sys.stderr.flush()
            self.sleep(self.interval)


def run_demo_scan(write: Callable[[str], object]) -> None:
    """Start the fake GitHub (demo seed of real logs) on loopback, scan every repository in
    it into a temporary SQLite store, and print the issues Sheriff opened: no network."""
    import json
    import tempfile

    from sheriff.adapters.github import GitHubForge, GitHubSettings, TokenCredentials
    from sheriff.adapters.logfiles import FileLogReader
    from sheriff.adapters.store import open_store
    from sheriff.app.scan import ScanRequest, scan_repository
    from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

    repos = [item["full_name"] for item in json.loads((DEMO_SEED / "repos.json").read_text())]
    with (
        tempfile.TemporaryDirectory(prefix="sheriff-demo-") as folder,
        FakeGitHub.running(DEMO_SEED) as fake,
    ):
        store = open_store(f"sqlite:///{Path(folder) / 'sheriff.db'}", upgrade=True)
        try:
            for repo in repos:
                request = ScanRequest(data_dir=Path(folder))
                github = GitHubSettings(  # the fake takes any token as sheriff-bot
                    repo, api_url=fake.url, read_credentials=TokenCredentials("demo")
                )
                with GitHubForge(github, store) as forge:
                    report = scan_repository(request, forge, store, FileLogReader())
                write(render_report(report, dry_run=False))
                for issue in fake.issues(repo):
                    if issue.user == "sheriff-bot":
                        labels = ", ".join(issue.labels)
                        write(f"  #{issue.number} {issue.title}  [{labels}]\n")
        finally:
            store.close()
