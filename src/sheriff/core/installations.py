"""The repositories a GitHub App installation covers, and which repositories Sheriff watches.

An installation of Sheriff's App on an account covers some of its repositories (or all of
them); the service watches those beside the ones its settings name. GitHub's repository
names are case-insensitive, so the two lists meet on ``owner/name`` ignoring case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InstallationChange:
    """What an ``installation`` or ``installation_repositories`` delivery says changed.

    ``repos_added`` holds the repositories of a new installation (``created``) or those
    added to it; ``repos_removed`` those taken away."""

    account: str | None = None
    repos_added: tuple[str, ...] = ()
    repos_removed: tuple[str, ...] = ()
    repository_selection: str | None = None  # "all" or "selected"


@dataclass(frozen=True, slots=True)
class InstallationSnapshot:
    """One installation as GitHub lists it; ``repos`` None: not listed (a suspended
    installation cannot mint the token that lists them)."""

    installation_id: int
    account: str | None
    suspended: bool
    repos: tuple[str, ...] | None


def repos_to_watch(configured: Iterable[str], installed: Iterable[str]) -> tuple[str, ...]:
    """The configured repositories, then the installed ones not already named (ignoring
    case); each spelt as it first appears."""
    seen: set[str] = set()
    chosen: list[str] = []
    for repo in (*configured, *installed):
        key = repo.casefold()
        if key not in seen:
            seen.add(key)
            chosen.append(repo)
    return tuple(chosen)


def names_in(repos: Iterable[str]) -> frozenset[str]:
    """The case-folded names, for comparing repository lists."""
    return frozenset(repo.casefold() for repo in repos)
