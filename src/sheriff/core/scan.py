"""Scan a log chunk by chunk and keep bounded windows of it around candidate lines.

Memory stays bounded: chunks are fed one at a time and only windows around hits, the
head and the tail of the log (and, with a passing log, lines it never printed) are
kept. Line numbers are 1-based over lines split on ``\\r\\n``, ``\\r`` or ``\\n``,
exactly as ``bytes.splitlines`` splits them, however the input is cut into chunks.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from sheriff.core.diffing import PassingBaseline
from sheriff.core.kept_lines import MAX_KEPT_LINES, KeptLines, joined_regions, merge_regions
from sheriff.core.line_offsets import candidate_line_indices, matched_lines, spans_around
from sheriff.core.lines import LineCarry
from sheriff.core.logview import LogView, Region
from sheriff.core.rules import Hit, Rule, RuleSet, TriggerMatcher, window

__all__ = [
    "Hit",
    "LogScanner",
    "Rule",
    "RuleSet",
    "ScanResult",
    "context_lines",
    "scan_bytes",
]

HEAD_LINES = 40
TAIL_LINES = 300
NOISY_RADIUS = 40
NOISY_BEFORE = 8
NOISY_AFTER = 12
MEMO_LINES = 1 << 16
MEMO_LINE_BYTES = 1024  # longer lines are rarely repeated; their keys would cost memory
MAX_HIT_LINES = 50_000
"""Lines confirmed as hits before the scan stops confirming more. A log of a million
failing tests (or one written to be) took 40 s and 2 GB; the report names 200 failures.
Past the limit only the last ``TAIL_LINES`` lines are still examined (the summary and
the exit line are there), and the lines left unexamined are counted in the report."""
_NO_LIMIT = 1 << 62
MAX_NOVEL_LINES = 50_000
"""Lines absent from the passing log that are kept as evidence, at most."""
NOVEL_RADIUS = 2  # lines kept either side of each of them


@dataclass(slots=True)
class ScanResult:
    view: LogView
    hits: list[Hit]
    total_bytes: int
    novel: list[int] | None = None
    """Lines absent from the passing log, when one was given."""
    skipped: array[int] = field(default_factory=lambda: array("Q"))
    """Candidate lines left unexamined past ``MAX_HIT_LINES``, in order (8 bytes each)."""
    hit_regions: list[Region] = field(default_factory=list)
    """The view's lines but for those kept only around novel lines: head, tail, hits."""
    novel_regions: list[Region] = field(default_factory=list)
    """The lines kept around novel lines. Kept apart so that the parts of a split log
    join as one stream would under ``MAX_NOVEL_LINES`` (``core.parts``)."""


