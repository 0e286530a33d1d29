"""Commits and diffs read out of a ``BareRepository``, for commit, compare and pull-request
file payloads. Renames show as a removal plus an addition (no rename detection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sheriff.testing.fakegithub.bare_git import BareRepository, Signature

_FIELDS = ("%H", "%T", "%P", "%an", "%ae", "%at", "%cn", "%ce", "%ct", "%B")
_STATUS = {"A": "added", "D": "removed", "M": "modified", "T": "changed"}


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    author: Signature
    committer: Signature
    message: str


@dataclass(frozen=True)
class FileChange:
    """One file of a diff, as GitHub's ``DiffEntry`` describes it."""

    filename: str
    status: str  # added / removed / modified / changed
    additions: int
    deletions: int
    blob_sha: str | None
    patch: str | None  # the hunks, from the first ``@@``; None for a binary file

    @property
    def changes(self) -> int:
        return self.additions + self.deletions


def read_commit(git: BareRepository, sha: str) -> CommitInfo:
    shown = git.run("show", "-s", "--format=" + "%x00".join(_FIELDS), sha, "--")
    full, tree, parents, a_name, a_mail, a_time, c_name, c_mail, c_time, message = shown.split(
        "\0", 9
    )
    return CommitInfo(
        sha=full,
        tree=tree,
        parents=tuple(parents.split()),
        author=Signature(a_name, a_mail, _moment(a_time)),
        committer=Signature(c_name, c_mail, _moment(c_time)),
        message=message.rstrip("\n"),
    )


def commits_between(git: BareRepository, since: str | None, until: str) -> list[str]:
    """Commits reachable from ``until`` and not from ``since``, oldest first."""
    span = f"{since}..{until}" if since else until
    return git.run("rev-list", "--reverse", span, "--").split()


def changed_files(git: BareRepository, base: str, head: str) -> list[FileChange]:
    """What ``head`` changes against ``base``, file by file, in path order."""
    statuses = _name_status(git, base, head)
    counts = _numstat(git, base, head)
    changes: list[FileChange] = []
    for path, status in statuses.items():
        added, removed = counts.get(path, (None, None))
        binary = added is None
        changes.append(
            FileChange(
                filename=path,
                status=status,
                additions=added or 0,
                deletions=removed or 0,
                blob_sha=None if status == "removed" else git.resolve_blob(head, path),
                patch=None if binary else _patch(git, base, head, path),
            )
        )
    return changes


def _name_status(git: BareRepository, base: str, head: str) -> dict[str, str]:
    fields = git.run("diff", "--no-renames", "--name-status", "-z", base, head, "--").split("\0")
    pairs = zip(fields[0::2], fields[1::2], strict=False)
    return {path: _STATUS.get(code[:1], "modified") for code, path in pairs if path}


def _numstat(git: BareRepository, base: str, head: str) -> dict[str, tuple[int | None, int]]:
    found: dict[str, tuple[int | None, int]] = {}
    for entry in git.run("diff", "--no-renames", "--numstat", "-z", base, head, "--").split("\0"):
        added, _, rest = entry.partition("\t")
        removed, _, path = rest.partition("\t")
        if path:
            found[path] = (None, 0) if added == "-" else (int(added), int(removed))
    return found


def _patch(git: BareRepository, base: str, head: str, path: str) -> str:
    text = git.run("diff", "--no-renames", "--no-color", base, head, "--", path)
    start = text.find("\n@@")
    return text[start + 1 :].rstrip("\n") if start >= 0 else ""


def _moment(epoch: str) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)
