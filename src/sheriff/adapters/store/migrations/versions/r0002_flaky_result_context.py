"""test results carry what the flakiness engine reads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("signature", sa.String(length=512)),
    ("failure_type", sa.String(length=32)),
    ("job_failed", sa.Integer()),
    ("job_total", sa.Integer()),
    ("job_shared", sa.Integer()),
    ("job_infra", sa.Boolean()),
    ("concurrent", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_index("ix_test_results_time", ["repository_id", "occurred_at"])


def downgrade() -> None:
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        batch_op.drop_index("ix_test_results_time")
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
