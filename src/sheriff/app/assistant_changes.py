"""A change a maintainer asked the assistant for: made on a new branch and proposed as a
draft pull request, never on the default branch.

Only when ``assistant_changes`` is on and a model is configured; otherwise a polite
refusal. The branch is ``sheriff/assist-<number>-<source id>``, started from the default
branch (a mention on an issue) or from the pull request's own branch (a mention on a
pull request in this repository; the draft then targets that branch). The change agent
edits a leased worktree; its commit is pushed to the new branch only (a branch that
exists already is never overwritten) and the draft pull request opened. A retried step
finds the branch or the pull request and does not make them twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.app.assistant_context import MentionRun
from sheriff.app.assistant_progress import ProgressComment
from sheriff.app.assistant_records import (
    Answered,
    MentionStatus,
    declined,
    prompt_file,
    record_usage,
)
from sheriff.app.forge_pulls import NewPullRequest, PullRequest
from sheriff.app.llm import LLM, FixStop, FixTask
from sheriff.app.workspace import SourceMirror
from sheriff.core.assistant import MentionContext, change_prompt, change_refusal, safe_markdown
from sheriff.errors import PushRejectedError, WorkspaceBusyError, WorkspaceError

BRANCH_PREFIX = "sheriff/assist-"


def change_branch(number: int, source_id: int) -> str:
    return f"{BRANCH_PREFIX}{number}-{source_id}"


@dataclass(frozen=True, slots=True)
class ChangeBase:
    branch: str  # the draft pull request's base
    sha: str  # the commit the change starts from
    default_branch: str


@dataclass(frozen=True, slots=True)
class Pushed:
    summary: str  # the agent's, for the pull request


@dataclass(frozen=True, slots=True)
class NotMade:
    reason: str  # a sentence for the comment, starting with "I"


@dataclass(frozen=True, slots=True)
class ChangeJob:
    context: MentionContext
    base: ChangeBase
    branch: str
    progress: ProgressComment


def make_change(run: MentionRun, context: MentionContext, progress: ProgressComment) -> Answered:
    author = run.mention.author or ""
    why_not = _why_not(run)
    if why_not is not None:
        return declined(change_refusal(author, why_not), why_not)
    base = _base(run, context)
    if isinstance(base, str):
        return declined(change_refusal(author, base), base)
    branch = change_branch(run.mention.number, run.mention.source_id)
    if branch in {base.branch, base.default_branch}:
        reason = f"the branch {branch} would be the base or the default branch"
        return declined(change_refusal(author, reason), reason)
    existing = _open_pull(run, branch)
    if existing is not None:
        return _proposed(run, existing, base, "")
    if run.forge.branch_head(branch) is None:
        made = _commit_and_push(run, context, base, branch, progress)
        if isinstance(made, NotMade):
            return declined(made.reason, made.reason)
        summary = made.summary
    else:
        summary = "Sheriff pushed this branch earlier; the pull request was not opened then."
    pull = run.forge.create_pull_request(_new_pull(run, base, branch, summary))
    return _proposed(run, pull, base, summary)


def _why_not(run: MentionRun) -> str | None:
    if not run.options.changes:
        return (
            "code changes by the assistant are turned off for this repository (a maintainer "
            "can turn them on with the `assistant_changes` setting)"
        )
    if run.llm is None:
        return "making a change needs a language model, and none is configured"
    if run.code.mirror() is None:
        return f"Sheriff cannot reach the code ({run.code.note})"
    return None


def _base(run: MentionRun, context: MentionContext) -> ChangeBase | str:
    """Where the change starts, or why it cannot start anywhere."""
    forge = run.forge
    default = forge.get_repository().default_branch
    if not context.is_pull_request:
        return ChangeBase(default, forge.default_branch_head(), default)
    pull = forge.get_pull_request(run.mention.number)
    if pull is None or pull.state != "open":
        return "the pull request is not open"
    if forge.branch_head(pull.head_ref) != pull.head_sha:
        return "the pull request's branch is not in this repository (a fork)"
    return ChangeBase(pull.head_ref, pull.head_sha, default)


def _open_pull(run: MentionRun, branch: str) -> PullRequest | None:
    pulls = run.forge.list_pull_requests(state="open", head=branch)
    return pulls[0] if pulls else None


def _commit_and_push(
    run: MentionRun,
    context: MentionContext,
    base: ChangeBase,
    branch: str,
    progress: ProgressComment,
) -> Pushed | NotMade:
    """The agent's summary once its commit is on ``branch``; or why nothing was pushed."""
    llm, mirror = run.llm, run.code.mirror(refresh=True)
    assert llm is not None  # checked by _why_not
    assert mirror is not None
    try:
        job = ChangeJob(context, base, branch, progress)
        return _agent_commit(run, llm, mirror, job)
    except WorkspaceBusyError:
        return NotMade("I couldn't start: every worktree is busy. Ask again in a few minutes.")
    except PushRejectedError as error:
        return NotMade(
            f"I made the change but the push to `{branch}` was refused ({error.message})."
        )
    except WorkspaceError as error:
        return NotMade(f"I couldn't work on the code: {error.message} ({error.hint}).")


