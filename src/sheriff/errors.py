"""One exception tree for Sheriff; adapters translate library exceptions into it.

Every error carries a ``hint``: what the user should do next.
"""

from __future__ import annotations


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
