"""The App's installations and their repositories from GitHub's API (the fake, over real
HTTP): the JWT lists installations, each installation's own token lists its repositories,
100 a time following ``Link``."""

from __future__ import annotations

import pytest

from sheriff.adapters.github import AppCredentials, GitHubAppInstallations, GitHubSettings
from sheriff.core.installations import InstallationSnapshot
from sheriff.errors import GitHubAuthError
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import PYTORCH, app_key_pair

MANY = [f"acme/service-{number:03d}" for number in range(130)]


def directory(fake: FakeGitHub, private_key: str) -> GitHubAppInstallations:
    settings = GitHubSettings("", api_url=fake.url)
    return GitHubAppInstallations(settings, AppCredentials(42, private_key, 7001))


def test_every_installation_and_every_repository_is_listed(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    for name in MANY:
        app_fake.add_repo(name)
    app_fake.install_app(42, 7002, MANY, public_key_pem=app_keys[1])
    app_fake.change_installation(7001, suspended=True)
    github = directory(app_fake, app_keys[0])

    assert github.installations() == [
        InstallationSnapshot(7001, "pytorch", True, None),
        InstallationSnapshot(7002, "acme", False, None),
    ]
    assert github.repositories_of(7002) == tuple(MANY)
    pages = app_fake.request_count("apps/list-repos-accessible-to-installation")
    assert pages == 2  # 100, then 30
    tokens = app_fake.request_count(method="POST", path=r"^/app/installations/7002/access_tokens$")
    assert tokens == 1
    assert {
        entry.login for entry in app_fake.requests if entry.path.startswith("/installation")
    } == {"sheriff[bot]"}


def test_a_suspended_installation_cannot_list_its_repositories(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    app_fake.change_installation(7001, suspended=True)
    with pytest.raises(GitHubAuthError):
        directory(app_fake, app_keys[0]).repositories_of(7001)


def test_a_key_github_does_not_know_is_a_clear_error(app_fake: FakeGitHub) -> None:
    stranger, _ = app_key_pair()
    with pytest.raises(GitHubAuthError):
        directory(app_fake, stranger).installations()


def test_the_installation_in_the_settings_does_not_narrow_the_app_listing(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    assert [item.installation_id for item in directory(app_fake, app_keys[0]).installations()] == [
        7001
    ]
    assert directory(app_fake, app_keys[0]).repositories_of(7001) == (PYTORCH,)