def _agent_commit(
    run: MentionRun, llm: LLM, mirror: SourceMirror, job: ChangeJob
) -> Pushed | NotMade:
    prompt = change_prompt(run.ask, job.context, prompt_file("assistant_change.md"))
    with mirror.lease_worktree(job.base.sha) as workspace:
        outcome = llm.fix(FixTask(prompt.user, instructions=prompt.system), workspace)
        record_usage(run.store, run.forge, run.mention, "assistant.change", outcome.usage)
        if outcome.stop is not FixStop.FINISHED or not outcome.changed_files:
            detail = outcome.detail or outcome.summary or outcome.stop.value
            return NotMade(f"I couldn't make the change ({outcome.stop.value}): {detail}")
        requested = f"Requested by {run.mention.author} in {run.mention.html_url or 'a comment'}"
        title = _title(run)
        if workspace.commit(f"{title}\n\n{outcome.summary}\n\n{requested}") is None:
            return NotMade("I finished without changing any file.")
        job.progress.advance(3)
        workspace.push(job.branch)
    return Pushed(outcome.summary)


def _title(run: MentionRun) -> str:
    words = " ".join(run.ask.text.split())
    short = words if len(words) <= 60 else words[:59].rstrip() + "…"
    return f"Sheriff: {short}" if short else f"Sheriff: change asked in #{run.mention.number}"


def _new_pull(run: MentionRun, base: ChangeBase, branch: str, summary: str) -> NewPullRequest:
    mention = run.mention
    where = f"[#{mention.number}]({mention.html_url})" if mention.html_url else f"#{mention.number}"
    body = "\n".join([
        f"Draft change asked of the Sheriff assistant by {mention.author} in {where}.",
        "",
        safe_markdown(summary),
        "",
        "Review it before marking it ready; Sheriff never pushes to the default branch.",
    ])  # fmt: skip
    return NewPullRequest(_title(run), head=branch, base=base.branch, body=body, draft=True)


def _proposed(run: MentionRun, pull: PullRequest, base: ChangeBase, summary: str) -> Answered:
    link = pull.html_url or f"#{pull.number}"
    text = "\n".join([
        f"I made the change on the new branch `{pull.head_ref}` and opened the draft pull "
        f"request [#{pull.number}]({link}) into `{base.branch}`. "
        f"`{base.default_branch}` is untouched; please review before merging.",
        *(["", summary] if summary else []),
    ])  # fmt: skip
    details = {"branch": pull.head_ref, "pull_request": pull.number, "base": base.branch}
    footer = f"Sheriff assistant · change by {run.llm.model_name if run.llm else '?'}"
    return Answered(
        MentionStatus.CHANGED, f"draft pull request #{pull.number}", text, footer, details
    )
