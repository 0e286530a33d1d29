"""Tables of the GitHub App's installations and the repositories each one covers (the
repositories the service discovers, beside those its settings name)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sheriff.adapters.store.schema_base import MYSQL_TABLE_OPTIONS, Base, GitHubId, Id, UtcDateTime
from sheriff.adapters.store.schema_runs import NAME


class InstallationRow(Base):
    """One installation of Sheriff's App; a suspended one covers nothing until unsuspended."""

    __tablename__ = "app_installations"
    __table_args__ = (MYSQL_TABLE_OPTIONS,)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    github_installation_id: Mapped[int] = mapped_column(GitHubId, unique=True)
    account: Mapped[str | None] = mapped_column(String(NAME))
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InstalledRepositoryRow(Base):
    """A repository an installation covers, since when (kept across resynchronisations)."""

    __tablename__ = "installed_repositories"
    __table_args__ = (
        UniqueConstraint(
            "github_installation_id", "full_name", name="uq_installed_repositories_repo"
        ),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    github_installation_id: Mapped[int] = mapped_column(GitHubId)
    full_name: Mapped[str] = mapped_column(String(NAME))
    since: Mapped[datetime] = mapped_column(UtcDateTime)
