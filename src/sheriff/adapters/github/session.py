"""One set of credentials talking to the API: an httpx client made at first use, with
retries, and GitHub's errors translated.

Answers with a status in ``accept`` (beside 2xx and 304) come back to the caller; any
other failure raises a ``GitHubError``.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx

from sheriff.adapters.github import auth
from sheriff.adapters.github.error_translation import describe
from sheriff.adapters.github.retrying import Retrier
from sheriff.adapters.github.settings import AppCredentials, Credentials, GitHubSettings
from sheriff.errors import GitHubAuthError, GitHubError, GitHubNotFoundError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
Query = Mapping[str, str | int]


class GitHubSession:
    def __init__(
        self,
        settings: GitHubSettings,
        credentials: Credentials | None,
        repo: str,
        retrier: Retrier,
        *,
        as_app: bool = False,
    ) -> None:
        """``repo`` is where a GitHub App's installation is looked up when no id is given;
        ``as_app``: a GitHub App's requests are signed with its JWT, as the App itself
        (``/app/...`` endpoints), not as one of its installations."""
        self._settings = settings
        self._credentials = credentials
        self._repo = repo
        self._retrier = retrier
        self._as_app = as_app
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Query | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        accept: Collection[int] = (),
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send and read the whole answer."""
        client = self._ready_client()
        request = client.build_request(method, url, params=params, json=json, headers=headers)
        response = self._send(client, request, idempotent, stream=False)
        return self._checked(response, accept)

    @contextmanager
    def stream(
        self, url: str, *, accept: Collection[int] = (), headers: Mapping[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """GET ``url`` (following redirects) without reading the body; closed on exit."""
        client = self._ready_client()
        request = client.build_request("GET", url, headers=headers)
        response = self._send(client, request, True, stream=True)
        try:
            yield self._checked(response, accept)
        finally:
            response.close()

    def _send(
        self, client: httpx.Client, request: httpx.Request, idempotent: bool | None, stream: bool
    ) -> httpx.Response:
        safe = request.method in IDEMPOTENT_METHODS if idempotent is None else idempotent

        def send_once() -> httpx.Response:
            response = self._send_signed(client, request, stream)
            if stream and response.status_code >= 400:
                response.read()
            return response

        return self._retrier.send(request, send_once, safe)

    def _send_signed(
        self, client: httpx.Client, request: httpx.Request, stream: bool
    ) -> httpx.Response:
        if not isinstance(self._credentials, AppCredentials):
            return client.send(request, stream=stream)
        try:
            return client.send(request, stream=stream)
        except auth.auth_library_errors() as error:
            raise auth.auth_failure(error, request.url) from error

    def _checked(self, response: httpx.Response, accept: Collection[int]) -> httpx.Response:
        if response.is_success or response.status_code == 304:
            return response
        if response.status_code in accept:
            response.read()
            return response
        response.read()
        response.close()
        raise describe(response, self._retrier.clock())

    # -- the client, made on first use -------------------------------------------------------
    def _ready_client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                installation = None if self._as_app else self._installation_id()
                self._client = self._new_client(installation)
            return self._client

    def _new_client(self, installation_id: int | None) -> httpx.Client:
        settings = self._settings
        flow = auth.auth_flow(
            self._credentials, settings.api_url, settings.user_agent, installation_id
        )
        return httpx.Client(
            base_url=settings.api_url.rstrip("/") + "/",
            auth=flow,
            headers=auth.default_headers(settings.user_agent),
            timeout=httpx.Timeout(settings.timeout_seconds, connect=10.0),
            follow_redirects=True,
        )

    def installation_token(self) -> tuple[str, datetime]:
        """A new installation access token of the App for ``repo``, with its expiry (the
        token git sends over HTTPS; the API calls renew their own inside githubkit)."""
        credentials = self._credentials
        if not isinstance(credentials, AppCredentials):
            raise GitHubAuthError(
                "an installation token needs GitHub App credentials",
                hint="set SHERIFF_GITHUB_APP_ID and SHERIFF_GITHUB_APP_PRIVATE_KEY_PATH",
            )
        installation = credentials.installation_id or self._installation_id()
        app_client = self._new_client(None)
        try:
            request = app_client.build_request(
                "POST", f"app/installations/{installation}/access_tokens"
            )
            response = self._checked(self._send(app_client, request, False, stream=False), ())
        finally:
            app_client.close()
        return _token_of(response)

    def _installation_id(self) -> int | None:
        """The App's installation on ``repo`` when the settings give none (one request)."""
        credentials = self._credentials
        if not isinstance(credentials, AppCredentials) or credentials.installation_id:
            return None
        app_client = self._new_client(None)
        try:
            request = app_client.build_request("GET", f"repos/{self._repo}/installation")
            response = self._checked(self._send(app_client, request, True, stream=False), ())
        except GitHubNotFoundError as error:
            raise GitHubAuthError(
                f"the GitHub App {credentials.app_id} is not installed on {self._repo}",
                hint="install the App on the repository, or set its installation id",
            ) from error
        finally:
            app_client.close()
        return _installation_id_of(response)


def _installation_id_of(response: httpx.Response) -> int:
    body = response.json()
    installation = body.get("id") if isinstance(body, dict) else None
    if not isinstance(installation, int):
        raise GitHubError(
            "GitHub's installation answer has no id",
            hint="set the App's installation id in Sheriff's settings",
        )
    return installation


def _token_of(response: httpx.Response) -> tuple[str, datetime]:
    body = response.json()
    token = body.get("token") if isinstance(body, dict) else None
    expires = body.get("expires_at") if isinstance(body, dict) else None
    if not isinstance(token, str) or not isinstance(expires, str):
        raise GitHubError(
            "GitHub's installation token answer has no token or expiry",
            hint="check the API URL points at GitHub (or GitHub Enterprise Server)",
        )
    return token, datetime.fromisoformat(expires.replace("Z", "+00:00"))
