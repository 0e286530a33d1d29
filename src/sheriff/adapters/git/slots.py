"""A fixed number of worktree slots shared by every thread and process on the machine.

Slot ``i`` is the lock file ``slot-i.lock`` and the directory ``slot-i`` beside it. Taking
a slot takes an exclusive ``flock`` on its lock file, so the slot is freed even when the
process holding it dies; the next holder finds the dead one's worktree and clears it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sheriff.errors import WorkspaceBusyError


class WorktreeSlots:
    def __init__(
        self,
        directory: Path,
        count: int,
        *,
        wait_seconds: float,
        poll_seconds: float = 0.05,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if count < 1:
            raise ValueError("a pool needs at least one slot")
        self.directory = directory
        self.count = count
        self.wait_seconds = wait_seconds
        self._poll_seconds = poll_seconds
        self._monotonic = monotonic
        self._sleep = sleep

    @contextmanager
    def take(self) -> Iterator[Path]:
        """Hold a free slot while the block runs; yields the slot's worktree directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        index, handle = self._acquire()
        try:
            yield self.directory / f"slot-{index}"
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            os.close(handle)

    def _acquire(self) -> tuple[int, int]:
        deadline = self._monotonic() + self.wait_seconds
        while True:
            for index in range(self.count):
                handle = self._try_lock(index)
                if handle is not None:
                    return index, handle
            if self._monotonic() >= deadline:
                raise WorkspaceBusyError(
                    f"all {self.count} worktree slots stayed busy for {self.wait_seconds:g}s",
                    hint="retry later, or raise workspace_slots / workspace_wait_seconds",
                )
            self._sleep(self._poll_seconds)

    def _try_lock(self, index: int) -> int | None:
        handle = os.open(self.directory / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return None
        return handle
