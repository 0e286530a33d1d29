"""Conditional GETs: strong ETags over the body, Last-Modified, and 304 Not Modified.

``If-None-Match`` wins over ``If-Modified-Since`` when both are sent (RFC 9110 13.2.2).
Weak validators (``W/"..."``) match too, as GitHub's own ETags are often weak.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest() + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def is_not_modified(headers: dict[str, str], etag: str, last_modified: datetime | None) -> bool:
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in offered or etag in offered
    since = headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= moment
