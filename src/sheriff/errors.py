"""One exception tree for Sheriff; adapters translate library exceptions into it.

Every error carries a ``hint``: what the user should do next.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal


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


class TriageWorkerError(SheriffError):
    """A process triaging part of a large log died before reporting its part."""


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


class GitHubValidationError(GitHubRequestError):
    """GitHub refused a change as invalid (422); the message carries GitHub's reasons
    (a branch that does not exist, a pull request that already exists, no commits...)."""


class GitHubConflictError(GitHubError):
    """A change conflicts with the repository's current state (409): a branch moved since
    Sheriff read it. Read it again and retry."""


class GitHubNotMergeableError(GitHubConflictError):
    """GitHub will not merge the pull request as it stands (405): merge conflicts, still a
    draft, already merged or closed, or a merge method the repository does not allow."""


class WorkspaceError(SheriffError):
    """The local mirror, a worktree or a command run in it failed."""


class GitCommandError(WorkspaceError):
    """``git`` exited with an error; ``stderr`` is what git said (secrets redacted)."""

    def __init__(self, message: str, *, hint: str = "", stderr: str = "") -> None:
        super().__init__(message, hint=hint)
        self.stderr = stderr


class GitRefNotFoundError(GitCommandError):
    """A branch, commit or path Sheriff asked the mirror for does not exist there."""


class PushRejectedError(GitCommandError):
    """The remote refused the push (not a fast-forward, protected branch, hook)."""


class WorkspaceBusyError(WorkspaceError):
    """Every worktree slot stayed taken for as long as Sheriff waits for one."""


class WorkspacePathError(WorkspaceError):
    """A path names something outside the worktree (``..``, absolute, a symlink leading out)."""


class WorkspaceEditError(WorkspaceError):
    """An edit could not be applied (the text to replace is missing or not unique)."""


class LLMError(SheriffError):
    """The language model failed. What the failed call spent is kept for the cost ledger."""

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        model: str = "",
        input_tokens: int = 0,
        output_tokens: int = 0,
        usd: Decimal = Decimal(0),
    ) -> None:
        super().__init__(message, hint=hint)
        self.model = model
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.usd = usd


class LLMOutputError(LLMError):
    """The model's answer stayed invalid after every retry (wrong JSON, missing fields)."""


class LLMAuthError(LLMError):
    """The LLM provider did not accept the API key or does not know the model."""

    exit_code = 2


class LLMUnavailableError(LLMError):
    """The LLM provider could not be reached or kept failing (network, 5xx, rate limit)."""


class LLMBudgetError(LLMError):
    """A call would exceed its token or cost limit."""


class EngineError(SheriffError):
    """The durable-execution engine (DBOS) failed: its database cannot be reached or used."""


class NotifyError(SheriffError):
    """A chat notification (Slack) could not be sent."""


class NotifyAuthError(NotifyError):
    """Slack did not accept the token, or the bot may not post in the channel."""


class NotifyUnavailableError(NotifyError):
    """Slack could not be reached or kept failing (network, 5xx, rate limit)."""


RETRYABLE_ERRORS: tuple[type[SheriffError], ...] = (
    GitHubUnavailableError,
    RateLimitedError,
    StoreLockedError,
    StoreUnavailableError,
)
"""Failures worth trying again after a pause (GitHub down or rate limited, the store
locked or away): a worker retries the work; anything else is not fixed by waiting."""
