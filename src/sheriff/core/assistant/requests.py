"""What a person asks the assistant for: explain a failure, answer about the code, review a
pull request, change the code, or say what it can do.

The first word after the mention decides when it is a known command (``@sheriff review``,
``@sheriff fix the import``); otherwise the wording does. Only a request to *do*
something is a change request ("can you fix…", "please rename…", "open a PR that…");
"how should I fix this?" asks for advice and is a question. When in doubt the request is
read-only: a change needs a clear ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class RequestKind(StrEnum):
    EXPLAIN = "explain_failure"
    QUESTION = "question"
    REVIEW = "review"
    CHANGE = "change"
    HELP = "help"

    @property
    def read_only(self) -> bool:
        return self is not RequestKind.CHANGE


@dataclass(frozen=True, slots=True)
class AssistantAsk:
    kind: RequestKind
    text: str  # the request as the person wrote it (cleaned), without the mention


_CHANGE_VERBS = (
    "fix|change|implement|apply|update|refactor|rename|add|remove|delete|write|create|make"
    "|bump|push|commit|patch|revert|replace|move|quarantine|skip|disable|enable|raise|lower"
    "|increase|decrease|reduce|extend|set|convert|migrate|upgrade|downgrade|split|format"
    "|sort|reorder|simplify|clean|rewrite|edit|modify|adjust|tweak|improve|optimize|optimise"
    "|correct|port"
)
_FIRST_WORDS: dict[str, RequestKind] = {
    **dict.fromkeys(("help", "usage", "commands", "?"), RequestKind.HELP),
    **dict.fromkeys(("review", "reviews"), RequestKind.REVIEW),
    **dict.fromkeys(
        ("explain", "why", "triage", "diagnose", "analyse", "analyze"), RequestKind.EXPLAIN
    ),
    **dict.fromkeys(_CHANGE_VERBS.split("|"), RequestKind.CHANGE),
}  # fmt: skip
_ASKED_TO_CHANGE = re.compile(
    rf"\b(?:please|pls|kindly|can you|could you|would you|will you|go ahead and|i want you to"
    rf"|i'd like you to|you should)\s+(?:\w+\s+)?(?:{_CHANGE_VERBS})\b",
    re.IGNORECASE,
)
_ASKED_FOR_PULL = re.compile(
    r"\b(?:open|make|create|raise|send|prepare|submit)\s+(?:a|an|the)?\s*"
    r"(?:draft\s+)?(?:pr|pull request|patch|branch|commit)\b",
    re.IGNORECASE,
)
_REVIEW = re.compile(r"\breview\b", re.IGNORECASE)
_FAILURE = re.compile(
    r"\b(?:why|fail(?:s|ed|ing|ure)?|flak(?:y|e|iness)|broke|broken|break(?:s|ing)?|error"
    r"|red|root cause|explain|crash(?:ed|es)?|timed? ?out)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w?']+")


def parse_request(text: str) -> AssistantAsk:
    """The kind of ``text`` (the request without the mention)."""
    stripped = text.strip()
    words = _WORD.findall(stripped[:200].casefold())
    if not words:
        return AssistantAsk(RequestKind.HELP, stripped)
    first = _FIRST_WORDS.get(words[0])
    if first is not None and not (first is RequestKind.CHANGE and stripped.endswith("?")):
        return AssistantAsk(first, stripped)
    return AssistantAsk(_kind_from_wording(stripped), stripped)


def _kind_from_wording(text: str) -> RequestKind:
    if _ASKED_TO_CHANGE.search(text) or _ASKED_FOR_PULL.search(text):
        return RequestKind.CHANGE
    if _REVIEW.search(text):
        return RequestKind.REVIEW
    if _FAILURE.search(text):
        return RequestKind.EXPLAIN
    return RequestKind.QUESTION
