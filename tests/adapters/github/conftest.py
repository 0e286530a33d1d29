"""Fixtures: the fake GitHub on the demo seed, a sleep that records instead of waiting, and
a factory of forges pointed at the fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sheriff.adapters.github import (
    GitHubForge,
    GitHubSettings,
    MemoryValidators,
    Retrier,
    RetryPolicy,
    TokenCredentials,
    ValidatorStore,
)
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

READ_TOKEN = "read-token"
WRITE_TOKEN = "write-token"
TOKENS = {READ_TOKEN: "reader-bot", WRITE_TOKEN: "writer-bot"}
CIDIFF = "labri-progress/cidiff"
PYTORCH = "pytorch/pytorch"

MakeForge = Callable[..., GitHubForge]


class RecordedSleep:
    """Stands in for time.sleep: remembers each pause, runs an optional hook, never waits."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.hook: Callable[[float], None] | None = None

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if self.hook is not None:
            self.hook(seconds)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub.running(DEMO_SEED, tokens=TOKENS) as server:
        yield server


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def validators() -> MemoryValidators:
    return MemoryValidators()


@pytest.fixture
def make_forge(
    fake: FakeGitHub, sleep: RecordedSleep, validators: MemoryValidators
) -> Iterator[MakeForge]:
    """``make_forge(repo, validators=..., policy=..., **settings)``; closed after the test."""
    made: list[GitHubForge] = []

    def build(
        repo: str = PYTORCH,
        *,
        validators_store: ValidatorStore | None = validators,
        policy: RetryPolicy | None = None,
        **settings: Any,
    ) -> GitHubForge:
        settings.setdefault("api_url", fake.url)
        settings.setdefault("read_credentials", TokenCredentials(READ_TOKEN))
        github = GitHubSettings(repo, **settings)
        retrier = Retrier(policy or github.retry, sleep=sleep, jitter=lambda: 0.5)
        forge = GitHubForge(github, validators_store, retrier=retrier)
        made.append(forge)
        return forge

    yield build
    for forge in made:
        forge.close()
