"""Which issue tracks each case: created by Sheriff, or a human-filed one it attached to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sheriff.adapters.store.cases import case_view
from sheriff.adapters.store.database import Database
from sheriff.adapters.store.lookups import require_case
from sheriff.adapters.store.schema_cases import CaseRow, IssueLinkRow
from sheriff.adapters.store.schema_runs import RepositoryRow
from sheriff.adapters.store.upsert import upsert
from sheriff.app.ports import CaseView, IssueLink

LINK_KEY = ("case_id", "issue_repo")
LINK_FIELDS = (
    "issue_number",
    "created_by_sheriff",
    "managed_block_hash",
    "issue_state",
    "updated_at",
)


class IssueLinks:
    _db: Database

    def link_issue(self, repo: str, fingerprint: str, link: IssueLink) -> None:
        """Link the case to its issue in ``link.issue_repo``, or update that link."""

        def record(session: Session) -> None:
            case = require_case(session, repo, fingerprint)
            now = self._db.now()
            row = {
                "case_id": case.id,
                "issue_repo": link.issue_repo,
                "issue_number": link.issue_number,
                "created_by_sheriff": link.created_by_sheriff,
                "managed_block_hash": link.managed_block_hash,
                "issue_state": link.issue_state,
                "linked_at": now,
                "updated_at": now,
            }
            upsert(session, IssueLinkRow, [row], key=LINK_KEY, update=LINK_FIELDS)

        self._db.run(record)

    def issue_links(self, repo: str, fingerprint: str) -> list[IssueLink]:
        def read(session: Session) -> list[IssueLink]:
            case = require_case(session, repo, fingerprint)
            rows = session.execute(
                select(IssueLinkRow)
                .where(IssueLinkRow.case_id == case.id)
                .order_by(IssueLinkRow.id)
            ).scalars()
            return [issue_link(row) for row in rows]

        return self._db.run(read)

    def cases_for_issue(self, issue_repo: str, issue_number: int) -> list[CaseView]:
        """The cases an issue tracks (several cases may share a human-filed issue)."""
        query = (
            select(CaseRow, RepositoryRow.full_name)
            .join(IssueLinkRow, IssueLinkRow.case_id == CaseRow.id)
            .join(RepositoryRow, RepositoryRow.id == CaseRow.repository_id)
            .where(
                IssueLinkRow.issue_repo == issue_repo,
                IssueLinkRow.issue_number == issue_number,
            )
            .order_by(CaseRow.id)
        )
        rows = self._db.run(lambda session: session.execute(query).all())
        return [case_view(case, repo) for case, repo in rows]


def issue_link(row: IssueLinkRow) -> IssueLink:
    return IssueLink(
        issue_repo=row.issue_repo,
        issue_number=row.issue_number,
        created_by_sheriff=row.created_by_sheriff,
        managed_block_hash=row.managed_block_hash,
        issue_state=row.issue_state,
    )
