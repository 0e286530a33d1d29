"""Run ``git`` and test commands: argument lists (never a shell), timeouts, clean environments.

A command runs in its own process group, so a timeout kills everything it started, not only
the first process. Test commands get an environment without secrets: anything that looks
like a token, key or password, and every ``SHERIFF_*`` variable, is dropped. Git's error
output is redacted before it reaches an error message (a clone URL may hold a token).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sheriff.app.workspace import CommandResult
from sheriff.core.redact import redact
from sheriff.errors import GitCommandError

OUTPUT_TAIL_BYTES = 64 * 1024

_SECRET_NAME = re.compile(
    r"(?i)TOKEN|SECRET|PASSW|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|"
    r"AUTH|COOKIE|SESSION|^SHERIFF_|^AWS_|^GH_|^GITHUB_|^ANTHROPIC_|^OPENAI_|^SSH_AGENT"
)
# Variables that would point git at another repository than the one in ``cwd``.
_GIT_LOCATION = re.compile(
    r"^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|"
    r"COMMON_DIR|NAMESPACE|CEILING_DIRECTORIES|PREFIX|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT)$"
)
# No hooks run (a repository's or the user's), no signing prompt for Sheriff's commits.
_SAFE_CONFIG = {
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "core.hooksPath",
    "GIT_CONFIG_VALUE_0": "/dev/null",
    "GIT_CONFIG_KEY_1": "commit.gpgsign",
    "GIT_CONFIG_VALUE_1": "false",
}
GIT_HINT = "check the clone URL, the credentials for it and free disk space"


@dataclass(frozen=True, slots=True)
class GitOutput:
    code: int
    stdout: bytes
    stderr: str


def git_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for git: no prompts, no hooks, no redirection to other
    repositories."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not _GIT_LOCATION.match(name) and not name.startswith("SHERIFF_")
    }
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"})
    env.update(_SAFE_CONFIG)
    env.update(extra or {})
    return env


def scrubbed_environment() -> dict[str, str]:
    """This process's environment without secrets, for commands Sheriff did not write."""
    return {
        name: value
        for name, value in os.environ.items()
        if not _SECRET_NAME.search(name) and not _GIT_LOCATION.match(name)
    }


def run_git(
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float,
    ok_codes: tuple[int, ...] = (0,),
    env: Mapping[str, str] | None = None,
    hint: str = GIT_HINT,
) -> GitOutput:
    """Run ``git args`` in ``cwd``; GitCommandError unless it exits with one of ``ok_codes``."""
    name = next((arg for arg in args if not arg.startswith("-") and "=" not in arg), "")
    process = _spawn_git(args, cwd, env)
    try:
        stdout, stderr_bytes = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        process.communicate()
        raise GitCommandError(
            f"git {name} took longer than {timeout:g}s and was stopped",
            hint="raise git_timeout_seconds or check the network and the remote",
        ) from error
    stderr = redact(stderr_bytes.decode("utf-8", "replace")).strip()
    if process.returncode not in ok_codes:
        said = _main_complaint(stderr) or f"exit code {process.returncode}"
        raise GitCommandError(f"git {name} failed: {said}", hint=hint, stderr=stderr)
    return GitOutput(process.returncode, stdout, stderr)


def _spawn_git(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None
) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env=git_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        raise GitCommandError(
            f"cannot run git in {cwd}: {error}", hint="install git and check the directory"
        ) from error


def _main_complaint(stderr: str) -> str:
    """The last ``fatal:``/``error:`` line git printed, else its last line."""
    lines = stderr.splitlines()
    complaints = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (complaints or lines or [""])[-1]


def run_command(argv: Sequence[str], *, cwd: Path, timeout: float) -> CommandResult:
    """Run a configured command with a secret-free environment; the output's tail is kept."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as sink:
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=scrubbed_environment(),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            message = f"cannot start {argv[0]!r}: {error.strerror or error}"
            return CommandResult(tuple(argv), 127, False, message, 0.0)
        timed_out = _wait(process, timeout)
        duration = time.monotonic() - started
        output, truncated = _tail(sink)
    code = None if timed_out else process.returncode
    return CommandResult(tuple(argv), code, timed_out, output, round(duration, 3), truncated)


def _wait(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for ``process``; True when it had to be killed after ``timeout`` seconds."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.wait()
        return True
    _kill_group(process)  # children it left behind
    return False


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return  # the group is already gone
    except PermissionError:
        process.kill()


def _tail(sink: IO[bytes]) -> tuple[str, bool]:
    size = sink.seek(0, os.SEEK_END)
    sink.seek(max(0, size - OUTPUT_TAIL_BYTES))
    data = sink.read()
    return data.decode("utf-8", "replace"), size > OUTPUT_TAIL_BYTES
