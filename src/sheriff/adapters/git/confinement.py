"""Keep every path a worktree user names inside the worktree.

A name is rejected when it is empty, absolute, climbs with ``..``, touches git's own
metadata (``.git``), or resolves, through symlinks, to somewhere outside the worktree.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sheriff.errors import WorkspacePathError

_HINT = "use a path relative to the repository root, without '..', that stays inside it"


def relative_name(name: str) -> PurePosixPath:
    """``name`` as a clean relative path; WorkspacePathError when it cannot be one."""
    text = name.strip().replace("\\", "/")
    if not text or "\0" in text:
        raise WorkspacePathError(f"not a file name: {name!r}", hint=_HINT)
    path = PurePosixPath(text)
    if path.is_absolute() or text.startswith("~"):
        raise WorkspacePathError(f"{name!r} is an absolute path", hint=_HINT)
    parts = [part for part in path.parts if part != "."]
    if ".." in parts:
        raise WorkspacePathError(f"{name!r} climbs out with '..'", hint=_HINT)
    if ".git" in parts:
        raise WorkspacePathError(f"{name!r} is inside git's metadata", hint=_HINT)
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def confined_path(root: Path, name: str) -> Path:
    """The real path ``name`` designates under ``root``, refusing anything that leaves it."""
    relative = relative_name(name)
    real_root = root.resolve()
    target = (real_root / relative).resolve()
    if target != real_root and not target.is_relative_to(real_root):
        raise WorkspacePathError(f"{name!r} leads outside the worktree (a symlink?)", hint=_HINT)
    if ".git" in target.relative_to(real_root).parts:
        raise WorkspacePathError(f"{name!r} leads into git's metadata", hint=_HINT)
    return target
