"""The fake as a plain function of a request: faults, auth, rate limits, routing, 304s.

Kept apart from the socket server so the order of checks reads top to bottom in
``FakeApp.handle``: route → fault → auth → rate limit → handler → conditional → headers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sheriff.testing.fakegithub.api_errors import DOCS, ApiError
from sheriff.testing.fakegithub.conditional import etag_of, http_date, is_not_modified
from sheriff.testing.fakegithub.faults import BAD_GATEWAY_PAGE, Fault, FaultPlan
from sheriff.testing.fakegithub.payload_common import Urls, user_id
from sheriff.testing.fakegithub.recording import RecordedRequest, RequestLog
from sheriff.testing.fakegithub.routing import Reply, Request, Route, Router
from sheriff.testing.fakegithub.world import World

API_VERSION = "2022-11-28"
COUNTED = {"core", "search"}
ENTERPRISE_PREFIX = "/api/v3"


@dataclass(frozen=True)
class AuthPolicy:
    """Which tokens mean whom. Unknown tokens are the default user unless auth is required."""

    tokens: Mapping[str, str] = field(default_factory=dict)
    require_auth: bool = False
    default_login: str = "sheriff-bot"

    def identify(self, authorization: str | None) -> str | None:
        if not authorization:
            if self.require_auth:
                raise ApiError(401, "Requires authentication")
            return None
        scheme, _, token = authorization.partition(" ")
        login = self.tokens.get(token.strip()) if scheme.lower() in {"token", "bearer"} else None
        if login is None and self.require_auth:
            raise ApiError(401, "Bad credentials")
        return login or self.default_login


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    file: Path | None = None


class FakeApp:
    def __init__(
        self,
        world: World,
        router: Router,
        *,
        auth: AuthPolicy,
        html_base: str | None = None,
        latency: float = 0.0,
    ) -> None:
        self.world = world
        self.router = router
        self.auth = auth
        self.faults = FaultPlan()
        self.log = RequestLog()
        self.html_base = html_base
        self.latency = latency
        self._request_ids = count(1)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, base_url: str
    ) -> Response:
        """Answer one request; ``headers`` have lower-case names."""
        parts = urlsplit(target)
        path, api_base = _strip_enterprise_prefix(parts.path, base_url)
        found = self.router.match(method, path)
        route, params = found if found else (None, {})
        fault = self.faults.take(method, path)
        if self.latency or (fault and fault.delay):
            time.sleep(self.latency + (fault.delay if fault else 0.0))
        query = parse_qs(parts.query, keep_blank_values=True)
        urls = Urls(api_base, self.html_base or base_url)
        request = Request(method, path, query, headers, body, None, urls)
        faulted = fault is not None and fault.status is not None
        if fault is not None and faulted:
            response, login = self._fault_response(fault), None
        else:
            response, login = self._answer(route, params, request)
        operation, resource = (route.operation, route.resource) if route else ("unmatched", "none")
        self.log.add(
            RecordedRequest(
                method,
                path,
                parts.query,
                operation,
                resource,
                response.status,
                login,
                faulted=faulted,
            )
        )
        response.headers.setdefault("x-github-request-id", self._request_id())
        return response

    def _answer(
        self, route: Route | None, params: dict[str, str], request: Request
    ) -> tuple[Response, str | None]:
        resource = route.resource if route else "core"
        login: str | None = None
        try:
            if resource not in {"download", "app"}:  # App routes check their JWT themselves
                login = self.auth.identify(request.headers.get("authorization"))
            response = self._dispatch(route, params, replace(request, login=login))
        except ApiError as error:
            response = _error_response(error, route.docs if route else DOCS)
        if resource in COUNTED and response.status not in {304, 401}:
            with self.world.lock:
                self.world.budgets.spend(resource)
        if resource != "download":  # App routes answer with the usual API headers
            version = request.headers.get("x-github-api-version", API_VERSION)
            response.headers = {**self._api_headers(resource, version), **response.headers}
        return response, login

    def _dispatch(self, route: Route | None, params: dict[str, str], request: Request) -> Response:
        if route is None:
            raise ApiError(404, "Not Found")
        with self.world.lock:
            if route.resource in COUNTED:
                self.world.budgets.check(route.resource, user_id(request.login or "anonymous"))
            reply = route.handler(request, self.world, params)
        return self._render(reply, request)

    def _render(self, reply: Reply, request: Request) -> Response:
        headers = {"content-type": reply.content_type, **reply.headers}
        if reply.file is not None:
            headers["content-length"] = str(reply.file.stat().st_size)
            return Response(reply.status, headers, file=reply.file)
        body = reply.body()
        if request.method in {"GET", "HEAD"} and reply.status == 200:
            headers["etag"] = etag_of(body)
            if reply.last_modified is not None:
                headers["last-modified"] = http_date(reply.last_modified)
            if is_not_modified(request.headers, headers["etag"], reply.last_modified):
                kept = {k: v for k, v in headers.items() if k in {"etag", "last-modified"}}
                return Response(304, kept)
        return Response(reply.status, headers, body)

    def _fault_response(self, fault: Fault) -> Response:
        error = fault.error()
        if error is None:
            return Response(502, {"content-type": "text/html; charset=utf-8"}, BAD_GATEWAY_PAGE)
        response = _error_response(error, DOCS)
        response.headers.update(self.world.budgets.headers("core"))
        response.headers.update(error.headers)
        return response

    def _api_headers(self, resource: str, version: str) -> dict[str, str]:
        return {
            "cache-control": "private, max-age=60, s-maxage=60",
            "vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
            "x-github-api-version-selected": version,
            "x-github-media-type": "github.v3; format=json",
            **self.world.budgets.headers(resource if resource in COUNTED else "core"),
        }

    def _request_id(self) -> str:
        return f"FAKE:{next(self._request_ids):08X}"


def _strip_enterprise_prefix(path: str, base_url: str) -> tuple[str, str]:
    """``/api/v3/...`` is served too, as GitHub Enterprise Server lays its API out."""
    if path == ENTERPRISE_PREFIX or path.startswith(ENTERPRISE_PREFIX + "/"):
        return path[len(ENTERPRISE_PREFIX) :] or "/", base_url + ENTERPRISE_PREFIX
    return path, base_url


def _error_response(error: ApiError, docs: str) -> Response:
    body = json.dumps(error.body(docs)).encode()
    headers = {"content-type": "application/json; charset=utf-8", **error.headers}
    return Response(error.status, headers, body)
