"""What a seed directory describes, once it has been read and checked.

See ``README.md`` beside this file for the on-disk layout these records come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sheriff.errors import InputError

RUN_CONCLUSIONS = frozenset(
    {
        "success",
        "failure",
        "cancelled",
        "timed_out",
        "skipped",
        "neutral",
        "action_required",
        "startup_failure",
        "stale",
    }
)
JOB_CONCLUSIONS = frozenset(
    {"success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"}
)
PERMISSIONS = ("admin", "maintain", "write", "triage", "read", "none")
ISSUE_STATE_REASONS = frozenset({"completed", "not_planned", "reopened", "duplicate"})


@dataclass(frozen=True)
class StepSeed:
    name: str
    conclusion: str | None


@dataclass(frozen=True)
class JobSeed:
    job_id: int
    name: str
    conclusion: str | None
    runner_os: str
    log: Path | None
    logs_expired: bool = False
    steps: tuple[StepSeed, ...] = ()


@dataclass(frozen=True)
class ArtifactSeed:
    name: str
    path: Path
    expired: bool = False


@dataclass(frozen=True)
class RunAttemptSeed:
    repo: str
    workflow: str
    run_id: int
    run_attempt: int
    head_sha: str
    head_branch: str
    event: str
    conclusion: str | None
    created_at: datetime
    pull_requests: tuple[int, ...]
    jobs: tuple[JobSeed, ...]
    workflow_path: str = ""
    display_title: str = ""
    actor: str = "octocat"
    artifacts: tuple[ArtifactSeed, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class RepoSeed:
    full_name: str
    default_branch: str


@dataclass(frozen=True)
class CommentSeed:
    user: str
    body: str
    created_at: datetime | None


@dataclass(frozen=True)
class IssueSeed:
    repo: str
    number: int
    title: str
    body: str
    state: str
    state_reason: str | None
    labels: tuple[str, ...]
    user: str
    created_at: datetime | None
    comments: tuple[CommentSeed, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class FaultSeed:
    path: str
    status: int | None
    count: int | None
    method: str | None
    retry_after: int
    delay: float


@dataclass(frozen=True)
class Seed:
    """The whole of a seed directory; ``Seed.empty()`` is a world with nothing in it."""

    root: Path | None
    repos: tuple[RepoSeed, ...] = ()
    runs: tuple[RunAttemptSeed, ...] = ()
    issues: tuple[IssueSeed, ...] = ()
    collaborators: dict[str, str] = field(default_factory=dict)
    faults: tuple[FaultSeed, ...] = ()

    @classmethod
    def empty(cls) -> Seed:
        return cls(root=None)


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong in a seed directory, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        named = f" field '{self.field}'" if self.field else ""
        return f"{where}:{named} {self.problem}"


class SeedError(InputError):
    """A seed directory that cannot be served; ``problems`` lists every fault found."""

    def __init__(self, root: Path, problems: list[SeedProblem]) -> None:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"seed directory {root} has {len(problems)} problem(s):\n{listing}",
            hint="fix each file and field named above; the layout is documented in "
            "sheriff/testing/fakegithub/README.md",
        )
        self.root = root
        self.problems = tuple(problems)
