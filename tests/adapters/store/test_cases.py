"""Cases: created once, compare-and-set state changes, each change audited; issue links."""

from __future__ import annotations

import pytest

from sheriff.adapters.store import Store
from sheriff.app.ports import AuditEvent, CaseAssessment, CaseState, IssueLink
from sheriff.core.model import FailureType
from sheriff.errors import StoreError
from tests.adapters.store.samples import FINGERPRINT, REPO, case_seed, repository

APPROVAL = AuditEvent(
    actor="maintainer:nolouch",
    action="case.transition",
    cause="/sheriff approve on the issue",
    details={"comment_id": 1_987_654_321},
    key="delivery:3b6c9a10-approve",
)


@pytest.fixture
def store_with_repo(store: Store) -> Store:
    store.upsert_repository(repository())
    return store


def test_ensure_case_creates_it_once_and_audits_the_discovery_once(store_with_repo: Store) -> None:
    store = store_with_repo
    first = store.ensure_case(case_seed())
    again = store.ensure_case(case_seed())

    assert first == again
    assert first.state is CaseState.DISCOVERED
    assert first.failure_type is FailureType.TEST
    assert first.test_name == "github.com/tikv/pd/server/cluster::TestRegionSyncer"
    assert first.assessment == CaseAssessment(None, None, False, {})
    assert [entry.event.action for entry in store.audit_log(REPO, FINGERPRINT)] == [
        "case.discovered"
    ]


def test_transition_is_compare_and_set_and_audited(store_with_repo: Store) -> None:
    store = store_with_repo
    store.ensure_case(case_seed())
    moved = store.transition_case(
        REPO,
        FINGERPRINT,
        expected=CaseState.DISCOVERED,
        new=CaseState.ISSUE_OPEN,
        cause=AuditEvent("sheriff", "case.transition", "opened issue #812"),
    )
    stale = store.transition_case(
        REPO,
        FINGERPRINT,
        expected=CaseState.DISCOVERED,
        new=CaseState.QUARANTINED,
        cause=AuditEvent("sheriff", "case.transition", "a slower worker"),
    )

    case = store.get_case(REPO, FINGERPRINT)
    assert (moved, stale) == (True, False)
    assert case is not None
    assert case.state is CaseState.ISSUE_OPEN
    log = store.audit_log(REPO, FINGERPRINT)
    assert [entry.event.action for entry in log] == ["case.discovered", "case.transition"]
    assert log[1].event.details == {"from": "DISCOVERED", "to": "ISSUE_OPEN"}
    assert log[1].event.fingerprint == FINGERPRINT


def test_a_retried_transition_with_the_same_key_reports_success_once_logged(
    store_with_repo: Store,
) -> None:
    store = store_with_repo
    store.ensure_case(case_seed())
    store.transition_case(
        REPO,
        FINGERPRINT,
        expected=CaseState.DISCOVERED,
        new=CaseState.WAITING_FOR_SIGNAL,
        cause=AuditEvent("sheriff", "case.transition", "triaged"),
    )
    change = {
        "expected": CaseState.WAITING_FOR_SIGNAL,
        "new": CaseState.APPROVED_TO_FIX,
        "cause": APPROVAL,
    }

    assert store.transition_case(REPO, FINGERPRINT, **change) is True
    assert store.transition_case(REPO, FINGERPRINT, **change) is True  # the step ran again
    approvals = [e for e in store.audit_log(REPO, FINGERPRINT) if e.event.key == APPROVAL.key]
    assert len(approvals) == 1
    assert approvals[0].event.details == {
        "comment_id": 1_987_654_321,
        "from": "WAITING_FOR_SIGNAL",
        "to": "APPROVED_TO_FIX",
    }


def test_transition_of_an_unknown_case_is_an_error(store_with_repo: Store) -> None:
    with pytest.raises(StoreError, match="ensure_case"):
        store_with_repo.transition_case(
            REPO, "f" * 20, expected=CaseState.DISCOVERED, new=CaseState.ISSUE_OPEN, cause=APPROVAL
        )


def test_assessment_and_state_queries(store_with_repo: Store) -> None:
    store = store_with_repo
    for fingerprint in ("a" * 20, "b" * 20, "c" * 20):
        store.ensure_case(case_seed(fingerprint))
    store.transition_case(
        REPO,
        "b" * 20,
        expected=CaseState.DISCOVERED,
        new=CaseState.QUARANTINED,
        cause=AuditEvent("sheriff", "case.transition", "quarantined"),
    )
    assessment = CaseAssessment(
        0.83,
        "flaky",
        quarantine_candidate=True,
        flags={"evidence": ["same sha pass+fail"], "note": "séquence ⏱"},
    )
    store.assess_case(REPO, "a" * 20, assessment)

    discovered = store.cases_in_state(REPO, [CaseState.DISCOVERED])
    assert [case.fingerprint for case in discovered] == ["a" * 20, "c" * 20]
    assert discovered[0].assessment == assessment
    assert [
        c.fingerprint for c in store.cases_in_state(REPO, {CaseState.QUARANTINED, CaseState.MERGED})
    ] == ["b" * 20]
    assert store.cases_in_state("someone/else", [CaseState.DISCOVERED]) == []
    assert store.get_case(REPO, "d" * 20) is None


def test_issue_links_are_upserted_per_issue_repository(store_with_repo: Store) -> None:
    store = store_with_repo
    store.ensure_case(case_seed())
    store.link_issue(
        REPO,
        FINGERPRINT,
        IssueLink("sheriff-bot/pd", 12, created_by_sheriff=True, managed_block_hash="h1"),
    )
    store.link_issue(
        REPO,
        FINGERPRINT,
        IssueLink(
            "sheriff-bot/pd",
            12,
            created_by_sheriff=True,
            managed_block_hash="h2",
            issue_state="open",
        ),
    )
    store.link_issue(REPO, FINGERPRINT, IssueLink("tikv/pd", 8765, created_by_sheriff=False))

    assert store.issue_links(REPO, FINGERPRINT) == [
        IssueLink("sheriff-bot/pd", 12, True, "h2", "open"),
        IssueLink("tikv/pd", 8765, False, None, None),
    ]
    [case] = store.cases_for_issue("tikv/pd", 8765)
    assert (case.repo, case.fingerprint) == (REPO, FINGERPRINT)
    assert store.cases_for_issue("tikv/pd", 1) == []
