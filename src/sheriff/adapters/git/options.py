"""What the git adapter takes from Settings: identity, timeouts and the test command."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from sheriff.config import Settings
from sheriff.errors import ConfigError


@dataclass(frozen=True, slots=True)
class GitOptions:
    bot_name: str = "sheriff[bot]"
    bot_email: str = "sheriff-bot@users.noreply.github.com"
    git_timeout: float = 600.0
    test_command: str | None = None  # shell words; "{test}" becomes the test's name
    test_timeout: float = 900.0

    @classmethod
    def from_settings(cls, settings: Settings) -> GitOptions:
        if settings.test_command is not None:
            command_argv(settings.test_command, None)  # fail early on bad quoting
        return cls(
            bot_name=settings.bot_name,
            bot_email=settings.bot_email,
            git_timeout=float(settings.git_timeout_seconds),
            test_command=settings.test_command,
            test_timeout=float(settings.test_timeout_seconds),
        )

    def author_environment(self) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": self.bot_name,
            "GIT_AUTHOR_EMAIL": self.bot_email,
            "GIT_COMMITTER_NAME": self.bot_name,
            "GIT_COMMITTER_EMAIL": self.bot_email,
        }


def command_argv(command: str, test: str | None) -> list[str]:
    """The argument list of ``command``, ``{test}`` replaced by ``test``; with no test
    named, the words holding ``{test}`` are left out (the whole suite runs)."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise ConfigError(
            f"test_command cannot be split into words: {error}",
            hint="fix the quoting of test_command (it is split like a shell line, not run by one)",
        ) from error
    if not words:
        raise ConfigError("test_command is empty", hint="set test_command or leave it unset")
    if test is None:
        return [word for word in words if "{test}" not in word]
    return [word.replace("{test}", test) for word in words]
