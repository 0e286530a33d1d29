"""Find candidate lines fast, then keep bounded windows of the log around them.

Stage 1 runs one combined RE2 pattern (linear time, no backtracking) over the raw bytes
of a chunk. Stage 2 names which rule triggered on each candidate line with an RE2 set
and confirms it with the rule's precise stdlib pattern on the cleaned line. Memory stays
bounded: chunks are fed one at a time and only windows around candidates, plus the head
and tail of the log, are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import re2

from sheriff.core.diffing import PassingBaseline
from sheriff.core.logview import LogView, Region, decode
from sheriff.core.noise import clean_line

HEAD_LINES = 40
TAIL_LINES = 300
MAX_KEPT_LINES = 250_000
_RE2_MAX_MEM = 256 << 20


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of line worth looking at.

    ``trigger`` is an RE2 pattern searched (unanchored) in the raw line bytes; it must
    be cheap and broad enough. ``line`` is the precise pattern searched in the cleaned
    line; None means the trigger alone is enough. ``before``/``after`` say how many
    lines of context parsers need around such a line.
    """

    id: str
    trigger: str
    line: re.Pattern[str] | None = None
    before: int = 30
    after: int = 60


@dataclass(frozen=True, slots=True)
class Hit:
    """A line on which a rule's precise pattern matched."""

    number: int
    rule: Rule
    text: str
    match: re.Match[str] | None


class RuleSet:
    """The compiled union of every rule's trigger."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        triggers = list(dict.fromkeys(rule.trigger for rule in self.rules))
        self._rules_by_trigger: list[list[Rule]] = [
            [rule for rule in self.rules if rule.trigger == trigger] for trigger in triggers
        ]
        self._empty = not triggers
        options = re2.Options()
        options.max_mem = _RE2_MAX_MEM
        triggers = triggers or [r"\x00\x01never"]  # RE2 needs one pattern
        combined = "|".join(f"(?:{trigger})" for trigger in triggers)
        self._combined = re2.compile(combined.encode(), options)
        self._set = re2.Set.SearchSet(options)
        for trigger in triggers:
            self._set.Add(trigger.encode())
        self._set.Compile()
        self._context = max((rule.after for rule in self.rules), default=0)

    def candidate_offsets(self, buffer: bytes) -> list[int]:
        """Byte offsets of every trigger match in ``buffer``."""
        if self._empty:
            return []
        return [match.start() for match in self._combined.finditer(buffer)]

    def hits_on(self, number: int, raw: bytes) -> list[Hit]:
        """Every rule that matches one line, confirmed on its cleaned text."""
        indices = self._set.Match(raw)
        if not indices:
            return []
        text = clean_line(decode(raw))
        hits: list[Hit] = []
        for index in sorted(indices):
            for rule in self._rules_by_trigger[index]:
                match = rule.line.search(text) if rule.line is not None else None
                if rule.line is None or match is not None:
                    hits.append(Hit(number, rule, text, match))
        return hits

    def window(self, hits: Iterable[Hit]) -> tuple[int, int]:
        """The widest context any of these hits asks for."""
        before = after = 0
        for hit in hits:
            before = max(before, hit.rule.before)
            after = max(after, hit.rule.after)
        return before, after


@dataclass(slots=True)
class ScanResult:
    view: LogView
    hits: list[Hit]
    total_bytes: int
    novel: list[int] | None = None
    """Lines absent from the passing log, when one was given."""


class LogScanner:
    """Feed raw chunks in order; ``finish`` returns the kept view and the hits."""

    def __init__(self, rules: RuleSet, baseline: PassingBaseline | None = None) -> None:
        self._rules = rules
        self._baseline = baseline
        self._novel: list[int] | None = [] if baseline is not None else None
        self._carry = b""
        self._lines_before = 0
        self._total_bytes = 0
        self._regions: list[Region] = []
        self._kept = 0
        self._hits: list[Hit] = []
        self._last_lines: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        self._total_bytes += len(chunk)
        buffer = self._carry + chunk if self._carry else chunk
        cut = _last_complete_line_end(buffer)
        self._carry = buffer[cut:]
        if cut:
            self._scan_buffer(buffer[:cut])

    def finish(self) -> ScanResult:
        if self._carry:
            self._scan_buffer(self._carry)
            self._carry = b""
        total = self._lines_before
        tail_first = total - len(self._last_lines) + 1
        self._keep(Region(tail_first, self._last_lines))
        view = LogView(total, _merge_regions(self._regions))
        return ScanResult(view, self._hits, self._total_bytes, self._novel)

    def _scan_buffer(self, buffer: bytes) -> None:
        lines = buffer.splitlines()
        base = self._lines_before
        if base == 0:
            self._keep(Region(1, lines[:HEAD_LINES]))
        for index in self._candidate_line_indices(buffer):
            number = base + index + 1
            hits = self._rules.hits_on(number, lines[index])
            if not hits:
                continue
            self._hits.extend(hits)
            before, after = self._rules.window(hits)
            if self._kept > MAX_KEPT_LINES:
                before, after = min(before, 3), min(after, 3)
            start = max(index - before, 0)
            self._keep(Region(base + start + 1, lines[start : index + after + 1]))
        if self._baseline is not None:
            self._keep_novel(lines, base)
        self._last_lines = (self._last_lines + lines)[-TAIL_LINES:]
        self._lines_before += len(lines)

    def _keep_novel(self, lines: list[bytes], base: int) -> None:
        if self._baseline is None or self._novel is None:
            return
        for index, raw in enumerate(lines):
            if self._baseline.is_novel(raw):
                self._novel.append(base + index + 1)
                start = max(index - 2, 0)
                self._keep(Region(base + start + 1, lines[start : index + 3]))

    def _candidate_line_indices(self, buffer: bytes) -> list[int]:
        """0-based indices, within ``buffer``'s lines, of lines holding a candidate."""
        indices: list[int] = []
        position = 0
        line_index = 0
        line_end = -1
        for offset in self._rules.candidate_offsets(buffer):
            if offset <= line_end:
                continue
            line_index += _count_breaks(buffer, position, offset)
            position = offset
            indices.append(line_index)
            line_end = _line_end(buffer, offset)
        return indices

    def _keep(self, region: Region) -> None:
        if not region.lines:
            return
        previous_first = self._regions[-1].first if self._regions else -1
        if self._regions and previous_first <= region.first <= self._regions[-1].last + 1:
            previous = self._regions[-1]
            overlap = previous.last - region.first + 1
            if overlap >= len(region.lines):
                return
            added = region.lines[max(overlap, 0) :]
            previous.lines.extend(added)
            self._kept += len(added)
            return
        self._regions.append(Region(region.first, list(region.lines)))
        self._kept += len(region.lines)


