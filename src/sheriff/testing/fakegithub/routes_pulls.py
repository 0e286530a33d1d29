"""Pull requests: list, open, read, edit, merge, and their files and commits."""

from __future__ import annotations

from collections.abc import Callable

from sheriff.testing.fakegithub import merge_desk, pull_desk
from sheriff.testing.fakegithub.api_errors import ApiError
from sheriff.testing.fakegithub.git_history import changed_files, commits_between, read_commit
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_git import commit_payload, diff_entry
from sheriff.testing.fakegithub.payload_pulls import full_pull_payload, pull_payload
from sheriff.testing.fakegithub.pull_desk import PullInRepo
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord
from sheriff.testing.fakegithub.records_pulls import PullRecord
from sheriff.testing.fakegithub.routes_issues import role_of
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

PULLS = "/repos/{owner}/{repo}/pulls"
PULL = PULLS + "/{number}"


def _repo(world: World, params: dict[str, str]) -> RepoRecord:
    return world.repo(f"{params['owner']}/{params['repo']}")


def _pull(world: World, params: dict[str, str]) -> PullInRepo:
    return pull_desk.find_pull(_repo(world, params), int_param(params, "number"))


def render_pull(request: Request, world: World, at: PullInRepo) -> Reply:
    view = pull_desk.view(world, at)
    role = role_of(world, at.repo, at.issue.user)
    payload = full_pull_payload(at, view, role, request.urls)
    return Reply(payload, last_modified=at.issue.updated_at)


@route("GET", PULLS, "pulls/list", "pulls/pulls#list-pull-requests")
def list_pulls(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = _repo(world, params)
    tests = _filters(request, repo)
    chosen = [
        PullInRepo(repo, repo.issues[number], pull)
        for number, pull in repo.pulls.items()
        if all(test(repo.issues[number], pull) for test in tests)
    ]
    sort = request.arg("sort") or "created"
    chosen.sort(
        key=lambda at: (
            at.issue.updated_at if sort == "updated" else at.issue.created_at,
            at.issue.number,
        ),
        reverse=request.arg("direction") != "asc" if sort in {"created", "updated"} else False,
    )
    page, headers = paginate(request, chosen)
    payloads = [
        pull_payload(
            at, pull_desk.light_view(world, at), role_of(world, repo, at.issue.user), request.urls
        )
        for at in page
    ]
    return Reply(payloads, headers=headers)


def _filters(request: Request, repo: RepoRecord) -> list[Callable[[IssueRecord, PullRecord], bool]]:
    state = request.arg("state") or "open"
    tests: list[Callable[[IssueRecord, PullRecord], bool]] = []
    if state != "all":
        tests.append(lambda issue, pull: issue.state == state)
    if head := request.arg("head"):
        owner, _, branch = head.rpartition(":")
        wanted = (owner or repo.owner).lower(), branch
        tests.append(lambda issue, pull: (repo.owner.lower(), pull.head_ref) == wanted)
    if base := request.arg("base"):
        tests.append(lambda issue, pull: pull.base_ref == base)
    return tests


@route("POST", PULLS, "pulls/create", "pulls/pulls#create-a-pull-request")
def create_pull(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = pull_desk.create_pull(world, _repo(world, params), request.actor, request.json_object())
    reply = render_pull(request, world, at)
    reply.status = 201
    reply.headers["Location"] = reply.payload["url"]
    return reply


@route("GET", PULL, "pulls/get", "pulls/pulls#get-a-pull-request")
def get_pull(request: Request, world: World, params: dict[str, str]) -> Reply:
    return render_pull(request, world, _pull(world, params))


@route("PATCH", PULL, "pulls/update", "pulls/pulls#update-a-pull-request")
def update_pull(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    pull_desk.update_pull(world, at, request.actor, request.json_object())
    return render_pull(request, world, at)


@route("PUT", PULL + "/merge", "pulls/merge", "pulls/pulls#merge-a-pull-request")
def merge_pull(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    sha = merge_desk.merge_pull(world, at, request.actor, request.json_object())
    return Reply({"sha": sha, "merged": True, "message": "Pull Request successfully merged"})


@route(
    "GET",
    PULL + "/merge",
    "pulls/check-if-merged",
    "pulls/pulls#check-if-a-pull-request-has-been-merged",
)
def check_merged(request: Request, world: World, params: dict[str, str]) -> Reply:
    if not _pull(world, params).pull.merged:
        raise ApiError(404, "Not Found")
    return Reply(status=204)


@route("GET", PULL + "/files", "pulls/list-files", "pulls/pulls#list-pull-requests-files")
def list_files(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, git = at.repo, at.repo.git
    if git is None:
        return Reply([])
    head, base = pull_desk.head_sha(world, at), pull_desk.base_sha(at)
    changes = changed_files(git, git.merge_base(base, head) or base, head)
    page, headers = paginate(request, changes)
    return Reply([diff_entry(repo, change, head, request.urls) for change in page], headers=headers)


@route("GET", PULL + "/commits", "pulls/list-commits", "pulls/pulls#list-commits-on-a-pull-request")
def list_commits(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, git = at.repo, at.repo.git
    if git is None:
        return Reply([])
    head, base = pull_desk.head_sha(world, at), pull_desk.base_sha(at)
    shas = commits_between(git, git.merge_base(base, head) or base, head)
    page, headers = paginate(request, shas)
    payloads = [commit_payload(repo, read_commit(git, sha), request.urls) for sha in page]
    return Reply(payloads, headers=headers)


ROUTES = [
    list_pulls,
    create_pull,
    get_pull,
    update_pull,
    merge_pull,
    check_merged,
    list_files,
    list_commits,
]
