"""GitHub's pull request, review, check and issue event payloads read into the Forge's
records (``sheriff.app.forge_pulls``)."""

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
    text,
)
from sheriff.adapters.github.payloads import label_names
from sheriff.app.forge_pulls import (
    CheckRun,
    CombinedStatus,
    CommitStatus,
    IssueEvent,
    PullRequest,
    PullRequestFile,
    Review,
    ReviewComment,
)


def pull_request_from(payload: Any) -> PullRequest:
    data = obj(payload, "pull request")
    head, base = obj(data.get("head"), "head"), obj(data.get("base"), "base")
    return PullRequest(
        number=integer(data, "number"),
        title=text(data, "title"),
        body=optional_text(data, "body") or "",
        state=text(data, "state"),
        draft=flag(data, "draft"),
        merged=flag(data, "merged") or data.get("merged_at") is not None,
        head_ref=text(head, "ref"),
        head_sha=text(head, "sha"),
        base_ref=text(base, "ref"),
        base_sha=text(base, "sha"),
        author=login_of(data, "user"),
        author_is_bot=is_bot(data, "user"),
        html_url=optional_text(data, "html_url"),
        labels=label_names(data.get("labels")),
        mergeable=data.get("mergeable") if isinstance(data.get("mergeable"), bool) else None,
        mergeable_state=optional_text(data, "mergeable_state"),
        merge_commit_sha=optional_text(data, "merge_commit_sha"),
        merged_by=login_of(data, "merged_by"),
        created_at=optional_timestamp(data, "created_at"),
        updated_at=optional_timestamp(data, "updated_at"),
        closed_at=optional_timestamp(data, "closed_at"),
        merged_at=optional_timestamp(data, "merged_at"),
    )


def pull_request_file_from(payload: Any) -> PullRequestFile:
    data = obj(payload, "pull request file")
    return PullRequestFile(
        filename=text(data, "filename"),
        status=optional_text(data, "status") or "modified",
        additions=optional_integer(data, "additions") or 0,
        deletions=optional_integer(data, "deletions") or 0,
        patch=optional_text(data, "patch"),
    )


def review_from(payload: Any) -> Review:
    data = obj(payload, "review")
    return Review(
        review_id=integer(data, "id"),
        state=text(data, "state"),
        body=optional_text(data, "body") or "",
        author=login_of(data, "user"),
        author_is_bot=is_bot(data, "user"),
        commit_id=optional_text(data, "commit_id"),
        submitted_at=optional_timestamp(data, "submitted_at"),
        html_url=optional_text(data, "html_url"),
    )


def review_comment_from(payload: Any) -> ReviewComment:
    data = obj(payload, "review comment")
    return ReviewComment(
        comment_id=integer(data, "id"),
        body=optional_text(data, "body") or "",
        path=text(data, "path"),
        line=optional_integer(data, "line"),
        author=login_of(data, "user"),
        author_is_bot=is_bot(data, "user"),
        commit_id=optional_text(data, "commit_id"),
        in_reply_to=optional_integer(data, "in_reply_to_id"),
        review_id=optional_integer(data, "pull_request_review_id"),
        created_at=optional_timestamp(data, "created_at"),
        updated_at=optional_timestamp(data, "updated_at"),
        html_url=optional_text(data, "html_url"),
    )


def check_run_from(payload: Any) -> CheckRun:
    data = obj(payload, "check run")
    app, suite, output = data.get("app"), data.get("check_suite"), data.get("output")
    return CheckRun(
        check_run_id=integer(data, "id"),
        name=text(data, "name"),
        head_sha=text(data, "head_sha"),
        status=text(data, "status"),
        conclusion=optional_text(data, "conclusion"),
        details_url=optional_text(data, "details_url"),
        html_url=optional_text(data, "html_url"),
        app=optional_text(app, "slug") if isinstance(app, dict) else None,
        check_suite_id=optional_integer(suite, "id") if isinstance(suite, dict) else None,
        started_at=optional_timestamp(data, "started_at"),
        completed_at=optional_timestamp(data, "completed_at"),
        title=optional_text(output, "title") if isinstance(output, dict) else None,
        summary=optional_text(output, "summary") if isinstance(output, dict) else None,
    )


def combined_status_from(payload: Any) -> CombinedStatus:
    data = obj(payload, "combined status")
    statuses = tuple(
        CommitStatus(
            context=optional_text(item, "context") or "default",
            state=text(item, "state"),
            description=optional_text(item, "description"),
            target_url=optional_text(item, "target_url"),
            creator=login_of(item, "creator"),
            updated_at=optional_timestamp(item, "updated_at"),
        )
        for item in objects(data, "statuses")
    )
    return CombinedStatus(sha=text(data, "sha"), state=text(data, "state"), statuses=statuses)


def issue_event_from(payload: Any) -> IssueEvent:
    data = obj(payload, "issue event")
    label = data.get("label")
    return IssueEvent(
        event_id=integer(data, "id"),
        event=text(data, "event"),
        actor=login_of(data, "actor"),
        actor_is_bot=is_bot(data, "actor"),
        created_at=optional_timestamp(data, "created_at"),
        label=optional_text(label, "name") if isinstance(label, dict) else None,
        commit_id=optional_text(data, "commit_id"),
    )
