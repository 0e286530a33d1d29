"""Changes to issues, comments and labels, with GitHub's rules and 422s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheriff.testing.fakegithub.api_errors import ApiError, not_found, validation_failed
from sheriff.testing.fakegithub.records import (
    CommentRecord,
    IssueRecord,
    LabelRecord,
    RepoRecord,
)
from sheriff.testing.fakegithub.records_pulls import IssueEventRecord

if TYPE_CHECKING:
    from sheriff.testing.fakegithub.world import World

CLOSE_REASONS = ("completed", "not_planned", "duplicate")
DEFAULT_LABEL_COLOR = "ededed"


def ensure_label(world: World, repo: RepoRecord, name: str) -> LabelRecord:
    """The repository's label ``name`` (any case), created grey if it is new, like GitHub."""
    found = repo.label(name)
    if found is None:
        found = LabelRecord(world.next_id("label"), name, DEFAULT_LABEL_COLOR, None)
        repo.labels[name.lower()] = found
    return found


def create_label(
    world: World, repo: RepoRecord, name: str, color: str, description: str | None
) -> LabelRecord:
    if not name.strip():
        raise validation_failed("Label", "name", "missing_field")
    if repo.label(name) is not None:
        raise validation_failed("Label", "name", "already_exists")
    label = LabelRecord(
        world.next_id("label"), name, color.lstrip("#").lower() or DEFAULT_LABEL_COLOR, description
    )
    repo.labels[name.lower()] = label
    return label


def find_issue(repo: RepoRecord, number: int) -> IssueRecord:
    issue = repo.issues.get(number)
    if issue is None:
        raise not_found()
    return issue


def create_issue(world: World, repo: RepoRecord, user: str, fields: dict[str, Any]) -> IssueRecord:
    title = fields.get("title")
    if not isinstance(title, str | int) or not str(title).strip():
        raise validation_failed("Issue", "title", "missing_field")
    now = world.clock()
    issue = IssueRecord(
        id=world.next_id("issue"),
        number=repo.next_issue_number(),
        title=str(title),
        body=_optional_text(fields, "body"),
        user=user,
        created_at=now,
        updated_at=now,
    )
    relabel(world, issue, _label_names(world, repo, fields.get("labels") or []), user)
    repo.issues[issue.number] = issue
    return issue


def update_issue(
    world: World, repo: RepoRecord, issue: IssueRecord, user: str, fields: dict[str, Any]
) -> IssueRecord:
    if "title" in fields:
        title = fields["title"]
        if not isinstance(title, str) or not title.strip():
            raise validation_failed("Issue", "title", "missing_field")
        issue.title = title
    if "body" in fields:
        issue.body = _optional_text(fields, "body")
    if "labels" in fields:
        relabel(world, issue, _label_names(world, repo, fields["labels"] or []), user)
    _change_state(issue, user, fields, world)
    issue.updated_at = world.clock()
    return issue


def _change_state(issue: IssueRecord, user: str, fields: dict[str, Any], world: World) -> None:
    state, reason = fields.get("state"), fields.get("state_reason")
    if state not in {None, "open", "closed"}:
        raise validation_failed("Issue", "state", "invalid")
    if reason not in {None, *CLOSE_REASONS, "reopened"}:
        raise validation_failed("Issue", "state_reason", "invalid")
    if state == "closed" or (state is None and issue.state == "closed" and reason):
        if reason == "reopened":
            raise validation_failed(
                "Issue", "state_reason", "invalid", "state_reason 'reopened' needs state 'open'"
            )
        closing = None if issue.is_pull_request else reason or "completed"  # PRs: no reason
        if issue.state != "closed":
            issue.closed_at, issue.closed_by = world.clock(), user
            record_event(world, issue, "closed", user, state_reason=closing)
        issue.state, issue.state_reason = "closed", closing
    elif state == "open" and issue.state == "closed":
        issue.state = "open"
        issue.state_reason = None if issue.is_pull_request else "reopened"
        issue.closed_at = issue.closed_by = None
        record_event(world, issue, "reopened", user)


def add_labels(
    world: World, repo: RepoRecord, issue: IssueRecord, names: list[Any], actor: str
) -> None:
    wanted = _label_names(world, repo, names)
    have = {name.lower() for name in issue.labels}
    relabel(world, issue, [*issue.labels, *(n for n in wanted if n.lower() not in have)], actor)
    issue.updated_at = world.clock()


def set_labels(
    world: World, repo: RepoRecord, issue: IssueRecord, names: list[Any], actor: str
) -> None:
    relabel(world, issue, _label_names(world, repo, names), actor)
    issue.updated_at = world.clock()


def remove_label(world: World, issue: IssueRecord, name: str, actor: str) -> None:
    kept = [label for label in issue.labels if label.lower() != name.lower()]
    if len(kept) == len(issue.labels):
        raise ApiError(404, "Label does not exist")
    relabel(world, issue, kept, actor)
    issue.updated_at = world.clock()


def relabel(world: World, issue: IssueRecord, labels: list[str], actor: str) -> None:
    """Give ``issue`` exactly ``labels`` (sorted), recording who added and removed which."""
    before = {name.lower(): name for name in issue.labels}
    after = {name.lower(): name for name in labels}
    for key, name in before.items():
        if key not in after:
            record_event(world, issue, "unlabeled", actor, label=name)
    for key, name in after.items():
        if key not in before:
            record_event(world, issue, "labeled", actor, label=name)
    issue.labels = sorted(after.values(), key=str.lower)


def record_event(
    world: World,
    issue: IssueRecord,
    event: str,
    actor: str,
    *,
    label: str | None = None,
    commit_id: str | None = None,
    state_reason: str | None = None,
) -> IssueEventRecord:
    """Add an entry to the issue's events (``GET /issues/{n}/events``)."""
    entry = IssueEventRecord(
        world.next_id("event"), event, actor, world.clock(), label, commit_id, state_reason
    )
    issue.events.append(entry)
    return entry


def add_comment(world: World, issue: IssueRecord, user: str, body: Any) -> CommentRecord:
    if not isinstance(body, str) or not body.strip():
        raise validation_failed("IssueComment", "body", "missing_field")
    now = world.clock()
    comment = CommentRecord(world.next_id("comment"), issue.number, body, user, now, now)
    issue.comments.append(comment)
    issue.updated_at = now
    return comment


def find_comment(repo: RepoRecord, comment_id: int) -> tuple[IssueRecord, CommentRecord]:
    for issue in repo.issues.values():
        for comment in issue.comments:
            if comment.id == comment_id:
                return issue, comment
    raise not_found()


def update_comment(world: World, comment: CommentRecord, body: Any) -> None:
    if not isinstance(body, str) or not body.strip():
        raise validation_failed("IssueComment", "body", "missing_field")
    comment.body = body
    comment.updated_at = world.clock()


def _optional_text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise validation_failed("Issue", name, "invalid")
    return value


def _label_names(world: World, repo: RepoRecord, names: list[Any]) -> list[str]:
    """Labels as given by name (or ``{"name": ...}``), created when missing, sorted, unique."""
    if not isinstance(names, list):
        raise validation_failed("Issue", "labels", "invalid")
    found: dict[str, str] = {}
    for item in names:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            raise validation_failed("Label", "name", "invalid")
        label = ensure_label(world, repo, name)
        found[label.name.lower()] = label.name
    return sorted(found.values(), key=str.lower)
