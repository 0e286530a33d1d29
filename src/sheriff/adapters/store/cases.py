"""Failure cases: one per fingerprint per repository, with a compare-and-set state."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.journal import append_audit_row, audit_key_exists
from sheriff.adapters.store.lookups import find_case, repository_id, require_case
from sheriff.adapters.store.occurrences import refresh_case_counts
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_cases import CaseRow
from sheriff.adapters.store.schema_runs import RepositoryRow
from sheriff.adapters.store.upsert import rows_matched, upsert
from sheriff.app.ports import AuditEvent, CaseAssessment, CaseSeed, CaseState, CaseView
from sheriff.core.model import FailureType

CASE_KEY = ("repository_id", "fingerprint")
SYSTEM_ACTOR = "sheriff"


class Cases:
    _db: Database

    def ensure_case(self, seed: CaseSeed) -> CaseView:
        """The fingerprint's case, created as DISCOVERED (and audited) if it is new."""
        return self._db.run(lambda session: self._ensure_case(session, seed))

    def _ensure_case(self, session: Session, seed: CaseSeed) -> CaseView:
        repo_id = repository_id(session, seed.repo)
        now = self._db.now()
        upsert(session, CaseRow, [new_case_row(seed, repo_id, now)], key=CASE_KEY, update=())
        discovered = AuditEvent(
            actor=SYSTEM_ACTOR,
            action="case.discovered",
            cause="first occurrence of this fingerprint",
            repo=seed.repo,
            fingerprint=seed.fingerprint,
            details={"state": CaseState.DISCOVERED.value},
            key=f"case.discovered:{seed.repo}:{seed.fingerprint}",
        )
        append_audit_row(session, discovered, now)
        refresh_case_counts(session, repo_id, {seed.fingerprint}, now)
        return case_view(require_case(session, seed.repo, seed.fingerprint), seed.repo)

    def get_case(self, repo: str, fingerprint: str) -> CaseView | None:
        def read(session: Session) -> CaseView | None:
            row = find_case(session, repo, fingerprint)
            return None if row is None else case_view(row, repo)

        return self._db.run(read)

    def transition_case(
        self,
        repo: str,
        fingerprint: str,
        *,
        expected: CaseState,
        new: CaseState,
        cause: AuditEvent,
    ) -> bool:
        """Move the case from ``expected`` to ``new`` and log why, in one transaction."""
        event = replace(
            cause,
            repo=repo,
            fingerprint=fingerprint,
            details={**cause.details, "from": expected.value, "to": new.value},
        )
        return self._db.run(lambda session: self._transition_case(session, event, expected, new))

    def _transition_case(
        self, session: Session, event: AuditEvent, expected: CaseState, new: CaseState
    ) -> bool:
        repo, fingerprint = event.repo or "", event.fingerprint or ""
        case = require_case(session, repo, fingerprint)
        now = self._db.now()
        moved = session.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.state == expected.value)
            .values(state=new.value, state_changed_at=now, updated_at=now)
        )
        if rows_matched(moved) == 0:
            return event.key is not None and audit_key_exists(session, event.key)
        append_audit_row(session, event, now)
        return True

    def assess_case(self, repo: str, fingerprint: str, assessment: CaseAssessment) -> None:
        """Record the flakiness engine's latest verdict on the case."""

        def assess(session: Session) -> None:
            case = require_case(session, repo, fingerprint)
            case.p_flaky = assessment.p_flaky
            case.verdict = clip(assessment.verdict, 32)
            case.quarantine_candidate = assessment.quarantine_candidate
            case.flags = dict(assessment.flags)
            case.updated_at = self._db.now()

        self._db.run(assess)

    def cases_in_state(self, repo: str, states: Collection[CaseState]) -> list[CaseView]:
        """The repository's cases in any of ``states``, oldest first."""
        query = (
            select(CaseRow)
            .join(RepositoryRow, RepositoryRow.id == CaseRow.repository_id)
            .where(RepositoryRow.full_name == repo)
            .where(CaseRow.state.in_([state.value for state in states]))
            .order_by(CaseRow.id)
        )
        rows = self._db.run(lambda session: list(session.execute(query).scalars()))
        return [case_view(row, repo) for row in rows]


def new_case_row(seed: CaseSeed, repo_id: int, now: datetime) -> dict[str, Any]:
    return {
        "repository_id": repo_id,
        "fingerprint": seed.fingerprint,
        "state": CaseState.DISCOVERED.value,
        "failure_type": seed.failure_type.value,
        "sub_type": clip(seed.sub_type, 64),
        "signature": clip(seed.signature, 512),
        "test_name": clip(seed.test.qualified, 1024) if seed.test else None,
        "occurrence_count": 0,
        "first_seen_at": None,
        "last_seen_at": None,
        "p_flaky": None,
        "verdict": None,
        "quarantine_candidate": False,
        "flags": {},
        "state_changed_at": now,
        "created_at": now,
        "updated_at": now,
    }


def case_view(row: CaseRow, repo: str) -> CaseView:
    return CaseView(
        repo=repo,
        fingerprint=row.fingerprint,
        state=CaseState(row.state),
        failure_type=FailureType(row.failure_type),
        sub_type=row.sub_type,
        signature=row.signature,
        test_name=row.test_name,
        occurrence_count=row.occurrence_count,
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        state_changed_at=row.state_changed_at,
        assessment=CaseAssessment(
            p_flaky=row.p_flaky,
            verdict=row.verdict,
            quarantine_candidate=row.quarantine_candidate,
            flags=row.flags,
        ),
    )
