"""Use case: which repositories the service watches — those its settings name, and those
the GitHub App is installed on.

The store keeps each installation's repositories. ``installation`` and
``installation_repositories`` webhooks keep it current; a resynchronisation from GitHub's
API (at start and once a day) repairs whatever a lost delivery left out. A suspended
installation's repositories stop counting until it is unsuspended; an uninstalled one's
are forgotten.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from sheriff.app.webhook_events import WebhookEvent
from sheriff.core.installations import InstallationChange, InstallationSnapshot, repos_to_watch


class InstallationStore(Protocol):
    """The installations and their repositories (``sheriff.adapters.store.Store``)."""

    def installed_repos(self) -> tuple[str, ...]: ...

    def record_installation(self, snapshot: InstallationSnapshot) -> None: ...

    def add_installed_repos(
        self, installation_id: int, repos: Iterable[str], account: str | None = None
    ) -> None: ...

    def remove_installed_repos(self, installation_id: int, repos: Iterable[str]) -> None: ...

    def suspend_installation(self, installation_id: int, suspended: bool) -> None: ...

    def forget_installation(self, installation_id: int) -> None: ...

    def forget_installations_except(self, keep: Collection[int]) -> tuple[int, ...]: ...


class InstallationDirectory(Protocol):
    """GitHub's own list, read with the App's credentials (GitHub errors raise)."""

    def installations(self) -> Sequence[InstallationSnapshot]:
        """Every installation of the App, its repositories not listed (``repos`` None)."""
        ...

    def repositories_of(self, installation_id: int) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class DiscoveryOptions:
    """``enabled`` false: only the configured repositories are watched. With
    ``only_installation`` (the installation id in the settings), other installations are
    left out: Sheriff acts through that one alone."""

    enabled: bool = True
    only_installation: int | None = None


class RepositoryDiscovery:
    """Keeps the installed repositories and answers which repositories to watch."""

    def __init__(
        self,
        store: InstallationStore,
        options: DiscoveryOptions,
        directory: InstallationDirectory | None = None,
    ) -> None:
        self._store = store
        self._options = options
        self._directory = directory  # None: no App credentials, webhooks alone

    @property
    def can_resynchronise(self) -> bool:
        return self._options.enabled and self._directory is not None

    def repositories_to_watch(self, configured: Sequence[str]) -> tuple[str, ...]:
        """``configured`` and, with discovery on, every installed repository (once each,
        ignoring case), as the store has them now."""
        installed = self._store.installed_repos() if self._options.enabled else ()
        return repos_to_watch(configured, installed)

    def apply(self, event: WebhookEvent) -> str:
        """Update the store from an ``installation`` or ``installation_repositories``
        event (idempotent); returns what changed, for the audit log."""
        installation, change = event.installation_id, event.installation
        if not self._options.enabled:
            return "installed-repository discovery is off"
        if installation is None or change is None:
            return f"{event.name} {event.action} names no installation"
        if not self._covers(installation):
            return f"installation {installation} is not the configured one: left out"
        if event.name == "installation_repositories":
            return self._apply_repositories(installation, event.action, change)
        return self._apply_installation(installation, event.action, change)

    def resynchronise(self) -> str:
        """Replace the store's installations with GitHub's list (the repositories of
        each installation that is not suspended are listed afresh)."""
        if self._directory is None or not self._options.enabled:
            return "no GitHub App credentials or discovery off: nothing to resynchronise"
        listed = [
            item for item in self._directory.installations() if self._covers(item.installation_id)
        ]
        repos = 0
        for snapshot in listed:
            listing = snapshot
            if not snapshot.suspended:
                listing = replace(
                    snapshot, repos=self._directory.repositories_of(snapshot.installation_id)
                )
                repos += len(listing.repos or ())
            self._store.record_installation(listing)
        gone = self._store.forget_installations_except([item.installation_id for item in listed])
        return (
            f"{len(listed)} installation(s) covering {repos} repositories; "
            f"{len(gone)} uninstalled installation(s) forgotten"
        )

    def _covers(self, installation_id: int) -> bool:
        only = self._options.only_installation
        return only is None or only == installation_id

    def _apply_repositories(
        self, installation: int, action: str | None, change: InstallationChange
    ) -> str:
        if action == "added":
            self._store.add_installed_repos(installation, change.repos_added, change.account)
            return f"installation {installation}: added {_names(change.repos_added)}"
        self._store.remove_installed_repos(installation, change.repos_removed)
        return f"installation {installation}: removed {_names(change.repos_removed)}"

    def _apply_installation(
        self, installation: int, action: str | None, change: InstallationChange
    ) -> str:
        if action == "created":
            snapshot = InstallationSnapshot(installation, change.account, False, change.repos_added)
            self._store.record_installation(snapshot)
            return f"installation {installation} created on {_names(change.repos_added)}"
        if action == "deleted":
            self._store.forget_installation(installation)
            return f"installation {installation} deleted: its repositories are no longer watched"
        if action == "suspend":
            self._store.suspend_installation(installation, True)
            return f"installation {installation} suspended: its repositories are not watched"
        if action == "unsuspend":
            self._store.suspend_installation(installation, False)
            return f"installation {installation} unsuspended; {self._refresh(installation)}"
        self._store.add_installed_repos(installation, (), change.account)
        return f"installation {installation} {action}: its repositories are unchanged"

    def _refresh(self, installation: int) -> str:
        """List the installation's repositories afresh (they may have changed meanwhile)."""
        if self._directory is None:
            return "its repositories count again"
        names = self._directory.repositories_of(installation)
        self._store.record_installation(InstallationSnapshot(installation, None, False, names))
        return f"it covers {_names(names)}"


def _names(repos: Sequence[str]) -> str:
    if not repos:
        return "no repositories"
    shown = ", ".join(repos[:5])
    return shown if len(repos) <= 5 else f"{shown} and {len(repos) - 5} more"
