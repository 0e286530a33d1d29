"""The token git sends for fetches and pushes: the configured token, or an installation
token of the GitHub App minted on the fake and renewed before it runs out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sheriff.adapters.github import (
    AppCredentials,
    GitCredentials,
    GitHubSettings,
    TokenCredentials,
)
from sheriff.errors import GitHubAuthError
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import PYTORCH

TOKENS_PATH = r"^/app/installations/7001/access_tokens$"


def _app(app_fake: FakeGitHub, key: str, repo: str = PYTORCH) -> GitHubSettings:
    return GitHubSettings(repo, api_url=app_fake.url, read_credentials=AppCredentials(42, key))


def test_an_app_mints_an_installation_token_that_acts_as_its_bot(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    token = GitCredentials(_app(app_fake, app_keys[0])).token()
    assert token is not None
    assert token.startswith("ghs_")
    assert app_fake.world.tokens[token] == "sheriff[bot]"
    assert app_fake.request_count(method="POST", path=TOKENS_PATH) == 1


def test_a_token_is_reused_while_it_has_long_enough_left_then_renewed(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    now = [datetime.now(UTC)]
    credentials = GitCredentials(
        _app(app_fake, app_keys[0]), min_valid=timedelta(minutes=45), clock=lambda: now[0]
    )
    first = credentials.token()
    now[0] += timedelta(minutes=10)  # 50 minutes left: reused
    assert credentials.token() == first
    now[0] += timedelta(minutes=10)  # 40 minutes left: too little for a fix and its push
    second = credentials.token()
    assert second != first
    assert app_fake.request_count(method="POST", path=TOKENS_PATH) == 2


def test_a_configured_token_is_used_as_it_is_and_nothing_is_minted(app_fake: FakeGitHub) -> None:
    settings = GitHubSettings(
        PYTORCH,
        api_url=app_fake.url,
        read_credentials=TokenCredentials("read-token"),
        write_credentials=TokenCredentials("write-token"),
    )
    assert GitCredentials(settings).token() == "write-token"
    assert app_fake.request_count(method="POST", path=TOKENS_PATH) == 0


def test_without_credentials_git_goes_anonymous() -> None:
    assert GitCredentials(GitHubSettings(PYTORCH)).token() is None


def test_an_app_not_installed_on_the_repository_is_a_clear_error(
    app_fake: FakeGitHub, app_keys: tuple[str, str]
) -> None:
    with pytest.raises(GitHubAuthError) as raised:
        GitCredentials(_app(app_fake, app_keys[0], "hashicorp/terraform")).token()
    assert "not installed on hashicorp/terraform" in str(raised.value)
