"""Wiring of git credentials: the mirror of a repository fetches and pushes over HTTPS
with the write token, or with the GitHub App's installation token for that repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from sheriff.config import Settings
from sheriff.entry.reconcile_command import mirror_opener, with_token
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub
from tests.adapters.github.conftest import PYTORCH, app_key_pair

HTTPS_URL = "https://github.com/pytorch/pytorch.git"


@pytest.fixture
def app_fake(tmp_path: Path) -> Iterator[tuple[FakeGitHub, Path]]:
    private, public = app_key_pair()
    key_path = tmp_path / "app.pem"
    key_path.write_text(private)
    with FakeGitHub.running(DEMO_SEED, require_auth=True) as server:
        server.install_app(42, 7001, [PYTORCH], slug="sheriff", public_key_pem=public)
        yield server, key_path


def test_an_app_mirror_carries_an_installation_token_of_the_repository(
    app_fake: tuple[FakeGitHub, Path], tmp_path: Path
) -> None:
    fake, key_path = app_fake
    settings = Settings(
        github_api_url=fake.url,
        github_app_id=42,
        github_app_private_key_path=key_path,
        workspace_dir=tmp_path / "work",
        data_dir=tmp_path / "data",
    )
    open_mirror = mirror_opener(settings)
    first = open_mirror(PYTORCH, HTTPS_URL)
    second = open_mirror(PYTORCH, HTTPS_URL)
    token = next(t for t, login in fake.world.tokens.items() if login == "sheriff[bot]")
    assert first.push_url == f"https://x-access-token:{token}@github.com/pytorch/pytorch.git"
    assert second.push_url == first.push_url  # still valid for long enough: not minted again
    assert fake.request_count(method="POST", path=r"^/app/installations/7001/access_tokens$") == 1


def test_a_write_token_goes_into_https_urls_only(tmp_path: Path) -> None:
    settings = Settings(
        github_write_token=SecretStr("s3cr/t"),
        workspace_dir=tmp_path / "work",
        data_dir=tmp_path / "data",
    )
    open_mirror = mirror_opener(settings)
    assert open_mirror(PYTORCH, HTTPS_URL).push_url == (
        "https://x-access-token:s3cr%2Ft@github.com/pytorch/pytorch.git"
    )
    local = (tmp_path / "origin.git").as_uri()
    assert open_mirror(PYTORCH, local).push_url == local


def test_with_token_leaves_urls_that_already_carry_credentials_alone() -> None:
    url = "https://someone:pw@github.com/o/r.git"
    assert with_token(url, "t") == url
