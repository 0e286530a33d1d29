"""Webhook payloads in GitHub's shapes, built from what the fake GitHub serves (a delivery
about a run carries the run exactly as the REST API describes it)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx

from sheriff.adapters.github.payloads import run_from
from sheriff.app.webhook_events import WebhookEvent

SENDER = {"login": "octocat", "id": 1, "type": "User"}


def rest_json(api_url: str, path: str) -> Any:
    response = httpx.get(f"{api_url}{path}", headers={"Authorization": "Bearer t"})
    response.raise_for_status()
    return response.json()


def workflow_run_payload(
    api_url: str, repo: str, run_id: int, attempt: int = 1, action: str = "completed"
) -> dict[str, Any]:
    """The ``workflow_run`` delivery GitHub sends when run ``run_id`` finishes."""
    run = rest_json(api_url, f"/repos/{repo}/actions/runs/{run_id}/attempts/{attempt}")
    repository = rest_json(api_url, f"/repos/{repo}")
    return {
        "action": action,
        "workflow_run": run,
        "workflow": {"id": run.get("workflow_id"), "name": run.get("name")},
        "repository": repository,
        "sender": SENDER,
        "installation": {"id": 4242},
    }


def issue_comment_payload(
    repo: str, number: int, body: str, sender: dict[str, Any] | None = None
) -> dict[str, Any]:
    who = sender or SENDER
    return {
        "action": "created",
        "issue": {"number": number, "title": "a failure", "state": "open", "user": SENDER},
        "comment": {"id": 77, "body": body, "user": who},
        "repository": {"full_name": repo, "default_branch": "main"},
        "sender": who,
    }


def workflow_job_payload(repo: str, job_id: int, conclusion: str = "failure") -> dict[str, Any]:
    """A ``workflow_job`` delivery for a job that finished (recorded, no GitHub call)."""
    return {
        "action": "completed",
        "workflow_job": {
            "id": job_id,
            "run_id": job_id // 10,
            "name": "build-test",
            "status": "completed",
            "conclusion": conclusion,
            "labels": ["ubuntu-latest"],
        },
        "repository": {"full_name": repo, "default_branch": "main"},
        "sender": SENDER,
        "installation": {"id": 4242},
    }


def new_delivery_id() -> str:
    return str(uuid.uuid4())


def encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def run_event(payload: dict[str, Any], delivery_id: str | None = None) -> WebhookEvent:
    """The event the web tier would read from a ``workflow_run`` payload."""
    return WebhookEvent(
        delivery_id=delivery_id or new_delivery_id(),
        name="workflow_run",
        action=payload["action"],
        repo=payload["repository"]["full_name"],
        sender=payload["sender"]["login"],
        sender_is_bot=False,
        received_at=time.time(),
        installation_id=payload["installation"]["id"],
        run=run_from(payload["workflow_run"]),
    )
