"""Issue, pull-request-as-issue, comment, label and search-result payloads."""

from __future__ import annotations

from urllib.parse import quote

from sheriff.testing.fakegithub.payload_common import JSON, Urls, iso, node_id, user_payload
from sheriff.testing.fakegithub.records import (
    CommentRecord,
    IssueRecord,
    LabelRecord,
    RepoRecord,
)

_REACTIONS = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")


def label_payload(repo: RepoRecord, label: LabelRecord, urls: Urls) -> JSON:
    return {
        "id": label.id,
        "node_id": node_id("Label", label.id),
        "url": urls.api_url(f"repos/{repo.full_name}/labels/{quote(label.name, safe='')}"),
        "name": label.name,
        "color": label.color,
        "default": label.default,
        "description": label.description,
        "archived_at": None,
        "archived_by": None,
    }


def issue_payload(repo: RepoRecord, issue: IssueRecord, role: str, urls: Urls) -> JSON:
    """An issue as ``GET /repos/{o}/{r}/issues/{n}`` returns it; PRs carry ``pull_request``."""
    base = urls.api_url(f"repos/{repo.full_name}/issues/{issue.number}")
    kind = "pull" if issue.is_pull_request else "issues"
    payload: JSON = {
        "url": base,
        "repository_url": urls.api_url(f"repos/{repo.full_name}"),
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": urls.html_url(f"{repo.full_name}/{kind}/{issue.number}"),
        "id": issue.id,
        "node_id": node_id("PullRequest" if issue.is_pull_request else "Issue", issue.id),
        "number": issue.number,
        "title": issue.title,
        "user": user_payload(issue.user, urls),
        "labels": [_issue_label(repo, name, urls) for name in issue.labels],
        "state": issue.state,
        "locked": issue.locked,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": len(issue.comments),
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at),
        "closed_by": user_payload(issue.closed_by, urls) if issue.closed_by else None,
        "author_association": association(role),
        "type": None,
        "active_lock_reason": None,
        "body": issue.body,
        "reactions": reactions(f"{base}/reactions"),
        "timeline_url": f"{base}/timeline",
        "performed_via_github_app": None,
        "state_reason": issue.state_reason,
    }
    if issue.is_pull_request:
        pulls = urls.api_url(f"repos/{repo.full_name}/pulls/{issue.number}")
        page = urls.html_url(f"{repo.full_name}/pull/{issue.number}")
        pull = repo.pulls.get(issue.number)
        payload["draft"] = pull.draft if pull else False
        payload["pull_request"] = {
            "url": pulls,
            "html_url": page,
            "diff_url": f"{page}.diff",
            "patch_url": f"{page}.patch",
            "merged_at": iso(pull.merged_at) if pull else None,
        }
    return payload


def _issue_label(repo: RepoRecord, name: str, urls: Urls) -> JSON:
    label = repo.label(name) or LabelRecord(0, name, "ededed", None)
    payload = label_payload(repo, label, urls)
    del payload["archived_at"], payload["archived_by"]
    return payload


def search_item(repo: RepoRecord, issue: IssueRecord, role: str, urls: Urls) -> JSON:
    payload = issue_payload(repo, issue, role, urls)
    payload["score"] = 1.0
    return payload


def comment_payload(repo: RepoRecord, comment: CommentRecord, role: str, urls: Urls) -> JSON:
    base = urls.api_url(f"repos/{repo.full_name}/issues/comments/{comment.id}")
    issue = repo.issues.get(comment.issue_number)
    kind = "pull" if issue is not None and issue.is_pull_request else "issues"
    return {
        "id": comment.id,
        "node_id": node_id("IssueComment", comment.id),
        "url": base,
        "html_url": urls.html_url(
            f"{repo.full_name}/{kind}/{comment.issue_number}#issuecomment-{comment.id}"
        ),
        "body": comment.body,
        "user": user_payload(comment.user, urls),
        "created_at": iso(comment.created_at),
        "updated_at": iso(comment.updated_at),
        "issue_url": urls.api_url(f"repos/{repo.full_name}/issues/{comment.issue_number}"),
        "author_association": association(role),
        "performed_via_github_app": None,
        "reactions": reactions(f"{base}/reactions"),
    }


def reactions(url: str) -> JSON:
    return {"url": url, "total_count": 0, **dict.fromkeys(_REACTIONS, 0)}


def association(role: str) -> str:
    """How GitHub labels an author by their role in the repository (``owner`` for the owner)."""
    if role == "owner":
        return "OWNER"
    if role in {"admin", "maintain"}:
        return "MEMBER"
    if role in {"write", "triage"}:
        return "COLLABORATOR"
    return "NONE"
