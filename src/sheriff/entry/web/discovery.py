"""Wiring for installed-repository discovery: the store, GitHub's API as the App, and the
``discover_installed_repos`` setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sheriff.config import Settings

if TYPE_CHECKING:
    from sheriff.adapters.github import GitHubAppInstallations
    from sheriff.app.installations import InstallationStore, RepositoryDiscovery


def repository_discovery(settings: Settings, store: InstallationStore) -> RepositoryDiscovery:
    """What the service watches beside ``watch_repos``: the repositories the App is
    installed on (only those of ``github_app_installation_id`` when it is set)."""
    from sheriff.app.installations import DiscoveryOptions, RepositoryDiscovery

    options = DiscoveryOptions(
        enabled=settings.discover_installed_repos,
        only_installation=settings.github_app_installation_id,
    )
    directory = installation_directory(settings) if options.enabled else None
    return RepositoryDiscovery(store, options, directory)


def installation_directory(settings: Settings) -> GitHubAppInstallations | None:
    """GitHub's list of the App's installations; None without App credentials."""
    from sheriff.entry.scan_command import app_credentials_of

    credentials = app_credentials_of(settings)
    if credentials is None:
        return None
    from sheriff.adapters.github import (
        ACROSS_REPOSITORIES,
        GitHubAppInstallations,
        GitHubSettings,
    )

    github = GitHubSettings(read_repo=ACROSS_REPOSITORIES, api_url=settings.github_api_url)
    return GitHubAppInstallations(github, credentials)
