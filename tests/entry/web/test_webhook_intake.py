"""``POST /webhook`` over real HTTP, with a recording queue in place of the inbox: what is
refused (401, 413, 400, 503), what is acknowledged without work, and what is queued."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field

import httpx
import pytest

from sheriff.adapters.engine import Enqueued
from sheriff.app.webhook_events import WebhookEvent
from sheriff.core.installations import InstallationChange
from sheriff.entry.web.intake import WebhookIntake, accept_into
from sheriff.entry.web.metrics import InboxGauges, ServiceMetrics
from sheriff.entry.web.web_app import EngineProbe, InboxProbe, build_web_app
from sheriff.errors import EngineError
from tests.app.webhook_payloads import (
    SENDER,
    installation_payload,
    issue_comment_payload,
    new_delivery_id,
)
from tests.entry.web.servers import serving_in_thread, signed_headers

SECRET = b"it's a secret to everybody"
LIMIT = 4096
REPO = "acme/app"


@dataclass
class RecordingQueue:
    queued: list[WebhookEvent] = field(default_factory=list)
    down: bool = False

    async def __call__(self, event: WebhookEvent) -> Enqueued:
        if self.down:
            raise EngineError("the inbox is unwritable", hint="check its disk")
        if any(item.delivery_id == event.delivery_id for item in self.queued):
            return Enqueued.DUPLICATE
        self.queued.append(event)
        return Enqueued.NEW


@dataclass
class Site:
    url: str
    queue: RecordingQueue
    metrics: ServiceMetrics

    def post(
        self, payload: object, event: str = "issue_comment", **options: object
    ) -> httpx.Response:
        body = options.pop("body", None) or json.dumps(payload).encode()
        assert isinstance(body, bytes)
        delivery = str(options.pop("delivery", new_delivery_id()))
        signature = options.pop("signature", None)
        headers = signed_headers(SECRET, body, event, delivery, signature=signature)  # type: ignore[arg-type]
        headers.update(options.pop("headers", {}))  # type: ignore[arg-type]
        return httpx.post(f"{self.url}/webhook", content=body, headers=headers, timeout=10)


@pytest.fixture
def site() -> Iterator[Site]:
    queue, metrics = RecordingQueue(), ServiceMetrics()
    intake = WebhookIntake(SECRET, LIMIT, queue, own_login="sheriff-app[bot]")
    probe = EngineProbe("test", lambda: True, lambda: len(queue.queued))
    with serving_in_thread(build_web_app(intake, metrics, probe)) as url:
        yield Site(url, queue, metrics)


def comment(
    body: str = "please look", sender: dict[str, object] | None = None
) -> dict[str, object]:
    return issue_comment_payload(REPO, 12, body, sender)


def test_a_signed_comment_is_queued_with_what_the_worker_needs(site: Site) -> None:
    response = site.post(comment(), delivery="delivery-1")
    assert (response.status_code, response.json()["result"]) == (202, "queued")
    (queued,) = site.queue.queued
    assert (queued.delivery_id, queued.name, queued.action) == (
        "delivery-1",
        "issue_comment",
        "created",
    )
    assert (queued.repo, queued.number, queued.sender) == (REPO, 12, "octocat")


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "sha1=0123456789abcdef0123456789abcdef01234567", "garbage"],
)
def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_queued(
    site: Site, signature: str
) -> None:
    response = site.post(comment(), signature=signature)
    assert (response.status_code, response.json()["result"]) == (401, "unauthorized")
    assert site.queue.queued == []


def test_a_body_signed_with_another_secret_is_refused(site: Site) -> None:
    body = json.dumps(comment()).encode()
    forged = signed_headers(b"guess", body, "issue_comment", "d-forged")
    response = httpx.post(f"{site.url}/webhook", content=body, headers=forged)
    assert response.status_code == 401
    assert site.queue.queued == []


def test_a_tampered_body_is_refused(site: Site) -> None:
    body = json.dumps(comment()).encode()
    headers = signed_headers(SECRET, body, "issue_comment", "d-tampered")
    tampered = body.replace(b"please look", b"please merge")
    response = httpx.post(f"{site.url}/webhook", content=tampered, headers=headers)
    assert response.status_code == 401
    assert site.queue.queued == []


def test_an_oversized_body_is_refused_before_it_is_read(site: Site) -> None:
    big = comment("x" * (LIMIT + 10))
    response = site.post(big)
    assert (response.status_code, response.json()["result"]) == (413, "too_large")
    assert site.queue.queued == []


def test_an_oversized_body_without_a_length_is_cut_off_too(site: Site) -> None:
    body = json.dumps(comment("y" * (LIMIT * 3))).encode()
    headers = signed_headers(SECRET, body, "issue_comment", "d-chunked")

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = httpx.post(f"{site.url}/webhook", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert site.queue.queued == []


@pytest.mark.parametrize(
    "headers",
    [
        {"X-GitHub-Delivery": ""},
        {"X-GitHub-Delivery": "../../etc/passwd"},
        {"X-GitHub-Event": ""},
        {"X-GitHub-Event": "Issue Comment"},
    ],
)
def test_missing_or_malformed_delivery_headers_are_refused(
    site: Site, headers: dict[str, str]
) -> None:
    response = site.post(comment(), headers=headers)
    assert response.status_code == 400
    assert site.queue.queued == []


def test_a_signed_body_that_is_not_json_is_refused(site: Site) -> None:
    response = site.post(None, body=b"{not json")
    assert (response.status_code, response.json()["result"]) == (400, "invalid")


def test_a_workflow_run_delivery_without_its_run_is_refused(site: Site) -> None:
    payload = {"action": "completed", "repository": {"full_name": REPO}, "sender": SENDER}
    response = site.post(payload, event="workflow_run")
    assert (response.status_code, response.json()["result"]) == (400, "invalid")
    assert site.queue.queued == []


def test_a_redelivery_is_acknowledged_as_a_duplicate(site: Site) -> None:
    site.post(comment(), delivery="same")
    again = site.post(comment(), delivery="same")
    assert (again.status_code, again.json()["result"]) == (202, "duplicate")
    assert len(site.queue.queued) == 1


def test_ping_and_unhandled_events_are_acknowledged_without_work(site: Site) -> None:
    assert site.post({"zen": "Keep it logically awesome."}, event="ping").status_code == 200
    pushed = site.post({"ref": "refs/heads/main", "sender": SENDER}, event="push")
    assert (pushed.status_code, pushed.json()["result"]) == (202, "ignored")
    assert site.queue.queued == []


def test_installation_deliveries_are_queued_with_the_repositories_they_name(site: Site) -> None:
    added = installation_payload(
        "added", 7001, "acme", ["acme/new"], event="installation_repositories", removed=["acme/old"]
    )
    response = site.post(added, event="installation_repositories")
    assert (response.status_code, response.json()["result"]) == (202, "queued")
    created = installation_payload("created", 7002, "octo", ["octo/web", "octo/api"])
    assert site.post(created, event="installation").json()["result"] == "queued"
    first, second = site.queue.queued
    assert (first.installation_id, first.partition) == (7001, "installations")
    assert first.installation == InstallationChange(
        "acme", ("acme/new",), ("acme/old",), "selected"
    )
    assert second.installation == InstallationChange(
        "octo", ("octo/web", "octo/api"), (), "selected"
    )


def test_comments_by_bots_and_by_sheriff_are_not_queued(site: Site) -> None:
    bot = {"login": "dependabot[bot]", "id": 2, "type": "Bot"}
    sheriff = {"login": "sheriff-app[bot]", "id": 3, "type": "Bot"}
    for sender in (bot, sheriff):
        response = site.post(comment(sender=sender))
        assert (response.status_code, response.json()["result"]) == (202, "ignored")
    assert site.queue.queued == []


def test_when_the_queue_is_down_github_is_told_to_redeliver_later(site: Site) -> None:
    site.queue.down = True
    response = site.post(comment())
    assert (response.status_code, response.json()["result"]) == (503, "unavailable")
    assert response.json()["detail"] == "the inbox is unwritable (check its disk)"


def test_metrics_count_deliveries_by_event_and_result(site: Site) -> None:
    site.post(comment())
    site.post(comment(), signature="sha256=bad")
    text = httpx.get(f"{site.url}/metrics").text
    assert 'sheriff_webhook_deliveries_total{event="issue_comment",result="queued"} 1' in text
    assert 'sheriff_webhook_deliveries_total{event="unverified",result="unauthorized"} 1' in text
    assert "sheriff_webhook_ack_seconds_count 2" in text
    assert "sheriff_queue_depth 1" in text


def test_health_is_reported(site: Site) -> None:
    response = httpx.get(f"{site.url}/healthz")
    assert response.json() == {"status": "ok", "executor": "test"}


def test_a_delivery_the_inbox_does_not_record_in_time_gets_503_and_is_given_up() -> None:
    waiting: list[Future[Enqueued]] = []

    def submit(_event: WebhookEvent) -> Future[Enqueued]:
        waiting.append(Future())  # the inbox's writer never answers
        return waiting[-1]

    intake = WebhookIntake(SECRET, LIMIT, accept_into(submit, timeout_seconds=0.2))
    probe = EngineProbe("test", lambda: True, lambda: 0)
    with serving_in_thread(build_web_app(intake, ServiceMetrics(), probe)) as url:
        site = Site(url, RecordingQueue(), ServiceMetrics())
        response = site.post(comment())
    assert (response.status_code, response.json()["result"]) == (503, "unavailable")
    assert "within 0.2 s" in response.json()["detail"]
    assert "redeliver" in response.json()["detail"]
    assert waiting[0].cancelled()  # so the writer skips it: not recorded after a 503


@dataclass
class InboxState:
    gauges: InboxGauges = field(default_factory=lambda: InboxGauges(0, 0.0, 0))
    problem: str | None = None
    unreadable: bool = False

    def read(self) -> InboxGauges:
        if self.unreadable:
            raise EngineError("could not read the webhook inbox: disk I/O error")
        return self.gauges


def test_health_and_metrics_report_the_inbox() -> None:
    state = InboxState()
    inbox = InboxProbe(state.read, lambda: state.problem)
    probe = EngineProbe("web-1", lambda: True, lambda: 0, inbox)
    app = build_web_app(None, ServiceMetrics(), probe)
    with serving_in_thread(app) as url:
        state.gauges = InboxGauges(3, 12.5, 40)
        text = httpx.get(f"{url}/metrics").text
        assert "sheriff_inbox_depth 3\n" in text
        assert "sheriff_inbox_oldest_seconds 12.500\n" in text
        assert "sheriff_inbox_forwarded_total 40\n" in text
        assert httpx.get(f"{url}/healthz").status_code == 200

        state.problem = "the oldest unforwarded delivery has waited 75 s"
        stuck = httpx.get(f"{url}/healthz")
        assert stuck.status_code == 503
        assert stuck.json() == {
            "status": "unhealthy",
            "executor": "web-1",
            "problem": "the oldest unforwarded delivery has waited 75 s",
        }
        state.unreadable = True  # the metrics still answer, without the inbox's lines
        assert "sheriff_inbox_depth" not in httpx.get(f"{url}/metrics").text


def test_a_comment_delivery_carries_its_text_for_the_assistant() -> None:
    from sheriff.entry.web.deliveries import read_event
    from tests.app.webhook_payloads import issue_comment_payload

    payload = issue_comment_payload("acme/app", 5, "@sheriff why did this fail?")
    event = read_event("issue_comment", "d-1", payload, 0.0)
    assert event.text is not None
    assert (event.text.source, event.text.source_id, event.text.body) == (
        "issue_comment",
        77,
        "@sheriff why did this fail?",
    )
    assert not event.text.is_pull_request
    deleted = read_event("issue_comment", "d-2", {**payload, "action": "deleted"}, 0.0)
    assert deleted.text is None  # only text a person just wrote calls the assistant


def test_a_review_comment_delivery_carries_its_path_and_line() -> None:
    from sheriff.entry.web.deliveries import read_event

    payload = {
        "action": "created",
        "pull_request": {"number": 9},
        "comment": {"id": 41, "body": "@sheriff is this safe?", "path": "src/a.py", "line": 12},
        "repository": {"full_name": "acme/app"},
        "sender": {"login": "ada", "type": "User"},
    }
    event = read_event("pull_request_review_comment", "d-3", payload, 0.0)
    assert event.text is not None
    assert (event.text.source, event.text.path, event.text.line) == (
        "review_comment",
        "src/a.py",
        12,
    )
    assert event.text.is_pull_request
