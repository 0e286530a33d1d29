"""A pull request's changed files as hunks with line numbers, read from GitHub's patches.

GitHub gives each changed file's unified diff from the first ``@@``; ``parse_hunks`` turns
it into hunks that know which lines of the new file they cover, so a stack location can be
checked against them. A file without a patch (binary, or too large for GitHub to show)
has no hunks: only its path can be matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
MAX_HUNK_LINES = 400  # lines kept per hunk (the rest still counts for its range)


@dataclass(frozen=True, slots=True)
class Hunk:
    """One hunk; ``added`` are (new line, text), ``removed`` (old line, text)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    header: str  # the function or class git names after the second ``@@`` (may be empty)
    added: tuple[tuple[int, str], ...] = ()
    removed: tuple[tuple[int, str], ...] = ()
    context: tuple[tuple[int, str], ...] = ()  # (new line, text) of unchanged lines

    @property
    def new_last(self) -> int:
        return self.new_start + max(self.new_count, 1) - 1

    def covers(self, line: int) -> bool:
        """The line of the new file lies in this hunk (with its context lines)."""
        return self.new_start <= line <= self.new_last

    def changed_text(self) -> tuple[str, ...]:
        return tuple(text for _, text in (*self.added, *self.removed))

    def all_text(self) -> tuple[str, ...]:
        """The header and every line shown: context, added and removed."""
        lines = (*self.context, *self.added, *self.removed)
        return (self.header, *(text for _, text in lines))


@dataclass(frozen=True, slots=True)
class ChangedFile:
    path: str
    status: str  # added / removed / modified / renamed ...
    additions: int = 0
    deletions: int = 0
    hunks: tuple[Hunk, ...] = ()
    has_patch: bool = True

    def hunk_at(self, line: int) -> Hunk | None:
        return next((hunk for hunk in self.hunks if hunk.covers(line)), None)


def changed_file(
    path: str, status: str, additions: int, deletions: int, patch: str | None
) -> ChangedFile:
    return ChangedFile(
        path, status, additions, deletions, parse_hunks(patch or ""), has_patch=patch is not None
    )


def parse_hunks(patch: str) -> tuple[Hunk, ...]:
    """The hunks of one file's unified diff; lines before the first header are ignored."""
    hunks: list[Hunk] = []
    current: _OpenHunk | None = None
    for line in patch.splitlines():
        header = _HUNK_HEADER.match(line)
        if header is not None:
            if current is not None:
                hunks.append(current.close())
            current = _OpenHunk.start(header)
        elif current is not None:
            current.take(line)
    if current is not None:
        hunks.append(current.close())
    return tuple(hunks)


@dataclass(slots=True)
class _OpenHunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    header: str
    old_line: int
    new_line: int
    added: list[tuple[int, str]]
    removed: list[tuple[int, str]]
    context: list[tuple[int, str]]

    @classmethod
    def start(cls, match: re.Match[str]) -> _OpenHunk:
        old_start, new_start = int(match.group(1)), int(match.group(3))
        old_count = int(match.group(2)) if match.group(2) is not None else 1
        new_count = int(match.group(4)) if match.group(4) is not None else 1
        header = match.group(5).strip()
        return cls(
            old_start, old_count, new_start, new_count, header, old_start, new_start, [], [], []
        )

    def take(self, line: str) -> None:
        kept = len(self.added) + len(self.removed) + len(self.context) < MAX_HUNK_LINES
        if line.startswith("+"):
            if kept:
                self.added.append((self.new_line, line[1:]))
            self.new_line += 1
        elif line.startswith("-"):
            if kept:
                self.removed.append((self.old_line, line[1:]))
            self.old_line += 1
        elif not line.startswith("\\"):  # "\ No newline at end of file"
            if kept:
                self.context.append((self.new_line, line[1:]))
            self.old_line += 1
            self.new_line += 1

    def close(self) -> Hunk:
        return Hunk(
            self.old_start,
            self.old_count,
            self.new_start,
            self.new_count,
            self.header,
            tuple(self.added),
            tuple(self.removed),
            tuple(self.context),
        )
