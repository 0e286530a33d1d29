"""From an approved case to a draft pull request: make the fix in a worktree leased at the
default branch's head, verify it, commit it as Sheriff's bot (``StartFix``), push the fix
branch (``PushFix``) and open the draft pull request linking the issue
(``OpenPullRequest``).

Each step is recorded in the audit log and read back next time (``CaseHistory``), so a
step is never done twice: a commit already on the remote branch is not pushed again, and
a pull request already open for the branch is linked instead of opening another.
A fix that cannot be made is a value (``fix.failed`` with its reason): the planner then
tells the issue why and waits for a new approval.
"""

from __future__ import annotations

from sheriff.app.case_context import LifecycleContext
from sheriff.app.case_history import (
    FIX_FAILED,
    FIX_PREPARED,
    FIX_PUSHED,
    PULL_REQUEST_OPENED,
    read_history,
)
from sheriff.app.case_pack import build_case_pack
from sheriff.app.fix_patch import (
    MadeChange,
    agent_change,
    describe_verification,
    failing_test_id,
    find_test_file,
    quarantine,
    verify,
)
from sheriff.app.forge_pulls import NewPullRequest, PullRequest
from sheriff.app.llm import FixTask
from sheriff.app.ports import CaseView, JsonObject
from sheriff.app.workspace import Workspace
from sheriff.core.analysis import describe_pack, untrusted
from sheriff.core.issues.markers import comment_key_marker
from sheriff.core.lifecycle import CaseFacts, FixStrategy, OpenPullRequest, PushFix, StartFix
from sheriff.errors import (
    GitRefNotFoundError,
    PushRejectedError,
    WorkspaceBusyError,
    WorkspaceError,
)


def fix_failed(context: LifecycleContext, fingerprint: str, reason: str, **details: object) -> None:
    context.audit(fingerprint, FIX_FAILED, f"no fix: {reason}", {"reason": reason, **details})


def start_fix(
    context: LifecycleContext, view: CaseView, facts: CaseFacts, action: StartFix
) -> bool:
    """Prepare the fix commit; False when there is none (``fix.failed`` says why)."""
    strategy = action.strategy.value
    if context.forge.write_repo != context.repo or context.mirror is None:
        reason = "fixes need a local mirror of the repository the issues are in"
        fix_failed(context, view.fingerprint, reason, strategy=strategy)
        return False
    try:
        prepared = _prepare(context, view, facts, action)
    except WorkspaceBusyError:
        raise  # transient: the next reconcile tries again
    except WorkspaceError as error:
        fix_failed(context, view.fingerprint, f"{error.message} ({error.hint})", strategy=strategy)
        return False
    if isinstance(prepared, str):
        fix_failed(context, view.fingerprint, prepared, strategy=strategy)
        return False
    context.audit(
        view.fingerprint,
        FIX_PREPARED,
        f"{strategy} fix committed for {action.branch}",
        {**prepared, "branch": action.branch, "strategy": strategy},
    )
    return True


def _prepare(
    context: LifecycleContext, view: CaseView, facts: CaseFacts, action: StartFix
) -> JsonObject | str:
    """The prepared commit's details, or why there is none."""
    assert context.mirror is not None
    mirror = context.mirror.get(refresh=True)
    base_sha = mirror.head(action.base)
    with mirror.lease_worktree(base_sha) as workspace:
        made = _make_change(context, view, facts, action, workspace)
        if isinstance(made, str):
            return made
        test_file = find_test_file(workspace, facts.test) if facts.test else None
        test = failing_test_id(facts.test, test_file)
        request = context.request
        checked = verify(workspace, test, request.verify_runs, configured=request.test_command)
        if not checked.acceptable:
            return f"the fix did not pass verification ({checked.passed}/{len(checked.runs)} runs)"
        commit = workspace.commit(_commit_message(made, facts, action))
        if commit is None:
            return "the fix changed nothing"
    return {
        "commit": commit,
        "base": action.base,
        "base_sha": base_sha,
        "files": list(made.files),
        "summary": made.summary,
        "change": made.details,
        "verification": checked.as_details(),
    }


def _make_change(
    context: LifecycleContext,
    view: CaseView,
    facts: CaseFacts,
    action: StartFix,
    workspace: Workspace,
) -> MadeChange | str:
    if action.strategy is FixStrategy.QUARANTINE:
        issue_url = (facts.issue.url if facts.issue else None) or _issue_ref(context, facts)
        return quarantine(workspace, facts.test, issue_url)
    if context.llm is None:
        return "an agent fix needs an LLM, and none is configured"
    pack = build_case_pack(context, view).pack
    test = failing_test_id(facts.test, pack.test_file)
    prompt = (
        f"{describe_pack(pack)}\n\nThis failure is flaky or recurring on the default branch. "
        "Find its cause in the code and fix it with the smallest change that makes the test "
        "reliable; do not skip or delete the test. Run the failing test to check your fix."
    )
    made, outcome = agent_change(context.llm, workspace, FixTask(prompt, test=test))
    context.record_usage(view.fingerprint, "fix", outcome.usage)
    return made


