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
