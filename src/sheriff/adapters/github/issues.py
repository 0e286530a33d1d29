"""The Forge's issue side, on the write repository, and the people Sheriff deals with."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from urllib.parse import quote

from sheriff.adapters.github.forge_core import ForgeCore
from sheriff.adapters.github.pagination import PageSpec, fetch_listing, first_page_url
from sheriff.adapters.github.payload_fields import obj, text
from sheriff.adapters.github.payloads import (
    comment_from,
    issue_from,
    label_names,
    permission_from,
)
from sheriff.adapters.github.settings import AppCredentials
from sheriff.app.forge import Issue, IssueChange, IssueComment, Listing, Permission

SEARCH_STATES = {"open": "is:open", "closed": "is:closed", None: ""}


class IssueCalls(ForgeCore):
    def search_issues(
        self, terms: Sequence[str], *, state: str | None = None, limit: int = 50
    ) -> list[Issue]:
        """Issues (not pull requests) of the write repository mentioning every term in
        their title or body, best match first (GitHub's search API, its own rate limit)."""
        quoted = " ".join(_quoted(term) for term in terms if term.strip())
        qualifiers = f"repo:{self.write_repo} is:issue {SEARCH_STATES[state]} in:title,body"
        url = first_page_url(
            self._settings.api_url, "search/issues", {"q": f"{qualifiers} {quoted}"}
        )
        spec = PageSpec(url, items_key="items")
        return list(fetch_listing(self._reader, spec, issue_from, limit=limit).items)

    def list_issues(self, *, labels: Collection[str] = (), state: str = "all") -> Listing[Issue]:
        """Issues with every label in ``labels``, most recently updated first."""
        params: dict[str, str | int] = {"state": state, "sort": "updated", "direction": "desc"}
        if labels:
            params["labels"] = ",".join(labels)
        return self._listing(
            f"repos/{self.write_repo}/issues",
            params,
            issue_from,
            newest_first=True,
            keep=lambda issue: not issue.is_pull_request,
        )

    def get_issue(self, number: int) -> Issue | None:
        """The issue, or None when it was deleted (410), transferred away or never was (404)."""
        response = self._get(f"repos/{self.write_repo}/issues/{number}", accept=(404, 410))
        return None if response.status_code in {404, 410} else issue_from(response.json())

    def create_issue(self, title: str, body: str, labels: Collection[str] = ()) -> Issue:
        payload = {"title": title, "body": body, "labels": list(labels)}
        return issue_from(self._write("POST", f"repos/{self.write_repo}/issues", payload))

    def update_issue(self, number: int, change: IssueChange) -> Issue:
        fields = {
            "title": change.title,
            "body": change.body,
            "state": change.state,
            "state_reason": change.state_reason,
        }
        payload = {key: value for key, value in fields.items() if value is not None}
        path = f"repos/{self.write_repo}/issues/{number}"
        return issue_from(self._write("PATCH", path, payload))

    def add_labels(self, number: int, labels: Collection[str]) -> tuple[str, ...]:
        """Add ``labels`` (creating them in the repository as needed); all labels after."""
        path = f"repos/{self.write_repo}/issues/{number}/labels"
        return label_names(self._write("POST", path, {"labels": list(labels)}, idempotent=True))

    def remove_label(self, number: int, label: str) -> tuple[str, ...]:
        """Remove ``label`` if the issue has it; the labels left."""
        path = f"repos/{self.write_repo}/issues/{number}/labels/{quote(label, safe='')}"
        response = self._writer.request("DELETE", self._url(path), accept=(404,))
        if response.status_code == 404:
            issue = self.get_issue(number)
            return issue.labels if issue is not None else ()
        return label_names(response.json())

    def list_comments(self, number: int) -> Listing[IssueComment]:
        path = f"repos/{self.write_repo}/issues/{number}/comments"
        return self._listing(path, {}, comment_from)

    def create_comment(self, number: int, body: str) -> IssueComment:
        path = f"repos/{self.write_repo}/issues/{number}/comments"
        return comment_from(self._write("POST", path, {"body": body}))

    def update_comment(self, comment_id: int, body: str) -> IssueComment:
        path = f"repos/{self.write_repo}/issues/comments/{comment_id}"
        return comment_from(self._write("PATCH", path, {"body": body}))

    # -- people ------------------------------------------------------------------------------
    def authenticated_login(self) -> str:
        """Whom the write credentials act as: a user's login, or ``SLUG[bot]`` for an App."""
        if isinstance(self._settings.writer_credentials, AppCredentials):
            app = self._writer.request("GET", self._url("app")).json()
            return f"{text(obj(app, 'app'), 'slug')}[bot]"
        user = self._writer.request("GET", self._url("user")).json()
        return text(obj(user, "user"), "login")

    def permission_of(self, login: str) -> Permission:
        """``login``'s role on the write repository (NONE for unknown users)."""
        path = f"repos/{self.write_repo}/collaborators/{quote(login, safe='')}/permission"
        response = self._get(path, accept=(404,))
        return Permission.NONE if response.status_code == 404 else permission_from(response.json())


def _quoted(term: str) -> str:
    cleaned = term.replace('"', " ").strip()
    return f'"{cleaned}"'
