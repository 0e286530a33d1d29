"""GitHub adapter: the Forge port on GitHub's REST API, through githubkit's auth flows.

    from sheriff.adapters.github import GitHubForge, GitHubSettings, TokenCredentials

    with GitHubForge(
        GitHubSettings("upstream/app", write_repo="me/app",
                       read_credentials=TokenCredentials(read_token),
                       write_credentials=TokenCredentials(write_token)),
        validators=store,
    ) as forge:
        listing = forge.list_workflow_runs(RunQuery(branch="main"))

Runs, jobs and logs: ``actions``; issues and people: ``issues``; branches and pull
requests: ``pulls``; reviews and issue events: ``reviews``; check runs and statuses:
``checks``. Retries and rate limits: ``retrying``; conditional requests: ``conditional``
and ``pagination``; errors: ``sheriff.errors.GitHubError`` and its subclasses (422 →
``GitHubValidationError``, 409 → ``GitHubConflictError``, 405 → ``GitHubNotMergeableError``).
"""

from sheriff.adapters.github.conditional import MemoryValidators, ValidatorStore
from sheriff.adapters.github.forge import GitHubForge
from sheriff.adapters.github.git_credentials import GitCredentials
from sheriff.adapters.github.installations import ACROSS_REPOSITORIES, GitHubAppInstallations
from sheriff.adapters.github.retrying import Retrier, WaitNotice
from sheriff.adapters.github.settings import (
    DEFAULT_API_URL,
    AppCredentials,
    Credentials,
    GitHubSettings,
    RetryPolicy,
    TokenCredentials,
)

__all__ = [
    "ACROSS_REPOSITORIES",
    "DEFAULT_API_URL",
    "AppCredentials",
    "Credentials",
    "GitCredentials",
    "GitHubAppInstallations",
    "GitHubForge",
    "GitHubSettings",
    "MemoryValidators",
    "Retrier",
    "RetryPolicy",
    "TokenCredentials",
    "ValidatorStore",
    "WaitNotice",
]
