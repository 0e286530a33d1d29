"""Who may trigger the assistant.

Only people: never a bot (a ``[bot]`` login or a Bot account) and never Sheriff itself (its
login, or a comment carrying Sheriff's hidden key marker, which a person's comment never
starts with). And only people who can change the repository: write, maintain or admin,
as GitHub says at that moment (the app looks it up; a role cached from earlier could
have been revoked).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.issues.markers import comment_key_of

TRIGGER_PERMISSIONS = frozenset({"admin", "maintain", "write"})


class Ignored(StrEnum):
    """Why a mention is ignored before anyone's permission is looked up."""

    SHERIFF = "written by Sheriff itself"
    BOT = "written by a bot"
    ANONYMOUS = "no author"


@dataclass(frozen=True, slots=True)
class Author:
    login: str | None
    is_bot: bool = False


def ignored_author(author: Author, own_login: str | None, body: str) -> Ignored | None:
    """Why a mention by ``author`` is never acted on, or None when they may be asked about."""
    if not author.login:
        return Ignored.ANONYMOUS
    if comment_key_of(body) is not None or is_sheriff(author.login, own_login):
        return Ignored.SHERIFF
    if author.is_bot or author.login.casefold().endswith("[bot]"):
        return Ignored.BOT
    return None


def is_sheriff(login: str, own_login: str | None) -> bool:
    """``login`` is Sheriff's (``app[bot]`` and ``app`` are the same App)."""
    if not own_login:
        return False
    mine = own_login.casefold().removesuffix("[bot]")
    return login.casefold().removesuffix("[bot]") == mine


def may_trigger(permission: str) -> bool:
    """Write, maintain and admin may trigger the assistant; triage, read and none may not."""
    return permission.casefold() in TRIGGER_PERMISSIONS
