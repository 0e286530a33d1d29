"""The exactly-once check of bench/webhook.py: every acknowledged delivery has one
SUCCESS workflow and one audit entry, and every scanned repository one issue from one POST."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dbos import DBOSClient

from sheriff.adapters.engine import EVENTS_QUEUE
from sheriff.adapters.store import open_store
from sheriff.core.issues import fingerprints_in
from sheriff.testing.fakegithub import FakeGitHub
from webhook_load import Sent, scan_repo


@dataclass
class Check:
    acked: int = 0
    workflows: Counter[str] = field(default_factory=Counter)
    missing: int = 0
    audited_once: int = 0
    audited_twice: int = 0
    issues_per_repo: Counter[int] = field(default_factory=Counter)
    creations_per_repo: Counter[int] = field(default_factory=Counter)

    @property
    def exactly_once(self) -> bool:
        every_issue_once = set(self.issues_per_repo) == {1} and set(self.creations_per_repo) == {1}
        return (
            self.missing == 0
            and self.audited_twice == 0
            and self.audited_once == self.acked
            and self.workflows.get("SUCCESS", 0) == self.acked
            and every_issue_once
        )


def queue_depth(engine_url: str) -> int:
    client = DBOSClient(system_database_url=engine_url)
    try:
        waiting = client.list_workflows(
            queue_name=EVENTS_QUEUE, status=["ENQUEUED", "PENDING"], load_input=False,
            load_output=False,
        )  # fmt: skip
        return len(waiting)
    finally:
        client.destroy()


def check_exactly_once(
    sent: list[Sent], engine_url: str, store_url: str, fake: FakeGitHub, scan_repos: int
) -> Check:
    queued = [item.delivery_id for item in sent if item.result == "queued"]
    check = Check(acked=len(queued))
    client = DBOSClient(system_database_url=engine_url)
    try:
        statuses = client.list_workflows(workflow_ids=queued, load_input=False, load_output=False)
    finally:
        client.destroy()
    check.workflows = Counter(status.status for status in statuses)
    check.missing = len(set(queued) - {status.workflow_id for status in statuses})
    store = open_store(store_url)
    try:
        keys = Counter(entry.event.key for entry in store.audit_log(limit=10 * len(sent) + 1000))
    finally:
        store.close()
    counts = [keys.get(f"webhook:{delivery_id}", 0) for delivery_id in queued]
    check.audited_once = sum(1 for count in counts if count == 1)
    check.audited_twice = sum(1 for count in counts if count > 1)
    for index in range(scan_repos):
        repo = scan_repo(index)
        issues = [i for i in fake.issues(repo) if fingerprints_in(i.body or "")]
        check.issues_per_repo[len(issues)] += 1
        creations = fake.request_count(method="POST", path=f"^/repos/{repo}/issues$")
        check.creations_per_repo[creations] += 1
    return check


def handler_times(url: str) -> str:
    """The web tier's own view of its answers (its ``sheriff_webhook_ack_seconds``
    histogram: from the handler's start to the reply), as a note."""
    import httpx

    text = httpx.get(f"{url}/metrics", timeout=10).text
    buckets: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("sheriff_webhook_ack_seconds_bucket"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[bound] = int(line.rsplit(" ", 1)[1])
    total = buckets.get("+Inf", 0) or 1
    shares = ", ".join(
        f"{100 * buckets.get(bound, 0) / total:.1f}% within {float(bound) * 1000:g} ms"
        for bound in ("0.005", "0.01", "0.05", "0.1")
    )
    return f"server-side handler time (the web tier's histogram): {shares}"
