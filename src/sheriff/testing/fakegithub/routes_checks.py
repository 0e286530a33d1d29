"""The Checks API (check runs and suites of a commit) and commit statuses.

Only a GitHub App may create check runs (``<slug>[bot]``, an installation token), and only
the App that created a check run may change it, as on GitHub.
"""

from __future__ import annotations

from sheriff.testing.fakegithub import check_desk
from sheriff.testing.fakegithub.api_errors import ApiError
from sheriff.testing.fakegithub.git_history import read_commit
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_checks import (
    app_payload,
    check_run_payload,
    check_suite_payload,
    combined_status_payload,
    status_payload,
)
from sheriff.testing.fakegithub.payload_common import JSON, Urls, iso
from sheriff.testing.fakegithub.records import RepoRecord
from sheriff.testing.fakegithub.records_pulls import CheckRunRecord, CheckSuiteRecord
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

REPO = "/repos/{owner}/{repo}"
COMMIT = REPO + "/commits/{ref+}"
APP_ONLY = "You must authenticate via a GitHub App."


def _repo(world: World, params: dict[str, str]) -> RepoRecord:
    return world.repo(f"{params['owner']}/{params['repo']}")


def _app(world: World, slug: str, urls: Urls) -> JSON:
    known = (i.app_id for i in world.app_installations.values() if i.slug == slug)
    return app_payload(slug, next(known, None), urls)


def render_run(request: Request, world: World, repo: RepoRecord, run: CheckRunRecord) -> JSON:
    short = {
        "id": repo.id,
        "url": request.urls.api_url(f"repos/{repo.full_name}"),
        "name": repo.name,
    }
    pulls = [
        {
            "id": pull.id,
            "number": pull.number,
            "url": request.urls.api_url(f"repos/{repo.full_name}/pulls/{pull.number}"),
            "head": {"ref": pull.head_ref, "sha": pull.head_sha, "repo": short},
            "base": {"ref": pull.base_ref, "sha": pull.base_sha, "repo": short},
        }
        for pull in repo.pulls.values()
        if pull.head_sha == run.head_sha and repo.issues[pull.number].state == "open"
    ]
    return check_run_payload(repo, run, _app(world, run.app, request.urls), pulls, request.urls)


@route(
    "GET",
    COMMIT + "/check-runs",
    "checks/list-for-ref",
    "checks/runs#list-check-runs-for-a-git-reference",
)
def list_check_runs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    runs = check_desk.check_runs_for(repo, check_desk.resolve_ref(repo, params["ref"]))
    if name := request.arg("check_name"):
        runs = [run for run in runs if run.name == name]
    if status := request.arg("status"):
        runs = [run for run in runs if run.status == status]
    page, headers = paginate(request, runs)
    payload = {
        "total_count": len(runs),
        "check_runs": [render_run(request, world, repo, run) for run in page],
    }
    return Reply(payload, headers=headers)


@route(
    "GET",
    COMMIT + "/check-suites",
    "checks/list-suites-for-ref",
    "checks/suites#list-check-suites-for-a-git-reference",
)
def list_check_suites(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    sha = check_desk.resolve_ref(repo, params["ref"])
    runs = check_desk.check_runs_for(repo, sha)
    suites = check_desk.check_suites_for(repo, sha)
    page, headers = paginate(request, suites)
    payloads = [_suite(request, world, repo, suite, runs) for suite in page]
    return Reply({"total_count": len(suites), "check_suites": payloads}, headers=headers)


def _suite(
    request: Request,
    world: World,
    repo: RepoRecord,
    suite: CheckSuiteRecord,
    runs: list[CheckRunRecord],
) -> JSON:
    mine = [run for run in runs if run.suite_id == suite.id]
    status, conclusion = check_desk.suite_outcome(mine)
    app = _app(world, suite.app, request.urls)
    outcome = (status, conclusion, len(mine))
    head_commit = _head_commit(repo, suite)
    return check_suite_payload(
        repo, suite, outcome, app, head_commit=head_commit, urls=request.urls
    )


def _head_commit(repo: RepoRecord, suite: CheckSuiteRecord) -> JSON:
    if repo.git is None:
        someone = {"name": "octocat", "email": "octocat@users.noreply.github.com"}
        stamp = iso(suite.created_at)
        return {
            "id": suite.head_sha,
            "tree_id": suite.head_sha,
            "message": "",
            "timestamp": stamp,
            "author": someone,
            "committer": someone,
        }
    commit = read_commit(repo.git, suite.head_sha)
    return {
        "id": commit.sha,
        "tree_id": commit.tree,
        "message": commit.message,
        "timestamp": iso(commit.committer.when),
        "author": {"name": commit.author.name, "email": commit.author.email},
        "committer": {"name": commit.committer.name, "email": commit.committer.email},
    }


@route("POST", REPO + "/check-runs", "checks/create", "checks/runs#create-a-check-run")
def create_check_run(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    run = check_desk.create_check_run(world, repo, _app_slug(request), request.json_object())
    return Reply(render_run(request, world, repo, run), status=201)


@route("GET", REPO + "/check-runs/{check_run_id}", "checks/get", "checks/runs#get-a-check-run")
def get_check_run(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    run = check_desk.find_check_run(world, repo, int_param(params, "check_run_id"))
    return Reply(render_run(request, world, repo, run))


@route(
    "PATCH", REPO + "/check-runs/{check_run_id}", "checks/update", "checks/runs#update-a-check-run"
)
def update_check_run(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    run = check_desk.find_check_run(world, repo, int_param(params, "check_run_id"))
    if run.app != _app_slug(request) or run.id not in repo.check_runs:
        raise ApiError(403, "Resource not accessible by integration")
    check_desk.update_check_run(world, run, request.json_object())
    return Reply(render_run(request, world, repo, run))


def _app_slug(request: Request) -> str:
    login = request.login or ""
    if not login.endswith("[bot]"):
        raise ApiError(403, APP_ONLY)
    return login.removesuffix("[bot]")


@route(
    "GET",
    COMMIT + "/status",
    "repos/get-combined-status-for-ref",
    "commits/statuses#get-the-combined-status-for-a-specific-reference",
)
def get_combined_status(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    sha = check_desk.resolve_ref(repo, params["ref"])
    statuses = check_desk.latest_statuses(repo, sha)
    state = check_desk.combined_state(statuses)
    return Reply(combined_status_payload(repo, sha, state, statuses, request.urls))


@route(
    "POST",
    REPO + "/statuses/{sha}",
    "repos/create-commit-status",
    "commits/statuses#create-a-commit-status",
)
def create_status(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    status = check_desk.add_status(world, repo, params["sha"], request.actor, request.json_object())
    return Reply(status_payload(repo, status, request.urls), status=201)


ROUTES = [
    list_check_runs,
    list_check_suites,
    create_check_run,
    get_check_run,
    update_check_run,
    get_combined_status,
    create_status,
]
