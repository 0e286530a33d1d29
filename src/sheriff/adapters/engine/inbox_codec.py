"""A ``WebhookEvent`` as the JSON text the inbox keeps, and back.

JSON rather than pickle: the inbox is a plain file that outlives the code that wrote it, and
reading it must never run code. Unknown keys are dropped and missing optional ones take
their defaults, so a row written by the previous release is still read by the next one.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from sheriff.app.forge import WorkflowRun
from sheriff.app.webhook_events import EventText, WebhookEvent
from sheriff.core.installations import InstallationChange

RUN_TIMES = ("created_at", "started_at", "updated_at")


def encode_event(event: WebhookEvent) -> str:
    return json.dumps(dataclasses.asdict(event), default=_plain, separators=(",", ":"))


def decode_event(text: str) -> WebhookEvent:
    """Raises ValueError or TypeError when ``text`` is not an encoded event."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise TypeError("an inbox row must hold a JSON object")
    fields = _known(WebhookEvent, data)
    fields["run"] = _run(data.get("run"))
    fields["text"] = _text(data.get("text"))
    fields["installation"] = _installation(data.get("installation"))
    return WebhookEvent(**fields)


def _run(data: Any) -> WorkflowRun | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("the event's run must be a JSON object")
    fields = _known(WorkflowRun, data)
    for name in RUN_TIMES:
        if fields.get(name) is not None:
            fields[name] = datetime.fromisoformat(fields[name])
    fields["pull_requests"] = tuple(fields.get("pull_requests") or ())
    return WorkflowRun(**fields)


def _text(data: Any) -> EventText | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("the event's text must be a JSON object")
    return EventText(**_known(EventText, data))


def _installation(data: Any) -> InstallationChange | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("the event's installation change must be a JSON object")
    fields = _known(InstallationChange, data)
    for name in ("repos_added", "repos_removed"):
        fields[name] = tuple(fields.get(name) or ())
    return InstallationChange(**fields)


def _known(kind: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    names = {field.name for field in dataclasses.fields(kind)}
    return {key: value for key, value in data.items() if key in names}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in the inbox")
