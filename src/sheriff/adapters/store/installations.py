"""The GitHub App's installations and the repositories each covers, as webhooks and
resynchronisations from GitHub's API report them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_installations import InstallationRow, InstalledRepositoryRow
from sheriff.adapters.store.schema_runs import NAME
from sheriff.adapters.store.upsert import upsert
from sheriff.core.installations import InstallationSnapshot

INSTALLATION_KEY = ("github_installation_id",)
REPO_KEY = ("github_installation_id", "full_name")


class Installations:
    _db: Database

    def installed_repos(self) -> tuple[str, ...]:
        """The repositories of every installation that is not suspended, by name."""
        query = (
            select(InstalledRepositoryRow.full_name)
            .join(
                InstallationRow,
                InstallationRow.github_installation_id
                == InstalledRepositoryRow.github_installation_id,
            )
            .where(InstallationRow.suspended_at.is_(None))
            .order_by(InstalledRepositoryRow.full_name)
        )
        return tuple(self._db.run(lambda session: session.execute(query).scalars().all()))

    def installations(self) -> tuple[InstallationSnapshot, ...]:
        """Every known installation with its repositories, by installation id."""
        return self._db.run(_snapshots)

    def record_installation(self, snapshot: InstallationSnapshot) -> None:
        """Write an installation as GitHub lists it; its repositories, when listed, replace
        those known (a repository kept keeps its ``since``)."""

        def record(session: Session) -> None:
            now = self._db.now()
            installation = snapshot.installation_id
            _ensure_installation(session, installation, snapshot.account, now)
            _mark_suspended(session, installation, snapshot.suspended, now)
            if snapshot.repos is not None:
                _drop_repos_except(session, installation, snapshot.repos)
                _add_repos(session, installation, snapshot.repos, now)

        self._db.run(record)

    def add_installed_repos(
        self, installation_id: int, repos: Iterable[str], account: str | None = None
    ) -> None:
        def add(session: Session) -> None:
            now = self._db.now()
            _ensure_installation(session, installation_id, account, now)
            _add_repos(session, installation_id, tuple(repos), now)

        self._db.run(add)

    def remove_installed_repos(self, installation_id: int, repos: Iterable[str]) -> None:
        names = sorted({repo.casefold() for repo in repos})
        statement = delete(InstalledRepositoryRow).where(
            InstalledRepositoryRow.github_installation_id == installation_id,
            func.lower(InstalledRepositoryRow.full_name).in_(names),
        )
        if names:
            self._db.run(lambda session: session.execute(statement))

    def suspend_installation(self, installation_id: int, suspended: bool) -> None:
        """A suspended installation's repositories stop counting until it is unsuspended."""

        def mark(session: Session) -> None:
            now = self._db.now()
            _ensure_installation(session, installation_id, None, now)
            _mark_suspended(session, installation_id, suspended, now)

        self._db.run(mark)

    def forget_installations_except(self, keep: Collection[int]) -> tuple[int, ...]:
        """Remove every installation not in ``keep`` (uninstalled), with its repositories;
        returns the ids removed."""

        def forget(session: Session) -> tuple[int, ...]:
            known = session.execute(select(InstallationRow.github_installation_id)).scalars()
            gone = tuple(sorted(set(known) - set(keep)))
            _forget(session, gone)
            return gone

        return self._db.run(forget)

    def forget_installation(self, installation_id: int) -> None:
        self._db.run(lambda session: _forget(session, (installation_id,)))


def _snapshots(session: Session) -> tuple[InstallationSnapshot, ...]:
    rows = session.execute(select(InstallationRow).order_by(InstallationRow.github_installation_id))
    repos: dict[int, list[str]] = {}
    listing = select(
        InstalledRepositoryRow.github_installation_id, InstalledRepositoryRow.full_name
    ).order_by(InstalledRepositoryRow.full_name)
    for installation, name in session.execute(listing):
        repos.setdefault(installation, []).append(name)
    return tuple(
        InstallationSnapshot(
            row.github_installation_id,
            row.account,
            row.suspended_at is not None,
            tuple(repos.get(row.github_installation_id, ())),
        )
        for row in rows.scalars()
    )


def _ensure_installation(
    session: Session, installation_id: int, account: str | None, now: datetime
) -> None:
    row = {
        "github_installation_id": installation_id,
        "account": clip(account, NAME),
        "suspended_at": None,
        "updated_at": now,
    }
    changes = ("account", "updated_at") if account else ("updated_at",)
    upsert(session, InstallationRow, [row], key=INSTALLATION_KEY, update=changes)


def _mark_suspended(session: Session, installation_id: int, suspended: bool, now: datetime) -> None:
    statement = update(InstallationRow).where(
        InstallationRow.github_installation_id == installation_id
    )
    if suspended:  # the first suspension's time is kept
        statement = statement.where(InstallationRow.suspended_at.is_(None))
    session.execute(statement.values(suspended_at=now if suspended else None))


def _add_repos(session: Session, installation_id: int, repos: Iterable[str], now: datetime) -> None:
    rows = [
        {"github_installation_id": installation_id, "full_name": name, "since": now}
        for name in sorted(set(repos))
    ]
    if rows:
        upsert(session, InstalledRepositoryRow, rows, key=REPO_KEY, update=())


def _drop_repos_except(session: Session, installation_id: int, repos: Iterable[str]) -> None:
    session.execute(
        delete(InstalledRepositoryRow).where(
            InstalledRepositoryRow.github_installation_id == installation_id,
            InstalledRepositoryRow.full_name.not_in(sorted(set(repos))),
        )
    )


def _forget(session: Session, installation_ids: Collection[int]) -> None:
    if not installation_ids:
        return
    ids = sorted(installation_ids)
    repos = InstalledRepositoryRow.github_installation_id
    session.execute(delete(InstalledRepositoryRow).where(repos.in_(ids)))
    installations = InstallationRow.github_installation_id
    session.execute(delete(InstallationRow).where(installations.in_(ids)))
