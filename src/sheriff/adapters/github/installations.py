"""The GitHub App's installations and the repositories each covers, from GitHub's API.

``GET /app/installations`` is signed with the App's JWT; ``GET /installation/repositories``
with an installation token of each installation (githubkit's auth flow mints and renews
it). Both are listed 100 at a time, following ``Link: rel="next"``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sheriff.adapters.github.pagination import PageSpec, fetch_listing, first_page_url
from sheriff.adapters.github.retrying import Retrier
from sheriff.adapters.github.session import GitHubSession
from sheriff.adapters.github.settings import AppCredentials, GitHubSettings
from sheriff.core.installations import InstallationSnapshot
from sheriff.errors import GitHubRequestError

ACROSS_REPOSITORIES = ""  # the sessions here are not bound to one repository


class GitHubAppInstallations:
    """Implements ``sheriff.app.installations.InstallationDirectory``."""

    def __init__(
        self,
        settings: GitHubSettings,
        credentials: AppCredentials,
        *,
        retrier: Retrier | None = None,
    ) -> None:
        self._settings = settings
        self._credentials = credentials
        self._retrier = retrier or Retrier(settings.retry)

    def installations(self) -> list[InstallationSnapshot]:
        as_app = replace(self._credentials, installation_id=None)
        session = GitHubSession(
            self._settings, as_app, ACROSS_REPOSITORIES, self._retrier, as_app=True
        )
        spec = PageSpec(first_page_url(self._settings.api_url, "app/installations", {}))
        try:
            return list(fetch_listing(session, spec, _installation_of).items)
        finally:
            session.close()

    def repositories_of(self, installation_id: int) -> tuple[str, ...]:
        as_installation = replace(self._credentials, installation_id=installation_id)
        session = GitHubSession(self._settings, as_installation, ACROSS_REPOSITORIES, self._retrier)
        url = first_page_url(self._settings.api_url, "installation/repositories", {})
        try:
            return fetch_listing(session, PageSpec(url, "repositories"), _full_name_of).items
        finally:
            session.close()


def _installation_of(raw: Any) -> InstallationSnapshot:
    installation = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(installation, int):
        raise GitHubRequestError(
            "GitHub listed an App installation without an id",
            hint="check the API URL points at GitHub's REST API (Enterprise: /api/v3)",
        )
    account = raw.get("account")
    login = account.get("login") if isinstance(account, dict) else None
    return InstallationSnapshot(
        installation_id=installation,
        account=login if isinstance(login, str) else None,
        suspended=raw.get("suspended_at") is not None,
        repos=None,
    )


def _full_name_of(raw: Any) -> str:
    name = raw.get("full_name") if isinstance(raw, dict) else None
    if not isinstance(name, str) or "/" not in name:
        raise GitHubRequestError(
            "GitHub listed an installation's repository without its full name",
            hint="check the API URL points at GitHub's REST API (Enterprise: /api/v3)",
        )
    return name
