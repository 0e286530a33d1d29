"""The App's installations and their repositories: written by webhooks and resyncs, read
by the schedules (suspended installations do not count, uninstalled ones are forgotten)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sheriff.adapters.store import Store
from sheriff.adapters.store.schema_installations import InstalledRepositoryRow
from sheriff.core.installations import InstallationSnapshot

ACME, OCTO = 101, 202


def snapshot(
    installation: int, repos: tuple[str, ...] | None, *, suspended: bool = False
) -> InstallationSnapshot:
    return InstallationSnapshot(installation, f"owner-{installation}", suspended, repos)


def test_a_recorded_installation_covers_its_repositories(store: Store) -> None:
    store.record_installation(snapshot(ACME, ("acme/app", "acme/lib")))
    store.record_installation(snapshot(OCTO, ("octo/web",)))
    assert store.installed_repos() == ("acme/app", "acme/lib", "octo/web")
    assert store.installations() == (
        snapshot(ACME, ("acme/app", "acme/lib")),
        snapshot(OCTO, ("octo/web",)),
    )


def test_recording_again_replaces_the_repositories_and_keeps_since(store: Store) -> None:
    store.record_installation(snapshot(ACME, ("acme/app", "acme/lib")))
    first_since = _since(store, "acme/app")
    store.record_installation(snapshot(ACME, ("acme/app", "acme/new")))
    assert store.installed_repos() == ("acme/app", "acme/new")
    assert _since(store, "acme/app") == first_since
    assert _since(store, "acme/new") > first_since


def test_repositories_are_added_and_removed_ignoring_case(store: Store) -> None:
    store.add_installed_repos(ACME, ["acme/app"], account="acme")
    store.add_installed_repos(ACME, ["acme/app", "acme/lib"])  # again: no duplicate
    store.remove_installed_repos(ACME, ["ACME/App"])
    assert store.installed_repos() == ("acme/lib",)
    assert store.installations() == (InstallationSnapshot(ACME, "acme", False, ("acme/lib",)),)


def test_a_suspended_installation_stops_counting_until_unsuspended(store: Store) -> None:
    store.record_installation(snapshot(ACME, ("acme/app",)))
    store.record_installation(snapshot(OCTO, ("octo/web",)))
    store.suspend_installation(ACME, True)
    store.suspend_installation(ACME, True)  # twice: still suspended
    assert store.installed_repos() == ("octo/web",)
    store.suspend_installation(ACME, False)
    assert store.installed_repos() == ("acme/app", "octo/web")


def test_a_suspended_installation_listed_without_repositories_keeps_them(store: Store) -> None:
    store.record_installation(snapshot(ACME, ("acme/app",)))
    store.record_installation(snapshot(ACME, None, suspended=True))
    assert store.installed_repos() == ()
    assert store.installations() == (snapshot(ACME, ("acme/app",), suspended=True),)


def test_uninstalled_installations_are_forgotten_with_their_repositories(store: Store) -> None:
    store.record_installation(snapshot(ACME, ("acme/app",)))
    store.record_installation(snapshot(OCTO, ("octo/web",)))
    assert store.forget_installations_except([OCTO]) == (ACME,)
    assert store.installed_repos() == ("octo/web",)
    store.forget_installation(OCTO)
    store.forget_installation(OCTO)  # an unknown one: nothing happens
    assert store.installations() == ()
    assert store.installed_repos() == ()


def test_an_event_for_an_unknown_installation_creates_it(store: Store) -> None:
    store.suspend_installation(OCTO, False)
    store.remove_installed_repos(OCTO, ["octo/web"])
    assert store.installations() == (InstallationSnapshot(OCTO, None, False, ()),)


def _since(store: Store, repo: str) -> datetime:
    query = select(InstalledRepositoryRow.since).where(InstalledRepositoryRow.full_name == repo)
    since: datetime = store.database.run(lambda session: session.execute(query).scalar_one())
    return since
