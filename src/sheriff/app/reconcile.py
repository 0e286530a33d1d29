"""Use case: reconcile a repository's failure cases, one step of their lifecycle at a time.

For each case: gather its facts (store, audit log, GitHub), look up the permission of the
people who asked for a fix at that moment, ask ``core.lifecycle.next_step`` for the plan,
and execute it in order, stopping at the first failure (which is audited, with what to do
next). A plan that moved the case is followed by another round from fresh facts, so one
reconcile carries an approved case to its open pull request; the case stops when its plan
is empty (a fixed point: running reconcile again changes nothing). A dry run prints the
first plan of every case and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sheriff.app.case_actions import (
    after_transition,
    close_issue,
    comment_on_issue,
    comment_on_pull_request,
    make_transition,
    reopen_issue,
    sync_issue_status,
)
from sheriff.app.case_context import (
    LifecycleContext,
    MirrorOpener,
    ReconcileRequest,
    RepositoryMirror,
)
from sheriff.app.case_discussion import post_analysis, reply_to_comment
from sheriff.app.case_facts import check_permissions, gather_facts
from sheriff.app.case_history import ACTION_FAILED, CaseHistory, read_history
from sheriff.app.fix_pull_request import open_pull_request, push_fix, start_fix
from sheriff.app.fix_review import address_review, reply_to_review_comment
from sheriff.app.forge import Forge
from sheriff.app.llm import LLM
from sheriff.app.ports import CaseState, CaseView, Store
from sheriff.core.lifecycle import (
    SETTLED,
    Action,
    AddressReview,
    CaseFacts,
    CloseIssue,
    CommentOnIssue,
    CommentOnPullRequest,
    LifecycleSettings,
    OpenPullRequest,
    PostAnalysis,
    PushFix,
    ReopenIssue,
    ReplyToComment,
    ReplyToReviewComment,
    StartFix,
    Transition,
    next_step,
)
from sheriff.core.repo_config import CONFIG_PATH, RepoSettings, merge_repo_config, parse_repo_config
from sheriff.errors import GitHubAuthError, RateLimitedError, SheriffError

StepListener = Callable[[str, str], None]
"""Told each step as it happens: ``(fingerprint, description)``."""

QUIET = "case.quiet"  # a settled case reached a fixed point: skipped until it recurs


@dataclass(slots=True)
class CaseOutcome:
    fingerprint: str
    state_before: CaseState
    state_after: CaseState
    steps: list[str] = field(default_factory=list)  # done (planned, in a dry run)
    problems: list[str] = field(default_factory=list)  # what failed, with what to do


@dataclass(slots=True)
class ReconcileReport:
    repo: str
    dry_run: bool
    cases: list[CaseOutcome] = field(default_factory=list)
    skipped: int = 0  # settled cases with nothing new


def reconcile_repository(
    request: ReconcileRequest,
    forge: Forge,
    store: Store,
    *,
    llm: LLM | None = None,
    mirrors: MirrorOpener | None = None,
    listener: StepListener | None = None,
    only: frozenset[str] | None = None,
) -> ReconcileReport:
    """Reconcile every case of ``forge.read_repo`` (or the fingerprints in ``only``)."""
    context = lifecycle_context(request, forge, store, llm=llm, mirrors=mirrors)
    default_branch = forge.get_repository().default_branch
    report = ReconcileReport(context.repo, request.dry_run)
    for view in store.cases_in_state(context.repo, list(CaseState)):
        if only is not None and view.fingerprint not in only:
            continue
        if view.state is CaseState.DISCOVERED and not store.issue_links(
            context.repo, view.fingerprint
        ):
            continue  # not filed (policy, or a pull request's failure): nothing to reconcile
        history = read_history(store, context.repo, view.fingerprint)
        if only is None and _settled_and_quiet(view, history):
            report.skipped += 1  # an event about the case (``only``) looks at it anyway
            continue
        outcome = _reconcile_one(context, view, default_branch, listener)
        if outcome.steps or outcome.problems:
            report.cases.append(outcome)
    return report


def _reconcile_one(
    context: LifecycleContext, view: CaseView, default_branch: str, listener: StepListener | None
) -> CaseOutcome:
    """One case; a failure reading its facts is that case's problem (audited), not the
    others'. Credentials refused or a spent rate limit stop the whole reconcile."""
    try:
        return reconcile_case(context, view, default_branch, listener)
    except (GitHubAuthError, RateLimitedError):
        raise
    except SheriffError as error:
        context.audit(
            view.fingerprint,
            ACTION_FAILED,
            f"reading the case's facts failed: {error.message}",
            {"action": "gather", "error": error.message, "hint": error.hint},
        )
        return CaseOutcome(view.fingerprint, view.state, view.state, problems=[str(error)])


def lifecycle_context(
    request: ReconcileRequest,
    forge: Forge,
    store: Store,
    *,
    llm: LLM | None = None,
    mirrors: MirrorOpener | None = None,
) -> LifecycleContext:
    repo_settings = repository_settings(forge, request.base_settings)
    settings = replace(
        LifecycleSettings.from_repo(repo_settings),
        fix_strategy=request.fix_strategy,
        quiet_period=request.quiet_period,
    )
    login = forge.authenticated_login()
    return LifecycleContext(
        forge, store, request, settings, repo_settings, login, llm, RepositoryMirror(forge, mirrors)
    )