def _count_breaks(buffer: bytes, start: int, end: int) -> int:
    """Line breaks (``\\r\\n``, ``\\r`` or ``\\n``) in ``buffer[start:end]``."""
    breaks = buffer.count(b"\n", start, end) + buffer.count(b"\r", start, end)
    crlf = buffer.count(b"\r\n", start, end)
    if end < len(buffer) and end > start and buffer[end - 1 : end + 1] == b"\r\n":
        crlf += 1  # the \r just before ``end`` pairs with the \n at ``end``
    return breaks - crlf


def _line_end(buffer: bytes, offset: int) -> int:
    ends = [
        found for found in (buffer.find(b"\n", offset), buffer.find(b"\r", offset)) if found >= 0
    ]
    return min(ends) if ends else len(buffer)


def _last_complete_line_end(buffer: bytes) -> int:
    """Where the last complete line ends; a trailing ``\\r`` waits for a possible ``\\n``."""
    newline = buffer.rfind(b"\n")
    carriage = buffer.rfind(b"\r", 0, len(buffer) - 1)
    return max(newline, carriage) + 1


def _merge_regions(regions: list[Region]) -> list[Region]:
    merged: list[Region] = []
    for region in sorted(regions, key=lambda item: item.first):
        if merged and region.first <= merged[-1].last + 1:
            previous = merged[-1]
            overlap = previous.last - region.first + 1
            if overlap < len(region.lines):
                previous.lines.extend(region.lines[max(overlap, 0) :])
            continue
        merged.append(Region(region.first, list(region.lines)))
    return merged


def scan_bytes(data: bytes, rules: RuleSet, baseline: PassingBaseline | None = None) -> ScanResult:
    """Scan a whole in-memory log."""
    scanner = LogScanner(rules, baseline)
    scanner.feed(data)
    return scanner.finish()
