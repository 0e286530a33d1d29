"""``GET /search/issues``: issues and pull requests across repositories (own rate budget).

The supported query syntax is described in ``search_query``.
"""

from __future__ import annotations

from sheriff.testing.fakegithub.api_errors import validation_failed
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_issues import search_item
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord
from sheriff.testing.fakegithub.routes_issues import role_of
from sheriff.testing.fakegithub.routing import Reply, Request, route
from sheriff.testing.fakegithub.search_query import parse_query
from sheriff.testing.fakegithub.world import World

MAX_RESULTS = 1000


@route(
    "GET",
    "/search/issues",
    "search/issues-and-pull-requests",
    "search/search#search-issues-and-pull-requests",
    "search",
)
def search_issues(request: Request, world: World, params: dict[str, str]) -> Reply:
    text = request.arg("q")
    if not text or not text.strip():
        raise validation_failed("Search", "q", "missing")
    query = parse_query(text)
    found = [
        (query.score(issue), repo, issue)
        for repo in world.repos.values()
        for issue in repo.issues.values()
        if query.matches(repo, issue)
    ]
    found.sort(
        key=lambda hit: _sort_key(request, hit[0], hit[2]), reverse=request.arg("order") != "asc"
    )
    page, headers = paginate(request, found[:MAX_RESULTS])
    return Reply(
        {
            "total_count": len(found),
            "incomplete_results": False,
            "search_type": "lexical",
            "items": [_item(request, world, score, repo, issue) for score, repo, issue in page],
        },
        headers=headers,
    )


def _sort_key(request: Request, score: float, issue: IssueRecord) -> tuple[float, float]:
    sort = request.arg("sort")
    if sort == "created":
        return issue.created_at.timestamp(), issue.number
    if sort == "comments":
        return len(issue.comments), issue.number
    if sort == "updated":
        return issue.updated_at.timestamp(), issue.number
    return score, issue.updated_at.timestamp()


def _item(
    request: Request, world: World, score: float, repo: RepoRecord, issue: IssueRecord
) -> dict[str, object]:
    payload = search_item(repo, issue, role_of(world, repo, issue.user), request.urls)
    payload["score"] = score
    return payload


ROUTES = [search_issues]
