"""Writing the answer to a mention: help, a read-only answer from the model (with code
read through the read-only tool allow-list), or the deterministic answer when there is no
model or it failed; a change request goes to ``assistant_changes``."""

from __future__ import annotations

from sheriff.app.assistant_changes import make_change
from sheriff.app.assistant_context import MentionRun, gather_context
from sheriff.app.assistant_progress import ProgressComment
from sheriff.app.assistant_records import Answered, MentionStatus, prompt_file, record_usage
from sheriff.app.llm import LLM, LlmUsage
from sheriff.core.assistant import (
    AssistantAnswer,
    AssistantAsk,
    MentionContext,
    RequestKind,
    assistant_prompt,
    deterministic_answer,
    help_text,
)
from sheriff.errors import LLMError, SheriffError

DETERMINISTIC = "deterministic"


def answer_mention(run: MentionRun, progress: ProgressComment) -> Answered:
    """The answer to post in the progress comment (the comment is advanced on the way)."""
    ask, options = run.ask, run.options
    if ask.kind is RequestKind.HELP:
        text = help_text(options.trigger, changes=options.changes)
        return Answered(MentionStatus.ANSWERED, "help", text, _footer(None))
    context = gather_context(run)
    progress.advance(2)
    if ask.kind is RequestKind.CHANGE:
        return make_change(run, context, progress)
    if run.llm is None:
        return _deterministic(ask, context, "no language model is configured")
    return _consult(run, run.llm, context)


def _consult(run: MentionRun, llm: LLM, context: MentionContext) -> Answered:
    with run.code.reader(context.code_sha) as source:
        prompt = assistant_prompt(
            run.ask, context, prompt_file("assistant.md"), tools=source is not None
        )
        try:
            answered = llm.consult(
                prompt.user,
                AssistantAnswer,
                source,
                instructions=prompt.system,
                max_requests=run.options.max_requests,
            )
        except LLMError as error:
            spent = LlmUsage(error.model or llm.model_name, 0, error.input_tokens,
                             error.output_tokens, error.usd)  # fmt: skip
            record_usage(run.store, run.forge, run.mention, "assistant", spent)
            why = f"{llm.model_name} gave no answer ({error.message})"
            return _deterministic(run.ask, context, why)
    record_usage(run.store, run.forge, run.mention, "assistant", answered.usage)
    details = {
        "source": llm.model_name,
        "files": list(answered.output.files),
        "code_sha": context.code_sha,
        "code_tools": source is not None,
        "hidden_removed": context.hidden,
        "tokens": answered.usage.total_tokens,
    }
    footer = _footer(llm.model_name, context.code_sha, run.code.note)
    summary = f"answered ({run.ask.kind.value}) by {llm.model_name}"
    return Answered(MentionStatus.ANSWERED, summary, answered.output.answer, footer, details)


def failed_answer(error: SheriffError) -> Answered:
    """What the progress comment says when the answer could not be made (an error that
    waiting will not fix), so it never stays at "working" and the asker knows."""
    text = f"I could not finish this: {error.message}."
    if error.hint:
        text += f" {error.hint[0].upper()}{error.hint[1:]}."
    text += " A maintainer can look at Sheriff's log; asking again starts over."
    details = {"error": type(error).__name__, "message": error.message}
    return Answered(MentionStatus.FAILED, f"failed: {error}", text, _footer(None), details)


def _deterministic(ask: AssistantAsk, context: MentionContext, why: str) -> Answered:
    text = deterministic_answer(ask, context)
    details = {"source": DETERMINISTIC, "why": why, "hidden_removed": context.hidden}
    return Answered(
        MentionStatus.ANSWERED,
        f"answered ({ask.kind.value}) without a model: {why}",
        text,
        _footer(None, context.code_sha, note=why),
        details,
    )


def _footer(model: str | None, sha: str | None = None, note: str = "") -> str:
    parts = ["Sheriff assistant", f"answered by {model} (read-only)" if model else DETERMINISTIC]
    if sha:
        parts.append(f"code at {sha[:12]}")
    if note:
        parts.append(note)
    return " · ".join(parts)
