"""Repository labels and the labels on an issue."""

from __future__ import annotations

from typing import Any

from sheriff.testing.fakegithub import issue_desk
from sheriff.testing.fakegithub.api_errors import not_found, validation_failed
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_issues import label_payload
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

REPO = "/repos/{owner}/{repo}"
ISSUE_LABELS = REPO + "/issues/{number}/labels"


@route(
    "GET",
    REPO + "/labels",
    "issues/list-labels-for-repo",
    "issues/labels#list-labels-for-a-repository",
)
def list_repo_labels(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    labels = sorted(repo.labels.values(), key=lambda label: label.name.lower())
    page, headers = paginate(request, labels)
    return Reply([label_payload(repo, label, request.urls) for label in page], headers=headers)


@route("POST", REPO + "/labels", "issues/create-label", "issues/labels#create-a-label")
def create_repo_label(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    body = request.json_object()
    name, color = body.get("name"), body.get("color", "ededed")
    if not isinstance(name, str) or not isinstance(color, str):
        raise validation_failed("Label", "name", "missing_field")
    description = body.get("description")
    label = issue_desk.create_label(
        world, repo, name, color, description if isinstance(description, str) else None
    )
    return Reply(label_payload(repo, label, request.urls), status=201)


@route("GET", REPO + "/labels/{name+}", "issues/get-label", "issues/labels#get-a-label")
def get_repo_label(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    label = repo.label(params["name"])
    if label is None:
        raise not_found()
    return Reply(label_payload(repo, label, request.urls))


def _issue(world: World, params: dict[str, str]) -> tuple[RepoRecord, IssueRecord]:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    return repo, issue_desk.find_issue(repo, int_param(params, "number"))


def _labels_reply(
    request: Request, repo: RepoRecord, issue: IssueRecord, status: int = 200
) -> Reply:
    labels = [repo.label(name) for name in issue.labels]
    return Reply(
        [label_payload(repo, label, request.urls) for label in labels if label], status=status
    )


def _names(body: Any) -> list[Any]:
    """``{"labels": [...]}``, a bare list, or ``{"labels": [{"name": ...}]}``, as GitHub takes."""
    names = body.get("labels") if isinstance(body, dict) else body
    if not isinstance(names, list):
        raise validation_failed("Label", "labels", "invalid", "expected a list of label names")
    return names


@route("GET", ISSUE_LABELS, "issues/list-labels-on-issue", "issues/labels#list-labels-for-an-issue")
def list_issue_labels(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, issue = _issue(world, params)
    return _labels_reply(request, repo, issue)


@route("POST", ISSUE_LABELS, "issues/add-labels", "issues/labels#add-labels-to-an-issue")
def add_issue_labels(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, issue = _issue(world, params)
    issue_desk.add_labels(world, repo, issue, _names(request.json_body()), request.actor)
    return _labels_reply(request, repo, issue)


@route("PUT", ISSUE_LABELS, "issues/set-labels", "issues/labels#set-labels-for-an-issue")
def set_issue_labels(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, issue = _issue(world, params)
    issue_desk.set_labels(world, repo, issue, _names(request.json_body()), request.actor)
    return _labels_reply(request, repo, issue)


@route(
    "DELETE",
    ISSUE_LABELS + "/{name+}",
    "issues/remove-label",
    "issues/labels#remove-a-label-from-an-issue",
)
def remove_issue_label(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, issue = _issue(world, params)
    issue_desk.remove_label(world, issue, params["name"], request.actor)
    return _labels_reply(request, repo, issue)


ROUTES = [
    list_repo_labels,
    create_repo_label,
    get_repo_label,
    list_issue_labels,
    add_issue_labels,
    set_issue_labels,
    remove_issue_label,
]
