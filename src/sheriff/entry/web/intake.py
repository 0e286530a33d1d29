"""Receiving one webhook delivery: size, signature, headers, payload, route, inbox.

Order matters: the size is checked before the body is read whole, the signature before the
body is parsed or anything is recorded; a delivery is acknowledged (202) only once it is
committed to the web tier's durable inbox (``adapters/engine/inbox.py``), from which it is
forwarded to the engine's queue, so an acknowledged delivery is never lost.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass

from fastapi import Request

from sheriff.adapters.engine import Enqueued
from sheriff.app.webhook_events import HANDLED_EVENTS, EventRoute, WebhookEvent, route_event
from sheriff.entry.web.deliveries import (
    delivery_id_is_valid,
    event_name_is_valid,
    read_event,
)
from sheriff.entry.web.signatures import signature_matches
from sheriff.errors import EngineError, GitHubRequestError

UNVERIFIED = "unverified"
# Longest wait for the inbox's commit: under GitHub's 10 s, so the answer is ours (503).
ACCEPT_TIMEOUT_SECONDS = 8.0

Accept = Callable[[WebhookEvent], Awaitable[Enqueued]]
"""Record an event durably; raises EngineError when it cannot."""


@dataclass(frozen=True, slots=True)
class WebhookIntake:
    secret: bytes
    max_body_bytes: int
    accept: Accept
    own_login: str | None = None
    clock: Callable[[], float] = time.time


def accept_into(
    submit: Callable[[WebhookEvent], Future[Enqueued]],
    timeout_seconds: float = ACCEPT_TIMEOUT_SECONDS,
) -> Accept:
    """``Accept`` over a thread-side ``submit`` (the inbox's): awaits its future; a request
    that waited ``timeout_seconds`` is given up (and, not yet written, never will be)."""

    async def accept(event: WebhookEvent) -> Enqueued:
        try:
            return await asyncio.wait_for(asyncio.wrap_future(submit(event)), timeout_seconds)
        except TimeoutError as error:
            raise EngineError(
                f"the webhook inbox did not record delivery {event.delivery_id} within "
                f"{timeout_seconds:g} s",
                hint="its disk is slow or stuck; GitHub can redeliver it from the App's settings",
            ) from error

    return accept


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    result: str
    detail: str
    event: str = UNVERIFIED


async def receive_delivery(request: Request, intake: WebhookIntake) -> Reply:
    body = await _read_capped(request, intake.max_body_bytes)
    if body is None:
        return Reply(413, "too_large", f"the body is over {intake.max_body_bytes} bytes")
    signature = request.headers.get("x-hub-signature-256")
    if not signature_matches(intake.secret, body, signature):
        why = "missing" if not signature else "invalid"
        return Reply(401, "unauthorized", f"{why} X-Hub-Signature-256")
    name = request.headers.get("x-github-event")
    delivery_id = request.headers.get("x-github-delivery")
    if (
        name is None
        or delivery_id is None
        or not event_name_is_valid(name)
        or not delivery_id_is_valid(delivery_id)
    ):
        return Reply(400, "invalid", "missing or malformed X-GitHub-Event / X-GitHub-Delivery")
    return await _accept(name, delivery_id, body, intake)


async def _accept(name: str, delivery_id: str, body: bytes, intake: WebhookIntake) -> Reply:
    if name == "ping":
        return Reply(200, "ping", "pong", name)
    if name not in HANDLED_EVENTS:
        return Reply(202, "ignored", f"{name} events are not handled", name)
    try:
        event = read_event(name, delivery_id, json.loads(body), intake.clock())
    except (ValueError, RecursionError, GitHubRequestError) as error:
        return Reply(400, "invalid", f"unreadable payload: {error}", name)
    decision = route_event(event, intake.own_login)
    if decision.route is EventRoute.IGNORE:
        return Reply(202, "ignored", decision.reason, name)
    try:
        queued = await intake.accept(event)
    except EngineError as error:
        return Reply(503, "unavailable", str(error), name)
    return Reply(202, queued.value, decision.reason, name)


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)
