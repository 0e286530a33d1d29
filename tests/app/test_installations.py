"""Installed-repository discovery: installation webhooks keep the store current, a
resynchronisation from GitHub (the fake, over real HTTP) repairs it, and the service
watches the configured repositories plus the installed ones."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sheriff.adapters.github import AppCredentials, GitHubAppInstallations, GitHubSettings
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.event_service import EventHandler, ScanService
from sheriff.app.installations import DiscoveryOptions, RepositoryDiscovery
from sheriff.app.scan import ScanRequest
from sheriff.app.webhook_events import EventRoute, WebhookEvent
from sheriff.entry.web.deliveries import read_event
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub
from tests.adapters.github.conftest import app_key_pair
from tests.app.reconciler_doubles import IdleReconciler
from tests.app.webhook_payloads import installation_payload, new_delivery_id

APP, ACME, OCTO = 42, 7001, 7002


@pytest.fixture
def keys() -> tuple[str, str]:
    return app_key_pair()


@pytest.fixture
def fake(keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    with FakeGitHub.running(DEMO_SEED, require_auth=True) as server:
        for name in ("acme/app", "acme/lib", "octo/web"):
            server.add_repo(name)
        server.install_app(APP, ACME, ["acme/app", "acme/lib"], public_key_pem=keys[1])
        server.install_app(APP, OCTO, ["octo/web"], public_key_pem=keys[1])
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'sheriff.db'}", upgrade=True)
    yield opened
    opened.close()


def discovery(
    store: Store,
    fake: FakeGitHub | None = None,
    keys: tuple[str, str] | None = None,
    **options: Any,
) -> RepositoryDiscovery:
    directory = None
    if fake is not None and keys is not None:
        settings = GitHubSettings("", api_url=fake.url)
        directory = GitHubAppInstallations(settings, AppCredentials(APP, keys[0]))
    return RepositoryDiscovery(store, DiscoveryOptions(**options), directory)


def delivered(payload: dict[str, Any], name: str = "installation") -> WebhookEvent:
    return read_event(name, new_delivery_id(), payload, time.time())


def test_webhooks_follow_an_installation_through_its_life(store: Store) -> None:
    roster = discovery(store)
    created = installation_payload("created", ACME, "acme", ["acme/app", "acme/lib"])
    assert "created on acme/app, acme/lib" in roster.apply(delivered(created))
    assert roster.repositories_to_watch(["acme/web"]) == ("acme/web", "acme/app", "acme/lib")

    added = installation_payload(
        "added", ACME, "acme", ["acme/new"], event="installation_repositories", removed=["acme/lib"]
    )
    roster.apply(delivered(added, "installation_repositories"))
    assert store.installed_repos() == ("acme/app", "acme/lib", "acme/new")
    removed = installation_payload(
        "removed", ACME, "acme", [], event="installation_repositories", removed=["acme/lib"]
    )
    roster.apply(delivered(removed, "installation_repositories"))
    assert store.installed_repos() == ("acme/app", "acme/new")

    roster.apply(delivered(installation_payload("suspend", ACME, "acme")))
    assert roster.repositories_to_watch(["acme/web"]) == ("acme/web",)
    roster.apply(delivered(installation_payload("unsuspend", ACME, "acme")))
    assert store.installed_repos() == ("acme/app", "acme/new")
    accepted = roster.apply(
        delivered(installation_payload("new_permissions_accepted", ACME, "acme"))
    )
    assert "unchanged" in accepted
    assert store.installed_repos() == ("acme/app", "acme/new")

    roster.apply(delivered(installation_payload("deleted", ACME, "acme")))
    assert store.installed_repos() == ()
    assert store.installations() == ()


def test_applying_an_event_twice_changes_nothing_twice(store: Store) -> None:
    roster = discovery(store)
    event = delivered(installation_payload("created", ACME, "acme", ["acme/app"]))
    roster.apply(event)
    before = store.installations()
    roster.apply(event)
    assert store.installations() == before


def test_a_resync_replaces_the_store_with_what_github_lists(
    store: Store, fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    roster = discovery(store, fake, keys)
    roster.apply(delivered(installation_payload("created", 9999, "gone", ["gone/repo"])))
    summary = roster.resynchronise()
    assert summary.startswith("2 installation(s) covering 3 repositories; 1 uninstalled")
    assert store.installed_repos() == ("acme/app", "acme/lib", "octo/web")

    fake.change_installation(ACME, repos=["acme/app"])
    fake.change_installation(OCTO, suspended=True)
    roster.resynchronise()
    assert store.installed_repos() == ("acme/app",)
    octo = [item for item in store.installations() if item.installation_id == OCTO]
    assert octo[0].suspended
    assert octo[0].repos == ("octo/web",)  # kept, not counted, until it is unsuspended


def test_unsuspending_lists_the_installation_afresh(
    store: Store, fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    roster = discovery(store, fake, keys)
    roster.resynchronise()
    roster.apply(delivered(installation_payload("suspend", OCTO, "octo")))
    fake.add_repo("octo/api")
    fake.change_installation(OCTO, repos=["octo/web", "octo/api"])
    note = roster.apply(delivered(installation_payload("unsuspend", OCTO, "octo")))
    assert "it covers octo/api, octo/web" in note
    assert store.installed_repos() == ("acme/app", "acme/lib", "octo/api", "octo/web")


def test_with_an_installation_configured_the_others_are_left_out(
    store: Store, fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    roster = discovery(store, fake, keys, only_installation=OCTO)
    roster.resynchronise()
    assert store.installed_repos() == ("octo/web",)
    note = roster.apply(delivered(installation_payload("created", ACME, "acme", ["acme/app"])))
    assert "not the configured one" in note
    assert store.installed_repos() == ("octo/web",)


def test_discovery_off_watches_the_configured_repositories_only(
    store: Store, fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    roster = discovery(store, fake, keys, enabled=False)
    store.add_installed_repos(ACME, ["acme/app"])
    assert not roster.can_resynchronise
    assert "off" in roster.apply(delivered(installation_payload("created", OCTO, "octo", ["x/y"])))
    assert "nothing to resynchronise" in roster.resynchronise()
    assert roster.repositories_to_watch(["acme/web"]) == ("acme/web",)
    assert fake.request_count("apps/list-installations") == 0


def test_the_event_handler_applies_an_installation_event_and_audits_it(
    store: Store, tmp_path: Path
) -> None:
    def no_forge(repo: str) -> Any:
        pytest.fail(f"an installation event opened a forge for {repo}")

    scans = ScanService(ScanRequest(tmp_path), no_forge, store, FileLogReader(1 << 20))
    handler = EventHandler(store, scans, IdleReconciler(), installations=discovery(store))
    event = delivered(installation_payload("created", ACME, "acme", ["acme/app"]))
    outcome = handler.handle(event)
    assert outcome.route is EventRoute.INSTALLATION
    assert store.installed_repos() == ("acme/app",)
    keyed = [item for item in store.audit_log() if item.event.key == f"webhook:{event.delivery_id}"]
    assert keyed[0].event.action == "webhook.installation.created"
    assert "created on acme/app" in keyed[0].event.details["outcome"]
