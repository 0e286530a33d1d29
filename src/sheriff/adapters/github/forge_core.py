"""What every part of the GitHub Forge shares: the two sessions, the repositories, the
validator store, and conditional GETs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from sheriff.adapters.github.conditional import (
    ValidatorStore,
    conditional_headers,
    validator_of,
)
from sheriff.adapters.github.pagination import PageSpec, Parse, fetch_listing, first_page_url
from sheriff.adapters.github.retrying import Retrier
from sheriff.adapters.github.session import GitHubSession
from sheriff.adapters.github.settings import GitHubSettings
from sheriff.app.forge import Listing
from sheriff.app.ports import HttpValidator
from sheriff.errors import ConfigError

T = TypeVar("T")
Query = Mapping[str, str | int]


class ForgeCore:
    """Reads go through the read session, changes through the write session."""

    def __init__(
        self,
        settings: GitHubSettings,
        validators: ValidatorStore | None = None,
        *,
        retrier: Retrier | None = None,
    ) -> None:
        for name in (settings.read_repo, settings.issue_repo):
            _check_repo_name(name)
        self._settings = settings
        self._validators = validators
        self._retrier = retrier or Retrier(settings.retry)
        self._reader = GitHubSession(
            settings, settings.read_credentials, settings.read_repo, self._retrier
        )
        self._writer = (
            self._reader
            if settings.write_credentials is None and settings.issue_repo == settings.read_repo
            else GitHubSession(
                settings, settings.writer_credentials, settings.issue_repo, self._retrier
            )
        )

    @property
    def read_repo(self) -> str:
        return self._settings.read_repo

    @property
    def write_repo(self) -> str:
        return self._settings.issue_repo

    def close(self) -> None:
        self._reader.close()
        self._writer.close()

    def __enter__(self) -> ForgeCore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------
    def _url(self, path: str, params: Query | None = None) -> str:
        root = self._settings.api_url.rstrip("/") + "/" + path.lstrip("/")
        return str(httpx.URL(root, params=params or {}))

    def _get(self, path: str, params: Query | None = None, **options: Any) -> httpx.Response:
        return self._reader.request("GET", self._url(path, params), **options)

    def _write(self, method: str, path: str, body: Any = None, **options: Any) -> Any:
        response = self._writer.request(method, self._url(path), json=body, **options)
        return response.json() if response.content else None

    def _cached_get(self, path: str, *, headers: Mapping[str, str] | None = None) -> bytes | None:
        """The body of a single resource (None on 404), revalidated against the body kept
        with its validator: a 304 costs no rate limit and returns the kept body."""
        url = self._url(path)
        stored = self._validators.validator(url) if self._validators is not None else None
        kept = stored if stored is not None and stored.body is not None else None
        response = self._reader.request(
            "GET", url, headers={**(headers or {}), **conditional_headers(kept)}, accept=(404,)
        )
        if response.status_code == 404:
            return None
        if response.status_code == 304 and kept is not None and kept.body is not None:
            return kept.body
        fresh = validator_of(response, keep_body=True)
        if fresh is not None and self._validators is not None:
            self._validators.put_validator(url, fresh)
        return response.content

    def _listing(
        self,
        path: str,
        params: Query,
        parse: Parse[T],
        *,
        items_key: str | None = None,
        newest_first: bool = False,
        conditional: bool = True,
        **walk: Any,
    ) -> Listing[T]:
        spec = PageSpec(
            first_page_url(self._settings.api_url, path, params), items_key, newest_first
        )
        validators = self._validators if conditional else None
        return fetch_listing(self._reader, spec, parse, validators=validators, **walk)

    def mark_seen(self, listing: Listing[Any]) -> None:
        """Remember ``listing``'s first-page validators: next time, unchanged means 304."""
        checkpoint = listing.checkpoint
        if checkpoint is None or self._validators is None:
            return
        validator = HttpValidator(checkpoint.etag, checkpoint.last_modified)
        self._validators.put_validator(checkpoint.url, validator)


def _check_repo_name(name: str) -> None:
    owner, _, repo = name.partition("/")
    if not owner or not repo or "/" in repo or name != name.strip():
        raise ConfigError(
            f"{name!r} is not a repository name",
            hint="name repositories OWNER/NAME, e.g. octo-org/octo-repo",
        )
