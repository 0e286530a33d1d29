"""Turn GitHub's error answers and network failures into GitHubErrors with a next step."""

from __future__ import annotations

import json
from datetime import datetime

import httpx

from sheriff.adapters.github.ratelimits import RateLimit, rate_limit_of
from sheriff.errors import (
    GitHubAuthError,
    GitHubConflictError,
    GitHubError,
    GitHubNotFoundError,
    GitHubNotMergeableError,
    GitHubPermissionError,
    GitHubRequestError,
    GitHubUnavailableError,
    GitHubValidationError,
    RateLimitedError,
)

CREDENTIALS_HINT = (
    "check the token (SHERIFF_GITHUB_TOKEN / the write token): it may be mistyped, expired "
    "or revoked; for a GitHub App check the app id, private key and installation"
)
PERMISSION_HINT = (
    "give the token the scopes Sheriff needs (Actions: read, Contents: read, Issues: "
    "read and write; re-runs need Actions: write; fixes need Contents and Pull requests: "
    "write; check runs need a GitHub App with Checks: write), or the App those permissions"
)


NOT_FOUND_HINT = (
    "check the repository name and the API URL (GitHub Enterprise: https://HOST/api/v3); "
    "a private repository also answers 404 to a token that cannot see it"
)
CLIENT_ERRORS: dict[int, tuple[type[GitHubError], str]] = {
    401: (GitHubAuthError, CREDENTIALS_HINT),
    403: (GitHubPermissionError, PERMISSION_HINT),
    404: (GitHubNotFoundError, NOT_FOUND_HINT),
    405: (
        GitHubNotMergeableError,
        "bring the branch up to date with its base and resolve conflicts, mark a draft "
        "ready for review, or check the pull request is still open",
    ),
    409: (
        GitHubConflictError,
        "the branch moved meanwhile: read it again and retry with its new head",
    ),
    410: (GitHubNotFoundError, NOT_FOUND_HINT),
    422: (
        GitHubValidationError,
        "GitHub's reasons are in the message: check that the branches exist and differ, "
        "and that no open pull request already covers them",
    ),
}
BUG_HINT = "this is probably a bug in Sheriff: please report it with this message"


def describe(response: httpx.Response, now: float) -> GitHubError:
    """The error for a final (not retried further) failing ``response``."""
    where = f"{response.request.method} {response.request.url.path}"
    detail = f"{where} answered {response.status_code}: {message_of(response)}"
    limit = rate_limit_of(response, now)
    if limit is not None:
        return rate_limited(limit, where, now)
    if response.status_code >= 500:
        return unavailable(detail)
    kind, hint = CLIENT_ERRORS.get(response.status_code, (GitHubRequestError, BUG_HINT))
    return kind(detail, hint=hint)


def unavailable(detail: str) -> GitHubUnavailableError:
    return GitHubUnavailableError(
        detail,
        hint="GitHub or the network is failing; check https://www.githubstatus.com and the "
        "API URL, then run again (work already stored is not repeated)",
    )


def network_failure(error: httpx.TransportError, request: httpx.Request) -> GitHubError:
    return unavailable(f"{request.method} {request.url} failed: {type(error).__name__}: {error}")


def rate_limited(limit: RateLimit, where: str, now: float) -> RateLimitedError:
    kind = "secondary rate limit" if limit.secondary else "API rate limit"
    bucket = f" ({limit.resource})" if limit.resource else ""
    when = _describe_reset(limit.reset_at, now)
    return RateLimitedError(
        f"GitHub's {kind}{bucket} is spent: {where} was refused; it lifts {when}",
        hint="wait until then and run again (stored work is not repeated); a GitHub App "
        "installation or a separate read token has its own, larger budget; Sheriff waits "
        "by itself for resets closer than its max_rate_limit_wait",
        reset_at=limit.reset_at,
        resource=limit.resource,
        secondary=limit.secondary,
    )


def _describe_reset(reset_at: datetime | None, now: float) -> str:
    if reset_at is None:
        return "after a pause GitHub did not state (wait at least a minute)"
    minutes = max(reset_at.timestamp() - now, 0.0) / 60
    return f"at {reset_at:%Y-%m-%d %H:%M:%S} UTC, in {minutes:.0f} min"


def message_of(response: httpx.Response) -> str:
    """GitHub's ``message`` (and validation errors) from a JSON error body, else the reason."""
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return response.reason_phrase or "no details"
    if not isinstance(body, dict):
        return response.reason_phrase or "no details"
    message = str(body.get("message") or response.reason_phrase)
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        message += " " + json.dumps(errors)[:300]
    return message
