"""Which code to read for a pack, and cutting snippets out of file text.

The app reads files from its mirror at the failing commit; this module says which paths
are worth reading (``repository_path`` maps a path printed by CI to one inside the
repository, or drops it when it is a toolchain or dependency file) and cuts the lines:
around a stack or assertion line (``snippet_around``), or the whole test function
(``snippet_of_test``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.analysis.pack import SnippetSource
from sheriff.core.model import Location, TestIdentity
from sheriff.core.quarantine import search_hint

_CI_PREFIXES = (
    re.compile(r"^/home/runner/work/[^/]+/[^/]+/"),
    re.compile(r"^/__w/[^/]+/[^/]+/"),
    re.compile(r"^[A-Za-z]:[\\/]a[\\/][^\\/]+[\\/][^\\/]+[\\/]"),
    re.compile(r"^/Users/runner/work/[^/]+/[^/]+/"),
    re.compile(r"^/builds/[^/]+/[^/]+/"),
    re.compile(r"^/go/src/[^/]+/[^/]+/[^/]+/"),
    re.compile(r"^.*/src/github\.com/[^/]+/[^/]+/"),
)
_NOT_OURS = re.compile(
    r"(?:^|/)(?:site-packages|dist-packages|node_modules|vendor|\.cargo|\.rustup|go/pkg/mod|"
    r"jdk[^/]*|\.m2|\.gradle)/|^/usr/|^/opt/hostedtoolcache/|^<|^\.\./"
)
_CLOSER = re.compile(r"^\s*(?:[})\]]++[);,]*+|end)\s*$")


@dataclass(frozen=True, slots=True)
class SnippetRequest:
    """A file to read at the failing commit, and the line to centre on (None: the test)."""

    path: str
    line: int | None
    reason: str


def repository_path(path: str, repo: str) -> str | None:
    """``path`` as a path inside ``repo`` (``owner/name``), or None when it points outside
    (toolchain, dependencies, absolute paths that are not a CI checkout)."""
    clean = path.strip().replace("\\", "/") if re.match(r"^[A-Za-z]:\\", path) else path.strip()
    module = f"github.com/{repo}/"
    if clean.startswith(module):
        clean = clean[len(module) :]
    for prefix in _CI_PREFIXES:
        clean = prefix.sub("", clean, count=1)
    clean = clean.removeprefix("./")
    if not clean or clean.startswith("/") or _NOT_OURS.search(clean) or "/../" in f"/{clean}/":
        return None
    return clean


def snippet_requests(
    locations: Sequence[Location], repo: str, *, test_file: str | None = None, limit: int = 6
) -> list[SnippetRequest]:
    """The test's file first, then each distinct location inside the repository."""
    requests: list[SnippetRequest] = []
    if test_file:
        requests.append(SnippetRequest(test_file, None, "failing test"))
    seen = set()
    for location in locations:
        path = repository_path(location.path, repo)
        if path is None or (path, location.line) in seen:
            continue
        seen.add((path, location.line))
        reason = "stack frame" if path != test_file else "failure line in the test"
        requests.append(SnippetRequest(path, location.line, reason))
    return requests[:limit]


def snippet_around(
    path: str, sha: str, text: str, line: int, *, radius: int = 12, reason: str = "stack frame"
) -> SnippetSource | None:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    first = max(line - radius, 1)
    last = min(line + radius, len(lines))
    return SnippetSource(path, sha, first, "\n".join(lines[first - 1 : last]), reason)


def snippet_of_test(
    path: str, sha: str, text: str, test: TestIdentity, *, max_lines: int = 60
) -> SnippetSource | None:
    """The test's definition, from its first line to the end of its block."""
    hint = search_hint(test)
    if hint is None:
        return None
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if hint.needle in line), None)
    if start is None:
        return None
    depth = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and end - start < max_lines:
        line = lines[end]
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent <= depth:
            end += 1 if _CLOSER.match(line) else 0
            break
        end += 1
    return SnippetSource(path, sha, start + 1, "\n".join(lines[start:end]), "failing test")
