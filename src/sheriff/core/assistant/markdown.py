"""Just enough Markdown block structure to tell prose from code, quotes and comments.

``split_fenced`` cuts a text into fenced code blocks and prose, removing HTML comments
from the prose (a fence inside a comment is not a fence; ``<!--`` inside a fence is
code). ``prose_lines`` gives the lines a person wrote as their own words: not in a
fence, an indented code block, a block quote (with its lazy continuation lines) or an
inline code span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n?$")
_QUOTE = re.compile(r"^ {0,3}>")
_INDENTED = re.compile(r"^(?: {4}|\t)")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    code: bool


@dataclass(frozen=True, slots=True)
class FencedParts:
    segments: tuple[Segment, ...]
    comments: int  # HTML comments removed from the prose


def split_fenced(text: str) -> FencedParts:
    """The text as fenced code and prose segments (concatenated, they give the text back,
    less the HTML comments of the prose)."""
    lines: list[tuple[bool, str]] = []
    fence: str | None = None
    in_comment = False
    comments = 0
    for line in text.splitlines(keepends=True):
        if fence is not None:
            lines.append((True, line))
            fence = None if _closes(line, fence) else fence
            continue
        opened = None if in_comment else _FENCE.match(line)
        if opened and not (opened.group("fence")[0] == "`" and "`" in opened.group("info")):
            fence = opened.group("fence")
            lines.append((True, line))
            continue
        kept, in_comment, count = _strip_comments(line, in_comment)
        comments += count
        lines.append((False, kept))
    return FencedParts(_group(lines), comments)


def prose_lines(text: str) -> list[str]:
    """The lines of ``text`` that are a person's own prose, inline code blanked out."""
    prose = "".join(segment.text for segment in _prose_segments(text))
    kept: list[str] = []
    quoted, previous_blank, code_before = False, True, False
    for line in prose.splitlines():
        blank = not line.strip()
        if blank:
            quoted, code_before = False, False
        elif _QUOTE.match(line) or (quoted and not previous_blank):
            quoted = True
        elif _INDENTED.match(line) and (previous_blank or code_before):
            code_before = True
        else:
            code_before = False
            kept.append(line)
        previous_blank = blank
    return [CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line) for line in kept]


def _prose_segments(text: str) -> list[Segment]:
    """Prose segments, each cut from the next by a blank line where a fence was."""
    return [
        Segment("\n\n", False) if segment.code else segment
        for segment in split_fenced(text).segments
    ]


def _closes(line: str, fence: str) -> bool:
    found = _FENCE.match(line)
    if found is None or found.group("info").strip():
        return False
    candidate = found.group("fence")
    return candidate[0] == fence[0] and len(candidate) >= len(fence)


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool, int]:
    """The line without HTML comments; whether a comment is still open at its end."""
    kept: list[str] = []
    rest, count = line, 0
    while rest:
        if in_comment:
            end = rest.find("-->")
            if end < 0:
                return "".join(kept), True, count
            rest, in_comment = rest[end + 3 :], False
            continue
        start = rest.find("<!--")
        if start < 0:
            kept.append(rest)
            break
        kept.append(rest[:start])
        rest, in_comment, count = rest[start + 4 :], True, count + 1
    return "".join(kept), in_comment, count


def _group(lines: list[tuple[bool, str]]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for code, line in lines:
        if segments and segments[-1].code == code:
            segments[-1] = Segment(segments[-1].text + line, code)
        else:
            segments.append(Segment(line, code))
    return tuple(segments)
