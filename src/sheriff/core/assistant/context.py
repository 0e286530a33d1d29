"""What the assistant knows when it answers: the thread, the failures triage found, code,
and a pull request's changes. Plain records the app fills in; every text in them has
been through ``clean_untrusted`` (people's text) or came from Sheriff's own store."""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.core.model import TestIdentity


@dataclass(frozen=True, slots=True)
class ThreadPost:
    author: str
    text: str
    by_sheriff: bool = False


@dataclass(frozen=True, slots=True)
class FailureBrief:
    """One failure linked to the issue or found on the pull request's head, as triaged."""

    fingerprint: str
    failure_type: str
    sub_type: str
    tool: str
    signature: str
    test: TestIdentity | None = None
    state: str | None = None  # the case's lifecycle state
    occurrences: int = 1
    p_flaky: float | None = None
    verdict: str | None = None
    workflow: str | None = None
    job_name: str | None = None
    job_url: str | None = None
    head_sha: str | None = None
    branch: str | None = None
    excerpt: tuple[tuple[int, str], ...] = ()  # (log line number, text)
    test_location: str | None = None  # path:line where the test is defined

    @property
    def what(self) -> str:
        return self.test.qualified if self.test else f"{self.tool} {self.failure_type}"


@dataclass(frozen=True, slots=True)
class CodeExcerpt:
    path: str
    sha: str
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + max(self.text.count("\n"), 0)


@dataclass(frozen=True, slots=True)
class ChangedFile:
    path: str
    status: str
    additions: int
    deletions: int
    patch: str | None = None


@dataclass(frozen=True, slots=True)
class MentionContext:
    """The issue or pull request the mention is on, and what Sheriff knows about it."""

    repo: str
    number: int
    is_pull_request: bool
    title: str
    body: str
    author: str | None = None
    where: str = ""  # e.g. "a review comment on src/x.py line 12"
    thread: tuple[ThreadPost, ...] = ()
    failures: tuple[FailureBrief, ...] = ()
    code: tuple[CodeExcerpt, ...] = ()
    changed_files: tuple[ChangedFile, ...] = ()
    code_sha: str | None = None  # the commit the code tools read
    hidden: str = ""  # what hygiene removed from the text read, described

    @property
    def noun(self) -> str:
        return "pull request" if self.is_pull_request else "issue"
