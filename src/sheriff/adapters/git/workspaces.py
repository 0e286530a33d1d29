"""Mirrors of every watched repository under one directory, sharing one pool of slots.

Layout under the root: ``mirrors/OWNER__NAME.git`` (bare mirrors) and ``worktrees/``
(``slot-N`` directories and their lock files).
"""

from __future__ import annotations

from pathlib import Path

from sheriff.adapters.git.mirror import GitMirror
from sheriff.adapters.git.options import GitOptions
from sheriff.adapters.git.slots import WorktreeSlots
from sheriff.config import Settings


class GitWorkspaces:
    def __init__(self, root: Path, slots: WorktreeSlots, options: GitOptions) -> None:
        self.root = root
        self.slots = slots
        self.options = options

    @classmethod
    def from_settings(cls, settings: Settings, *, data_dir: Path) -> GitWorkspaces:
        """``workspace_dir``, or ``workspaces`` in the data directory when it is unset."""
        root = settings.workspace_dir or data_dir / "workspaces"
        slots = WorktreeSlots(
            root / "worktrees",
            settings.workspace_slots,
            wait_seconds=float(settings.workspace_wait_seconds),
        )
        return cls(root, slots, GitOptions.from_settings(settings))

    def mirror(self, repo: str, clone_url: str, *, push_url: str | None = None) -> GitMirror:
        """The mirror of ``repo`` (OWNER/NAME); call ``ensure()`` before reading from it."""
        folder = self.root / "mirrors" / (repo.replace("/", "__") + ".git")
        return GitMirror(
            folder, clone_url, slots=self.slots, options=self.options, push_url=push_url
        )
