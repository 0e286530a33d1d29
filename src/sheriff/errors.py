"""One exception tree for Sheriff; adapters translate library exceptions into it.

Every error carries a ``hint``: what the user should do next.
"""

from __future__ import annotations

from datetime import datetime


class SheriffError(Exception):
    """Base of every error Sheriff raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(SheriffError):
    """The user gave input Sheriff cannot use (unreadable file, bad archive, bad flag)."""

    exit_code = 2


class ConfigError(SheriffError):
    """Settings or per-repository configuration are invalid."""

    exit_code = 2


class StoreError(SheriffError):
    """The store (Sheriff's database) failed."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or opened."""


class StoreLockedError(StoreError):
    """Another process holds the SQLite database file locked for longer than Sheriff waits."""


class StoreSchemaError(StoreError):
    """The database schema is missing, older or newer than this Sheriff."""


class GitHubError(SheriffError):
    """GitHub refused or failed a request (after Sheriff's retries, where retrying helps)."""


class GitHubAuthError(GitHubError):
    """GitHub did not accept the credentials (bad or expired token, GitHub App setup)."""

    exit_code = 2


class GitHubPermissionError(GitHubError):
    """The credentials work but may not do this (missing scope, role or App permission)."""


class GitHubNotFoundError(GitHubError):
    """A repository or other resource Sheriff needs does not exist or is hidden from it."""


class GitHubRequestError(GitHubError):
    """GitHub rejected a request as invalid, or answered with something Sheriff cannot read."""


class GitHubUnavailableError(GitHubError):
    """GitHub kept failing (5xx, network errors) after every retry."""


class RateLimitedError(GitHubError):
    """A GitHub rate limit is spent and its reset is further away than Sheriff will wait.

    ``reset_at`` is when GitHub will take requests again (aware UTC), when known;
    ``resource`` the rate-limit bucket (``core``, ``search``...); ``secondary`` tells a
    secondary (abuse) limit from the primary hourly budget.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        reset_at: datetime | None = None,
        resource: str | None = None,
        secondary: bool = False,
    ) -> None:
        super().__init__(message, hint=hint)
        self.reset_at = reset_at
        self.resource = resource
        self.secondary = secondary
