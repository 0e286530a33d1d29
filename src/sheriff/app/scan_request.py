"""What a scan is asked (``ScanRequest``), what it reports (``ScanReport``), how it shows
progress, and the context reading one run needs (``ScanContext``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sheriff.app.forge import Forge
from sheriff.app.ports import LogReader, Store
from sheriff.app.scan_issues import IssueTarget, PlannedIssue
from sheriff.app.scan_reruns import RerunPlan, RerunSettings
from sheriff.core.repo_config import ConfigProblem, RepoSettings


class ScanProgress(Protocol):
    """Told how a scan is going (a progress bar, a log, or nothing)."""

    def runs_found(self, count: int) -> None: ...

    def run_done(self, label: str) -> None: ...

    def note(self, message: str) -> None: ...


def wall_clock() -> datetime:
    return datetime.now(UTC)


class SilentProgress:
    def runs_found(self, count: int) -> None:
        pass

    def run_done(self, label: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """What to scan is the forge's ``read_repo``; issues go to its ``write_repo``."""

    data_dir: Path
    base_settings: RepoSettings = field(default_factory=RepoSettings)
    dry_run: bool = False
    max_runs: int = 200
    budget: int = 50
    reruns: RerunSettings = field(default_factory=RerunSettings)
    clock: Callable[[], datetime] = wall_clock  # re-run bounds and quarantine windows


@dataclass(slots=True)
class ScanReport:
    repo: str
    default_branch: str = ""
    runs_recorded: int = 0
    attempts_recorded: int = 0
    jobs_triaged: int = 0
    logs_expired: int = 0
    logs_failed: int = 0
    more_runs_waiting: bool = False
    config_problems: tuple[ConfigProblem, ...] = ()
    issues: list[PlannedIssue] = field(default_factory=list)
    reruns: list[RerunPlan] = field(default_factory=list)
    rerun_outcomes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What reading one run needs: where, the request, the ports, and whom to tell."""

    repo: str
    request: ScanRequest
    forge: Forge
    store: Store
    reader: LogReader
    target: IssueTarget
    login: str | None
    progress: ScanProgress
