"""Which repositories the service watches: the configured ones, then the installed ones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.installations import names_in, repos_to_watch

NAMES = st.from_regex(r"[A-Za-z]{1,3}/[A-Za-z]{1,3}", fullmatch=True)


def test_configured_repositories_come_first_and_installed_ones_join_once_ignoring_case() -> None:
    configured = ("acme/app", "Acme/Lib")
    installed = ("ACME/APP", "acme/lib", "acme/web", "acme/web")
    assert repos_to_watch(configured, installed) == ("acme/app", "Acme/Lib", "acme/web")


def test_nothing_configured_watches_what_is_installed() -> None:
    assert repos_to_watch((), ("octo/one", "octo/two")) == ("octo/one", "octo/two")


@given(st.lists(NAMES), st.lists(NAMES))
def test_every_repository_is_watched_once(configured: list[str], installed: list[str]) -> None:
    watched = repos_to_watch(configured, installed)
    assert names_in(watched) == names_in(configured) | names_in(installed)
    assert len(watched) == len(names_in(watched))
