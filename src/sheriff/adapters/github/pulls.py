"""The Forge's branches and pull requests, in the write repository.

Reads use the read credentials (like the issue side), changes the write credentials.
Merging is never retried after a 5xx: GitHub may have merged already.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sheriff.adapters.github.forge_core import ForgeCore
from sheriff.adapters.github.payload_fields import obj, text
from sheriff.adapters.github.payloads import repository_from
from sheriff.adapters.github.pull_payloads import pull_request_file_from, pull_request_from
from sheriff.app.forge_pulls import (
    MergeMethod,
    NewPullRequest,
    PullRequest,
    PullRequestChange,
    PullRequestFile,
)
from sheriff.errors import GitHubNotFoundError


class PullRequestCalls(ForgeCore):
    # -- branches ------------------------------------------------------------------------------
    def default_branch_head(self) -> str:
        """The sha at the head of the write repository's default branch."""
        branch = repository_from(self._get(f"repos/{self.write_repo}").json()).default_branch
        head = self.branch_head(branch)
        if head is None:
            raise GitHubNotFoundError(
                f"{self.write_repo} has no branch {branch!r}, its default branch",
                hint="push a first commit to the repository",
            )
        return head

    def branch_head(self, branch: str) -> str | None:
        """The sha ``branch`` points at, or None when there is no such branch."""
        path = f"repos/{self.write_repo}/git/ref/heads/{quote(branch, safe='/')}"
        response = self._get(path, accept=(404,))
        if response.status_code == 404:
            return None
        return text(obj(response.json().get("object"), "git object"), "sha")

    def delete_branch(self, branch: str) -> bool:
        """Delete ``branch``; False when it did not exist (GitHub answers 422 then)."""
        path = f"repos/{self.write_repo}/git/refs/heads/{quote(branch, safe='/')}"
        response = self._writer.request("DELETE", self._url(path), accept=(404, 422))
        return response.status_code not in {404, 422}

    # -- pull requests -------------------------------------------------------------------------
    def create_pull_request(self, new: NewPullRequest) -> PullRequest:
        """Open ``new``; a GitHubValidationError when its branches are missing or equal,
        or an open pull request already covers them."""
        payload = {
            "title": new.title,
            "head": new.head,
            "base": new.base,
            "body": new.body,
            "draft": new.draft,
        }
        return pull_request_from(self._write("POST", f"repos/{self.write_repo}/pulls", payload))

    def get_pull_request(self, number: int) -> PullRequest | None:
        response = self._get(f"repos/{self.write_repo}/pulls/{number}", accept=(404,))
        return None if response.status_code == 404 else pull_request_from(response.json())

    def list_pull_requests(
        self, *, state: str = "open", head: str | None = None, base: str | None = None
    ) -> list[PullRequest]:
        """Pull requests, newest first; ``head`` is a branch of the write repository."""
        params: dict[str, str | int] = {"state": state}
        if head is not None:
            params["head"] = f"{self.write_repo.partition('/')[0]}:{head}"
        if base is not None:
            params["base"] = base
        path = f"repos/{self.write_repo}/pulls"
        return list(self._listing(path, params, pull_request_from, conditional=False).items)

    def update_pull_request(self, number: int, change: PullRequestChange) -> PullRequest:
        fields = {
            "title": change.title,
            "body": change.body,
            "state": change.state,
            "base": change.base,
        }
        payload = {key: value for key, value in fields.items() if value is not None}
        path = f"repos/{self.write_repo}/pulls/{number}"
        return pull_request_from(self._write("PATCH", path, payload))

    def merge_pull_request(
        self,
        number: int,
        *,
        head_sha: str | None = None,
        method: MergeMethod = MergeMethod.MERGE,
        title: str | None = None,
        message: str | None = None,
    ) -> str:
        """Merge; the new sha of the base branch. With ``head_sha``, only if the head is
        still there (else GitHubConflictError); GitHubNotMergeableError when GitHub
        will not merge it (conflicts, draft, closed)."""
        fields: dict[str, Any] = {
            "merge_method": method.value,
            "sha": head_sha,
            "commit_title": title,
            "commit_message": message,
        }
        payload = {key: value for key, value in fields.items() if value is not None}
        path = f"repos/{self.write_repo}/pulls/{number}/merge"
        result = self._write("PUT", path, payload, idempotent=False)
        return text(obj(result, "merge result"), "sha")

    def list_pull_request_files(self, number: int) -> list[PullRequestFile]:
        """The files the pull request changes, with their patches (GitHub lists 3,000 at most)."""
        path = f"repos/{self.write_repo}/pulls/{number}/files"
        return list(self._listing(path, {}, pull_request_file_from, conditional=False).items)
