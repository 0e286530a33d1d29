"""Fixtures: the fake GitHub on the demo seed, a sleep that records instead of waiting, and
a factory of forges pointed at the fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheriff.adapters.github import (
    GitHubForge,
    GitHubSettings,
    MemoryValidators,
    Retrier,
    RetryPolicy,
    TokenCredentials,
    ValidatorStore,
)
from sheriff.app.forge_pulls import NewPullRequest
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


GIT_REPO = "acme/app"
FIX_BRANCH = "sheriff/fix-0badf00d"
PROJECT = {
    "app/clock.py": "import time\n\n\ndef now():\n    return time.time()\n",
    "tests/test_clock.py": "from app.clock import now\n\n\ndef test_now():\n    assert now()\n",
}
PATCHED = (
    "import pytest\n\nfrom app.clock import now\n\n\n@pytest.mark.skip\n"
    "def test_now():\n    assert now()\n"
)


@pytest.fixture
def git_forge(fake: FakeGitHub, make_forge: MakeForge) -> GitHubForge:
    """A forge on ``acme/app`` (a real bare repository), writing as writer-bot, with the
    fix branch one commit ahead of main."""
    fake.create_git_repo(GIT_REPO, PROJECT)
    fake.create_branch(GIT_REPO, FIX_BRANCH)
    fake.commit(GIT_REPO, {"tests/test_clock.py": PATCHED}, branch=FIX_BRANCH, message="Quarantine")
    return make_forge(GIT_REPO, write_credentials=TokenCredentials(WRITE_TOKEN))


def open_draft(forge: GitHubForge) -> int:
    """Open the fix branch's draft pull request; its number."""
    new = NewPullRequest("Quarantine test_now", FIX_BRANCH, "main", "Fixes #1", draft=True)
    return forge.create_pull_request(new).number


def app_key_pair() -> tuple[str, str]:
    """A GitHub App's private key (PEM) and the public key the fake checks JWTs with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture
def app_keys() -> tuple[str, str]:
    return app_key_pair()


@pytest.fixture
def app_fake(app_keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    """The fake, requiring auth, with the App 42 installed (7001) on pytorch/pytorch."""
    with FakeGitHub.running(DEMO_SEED, require_auth=True) as server:
        server.install_app(42, 7001, [PYTORCH], slug="sheriff", public_key_pem=app_keys[1])
        yield server
