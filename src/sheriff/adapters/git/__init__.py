"""Source code through the real ``git`` CLI: local mirrors and leased worktrees.

``GitWorkspaces`` places a mirror per repository; ``GitMirror`` implements the
``SourceMirror`` port and leases ``GitWorktree``s (the ``Workspace`` port).
"""

from sheriff.adapters.git.mirror import GitMirror
from sheriff.adapters.git.options import GitOptions
from sheriff.adapters.git.slots import WorktreeSlots
from sheriff.adapters.git.workspaces import GitWorkspaces
from sheriff.adapters.git.worktree import GitWorktree

__all__ = ["GitMirror", "GitOptions", "GitWorkspaces", "GitWorktree", "WorktreeSlots"]
