"""Links to GitHub are built from stored names and numbers; foreign URLs must be http(s)."""

from __future__ import annotations

import pytest

from sheriff.app.dashboard import PullRequestRef
from sheriff.app.ports import IssueLink
from sheriff.entry.dashboard.links import GitHubLinks, github_web_url, safe_href


@pytest.mark.parametrize(
    ("api", "web"),
    [
        ("https://api.github.com", "https://github.com"),
        ("https://api.github.com/", "https://github.com"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),  # the fake GitHub
    ],
)
def test_web_url_of_each_kind_of_github(api: str, web: str) -> None:
    assert github_web_url(api) == web


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://github.com/o/r/actions/runs/1/job/2",
            "https://github.com/o/r/actions/runs/1/job/2",
        ),
        ("  http://ci.example/x  ", "http://ci.example/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>x</script>", None),
        ("//evil.example/x", None),
        ("https:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_only_absolute_http_urls_become_links(url: str | None, shown: str | None) -> None:
    assert safe_href(url) == shown


def test_github_links_paths() -> None:
    links = GitHubLinks("https://ghe.example.com")
    assert (
        links.issue(IssueLink("octo/app", 12, True)) == "https://ghe.example.com/octo/app/issues/12"
    )
    assert (
        links.pull_request(PullRequestRef("octo/app", 7))
        == "https://ghe.example.com/octo/app/pull/7"
    )
    assert links.run("octo/app", 99) == "https://ghe.example.com/octo/app/actions/runs/99"
    assert (
        links.run("octo/app", 99, 2)
        == "https://ghe.example.com/octo/app/actions/runs/99/attempts/2"
    )
    assert links.commit("octo/app", "ab/c") == "https://ghe.example.com/octo/app/commit/ab%2Fc"
    assert links.repo("octo/a pp") == "https://ghe.example.com/octo/a%20pp"
