"""Who may trigger the assistant: people with write access; never bots or Sheriff."""

from __future__ import annotations

import pytest

from sheriff.core.assistant import Author, Ignored, ignored_author, is_sheriff, may_trigger

SHERIFF = "acme-sheriff[bot]"


@pytest.mark.parametrize(
    ("author", "body", "ignored"),
    [
        (Author("ada"), "@sheriff hi", None),
        (Author(None), "@sheriff hi", Ignored.ANONYMOUS),
        (Author("dependabot[bot]"), "@sheriff hi", Ignored.BOT),
        (Author("renovate", is_bot=True), "@sheriff hi", Ignored.BOT),
        (Author(SHERIFF, is_bot=True), "@sheriff hi", Ignored.SHERIFF),
        (Author("acme-sheriff"), "@sheriff hi", Ignored.SHERIFF),
        (Author("ada"), "<!-- sheriff:comment=reply:1 -->\n@sheriff hi", Ignored.SHERIFF),
    ],
)
def test_who_is_ignored(author: Author, body: str, ignored: Ignored | None) -> None:
    assert ignored_author(author, SHERIFF, body) is ignored


def test_without_its_login_sheriff_is_known_by_its_marker() -> None:
    assert not is_sheriff("acme-sheriff[bot]", None)
    marked = "<!-- sheriff:comment=case:abc -->\nsee @sheriff"
    assert ignored_author(Author("ada"), None, marked) is Ignored.SHERIFF


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        ("admin", True),
        ("maintain", True),
        ("write", True),
        ("WRITE", True),
        ("triage", False),
        ("read", False),
        ("none", False),
    ],
)
def test_permissions_that_may_trigger(permission: str, allowed: bool) -> None:
    assert may_trigger(permission) is allowed
