"""Source text as lines that keep their endings, and the values a quarantine returns."""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL_UNSAFE = re.compile(r"[^A-Za-z0-9:/._#?=&%~+@-]")


@dataclass(frozen=True, slots=True)
class QuarantinePatch:
    """The patched text (``changed`` False: the test was already skipped, text unchanged);
    ``line`` is the 1-based line of the skip marker; ``note`` says what was skipped."""

    text: str
    changed: bool
    line: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class CannotQuarantine:
    reason: str


QuarantineOutcome = QuarantinePatch | CannotQuarantine


def skip_reason(issue_url: str) -> str:
    """``flaky: <url>``, with anything that could break out of a string literal removed."""
    return f"flaky: {_URL_UNSAFE.sub('', issue_url)}"


def double_quoted(text: str) -> str:
    """A double-quoted literal valid in Go, Python, Java, Kotlin, Rust and JavaScript."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class SourceLines:
    """A file's lines with their endings kept, so a patch changes nothing else."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        first = self.lines[0] if self.lines else "\n"
        self.eol = "\r\n" if first.endswith("\r\n") else "\n"

    def __len__(self) -> int:
        return len(self.lines)

    def bare(self, index: int) -> str:
        return self.lines[index].rstrip("\r\n")

    def indent(self, index: int) -> str:
        line = self.bare(index)
        return line[: len(line) - len(line.lstrip())]

    def insert(self, index: int, new_lines: list[str]) -> None:
        """Insert lines before ``index`` (a last line without an ending gets one)."""
        if index == len(self.lines) and self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += self.eol
        self.lines[index:index] = [line + self.eol for line in new_lines]

    def replace(self, index: int, text: str) -> None:
        ending = self.lines[index][len(self.bare(index)) :]
        self.lines[index] = text + ending

    def text(self) -> str:
        return "".join(self.lines)

    def find(self, pattern: re.Pattern[str], start: int = 0, stop: int | None = None) -> int | None:
        end = len(self.lines) if stop is None else stop
        return next((i for i in range(start, end) if pattern.search(self.bare(i))), None)

    def find_all(self, pattern: re.Pattern[str]) -> list[int]:
        return [i for i in range(len(self.lines)) if pattern.search(self.bare(i))]
