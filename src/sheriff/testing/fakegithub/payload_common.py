"""Pieces every payload shares: timestamps, node ids, users, repositories, URLs.

Shapes follow GitHub's REST API (version 2022-11-28 and later) field for field, so
githubkit's models validate them.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sheriff.testing.fakegithub.records import RepoRecord

JSON = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    """GitHub's timestamp form: ``2024-05-01T12:00:00Z`` (UTC, whole seconds)."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, number: int) -> str:
    """A global node id in GitHub's legacy form, e.g. ``MDU6SXNzdWUx`` for Issue 1."""
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def user_id(login: str) -> int:
    """A stable id per login (the same login always gets the same id)."""
    return 1_000_000 + int(hashlib.sha256(login.lower().encode()).hexdigest()[:7], 16)


@dataclass(frozen=True)
class Urls:
    """Where the API and the web pages live: both on the fake's own host by default."""

    api: str
    html: str

    def api_url(self, path: str) -> str:
        return f"{self.api}/{path.lstrip('/')}"

    def html_url(self, path: str) -> str:
        return f"{self.html}/{path.lstrip('/')}"


def user_payload(login: str, urls: Urls) -> JSON:
    base = urls.api_url(f"users/{login}")
    number = user_id(login)
    return {
        "login": login,
        "id": number,
        "node_id": node_id("User", number),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": urls.html_url(login),
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "user_view_type": "public",
        "site_admin": False,
    }


_REPO_TEMPLATES = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def minimal_repo(repo: RepoRecord, urls: Urls) -> JSON:
    base = urls.api_url(f"repos/{repo.full_name}")
    payload: JSON = {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "private": False,
        "owner": user_payload(repo.owner, urls),
        "html_url": urls.html_url(repo.full_name),
        "description": None,
        "fork": False,
        "url": base,
    }
    payload.update({key: base + suffix for key, suffix in _REPO_TEMPLATES.items()})
    return payload


def full_repo(repo: RepoRecord, urls: Urls) -> JSON:
    open_issues = sum(1 for issue in repo.issues.values() if issue.state == "open")
    host = urls.html.split("://", 1)[-1]
    payload = minimal_repo(repo, urls)
    payload.update(
        {
            "git_url": f"git://{host}/{repo.full_name}.git",
            "ssh_url": f"git@{host.split(':')[0]}:{repo.full_name}.git",
            "clone_url": repo.git.url if repo.git else urls.html_url(f"{repo.full_name}.git"),
            "svn_url": urls.html_url(repo.full_name),
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "size": 0,
            "default_branch": repo.default_branch,
            "open_issues_count": open_issues,
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "visibility": "public",
            "pushed_at": iso(repo.updated_at),
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "subscribers_count": 0,
            "network_count": 0,
            "license": None,
            "forks": 0,
            "open_issues": open_issues,
            "watchers": 0,
        }
    )
    return payload
