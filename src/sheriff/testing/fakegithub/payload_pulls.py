"""Pull request, review, review comment and issue event payloads."""

from __future__ import annotations

from sheriff.testing.fakegithub.payload_common import (
    JSON,
    Urls,
    full_repo,
    iso,
    node_id,
    user_payload,
)
from sheriff.testing.fakegithub.payload_issues import association, label_payload, reactions
from sheriff.testing.fakegithub.pull_desk import PullInRepo, PullView
from sheriff.testing.fakegithub.records import LabelRecord, RepoRecord
from sheriff.testing.fakegithub.records_pulls import (
    IssueEventRecord,
    ReviewCommentRecord,
    ReviewRecord,
)


def pull_payload(at: PullInRepo, view: PullView, role: str, urls: Urls) -> JSON:
    """A pull request as ``GET /pulls`` lists it; ``full_pull_payload`` adds the rest."""
    repo, issue, pull = at.repo, at.issue, at.pull
    api = urls.api_url(f"repos/{repo.full_name}")
    url, html = (
        f"{api}/pulls/{issue.number}",
        urls.html_url(f"{repo.full_name}/pull/{issue.number}"),
    )
    labels = [repo.label(name) or LabelRecord(0, name, "ededed", None) for name in issue.labels]
    return {
        "url": url,
        "id": pull.id,
        "node_id": node_id("PullRequest", pull.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{api}/issues/{issue.number}",
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{issue.number}/comments",
        "statuses_url": f"{api}/statuses/{view.head_sha}",
        "number": issue.number,
        "state": issue.state,
        "locked": issue.locked,
        "title": issue.title,
        "user": user_payload(issue.user, urls),
        "body": issue.body,
        "labels": [label_payload(repo, label, urls) for label in labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at),
        "merged_at": iso(pull.merged_at),
        "merge_commit_sha": pull.merge_commit_sha,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _end(repo, pull.head_ref, view.head_sha, urls),
        "base": _end(repo, pull.base_ref, view.base_sha, urls),
        "_links": _links(api, url, html, issue.number, view.head_sha),
        "author_association": association(role),
        "auto_merge": None,
        "draft": pull.draft,
    }


def full_pull_payload(at: PullInRepo, view: PullView, role: str, urls: Urls) -> JSON:
    """A pull request as ``GET /pulls/{n}`` returns it: mergeability and diff size too."""
    issue, pull = at.issue, at.pull
    payload = pull_payload(at, view, role, urls)
    payload.update(
        {
            "merged": pull.merged,
            "mergeable": view.mergeable,
            "rebaseable": view.mergeable,
            "mergeable_state": view.mergeable_state,
            "merged_by": user_payload(pull.merged_by, urls) if pull.merged_by else None,
            "comments": len(issue.comments),
            "review_comments": len(pull.review_comments),
            "maintainer_can_modify": pull.maintainer_can_modify,
            "commits": view.commits,
            "additions": view.additions,
            "deletions": view.deletions,
            "changed_files": view.changed_files,
        }
    )
    return payload


def _end(repo: RepoRecord, ref: str, sha: str, urls: Urls) -> JSON:
    return {
        "label": f"{repo.owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user_payload(repo.owner, urls),
        "repo": full_repo(repo, urls),
    }


def _links(api: str, url: str, html: str, number: int, head_sha: str) -> JSON:
    hrefs = {
        "self": url,
        "html": html,
        "issue": f"{api}/issues/{number}",
        "comments": f"{api}/issues/{number}/comments",
        "review_comments": f"{url}/comments",
        "review_comment": f"{api}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{api}/statuses/{head_sha}",
    }
    return {name: {"href": href} for name, href in hrefs.items()}


def review_payload(
    repo: RepoRecord, number: int, review: ReviewRecord, role: str, urls: Urls
) -> JSON:
    pull_url = urls.api_url(f"repos/{repo.full_name}/pulls/{number}")
    html = urls.html_url(f"{repo.full_name}/pull/{number}#pullrequestreview-{review.id}")
    return {
        "id": review.id,
        "node_id": node_id("PullRequestReview", review.id),
        "user": user_payload(review.user, urls),
        "body": review.body,
        "state": review.state,
        "html_url": html,
        "pull_request_url": pull_url,
        "_links": {"html": {"href": html}, "pull_request": {"href": pull_url}},
        "submitted_at": iso(review.submitted_at),
        "commit_id": review.commit_id,
        "author_association": association(role),
    }


def review_comment_payload(
    repo: RepoRecord, number: int, comment: ReviewCommentRecord, role: str, urls: Urls
) -> JSON:
    url = urls.api_url(f"repos/{repo.full_name}/pulls/comments/{comment.id}")
    pull_url = urls.api_url(f"repos/{repo.full_name}/pulls/{number}")
    html = urls.html_url(f"{repo.full_name}/pull/{number}#discussion_r{comment.id}")
    payload: JSON = {
        "url": url,
        "pull_request_review_id": comment.review_id,
        "id": comment.id,
        "node_id": node_id("PullRequestReviewComment", comment.id),
        "diff_hunk": comment.diff_hunk,
        "path": comment.path,
        "commit_id": comment.commit_id,
        "original_commit_id": comment.commit_id,
        "user": user_payload(comment.user, urls),
        "body": comment.body,
        "created_at": iso(comment.created_at),
        "updated_at": iso(comment.updated_at),
        "html_url": html,
        "pull_request_url": pull_url,
        "author_association": association(role),
        "_links": {
            "self": {"href": url},
            "html": {"href": html},
            "pull_request": {"href": pull_url},
        },
        "start_line": None,
        "original_start_line": None,
        "start_side": None,
        "line": comment.line,
        "original_line": comment.line,
        "side": comment.side,
        "subject_type": "line",
        "reactions": reactions(f"{url}/reactions"),
    }
    if comment.in_reply_to_id is not None:
        payload["in_reply_to_id"] = comment.in_reply_to_id
    return payload


def event_payload(repo: RepoRecord, event: IssueEventRecord, urls: Urls) -> JSON:
    """An entry of ``GET /issues/{n}/events`` (labeled, unlabeled, closed, merged...)."""
    api = urls.api_url(f"repos/{repo.full_name}")
    payload: JSON = {
        "id": event.id,
        "node_id": node_id("IssueEvent", event.id),
        "url": f"{api}/issues/events/{event.id}",
        "actor": user_payload(event.actor, urls),
        "event": event.event,
        "commit_id": event.commit_id,
        "commit_url": f"{api}/commits/{event.commit_id}" if event.commit_id else None,
        "created_at": iso(event.created_at),
        "performed_via_github_app": None,
    }
    if event.label is not None:
        label = repo.label(event.label)
        payload["label"] = {"name": event.label, "color": label.color if label else "ededed"}
    if event.event == "closed":
        payload["state_reason"] = event.state_reason
    return payload
