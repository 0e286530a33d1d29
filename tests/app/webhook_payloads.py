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


def repository_entry(full_name: str, number: int = 1) -> dict[str, Any]:
    """A repository as ``installation`` events list it (id, node_id, name, full_name,
    private)."""
    return {
        "id": 900_000 + number,
        "node_id": f"R_kgDO{number:08d}",
        "name": full_name.split("/", 1)[1],
        "full_name": full_name,
        "private": False,
    }


def installation_payload(
    action: str,
    installation_id: int,
    account: str,
    repos: list[str] | None = None,
    *,
    event: str = "installation",
    removed: list[str] | None = None,
) -> dict[str, Any]:
    """An ``installation`` delivery (``repos``: its ``repositories``, sent on created) or,
    with ``event="installation_repositories"``, one with ``repositories_added`` (``repos``)
    and ``repositories_removed``."""
    installation = {
        "id": installation_id,
        "account": {"login": account, "id": 7, "type": "Organization"},
        "repository_selection": "selected",
        "app_id": 42,
        "app_slug": "sheriff",
        "target_type": "Organization",
        "permissions": {"actions": "write", "issues": "write", "metadata": "read"},
        "events": ["workflow_run", "issues"],
        "suspended_at": "2026-01-05T09:00:00Z" if action == "suspend" else None,
    }
    listed = [repository_entry(name, number) for number, name in enumerate(repos or [])]
    payload: dict[str, Any] = {
        "action": action,
        "installation": installation,
        "requester": None,
        "sender": SENDER,
    }
    if event == "installation":
        if action == "created":
            payload["repositories"] = listed
        return payload
    gone = [repository_entry(name, 500 + number) for number, name in enumerate(removed or [])]
    payload |= {
        "repository_selection": "selected",
        "repositories_added": listed,
        "repositories_removed": gone,
    }
    return payload
