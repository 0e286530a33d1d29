"""Read a seed directory into a ``Seed``, reporting every problem with file, line and field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sheriff.testing.fakegithub.seed_check import check_cross_references
from sheriff.testing.fakegithub.seed_fields import Fields
from sheriff.testing.fakegithub.seed_model import (
    ISSUE_STATE_REASONS,
    JOB_CONCLUSIONS,
    PERMISSIONS,
    RUN_CONCLUSIONS,
    ArtifactSeed,
    CommentSeed,
    FaultSeed,
    IssueSeed,
    JobSeed,
    RepoSeed,
    RunAttemptSeed,
    Seed,
    SeedError,
    SeedProblem,
    StepSeed,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
RUN_KEYS = (
    "repo",
    "workflow",
    "run_id",
    "run_attempt",
    "head_sha",
    "head_branch",
    "event",
    "conclusion",
    "created_at",
    "pull_requests",
    "jobs",
    "workflow_path",
    "display_title",
    "actor",
    "artifacts",
)
JOB_KEYS = ("job_id", "name", "conclusion", "runner_os", "log", "logs_expired", "steps")
ISSUE_KEYS = (
    "repo",
    "number",
    "title",
    "body",
    "state",
    "state_reason",
    "labels",
    "user",
    "created_at",
    "comments",
)


def load_seed(root: Path) -> Seed:
    """The seed in ``root``; raises SeedError listing every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise SeedError(root, [SeedProblem(str(root), None, "", "is not a directory")])
    problems: list[SeedProblem] = []
    repos = tuple(_read_repos(root, problems))
    runs = tuple(_read_runs(root, problems))
    issues = tuple(_read_issues(root, problems))
    collaborators = _read_collaborators(root, problems)
    faults = tuple(_read_faults(root, problems))
    seed = Seed(root, repos, runs, issues, collaborators, faults)
    if not problems:
        check_cross_references(seed, problems)
    if problems:
        raise SeedError(root, problems)
    return seed


