"""Requests, replies and the table that maps a method and path to a handler."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sheriff.testing.fakegithub.api_errors import ApiError, bad_json, validation_failed
from sheriff.testing.fakegithub.payload_common import Urls
from sheriff.testing.fakegithub.seed_fields import parse_timestamp
from sheriff.testing.fakegithub.world import World

DOCS_BASE = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Request:
    """One HTTP request as handlers see it; ``login`` is the token's identity, if any."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    login: str | None
    urls: Urls

    @property
    def actor(self) -> str:
        return self.login or "ghost"

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def int_arg(self, name: str, default: int) -> int:
        """A whole-number query parameter; GitHub ignores one it cannot read."""
        value = self.arg(name)
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default

    def time_arg(self, name: str) -> datetime | None:
        """An ISO 8601 query parameter such as ``since``; 422 when it cannot be read."""
        value = self.arg(name)
        if value is None:
            return None
        try:
            return parse_timestamp(value)
        except ValueError as error:
            raise validation_failed(
                "Request", name, "invalid", f"{value!r} is not an ISO 8601 time"
            ) from error

    def json_body(self) -> Any:
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise bad_json(str(error)) from error

    def json_object(self) -> dict[str, Any]:
        data = self.json_body()
        if not isinstance(data, dict):
            raise validation_failed("Request", "body", "invalid", "expected a JSON object")
        return data


@dataclass
class Reply:
    """What a handler answers; the server adds ETag, rate-limit and pagination headers."""

    payload: Any = None
    status: int = 200
    raw: bytes | None = None
    file: Path | None = None
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.payload is None:
            return b""
        return json.dumps(self.payload, indent=2).encode()


Handler = Callable[[Request, World, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    """One endpoint: ``operation`` is GitHub's operation id, ``resource`` its rate bucket.

    ``resource`` is ``core`` or ``search`` (counted against that budget), ``free`` (an API
    call that costs nothing, like ``/rate_limit``) or ``download`` (a signed file URL: no
    auth, no budget).
    """

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    operation: str
    docs: str
    resource: str = "core"


def route(
    method: str, template: str, operation: str, docs: str, resource: str = "core"
) -> Callable[[Handler], Route]:
    """Declare a handler for ``template`` such as ``/repos/{owner}/{repo}/issues/{n}``.

    ``{name+}`` takes the rest of the path, slashes included: GitHub accepts a label
    name like ``sheriff/flaky`` unencoded in the path (and ``%2F``-encoded too).
    """
    regex = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", template)
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)

    def register(handler: Handler) -> Route:
        return Route(
            method, re.compile(f"^{regex}/?$"), handler, operation, f"{DOCS_BASE}/{docs}", resource
        )

    return register


class Router:
    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = list(routes)

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for ``method path``; a path known under another method is a 404 too."""
        wanted = "GET" if method == "HEAD" else method
        for candidate in self.routes:
            found = candidate.pattern.match(path)
            if found and candidate.method == wanted:
                return candidate, {key: unquote(value) for key, value in found.groupdict().items()}
        return None


def int_param(params: dict[str, str], name: str) -> int:
    """A numeric path segment; GitHub answers 404 for one that is not a number."""
    try:
        return int(params[name])
    except ValueError as error:
        raise ApiError(404, "Not Found") from error
