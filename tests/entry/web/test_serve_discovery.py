"""``sheriff serve`` as a GitHub App (a real process, the fake GitHub over HTTP): at start it
lists the App's installations and their repositories into the store, and installation
webhooks keep that list current."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import app_key_pair
from tests.app.scan_world import REPO
from tests.app.webhook_payloads import installation_payload
from tests.entry.web.service_world import ServiceWorld, fake_github, wait_until
from tests.entry.web.test_serve import sqlite_world

APP_ID, INSTALLATION = 42, 7001


def installed(world: ServiceWorld) -> tuple[str, ...]:
    with world.store() as store:
        return store.installed_repos()


def app_env(folder: Path, fake: FakeGitHub) -> dict[str, str]:
    private, public = app_key_pair()
    fake.install_app(APP_ID, INSTALLATION, [REPO, "acme/lib"], public_key_pem=public)
    key = folder / "app.pem"
    key.write_text(private)
    return {
        "SHERIFF_GITHUB_APP_ID": str(APP_ID),
        "SHERIFF_GITHUB_APP_PRIVATE_KEY_PATH": str(key),
    }


def worker_started(url: str) -> bool:
    """The worker process answers: its engine has started (it serves metrics after)."""
    page = httpx.get(f"{url}/metrics", timeout=5).text
    return "sheriff_events_processed_total" in page


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    yield from fake_github(tmp_path)


def test_serve_lists_the_installed_repositories_and_follows_installation_webhooks(
    tmp_path: Path, fake: FakeGitHub
) -> None:
    fake.add_repo("acme/lib")
    world = sqlite_world(tmp_path, fake)
    with world.sheriff("serve", **app_env(tmp_path, fake)) as server:
        assert server.url
        wait_until(lambda: installed(world) == (REPO, "acme/lib"), what="the resync")
        # GitHub's own list changes with each delivery, so a resync agrees with them.
        fake.add_repo("acme/new")
        fake.change_installation(INSTALLATION, repos=[REPO, "acme/lib", "acme/new"])
        payload = installation_payload(
            "added",
            INSTALLATION,
            "acme",
            ["acme/new"],
            event="installation_repositories",
            removed=[],
        )
        answer = world.deliver(
            server.url, json.dumps(payload).encode(), event="installation_repositories"
        )
        assert (answer.status_code, answer.json()["result"]) == (202, "queued")
        wait_until(lambda: "acme/new" in installed(world), what="the added repository")
        fake.change_installation(INSTALLATION, repos=[REPO, "acme/new"])
        removed = installation_payload(
            "removed",
            INSTALLATION,
            "acme",
            [],
            event="installation_repositories",
            removed=["acme/lib"],
        )
        world.deliver(server.url, json.dumps(removed).encode(), event="installation_repositories")
        wait_until(lambda: installed(world) == (REPO, "acme/new"), what="the removal")


def test_serve_with_discovery_off_lists_nothing(tmp_path: Path, fake: FakeGitHub) -> None:
    world = sqlite_world(tmp_path, fake)
    env = app_env(tmp_path, fake)
    with world.sheriff("serve", SHERIFF_DISCOVER_INSTALLED_REPOS="false", **env) as server:
        wait_until(lambda: worker_started(server.url or ""), what="the worker process")
        time.sleep(2.0)  # well past its start, when a resync would have been queued
    assert installed(world) == ()
    assert fake.request_count("apps/list-installations") == 0
