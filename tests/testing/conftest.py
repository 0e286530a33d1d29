"""Fixtures for the fake GitHub: a running server on the demo seed and clients for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from githubkit import GitHub, TokenAuthStrategy

from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub.running(DEMO_SEED) as server:
        yield server


@pytest.fixture
def gh(fake: FakeGitHub) -> GitHub[TokenAuthStrategy]:
    """githubkit pointed at the fake as at a GitHub Enterprise server; no retries."""
    return GitHub(TokenAuthStrategy("x"), base_url=fake.url, auto_retry=False)


@pytest.fixture
def http(fake: FakeGitHub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake.url, headers={"Authorization": "token x"}) as client:
        yield client


REPO = "acme/app"
PROJECT = {
    "README.md": "# app\n",
    "app/__init__.py": "",
    "app/clock.py": "import time\n\n\ndef now():\n    return time.time()\n",
    "tests/test_clock.py": (
        "from app.clock import now\n\n\ndef test_now_is_positive():\n    assert now() > 0\n"
    ),
}
TOKENS = {"t-alice": "maintainer-alice", "t-bob": "contributor-bob", "t-app": "sheriff[bot]"}


@pytest.fixture
def git_fake() -> Iterator[FakeGitHub]:
    """An empty fake serving ``acme/app`` from a real bare git repository."""
    with FakeGitHub.running(tokens=TOKENS) as server:
        server.create_git_repo(REPO, PROJECT)
        server.set_permission(REPO, "maintainer-alice", "maintain")
        yield server


def client_for(fake: FakeGitHub, token: str = "x") -> GitHub[TokenAuthStrategy]:
    """githubkit as the token's user (``x``: the default user, sheriff-bot); no retries."""
    return GitHub(TokenAuthStrategy(token), base_url=fake.url, auto_retry=False)


@pytest.fixture
def git_http(git_fake: FakeGitHub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=git_fake.url, headers={"Authorization": "token x"}) as client:
        yield client
