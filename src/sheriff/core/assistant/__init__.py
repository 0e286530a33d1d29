"""The @sheriff assistant's pure logic: finding a mention, reading it safely, deciding who
may ask, shaping the prompt and the answers, and the progress comment.

Flow in the app (``sheriff.app.assistant``): ``find_mention`` (on hygiene-cleaned text,
outside quotes and code) → ``ignored_author`` / ``may_trigger`` → ``parse_request`` →
progress comment (``render_working``) → context → ``assistant_prompt`` and the model's
``AssistantAnswer``, or ``deterministic_answer`` → ``render_final`` in place.
"""

from sheriff.core.assistant.answer import (
    AssistantAnswer,
    change_refusal,
    deterministic_answer,
    failure_summary,
    help_text,
    safe_markdown,
)
from sheriff.core.assistant.context import (
    ChangedFile,
    CodeExcerpt,
    FailureBrief,
    MentionContext,
    ThreadPost,
)
from sheriff.core.assistant.gate import (
    TRIGGER_PERMISSIONS,
    Author,
    Ignored,
    ignored_author,
    is_sheriff,
    may_trigger,
)
from sheriff.core.assistant.hygiene import (
    CleanText,
    clean_untrusted,
    strip_invisible,
    visible_text,
)
from sheriff.core.assistant.progress import (
    MentionSource,
    ProgressNote,
    Stage,
    progress_key,
    render_final,
    render_working,
    stage_of,
)
from sheriff.core.assistant.prompt import assistant_prompt, change_prompt, describe_failure
from sheriff.core.assistant.requests import AssistantAsk, RequestKind, parse_request
from sheriff.core.assistant.trigger import DEFAULT_TRIGGER, FoundMention, find_mention, mentions

__all__ = [
    "DEFAULT_TRIGGER",
    "TRIGGER_PERMISSIONS",
    "AssistantAnswer",
    "AssistantAsk",
    "Author",
    "ChangedFile",
    "CleanText",
    "CodeExcerpt",
    "FailureBrief",
    "FoundMention",
    "Ignored",
    "MentionContext",
    "MentionSource",
    "ProgressNote",
    "RequestKind",
    "Stage",
    "ThreadPost",
    "assistant_prompt",
    "change_prompt",
    "change_refusal",
    "clean_untrusted",
    "describe_failure",
    "deterministic_answer",
    "failure_summary",
    "find_mention",
    "help_text",
    "ignored_author",
    "is_sheriff",
    "may_trigger",
    "mentions",
    "parse_request",
    "progress_key",
    "render_final",
    "render_working",
    "safe_markdown",
    "stage_of",
    "strip_invisible",
    "visible_text",
]
