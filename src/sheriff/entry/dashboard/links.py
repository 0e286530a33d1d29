"""Links from the dashboard to GitHub, built only from names and numbers Sheriff stores.

URLs that come from elsewhere (a job's ``html_url``) are shown as links only when they are
plain http(s) URLs, so a stored ``javascript:`` URL never becomes clickable.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sheriff.app.dashboard import PullRequestRef
from sheriff.app.ports import IssueLink

PUBLIC_API = "https://api.github.com"
PUBLIC_WEB = "https://github.com"
ENTERPRISE_API_SUFFIX = "/api/v3"


def github_web_url(api_url: str) -> str:
    """The web address of the GitHub whose REST API is at ``api_url``."""
    base = api_url.rstrip("/")
    if base == PUBLIC_API:
        return PUBLIC_WEB
    if base.endswith(ENTERPRISE_API_SUFFIX):
        return base[: -len(ENTERPRISE_API_SUFFIX)]
    return base


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


@dataclass(frozen=True, slots=True)
class GitHubLinks:
    web_url: str

    def repo(self, repo: str) -> str:
        return f"{self.web_url}/{quote(repo, safe='/')}"

    def issue(self, link: IssueLink) -> str:
        return f"{self.repo(link.issue_repo)}/issues/{link.issue_number}"

    def pull_request(self, ref: PullRequestRef) -> str:
        return f"{self.repo(ref.repo)}/pull/{ref.number}"

    def run(self, repo: str, run_id: int, attempt: int | None = None) -> str:
        url = f"{self.repo(repo)}/actions/runs/{run_id}"
        return f"{url}/attempts/{attempt}" if attempt else url

    def commit(self, repo: str, sha: str) -> str:
        return f"{self.repo(repo)}/commit/{quote(sha, safe='')}"
