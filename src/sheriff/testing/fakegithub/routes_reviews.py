"""Reviews and review comments of pull requests."""

from __future__ import annotations

from typing import Any

from sheriff.testing.fakegithub import pull_desk, review_desk
from sheriff.testing.fakegithub.api_errors import not_found, validation_failed
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_pulls import review_comment_payload, review_payload
from sheriff.testing.fakegithub.pull_desk import PullInRepo
from sheriff.testing.fakegithub.routes_issues import role_of
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

PULL = "/repos/{owner}/{repo}/pulls/{number}"
DOCS = "pulls/reviews#"
COMMENT_DOCS = "pulls/comments#"


def _pull(world: World, params: dict[str, str]) -> PullInRepo:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    return pull_desk.find_pull(repo, int_param(params, "number"))


@route("GET", PULL + "/reviews", "pulls/list-reviews", DOCS + "list-reviews-for-a-pull-request")
def list_reviews(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    page, headers = paginate(request, at.pull.reviews)
    payloads = [
        review_payload(repo, issue.number, review, role_of(world, repo, review.user), request.urls)
        for review in page
    ]
    return Reply(payloads, headers=headers)


@route(
    "POST", PULL + "/reviews", "pulls/create-review", DOCS + "create-a-review-for-a-pull-request"
)
def create_review(request: Request, world: World, params: dict[str, str]) -> Reply:
    """Submit a review at once (``event`` is required here: no pending reviews)."""
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    body = request.json_object()
    event, text = body.get("event"), body.get("body") or ""
    if event not in review_desk.REVIEW_EVENTS or not isinstance(text, str):
        raise validation_failed("PullRequestReview", "event", "invalid")
    state = review_desk.REVIEW_EVENTS[event]
    review = review_desk.add_review(world, at, request.actor, state, text)
    role = role_of(world, repo, review.user)
    return Reply(review_payload(repo, issue.number, review, role, request.urls))


@route(
    "GET",
    PULL + "/reviews/{review_id}",
    "pulls/get-review",
    DOCS + "get-a-review-for-a-pull-request",
)
def get_review(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    wanted = int_param(params, "review_id")
    review = next((review for review in at.pull.reviews if review.id == wanted), None)
    if review is None:
        raise not_found()
    role = role_of(world, repo, review.user)
    return Reply(review_payload(repo, issue.number, review, role, request.urls))


@route(
    "GET",
    PULL + "/comments",
    "pulls/list-review-comments",
    COMMENT_DOCS + "list-review-comments-on-a-pull-request",
)
def list_review_comments(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    comments = at.pull.review_comments
    if (since := request.time_arg("since")) is not None:
        comments = [comment for comment in comments if comment.updated_at >= since]
    if request.arg("direction") == "desc":
        comments = list(reversed(comments))
    page, headers = paginate(request, comments)
    payloads = [
        review_comment_payload(
            repo, issue.number, item, role_of(world, repo, item.user), request.urls
        )
        for item in page
    ]
    return Reply(payloads, headers=headers)


@route(
    "POST",
    PULL + "/comments",
    "pulls/create-review-comment",
    COMMENT_DOCS + "create-a-review-comment-for-a-pull-request",
)
def create_review_comment(request: Request, world: World, params: dict[str, str]) -> Reply:
    """A new thread at ``path``/``line``, or with ``in_reply_to`` a reply."""
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    fields = request.json_object()
    text = _body(fields)
    if isinstance(fields.get("in_reply_to"), int):
        comment = review_desk.reply(world, at, request.actor, fields["in_reply_to"], text)
    else:
        path, line = fields.get("path"), fields.get("line")
        if not isinstance(path, str) or not isinstance(line, int):
            raise validation_failed("PullRequestReviewComment", "line", "missing_field")
        comment = review_desk.add_review_comment(
            world, at, request.actor, text, path=path, line=line
        )
    role = role_of(world, repo, comment.user)
    return Reply(
        review_comment_payload(repo, issue.number, comment, role, request.urls), status=201
    )


@route(
    "POST",
    PULL + "/comments/{comment_id}/replies",
    "pulls/create-reply-for-review-comment",
    COMMENT_DOCS + "create-a-reply-for-a-review-comment",
)
def create_reply(request: Request, world: World, params: dict[str, str]) -> Reply:
    at = _pull(world, params)
    repo, issue = at.repo, at.issue
    text = _body(request.json_object())
    comment_id = int_param(params, "comment_id")
    comment = review_desk.reply(world, at, request.actor, comment_id, text)
    role = role_of(world, repo, comment.user)
    return Reply(
        review_comment_payload(repo, issue.number, comment, role, request.urls), status=201
    )


def _body(fields: dict[str, Any]) -> str:
    text = fields.get("body")
    if not isinstance(text, str) or not text.strip():
        raise validation_failed("PullRequestReviewComment", "body", "missing_field")
    return text


ROUTES = [
    list_reviews,
    create_review,
    get_review,
    list_review_comments,
    create_review_comment,
    create_reply,
]
