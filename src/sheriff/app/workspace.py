"""The Workspace port: source code Sheriff reads, edits, tests and pushes.

A ``SourceMirror`` is a local copy of one repository. It answers questions about any
commit without a checkout (a file's lines at a sha, where a test is defined), and leases
``Workspace``s: checked-out trees at one commit, a bounded number at a time, always
removed when the lease ends. Paths are relative to the repository root with ``/``
separators; line numbers are 1-based and ranges inclusive. The adapter is
``sheriff.adapters.git.GitMirror``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

FIX_BRANCH_PREFIX = "sheriff/fix-"


def fix_branch(fingerprint: str) -> str:
    """The branch a case's fix is pushed to: ``sheriff/fix-`` and the fingerprint's first 8."""
    return f"{FIX_BRANCH_PREFIX}{fingerprint[:8]}"


@dataclass(frozen=True, slots=True)
class Snippet:
    """Lines ``start``..``end`` of a file at a commit (``end`` is clipped to the file)."""

    path: str
    sha: str
    start: int
    end: int
    text: str
    lines_in_file: int


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A line found by a search or a test lookup."""

    path: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class CommandResult:
    """One run of a command; ``output`` is the tail of stdout and stderr interleaved."""

    argv: tuple[str, ...]
    exit_code: int | None  # None: killed after the timeout
    timed_out: bool
    output: str
    duration_seconds: float
    truncated: bool = False  # the output's head was cut to keep the tail

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    added: int | None  # None for binary files
    deleted: int | None


@dataclass(frozen=True, slots=True)
class DiffStat:
    """What changed in a workspace since the commit it was leased at."""

    files: tuple[FileChange, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(change.path for change in self.files)

    @property
    def added(self) -> int:
        return sum(change.added or 0 for change in self.files)

    @property
    def deleted(self) -> int:
        return sum(change.deleted or 0 for change in self.files)


class SourceReader(Protocol):
    """Read-only access to one tree of source code: what the assistant's read-only tools
    use. A ``Workspace`` is one; ``sheriff.app.assistant_code.MirrorReader`` reads a
    ``SourceMirror`` at one commit without a worktree."""

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet: ...

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]: ...

    def find_test(self, name: str) -> list[SourceLocation]: ...

    def list_files(self, under: str = "") -> list[str]: ...


class Workspace(Protocol):
    """A checked-out tree at ``base_sha``. Every path must stay inside it."""

    @property
    def base_sha(self) -> str: ...

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet: ...

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]:
        """Lines of tracked files containing ``text`` literally."""
        ...

    def find_test(self, name: str) -> list[SourceLocation]:
        """Where a test named ``name`` is defined (Go, Python, JS/TS, JVM, Rust idioms)."""
        ...

    def list_files(self, under: str = "") -> list[str]: ...

    def write_file(self, path: str, text: str) -> None: ...

    def edit_file(self, path: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old``; ``old == ""`` creates a new file."""
        ...

    def run_tests(self, test: str | None = None, *, timeout: float | None = None) -> CommandResult:
        """Run the configured test command (``{test}`` in it becomes ``test``)."""
        ...

    def diff_stat(self) -> DiffStat: ...

    def commit(self, message: str) -> str | None:
        """Commit every change as Sheriff's bot; the new sha, or None when nothing changed."""
        ...

    def push(self, branch: str) -> None:
        """Push HEAD to ``branch`` on the remote; PushRejectedError when refused."""
        ...


class SourceMirror(Protocol):
    """A local mirror of one repository and the worktrees leased from it."""

    def ensure(self) -> None:
        """Clone the mirror, or fetch (with prune) when it exists."""
        ...

    def head(self, branch: str) -> str: ...

    def read_at(
        self, sha: str, path: str, start: int = 1, end: int | None = None
    ) -> Snippet | None:
        """Lines of ``path`` at ``sha``; None when the file does not exist there."""
        ...

    def find_test_at(self, sha: str, name: str) -> list[SourceLocation]: ...

    def contains(self, sha: str, ancestor: str) -> bool:
        """Whether commit ``sha`` has ``ancestor`` in its history (GitRefNotFoundError when
        either is unknown to the mirror)."""
        ...

    def lease_worktree(self, ref: str) -> AbstractContextManager[Workspace]:
        """A worktree at ``ref``, removed on exit; WorkspaceBusyError when no slot frees."""
        ...
