"""GitHub's page-number pagination: ``per_page`` (default 30, at most 100), ``page`` and a
``Link`` header with ``prev``, ``next``, ``last`` and ``first`` (GitHub's order), each
present only when it leads somewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlencode

from sheriff.testing.fakegithub.routing import Request

T = TypeVar("T")
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def paginate(request: Request, items: Sequence[T]) -> tuple[list[T], dict[str, str]]:
    """The requested page of ``items`` and the headers (``Link``) that go with it."""
    per_page = min(max(request.int_arg("per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    page = max(request.int_arg("page", 1), 1)
    last = max(1, -(-len(items) // per_page))
    chosen = list(items[(page - 1) * per_page : page * per_page])
    relations: list[tuple[str, int]] = []
    if page > 1:
        relations.append(("prev", min(page - 1, last)))
    if page < last:
        relations += [("next", page + 1), ("last", last)]
    if page > 1:
        relations.append(("first", 1))
    if not relations:
        return chosen, {}
    links = ", ".join(f'<{_page_url(request, number)}>; rel="{name}"' for name, number in relations)
    return chosen, {"Link": links}


def _page_url(request: Request, page: int) -> str:
    query = [
        (key, value) for key, values in request.query.items() if key != "page" for value in values
    ]
    query.append(("page", str(page)))
    return f"{request.urls.api_url(request.path)}?{urlencode(query)}"
