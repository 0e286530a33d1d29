"""Issues (pull requests included, as in GitHub's issues list) and their comments."""

from __future__ import annotations

from collections.abc import Callable

from sheriff.testing.fakegithub import issue_desk
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_issues import comment_payload, issue_payload
from sheriff.testing.fakegithub.payload_pulls import event_payload
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

ISSUES = "/repos/{owner}/{repo}/issues"
IssueFilter = Callable[[IssueRecord], bool]


def role_of(world: World, repo: RepoRecord, login: str) -> str:
    return "owner" if login.lower() == repo.owner.lower() else world.permission(repo, login)


def render_issue(request: Request, world: World, repo: RepoRecord, issue: IssueRecord) -> Reply:
    payload = issue_payload(repo, issue, role_of(world, repo, issue.user), request.urls)
    return Reply(payload, last_modified=issue.updated_at)


@route("GET", ISSUES, "issues/list-for-repo", "issues/issues#list-repository-issues")
def list_issues(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    tests = _issue_filters(request)
    chosen = [issue for issue in repo.issues.values() if all(test(issue) for test in tests)]
    sort = request.arg("sort") or "created"
    keys: dict[str, Callable[[IssueRecord], tuple[float, int]]] = {
        "created": lambda issue: (issue.created_at.timestamp(), issue.number),
        "updated": lambda issue: (issue.updated_at.timestamp(), issue.number),
        "comments": lambda issue: (len(issue.comments), issue.number),
    }
    chosen.sort(key=keys.get(sort, keys["created"]), reverse=request.arg("direction") != "asc")
    page, headers = paginate(request, chosen)
    return Reply(
        [
            issue_payload(repo, issue, role_of(world, repo, issue.user), request.urls)
            for issue in page
        ],
        headers=headers,
    )


def _issue_filters(request: Request) -> list[IssueFilter]:
    state = request.arg("state") or "open"
    tests: list[IssueFilter] = []
    if state != "all":
        tests.append(lambda issue: issue.state == state)
    if labels := request.arg("labels"):
        wanted = {name.strip().lower() for name in labels.split(",") if name.strip()}
        tests.append(lambda issue: wanted <= {name.lower() for name in issue.labels})
    if creator := request.arg("creator"):
        tests.append(lambda issue: issue.user.lower() == creator.lower())
    if (since := request.time_arg("since")) is not None:
        tests.append(lambda issue: issue.updated_at >= since)
    return tests


@route("POST", ISSUES, "issues/create", "issues/issues#create-an-issue")
def create_issue(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue = issue_desk.create_issue(world, repo, request.actor, request.json_object())
    reply = render_issue(request, world, repo, issue)
    reply.status = 201
    reply.headers["Location"] = request.urls.api_url(
        f"repos/{repo.full_name}/issues/{issue.number}"
    )
    return reply


@route("GET", ISSUES + "/{number}", "issues/get", "issues/issues#get-an-issue")
def get_issue(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    return render_issue(
        request, world, repo, issue_desk.find_issue(repo, int_param(params, "number"))
    )


@route("PATCH", ISSUES + "/{number}", "issues/update", "issues/issues#update-an-issue")
def update_issue(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue = issue_desk.find_issue(repo, int_param(params, "number"))
    issue_desk.update_issue(world, repo, issue, request.actor, request.json_object())
    return render_issue(request, world, repo, issue)


@route(
    "GET",
    ISSUES + "/{number}/comments",
    "issues/list-comments",
    "issues/comments#list-issue-comments",
)
def list_comments(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue = issue_desk.find_issue(repo, int_param(params, "number"))
    comments = issue.comments
    if (since := request.time_arg("since")) is not None:
        comments = [comment for comment in comments if comment.updated_at >= since]
    page, headers = paginate(request, comments)
    return Reply(
        [
            comment_payload(repo, comment, role_of(world, repo, comment.user), request.urls)
            for comment in page
        ],
        headers=headers,
    )


@route(
    "POST",
    ISSUES + "/{number}/comments",
    "issues/create-comment",
    "issues/comments#create-an-issue-comment",
)
def create_comment(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue = issue_desk.find_issue(repo, int_param(params, "number"))
    comment = issue_desk.add_comment(world, issue, request.actor, request.json_object().get("body"))
    payload = comment_payload(repo, comment, role_of(world, repo, comment.user), request.urls)
    return Reply(payload, status=201, headers={"Location": payload["url"]})


@route(
    "GET",
    ISSUES + "/comments/{comment_id}",
    "issues/get-comment",
    "issues/comments#get-an-issue-comment",
)
def get_comment(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    _, comment = issue_desk.find_comment(repo, int_param(params, "comment_id"))
    return Reply(
        comment_payload(repo, comment, role_of(world, repo, comment.user), request.urls),
        last_modified=comment.updated_at,
    )


@route(
    "PATCH",
    ISSUES + "/comments/{comment_id}",
    "issues/update-comment",
    "issues/comments#update-an-issue-comment",
)
def update_comment(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    _, comment = issue_desk.find_comment(repo, int_param(params, "comment_id"))
    issue_desk.update_comment(world, comment, request.json_object().get("body"))
    return Reply(comment_payload(repo, comment, role_of(world, repo, comment.user), request.urls))


@route(
    "DELETE",
    ISSUES + "/comments/{comment_id}",
    "issues/delete-comment",
    "issues/comments#delete-an-issue-comment",
)
def delete_comment(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue, comment = issue_desk.find_comment(repo, int_param(params, "comment_id"))
    issue.comments.remove(comment)
    return Reply(status=204)


@route(
    "GET",
    ISSUES + "/{number}/events",
    "issues/list-events",
    "issues/events#list-issue-events",
)
def list_events(request: Request, world: World, params: dict[str, str]) -> Reply:
    """Who labelled, unlabelled, closed, reopened or merged, oldest first."""
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    issue = issue_desk.find_issue(repo, int_param(params, "number"))
    page, headers = paginate(request, issue.events)
    return Reply([event_payload(repo, event, request.urls) for event in page], headers=headers)


ROUTES = [
    list_issues,
    create_issue,
    get_issue,
    update_issue,
    list_comments,
    create_comment,
    get_comment,
    update_comment,
    delete_comment,
    list_events,
]
