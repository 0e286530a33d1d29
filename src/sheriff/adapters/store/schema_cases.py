"""Tables of what Sheriff decides and does: cases, issue links, discovery cursors, HTTP
validators, the append-only audit log and the cost ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sheriff.adapters.store.schema_base import (
    MYSQL_TABLE_OPTIONS,
    Base,
    GitHubId,
    Id,
    Json,
    LongBytes,
    UtcDateTime,
)
from sheriff.adapters.store.schema_runs import NAME, SHA, URL


class CaseRow(Base):
    """One failure case per fingerprint per repository, with its lifecycle state."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("repository_id", "fingerprint", name="uq_cases_fingerprint"),
        Index("ix_cases_state", "repository_id", "state"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    fingerprint: Mapped[str] = mapped_column(String(SHA))
    state: Mapped[str] = mapped_column(String(32))
    failure_type: Mapped[str] = mapped_column(String(32))
    sub_type: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(512))
    test_name: Mapped[str | None] = mapped_column(String(URL))
    occurrence_count: Mapped[int]
    first_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    p_flaky: Mapped[float | None]
    verdict: Mapped[str | None] = mapped_column(String(32))
    quarantine_candidate: Mapped[bool]
    flags: Mapped[dict[str, Any]] = mapped_column(Json)
    state_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IssueLinkRow(Base):
    """A case's issue in one repository (the write repository may change over time)."""

    __tablename__ = "issue_links"
    __table_args__ = (
        UniqueConstraint("case_id", "issue_repo", name="uq_issue_links_case"),
        Index("ix_issue_links_issue", "issue_repo", "issue_number"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"))
    issue_repo: Mapped[str] = mapped_column(String(NAME))
    issue_number: Mapped[int]
    created_by_sheriff: Mapped[bool]
    managed_block_hash: Mapped[str | None] = mapped_column(String(SHA))
    issue_state: Mapped[str | None] = mapped_column(String(16))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CursorRow(Base):
    """How far discovery got, per repository, workflow and branch (``*`` for all)."""

    __tablename__ = "discovery_cursors"
    __table_args__ = (
        UniqueConstraint("repository_id", "workflow", "branch", name="uq_discovery_cursors_scope"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    workflow: Mapped[str] = mapped_column(String(NAME))
    branch: Mapped[str] = mapped_column(String(NAME))
    last_created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_run_id: Mapped[int] = mapped_column(GitHubId)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ValidatorRow(Base):
    """ETag / Last-Modified of a URL; ``url_key`` hashes the URL, which may be long."""

    __tablename__ = "http_validators"
    __table_args__ = (MYSQL_TABLE_OPTIONS,)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    url_key: Mapped[str] = mapped_column(String(SHA), unique=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[bytes | None] = mapped_column(LongBytes)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """The audit log: rows are only ever inserted; ``id`` orders them."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject", "repo", "fingerprint", "id"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    repo: Mapped[str | None] = mapped_column(String(NAME))
    fingerprint: Mapped[str | None] = mapped_column(String(SHA))
    cause: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(Json)
    event_key: Mapped[str | None] = mapped_column(String(191), unique=True)


class CostRow(Base):
    """One LLM or API call's cost; ``usd_micros`` is millionths of a dollar (exact)."""

    __tablename__ = "api_costs"
    __table_args__ = (
        Index("ix_api_costs_occurred_at", "occurred_at"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    purpose: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    usd_micros: Mapped[int] = mapped_column(BigInteger)
    repo: Mapped[str | None] = mapped_column(String(NAME))
    fingerprint: Mapped[str | None] = mapped_column(String(SHA))
    request_id: Mapped[str | None] = mapped_column(String(191), unique=True)
