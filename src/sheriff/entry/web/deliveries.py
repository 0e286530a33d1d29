"""A verified delivery's JSON read into a ``WebhookEvent`` (only what the handlers need)."""

from __future__ import annotations

import re
from typing import Any

from sheriff.adapters.github.payloads import run_from
from sheriff.app.webhook_events import EventText, WebhookEvent
from sheriff.core.installations import InstallationChange
from sheriff.errors import GitHubRequestError

DELIVERY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
EVENT_NAME = re.compile(r"^[a-z0-9_]{1,60}$")
SUBJECT_KEYS = {"workflow_job": "workflow_job", "check_run": "check_run"}


def delivery_id_is_valid(value: str) -> bool:
    return DELIVERY_ID.match(value) is not None


def event_name_is_valid(value: str) -> bool:
    return EVENT_NAME.match(value) is not None


def read_event(name: str, delivery_id: str, payload: Any, received_at: float) -> WebhookEvent:
    """Raises GitHubRequestError when the payload lacks what the event must carry."""
    if not isinstance(payload, dict):
        raise GitHubRequestError("the webhook payload is not a JSON object")
    sender = _object(payload, "sender")
    login = _text(sender, "login")
    return WebhookEvent(
        delivery_id=delivery_id,
        name=name,
        action=_text(payload, "action"),
        repo=_text(_object(payload, "repository"), "full_name"),
        sender=login,
        sender_is_bot=sender.get("type") == "Bot" or (login or "").endswith("[bot]"),
        received_at=received_at,
        installation_id=_integer(_object(payload, "installation"), "id"),
        run=run_from(payload.get("workflow_run")) if name == "workflow_run" else None,
        number=_number_of(name, payload),
        label=_text(_object(payload, "label"), "name"),
        conclusion=_text(_object(payload, SUBJECT_KEYS[name]), "conclusion")
        if name in SUBJECT_KEYS
        else None,
        text=_text_of(name, payload),
        installation=_installation_change_of(name, payload),
    )


def _installation_change_of(name: str, payload: dict[str, Any]) -> InstallationChange | None:
    """The repositories an ``installation`` (``repositories``, on created) or
    ``installation_repositories`` (``repositories_added`` / ``_removed``) event names."""
    if name not in ("installation", "installation_repositories"):
        return None
    installation = _object(payload, "installation")
    added_key = "repositories" if name == "installation" else "repositories_added"
    return InstallationChange(
        account=_text(_object(installation, "account"), "login"),
        repos_added=_repo_names(payload.get(added_key)),
        repos_removed=_repo_names(payload.get("repositories_removed")),
        repository_selection=_text(payload, "repository_selection")
        or _text(installation, "repository_selection"),
    )


def _repo_names(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    names = (_text(item, "full_name") for item in items if isinstance(item, dict))
    return tuple(name for name in names if name and "/" in name)


# Where each event keeps the text a person wrote: (object, MentionSource value).
TEXT_HOLDERS = {
    "issue_comment": ("comment", "issue_comment"),
    "pull_request_review": ("review", "review"),
    "pull_request_review_comment": ("comment", "review_comment"),
    "issues": ("issue", "issue_body"),
    "pull_request": ("pull_request", "issue_body"),
}
TEXT_ACTIONS = frozenset({"created", "submitted", "opened", "edited"})


def _text_of(name: str, payload: dict[str, Any]) -> EventText | None:
    """The comment, review or body the event carries, when a person just wrote it."""
    if name not in TEXT_HOLDERS or _text(payload, "action") not in TEXT_ACTIONS:
        return None
    key, source = TEXT_HOLDERS[name]
    holder = _object(payload, key)
    body = _text(holder, "body")
    source_id = _integer(holder, "number" if source == "issue_body" else "id")
    if not body or source_id is None:
        return None
    return EventText(
        source=source,
        source_id=source_id,
        body=body,
        is_pull_request=name.startswith("pull_request")
        or "pull_request" in _object(payload, "issue"),
        html_url=_text(holder, "html_url"),
        path=_text(holder, "path"),
        line=_integer(holder, "line"),
    )


def _number_of(name: str, payload: dict[str, Any]) -> int | None:
    if name in ("issues", "issue_comment"):
        return _integer(_object(payload, "issue"), "number")
    if name.startswith("pull_request"):
        return _integer(_object(payload, "pull_request"), "number") or _integer(payload, "number")
    return None


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _integer(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
