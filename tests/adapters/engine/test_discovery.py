"""Installed-repository discovery on real DBOS (SQLite and PostgreSQL engines), with a real
store and the fake GitHub over HTTP: the engine resynchronises the App's installations when
it starts, and each scheduled tick covers the configured repositories plus those installed
when it fires."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sheriff.adapters.engine import RECONCILE_SCHEDULE, SCAN_SCHEDULE, DurableEngine, ServiceWork
from sheriff.adapters.github import AppCredentials, GitHubAppInstallations, GitHubSettings
from sheriff.adapters.store import Store, open_store
from sheriff.app.installations import DiscoveryOptions, RepositoryDiscovery
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub
from tests.adapters.engine.test_engine import (
    RecordingEvents,
    RecordingObserver,
    RecordingScans,
    settings_for,
    wait_until,
)
from tests.adapters.github.conftest import app_key_pair
from tests.app.reconciler_doubles import IdleReconciler

INSTALLED = ("acme/app", "acme/lib")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'sheriff.db'}", upgrade=True)
    yield opened
    opened.close()


@pytest.fixture
def keys() -> tuple[str, str]:
    return app_key_pair()


@pytest.fixture
def fake(keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    with FakeGitHub.running(DEMO_SEED, require_auth=True) as server:
        for name in INSTALLED:
            server.add_repo(name)
        server.install_app(42, 7001, INSTALLED, public_key_pem=keys[1])
        yield server


@pytest.fixture
def discovery(store: Store, fake: FakeGitHub, keys: tuple[str, str]) -> RepositoryDiscovery:
    github = GitHubSettings("", api_url=fake.url)
    directory = GitHubAppInstallations(github, AppCredentials(42, keys[0]))
    return RepositoryDiscovery(store, DiscoveryOptions(), directory)


@contextmanager
def engine_with(
    engine_url: str, discovery: RepositoryDiscovery, scans: RecordingScans, *watched: str
) -> Iterator[DurableEngine]:
    work = ServiceWork(RecordingEvents(), scans, IdleReconciler(), discovery=discovery)
    settings = settings_for(engine_url, watched_repos=watched)
    with DurableEngine(settings, work, RecordingObserver()) as engine:
        yield engine


def test_the_engine_resynchronises_the_installations_when_it_starts(
    engine_url: str, store: Store, discovery: RepositoryDiscovery
) -> None:
    with engine_with(engine_url, discovery, RecordingScans()):
        wait_until(lambda: store.installed_repos() == INSTALLED)


def test_a_tick_covers_the_configured_and_the_installed_repositories_of_its_moment(
    engine_url: str, store: Store, discovery: RepositoryDiscovery
) -> None:
    scans = RecordingScans()
    with engine_with(engine_url, discovery, scans, "ACME/App", "octo/web") as engine:
        wait_until(lambda: store.installed_repos() == INSTALLED)
        store.add_installed_repos(7001, ["acme/late"])  # as a webhook would, after start
        engine.run_schedule_now(SCAN_SCHEDULE)
        expected = ["ACME/App", "acme/late", "acme/lib", "octo/web"]
        wait_until(lambda: sorted(scans.repos) == expected)
        time.sleep(0.5)
        wait_until(lambda: engine.queue_depth() == 0)
    assert sorted(scans.repos) == expected  # acme/app once, as configured


def test_the_reconcile_tick_resynchronises_once_a_day(
    engine_url: str, store: Store, discovery: RepositoryDiscovery, fake: FakeGitHub
) -> None:
    with engine_with(engine_url, discovery, RecordingScans()) as engine:
        wait_until(lambda: store.installed_repos() == INSTALLED)
        fake.change_installation(7001, repos=["acme/app"])  # a removal whose webhook was lost
        engine.run_schedule_now(RECONCILE_SCHEDULE)
        wait_until(lambda: store.installed_repos() == ("acme/app",))
        engine.run_schedule_now(RECONCILE_SCHEDULE)  # the same day: no second resync
        time.sleep(1.0)
        wait_until(lambda: engine.queue_depth() == 0)
    assert fake.request_count("apps/list-installations") == 2  # at start, then the day's


def test_with_discovery_off_a_tick_covers_the_configured_repositories_only(
    engine_url: str, store: Store
) -> None:
    store.add_installed_repos(7001, ["acme/app"])
    scans = RecordingScans()
    off = RepositoryDiscovery(store, DiscoveryOptions(enabled=False))
    with engine_with(engine_url, off, scans, "octo/web") as engine:
        engine.run_schedule_now(SCAN_SCHEDULE)
        wait_until(lambda: scans.repos == ["octo/web"])
        time.sleep(0.5)
    assert scans.repos == ["octo/web"]


def test_installation_deliveries_and_the_resync_share_one_queue_partition() -> None:
    """So they never run at once: a resync that read GitHub's list before a change must
    not write it back after the delivery of that change was applied."""
    from sheriff.adapters.engine.discovery_workflows import SYNC_PARTITION
    from sheriff.app.webhook_events import WebhookEvent

    delivery = WebhookEvent(
        delivery_id="d-1",
        name="installation_repositories",
        action="removed",
        repo=None,
        sender="octocat",
        sender_is_bot=False,
        received_at=0.0,
        installation_id=7001,
    )
    other = WebhookEvent("d-2", "installation", "created", None, "octocat", False, 0.0, 42)
    assert delivery.partition == other.partition == SYNC_PARTITION
