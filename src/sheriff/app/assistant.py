"""Use case: answer one @sheriff mention (seed 000's ``claude.yml``, made safe).

``handle_mention`` is what the webhook layer calls for an issue or pull-request comment,
a review, a review comment, or an issue or pull-request body:

1. the phrase must be in the person's own visible prose (``core.assistant.find_mention``:
   not in a quote, code, an HTML comment or hidden text);
2. bots and Sheriff itself are ignored; a person needs write, maintain or admin
   permission, looked up now (``Forge.permission_of``); a refusal is audited, and no
   comment is written;
3. one progress comment (keyed, so a redelivery finds it) is posted at once and edited in
   place until it holds the answer;
4. read-only by default: the answer is grounded in the issue or pull request, the
   failures Sheriff triaged for it, and code read at one commit through the read-only
   tool allow-list (``LLM.consult``); without a model, the triage summary;
5. a change only when asked and ``assistant_changes`` is on: on a new branch with a
   draft pull request, never on the default branch (``sheriff.app.assistant_changes``).

Everything posted is redacted and escaped; everything sent to the model went through
``clean_untrusted`` and ``redact``. Every outcome is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheriff.app.assistant_answers import answer_mention, failed_answer
from sheriff.app.assistant_code import RepositoryCode
from sheriff.app.assistant_context import MentionRun
from sheriff.app.assistant_progress import ProgressComment
from sheriff.app.assistant_records import (
    ASSISTANT_ACTOR,
    AssistantOptions,
    AssistantStore,
    Mention,
    MentionStatus,
    MirrorOpener,
    audit_mention,
)
from sheriff.app.forge import Forge
from sheriff.app.llm import LLM
from sheriff.app.ports import JsonObject
from sheriff.core.assistant import (
    Author,
    Ignored,
    find_mention,
    ignored_author,
    may_trigger,
    parse_request,
)
from sheriff.errors import RETRYABLE_ERRORS, InputError, SheriffError

__all__ = [
    "ASSISTANT_ACTOR",
    "AssistantOptions",
    "AssistantStore",
    "Mention",
    "MentionOutcome",
    "MentionStatus",
    "MirrorOpener",
    "handle_mention",
]


@dataclass(frozen=True, slots=True)
class MentionOutcome:
    """What ``handle_mention`` did, for the caller's audit entry and logs."""

    status: MentionStatus
    summary: str
    comment_id: int | None = None  # the progress comment
    details: JsonObject = field(default_factory=dict)


def handle_mention(
    mention: Mention,
    forge: Forge,
    store: AssistantStore,
    options: AssistantOptions,
    *,
    llm: LLM | None = None,
    mirrors: MirrorOpener | None = None,
) -> MentionOutcome:
    """Answer ``mention`` if it calls the assistant and its author may; idempotent (a
    redelivered or retried mention finds its progress comment and does not answer twice)."""
    if mention.repo.casefold() != forge.write_repo.casefold():
        raise InputError(
            f"a mention in {mention.repo} was passed with the forge of {forge.write_repo}",
            hint="open the forge bound to the repository the mention was written in",
        )
    if not options.enabled:
        return MentionOutcome(MentionStatus.DISABLED, "the assistant is turned off")
    found = find_mention(mention.body, options.trigger)
    if found is None:
        return MentionOutcome(MentionStatus.NO_MENTION, f"no {options.trigger} mention")
    refusal = _refusal(mention, forge, store, options)
    if refusal is not None:
        return refusal
    ask = parse_request(found.request)
    code = RepositoryCode(forge, mirrors)
    return _answer(MentionRun(mention, found, ask, forge, store, options, llm, code))


def _refusal(
    mention: Mention, forge: Forge, store: AssistantStore, options: AssistantOptions
) -> MentionOutcome | None:
    """Why the mention gets no answer (audited, except Sheriff's own), or None."""
    author = Author(mention.author, mention.author_is_bot)
    ignored = ignored_author(author, options.own_login, mention.body)
    if ignored is Ignored.SHERIFF:
        return MentionOutcome(MentionStatus.IGNORED, ignored.value)
    if ignored is not None:
        audit_mention(store, forge, mention, "assistant.ignored", ignored.value)
        return MentionOutcome(MentionStatus.IGNORED, f"{ignored.value} ({mention.author})")
    login = mention.author or ""
    permission = forge.permission_of(login).value
    if may_trigger(permission):
        return None
    reason = f"@{login} has {permission} permission; write, maintain or admin may ask"
    audit_mention(store, forge, mention, "assistant.refused", reason, permission=permission)
    return MentionOutcome(MentionStatus.REFUSED, reason, details={"permission": permission})


def _answer(run: MentionRun) -> MentionOutcome:
    forge, mention = run.forge, run.mention
    progress = ProgressComment.open(forge, mention, run.ask, run.options.own_login)
    if progress is None:
        return MentionOutcome(MentionStatus.ALREADY_ANSWERED, "answered before")
    try:
        answered = answer_mention(run, progress)
    except RETRYABLE_ERRORS:
        raise  # the worker retries after a pause; the retry takes this comment over
    except SheriffError as error:  # the event still goes on (its reconcile, its audit)
        answered = failed_answer(error)
    comment_id = progress.finish(answered.text, answered.footer)
    details: JsonObject = {"kind": run.ask.kind.value, "comment": comment_id, **answered.details}
    status = answered.status
    action = f"assistant.{status.value}"
    audit_mention(run.store, forge, mention, action, answered.summary, **details)
    return MentionOutcome(status, answered.summary, comment_id, details)
