"""GitHub's JSON payloads read into the Forge's plain records."""

from __future__ import annotations

from typing import Any

from sheriff.adapters.github.payload_fields import (
    flag,
    integer,
    is_bot,
    login_of,
    obj,
    objects,
    optional_integer,
    optional_text,
    optional_timestamp,
    strings,
    text,
    timestamp,
)
from sheriff.app.forge import (
    Artifact,
    ForgeRepository,
    Issue,
    IssueComment,
    JobStep,
    Permission,
    WorkflowJob,
    WorkflowRun,
)

RUNNER_OS_BY_LABEL_PREFIX = (
    ("ubuntu", "Linux"),
    ("linux", "Linux"),
    ("windows", "Windows"),
    ("win", "Windows"),
    ("macos", "macOS"),
    ("osx", "macOS"),
)


def repository_from(payload: Any) -> ForgeRepository:
    data = obj(payload, "repository")
    return ForgeRepository(
        full_name=text(data, "full_name"),
        default_branch=text(data, "default_branch"),
        html_url=optional_text(data, "html_url"),
        private=flag(data, "private"),
        archived=flag(data, "archived"),
        clone_url=optional_text(data, "clone_url"),
    )


def run_from(payload: Any) -> WorkflowRun:
    data = obj(payload, "workflow run")
    return WorkflowRun(
        run_id=integer(data, "id"),
        attempt=optional_integer(data, "run_attempt") or 1,
        workflow=optional_text(data, "name") or optional_text(data, "path") or "",
        workflow_path=optional_text(data, "path"),
        workflow_id=optional_integer(data, "workflow_id"),
        run_number=optional_integer(data, "run_number"),
        head_sha=text(data, "head_sha"),
        head_branch=optional_text(data, "head_branch"),
        event=text(data, "event"),
        status=optional_text(data, "status"),
        conclusion=optional_text(data, "conclusion"),
        created_at=timestamp(data, "created_at"),
        started_at=optional_timestamp(data, "run_started_at"),
        updated_at=optional_timestamp(data, "updated_at"),
        pull_requests=tuple(
            number
            for pull in objects(data, "pull_requests")
            if (number := optional_integer(pull, "number")) is not None
        ),
        actor=login_of(data, "actor"),
        triggering_actor=login_of(data, "triggering_actor"),
        display_title=optional_text(data, "display_title"),
        html_url=optional_text(data, "html_url"),
    )


def job_from(payload: Any) -> WorkflowJob:
    data = obj(payload, "job")
    labels = strings(data, "labels")
    return WorkflowJob(
        job_id=integer(data, "id"),
        run_id=integer(data, "run_id"),
        attempt=optional_integer(data, "run_attempt") or 1,
        name=text(data, "name"),
        status=optional_text(data, "status"),
        conclusion=optional_text(data, "conclusion"),
        runner_os=runner_os_of(labels),
        runner_labels=labels,
        runner_name=optional_text(data, "runner_name"),
        started_at=optional_timestamp(data, "started_at"),
        completed_at=optional_timestamp(data, "completed_at"),
        steps=tuple(_step_from(step) for step in objects(data, "steps")),
        html_url=optional_text(data, "html_url"),
    )


def _step_from(data: dict[str, Any]) -> JobStep:
    return JobStep(
        number=optional_integer(data, "number") or 0,
        name=optional_text(data, "name") or "",
        status=optional_text(data, "status"),
        conclusion=optional_text(data, "conclusion"),
        started_at=optional_timestamp(data, "started_at"),
        completed_at=optional_timestamp(data, "completed_at"),
    )


def runner_os_of(labels: tuple[str, ...]) -> str | None:
    """Linux / Windows / macOS from labels such as ``ubuntu-latest`` or ``self-hosted, Linux``."""
    for label in labels:
        lowered = label.lower()
        for prefix, name in RUNNER_OS_BY_LABEL_PREFIX:
            if lowered.startswith(prefix):
                return name
    return None


def artifact_from(payload: Any) -> Artifact:
    data = obj(payload, "artifact")
    run = data.get("workflow_run")
    return Artifact(
        artifact_id=integer(data, "id"),
        name=text(data, "name"),
        size_in_bytes=optional_integer(data, "size_in_bytes") or 0,
        expired=flag(data, "expired"),
        run_id=optional_integer(run, "id") if isinstance(run, dict) else None,
        created_at=optional_timestamp(data, "created_at"),
    )


def issue_from(payload: Any) -> Issue:
    data = obj(payload, "issue")
    return Issue(
        number=integer(data, "number"),
        title=text(data, "title"),
        body=optional_text(data, "body") or "",
        state=text(data, "state"),
        state_reason=optional_text(data, "state_reason"),
        labels=label_names(data.get("labels")),
        author=login_of(data, "user"),
        html_url=optional_text(data, "html_url"),
        created_at=optional_timestamp(data, "created_at"),
        updated_at=optional_timestamp(data, "updated_at"),
        closed_at=optional_timestamp(data, "closed_at"),
        comment_count=optional_integer(data, "comments") or 0,
        is_pull_request="pull_request" in data,
        author_is_bot=is_bot(data, "user"),
    )


def label_names(payload: Any) -> tuple[str, ...]:
    """Label names from a list of label objects (or of plain names)."""
    if not isinstance(payload, list):
        return ()
    names = [item.get("name") if isinstance(item, dict) else item for item in payload]
    return tuple(name for name in names if isinstance(name, str))


def comment_from(payload: Any) -> IssueComment:
    data = obj(payload, "comment")
    return IssueComment(
        comment_id=integer(data, "id"),
        body=optional_text(data, "body") or "",
        author=login_of(data, "user"),
        html_url=optional_text(data, "html_url"),
        created_at=optional_timestamp(data, "created_at"),
        updated_at=optional_timestamp(data, "updated_at"),
        author_is_bot=is_bot(data, "user"),
    )


ROLES = frozenset(role.value for role in Permission)


def permission_from(payload: Any) -> Permission:
    """``role_name`` (admin/maintain/write/triage/read), else the legacy ``permission``."""
    data = obj(payload, "permission")
    for key in ("role_name", "permission"):
        value = optional_text(data, key)
        if value in ROLES:
            return Permission(value)
    return Permission.NONE
