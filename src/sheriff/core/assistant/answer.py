"""The assistant's answers: the model's validated shape, what Sheriff says without a model,
the polite refusals, and making any answer safe to post.

Without a language model the assistant still answers usefully: the triage summary of the
linked failures (what failed, where, the failing log lines, P(flaky), where the test is
defined and how to reproduce it), or the pull request's changed files.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from sheriff.core.analysis.reproduce import reproduction_command
from sheriff.core.assistant.context import FailureBrief, MentionContext
from sheriff.core.assistant.markdown import CODE_SPAN, split_fenced
from sheriff.core.assistant.requests import AssistantAsk, RequestKind
from sheriff.core.issues.inline_markdown import code_span, fence_for, html_text, safe_link
from sheriff.core.redact import redact

MAX_ANSWER_CHARS = 20_000
SHOWN_FAILURES = 3
SHOWN_EXCERPT_LINES = 25
_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9](?:[A-Za-z0-9/_-]|\[bot\])*")


class AssistantAnswer(BaseModel):
    """The model's answer (GitHub Markdown) and the files it relied on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    answer: str = Field(
        min_length=1, max_length=MAX_ANSWER_CHARS, description="the reply, in GitHub Markdown"
    )
    files: tuple[str, ...] = Field(
        default=(), max_length=50, description="repository paths the answer is based on"
    )


def safe_markdown(text: str) -> str:
    """Model or log text made safe to post: redacted, no HTML comments (so no fake Sheriff
    markers), HTML escaped outside code, and @mentions shown as code (they cannot ping
    anyone, nor call the assistant: an invisible joiner would, once hygiene removed it)."""
    parts = split_fenced(redact(text))
    return "".join(
        segment.text if segment.code else _safe_prose(segment.text) for segment in parts.segments
    ).strip()


def deterministic_answer(ask: AssistantAsk, context: MentionContext) -> str:
    """What Sheriff can say without a model."""
    if ask.kind is RequestKind.REVIEW and context.is_pull_request:
        return "\n".join([_NO_MODEL_REVIEW, "", *_changed_files(context)])
    if context.failures:
        shown = context.failures[:SHOWN_FAILURES]
        lines = [_NO_MODEL_TRIAGE.format(count=len(context.failures), noun=context.noun)]
        for failure in shown:
            lines += ["", *failure_summary(failure)]
        return "\n".join(lines)
    if context.is_pull_request and context.changed_files:
        return "\n".join(
            [_NO_MODEL_NO_FAILURE.format(noun=context.noun), "", *_changed_files(context)]
        )
    return _NO_MODEL_NO_FAILURE.format(noun=context.noun)


def failure_summary(failure: FailureBrief) -> list[str]:
    """One failure's triage as Markdown lines."""
    title = code_span(failure.what)
    kind = f"{failure.failure_type}/{failure.sub_type}"
    job = html_text(failure.job_name or "the job")
    link = safe_link(failure.job_url or "")
    where = f"[{job}]({link})" if link else job
    at = f" at {code_span(failure.head_sha[:12])}" if failure.head_sha else ""
    lines = [f"**{title}** ({kind}, reported by {html_text(failure.tool)}) failed in {where}{at}."]
    lines.append(f"- Error: {code_span(failure.signature, 300)}")
    if failure.p_flaky is not None:
        verdict = f" ({html_text(failure.verdict)})" if failure.verdict else ""
        lines.append(
            f"- P(flaky): {failure.p_flaky:.2f}{verdict}; seen {failure.occurrences} time(s)"
        )
    if failure.test_location:
        lines.append(f"- Test defined at {code_span(failure.test_location)}")
    found = reproduction_command(failure.test) if failure.test else None
    if found is not None:
        lines.append(f"- Reproduce: {code_span(found.command, 300)}")
    lines += _excerpt(failure)
    return lines


def change_refusal(author: str, reason: str) -> str:
    return (
        f"Thanks, {author or 'and sorry'}: I can't make that change, because {reason}. "
        "I can still explain failures, answer questions about the code and review pull "
        "requests; ask me again "
        "without the change, or make the change yourself."
    )


def help_text(phrase: str, *, changes: bool) -> str:
    change = (
        f"- `{phrase} fix …` / `{phrase} please change …`: I make the change on a new branch "
        "and open a draft pull request (never on the default branch)."
        if changes
        else "- Code changes are turned off here (`assistant_changes`)."
    )
    return "\n".join([
        "I'm Sheriff, this repository's build sheriff. Mention me with a request:",
        f"- `{phrase} why did this fail?`: the failure's cause, from the log and the code.",
        f"- `{phrase} <question>`: answers about the code (I read it, I don't change it).",
        f"- `{phrase} review`: a review of the pull request's changes.",
        change,
    ])  # fmt: skip


def _safe_prose(text: str) -> str:
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\ue000{len(spans) - 1}\ue001"

    kept = CODE_SPAN.sub(keep, text.replace("\ue000", "").replace("\ue001", ""))
    escaped = _MENTION.sub(lambda match: f"`{match.group(0)}`", html_text(kept))
    return re.sub("\ue000(\\d+)\ue001", lambda match: spans[int(match.group(1))], escaped)


def _excerpt(failure: FailureBrief) -> list[str]:
    shown = failure.excerpt[:SHOWN_EXCERPT_LINES]
    if not shown:
        return []
    texts = [f"{number:>5}  {redact(text)}" for number, text in shown]
    fence = fence_for(texts)
    more = len(failure.excerpt) - len(shown)
    tail = [f"_({more} more line(s) in the log)_"] if more > 0 else []
    return ["", "<details><summary>Failing log lines</summary>", "", fence, *texts, fence,
            "", "</details>", *tail]  # fmt: skip


def _changed_files(context: MentionContext) -> list[str]:
    lines = [f"The pull request changes {len(context.changed_files)} file(s):"]
    lines += [
        f"- {code_span(item.path)} ({item.status}, +{item.additions}/-{item.deletions})"
        for item in context.changed_files[:50]
    ]
    return lines


_NO_MODEL_TRIAGE = (
    "No language model is configured for Sheriff here, so this is the triage of the "
    "{count} failure(s) linked to this {noun}, straight from the CI logs:"
)
_NO_MODEL_REVIEW = (
    "A review needs a language model, and none is configured for Sheriff here. "
    "What I can tell without one:"
)
_NO_MODEL_NO_FAILURE = (
    "No language model is configured for Sheriff here, and no CI failure triaged by Sheriff "
    "is linked to this {noun}, so I have nothing grounded to say. Mention me on a Sheriff "
    "issue or on a pull request whose checks failed, or ask a maintainer to configure a model."
)
