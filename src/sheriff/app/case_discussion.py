"""Talking on the case's issue: the analysis comment and the replies to people.

Both are grounded in the case's context pack. With an LLM, the analysis is a validated
``AnalysisResult`` and a reply an ``IssueReply``; every call's tokens and price go to the
cost ledger, a failed call's too. Without an LLM, or when the model's answers stay
invalid, Sheriff writes the deterministic analysis and a reply that points at the
evidence: an issue never waits on a model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sheriff.app.case_context import LifecycleContext, prompt_text
from sheriff.app.case_pack import build_case_pack
from sheriff.app.ports import CaseView
from sheriff.core.analysis import (
    AnalysisResult,
    ContextPack,
    deterministic_analysis,
    render_analysis,
    reply_prompt,
    reproduction_command,
    untrusted,
)
from sheriff.core.analysis import analysis_prompt as build_analysis_prompt
from sheriff.core.issues import keyed_comment
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.lifecycle import CaseFacts, PostAnalysis, ReplyToComment, analysis_key
from sheriff.errors import LLMError

DETERMINISTIC = "deterministic"


class IssueReply(BaseModel):
    """The model's answer to a person's comment (Markdown)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    body: str = Field(min_length=1, max_length=6000, description="the reply, in Markdown")


def post_analysis(
    context: LifecycleContext, view: CaseView, facts: CaseFacts, action: PostAnalysis
) -> None:
    built = build_case_pack(context, view)
    result, source, note = _analyse(context, view.fingerprint, built.pack)
    settings = context.settings
    body = render_analysis(
        built.pack, result, key=action.key, source=source, command=settings.command,
        approval_label=settings.approval_label,
    )  # fmt: skip
    if note:
        body += f"\n<sub>{untrusted(note)}</sub>\n"
    if action.comment_id is not None:
        context.forge.update_comment(action.comment_id, body)
        comment_id = action.comment_id
    else:
        comment_id = context.forge.create_comment(action.issue_number, body).comment_id
    context.audit(
        view.fingerprint,
        "analysis.post",
        f"analysis ({source}) {'edited' if action.comment_id else 'posted'} on "
        f"#{action.issue_number}",
        {
            "issue": action.issue_number,
            "comment": comment_id,
            "source": source,
            "snippets": [
                f"{item.id} {item.path}:{item.start_line}" for item in built.pack.snippets
            ],
            "failing_sha": built.failing_sha,
            "code_note": built.note,
        },
    )


def _analyse(
    context: LifecycleContext, fingerprint: str, pack: ContextPack
) -> tuple[AnalysisResult, str, str]:
    """The result, who wrote it, and a note when the model failed."""
    llm = context.llm
    if llm is None:
        return deterministic_analysis(pack), DETERMINISTIC, ""
    prompt = build_analysis_prompt(pack, prompt_text("issue_analysis.md"))
    try:
        answered = llm.analyse(prompt.user, AnalysisResult, instructions=prompt.system)
    except LLMError as error:
        context.record_failed_call(fingerprint, "analysis", error)
        context.audit(
            fingerprint,
            "llm.failed",
            f"the analysis by {llm.model_name} failed; the deterministic analysis is posted",
            {"purpose": "analysis", "error": error.message, "hint": error.hint},
        )
        note = (
            f"{llm.model_name} gave no valid analysis ({error.message}); this one is deterministic."
        )
        return deterministic_analysis(pack), DETERMINISTIC, note
    context.record_usage(fingerprint, "analysis", answered.usage)
    return _known_citations(answered.output, pack), llm.model_name, ""


def _known_citations(result: AnalysisResult, pack: ContextPack) -> AnalysisResult:
    """The result without citations of snippets the pack does not have (the adapter
    validates the shape, not the citations)."""
    known = pack.snippet_ids
    hypotheses = tuple(
        item.model_copy(update={"snippet_ids": tuple(s for s in item.snippet_ids if s in known)})
        for item in result.hypotheses
    )
    return result.model_copy(update={"hypotheses": hypotheses})


def reply_to_comment(
    context: LifecycleContext, view: CaseView, facts: CaseFacts, action: ReplyToComment
) -> None:
    built = build_case_pack(context, view)
    text, source = _reply_text(context, view.fingerprint, facts, action, built.pack)
    body = keyed_comment(action.key, text).body
    comment_id = context.forge.create_comment(action.issue_number, body).comment_id
    context.audit(
        view.fingerprint,
        "discussion.reply",
        f"answered @{action.comment.author.login} on #{action.issue_number} ({source})",
        {
            "issue": action.issue_number,
            "comment": comment_id,
            "key": action.key,
            "answers": action.comment.id,
            "source": source,
        },
    )


def _reply_text(
    context: LifecycleContext,
    fingerprint: str,
    facts: CaseFacts,
    action: ReplyToComment,
    pack: ContextPack,
) -> tuple[str, str]:
    llm = context.llm
    if llm is None:
        return deterministic_reply(pack, action.comment.author.login, facts), DETERMINISTIC
    thread, analysis = _thread(facts, action.comment.id)
    prompt = reply_prompt(
        pack, prompt_text("issue_reply.md"), question=action.comment.body,
        author=action.comment.author.login, thread=thread, analysis=analysis,
    )  # fmt: skip
    try:
        answered = llm.analyse(prompt.user, IssueReply, instructions=prompt.system)
    except LLMError as error:
        context.record_failed_call(fingerprint, "reply", error)
        context.audit(
            fingerprint,
            "llm.failed",
            f"the reply by {llm.model_name} failed; a deterministic reply is posted",
            {"purpose": "reply", "error": error.message, "hint": error.hint},
        )
        return deterministic_reply(pack, action.comment.author.login, facts), DETERMINISTIC
    context.record_usage(fingerprint, "reply", answered.usage)
    return untrusted(answered.output.body), llm.model_name


def _thread(facts: CaseFacts, before: int) -> tuple[list[tuple[str, str]], str | None]:
    """The issue's earlier comments (Sheriff's analysis apart) and the analysis itself."""
    comments = facts.issue.comments if facts.issue else ()
    key = analysis_key(facts.fingerprint)
    analysis = next((item.body for item in comments if comment_key_of(item.body) == key), None)
    thread = [
        (item.author.login, item.body)
        for item in sorted(comments, key=lambda item: item.id)
        if item.id < before and comment_key_of(item.body) != key
    ]
    return thread, analysis


def deterministic_reply(pack: ContextPack, author: str, facts: CaseFacts) -> str:
    """What Sheriff can say without a model: the evidence, how to reproduce, what next."""
    what = f"`{pack.test.qualified}`" if pack.test else f"this {pack.tool} failure"
    p_flaky = f", P(flaky) {pack.p_flaky:.2f}" if pack.p_flaky is not None else ""
    lines = [
        f"Thanks @{author}. Sheriff has no language model configured here, so it answers "
        f"with the evidence: {what} failed {pack.occurrence_count} time(s){p_flaky}.",
    ]
    lines += [f"- {untrusted(item)}" for item in pack.flaky_evidence[:3]]
    found = reproduction_command(pack.test, test_file=pack.test_file)
    if found is not None:
        lines += ["", f"Reproduce it with `{found.command}`, or repeat it: `{found.repeat}`."]
    settings = facts.settings
    lines += [
        "",
        f"The analysis above cites the code. A maintainer can approve a fix by commenting "
        f"`{settings.command}` (or `{settings.command} quarantine` to skip the test with a "
        f"link to this issue until it is fixed).",
    ]
    return "\n".join(lines)
