"""Branches, git references, commits and comparisons of git-backed repositories.

Deleting a pull request's head branch closes the pull request, as on GitHub.
"""

from __future__ import annotations

from typing import Any

from sheriff.testing.fakegithub import check_desk, pull_desk
from sheriff.testing.fakegithub.api_errors import ApiError, validation_failed
from sheriff.testing.fakegithub.bare_git import BareRepository
from sheriff.testing.fakegithub.git_history import changed_files, commits_between, read_commit
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_git import (
    branch_payload,
    commit_payload,
    compare_payload,
    ref_payload,
    short_branch,
)
from sheriff.testing.fakegithub.records import RepoRecord
from sheriff.testing.fakegithub.routing import Reply, Request, route
from sheriff.testing.fakegithub.world import World

REPO = "/repos/{owner}/{repo}"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def _git(world: World, params: dict[str, str]) -> tuple[RepoRecord, BareRepository]:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    if repo.git is None:
        raise ApiError(404, "Not Found")
    return repo, repo.git


@route("GET", REPO + "/branches", "repos/list-branches", "branches/branches#list-branches")
def list_branches(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    page, headers = paginate(request, sorted(git.branches().items()))
    payloads = [short_branch(repo, name, sha, request.urls) for name, sha in page]
    return Reply(payloads, headers=headers)


@route("GET", REPO + "/branches/{branch+}", "repos/get-branch", "branches/branches#get-a-branch")
def get_branch(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    sha = git.branch_sha(params["branch"])
    if sha is None:
        raise ApiError(404, "Branch not found")
    commit = read_commit(git, sha)
    return Reply(branch_payload(repo, params["branch"], commit, request.urls))


@route("GET", REPO + "/git/ref/{ref+}", "git/get-ref", "git/refs#get-a-reference")
def get_ref(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    full = f"refs/{params['ref']}"
    sha = git.resolve(full) if params["ref"].startswith(("heads/", "tags/")) else None
    if sha is None:
        raise ApiError(404, "Not Found")
    return Reply(ref_payload(repo, full, sha, request.urls))


@route("POST", REPO + "/git/refs", "git/create-ref", "git/refs#create-a-reference")
def create_ref(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    fields = request.json_object()
    ref, sha = _branch_of(fields.get("ref")), fields.get("sha")
    if not isinstance(sha, str) or git.resolve(sha) != sha:
        raise ApiError(422, "Object does not exist")
    if not git.move_branch(ref, sha, None):
        raise ApiError(422, "Reference already exists")
    return Reply(ref_payload(repo, f"refs/heads/{ref}", sha, request.urls), status=201)


@route("PATCH", REPO + "/git/refs/{ref+}", "git/update-ref", "git/refs#update-a-reference")
def update_ref(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    branch, fields = _branch_of(f"refs/{params['ref']}"), request.json_object()
    old, new = git.branch_sha(branch), fields.get("sha")
    if old is None:
        raise ApiError(422, "Reference does not exist")
    if not isinstance(new, str) or git.resolve(new) != new:
        raise ApiError(422, "Object does not exist")
    if fields.get("force") is not True and not git.is_ancestor(old, new):
        raise ApiError(422, "Update is not a fast forward")
    if not git.move_branch(branch, new, old):
        raise ApiError(409, "Reference cannot be updated")
    return Reply(ref_payload(repo, f"refs/heads/{branch}", new, request.urls))


@route("DELETE", REPO + "/git/refs/{ref+}", "git/delete-ref", "git/refs#delete-a-reference")
def delete_ref(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    branch = _branch_of(f"refs/{params['ref']}")
    if not git.delete_branch(branch):
        raise ApiError(422, "Reference does not exist")
    pull_desk.close_pulls_from(world, repo, branch, request.actor)
    return Reply(status=204)


def _branch_of(ref: Any) -> str:
    if not isinstance(ref, str) or not ref.startswith("refs/heads/") or ref == "refs/heads/":
        raise validation_failed("Reference", "ref", "invalid", "only branches (refs/heads/...)")
    return ref.removeprefix("refs/heads/")


@route("GET", REPO + "/commits/{ref+}", "repos/get-commit", "commits/commits#get-a-commit")
def get_commit(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    commit = read_commit(git, check_desk.resolve_ref(repo, params["ref"]))
    parent = commit.parents[0] if commit.parents else EMPTY_TREE
    files = changed_files(git, parent, commit.sha)
    return Reply(commit_payload(repo, commit, request.urls, files))


@route(
    "GET",
    REPO + "/compare/{basehead+}",
    "repos/compare-commits",
    "commits/commits#compare-two-commits",
)
def compare(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, git = _git(world, params)
    base_ref, dots, head_ref = params["basehead"].partition("...")
    if not dots:
        raise ApiError(404, "Not Found")
    base, head = check_desk.resolve_ref(repo, base_ref), check_desk.resolve_ref(repo, head_ref)
    fork = git.merge_base(base, head)
    if fork is None:
        raise ApiError(404, f"No common ancestor between {base_ref} and {head_ref}.")
    ahead = [read_commit(git, sha) for sha in commits_between(git, fork, head)]
    behind = [read_commit(git, sha) for sha in commits_between(git, fork, base)]
    commits = (read_commit(git, base), read_commit(git, fork), ahead, behind)
    files = changed_files(git, fork, head)
    return Reply(compare_payload(repo, params["basehead"], commits, files, request.urls))


ROUTES = [
    list_branches,
    get_branch,
    get_ref,
    create_ref,
    update_ref,
    delete_ref,
    get_commit,
    compare,
]
