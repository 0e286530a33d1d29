"""githubkit's auth flows (token, GitHub App installation) for our own httpx client.

githubkit is imported here, lazily: it takes about a second to import. It signs the App's
JWT, exchanges it for an installation token and renews that token before it expires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from sheriff.adapters.github.settings import AppCredentials, Credentials, reveal
from sheriff.errors import GitHubAuthError

if TYPE_CHECKING:
    from githubkit import GitHub

API_VERSION = "2022-11-28"
APP_HINT = (
    "check the App id and private key (the .pem GitHub generated), that the App is "
    "installed on the repository, and the installation id if one is configured"
)


def default_headers(user_agent: str) -> dict[str, str]:
    return {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": user_agent,
    }


def githubkit_client(api_url: str, user_agent: str, strategy: Any = None) -> GitHub[Any]:
    """A githubkit ``GitHub`` used only for its config and auth flows (no HTTP cache, no
    retry). Its token cache is its own: githubkit's default one is shared by the whole
    process and keyed by App id alone, so two API URLs or keys would share tokens."""
    from githubkit import GitHub
    from githubkit.cache import MemCacheStrategy

    return GitHub(
        strategy,
        base_url=api_url,
        user_agent=user_agent,
        http_cache=False,
        auto_retry=False,
        cache_strategy=MemCacheStrategy(),
    )


def auth_flow(
    credentials: Credentials | None,
    api_url: str,
    user_agent: str,
    installation_id: int | None = None,
) -> httpx.Auth | None:
    """The flow that signs each request; for an App, as ``installation_id`` (or the App)."""
    if credentials is None:
        return None
    from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, TokenAuthStrategy

    strategy: Any
    if isinstance(credentials, AppCredentials):
        key = reveal(credentials.private_key)
        installation = installation_id or credentials.installation_id
        strategy = (
            AppInstallationAuthStrategy(credentials.app_id, key, installation)
            if installation is not None
            else AppAuthStrategy(credentials.app_id, key)
        )
    else:
        strategy = TokenAuthStrategy(reveal(credentials.token))
    flow: httpx.Auth = strategy.get_auth_flow(githubkit_client(api_url, user_agent, strategy))
    return flow


def auth_failure(error: Exception, url: httpx.URL) -> GitHubAuthError:
    """The error for a failure inside githubkit's auth flow (JWT, installation token)."""
    from githubkit.exception import RequestFailed

    if isinstance(error, RequestFailed):
        status = error.response.status_code
        return GitHubAuthError(
            f"GitHub refused the App's installation token ({status}) while calling {url}",
            hint=APP_HINT,
        )
    return GitHubAuthError(
        f"cannot authenticate as the GitHub App while calling {url}: {error}", hint=APP_HINT
    )


def auth_library_errors() -> tuple[type[Exception], ...]:
    """What githubkit's auth flows raise: its own errors, PyJWT's and bad-key ValueErrors."""
    from githubkit.exception import GitHubException
    from jwt.exceptions import PyJWTError

    return (GitHubException, PyJWTError, ValueError)
