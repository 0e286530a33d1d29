"""Typed reads of fields from GitHub's JSON, failing with a clear GitHubRequestError.

Records are read from the JSON itself rather than through githubkit's models: those
validate strictly and reject real payloads that stray from the schema (a missing or
newly nullable field), which would stop a scan over one odd run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sheriff.errors import GitHubRequestError

Json = dict[str, Any]


def obj(value: Any, what: str) -> Json:
    if not isinstance(value, dict):
        raise _malformed(what, "an object")
    return value


def integer(data: Json, key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _malformed(key, "an integer")
    return value


def optional_integer(data: Json, key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def text(data: Json, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _malformed(key, "a string")
    return value


def optional_text(data: Json, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def flag(data: Json, key: str) -> bool:
    return data.get(key) is True


def timestamp(data: Json, key: str) -> datetime:
    value = optional_timestamp(data, key)
    if value is None:
        raise _malformed(key, "an ISO 8601 time")
    return value


def optional_timestamp(data: Json, key: str) -> datetime | None:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def login_of(data: Json, key: str) -> str | None:
    """``data[key]["login"]``: the login of a user field, if any."""
    user = data.get(key)
    return optional_text(user, "login") if isinstance(user, dict) else None


def is_bot(data: Json, key: str) -> bool:
    """Whether ``data[key]`` is a bot account: ``type`` Bot, or a ``[bot]`` login."""
    user = data.get(key)
    if not isinstance(user, dict):
        return False
    login = optional_text(user, "login") or ""
    return user.get("type") == "Bot" or login.endswith("[bot]")


def objects(data: Json, key: str) -> list[Json]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def strings(data: Json, key: str) -> tuple[str, ...]:
    value = data.get(key)
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _malformed(field: str, expected: str) -> GitHubRequestError:
    return GitHubRequestError(
        f"GitHub's answer has no usable {field!r} (expected {expected})",
        hint="check the API URL points at GitHub's REST API (Enterprise: /api/v3); if it "
        "does, please report this with the request that failed",
    )
