"""GitHub App auth end to end against the fake: the App's JWT finds the installation,
mints an installation token, and Sheriff then acts as ``<slug>[bot]``."""

from __future__ import annotations

import pytest

from sheriff.adapters.github import AppCredentials, GitHubForge, GitHubSettings
from sheriff.errors import GitHubAuthError
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import PYTORCH, app_key_pair


def test_app_looks_up_its_installation_and_acts_as_its_bot(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    settings = GitHubSettings(
        PYTORCH, api_url=app_fake.url, read_credentials=AppCredentials(42, app_keys[0])
    )
    with GitHubForge(settings) as forge:
        assert forge.get_repository().full_name == PYTORCH
        assert forge.authenticated_login() == "sheriff[bot]"
        created = forge.create_issue("[flaky] TestX", "body", ["sheriff/flaky"])
    assert app_fake.request_count(path=r"^/repos/pytorch/pytorch/installation$") == 1
    assert (
        app_fake.request_count(method="POST", path=r"^/app/installations/7001/access_tokens$") == 1
    )
    issue = app_fake.issue(PYTORCH, created.number)
    assert issue.user == "sheriff[bot]"
    api_calls = [
        entry
        for entry in app_fake.requests
        if entry.path.startswith("/repos/") and not entry.path.endswith("/installation")
    ]
    assert {entry.login for entry in api_calls} == {"sheriff[bot]"}


def test_a_jwt_signed_by_another_key_is_refused(app_fake: FakeGitHub) -> None:
    stranger, _ = app_key_pair()
    settings = GitHubSettings(
        PYTORCH, api_url=app_fake.url, read_credentials=AppCredentials(42, stranger, 7001)
    )
    with GitHubForge(settings) as forge, pytest.raises(GitHubAuthError):
        forge.get_repository()
    assert app_fake.request_count("repos/get") == 0


def test_an_app_not_installed_on_the_repository_is_a_clear_error(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    settings = GitHubSettings(
        "hashicorp/terraform",
        api_url=app_fake.url,
        read_credentials=AppCredentials(42, app_keys[0]),
    )
    with GitHubForge(settings) as forge, pytest.raises(GitHubAuthError) as raised:
        forge.get_repository()
    assert "not installed on hashicorp/terraform" in str(raised.value)
