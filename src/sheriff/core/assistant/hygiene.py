"""Prompt-injection hygiene: what a person sees in a rendered comment is all the assistant
reads.

Text from GitHub (comments, reviews, issue bodies) can hide instructions a reader never
sees: HTML comments, elements marked hidden, link reference definitions
(``[//]: # (...)``), image alt text and link titles, invisible and bidirectional-control
characters, zero-width characters, Unicode tag characters, variation selectors, and the
HTML entities that stand for them. ``clean_untrusted`` removes all of it and drops the
remaining HTML tags (keeping their visible text). Code (fenced blocks and inline spans)
renders literally, so only its invisible characters go: ``List<String>`` stays. The
result's blank runs are collapsed. What was removed is counted, so the app can audit it
and the prompt can say so.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sheriff.core.assistant.markdown import CODE_SPAN, split_fenced

_HIDDEN_ELEMENT = re.compile(
    r"<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?"
    r"(?:\shidden\b|display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0)"
    r"[^<>]*>.*?(?:</(?P=tag)\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$\n?", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\s]*(?:\s+[^()\n]*)?\)")
_LINK_TITLE = re.compile(
    r"(?P<link>\[[^\[\]\n]*\]\([^()\s]*)\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))\)"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")  # private use: removed before it is used
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)

MAX_PASSES = 8
# Characters that render as nothing although they are not format characters (Cf).
_INVISIBLE_EXTRA = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0})

_PROSE_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (_HIDDEN_ELEMENT, "", "hidden HTML element(s)"),
    (_REFERENCE_DEFINITION, "", "link reference definition(s)"),
    (_IMAGE, "[image]", "image(s) with hidden alt text"),
    (_LINK_TITLE, r"\g<link>)", "link title(s)"),
    (_TAG, "", "HTML tag(s)"),
)


@dataclass(frozen=True, slots=True)
class CleanText:
    """The visible text, and how many hidden things of each kind were removed."""

    text: str
    removed: tuple[tuple[str, int], ...] = ()

    @property
    def hid_anything(self) -> bool:
        return bool(self.removed)

    def describe(self) -> str:
        """``"1 HTML comment(s), 3 invisible character(s)"``, or "" when nothing was hidden."""
        return ", ".join(f"{count} {kind}" for kind, count in self.removed)


def clean_untrusted(text: str) -> CleanText:
    """The text as a reader of the rendered Markdown sees it (see the module docstring).
    Cleaning is repeated until nothing changes, so pieces that join into new markup once
    something between them is removed (``<!<!-- -->--``) are removed too."""
    removed: Counter[str] = Counter()
    for _ in range(MAX_PASSES):
        cleaned = _clean_once(text, removed)
        if cleaned == text:
            break
        text = cleaned
    return CleanText(text, tuple(sorted((k, n) for k, n in removed.items() if n)))


def _clean_once(text: str, removed: Counter[str]) -> str:
    text = _without_invisible(text.replace("\r\n", "\n").replace("\r", "\n"), removed)
    parts = split_fenced(text)
    removed["HTML comment(s)"] += parts.comments
    cleaned = "".join(
        segment.text if segment.code else _clean_prose(segment.text, removed)
        for segment in parts.segments
    )
    cleaned = _TRAILING_SPACE.sub("", cleaned)
    return _BLANK_RUN.sub("\n\n", cleaned).strip("\n")


def strip_invisible(text: str) -> CleanText:
    """Code, diffs and log lines render literally: only their invisible characters go
    (bidirectional controls can make code read differently from what it does)."""
    removed: Counter[str] = Counter()
    kept = _without_invisible(text.replace("\r\n", "\n").replace("\r", "\n"), removed)
    return CleanText(kept, tuple(sorted(removed.items())))


def visible_text(text: str) -> str:
    """``clean_untrusted(text).text``."""
    return clean_untrusted(text).text


def is_invisible(character: str) -> bool:
    """Renders as nothing: format (Cf: zero-width, bidi controls, tags), control (but tab
    and newline), private-use or surrogate code points, variation selectors, fillers."""
    if character in "\n\t":
        return False
    code = ord(character)
    if code in _INVISIBLE_EXTRA or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(character) in {"Cf", "Cc", "Co", "Cs"}


def _clean_prose(text: str, removed: Counter[str]) -> str:
    """Prose with its inline code spans kept literally and everything hidden removed."""
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\ue000{len(spans) - 1}\ue001"

    text = CODE_SPAN.sub(keep, text)
    for pattern, replacement, kind in _PROSE_RULES:
        text, count = pattern.subn(replacement, text)
        removed[kind] += count
    text = _ENTITY.sub(lambda match: _entity(match, removed), text)
    return _PLACEHOLDER.sub(lambda match: spans[int(match.group(1))], text)


def _entity(match: re.Match[str], removed: Counter[str]) -> str:
    """An entity that stands for an invisible character goes; others stay as written."""
    decoded = html.unescape(match.group(0))
    if decoded != match.group(0) and decoded and all(is_invisible(ch) for ch in decoded):
        removed["invisible character entit(ies)"] += 1
        return ""
    return match.group(0)


def _without_invisible(text: str, removed: Counter[str]) -> str:
    kept: list[str] = []
    for character in text:
        if is_invisible(character):
            removed["invisible character(s)"] += 1
            continue
        category = unicodedata.category(character)
        if category in {"Zl", "Zp"}:
            kept.append("\n")
        elif category == "Zs":
            kept.append(" ")
        else:
            kept.append(character)
    return "".join(kept)
