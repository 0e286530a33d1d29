"""Pieces of bench/webhook.py: the fake GitHub world, signed deliveries, an open-loop load
generator, Sheriff processes, and the exactly-once check."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sheriff.entry.web.signatures import sign
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

SECRET = "bench-webhook-secret"
FAIL_LOG = DEMO_SEED / "logs" / "cidiff" / "cidiff_57-fail.log"
START = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
SENDER = {"login": "octocat", "id": 1, "type": "User"}
SENDERS = 64  # connections the load generator keeps open


def scan_repo(index: int) -> str:
    return f"bench/service-{index:03d}"


def write_seed(folder: Path, scan_repos: int) -> Path:
    """One failing run (the demo seed's real cidiff log) in each of ``scan_repos``
    repositories; the failure's fingerprint includes the repository, so each run should
    open exactly one issue of its own."""
    (folder / "logs").mkdir(parents=True)
    shutil.copy(FAIL_LOG, folder / "logs" / "fail.log")
    repos = [{"full_name": scan_repo(i), "default_branch": "main"} for i in range(scan_repos)]
    (folder / "repos.json").write_text(json.dumps(repos))
    lines = []
    for index in range(scan_repos):
        run_id = 5000 + index
        job = {"job_id": run_id * 10, "name": "build-test", "conclusion": "failure",
               "runner_os": "Linux", "log": "logs/fail.log"}  # fmt: skip
        lines.append({
            "repo": scan_repo(index), "workflow": "CI", "run_id": run_id, "run_attempt": 1,
            "head_sha": f"{run_id:040x}", "head_branch": "main", "event": "push",
            "conclusion": "failure",
            "created_at": (START + dt.timedelta(minutes=index)).isoformat(),
            "pull_requests": [], "jobs": [job],
        })  # fmt: skip
    (folder / "runs.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return folder


def prepare_fake(fake: FakeGitHub, scan_repos: int) -> None:
    for index in range(scan_repos):
        fake.put_file(scan_repo(index), ".github/sheriff.yml", "recurrence_threshold: 1\n")


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    event: str
    body: bytes
    headers: dict[str, str]


def delivery(event: str, payload: dict[str, Any]) -> Delivery:
    body = json.dumps(payload).encode()
    delivery_id = str(uuid.uuid4())
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id,
        "X-Hub-Signature-256": sign(SECRET.encode(), body),
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/bench",
    }
    return Delivery(delivery_id, event, body, headers)


def build_deliveries(fake: FakeGitHub, total: int, scan_repos: int) -> list[Delivery]:
    """``scan_repos`` failed-run deliveries spread evenly among failed ``workflow_job``
    deliveries on 20 repositories (the most frequent event; recorded in the audit log, no
    GitHub call), about 7 KB each like GitHub's (full repository objects)."""
    headers = {"Authorization": "Bearer bench"}
    with httpx.Client(base_url=fake.url, headers=headers) as api:
        repository = api.get(f"/repos/{scan_repo(0)}").json()
        runs = [
            (api.get(f"/repos/{scan_repo(i)}/actions/runs/{5000 + i}/attempts/1").json(),
             api.get(f"/repos/{scan_repo(i)}").json())
            for i in range(scan_repos)
        ]  # fmt: skip
        job = api.get(f"/repos/{scan_repo(0)}/actions/jobs/50000").json()
    every = max(total // max(scan_repos, 1), 1)
    deliveries = []
    for number in range(total):
        if number % every == 0 and runs:
            run, repo = runs.pop(0)
            payload = {"action": "completed", "workflow_run": run, "repository": repo,
                       "sender": SENDER, "installation": {"id": 1}}  # fmt: skip
            deliveries.append(delivery("workflow_run", payload))
            continue
        repo_copy = {**repository, "full_name": f"bench/chatty-{number % 20:02d}"}
        failed_job = {**job, "id": 10**9 + number, "conclusion": "failure", "status": "completed"}
        payload = {"action": "completed", "workflow_job": failed_job, "repository": repo_copy,
                   "sender": SENDER, "installation": {"id": 1}}  # fmt: skip
        deliveries.append(delivery("workflow_job", payload))
    return deliveries


@dataclass(frozen=True)
class Sent:
    delivery_id: str
    status: int
    result: str
    seconds: float
    lag: float  # how late the request left, against its schedule


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for the benchmark (an
    httpx client cost about 2 ms of CPU per request, on the same 2 cores as the server)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, item: Delivery) -> tuple[int, str]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = "".join(f"{name}: {value}\r\n" for name, value in item.headers.items())
        request = (
            f"POST /webhook HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}"
            f"Content-Length: {len(item.body)}\r\n\r\n"
        ).encode() + item.body
        self.writer.write(request)
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionResetError("the server closed the connection")
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(body or b"{}").get("result", "")


async def _sender(
    connection: _Connection, schedule: asyncio.Queue[tuple[Delivery, float] | None],
    out: list[Sent],
) -> None:  # fmt: skip
    while (entry := await schedule.get()) is not None:
        item, due = entry
        started = time.perf_counter()
        try:
            status, result = await asyncio.wait_for(connection.post(item), 60)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as error:
            connection.writer = None
            status, result = 0, type(error).__name__
        elapsed = time.perf_counter() - started
        out.append(Sent(item.delivery_id, status, result, elapsed, started - due))


async def _send_all(url: str, deliveries: list[Delivery], rate: float) -> list[Sent]:
    """A pacer hands each delivery to one of ``SENDERS`` connections at its time; a late
    answer delays only its own connection (the lag column shows when all were busy)."""
    out: list[Sent] = []
    schedule: asyncio.Queue[tuple[Delivery, float] | None] = asyncio.Queue()
    address = httpx.URL(url)
    connections = [_Connection(address.host, address.port or 80) for _ in range(SENDERS)]
    senders = [asyncio.create_task(_sender(each, schedule, out)) for each in connections]
    start = time.perf_counter() + 0.2
    for number, item in enumerate(deliveries):
        due = start + number / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        schedule.put_nowait((item, due))
    for _ in senders:
        schedule.put_nowait(None)
    await asyncio.gather(*senders)
    for each in connections:
        if each.writer is not None:
            each.writer.close()
    return out


def _send_in_this_process(url: str, deliveries: list[Delivery], rate: float) -> list[Sent]:
    return asyncio.run(_send_all(url, deliveries, rate))


def send_at_rate(url: str, deliveries: list[Delivery], rate: float) -> list[Sent]:
    """Open loop: delivery i leaves at start + i/rate whatever the answers so far. The client
    runs in a process of its own, so the fake GitHub's threads do not slow it down."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_send_in_this_process, url, deliveries, rate).result()


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    url: str | None

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()


def start(
    name: str, args: list[str], env: dict[str, str], log: Path, port: int | None, *, nice: int = 0
) -> Process:
    """``sheriff ARGS``; ``nice`` lowers its CPU priority (workers yield to the web tier)."""
    prefix = ["nice", "-n", str(nice)] if nice else []
    command = [*prefix, sys.executable, "-m", "sheriff", *args]
    command += ["--port", str(port)] if port else []
    with log.open("ab") as sink:
        popen = subprocess.Popen(command, env={**os.environ, **env}, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}" if port else None
    process = Process(name, popen, url)
    if url:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return process
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not start; see {log}")
    return process
