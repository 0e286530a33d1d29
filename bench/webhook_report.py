"""The report of bench/webhook.py: a summary table, the details of each deployment and
what the numbers say."""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field

from webhook_check import Check
from webhook_load import Sent


@dataclass
class Outcome:
    name: str
    sent: list[Sent]
    drain_seconds: float
    check: Check
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(outcome: Outcome, args: argparse.Namespace) -> list[str]:
    latencies = [item.seconds * 1000 for item in outcome.sent if item.status]
    lags = [item.lag * 1000 for item in outcome.sent]
    results: dict[str, int] = {}
    for item in outcome.sent:
        key = f"{item.status} {item.result}"
        results[key] = results.get(key, 0) + 1
    check = outcome.check
    p99 = percentile(latencies, 0.99)
    return [
        f"### {outcome.name}",
        "",
        f"- offered: {len(outcome.sent)} deliveries at {args.rate}/s for {args.seconds} s; "
        f"answers: {', '.join(f'{k}: {v}' for k, v in sorted(results.items()))}",
        f"- acknowledgement latency: p50 **{percentile(latencies, 0.5):.1f} ms**, "
        f"p90 {percentile(latencies, 0.9):.1f} ms, p99 **{p99:.1f} ms** "
        f"({'meets' if p99 < 50 else 'misses'} the 50 ms target), max {max(latencies):.1f} ms, "
        f"mean {statistics.fmean(latencies):.1f} ms",
        f"- client send lag (late against the schedule): p99 {percentile(lags, 0.99):.1f} ms",
        f"- processing drained {outcome.drain_seconds:.0f} s after the load ended "
        f"(~{check.acked / (args.seconds + outcome.drain_seconds):.0f} events/s end to end)",
        f"- workflows: {dict(check.workflows)}; missing: {check.missing}; audited once: "
        f"{check.audited_once}/{check.acked}, more than once: {check.audited_twice}",
        f"- scanned repositories by issue count {dict(check.issues_per_repo)}, by issue "
        f"creations (POST) {dict(check.creations_per_repo)}",
        f"- **exactly once: {'yes' if check.exactly_once else 'NO'}**",
        *[f"- {note}" for note in outcome.notes],
        "",
    ]


def summary_table(outcomes: list[Outcome], args: argparse.Namespace) -> str:
    rows = [
        "| deployment | ack p50 | ack p99 (target < 50 ms) | drained after the load | "
        "end to end | exactly once |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        latencies = [item.seconds * 1000 for item in outcome.sent if item.status]
        p99 = percentile(latencies, 0.99)
        verdict = "met" if p99 < 50 else "**missed**"
        rate = outcome.check.acked / (args.seconds + outcome.drain_seconds)
        rows.append(
            f"| {outcome.name} | {percentile(latencies, 0.5):.1f} ms | {p99:.1f} ms ({verdict}) "
            f"| {outcome.drain_seconds:.0f} s | {rate:.0f} events/s "
            f"| {'yes' if outcome.check.exactly_once else 'NO'} |"
        )
    return "\n".join(rows) + "\n"


def reading(outcomes: list[Outcome]) -> str:
    """What the numbers say, from the numbers."""
    p99 = {item.name: ack_p99(item) for item in outcomes}
    alone = p99.get("web tier alone, PostgreSQL")
    full = p99.get("web tier alone, PostgreSQL, inbox synchronous=FULL")
    single = p99.get("sheriff serve, SQLite (worker process killed)")
    threads = p99.get("sheriff serve --in-process, SQLite")
    shared = p99.get("web tier + 2 workers on the same cores, PostgreSQL")
    lines = ["", "## Reading the numbers", ""]
    if alone is not None:
        lines.append(
            f"- **The web tier on its own: p99 {alone:.0f} ms.** An acknowledgement is the"
            " signature, the JSON and one group commit to the web tier's own inbox file; the"
            " forwarder thread moves the deliveries into the PostgreSQL queue behind it."
        )
    if full is not None:
        lines.append(
            f"- **The same with `inbox_synchronous=full`: p99 {full:.0f} ms.** Each commit"
            " then waits for the disk's flush; on this VM a 4 KiB `fsync` usually takes under"
            " a millisecond but sometimes hundreds, and every acknowledgement waiting in that"
            " group waits with it. That is why `normal` is the default (docs/architecture.md)."
        )
    if shared is not None:
        lines.append(
            f"- **Web tier and two workers on the same two cores: p99 {shared:.0f} ms.** The"
            " acknowledgement no longer touches PostgreSQL, which the workers keep busy; what"
            " remains shared is the CPU (workers at nice 10)."
        )
    if single is not None:
        lines.append(
            f"- **`sheriff serve` on SQLite, as it runs by default: p99 {single:.0f} ms.** Its"
            " event loop has an interpreter of its own; the events run in the worker process"
            " it starts (at nice 10) on the same SQLite engine file. The worker process was"
            " killed during the load and started again by the server: its unfinished events"
            " resumed under the same executor id."
        )
    if threads is not None:
        lines.append(
            f"- **`sheriff serve --in-process`: p99 {threads:.0f} ms.** The event loop shares"
            " one interpreter (the GIL) with the forwarder and sixteen worker threads, which"
            " keep it waiting while the queue drains; that is why the worker process is the"
            " default."
        )
    lines.append(
        "- **Processing is slower than arrival here** (the end-to-end rates above): the"
        " inbox and the queue absorb the burst and drain after it. A worker starts at most"
        " `worker_concurrency` events per poll (16 every 0.1 s by default), DBOS commits"
        " several times per event, and everything shares the same cores."
        + (
            " Nothing was lost or done twice while it drained, including across the killed worker."
            if all(item.check.exactly_once for item in outcomes)
            else " **Not every delivery was processed exactly once: see the details.**"
        )
    )
    return "\n".join(lines) + "\n"


def ack_p99(outcome: Outcome) -> float:
    return percentile([item.seconds * 1000 for item in outcome.sent if item.status], 0.99)


def report_header(args: argparse.Namespace) -> str:
    return f"""# Webhook intake and durable processing

`python bench/webhook.py` (rate {args.rate}/s for {args.seconds} s per deployment), on
loopback on a 2-core machine shared by the load generator, the fake GitHub, the web tier,
the workers and the databases. Latency is measured by the client from sending a request to
its answer (open loop: requests leave on schedule whatever the answers). A delivery is
acknowledged once the web tier's inbox (a SQLite file of its own) has committed it; a
thread forwards it to the durable queue afterwards. Settings are the defaults (inbox
`synchronous=NORMAL`, 16 events at once per process, queues polled every 0.1 s, one event
per repository at a time), except `SHERIFF_WORKER_DEAD_AFTER_SECONDS=10`; uvicorn runs with
uvloop and httptools. PostgreSQL is the test server of `scripts/dbservers` (fsync off), so
its commits are cheaper than on a production server. Other work was running on the machine
at the same time (see the load averages): the tails vary from run to run.

"""
