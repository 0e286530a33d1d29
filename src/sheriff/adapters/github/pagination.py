"""Listings: follow ``Link: rel="next"`` 100 at a time, stop early on request, and make
the first page conditional.

A 304 on the first page proves the whole listing unchanged only when every change shows
on the first page: listings ordered newest (or most recently updated) first. Other
listings get a checkpoint only when they fitted on one page that was not full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from sheriff.adapters.github.conditional import ValidatorStore, checkpoint_of, conditional_headers
from sheriff.adapters.github.session import GitHubSession
from sheriff.app.forge import Listing
from sheriff.errors import GitHubRequestError

T = TypeVar("T")
PER_PAGE = 100
Parse = Callable[[Any], T]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """What to list: the full URL of page 1, and where the items are in each page."""

    url: str
    items_key: str | None = None  # None: the page is a JSON list
    newest_first: bool = False  # every change shows on page 1 (see the module docstring)


def first_page_url(api_url: str, path: str, params: Mapping[str, str | int]) -> str:
    query = {"per_page": PER_PAGE, **params}
    return str(httpx.URL(api_url.rstrip("/") + "/" + path.lstrip("/"), params=query))


def fetch_listing(
    session: GitHubSession,
    spec: PageSpec,
    parse: Parse[T],
    *,
    validators: ValidatorStore | None = None,
    keep: Callable[[T], bool] | None = None,
    stop_when: Callable[[T], bool] | None = None,
    limit: int | None = None,
) -> Listing[T]:
    """Items of every page (those ``keep`` accepts), until ``stop_when`` or ``limit``."""
    validator = validators.validator(spec.url) if validators is not None else None
    first = session.request("GET", spec.url, headers=conditional_headers(validator))
    if first.status_code == 304:
        return Listing((), not_modified=True)
    walk = _Walk(parse, keep, stop_when, limit)
    walk.run(_payloads(session, first, spec))
    unchanged_means_nothing_new = spec.newest_first or (
        walk.pages == 1 and walk.first_page_size < PER_PAGE and walk.complete
    )
    checkpoint = None
    if validators is not None and unchanged_means_nothing_new and not walk.hit_limit:
        checkpoint = checkpoint_of(spec.url, first)
    return Listing(tuple(walk.items), complete=walk.complete, checkpoint=checkpoint)


class _Walk(Generic[T]):
    """Collects items page by page, honouring the caller's stop condition and limit."""

    def __init__(
        self,
        parse: Parse[T],
        keep: Callable[[T], bool] | None,
        stop_when: Callable[[T], bool] | None,
        limit: int | None,
    ) -> None:
        self.parse, self.keep, self.stop_when, self.limit = parse, keep, stop_when, limit
        self.items: list[T] = []
        self.pages = 0
        self.first_page_size = 0
        self.complete = True
        self.hit_limit = False

    def run(self, payloads: Iterator[list[Any]]) -> None:
        for payload in payloads:
            self.pages += 1
            self.first_page_size = self.first_page_size or len(payload)
            if not self._take(payload):
                self.complete = False
                return

    def _take(self, payload: list[Any]) -> bool:
        """False once the walk must end."""
        for raw in payload:
            item = self.parse(raw)
            if self.stop_when is not None and self.stop_when(item):
                return False
            if self.keep is None or self.keep(item):
                self.items.append(item)
            if self.limit is not None and len(self.items) >= self.limit:
                self.hit_limit = True
                return False
        return True


def _payloads(session: GitHubSession, first: httpx.Response, spec: PageSpec) -> Iterator[list[Any]]:
    response = first
    while True:
        yield _items_of(response, spec)
        next_url = response.links.get("next", {}).get("url")
        if not next_url:
            return
        response = session.request("GET", next_url)


def _items_of(response: httpx.Response, spec: PageSpec) -> list[Any]:
    body = response.json()
    items = body.get(spec.items_key) if isinstance(body, dict) and spec.items_key else body
    if not isinstance(items, list):
        raise GitHubRequestError(
            f"GitHub answered {response.request.url.path} with no list of items",
            hint="check the API URL points at GitHub's REST API (Enterprise: /api/v3)",
        )
    return items
