"""The values a GitHub connection is built from: where, as whom, how patiently.

The composition root maps ``Settings`` onto these; nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

DEFAULT_API_URL = "https://api.github.com"


class SupportsSecret(Protocol):
    """pydantic's ``SecretStr`` and anything else that hides a value until asked."""

    def get_secret_value(self) -> str: ...


Secret = str | SupportsSecret


def reveal(secret: Secret) -> str:
    return secret if isinstance(secret, str) else secret.get_secret_value()


@dataclass(frozen=True, slots=True)
class TokenCredentials:
    """A personal access token, fine-grained token or ``GITHUB_TOKEN``."""

    token: Secret = field(repr=False)


@dataclass(frozen=True, slots=True)
class AppCredentials:
    """A GitHub App; without ``installation_id`` the installation on the repository is used."""

    app_id: int | str
    private_key: Secret = field(repr=False)  # the PEM text
    installation_id: int | None = None


Credentials = TokenCredentials | AppCredentials


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try before giving up.

    5xx answers and network errors are retried ``max_retries`` times with exponential
    backoff (``base_delay`` doubling up to ``max_delay``, each delay jittered to 50-100%).
    Rate limits are waited out when GitHub's reset (or ``Retry-After``) is at most
    ``max_rate_limit_wait`` seconds away, otherwise they raise ``RateLimitedError`` at once.
    """

    max_retries: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_rate_limit_wait: float = 15 * 60.0
    secondary_limit_default_wait: float = 60.0  # GitHub: wait at least a minute

    def backoff(self, retry: int, jitter: float) -> float:
        """The delay before retry number ``retry`` (0-based); ``jitter`` is in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * (2.0**retry))
        return ceiling * (0.5 + jitter / 2)


@dataclass(frozen=True, slots=True)
class GitHubSettings:
    """Where Sheriff reads CI from and files issues to, and with which credentials.

    ``api_url`` is GitHub's (default), a GitHub Enterprise Server's ``https://HOST/api/v3``
    or the fake's. ``write_credentials`` default to ``read_credentials``; ``write_repo``
    to ``read_repo``. Without credentials requests are anonymous (60 an hour on GitHub).
    """

    read_repo: str
    write_repo: str | None = None
    api_url: str = DEFAULT_API_URL
    read_credentials: Credentials | None = None
    write_credentials: Credentials | None = None
    retry: RetryPolicy = RetryPolicy()
    timeout_seconds: float = 30.0
    user_agent: str = "build-sheriff"
    log_chunk_bytes: int = 1024 * 1024

    @property
    def issue_repo(self) -> str:
        return self.write_repo or self.read_repo

    @property
    def writer_credentials(self) -> Credentials | None:
        return self.write_credentials or self.read_credentials