def _read_json(path: Path, problems: list[SeedProblem]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problems.append(SeedProblem(path.name, None, "", f"is not readable JSON: {error}"))
        return None


def _jsonl_objects(path: Path, problems: list[SeedProblem]) -> Iterator[Fields]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(SeedProblem(path.name, None, "", f"cannot be read: {error}"))
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as error:
            problems.append(SeedProblem(path.name, number, "", f"is not JSON: {error}"))
            continue
        if not isinstance(data, dict):
            problems.append(SeedProblem(path.name, number, "", "expected one JSON object"))
            continue
        yield Fields(data, file=path.name, line=number, problems=problems)


def _read_repos(root: Path, problems: list[SeedProblem]) -> Iterator[RepoSeed]:
    path = root / "repos.json"
    if not path.is_file():
        problems.append(
            SeedProblem(
                "repos.json",
                None,
                "",
                'is missing: add a list of {"full_name": "owner/name", "default_branch": "main"}',
            )
        )
        return
    data = _read_json(path, problems)
    if not isinstance(data, list):
        if data is not None:
            problems.append(SeedProblem("repos.json", None, "", "expected a JSON list"))
        return
    for index, item in enumerate(data):
        fields = Fields(
            item if isinstance(item, dict) else {},
            file="repos.json",
            line=None,
            problems=problems,
            prefix=f"[{index}].",
        )
        name = fields.text("full_name")
        if name and not FULL_NAME.match(name):
            fields.report("full_name", f"is {name!r}: expected owner/name")
        yield RepoSeed(name, fields.text("default_branch", default="main"))


def _read_runs(root: Path, problems: list[SeedProblem]) -> Iterator[RunAttemptSeed]:
    path = root / "runs.jsonl"
    if not path.is_file():
        return
    for fields in _jsonl_objects(path, problems):
        fields.unknown_keys(RUN_KEYS)
        yield RunAttemptSeed(
            repo=fields.text("repo"),
            workflow=fields.text("workflow"),
            run_id=fields.integer("run_id"),
            run_attempt=fields.integer("run_attempt"),
            head_sha=fields.text("head_sha"),
            head_branch=fields.text("head_branch"),
            event=fields.text("event"),
            conclusion=fields.choice("conclusion", RUN_CONCLUSIONS, nullable=True),
            created_at=fields.timestamp("created_at") or _EPOCH,
            pull_requests=fields.int_list("pull_requests"),
            jobs=tuple(_read_job(job, root) for job in fields.objects("jobs", required=True)),
            workflow_path=fields.text("workflow_path", default=""),
            display_title=fields.text("display_title", default=""),
            actor=fields.text("actor", default="octocat"),
            artifacts=tuple(_read_artifact(item, root) for item in fields.objects("artifacts")),
            line=fields.line or 0,
        )


def _read_job(fields: Fields, root: Path) -> JobSeed:
    fields.unknown_keys(JOB_KEYS)
    expired = fields.flag("logs_expired")
    return JobSeed(
        job_id=fields.integer("job_id"),
        name=fields.text("name"),
        conclusion=fields.choice("conclusion", JOB_CONCLUSIONS, nullable=True),
        runner_os=fields.text("runner_os"),
        log=fields.path_in("log", root, required=not expired),
        logs_expired=expired,
        steps=tuple(
            StepSeed(step.text("name"), step.choice("conclusion", JOB_CONCLUSIONS, nullable=True))
            for step in fields.objects("steps")
        ),
    )


def _read_artifact(fields: Fields, root: Path) -> ArtifactSeed:
    path = fields.path_in("path", root)
    return ArtifactSeed(fields.text("name"), path or root, fields.flag("expired"))


def _read_issues(root: Path, problems: list[SeedProblem]) -> Iterator[IssueSeed]:
    path = root / "issues.jsonl"
    if not path.is_file():
        return
    for fields in _jsonl_objects(path, problems):
        fields.unknown_keys(ISSUE_KEYS)
        yield IssueSeed(
            repo=fields.text("repo"),
            number=fields.integer("number"),
            title=fields.text("title"),
            body=fields.text("body", default=""),
            state=fields.choice("state", {"open", "closed"}, nullable=True) or "open",
            state_reason=fields.choice("state_reason", ISSUE_STATE_REASONS, nullable=True),
            labels=fields.text_list("labels"),
            user=fields.text("user"),
            created_at=fields.timestamp("created_at", required=False),
            comments=tuple(
                CommentSeed(
                    item.text("user"),
                    item.text("body"),
                    item.timestamp("created_at", required=False),
                )
                for item in fields.objects("comments")
            ),
            line=fields.line or 0,
        )


def _read_collaborators(root: Path, problems: list[SeedProblem]) -> dict[str, str]:
    path = root / "collaborators.json"
    if not path.is_file():
        return {}
    data = _read_json(path, problems)
    if not isinstance(data, dict):
        if data is not None:
            problems.append(SeedProblem(path.name, None, "", 'expected {"login": "permission"}'))
        return {}
    fields = Fields(data, file=path.name, line=None, problems=problems)
    return {login: fields.choice(login, PERMISSIONS) or "none" for login in data}


def _read_faults(root: Path, problems: list[SeedProblem]) -> Iterator[FaultSeed]:
    path = root / "faults.json"
    if not path.is_file():
        return
    data = _read_json(path, problems)
    if not isinstance(data, list):
        if data is not None:
            problems.append(SeedProblem(path.name, None, "", "expected a JSON list of faults"))
        return
    for index, item in enumerate(data):
        fields = Fields(
            item if isinstance(item, dict) else {},
            file=path.name,
            line=None,
            problems=problems,
            prefix=f"[{index}].",
        )
        yield read_fault(fields)


def read_fault(fields: Fields) -> FaultSeed:
    """One fault: ``{"path": regex, "status", "count", "method", "retry_after", "delay"}``."""
    fields.unknown_keys(("path", "status", "count", "method", "retry_after", "delay"))
    pattern = fields.text("path")
    try:
        re.compile(pattern)
    except re.error as error:
        fields.report("path", f"is not a regular expression: {error}")
    status = fields.data.get("status")
    if status is not None and status not in {403, 404, 410, 429, 500, 502, 503}:
        fields.report("status", f"is {status!r}: expected 403, 404, 410, 429, 500, 502 or 503")
    count = fields.data.get("count")
    return FaultSeed(
        path=pattern,
        status=status if isinstance(status, int) else None,
        count=fields.integer("count") if count is not None else None,
        method=fields.optional_text("method"),
        retry_after=int(fields.number("retry_after", default=60)),
        delay=fields.number("delay", default=0.0),
    )
