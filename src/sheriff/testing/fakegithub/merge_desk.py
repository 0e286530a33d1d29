"""``PUT /pulls/{n}/merge`` for real: a merge commit, a squash or a rebase written into the
bare repository and the base branch moved to it, with GitHub's 405, 409 and 422 answers."""

from __future__ import annotations

from typing import Any

from sheriff.testing.fakegithub import issue_desk, pull_desk
from sheriff.testing.fakegithub.api_errors import ApiError, validation_failed
from sheriff.testing.fakegithub.bare_git import BareRepository, Signature
from sheriff.testing.fakegithub.git_history import commits_between, read_commit
from sheriff.testing.fakegithub.pull_desk import PullInRepo
from sheriff.testing.fakegithub.world import World

METHODS = ("merge", "squash", "rebase")
NOT_MERGEABLE = "Pull Request is not mergeable"
HEAD_MOVED = "Head branch was modified. Review and try the merge again."
BASE_MOVED = "Base branch was modified. Review and try the merge again."


def merge_pull(world: World, at: PullInRepo, user: str, fields: dict[str, Any]) -> str:
    """Merge the pull request as ``user``; the sha the base branch now points at."""
    git = _mergeable_git(at)
    if (fields.get("merge_method") or "merge") not in METHODS:
        raise validation_failed("PullRequest", "merge_method", "invalid")
    head = pull_desk.head_sha(world, at)
    expected = fields.get("sha")
    if expected is not None and expected != head:
        raise ApiError(409, HEAD_MOVED)
    base = pull_desk.base_sha(at)
    merged = _write(world, git, at, user, fields, shas=(base, head))
    if not git.move_branch(at.pull.base_ref, merged, base):
        raise ApiError(409, BASE_MOVED)
    _record_merge(world, at, user, (base, head, merged))
    return merged


def _mergeable_git(at: PullInRepo) -> BareRepository:
    if at.issue.state != "open" or at.pull.merged or at.repo.git is None:
        raise ApiError(405, NOT_MERGEABLE)
    if at.pull.draft:
        raise ApiError(405, "Pull Request is still a draft")
    return at.repo.git


def _write(
    world: World,
    git: BareRepository,
    at: PullInRepo,
    user: str,
    fields: dict[str, Any],
    *,
    shas: tuple[str, str],
) -> str:
    """The new commit for ``fields["merge_method"]`` (merge by default)."""
    base, head = shas
    now = world.clock()
    author, committer = (
        Signature.of_login(user, now),
        Signature("GitHub", "noreply@github.com", now),
    )
    method = fields.get("merge_method") or "merge"
    if method == "rebase":
        return _rebase(git, base, head, committer)
    tree = git.merged_tree(base, head)
    if tree is None:
        raise ApiError(405, NOT_MERGEABLE)
    number, title = at.issue.number, at.issue.title
    if method == "squash":
        message = _message(fields, f"{title} (#{number})", _squashed(git, base, head))
        return git.write_commit(tree, [base], message, author, committer)
    label = f"{at.repo.owner}/{at.pull.head_ref}"
    message = _message(fields, f"Merge pull request #{number} from {label}", title)
    return git.write_commit(tree, [base, head], message, author, committer)


def _rebase(git: BareRepository, base: str, head: str, committer: Signature) -> str:
    """Each commit of the head replayed on the base; only when the base has not moved on
    since the head branched off (GitHub refuses a rebase with conflicts too)."""
    if not git.is_ancestor(base, head):
        raise ApiError(405, "This branch can't be rebased")
    tip = base
    for sha in commits_between(git, base, head):
        commit = read_commit(git, sha)
        tip = git.write_commit(commit.tree, [tip], commit.message, commit.author, committer)
    return tip


def _squashed(git: BareRepository, base: str, head: str) -> str:
    messages = [read_commit(git, sha).message for sha in commits_between(git, base, head)]
    return "\n\n".join(f"* {message}" for message in messages)


def _message(fields: dict[str, Any], title: str, body: str) -> str:
    chosen_title = fields.get("commit_title")
    chosen_body = fields.get("commit_message")
    heading = chosen_title if isinstance(chosen_title, str) and chosen_title else title
    text = chosen_body if isinstance(chosen_body, str) else body
    return f"{heading}\n\n{text}".rstrip() + "\n"


def _record_merge(world: World, at: PullInRepo, user: str, shas: tuple[str, str, str]) -> None:
    base, head, merged = shas
    pull = at.pull
    pull.base_sha, pull.head_sha, pull.merge_commit_sha = base, head, merged
    pull.merged_at, pull.merged_by = world.clock(), user
    issue_desk.record_event(world, at.issue, "merged", user, commit_id=merged)
    issue_desk.update_issue(world, at.repo, at.issue, user, {"state": "closed"})
