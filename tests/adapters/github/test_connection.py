"""Building the adapter from values: no I/O until used, Enterprise URLs, errors with
hints, GitHub App credentials (as far as the fake goes: it has no App endpoints)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheriff.adapters.github import AppCredentials, GitHubForge, GitHubSettings, TokenCredentials
from sheriff.app.forge import RunQuery
from sheriff.errors import (
    ConfigError,
    GitHubAuthError,
    GitHubNotFoundError,
)
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub
from tests.adapters.github.conftest import PYTORCH, MakeForge


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Hidden:
    """Like pydantic's SecretStr."""

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value


def test_building_the_adapter_sends_nothing(fake: FakeGitHub, make_forge: MakeForge):
    make_forge(write_repo="someone/else")
    assert fake.request_count() == 0, fake.requests


def test_secrets_stay_out_of_reprs():
    settings = GitHubSettings(PYTORCH, read_credentials=TokenCredentials(Hidden("s3cret")))
    assert "s3cret" not in repr(settings)
    assert "s3cret" not in repr(AppCredentials(1, "-----BEGIN s3cret"))


def test_an_enterprise_style_api_url(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(api_url=f"{fake.url}/api/v3", read_credentials=TokenCredentials(Hidden("t")))
    assert forge.get_repository().default_branch == "main"
    assert forge.list_workflow_runs(RunQuery()).items


def test_a_bad_repository_name_is_a_config_error():
    with pytest.raises(ConfigError):
        GitHubForge(GitHubSettings("just-a-name"))


def test_a_missing_repository_says_what_to_check(make_forge: MakeForge):
    with pytest.raises(GitHubNotFoundError) as raised:
        make_forge("nobody/nothing").get_repository()
    assert "API URL" in raised.value.hint


def test_a_missing_file_on_the_default_branch_is_none(fake: FakeGitHub, make_forge: MakeForge):
    assert make_forge().read_default_branch_file(".github/sheriff.yml") is None
    (entry,) = fake.requests
    assert entry.path.endswith("/contents/.github/sheriff.yml")


def test_bad_credentials_say_to_check_the_token():
    with FakeGitHub.running(DEMO_SEED, tokens={"good": "someone"}, require_auth=True) as fake:
        settings = GitHubSettings(
            PYTORCH, api_url=fake.url, read_credentials=TokenCredentials("bad")
        )
        with GitHubForge(settings) as forge, pytest.raises(GitHubAuthError) as raised:
            forge.get_repository()
        assert "token" in raised.value.hint
        assert "401" in raised.value.message


def test_app_installation_lookup_and_token_exchange_reach_github(fake: FakeGitHub):
    """No App is installed on the fake here, so both steps end in a GitHubAuthError; what
    is checked is that Sheriff asks the right endpoints (the happy path is in
    test_app_auth.py)."""
    key = private_key_pem()
    looked_up = GitHubSettings(PYTORCH, api_url=fake.url, read_credentials=AppCredentials(42, key))
    with GitHubForge(looked_up) as forge, pytest.raises(GitHubAuthError) as missing:
        forge.get_repository()
    assert "not installed on pytorch/pytorch" in str(missing.value)
    assert fake.request_count(path=r"^/repos/pytorch/pytorch/installation$") == 1
    pinned = GitHubSettings(
        PYTORCH, api_url=fake.url, read_credentials=AppCredentials(42, Hidden(key), 7)
    )
    with GitHubForge(pinned) as forge, pytest.raises(GitHubAuthError) as refused:
        forge.get_repository()
    assert "installation token" in str(refused.value)
    assert fake.request_count(method="POST", path=r"^/app/installations/7/access_tokens$") == 1
    assert fake.request_count("repos/get") == 0


def test_an_unusable_private_key_is_an_auth_error(fake: FakeGitHub):
    settings = GitHubSettings(
        PYTORCH, api_url=fake.url, read_credentials=AppCredentials(42, "not a key", 7)
    )
    with GitHubForge(settings) as forge, pytest.raises(GitHubAuthError) as raised:
        forge.get_repository()
    assert "private key" in raised.value.hint
    assert fake.request_count() == 0, fake.requests
