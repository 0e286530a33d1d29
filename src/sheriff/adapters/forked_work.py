"""Share numbered tasks between this process and forked workers, whichever is free first.

Tasks are claimed by reading one byte (the task's index) from a pipe filled beforehand:
a read is atomic, so each task runs exactly once, in whichever process is free first.
Forked workers inherit the pipe, the task function and everything it reads (no pickling
on the way in), and hand their results back pickled through a pipe of their own.

Plain forks, not a process pool: a pool's import, threads and queues cost ~50 ms of a
100 MB triage here, for nothing this needs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from sheriff.errors import TriageWorkerError

MAX_TASKS = 256  # one byte per task in the claims pipe

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Worker:
    """A forked worker process and the read end of the pipe it reports through."""

    pid: int
    results: int


def run_shared(count: int, workers: int, task: Callable[[int], T]) -> list[T]:
    """``task(0)`` … ``task(count - 1)`` run by this process and up to ``workers - 1``
    forked ones; the results in index order. A worker's exception is raised here.

    This process runs ``task(0)`` itself, before claiming others: give the task with the
    biggest result index 0, and that result is never pickled.
    """
    if not 0 <= count <= MAX_TASKS:
        raise ValueError(f"{count} tasks: at most {MAX_TASKS} can be shared")
    if count == 0:
        return []
    claims, fill = os.pipe()
    forked: list[_Worker] = []
    try:
        os.write(fill, bytes(range(1, count)))
        os.set_blocking(claims, False)
        forked = [_fork_worker(task, claims) for _ in range(min(workers, count) - 1)]
        done = [(0, task(0))]
        done.extend((index, task(index)) for index in _claimed(claims))
        while forked:
            done.extend(_collect(forked.pop(0)))
    finally:
        os.close(claims)
        os.close(fill)
        for worker in forked:  # only left when this process failed: stop the others
            _stop(worker)
    return [result for _, result in sorted(done, key=lambda item: item[0])]


def _fork_worker(task: Callable[[int], T], claims: int) -> _Worker:
    results, report = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(results)
        _work_and_exit(task, claims, report)
    os.close(report)
    return _Worker(pid, results)


def _work_and_exit(task: Callable[[int], T], claims: int, report: int) -> NoReturn:
    """Worker process: run tasks, write ``("done", …)`` or ``("error", exception)`` to
    the pipe and exit at once (``os._exit``: the parent's clean-up is not the worker's)."""
    status = 1
    try:
        try:
            packed = pickle.dumps(("done", _run_claimed(task, claims)))
        except Exception as error:  # noqa: BLE001 (re-raised by the parent, see _collect)
            packed = _packed_error(error)
        with os.fdopen(report, "wb") as stream:
            stream.write(packed)
        status = 0
    finally:
        os._exit(status)


def _run_claimed(task: Callable[[int], T], claims: int) -> list[tuple[int, bytes]]:
    """Worker: run tasks until none is left unclaimed; each result pickled as soon as it
    is ready (with its task's index), so that little is left to pickle at the end."""
    return [
        (index, pickle.dumps(task(index), pickle.HIGHEST_PROTOCOL)) for index in _claimed(claims)
    ]


def _packed_error(error: Exception) -> bytes:
    """The worker's exception, pickled; as a TriageWorkerError naming it if it cannot be."""
    try:
        return pickle.dumps(("error", error))
    except (pickle.PicklingError, TypeError, AttributeError):
        return pickle.dumps(("error", TriageWorkerError(f"{type(error).__name__}: {error}")))


def _collect(worker: _Worker) -> list[tuple[int, Any]]:
    """A worker's results, with their indices; its exception is raised here."""
    with os.fdopen(worker.results, "rb") as stream:
        report = stream.read()
    _, status = os.waitpid(worker.pid, 0)
    if not report:
        raise TriageWorkerError(
            f"a worker process triaging the log died "
            f"(exit status {os.waitstatus_to_exitcode(status)})",
            hint="run the command again; if it dies again, check the machine's free memory",
        )
    kind, payload = pickle.loads(report)  # noqa: S301 (bytes from our own worker)
    if kind == "error" and isinstance(payload, Exception):
        payload.add_note("(raised in a worker process triaging the log)")
        raise payload
    return [(index, pickle.loads(packed)) for index, packed in payload]  # noqa: S301 (ours)


def _stop(worker: _Worker) -> None:
    os.close(worker.results)
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    os.waitpid(worker.pid, 0)


def _claimed(claims: int) -> Iterator[int]:
    """Indices of tasks claimed one by one until none is left."""
    while claimed := _claim(claims):
        yield claimed[0]


def _claim(claims: int) -> bytes:
    """The next unclaimed task's index as one byte, or nothing when all are claimed."""
    try:
        return os.read(claims, 1)
    except BlockingIOError:
        return b""