class LogScanner:
    """Feed raw chunks in order; ``finish`` returns the kept view and the hits."""

    def __init__(
        self,
        rules: RuleSet,
        baseline: PassingBaseline | None = None,
        matcher: TriggerMatcher | None = None,
        *,
        from_start: bool = True,
        to_end: bool = True,
    ) -> None:
        """``from_start``: the chunks begin at the log's first byte (see ``LineCarry``),
        so the first lines fed are the log's head; ``to_end``: the last chunk fed ends
        the log, so the last lines fed are its tail. A part of a split file may be
        neither: its head and tail are the log's middle, read as such."""
        self._rules = rules
        self._from_start = from_start
        self._to_end = to_end
        self._matcher: TriggerMatcher = matcher or rules
        self._baseline = baseline
        self._novel: list[int] | None = [] if baseline is not None else None
        self._carry = LineCarry(from_start=from_start)
        self._lines_before = 0
        self._total_bytes = 0
        self._kept = KeptLines()
        self._novel_kept = KeptLines()  # around lines the passing log never printed
        self._novel_before = 0  # novel lines of the log before the first line fed, at least
        self._hits: list[Hit] = []
        self._last_lines: list[bytes] = []
        # Lines carried from one buffer to the next: the tail, and every line that a hit
        # at the start of the next buffer may ask to see before it.
        self._carried = max(TAIL_LINES, NOISY_RADIUS, *(rule.before for rule in rules.rules))
        self._examined: set[int] = set()
        self._noisy_until = 0
        self._confirmed: dict[bytes, list[Hit]] = {}
        self._hit_lines = 0
        self._max_hit_lines = MAX_HIT_LINES
        self._skipped = array("Q")

    def feed(self, chunk: bytes) -> None:
        self._total_bytes += len(chunk)
        buffer = self._carry.push(chunk)
        if buffer:
            self._scan_buffer(buffer)

    def allow_hit_lines(self, count: int) -> None:
        """From now on confirm at most ``count`` more hit lines (a part of a split file
        gets its share of ``MAX_HIT_LINES`` once its leading margin is read)."""
        self._max_hit_lines = self._hit_lines + count

    @property
    def novel_count(self) -> int:
        """Novel lines found so far (0 without a passing log)."""
        return len(self._novel) if self._novel is not None else 0

    def novel_found_before(self, count: int) -> None:
        """At least ``count`` novel lines come before the first line this scanner was fed
        (a split log's earlier parts found them). Once that and what this scanner found
        make ``MAX_NOVEL_LINES``, no later line is kept as novel, so none is looked at."""
        self._novel_before = count

    @property
    def lines_read(self) -> int:
        """Lines fed so far; an unfinished last line counts as one."""
        return self._lines_before + (1 if self._carry.pending else 0)

    def finish(self) -> ScanResult:
        rest = self._carry.flush()
        if rest:
            self._scan_buffer(rest)
        total = self._lines_before
        skipped = self._skipped
        if self._to_end:
            tail = self._last_lines[-TAIL_LINES:]
            tail_base = total - len(tail)
            self._examine_log_tail(tail, tail_base)
            skipped = skipped[: bisect_right(skipped, tail_base)]  # the tail was read
        hit_regions = merge_regions(self._kept.regions)
        novel_regions = merge_regions(self._novel_kept.regions)
        view = LogView(total, joined_regions(hit_regions, novel_regions))
        unique = {(hit.number, hit.rule.id): hit for hit in self._hits}
        hits = sorted(unique.values(), key=lambda hit: hit.number)
        for hit in hits:  # stage 2 already cleaned these lines; parsers read them again
            view.remember(hit.number, hit.text)
        return ScanResult(
            view, hits, self._total_bytes, self._novel, skipped, hit_regions, novel_regions
        )

    def _examine_log_tail(self, tail: list[bytes], base: int) -> None:
        """Keep the log's last lines and look for every rule there, noisy ones too and
        whatever the limit: the summary and the exit line are there."""
        if self._limited:
            self._examine_tail(tail, base)
        self._max_hit_lines = _NO_LIMIT
        self._examine_noisy(tail, base, [(0, len(tail) - 1)])
        self._kept.keep(tail, 0, len(tail), base)

    @property
    def _limited(self) -> bool:
        """Whether lines are left unconfirmed (``MAX_HIT_LINES`` reached)."""
        return self._hit_lines >= self._max_hit_lines

    def _examine_tail(self, tail: list[bytes], base: int) -> None:
        """Confirm the candidates of the last lines, left unexamined past the limit."""
        for index in matched_lines(tail, 0, len(tail) - 1, self._matcher.candidate_offsets):
            number = base + index + 1
            if number not in self._examined:
                self._examined.add(number)
                self._hits.extend(self._hits_on(number, tail[index]))

    def _scan_buffer(self, buffer: bytes) -> None:
        """Scan one buffer of whole lines, reading the previous buffer's tail as context.

        Context windows and noisy searches cross buffer boundaries both ways (the tail
        of the previous buffer is prepended; what reaches past the end is carried), so
        the result does not depend on how the input was cut into chunks.
        """
        lines = buffer.splitlines()
        previous = self._last_lines
        extended = previous + lines
        offset = len(previous)
        base = self._lines_before - offset  # extended[0] is line base + 1
        if self._from_start and self._lines_before < HEAD_LINES:  # (buffers may be shorter)
            self._kept.keep(lines, 0, HEAD_LINES - self._lines_before, self._lines_before)
        self._kept.keep_carried(extended, base, self._lines_before + 1)
        self._novel_kept.keep_carried(extended, base, self._lines_before + 1)
        spans = self._carried_noisy_span(extended, base)
        anchors: list[int] = []
        for index in candidate_line_indices(buffer, self._matcher.candidate_offsets):
            hits = self._record(extended, index + offset, base)
            if any(not hit.rule.structural for hit in hits):
                anchors.append(index + offset)
        spans += spans_around(anchors, NOISY_RADIUS, len(extended) - 1)
        if anchors:
            self._noisy_until = max(self._noisy_until, base + anchors[-1] + 1 + NOISY_RADIUS)
        self._examine_noisy(extended, base, spans)
        if self._baseline is not None:
            self._keep_novel(extended, offset, base)
        self._last_lines = extended[-self._carried :]
        self._lines_before += len(lines)
        self._examined = {n for n in self._examined if n > self._lines_before - self._carried}

    def _carried_noisy_span(self, extended: list[bytes], base: int) -> list[tuple[int, int]]:
        first = self._lines_before + 1
        if self._noisy_until < first:
            return []
        return [(first - base - 1, min(self._noisy_until - base - 1, len(extended) - 1))]

    def _record(self, lines: list[bytes], index: int, base: int) -> list[Hit]:
        """Confirm the rules on one line; keep the hits and the context they need."""
        number = base + index + 1
        if number in self._examined:
            return []
        if self._limited:
            self._skipped.append(number)
            return []
        self._examined.add(number)
        hits = self._hits_on(number, lines[index])
        if hits:
            self._hit_lines += 1
            self._hits.extend(hits)
            before, after = window(hits)
            if self._kept.count + self._novel_kept.count > MAX_KEPT_LINES:
                before, after = min(before, 3), min(after, 3)
            self._kept.keep_window(lines, index, base, before, after)
        return hits

    def _hits_on(self, number: int, raw: bytes) -> list[Hit]:
        """The rules confirmed on one line. CI logs repeat lines (the same warning per
        file, retried commands), so a line's rules are confirmed once and reused."""
        confirmed = self._confirmed.get(raw)
        if confirmed is None:
            confirmed = self._rules.hits_on(number, raw, self._matcher)
            if len(raw) <= MEMO_LINE_BYTES:
                if len(self._confirmed) >= MEMO_LINES:
                    self._confirmed.clear()
                self._confirmed[raw] = confirmed
            return confirmed
        return [Hit(number, hit.rule, hit.text, hit.match) for hit in confirmed]

    def _examine_noisy(self, lines: list[bytes], base: int, spans: list[tuple[int, int]]) -> None:
        """Look for noisy rules inside the given spans of line indices."""
        for first, last in spans:
            for index in matched_lines(lines, first, last, self._matcher.noisy_offsets):
                number = base + index + 1
                if number in self._examined or self._limited:
                    continue
                self._examined.add(number)
                hits = self._hits_on(number, lines[index])
                if hits:
                    self._hit_lines += 1
                    self._hits.extend(hits)
                    self._kept.keep_window(lines, index, base, NOISY_BEFORE, NOISY_AFTER)

    def _keep_novel(self, extended: list[bytes], first: int, base: int) -> None:
        """Keep the lines of ``extended[first:]`` (this buffer's) that the passing log never
        printed, with two lines either side, across buffer boundaries as hits do."""
        if self._baseline is None or self._novel is None:
            return
        for index in range(first, len(extended)):
            if self._novel_before + len(self._novel) >= MAX_NOVEL_LINES:
                return
            if self._baseline.is_novel(extended[index]):
                self._novel.append(base + index + 1)
                self._novel_kept.keep_window(extended, index, base, NOVEL_RADIUS, NOVEL_RADIUS)


def context_lines(rules: RuleSet) -> int:
    """How many lines before a line can change what the scan keeps or examines there:
    a scan that starts that many lines earlier is, from that line on, in the state one
    stream from the log's start would be in (``core.parts``)."""
    return max(
        NOISY_RADIUS + NOISY_AFTER,
        *(rule.before for rule in rules.rules),
        *(rule.after for rule in rules.rules),
    )


def scan_bytes(
    data: bytes,
    rules: RuleSet,
    baseline: PassingBaseline | None = None,
    matcher: TriggerMatcher | None = None,
) -> ScanResult:
    """Scan a whole in-memory log."""
    scanner = LogScanner(rules, baseline, matcher)
    scanner.feed(data)
    return scanner.finish()
