"""The markers that delimit what Sheriff manages inside an issue body or a comment.

A managed block is a start marker line, its content, and the end marker line::

    <!-- sheriff:summary:start -->
    ...
    <!-- sheriff:summary:end -->

The rules are chosen so that nothing a person types can make Sheriff overwrite their text:

- a marker counts only on a line of its own (spaces around it and a trailing CR allowed);
  inside other text, or quoted (``> <!-- ... -->``), it is plain text;
- a block is a start marker whose very next marker line is the end marker of the same
  name, so blocks never contain marker lines: a stray start or end marker a person pastes
  is inert and never swallows the text after it;
- the first block of each name is the managed one; a later complete copy is plain text;
- fenced code is not special: a complete block a person pastes inside a code fence above
  the real one becomes the managed one, and the real one is left alone as plain text.

Everything outside the managed blocks belongs to people and is kept byte for byte. Hidden
one-line markers (``<!-- sheriff:fingerprint=... -->``, ``<!-- sheriff:state=... -->``,
``<!-- sheriff:comment=... -->``) carry values; they are not block markers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

_MARKER_LINE = re.compile(
    r"(?<![ \t])[ \t]*<!--[ \t]*sheriff:(?P<name>[a-z][a-z0-9_-]*):(?P<edge>start|end)"
    r"[ \t]*-->[ \t]*\r?"
)
_FINGERPRINT = re.compile(r"<!--[ \t]*sheriff:fingerprint=(?P<value>[0-9a-f]{6,64})[ \t]*-->")
_STATE = re.compile(r"<!--[ \t]*sheriff:state=(?P<value>\{[^\n]*?\})[ \t]*-->")
_COMMENT_KEY = re.compile(r"<!--[ \t]*sheriff:comment=(?P<value>[A-Za-z0-9:._/-]+)[ \t]*-->")


def start_marker(name: str) -> str:
    return f"<!-- sheriff:{name}:start -->"


def end_marker(name: str) -> str:
    return f"<!-- sheriff:{name}:end -->"


@dataclass(frozen=True, slots=True)
class Block:
    """A managed block: the indexes of its start and end marker lines."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MarkedText:
    """A body split on ``\\n`` (a CR stays on its line) with its managed blocks."""

    lines: tuple[str, ...]
    blocks: tuple[Block, ...]

    def block(self, name: str) -> Block | None:
        return next((block for block in self.blocks if block.name == name), None)

    def interior(self, name: str) -> str | None:
        """The block's content with CRs removed, or None when the block is missing."""
        block = self.block(name)
        if block is None:
            return None
        return "\n".join(
            line.removesuffix("\r") for line in self.lines[block.start + 1 : block.end]
        )


def parse_marked(text: str) -> MarkedText:
    lines = tuple(text.split("\n"))
    markers = [
        (index, match.group("name"), match.group("edge"))
        for index, line in enumerate(lines)
        if (match := _MARKER_LINE.fullmatch(line))
    ]
    blocks: list[Block] = []
    taken: set[str] = set()
    for (index, name, edge), (next_index, next_name, next_edge) in pairwise(markers):
        if edge == "start" and next_edge == "end" and next_name == name and name not in taken:
            blocks.append(Block(name, index, next_index))
            taken.add(name)
    return MarkedText(lines, tuple(blocks))


def render_block(name: str, interior: str, eol: str = "\n") -> str:
    """A complete block; content lines that look like markers are made inert."""
    content = [_defuse(line) + eol.removesuffix("\n") for line in interior.split("\n")]
    start = start_marker(name) + eol.removesuffix("\n")
    return "\n".join([start, *content, end_marker(name)])


def splice_blocks(text: str, interiors: Mapping[str, str], order: Sequence[str]) -> str:
    """``text`` with the content of each named block replaced; blocks it lacks are appended
    at the end in ``order``. Every character outside the blocks is kept."""
    marked = parse_marked(text)
    lines = list(marked.lines)
    for block in reversed(marked.blocks):
        if block.name in interiors:
            cr = "\r" if lines[block.start].endswith("\r") else ""
            lines[block.start + 1 : block.end] = [
                _defuse(line) + cr for line in interiors[block.name].split("\n")
            ]
    kept = "\n".join(lines)
    missing = [name for name in order if name in interiors and marked.block(name) is None]
    if not missing:
        return kept
    eol = "\r\n" if "\r\n" in text else "\n"
    appended = (eol * 2).join(render_block(name, interiors[name], eol) for name in missing)
    return kept + _separator(kept, eol) + appended


def _separator(text: str, eol: str) -> str:
    """A blank line between the text and appended blocks (a trailing CR is completed, so
    the last line, maybe a marker, keeps its meaning)."""
    if not text or text.endswith(("\n\n", "\r\n\r\n")):
        return ""
    if text.endswith("\r"):
        return "\n" + eol
    return eol if text.endswith("\n") else eol * 2


def _defuse(line: str) -> str:
    """A content line that would read as a marker, shown as text instead."""
    return line.replace("<!--", "&lt;!--", 1) if _MARKER_LINE.fullmatch(line) else line


# --- hidden value markers -----------------------------------------------------------------


def fingerprint_marker(fingerprint: str) -> str:
    return f"<!-- sheriff:fingerprint={fingerprint} -->"


def fingerprints_in(text: str) -> frozenset[str]:
    return frozenset(match.group("value") for match in _FINGERPRINT.finditer(text))


def state_marker(labels: frozenset[str]) -> str:
    """Sheriff's own record (the labels it applied), safe inside an HTML comment."""
    encoded = json.dumps({"labels": sorted(labels)}, ensure_ascii=True, separators=(",", ":"))
    safe = encoded.replace("-", "\\u002d").replace(">", "\\u003e")
    return f"<!-- sheriff:state={safe} -->"


def labels_in_state(text: str) -> frozenset[str]:
    """The labels recorded by the first readable state marker in ``text``."""
    for match in _STATE.finditer(text):
        try:
            state = json.loads(match.group("value"))
        except ValueError:
            continue
        labels = state.get("labels") if isinstance(state, dict) else None
        if isinstance(labels, list) and all(isinstance(label, str) for label in labels):
            return frozenset(labels)
    return frozenset()


def comment_key_marker(key: str) -> str:
    return f"<!-- sheriff:comment={key} -->"


def comment_key_of(body: str) -> str | None:
    """The key of a comment Sheriff wrote: a key marker on the comment's first line."""
    first_line = body.split("\n", 1)[0]
    match = _COMMENT_KEY.fullmatch(first_line.strip())
    return match.group("value") if match else None
