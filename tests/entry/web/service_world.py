"""A fake GitHub with failed runs, a data folder and the environment that points
``sheriff serve`` / ``sheriff worker`` processes at them; signed deliveries about its runs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from sheriff.adapters.store import Store, open_store
from sheriff.app.ports import AuditEntry
from sheriff.core.issues import fingerprints_in
from sheriff.testing.fakegithub import FakeGitHub
from tests.app.scan_world import REPO, attempt_line, write_seed
from tests.app.webhook_payloads import new_delivery_id, workflow_run_payload
from tests.entry.web.servers import SheriffProcess, free_port, sheriff_process, signed_headers

SECRET = "acceptance-tests-webhook-secret"
FAILED_RUNS = (201, 202, 203)
SHERIFF_LOGIN = "sheriff-bot"  # the fake's login for any token


@dataclass
class ServiceWorld:
    fake: FakeGitHub
    folder: Path
    store_url: str
    engine_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    logs: list[Path] = field(default_factory=list)

    def env(self, **more: str) -> dict[str, str]:
        return {
            "SHERIFF_WEBHOOK_SECRET": SECRET,
            "SHERIFF_GITHUB_API_URL": self.fake.url,
            "SHERIFF_GITHUB_TOKEN": "test-token",
            "SHERIFF_DB_URL": self.store_url,
            "SHERIFF_ENGINE_DB_URL": self.engine_url,
            "SHERIFF_DATA_DIR": str(self.folder / "data"),
            "SHERIFF_BOT_LOGIN": SHERIFF_LOGIN,
            "SHERIFF_QUEUE_POLL_SECONDS": "0.05",
            "SHERIFF_WORKER_HEARTBEAT_SECONDS": "0.5",
            "SHERIFF_WORKER_DEAD_AFTER_SECONDS": "3",
            "XDG_DATA_HOME": str(self.folder / "xdg"),
            **self.extra_env,
            **more,
        }

    @contextmanager
    def sheriff(self, *args: str, http: bool = True, **env: str) -> Iterator[SheriffProcess]:
        """``sheriff ARGS`` running against this world (on a free port when ``http``)."""
        log = self.folder / f"sheriff-{len(self.logs)}.log"
        self.logs.append(log)
        port = free_port() if http else None
        with sheriff_process(list(args), self.env(**env), log, port=port) as process:
            if http:
                process.wait_healthy()
            yield process

    def run_payload(self, run_id: int) -> bytes:
        return json.dumps(workflow_run_payload(self.fake.url, REPO, run_id)).encode()

    def deliver(
        self,
        url: str,
        body: bytes,
        *,
        event: str = "workflow_run",
        delivery_id: str | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        headers = signed_headers(
            SECRET.encode(), body, event, delivery_id or new_delivery_id(), signature=signature
        )
        return httpx.post(f"{url}/webhook", content=body, headers=headers, timeout=30)

    @contextmanager
    def store(self) -> Iterator[Store]:
        opened = open_store(self.store_url)
        try:
            yield opened
        finally:
            opened.close()

    def audit_of(self, delivery_id: str) -> list[AuditEntry]:
        with self.store() as store:
            return [e for e in store.audit_log() if e.event.key == f"webhook:{delivery_id}"]

    def issues_by_fingerprint(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for issue in self.fake.issues(REPO):
            for fingerprint in fingerprints_in(issue.body or ""):
                found.setdefault(fingerprint, []).append(issue.number)
        return found

    def writes(self) -> list[str]:
        return [f"{item.method} {item.path}" for item in self.fake.requests if item.method != "GET"]

    def issue_creations(self) -> int:
        return sum(
            1
            for item in self.fake.requests
            if item.method == "POST" and item.path == f"/repos/{REPO}/issues"
        )


def fake_github(folder: Path) -> Iterator[FakeGitHub]:
    """The fake GitHub: failed runs of the demo seed's real cidiff log; one failure is
    enough to file an issue (``recurrence_threshold: 1`` in the repository's config)."""
    seed = write_seed(folder / "seed", [attempt_line(run_id) for run_id in FAILED_RUNS])
    with FakeGitHub.running(seed) as fake:
        fake.put_file(REPO, ".github/sheriff.yml", "recurrence_threshold: 1\n")
        yield fake


def wait_until(condition: Callable[[], bool], seconds: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {what or condition}")
        time.sleep(0.1)
