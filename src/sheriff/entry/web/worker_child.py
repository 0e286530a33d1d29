"""``sheriff serve``'s worker process: events are processed in a child process.

One Python process cannot both answer webhooks within milliseconds and run sixteen busy
worker threads: they share one interpreter lock, and the event loop waits behind them
(bench/results/webhook.md measured a p99 of 62-189 ms that way). So ``sheriff serve``
starts ``sheriff worker`` as a child on the same engine database (SQLite can be shared by
processes on one machine), at a lower CPU priority, and supervises it:

- a child that exits on its own is started again (with the same executor id, so the
  engine resumes its unfinished events at once), after a pause that grows while it keeps
  failing;
- a child dies with its parent (``PR_SET_PDEATHSIG`` on Linux, and a check of the parent
  elsewhere): a killed ``sheriff serve`` leaves no worker behind;
- the child runs under the server's DBOS application version: DBOS hands a queued event
  only to a process of the version that queued it, so a child started again after an
  upgrade must not wait for a server restart to see any work;
- ``sheriff serve``'s ``/metrics`` includes the child's processing metrics, read from the
  child over a Unix socket.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

log = logging.getLogger("sheriff.worker")

CHILD_NICENESS = 10  # the web tier's acknowledgements come first for the CPU
RESTART_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)  # before each restart while it keeps failing
STEADY_SECONDS = 60.0  # a child that ran this long starts the pauses over
SOCKET_NAME = "worker.sock"
PR_SET_PDEATHSIG = 1
PARENT_CHECK_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class WorkerChildOptions:
    """How to start the child: what ``sheriff serve`` was given that the worker needs."""

    executor_id: str
    engine_url: str
    application_version: str
    db_url: str | None = None
    config: Path | None = None
    stop_grace_seconds: float = 20.0


class WorkerChild:
    """Starts, watches and stops the worker process; ``start()`` then ``stop()``."""

    def __init__(self, options: WorkerChildOptions) -> None:
        self.options = options
        self._folder = Path(tempfile.mkdtemp(prefix="sheriff-"))  # a short socket path
        self.socket_path = self._folder / SOCKET_NAME
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self.restarts = 0

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "sheriff", "worker", "--serve-child", str(os.getpid())]
        command += ["--metrics-socket", str(self.socket_path)]
        if self.options.config:
            command += ["--config", str(self.options.config)]
        return command

    def environment(self) -> dict[str, str]:
        """Ours, with what ``sheriff serve`` decided (database URLs travel here rather
        than on the command line, where any user of the machine could read them)."""
        options = self.options
        environment = {**os.environ, "SHERIFF_WORKER_ID": options.executor_id}
        environment["SHERIFF_ENGINE_DB_URL"] = options.engine_url
        # DBOS's own variable: the child takes the events this process queues even when
        # it was started again after the installed code changed.
        environment["DBOS__APPVERSION"] = options.application_version
        if options.db_url:
            environment["SHERIFF_DB_URL"] = options.db_url
        return environment

    def start(self) -> None:
        self._spawn()
        # The kernel's parent-death signal follows the thread that started the child:
        # this one (which lives as long as the process) or the supervisor (which lives
        # until ``stop``), never a short-lived thread.
        self._thread = threading.Thread(target=self._supervise, name="sheriff-worker-child")
        self._thread.start()

    def pid(self) -> int | None:
        """The running child's process id (None between a crash and its restart)."""
        with self._lock:
            process = self._process
        return None if process is None or process.poll() is not None else process.pid

    def problem(self) -> str | None:
        """Why the worker process is not running, if it is not."""
        if self.pid() is not None:
            return None
        return f"the worker process is not running (started again {self.restarts} times)"

    def metrics_text(self) -> str | None:
        """The child's ``/metrics`` page, or None while it cannot be read."""
        transport = httpx.HTTPTransport(uds=str(self.socket_path))
        try:
            with httpx.Client(transport=transport, timeout=2.0) as client:
                answer = client.get("http://worker/metrics")
        except httpx.HTTPError:
            return None
        return answer.text if answer.status_code == 200 else None

    def stop(self) -> None:
        """Ask the child to stop (SIGTERM: running events may finish within the grace
        period, the rest is resumed at the next start), then kill it if it has not."""
        with self._lock:  # no start can slip in between: _spawn checks under this lock
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(self.options.stop_grace_seconds)
            except subprocess.TimeoutExpired:
                log.warning("the worker process did not stop in time; killing it")
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(OSError):
            self.socket_path.unlink(missing_ok=True)
            self._folder.rmdir()

    def _spawn(self) -> None:
        """Start the child (its output goes where ours goes), unless stopping."""
        with self._lock:
            if self._stopping.is_set():
                return
            process = subprocess.Popen(self.command(), env=self.environment())
            self._process = process
        log.info("worker process %d started as %s", process.pid, self.options.executor_id)

    def _supervise(self) -> None:
        failures = 0
        while True:
            with self._lock:
                process = self._process
            if process is None:
                return
            started = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            failures = 0 if time.monotonic() - started >= STEADY_SECONDS else failures + 1
            pause = RESTART_PAUSES[min(max(failures - 1, 0), len(RESTART_PAUSES) - 1)]
            log.error("the worker process exited (%s); starting it again in %.0f s", code, pause)
            if self._stopping.wait(pause):
                return
            self.restarts += 1
            self._spawn()  # declined once stop has begun: the next wait then returns at once


def bind_to_parent(parent_pid: int) -> None:
    """In the child: die when ``sheriff serve`` dies (killed, as one process would be, so
    unfinished events are resumed at the next start rather than half-finished alone), and
    yield the CPU to it. Exits at once when the parent is already gone."""
    if not _asked_for_death_signal():
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:
        raise SystemExit(0)
    os.nice(CHILD_NICENESS)


def _asked_for_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)


def _watch_parent(parent_pid: int) -> None:
    """Where the death signal is not available: the parent is gone once we are adopted."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)
