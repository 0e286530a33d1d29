"""The append-only audit log and the cost ledger."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_cases import AuditRow, CostRow
from sheriff.adapters.store.schema_runs import NAME
from sheriff.adapters.store.upsert import table_of, upsert
from sheriff.app.ports import AuditEntry, AuditEvent, CostRecord

KEY_LENGTH = 191
MICROS = Decimal("0.000001")


class Journal:
    _db: Database

    def append_audit(self, event: AuditEvent) -> None:
        """Log an event; an event whose ``key`` is already in the log is not logged again."""
        self._db.run(lambda session: append_audit_row(session, event, self._db.now()))

    def claim_audit(self, event: AuditEvent) -> bool:
        """Log a keyed event unless its key is in the log; whether this call logged it.
        Of processes claiming one key at once, exactly one gets True (the unique key)."""
        if event.key is None:
            raise ValueError("only a keyed event can be claimed")
        return self._db.run(lambda session: claim_audit_row(session, event, self._db.now()))

    def audit_log(
        self,
        repo: str | None = None,
        fingerprint: str | None = None,
        limit: int = 1000,
        *,
        action: str | None = None,
        after: int | None = None,
    ) -> list[AuditEntry]:
        """Events in the order they were logged, oldest first (the last ``limit`` of them,
        or with ``after`` the first ``limit`` logged after that sequence), of one
        repository, fingerprint or action when given."""
        if after is None:
            query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        else:
            query = select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id).limit(limit)
        if repo is not None:
            query = query.where(AuditRow.repo == repo)
        if fingerprint is not None:
            query = query.where(AuditRow.fingerprint == fingerprint)
        if action is not None:
            query = query.where(AuditRow.action == action)
        rows = self._db.run(lambda session: list(session.execute(query).scalars()))
        return [audit_entry(row) for row in (rows if after is not None else reversed(rows))]

    def record_cost(self, cost: CostRecord) -> None:
        """Add a cost; one whose ``request_id`` is already recorded is not added again."""
        row = {
            "occurred_at": self._db.now(),
            "purpose": clip(cost.purpose, 64),
            "model": clip(cost.model, 128),
            "input_tokens": cost.input_tokens,
            "output_tokens": cost.output_tokens,
            "usd_micros": int((cost.usd / MICROS).quantize(Decimal(1), ROUND_HALF_UP)),
            "repo": cost.repo,
            "fingerprint": cost.fingerprint,
            "request_id": bounded_key(cost.request_id),
        }
        self._db.run(lambda session: insert_once(session, CostRow, row, "request_id"))

    def total_cost(self, since: datetime | None = None) -> Decimal:
        query = select(func.coalesce(func.sum(CostRow.usd_micros), 0))
        if since is not None:
            query = query.where(CostRow.occurred_at >= since)
        micros = self._db.run(lambda session: session.execute(query).scalar_one())
        return Decimal(int(micros)) * MICROS


def append_audit_row(session: Session, event: AuditEvent, now: datetime) -> None:
    insert_once(session, AuditRow, audit_row(event, now), "event_key")


def claim_audit_row(session: Session, event: AuditEvent, now: datetime) -> bool:
    """Insert the event inside a savepoint: a duplicate key undoes only this insert."""
    try:
        with session.begin_nested():
            session.execute(table_of(AuditRow).insert().values(audit_row(event, now)))
    except IntegrityError:
        return False
    return True


def audit_row(event: AuditEvent, now: datetime) -> dict[str, Any]:
    return {
        "occurred_at": now,
        "actor": clip(event.actor, 128),
        "action": clip(event.action, 64),
        "repo": clip(event.repo, NAME),
        "fingerprint": event.fingerprint,
        "cause": event.cause,
        "details": dict(event.details),
        "event_key": bounded_key(event.key),
    }


def insert_once(
    session: Session, model: type[AuditRow | CostRow], row: Mapping[str, Any], key: str
) -> None:
    """Insert a row; with an idempotency key, only if no row has that key yet."""
    if row[key] is None:
        session.execute(table_of(model).insert().values(row))
    else:
        upsert(session, model, [row], key=(key,), update=())


def audit_key_exists(session: Session, key: str) -> bool:
    found = session.execute(
        select(AuditRow.id).where(AuditRow.event_key == bounded_key(key))
    ).first()
    return found is not None


def bounded_key(key: str | None) -> str | None:
    """An idempotency key that fits its column: long keys keep a prefix and gain a hash."""
    if key is None or len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key[: KEY_LENGTH - len(digest) - 1] + "#" + digest


def audit_entry(row: AuditRow) -> AuditEntry:
    event = AuditEvent(
        actor=row.actor,
        action=row.action,
        cause=row.cause,
        repo=row.repo,
        fingerprint=row.fingerprint,
        details=row.details,
        key=row.event_key,
    )
    return AuditEntry(sequence=row.id, time=row.occurred_at, event=event)
