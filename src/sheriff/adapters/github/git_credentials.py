"""The token git sends over HTTPS to fetch and push one repository.

With a token in the settings, that token. With a GitHub App, an installation token minted
for the repository: GitHub's last an hour, so one is reused only while it has at least
``min_valid`` left; a fix (bounded by ``fix_wall_seconds``) then pushes before it expires.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sheriff.adapters.github.retrying import Retrier
from sheriff.adapters.github.session import GitHubSession
from sheriff.adapters.github.settings import AppCredentials, GitHubSettings, reveal

DEFAULT_MIN_VALID = timedelta(minutes=45)


class GitCredentials:
    """Tokens for git on ``settings.issue_repo`` (where fix branches are pushed)."""

    def __init__(
        self,
        settings: GitHubSettings,
        *,
        min_valid: timedelta = DEFAULT_MIN_VALID,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._min_valid = min_valid
        self._clock = clock
        self._lock = threading.Lock()
        self._minted: tuple[str, datetime] | None = None

    def token(self) -> str | None:
        """The token to send now, or None without credentials (anonymous, read-only)."""
        credentials = self._settings.writer_credentials
        if credentials is None:
            return None
        if not isinstance(credentials, AppCredentials):
            return reveal(credentials.token)
        with self._lock:
            if self._minted is None or self._minted[1] - self._clock() < self._min_valid:
                self._minted = self._mint(credentials)
            return self._minted[0]

    def _mint(self, credentials: AppCredentials) -> tuple[str, datetime]:
        settings = self._settings
        session = GitHubSession(settings, credentials, settings.issue_repo, Retrier(settings.retry))
        try:
            return session.installation_token()
        finally:
            session.close()
