"""The subset of GitHub's issue search syntax the fake understands.

Supported, each negatable with a leading ``-`` (``-label:wontfix``):

- ``repo:OWNER/NAME`` (several are OR-ed), ``user:OWNER`` / ``org:OWNER``
- ``is:issue``, ``is:pr`` / ``is:pull-request``, ``type:issue|pr``
- ``is:open``, ``is:closed``, ``state:open|closed``, ``reason:completed|"not planned"``
- ``label:NAME`` (AND-ed when repeated; ``label:a,b`` means a OR b), ``no:label``
- ``author:LOGIN``, ``commenter:LOGIN``, ``in:title``, ``in:body``, ``in:comments``
  (``in:title,body``; without ``in:`` the text is looked for in all three)
- ``created:``, ``updated:``, ``closed:`` with ``>=2024-05-01``, ``a..b`` and the like
- free text: every word (or ``"quoted phrase"``) must appear, case-insensitively.

Anything else of the form ``key:value`` is searched for as text, as GitHub does for
qualifiers it does not know. ``AND``/``OR``/``NOT`` keywords and parentheses are not
supported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sheriff.testing.fakegithub.date_range import parse_date_range
from sheriff.testing.fakegithub.records import IssueRecord, RepoRecord

IssueTest = Callable[[RepoRecord, IssueRecord], bool]
_TOKEN = re.compile(r'(-?)(?:(\w[\w-]*):)?("[^"]*"|\S+)')
_FIELDS = ("title", "body", "comments")


@dataclass
class SearchQuery:
    tests: list[IssueTest] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def matches(self, repo: RepoRecord, issue: IssueRecord) -> bool:
        if not all(test(repo, issue) for test in self.tests):
            return False
        texts = [_text_of(issue, name) for name in (self.fields or set(_FIELDS))]
        return all(any(term in text for text in texts) for term in self.terms)

    def score(self, issue: IssueRecord) -> float:
        """More for words in the title than elsewhere, as a stand-in for best match."""
        title = issue.title.lower()
        return 1.0 + sum(1.0 for term in self.terms if term in title)


def _text_of(issue: IssueRecord, name: str) -> str:
    if name == "title":
        return issue.title.lower()
    if name == "body":
        return (issue.body or "").lower()
    return "\n".join(comment.body.lower() for comment in issue.comments)


def parse_query(text: str) -> SearchQuery:
    query = SearchQuery()
    repos: list[str] = []
    for negate, key, raw in _TOKEN.findall(text):
        value = raw.strip('"')
        if key.lower() == "repo" and not negate:
            repos.append(value.lower())
        elif key.lower() == "in":
            query.fields |= {part for part in value.lower().split(",") if part in _FIELDS}
        elif (test := _qualifier(key.lower(), value)) is not None:
            query.tests.append(_negated(test) if negate else test)
        elif value:
            query.terms.append(f"{key}:{value}".lower() if key else value.lower())
    if repos:
        query.tests.append(lambda repo, issue: repo.full_name.lower() in repos)
    return query


def _negated(test: IssueTest) -> IssueTest:
    return lambda repo, issue: not test(repo, issue)


def _qualifier(key: str, value: str) -> IssueTest | None:
    lowered = value.lower()
    if key in {"is", "type", "state", "no", "reason"}:
        return _state_test(key, lowered)
    if key in {"created", "updated", "closed"}:
        within = parse_date_range(value, key)
        return lambda repo, issue: (
            (moment := getattr(issue, f"{key}_at")) is not None and within(moment)
        )
    names = {name.strip() for name in lowered.split(",")}
    people: dict[str, IssueTest] = {
        "repo": lambda repo, issue: repo.full_name.lower() == lowered,
        "user": lambda repo, issue: repo.owner.lower() == lowered,
        "org": lambda repo, issue: repo.owner.lower() == lowered,
        "label": lambda repo, issue: bool(names & {name.lower() for name in issue.labels}),
        "author": lambda repo, issue: issue.user.lower() == lowered,
        "commenter": lambda repo, issue: any(c.user.lower() == lowered for c in issue.comments),
    }
    return people.get(key)


def _state_test(key: str, value: str) -> IssueTest | None:
    kinds: dict[str, IssueTest] = {
        "issue": lambda repo, issue: not issue.is_pull_request,
        "pr": lambda repo, issue: issue.is_pull_request,
        "pull-request": lambda repo, issue: issue.is_pull_request,
        "open": lambda repo, issue: issue.state == "open",
        "closed": lambda repo, issue: issue.state == "closed",
    }
    if key == "no":
        return (lambda repo, issue: not issue.labels) if value == "label" else None
    if key == "reason":
        wanted = value.replace(" ", "_")
        return lambda repo, issue: issue.state_reason == wanted
    return kinds.get(value)
