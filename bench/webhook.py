"""Webhook intake and durable processing on loopback: signed deliveries at a fixed rate.

Five deployments, each on fresh databases against the fake GitHub:

- ``single``: one ``sheriff serve`` on SQLite, as it runs by default: the web tier, and the
  worker process it starts and watches; that process is SIGKILLed a third of the way
  through the load (``sheriff serve`` starts it again);
- ``in-process``: ``sheriff serve --in-process`` on SQLite (web tier and worker threads in
  one interpreter);
- ``intake``: ``sheriff serve --no-workers`` on PostgreSQL alone during the load (as if the
  workers ran on other machines); two ``sheriff worker`` processes drain the queue after;
- ``intake-full``: the same with the inbox committing with ``synchronous=FULL`` (each
  acknowledgement waits for the disk's flush);
- ``workers``: ``sheriff serve --no-workers`` plus two ``sheriff worker`` processes on the
  same cores (PostgreSQL, workers at a lower CPU priority); worker 1 is SIGKILLed a third
  of the way through the load and started again (same worker id) five seconds later.

The web tier acknowledges a delivery once its inbox has committed it and forwards it to the
queue in the background: "drained" waits for both the inbox and the queue to be empty.

PostgreSQL is SHERIFF_TEST_PG_URL or --pg (``scripts/dbservers``: fsync off). Deliveries:
failed ``workflow_job`` events (queued, recorded in the audit log) with one failed-run
delivery per scanned repository spread among them (scanned against the fake GitHub:
download the log, triage, open an issue). Reports acknowledgement latency (p50/p99,
open-loop client on the same 2 cores), how long processing took to drain, and whether every
acknowledged delivery was processed exactly once: its workflow ended SUCCESS, its audit
entry exists once, and every scanned repository got exactly one issue from one POST.

    python bench/webhook.py [--rate 200] [--seconds 30] [--only DEPLOYMENT]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sheriff.entry.web.receiving import INBOX_FILE
from sheriff.entry.web.worker_child import CHILD_NICENESS
from sheriff.testing.fakegithub import FakeGitHub
from webhook_check import check_exactly_once, handler_times, queue_depth
from webhook_load import (
    SECRET,
    Process,
    Sent,
    build_deliveries,
    prepare_fake,
    send_at_rate,
    start,
    write_seed,
)
from webhook_report import Outcome, describe, reading, report_header, summary_table

RESULTS = Path(__file__).resolve().parent / "results" / "webhook.md"
SCAN_REPOS = 30
DRAIN_LIMIT = 900.0
PORT_BASE = 18700
WORKER_NICE = CHILD_NICENESS  # workers run at a lower CPU priority than the web tier


def drop_pg(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def fresh_pg(server: str, prefix: str) -> str:
    url = make_url(server)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def environment(fake: FakeGitHub, folder: Path, store: str, engine: str) -> dict[str, str]:
    return {
        "SHERIFF_WEBHOOK_SECRET": SECRET,
        "SHERIFF_GITHUB_API_URL": fake.url,
        "SHERIFF_GITHUB_TOKEN": "bench",
        "SHERIFF_DB_URL": store,
        "SHERIFF_ENGINE_DB_URL": engine,
        "SHERIFF_DATA_DIR": str(folder / "data"),
        "SHERIFF_WORKER_DEAD_AFTER_SECONDS": "10",
        "XDG_DATA_HOME": str(folder / "xdg"),
    }


def inbox_depth(folder: Path) -> int:
    """Deliveries the web tier acknowledged and has not yet forwarded to the queue."""
    path = folder / "data" / INBOX_FILE
    if not path.exists():
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE forwarded_at IS NULL"
        ).fetchone()
    return int(count)


def drain(engine_url: str, folder: Path, notes: list[str]) -> float:
    """Wait until the inbox and the queue are empty; returns how long that took."""
    started = time.monotonic()
    notes.append(f"inbox depth (acknowledged, not yet forwarded) when the load ended: "
                 f"{inbox_depth(folder)}")  # fmt: skip
    while inbox_depth(folder) > 0 or queue_depth(engine_url) > 0:
        if time.monotonic() - started > DRAIN_LIMIT:
            break
        time.sleep(1.0)
    return time.monotonic() - started


def run_single(args: argparse.Namespace, fake: FakeGitHub, folder: Path) -> Outcome:
    """``sheriff serve`` alone: its web tier, and the worker process it starts and watches,
    which is SIGKILLed a third of the way through the load (the server starts it again)."""
    store, engine = f"sqlite:///{folder / 'store.db'}", f"sqlite:///{folder / 'engine.sqlite'}"
    env = environment(fake, folder, store, engine)
    deliveries = build_deliveries(fake, args.rate * args.seconds, SCAN_REPOS)
    server = start("serve", ["serve"], env, folder / "serve.log", PORT_BASE)
    notes: list[str] = []

    async def load_with_a_crash() -> list[Sent]:
        url = server.url or ""
        sending = asyncio.create_task(asyncio.to_thread(send_at_rate, url, deliveries, args.rate))
        await asyncio.sleep(args.seconds / 3)
        child = await asyncio.to_thread(worker_pid, url)
        os.kill(child, signal.SIGKILL)
        notes.append(f"the worker process was SIGKILLed at {args.seconds / 3:.0f} s")
        restarted = await asyncio.to_thread(wait_for_new_worker, url, child)
        notes.append(f"`sheriff serve` started it again {restarted:.1f} s later")
        return await sending

    try:
        sent = asyncio.run(load_with_a_crash())
        notes.append(handler_times(server.url or ""))
        drained = drain(engine, folder, notes)
    finally:
        server.stop()
    check = check_exactly_once(sent, engine, store, fake, SCAN_REPOS)
    notes.append(f"the worker process runs at nice {CHILD_NICENESS} (set by `sheriff serve`)")
    return Outcome("sheriff serve, SQLite (worker process killed)", sent, drained, check, notes)


def run_in_process(args: argparse.Namespace, fake: FakeGitHub, folder: Path) -> Outcome:
    """``sheriff serve --in-process``: web tier and worker threads in one interpreter."""
    store, engine = f"sqlite:///{folder / 'store.db'}", f"sqlite:///{folder / 'engine.sqlite'}"
    env = environment(fake, folder, store, engine)
    deliveries = build_deliveries(fake, args.rate * args.seconds, SCAN_REPOS)
    server = start("serve", ["serve", "--in-process"], env, folder / "serve.log", PORT_BASE)
    notes: list[str] = []
    try:
        sent = send_at_rate(server.url or "", deliveries, args.rate)
        notes.append(handler_times(server.url or ""))
        drained = drain(engine, folder, notes)
    finally:
        server.stop()
    check = check_exactly_once(sent, engine, store, fake, SCAN_REPOS)
    return Outcome("sheriff serve --in-process, SQLite", sent, drained, check, notes)


def worker_pid(url: str) -> int:
    pid = httpx.get(f"{url}/healthz", timeout=10).json().get("worker_pid")
    if not isinstance(pid, int):
        raise SystemExit(f"{url}/healthz names no worker process")
    return pid


def wait_for_new_worker(url: str, old: int) -> float:
    """Seconds until ``/healthz`` names a running worker process other than ``old``."""
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_LIMIT:
        answer = httpx.get(f"{url}/healthz", timeout=10)
        if answer.status_code == 200 and answer.json().get("worker_pid") not in (None, old):
            return time.monotonic() - started
        time.sleep(0.1)
    raise SystemExit("the worker process was not started again")


@dataclass
class Deployment:
    """The processes of the PostgreSQL deployment; ``env`` points them at fresh databases."""

    env: dict[str, str]
    folder: Path
    engine: str
    store: str

    def drop(self) -> None:
        drop_pg(self.engine)
        drop_pg(self.store)

    def worker(self, number: int) -> Process:
        name = f"worker-{number}"
        log = self.folder / f"{name}.log"
        port = PORT_BASE + 1 + number
        args = ["worker", "--worker-id", name]
        return start(name, args, self.env, log, port, nice=WORKER_NICE)


def postgres_deployment(
    args: argparse.Namespace, fake: FakeGitHub, folder: Path, **more: str
) -> Deployment:
    server_url = args.pg or os.environ.get("SHERIFF_TEST_PG_URL")
    if not server_url:
        raise SystemExit("set SHERIFF_TEST_PG_URL or --pg (scripts/dbservers)")
    store, engine = fresh_pg(server_url, "bench_store"), fresh_pg(server_url, "bench_engine")
    env = environment(fake, folder, store, engine) | more
    start("upgrade", ["db", "upgrade"], env, folder / "upgrade.log", None).popen.wait(120)
    return Deployment(env, folder, engine, store)


def run_intake(
    args: argparse.Namespace, fake: FakeGitHub, folder: Path, synchronous: str = "normal"
) -> Outcome:
    """The web tier alone during the load (workers on other machines, started after it)."""
    site = postgres_deployment(args, fake, folder, SHERIFF_INBOX_SYNCHRONOUS=synchronous)
    deliveries = build_deliveries(fake, args.rate * args.seconds, SCAN_REPOS)
    web = start("web", ["serve", "--no-workers"], site.env, folder / "web.log", PORT_BASE + 1)
    workers: list[Process] = []
    notes: list[str] = []
    try:
        sent = send_at_rate(web.url or "", deliveries, args.rate)
        notes.append(handler_times(web.url or ""))
        workers = [site.worker(1), site.worker(2)]
        drained = drain(site.engine, folder, notes)
    finally:
        for process in [web, *workers]:
            process.stop()
    check = check_exactly_once(sent, site.engine, site.store, fake, SCAN_REPOS)
    site.drop()
    notes.append("the two workers started once the load was over; drain time counts from then")
    name = "web tier alone, PostgreSQL"
    if synchronous != "normal":
        name += f", inbox synchronous={synchronous.upper()}"
    return Outcome(name, sent, drained, check, notes)


def run_intake_full(args: argparse.Namespace, fake: FakeGitHub, folder: Path) -> Outcome:
    """The web tier alone, its inbox committing with ``synchronous=FULL``."""
    return run_intake(args, fake, folder, "full")


def run_workers(args: argparse.Namespace, fake: FakeGitHub, folder: Path) -> Outcome:
    """Web tier and two workers on the same cores; worker 1 killed and restarted."""
    site = postgres_deployment(args, fake, folder)
    deliveries = build_deliveries(fake, args.rate * args.seconds, SCAN_REPOS)
    web = start("web", ["serve", "--no-workers"], site.env, folder / "web.log", PORT_BASE + 1)
    workers = [site.worker(1), site.worker(2)]
    notes: list[str] = []

    async def load_with_a_crash() -> list[Sent]:
        sending = asyncio.create_task(
            asyncio.to_thread(send_at_rate, web.url or "", deliveries, args.rate)
        )
        await asyncio.sleep(args.seconds / 3)
        in_flight = await asyncio.to_thread(pending_on, site.engine, "worker-1")
        workers[0].kill()
        notes.append(f"worker-1 SIGKILLed at {args.seconds / 3:.0f} s with {in_flight} "
                     "event(s) in flight")  # fmt: skip
        await asyncio.sleep(5)
        workers[0] = await asyncio.to_thread(site.worker, 1)
        notes.append("worker-1 started again (same id) 5 s later")
        return await sending

    try:
        sent = asyncio.run(load_with_a_crash())
        notes.append(handler_times(web.url or ""))
        drained = drain(site.engine, folder, notes)
    finally:
        for process in [web, *workers]:
            process.stop()
    check = check_exactly_once(sent, site.engine, site.store, fake, SCAN_REPOS)
    site.drop()
    notes.append(f"workers run at nice {WORKER_NICE}: the web tier comes first for the CPU")
    return Outcome(
        "web tier + 2 workers on the same cores, PostgreSQL", sent, drained, check, notes
    )


def pending_on(engine_url: str, executor: str) -> int:
    from dbos import DBOSClient

    client = DBOSClient(system_database_url=engine_url)
    try:
        return len(client.list_workflows(status="PENDING", executor_id=executor, load_input=False))
    finally:
        client.destroy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--only", choices=("single", "in-process", "intake", "intake-full", "workers")
    )
    parser.add_argument("--pg", help="PostgreSQL server URL (default: SHERIFF_TEST_PG_URL)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write results")
    args = parser.parse_args()
    runners = {
        "single": run_single,
        "in-process": run_in_process,
        "intake": run_intake,
        "intake-full": run_intake_full,
        "workers": run_workers,
    }
    outcomes: list[Outcome] = []
    for name, runner in runners.items():
        if args.only and name != args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"sheriff-bench-{name}-") as scratch:
            folder = Path(scratch)
            with FakeGitHub.running(write_seed(folder / "seed", SCAN_REPOS)) as fake:
                prepare_fake(fake, SCAN_REPOS)
                load_before = os.getloadavg()[0]
                outcome = runner(args, fake, folder)
                outcome.notes.append(
                    f"machine load average (1 min) before the run {load_before:.1f}, "
                    f"after {os.getloadavg()[0]:.1f} (other work on the machine counts too)"
                )
        outcomes.append(outcome)
        print("\n".join(describe(outcome, args)), flush=True)
    if not args.no_write and not args.only:
        details = [line for outcome in outcomes for line in describe(outcome, args)]
        summary = summary_table(outcomes, args)
        RESULTS.write_text(
            report_header(args) + summary + "\n" + "\n".join(details) + reading(outcomes)
        )


if __name__ == "__main__":
    main()
