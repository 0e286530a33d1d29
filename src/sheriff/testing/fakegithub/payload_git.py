"""Commit, branch, git ref, diff entry and comparison payloads, read from the bare
repository."""

from __future__ import annotations

from urllib.parse import quote

from sheriff.testing.fakegithub.bare_git import Signature, login_of_email
from sheriff.testing.fakegithub.git_history import CommitInfo, FileChange
from sheriff.testing.fakegithub.payload_common import JSON, Urls, iso, node_id, user_payload
from sheriff.testing.fakegithub.records import RepoRecord

_UNVERIFIED = {"verified": False, "reason": "unsigned", "signature": None, "payload": None}


def commit_payload(
    repo: RepoRecord, commit: CommitInfo, urls: Urls, files: list[FileChange] | None = None
) -> JSON:
    """A commit as ``GET /repos/{o}/{r}/commits/{ref}`` returns it (``files`` when given)."""
    api = urls.api_url(f"repos/{repo.full_name}")
    payload: JSON = {
        "url": f"{api}/commits/{commit.sha}",
        "sha": commit.sha,
        "node_id": node_id("Commit", int(commit.sha[:12], 16)),
        "html_url": urls.html_url(f"{repo.full_name}/commit/{commit.sha}"),
        "comments_url": f"{api}/commits/{commit.sha}/comments",
        "commit": {
            "url": f"{api}/git/commits/{commit.sha}",
            "author": _git_user(commit.author),
            "committer": _git_user(commit.committer),
            "message": commit.message,
            "comment_count": 0,
            "tree": {"sha": commit.tree, "url": f"{api}/git/trees/{commit.tree}"},
            "verification": {**_UNVERIFIED, "verified_at": None},
        },
        "author": _github_user(commit.author, urls),
        "committer": _github_user(commit.committer, urls),
        "parents": [
            {
                "sha": parent,
                "url": f"{api}/commits/{parent}",
                "html_url": urls.html_url(f"{repo.full_name}/commit/{parent}"),
            }
            for parent in commit.parents
        ],
    }
    if files is not None:
        additions = sum(change.additions for change in files)
        deletions = sum(change.deletions for change in files)
        payload["stats"] = {
            "total": additions + deletions,
            "additions": additions,
            "deletions": deletions,
        }
        payload["files"] = [diff_entry(repo, change, commit.sha, urls) for change in files]
    return payload


def _git_user(signature: Signature) -> JSON:
    return {"name": signature.name, "email": signature.email, "date": iso(signature.when)}


def _github_user(signature: Signature, urls: Urls) -> JSON | None:
    login = login_of_email(signature.email)
    return user_payload(login, urls) if login else None


def diff_entry(repo: RepoRecord, change: FileChange, ref: str, urls: Urls) -> JSON:
    path = quote(change.filename)
    entry: JSON = {
        "sha": change.blob_sha,
        "filename": change.filename,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.changes,
        "blob_url": urls.html_url(f"{repo.full_name}/blob/{ref}/{path}"),
        "raw_url": urls.html_url(f"{repo.full_name}/raw/{ref}/{path}"),
        "contents_url": urls.api_url(f"repos/{repo.full_name}/contents/{path}?ref={ref}"),
    }
    if change.patch is not None:
        entry["patch"] = change.patch
    return entry


def branch_payload(repo: RepoRecord, name: str, commit: CommitInfo, urls: Urls) -> JSON:
    """A branch as ``GET /repos/{o}/{r}/branches/{branch}`` returns it (unprotected)."""
    api = urls.api_url(f"repos/{repo.full_name}/branches/{quote(name)}")
    return {
        "name": name,
        "commit": commit_payload(repo, commit, urls),
        "_links": {"self": api, "html": urls.html_url(f"{repo.full_name}/tree/{name}")},
        "protected": False,
        "protection": {
            "enabled": False,
            "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
        },
        "protection_url": f"{api}/protection",
    }


def short_branch(repo: RepoRecord, name: str, sha: str, urls: Urls) -> JSON:
    url = urls.api_url(f"repos/{repo.full_name}/commits/{sha}")
    return {"name": name, "commit": {"sha": sha, "url": url}, "protected": False}


def ref_payload(repo: RepoRecord, ref: str, sha: str, urls: Urls) -> JSON:
    """``refs/heads/main`` → GitHub's git reference object."""
    api = urls.api_url(f"repos/{repo.full_name}/git")
    return {
        "ref": ref,
        "node_id": node_id("Ref", int(sha[:12], 16)),
        "url": f"{api}/{ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{api}/commits/{sha}"},
    }


def compare_payload(
    repo: RepoRecord,
    spec: str,
    commits: tuple[CommitInfo, CommitInfo, list[CommitInfo], list[CommitInfo]],
    files: list[FileChange],
    urls: Urls,
) -> JSON:
    """``commits``: the base, the merge base, those only the head has, those only the base has."""
    base, fork, ahead, behind = commits
    if not ahead and not behind:
        status = "identical"
    else:
        status = "diverged" if ahead and behind else ("ahead" if ahead else "behind")
    html = urls.html_url(f"{repo.full_name}/compare/{spec}")
    return {
        "url": urls.api_url(f"repos/{repo.full_name}/compare/{spec}"),
        "html_url": html,
        "permalink_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "base_commit": commit_payload(repo, base, urls),
        "merge_base_commit": commit_payload(repo, fork, urls),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": [commit_payload(repo, commit, urls) for commit in ahead],
        "files": [
            diff_entry(repo, change, ahead[-1].sha if ahead else base.sha, urls) for change in files
        ],
    }
