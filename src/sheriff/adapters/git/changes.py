"""What changed in a worktree, committing it as Sheriff's bot, and pushing it."""

from __future__ import annotations

from pathlib import Path

from sheriff.adapters.git.options import GitOptions
from sheriff.adapters.git.processes import run_git
from sheriff.app.workspace import DiffStat, FileChange
from sheriff.errors import GitCommandError, PushRejectedError

_REJECTED = ("[rejected]", "[remote rejected]", "non-fast-forward", "fetch first")


def diff_stat(root: Path, base_sha: str, options: GitOptions) -> DiffStat:
    """Lines added and deleted per file since ``base_sha``, new files included."""
    _stage_all(root, options)
    output = _git(root, options, "diff", "--cached", "--numstat", "--no-renames", "-z", base_sha)
    changes: list[FileChange] = []
    for record in output.decode("utf-8", "replace").split("\0"):
        added, _, rest = record.partition("\t")
        deleted, _, path = rest.partition("\t")
        if path:
            changes.append(FileChange(path, _count(added), _count(deleted)))
    return DiffStat(tuple(changes))


def commit(root: Path, message: str, options: GitOptions) -> str | None:
    """Commit every change as the bot; the new sha, or None when there is nothing to commit."""
    _stage_all(root, options)
    staged = run_git(
        ["diff", "--cached", "--quiet"], cwd=root, timeout=options.git_timeout, ok_codes=(0, 1)
    )
    if staged.code == 0:
        return None
    run_git(
        ["commit", "--quiet", "--no-verify", "--message", message],
        cwd=root,
        timeout=options.git_timeout,
        env=options.author_environment(),
    )
    return _git(root, options, "rev-parse", "HEAD").decode().strip()


def push(root: Path, branch: str, url: str, options: GitOptions) -> None:
    """Push HEAD to ``refs/heads/<branch>`` at ``url``; PushRejectedError when refused."""
    _git(root, options, "check-ref-format", f"refs/heads/{branch}")
    try:
        run_git(
            ["push", "--no-verify", url, f"HEAD:refs/heads/{branch}"],
            cwd=root,
            timeout=options.git_timeout,
        )
    except GitCommandError as error:
        refusals = [
            line.strip()
            for line in error.stderr.splitlines()
            if any(marker in line for marker in _REJECTED)
        ]
        if refusals:
            raise PushRejectedError(
                f"the remote refused the push to {branch}: {refusals[0]}",
                hint=f"{branch} moved on the remote or is protected; fetch the mirror and "
                "rebuild the fix from the new head, or push to another branch",
                stderr=error.stderr,
            ) from error
        raise


def _stage_all(root: Path, options: GitOptions) -> None:
    _git(root, options, "add", "--all")


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _git(root: Path, options: GitOptions, *args: str) -> bytes:
    return run_git(args, cwd=root, timeout=options.git_timeout).stdout
