"""The App's listings: ``GET /app/installations`` (JWT) and ``GET /installation/repositories``
(installation token), read through githubkit's typed models (which validate the documented
shapes strictly) and paged with ``Link`` headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub
from githubkit.cache import MemCacheStrategy
from githubkit.exception import RequestFailed

from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub
from tests.adapters.github.conftest import app_key_pair

APP_ID = 42
MANY = [f"acme/repo-{number:03d}" for number in range(45)]


@pytest.fixture
def keys() -> tuple[str, str]:
    return app_key_pair()


@pytest.fixture
def app_fake(keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    with FakeGitHub.running(DEMO_SEED, require_auth=True) as server:
        for name in MANY:
            server.add_repo(name)
        server.install_app(APP_ID, 7001, MANY, public_key_pem=keys[1])
        server.install_app(APP_ID, 7002, ["pytorch/pytorch"], public_key_pem=keys[1])
        server.install_app(99, 9900, ["labri-progress/cidiff"])  # another App
        yield server


def client(fake: FakeGitHub, strategy: Any) -> GitHub[Any]:
    """githubkit on the fake, with a token cache of its own (its default one is shared by
    the process and keyed by App id: tokens of an earlier test's fake would be reused)."""
    return GitHub(strategy, base_url=fake.url, auto_retry=False, cache_strategy=MemCacheStrategy())


def as_app(fake: FakeGitHub, keys: tuple[str, str]) -> GitHub[Any]:
    return client(fake, AppAuthStrategy(APP_ID, keys[0]))


def as_installation(fake: FakeGitHub, keys: tuple[str, str], installation: int) -> GitHub[Any]:
    return client(fake, AppInstallationAuthStrategy(APP_ID, keys[0], installation))


def test_the_app_lists_its_own_installations_page_by_page(
    app_fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    gh = as_app(app_fake, keys)
    first = gh.rest.apps.list_installations(per_page=1)
    assert [item.id for item in first.parsed_data] == [7001]
    assert 'rel="next"' in first.headers["link"]
    every = list(gh.rest.paginate(gh.rest.apps.list_installations, per_page=1))
    assert [(item.id, item.app_id) for item in every] == [(7001, APP_ID), (7002, APP_ID)]
    assert every[1].account is not None
    assert every[1].suspended_at is None


def test_an_installation_lists_its_repositories_with_the_documented_envelope(
    app_fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    gh = as_installation(app_fake, keys, 7001)
    page = gh.rest.apps.list_repos_accessible_to_installation(per_page=20, page=3)
    assert page.parsed_data.total_count == len(MANY)
    assert [repo.full_name for repo in page.parsed_data.repositories] == MANY[40:]
    assert 'rel="prev"' in page.headers["link"]
    assert 'rel="next"' not in page.headers["link"]
    other = as_installation(app_fake, keys, 7002)
    listed = other.rest.apps.list_repos_accessible_to_installation().parsed_data
    assert [repo.full_name for repo in listed.repositories] == ["pytorch/pytorch"]


def test_listing_repositories_needs_an_installation_token(app_fake: FakeGitHub) -> None:
    app_fake.add_token("user-token", "alice")
    answer = httpx.get(
        f"{app_fake.url}/installation/repositories",
        headers={"Authorization": "token user-token"},
    )
    assert answer.status_code == 403
    assert "installation access token" in answer.json()["message"]


def test_a_suspended_installation_is_listed_as_such_and_mints_no_token(
    app_fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    app_fake.change_installation(7002, suspended=True)
    gh = as_app(app_fake, keys)
    listed = gh.rest.apps.list_installations().parsed_data
    assert [item.suspended_at is not None for item in listed] == [False, True]
    with pytest.raises(RequestFailed) as refused:
        gh.rest.apps.create_installation_access_token(7002)
    assert refused.value.response.status_code == 403


def test_an_uninstalled_installation_is_no_longer_listed_and_its_tokens_stop_working(
    app_fake: FakeGitHub, keys: tuple[str, str]
) -> None:
    gh = as_installation(app_fake, keys, 7002)
    assert gh.rest.apps.list_repos_accessible_to_installation().parsed_data.total_count == 1
    app_fake.change_installation(7002, uninstalled=True)
    app = as_app(app_fake, keys)
    assert [item.id for item in app.rest.apps.list_installations().parsed_data] == [7001]
    with pytest.raises(RequestFailed):
        gh.rest.apps.list_repos_accessible_to_installation()
