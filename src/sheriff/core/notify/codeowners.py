"""GitHub's CODEOWNERS file: who owns a path.

Each line is a pattern and its owners (``@org/team``, ``@user`` or an e-mail); ``#``
starts a comment. The last matching line wins, and a line without owners makes the path
unowned. Patterns follow GitHub's rules, a subset of gitignore: a pattern with a slash at
its start or in its middle is anchored at the repository root, otherwise it matches at any
depth; a trailing slash means a directory and everything under it; ``*`` stays within one
path segment, ``**`` crosses them; ``docs/*`` matches the files directly in ``docs`` only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
MAX_RULES = 2_000


@dataclass(frozen=True, slots=True)
class OwnerRule:
    pattern: str
    owners: tuple[str, ...]
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CodeOwners:
    rules: tuple[OwnerRule, ...] = ()

    def owners_of(self, path: str) -> tuple[str, ...]:
        """The owners of ``path`` (repository-relative): the last matching rule's."""
        clean = path.lstrip("/")
        for rule in reversed(self.rules):
            if rule.regex.match(clean):
                return rule.owners
        return ()

    def owners_of_all(self, paths: Sequence[str]) -> tuple[str, ...]:
        """Every owner of any of ``paths``, in first-seen order."""
        found: dict[str, None] = {}
        for path in paths:
            found.update(dict.fromkeys(self.owners_of(path)))
        return tuple(found)


def parse_codeowners(text: str) -> CodeOwners:
    rules: list[OwnerRule] = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        pattern, *owners = line.split()
        regex = pattern_regex(pattern)
        if regex is not None:
            rules.append(OwnerRule(pattern, tuple(owners), regex))
        if len(rules) >= MAX_RULES:
            break
    return CodeOwners(tuple(rules))


def pattern_regex(pattern: str) -> re.Pattern[str] | None:
    """The regex of a CODEOWNERS (or route) pattern, or None for one GitHub ignores."""
    if pattern.startswith(("!", "\\#")) or "[" in pattern:
        return None
    body = pattern.lstrip("/")
    anchored = pattern.startswith("/") or "/" in body.rstrip("/")
    directory = body.endswith("/")
    body = body.rstrip("/")
    if not body:
        return re.compile(r"^.*$") if pattern.startswith("/") else None
    translated = _translate(body)
    last = body.rsplit("/", 1)[-1]
    if directory:
        suffix = "/.*$"
    elif "*" in last and anchored and "/" in body:
        suffix = "$"  # docs/* : the files directly in docs
    else:
        suffix = "(?:/.*)?$"
    prefix = "^" if anchored else "^(?:.*/)?"
    return re.compile(prefix + translated + suffix)


def _translate(glob: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return "".join(out)
