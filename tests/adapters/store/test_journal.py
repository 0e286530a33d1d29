"""The audit log keeps order and skips replays; costs add up exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sheriff.adapters.store import Store
from sheriff.app.ports import AuditEvent, CostRecord
from tests.adapters.store.conftest import START


def test_audit_log_keeps_the_order_of_appends_and_filters(store: Store) -> None:
    for number in range(5):
        store.append_audit(
            AuditEvent(
                "sheriff",
                f"step.{number}",
                "scan",
                repo="tikv/pd",
                fingerprint="ab" * 10 if number % 2 else None,
                details={"n": number, "emoji": "🚨"},
            )
        )
    store.append_audit(AuditEvent("sheriff", "other", "scan", repo="tikv/tikv"))

    log = store.audit_log("tikv/pd")
    assert [entry.event.action for entry in log] == [f"step.{n}" for n in range(5)]
    assert [entry.sequence for entry in log] == sorted(entry.sequence for entry in log)
    assert [entry.time for entry in log] == sorted(entry.time for entry in log)
    assert log[0].time > START
    assert log[3].event.details == {"n": 3, "emoji": "🚨"}
    assert [e.event.action for e in store.audit_log("tikv/pd", "ab" * 10)] == ["step.1", "step.3"]
    assert [e.event.action for e in store.audit_log(limit=2)] == ["step.4", "other"]
    assert [e.event.details["n"] for e in store.audit_log("tikv/pd", action="step.2")] == [2]
    assert store.audit_log("tikv/tikv", action="step.2") == []


def test_an_audit_event_with_a_key_is_logged_once(store: Store) -> None:
    event = AuditEvent("sheriff", "rerun.requested", "P(flaky)=0.82", key="rerun:" + "x" * 300)
    store.append_audit(event)
    store.append_audit(event)
    [entry] = store.audit_log()
    assert entry.event.action == "rerun.requested"


def test_a_claim_is_won_once_and_does_not_undo_the_rest_of_its_transaction(
    store: Store,
) -> None:
    event = AuditEvent("sheriff", "rerun.requested", "P(flaky)=0.82", key="rerun:o/r:77")
    assert store.claim_audit(event)
    assert not store.claim_audit(event)
    store.append_audit(AuditEvent("sheriff", "note", "after the lost claim"))
    assert [e.event.action for e in store.audit_log()] == ["rerun.requested", "note"]
    with pytest.raises(ValueError, match="keyed"):
        store.claim_audit(AuditEvent("sheriff", "rerun.requested", "no key"))


def test_costs_add_up_exactly_and_a_request_is_counted_once(store: Store, clock: object) -> None:
    call = CostRecord(
        "triage", "claude-sonnet-4-5", 120_000, 30_000, Decimal("0.810000"), request_id="msg_01"
    )
    store.record_cost(call)
    store.record_cost(call)
    store.record_cost(CostRecord("review", "gpt-5-mini", 1_000, 200, Decimal("0.000123")))
    store.record_cost(CostRecord("review", "gpt-5-mini", 1_000, 200, Decimal("0.000123")))

    assert store.total_cost() == Decimal("0.810246")
    assert store.total_cost(since=START.replace(year=2027)) == Decimal(0)
