"""Wiring for ``sheriff reconcile`` and ``sheriff case show``: settings → the LLM (when one
is configured), git mirrors, the reconcile use case; and what they print."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from sheriff.app.case_context import MirrorOpener, ReconcileRequest
from sheriff.app.case_history import describe_history
from sheriff.config import Settings
from sheriff.entry.scan_command import data_dir_of, github_settings_of, repo_settings_of
from sheriff.errors import InputError

if TYPE_CHECKING:
    from sheriff.adapters.store import Store
    from sheriff.app.forge import Forge
    from sheriff.app.llm import LLM
    from sheriff.app.ports import CaseView
    from sheriff.app.reconcile import ReconcileReport, StepListener
    from sheriff.app.workspace import SourceMirror


def reconcile_request_of(settings: Settings, *, dry_run: bool) -> ReconcileRequest:
    return ReconcileRequest(
        base_settings=repo_settings_of(settings),
        dry_run=dry_run,
        fix_strategy=settings.fix_strategy,
        quiet_period=timedelta(days=settings.quiet_period_days),
        verify_runs=settings.verify_runs,
        test_command=settings.test_command is not None,
    )


def configured_llm(settings: Settings) -> LLM | None:
    """The configured LLM, or None (imported only then: pydantic-ai takes ~1 s to load)."""
    if settings.llm_provider is None:
        return None
    from sheriff.adapters.llm import PydanticLLM

    return PydanticLLM.from_settings(settings)


def mirror_opener(settings: Settings) -> MirrorOpener:
    """Mirrors under ``workspace_dir``; git over HTTPS carries the write token, or the
    GitHub App's installation token for the repository (minted when a mirror is opened,
    with at least 45 minutes left: enough for a fix and its push)."""
    from sheriff.adapters.git import GitWorkspaces
    from sheriff.adapters.github import GitCredentials

    workspaces = GitWorkspaces.from_settings(settings, data_dir=data_dir_of(settings))
    credentials: dict[str, GitCredentials] = {}

    def open_mirror(repo: str, clone_url: str) -> SourceMirror:
        if repo not in credentials:
            credentials[repo] = GitCredentials(github_settings_of(settings, repo))
        token = credentials[repo].token() if urlsplit(clone_url).scheme == "https" else None
        return workspaces.mirror(repo, with_token(clone_url, token))

    return open_mirror


def with_token(url: str, token: str | None) -> str:
    """``https://host/...`` with the token as the credentials git sends (GitHub's
    ``x-access-token`` user); other URLs (``file://`` on the fake) are left alone."""
    parts = urlsplit(url)
    if token is None or parts.scheme != "https" or "@" in parts.netloc:
        return url
    netloc = f"x-access-token:{quote(token, safe='')}@{parts.netloc}"
    return urlunsplit(parts._replace(netloc=netloc))


def run_reconcile(
    settings: Settings,
    forge: Forge,
    store: Store,
    *,
    dry_run: bool,
    listener: StepListener | None = None,
) -> ReconcileReport:
    from sheriff.app.reconcile import reconcile_repository

    return reconcile_repository(
        reconcile_request_of(settings, dry_run=dry_run),
        forge,
        store,
        llm=configured_llm(settings),
        mirrors=mirror_opener(settings),
        listener=listener,
    )


def render_reconcile(report: ReconcileReport) -> str:
    """What reconcile did (or, in a dry run, plans), case by case."""
    verb = "would" if report.dry_run else "did"
    lines = [f"{report.repo}: {len(report.cases)} case(s) with something to do"]
    for case in report.cases:
        moved = (
            f"{case.state_before.value} -> {case.state_after.value}"
            if case.state_after is not case.state_before
            else case.state_before.value
        )
        lines.append(f"case {case.fingerprint[:12]} ({moved}):")
        lines += [f"  {verb} {step}" for step in case.steps]
        lines += [f"  ! {problem}" for problem in case.problems]
    if report.skipped:
        lines.append(f"{report.skipped} settled case(s) with nothing new were skipped")
    return "\n".join(lines) + "\n"


def find_case(store: Store, fingerprint: str, repo: str | None) -> CaseView:
    """The case a full fingerprint (or, with ``--repo``, a unique prefix) names."""
    from sheriff.app.ports import CaseState

    wanted = fingerprint.strip().lower()
    if len(wanted) < 6:
        raise InputError(
            f"fingerprint {fingerprint!r} is too short", hint="give at least 6 characters"
        )
    if repo is None:
        entries = store.audit_log(fingerprint=wanted, limit=1)
        repo = entries[0].event.repo if entries else None
    views = store.cases_in_state(repo, list(CaseState)) if repo else []
    found = [view for view in views if view.fingerprint.startswith(wanted)]
    if len(found) != 1:
        where = f" in {repo}" if repo else ""
        problem = "several cases match" if found else "no case has"
        raise InputError(
            f"{problem} fingerprint {fingerprint!r}{where}",
            hint="give the full fingerprint (the issue shows it), or --repo OWNER/NAME",
        )
    return found[0]


def render_case(store: Store, view: CaseView) -> str:
    from sheriff.app.case_history import read_history

    history = read_history(store, view.repo, view.fingerprint)
    links = store.issue_links(view.repo, view.fingerprint)
    assessment = view.assessment
    p_flaky = f"{assessment.p_flaky:.2f}" if assessment.p_flaky is not None else "unknown"
    lines = [
        f"case {view.fingerprint} in {view.repo}",
        f"state:      {view.state.value} since {view.state_changed_at:%Y-%m-%d %H:%M:%S}",
        f"failure:    {view.failure_type.value}/{view.sub_type}"
        + (f": {view.test_name}" if view.test_name else ""),
        f"seen:       {view.occurrence_count} time(s), first {_when(view.first_seen_at)}, "
        f"last {_when(view.last_seen_at)}",
        f"flakiness:  P(flaky) {p_flaky}, verdict {assessment.verdict or 'none'}"
        + (", quarantine candidate" if assessment.quarantine_candidate else ""),
    ]
    lines += [
        f"issue:      {link.issue_repo}#{link.issue_number} ({link.issue_state or '?'})"
        for link in links
    ]
    if history.pull_request is not None:
        lines.append(f"fix:        pull request #{history.pull_request}")
    lines += ["", "history (audit log, oldest first):"]
    lines += [f"  {line}" for line in describe_history(history.entries)] or ["  (empty)"]
    return "\n".join(lines) + "\n"


def _when(moment: object) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M}"
