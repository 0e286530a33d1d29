"""``GitHubForge``: the Forge port on GitHub's REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sheriff.adapters.github.actions import ActionsCalls
from sheriff.adapters.github.checks import CheckCalls
from sheriff.adapters.github.issues import IssueCalls
from sheriff.adapters.github.pulls import PullRequestCalls
from sheriff.adapters.github.reviews import ReviewCalls

if TYPE_CHECKING:
    from sheriff.app import forge


class GitHubForge(ActionsCalls, IssueCalls, PullRequestCalls, ReviewCalls, CheckCalls):
    """One watched repository on GitHub (or GitHub Enterprise Server, or the fake).

    Built from values, without touching the network: the first request creates the HTTP
    client (and, for a GitHub App without an installation id, looks the installation up).
    Close it when done (``close()`` or ``with``).

        forge = GitHubForge(
            GitHubSettings("octo/app", read_credentials=TokenCredentials(token)),
            validators=store,  # the SQL store, or MemoryValidators()
        )
    """

    def __enter__(self) -> GitHubForge:
        return self


if TYPE_CHECKING:
    implements_the_port: type[forge.Forge] = GitHubForge  # mypy proves it fits