def repository_settings(forge: Forge, base: RepoSettings) -> RepoSettings:
    """Sheriff's settings with the repository's ``.github/sheriff.yml`` over them (problems
    in the file are the scan's to report)."""
    raw = forge.read_default_branch_file(CONFIG_PATH)
    parsed = parse_repo_config(None if raw is None else raw.decode("utf-8", "replace"))
    return merge_repo_config(base, parsed.config)


def reconcile_case(
    context: LifecycleContext,
    view: CaseView,
    default_branch: str,
    listener: StepListener | None = None,
) -> CaseOutcome:
    """Plan and execute rounds until the case's plan is empty (or a step fails)."""
    outcome = CaseOutcome(view.fingerprint, view.state, view.state)
    previous: list[str] | None = None
    for _ in range(context.request.max_rounds):
        current = context.store.get_case(context.repo, view.fingerprint) or view
        history = read_history(context.store, context.repo, view.fingerprint)
        facts = gather_facts(context, current, history, default_branch)
        outcome.state_after = current.state
        if facts.issue is None:
            break
        facts, failures = check_permissions(context, facts)
        outcome.problems.extend(failures)
        plan = next_step(facts)
        described = [action.describe() for action in plan]
        if context.request.dry_run:
            outcome.steps.extend(described)
            break
        if not plan or described == previous:
            _settle(context, current, facts)
            break
        previous = described
        if not _execute(context, current, facts, plan, outcome, listener=listener):
            break
    return outcome


def _execute(
    context: LifecycleContext,
    view: CaseView,
    facts: CaseFacts,
    plan: list[Action],
    outcome: CaseOutcome,
    *,
    listener: StepListener | None,
) -> bool:
    """Run the plan in order; False (stop planning) at the first failure or when another
    worker moved the case first."""
    current = facts
    for action in plan:
        try:
            if isinstance(action, Transition):
                if not make_transition(context, current, action.record):
                    outcome.problems.append("another worker moved the case first; skipped")
                    return False
                current = after_transition(current, action.record)
                outcome.state_after = action.record.to_state
            elif not run_action(context, view, current, action):
                outcome.steps.append(f"{action.describe()}: no result (recorded)")
                return True  # the rest waits: the next round plans from what was recorded
        except SheriffError as error:
            _failed(context, view, action, error, outcome)
            return False
        outcome.steps.append(action.describe())
        if listener is not None:
            listener(view.fingerprint, action.describe())
    return True


def run_action(context: LifecycleContext, view: CaseView, facts: CaseFacts, action: Action) -> bool:
    """Carry out one action that is not a transition; False when it ended without its
    result (a fix that could not be made or pushed): the rest of the plan waits."""
    match action:
        case PostAnalysis():
            post_analysis(context, view, facts, action)
        case ReplyToComment():
            reply_to_comment(context, view, facts, action)
        case CommentOnIssue():
            comment_on_issue(context, facts, action)
        case CommentOnPullRequest():
            comment_on_pull_request(context, facts, action)
        case CloseIssue():
            close_issue(context, facts, action)
        case ReopenIssue():
            reopen_issue(context, facts, action)
        case StartFix():
            return start_fix(context, view, facts, action)
        case PushFix():
            return push_fix(context, view, facts, action)
        case OpenPullRequest():
            open_pull_request(context, view, facts, action)
        case AddressReview():
            address_review(context, view, facts, action)
        case ReplyToReviewComment():
            reply_to_review_comment(context, view, facts, action)
        case Transition():
            raise TypeError("transitions are made by _execute")
    return True


def _failed(
    context: LifecycleContext,
    view: CaseView,
    action: Action,
    error: SheriffError,
    outcome: CaseOutcome,
) -> None:
    context.audit(
        view.fingerprint,
        ACTION_FAILED,
        f"{action.describe()} failed: {error.message}",
        {"action": type(action).__name__, "error": error.message, "hint": error.hint},
    )
    outcome.problems.append(f"{action.describe()}: {error}")


def _settle(context: LifecycleContext, view: CaseView, facts: CaseFacts) -> None:
    """A case at its fixed point: its issue's status block shows where it is, and a
    settled case is skipped from now on until the failure recurs."""
    sync_issue_status(context, facts)
    if view.state in SETTLED:
        context.audit(
            view.fingerprint,
            QUIET,
            f"nothing more to do in {view.state.value} unless the failure recurs",
            {"state": view.state.value},
            key=f"quiet:{context.repo}:{view.fingerprint}:{view.state_changed_at.isoformat()}",
        )


def _settled_and_quiet(view: CaseView, history: CaseHistory) -> bool:
    if view.state not in SETTLED:
        return False
    quiet = [
        entry
        for entry in history.entries
        if entry.event.action == QUIET and entry.event.details.get("state") == view.state.value
    ]
    if not quiet or quiet[-1].time < view.state_changed_at:
        return False
    return view.last_seen_at is None or view.last_seen_at <= quiet[-1].time
