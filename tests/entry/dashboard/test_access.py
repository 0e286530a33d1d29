"""The dashboard's password (HTTP Basic) and the refusal to expose it unprotected."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from sheriff.adapters.store import Store
from sheriff.config import Settings
from sheriff.entry.dashboard import dashboard_app, require_dashboard_access
from sheriff.errors import ConfigError
from tests.adapters.store.dashboard_world import NOW, World

PASSWORD = "correct horse battery staple"


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module")
def locked(filled: tuple[Store, World]) -> TestClient:
    settings = Settings(
        github_api_url="https://api.github.com", dashboard_password=SecretStr(PASSWORD)
    )
    return TestClient(dashboard_app(filled[0], settings, clock=lambda: NOW))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("ops", "wrong"),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Basic " + base64.b64encode(b"no colon").decode()},
        {"Authorization": f"Bearer {PASSWORD}"},
    ],
    ids=["none", "wrong password", "not base64", "no colon", "not basic"],
)
def test_without_the_password_every_page_is_refused(
    locked: TestClient, world: World, headers: dict[str, str]
) -> None:
    name = next(iter(world.fingerprints))
    case = f"/cases/{world.repos[name]}/{world.fingerprints[name]}"
    for path in ("/", "/fragments/cases", "/api/failures-per-day", case):
        answer = locked.get(path, headers=headers)
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"].startswith('Basic realm="Sheriff dashboard"')
        assert world.fingerprints[name] not in answer.text


def test_with_the_password_any_user_name_sees_the_pages(locked: TestClient, world: World) -> None:
    name = next(iter(world.fingerprints))
    case = f"/cases/{world.repos[name]}/{world.fingerprints[name]}"
    assert locked.get("/", headers=basic("anyone", PASSWORD)).status_code == 200
    answer = locked.get(case, headers=basic("", PASSWORD))
    assert answer.status_code == 200
    assert world.fingerprints[name] in answer.text


def test_the_vendored_scripts_need_no_password(locked: TestClient) -> None:
    assert locked.get("/static/dashboard/vendor/htmx.min.js").status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.53"])
def test_loopback_needs_no_password(host: str) -> None:
    require_dashboard_access(Settings(), host)


def test_another_address_without_a_password_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigError) as refused:
        require_dashboard_access(Settings(), "0.0.0.0")
    assert "without a password" in refused.value.message
    assert "SHERIFF_DASHBOARD_PASSWORD" in refused.value.hint
    assert "SHERIFF_DASHBOARD=false" in refused.value.hint


def test_another_address_is_fine_with_a_password_or_without_the_dashboard() -> None:
    require_dashboard_access(Settings(dashboard_password=SecretStr("p")), "10.0.0.5")
    require_dashboard_access(Settings(dashboard=False), "sheriff.example.org")