def _issue_ref(context: LifecycleContext, facts: CaseFacts) -> str:
    number = facts.issue.number if facts.issue else 0
    return f"https://github.com/{context.forge.write_repo}/issues/{number}"


def _commit_message(made: MadeChange, facts: CaseFacts, action: StartFix) -> str:
    what = facts.test.qualified if facts.test else facts.fingerprint[:12]
    verb = "Quarantine flaky test" if action.strategy is FixStrategy.QUARANTINE else "Fix flaky"
    issue = f"\n\nRefs #{action.issue_number}" if action.issue_number else ""
    return f"{verb} {what}\n\n{made.summary}{issue}\n\nSheriff-Fingerprint: {facts.fingerprint}"


def push_fix(context: LifecycleContext, view: CaseView, facts: CaseFacts, action: PushFix) -> bool:
    """Push the prepared commit, unless the remote branch already has it; a stale branch
    of an earlier attempt (no open pull request) is deleted first. False when the push
    was refused (``fix.failed`` says why)."""
    forge, branch = context.forge, action.branch
    remote = forge.branch_head(branch)
    if remote == action.commit:
        _pushed(context, view.fingerprint, branch, action.commit, "already on the remote branch")
        return True
    if remote is not None and not forge.list_pull_requests(state="open", head=branch):
        forge.delete_branch(branch)
        context.audit(
            view.fingerprint,
            "branch.delete",
            f"{branch} held an earlier attempt ({remote[:7]}) with no open pull request",
            {"branch": branch, "commit": remote},
        )
    assert context.mirror is not None
    mirror = context.mirror.get()
    try:
        with mirror.lease_worktree(action.commit) as workspace:
            workspace.push(branch)
    except (PushRejectedError, GitRefNotFoundError) as error:
        fix_failed(context, view.fingerprint, f"{error.message} ({error.hint})", branch=branch)
        return False
    _pushed(context, view.fingerprint, branch, action.commit, "pushed")
    return True


def _pushed(
    context: LifecycleContext, fingerprint: str, branch: str, commit: str, how: str
) -> None:
    context.audit(
        fingerprint,
        FIX_PUSHED,
        f"{commit[:7]} {how} on {branch}",
        {"branch": branch, "commit": commit},
        key=f"push:{context.repo}:{branch}:{commit}",
    )


def open_pull_request(
    context: LifecycleContext, view: CaseView, facts: CaseFacts, action: OpenPullRequest
) -> PullRequest:
    """The branch's open pull request, or a new draft one (never a second one: GitHub may
    have created one for a request that failed, so look before creating)."""
    forge = context.forge
    existing = forge.list_pull_requests(state="open", head=action.branch)
    history = read_history(context.store, context.repo, view.fingerprint)
    prepared = history.prepared
    details = prepared.details if prepared else {}
    if existing:
        pull, how = existing[0], "found open"
    else:
        new = NewPullRequest(
            title=_title(facts, action.strategy),
            head=action.branch,
            base=action.base,
            body=pull_request_body(facts, action, details),
            draft=True,
        )
        pull, how = forge.create_pull_request(new), "opened"
    context.audit(
        view.fingerprint,
        PULL_REQUEST_OPENED,
        f"fix pull request #{pull.number} {how} for {action.branch}",
        {"number": pull.number, "url": pull.html_url, "branch": action.branch},
        key=f"pull_request:{context.repo}:{action.branch}:{pull.number}",
    )
    return pull


def _title(facts: CaseFacts, strategy: FixStrategy | None) -> str:
    what = f"`{facts.test.qualified}`" if facts.test else f"failure {facts.fingerprint[:8]}"
    if strategy is FixStrategy.QUARANTINE:
        return f"Quarantine flaky test {what}"
    return f"Fix flaky test {what}"


def pull_request_body(facts: CaseFacts, action: OpenPullRequest, details: JsonObject) -> str:
    """Why the change, what it is, and how it was verified; linked to the issue."""
    issue = action.issue_number
    link = f"Refs #{issue}" if action.strategy is FixStrategy.QUARANTINE else f"Fixes #{issue}"
    files = details.get("files") or []
    file_list = "\n".join(f"- `{name}`" for name in files if isinstance(name, str))
    lines = [
        comment_key_marker(f"fix:{facts.fingerprint}"),
        f"{link}" if issue else "",
        "",
        "#### What",
        "",
        untrusted(str(details.get("summary") or "Sheriff's fix for the failure in the issue.")),
        "",
        file_list or "_(no file list recorded)_",
        "",
        "#### Verification",
        "",
        describe_verification(details.get("verification")),
        "",
        f"_Prepared by Sheriff on `{action.branch}` from `{str(details.get('base_sha', ''))[:7]}` "
        "after a maintainer approved it. It stays a draft until a person reviews it._",
    ]
    return "\n".join(lines).strip() + "\n"
