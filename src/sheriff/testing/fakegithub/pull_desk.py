"""Pull requests with GitHub's rules: opened from branches of the repository's git
repository, kept in step with their head branch, merged for real in the bare repository.

Repositories without git (pull requests seeded from workflow runs) keep the head sha they
were seeded with and cannot be merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sheriff.testing.fakegithub import check_desk, issue_desk
from sheriff.testing.fakegithub.api_errors import ApiError, not_found, validation_failed
from sheriff.testing.fakegithub.bare_git import BareRepository
from sheriff.testing.fakegithub.git_history import changed_files, commits_between
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord
from sheriff.testing.fakegithub.records_pulls import PullRecord
from sheriff.testing.fakegithub.world import World

PASSING = frozenset({"success", "neutral", "skipped"})


@dataclass(frozen=True)
class PullInRepo:
    """A pull request: its repository, its issue side and its pull side."""

    repo: RepoRecord
    issue: IssueRecord
    pull: PullRecord


@dataclass(frozen=True)
class PullView:
    """A pull request's live state, read from git when it is open."""

    head_sha: str
    base_sha: str
    mergeable: bool | None
    mergeable_state: str
    commits: int = 0
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0


def find_pull(repo: RepoRecord, number: int) -> PullInRepo:
    issue, pull = repo.issues.get(number), repo.pulls.get(number)
    if issue is None or pull is None:
        raise not_found()
    return PullInRepo(repo, issue, pull)


def head_sha(world: World, at: PullInRepo) -> str:
    """The head branch's sha while the pull request is open (a push moves ``updated_at``)."""
    repo, issue, pull = at.repo, at.issue, at.pull
    if issue.state == "open" and repo.git is not None:
        current = repo.git.branch_sha(pull.head_ref)
        if current is not None and current != pull.head_sha:
            pull.head_sha, issue.updated_at = current, world.clock()
    return pull.head_sha


def base_sha(at: PullInRepo) -> str:
    repo, issue, pull = at.repo, at.issue, at.pull
    if issue.state == "open" and repo.git is not None:
        return repo.git.branch_sha(pull.base_ref) or pull.base_sha
    return pull.base_sha


def light_view(world: World, at: PullInRepo) -> PullView:
    """Heads only, for listings (no merge test, no diff)."""
    return PullView(head_sha(world, at), base_sha(at), None, "unknown")


def view(world: World, at: PullInRepo) -> PullView:
    head, base = head_sha(world, at), base_sha(at)
    git = at.repo.git
    if git is None:
        return PullView(head, base, None, "unknown")
    fork = git.merge_base(base, head) or base
    files = changed_files(git, fork, head)
    mergeable, state = _mergeability(at, git, base, head)
    return PullView(
        head,
        base,
        mergeable,
        state,
        commits=len(commits_between(git, fork, head)),
        additions=sum(change.additions for change in files),
        deletions=sum(change.deletions for change in files),
        changed_files=len(files),
    )


def _mergeability(
    at: PullInRepo, git: BareRepository, base: str, head: str
) -> tuple[bool | None, str]:
    if at.issue.state != "open":
        return None, "unknown"
    if git.merged_tree(base, head) is None:
        return False, "dirty"
    if at.pull.draft:
        return True, "draft"
    runs = check_desk.check_runs_for(at.repo, head)
    failing = any(run.conclusion not in PASSING for run in runs)
    return True, "unstable" if failing else "clean"


def create_pull(world: World, repo: RepoRecord, user: str, fields: dict[str, Any]) -> PullInRepo:
    """Open a pull request from ``head`` into ``base``, with GitHub's 422s."""
    title, head_ref, base_ref = (
        _text(fields, "title"),
        _head_ref(repo, fields),
        _text(fields, "base"),
    )
    head, base = _branch(repo, head_ref, "head"), _branch(repo, base_ref, "base")
    for pull in repo.pulls.values():
        same = (pull.head_ref, pull.base_ref) == (head_ref, base_ref)
        if same and repo.issues[pull.number].state == "open":
            raise _custom(f"A pull request already exists for {repo.owner}:{head_ref}.")
    if repo.git is not None and repo.git.is_ancestor(head, base):
        raise _custom(f"No commits between {base_ref} and {head_ref}")
    text: dict[str, Any] = {key: fields[key] for key in ("title", "body") if key in fields}
    issue = issue_desk.create_issue(world, repo, user, text)
    issue.title, issue.is_pull_request, issue.head_branch = title, True, head_ref
    pull = PullRecord(world.next_id("pull"), issue.number, head_ref, base_ref, head, base)
    pull.draft = fields.get("draft") is True
    pull.maintainer_can_modify = fields.get("maintainer_can_modify") is not False
    repo.pulls[issue.number] = pull
    return PullInRepo(repo, issue, pull)


def update_pull(world: World, at: PullInRepo, user: str, fields: dict[str, Any]) -> None:
    """Title, body, state (open/closed) and base, as ``PATCH /pulls/{n}`` takes them."""
    repo, issue, pull = at.repo, at.issue, at.pull
    if "base" in fields:
        _branch(repo, _text(fields, "base"), "base")
        pull.base_ref = fields["base"]
    reopening = fields.get("state") == "open" and issue.state == "closed"
    head_gone = repo.git is not None and repo.git.branch_sha(pull.head_ref) is None
    if reopening and (pull.merged or head_gone):
        raise _custom("state cannot be changed. The head branch was deleted or merged.")
    if fields.get("state") == "closed" and issue.state == "open":
        head_sha(world, at)
        pull.base_sha = base_sha(at)
    kept: dict[str, Any] = {key: fields[key] for key in ("title", "body", "state") if key in fields}
    issue_desk.update_issue(world, repo, issue, user, kept)


def set_draft(world: World, at: PullInRepo, draft: bool, user: str) -> None:
    """Mark a pull request as a draft, or ready for review (GitHub's web UI or GraphQL)."""
    if at.pull.draft != draft:
        at.pull.draft = draft
        event = "convert_to_draft" if draft else "ready_for_review"
        issue_desk.record_event(world, at.issue, event, user)
        at.issue.updated_at = world.clock()


def close_pulls_from(world: World, repo: RepoRecord, branch: str, user: str) -> None:
    """After ``branch`` is deleted: its open pull requests close, each notes the deletion."""
    for pull in repo.pulls.values():
        at = PullInRepo(repo, repo.issues[pull.number], pull)
        if pull.head_ref != branch:
            continue
        issue_desk.record_event(world, at.issue, "head_ref_deleted", user)
        if at.issue.state == "open":
            pull.base_sha = base_sha(at)
            issue_desk.update_issue(world, repo, at.issue, user, {"state": "closed"})


def _head_ref(repo: RepoRecord, fields: dict[str, Any]) -> str:
    owner, _, branch = _text(fields, "head").rpartition(":")
    if owner and owner.lower() != repo.owner.lower():
        raise validation_failed("PullRequest", "head", "invalid")
    return branch


def _branch(repo: RepoRecord, name: str, field: str) -> str:
    sha = repo.git.branch_sha(name) if repo.git is not None else None
    if sha is None:
        raise validation_failed("PullRequest", field, "invalid")
    return sha


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise validation_failed("PullRequest", name, "missing_field")
    return value


def _custom(message: str) -> ApiError:
    return ApiError(
        422,
        "Validation Failed",
        errors=[{"resource": "PullRequest", "code": "custom", "message": message}],
    )
