"""Finding the trigger phrase (``@sheriff`` by default) in what a person wrote.

A mention counts only in the person's own prose, as rendered: not inside an HTML comment
or hidden element, a code block or inline code, or a quote (quoting someone who asked
Sheriff is not asking again). The phrase must stand alone: ``@sheriff-bot``,
``me@sheriff.dev`` and ``@sheriffs`` are not mentions of ``@sheriff``. Case does not
matter. The request is the visible text with the first mention taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheriff.core.assistant.hygiene import CleanText, clean_untrusted
from sheriff.core.assistant.markdown import prose_lines

DEFAULT_TRIGGER = "@sheriff"
_AFTER_MENTION = re.compile(r"[,:;!]?[ \t]*")


@dataclass(frozen=True, slots=True)
class FoundMention:
    """A mention of the trigger phrase, and what the person asked."""

    request: str  # the visible text without the mention (Markdown, cleaned)
    line: str  # the prose line holding the mention, as written
    cleaned: CleanText  # the whole visible text, and what hygiene removed


def trigger_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as a standalone word, case-insensitive."""
    text = phrase.strip()
    if not text:
        raise ValueError("the trigger phrase is empty")
    return re.compile(
        rf"(?<![\w@./\\-]){re.escape(text)}(?![\w-]|\.\w)", re.IGNORECASE | re.UNICODE
    )


def find_mention(body: str, phrase: str = DEFAULT_TRIGGER) -> FoundMention | None:
    """The mention in ``body`` (as GitHub gives it), or None when there is none that counts."""
    cleaned = clean_untrusted(body)
    pattern = trigger_pattern(phrase)
    line = next((item for item in prose_lines(cleaned.text) if pattern.search(item)), None)
    if line is None:
        return None
    return FoundMention(_request_text(cleaned.text, line, pattern), line.strip(), cleaned)


def mentions(body: str, phrase: str = DEFAULT_TRIGGER) -> bool:
    """Whether ``body`` holds a mention that counts (for callers that should leave it to
    the assistant, such as the case discussion)."""
    return find_mention(body, phrase) is not None


def _request_text(text: str, line: str, pattern: re.Pattern[str]) -> str:
    """``text`` without the first counted mention; the line is found again by its content
    (inline code was blanked in ``line``, so it is matched position by position)."""
    lines = text.split("\n")
    for index, candidate in enumerate(lines):
        if len(candidate) != len(line) or not _same_outside_code(candidate, line):
            continue
        found = pattern.search(line)
        if found is None:
            break
        start, end = found.span()
        after = _AFTER_MENTION.match(candidate, end)
        rest = candidate[after.end() if after else end :]
        lines[index] = f"{candidate[:start].rstrip()} {rest}".strip(" \t,:;")
        break
    return "\n".join(lines).strip()


def _same_outside_code(candidate: str, blanked: str) -> bool:
    return all(b in (" ", a) for a, b in zip(candidate, blanked, strict=True))
