"""Run the web application for tests over real HTTP: in a thread (uvicorn) or as a real
``sheriff serve`` / ``sheriff worker`` process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from sheriff.entry.web.signatures import sign


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving_in_thread(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def signed_headers(
    secret: bytes, body: bytes, event: str, delivery_id: str, *, signature: str | None = None
) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id,
        "X-Hub-Signature-256": signature if signature is not None else sign(secret, body),
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/test",
    }


@dataclass
class SheriffProcess:
    """A ``sheriff`` command running in its own process, its output in ``log``."""

    process: subprocess.Popen[bytes]
    log: Path
    url: str | None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sheriff exited {self.process.returncode}:\n{self.output()}")
            try:
                if self.url and httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"sheriff did not become healthy:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup at all, like a crashed machine."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode


@contextmanager
def sheriff_process(
    args: list[str], env: Mapping[str, str], log: Path, *, port: int | None = None
) -> Iterator[SheriffProcess]:
    """Start ``sheriff ARGS`` (``--port`` added when ``port`` is given); stop it at the end."""
    command = [sys.executable, "-m", "sheriff", *args]
    if port is not None:
        command += ["--port", str(port)]
    environment = {**os.environ, **env}
    with log.open("ab") as sink:
        process = subprocess.Popen(command, env=environment, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}" if port is not None else None
    running = SheriffProcess(process, log, url)
    try:
        yield running
    finally:
        running.stop()
