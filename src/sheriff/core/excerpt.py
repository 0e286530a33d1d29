"""Choose the lines that explain a failure, within a line budget.

The primary finding gets most of the budget (its whole block if it fits, anchored at
the line that proves it); the other findings get their anchor and a little of their
block; what is left widens the primary block with its neighbours, up to a line saying
that another test passed on either side (not context, only filler), then takes the tail
of the log. With a passing run, the lines it never printed come first, block by block,
the findings' blocks (and in them the findings' own lines) before the rest; a block that
nearly repeats one already shown waits until the end. With no finding at all, those
lines, then the tail of the log, stand in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import Excerpt, Finding, LineRange, Strength

DEFAULT_BUDGET = 50
PRIMARY_SHARE = 0.9
OTHERS_SHARE = 0.6
MAX_OTHERS = 20
NOVEL_GAP = 1
TAIL_FROM_BUDGET = 100
TAIL_SHARE = 0.2
# Two novel blocks sharing this fraction of their words (Jaccard) say the same thing.
NEAR_DUPLICATE = 0.6
_WORD = lazy_compile(r"[A-Za-z]{3,}")
# A line saying one test passed: go test, TAP, gtest, automake, jest/mocha, pytest -v,
# Gradle, unittest and cargo test.
_PASSED_TEST = lazy_compile(
    r"^\s*(?:--- PASS: |ok\s+\S+\s+(?:[\d.]+s|\(cached\))|ok \d+\b|\[\s+OK \] |PASS: "
    r"|[✓✔√] )|(?: PASSED| \.\.\. ok)(?:\s+\[\s*\d+%\])?\s*$"
)


class _Selection:
    def __init__(self, view: LogView, budget: int) -> None:
        self.view = view
        self.budget = budget
        self.lines: set[int] = set()

    @property
    def left(self) -> int:
        return self.budget - len(self.lines)

    def add(self, number: int) -> bool:
        if self.left <= 0 or number in self.lines or not self.view.has(number):
            return False
        self.lines.add(number)
        return True

    def add_all(self, numbers: Iterable[int], cap: int) -> None:
        added = 0
        for number in numbers:
            if added >= cap or self.left <= 0:
                return
            if self.add(number):
                added += 1


def choose_excerpt(
    view: LogView,
    ranked: Sequence[Finding],
    budget: int = DEFAULT_BUDGET,
    novel: Sequence[int] | None = None,
) -> Excerpt:
    """The excerpt for findings already ranked primary-first."""
    selection = _Selection(view, max(budget, 0))
    echoes = _take_novel_blocks(selection, ranked, novel) if novel else []
    if ranked:
        echoed = {number for block in echoes for number in block}
        _take_findings(selection, ranked, [n for n in novel or () if n not in echoed])
    for block in echoes:  # what a shown block already said, if room is left
        selection.add_all(block, selection.left)
    _take_tail(selection, to_a_pass=bool(ranked))
    return Excerpt(_to_ranges(selection.lines), budget)


def _take_findings(
    selection: _Selection, ranked: Sequence[Finding], novel: Sequence[int] | None
) -> None:
    primary = ranked[0]
    primary_cap = max(int(selection.budget * PRIMARY_SHARE), 1)
    selection.add(primary.anchor)
    selection.add_all(_block_lines(primary), primary_cap - 1)
    others = [
        f for f in ranked[1:] if f.strength > Strength.WEAK or primary.strength is Strength.WEAK
    ]
    others_cap = int(selection.budget * OTHERS_SHARE)
    shown = others[:MAX_OTHERS]
    per_other = max(1, min(others_cap, selection.left) // max(len(shown), 1))
    for finding in shown:
        if others_cap <= 0:
            break
        before = len(selection.lines)
        selection.add(finding.anchor)
        selection.add_all(_block_lines(finding), per_other - 1)
        others_cap -= len(selection.lines) - before
    if novel:
        near = sorted(novel, key=lambda number: abs(number - primary.anchor))
        selection.add_all(near, max(selection.left // 2, 0))
    if selection.budget >= TAIL_FROM_BUDGET:
        _take_tail(selection, int(selection.budget * TAIL_SHARE))
    _widen(selection, primary)


def distinct_errors(findings: Sequence[Finding]) -> list[Finding]:
    """The findings without those repeating an earlier one's error word for word: the
    same exception raised eight times says nothing new after the first, so the budget
    goes elsewhere. (Signatures are too coarse here: they mask the numbers that tell two
    compiler errors on the same line apart.)"""
    seen: set[tuple[str, str, str]] = set()
    distinct = []
    for finding in findings:
        key = _repeat_key(finding)
        if key not in seen:
            seen.add(key)
            distinct.append(finding)
    return distinct


def _repeat_key(finding: Finding) -> tuple[str, str, str]:
    test = finding.test.name if finding.test is not None else ""
    return (finding.kind, test, finding.message.strip())


def _block_lines(finding: Finding) -> list[int]:
    """The finding's lines: the last lines of its block first (where a traceback's
    exception or a summary sits), then nearest the anchor, later before earlier."""
    lines = {number for first, last in finding.ranges for number in range(first, last + 1)}
    ends = [last for _, last in finding.ranges if last != finding.anchor][-1:]
    rest = sorted(lines - set(ends), key=lambda n: (abs(n - finding.anchor), -n))
    return ends + rest


def _widen(selection: _Selection, primary: Finding) -> None:
    """Spend the rest of the budget on the primary block's neighbourhood, up to a line
    saying that a test passed (another test's business) on either side."""
    first = min([primary.anchor, *(start for start, _ in primary.ranges)])
    last = max([primary.anchor, *(end for _, end in primary.ranges)])
    before, after = first - 1, last + 1
    if primary.kind == "exit":  # the cause is printed before the exit line
        selection.add_all(_until_a_pass(selection.view, range(before, 0, -1)), selection.left)
        return
    view = selection.view
    after_open = before_open = True
    while selection.left > 0 and (before >= 1 or after <= view.total_lines):
        if after_open and view.has(after):
            after_open = not _passed(view, after)
            if after_open:
                selection.add(after)
        after += 1
        if selection.left > 0 and before >= 1 and (after - last) % 3 == 0:
            before_open = before_open and not _passed(view, before)
            if before_open:
                selection.add(before)
            before -= 1
        if not (after_open or before_open) or not (view.has(after) or view.has(before)):
            break


def _passed(view: LogView, number: int) -> bool:
    text = view.text(number)
    return text is not None and _PASSED_TEST.search(text) is not None


def _until_a_pass(view: LogView, numbers: Iterable[int]) -> Iterable[int]:
    for number in numbers:
        if _passed(view, number):
            return
        yield number


def _take_novel_blocks(
    selection: _Selection, ranked: Sequence[Finding], novel: Sequence[int]
) -> list[list[int]]:
    """With a passing run: lines it never printed, by block, blocks with findings first.

    Measured on cidiff and logreduce, the lines a failing run adds are nearly always
    where the error is; blocks that hold a finding come first (the primary's first),
    then the others from the end of the log up, and last those that only repeat an error
    already shown word for word (an exception raised in a loop). When a finding's blocks
    do not all fit, its own lines in all of them come before their other lines. Blocks
    without a finding that say nearly what a block already shown says (the same mirror
    list, the same settings printed again) are returned untaken: they come after the
    findings' own context.
    """
    if ranked:
        selection.add(ranked[0].anchor)
    distinct = distinct_errors(ranked)[: MAX_OTHERS + 1]
    spans = _finding_spans(distinct)
    repeats = _finding_spans(ranked)
    prioritised = sorted(
        (_block_priority(block, spans, repeats), block) for block in _novel_blocks(novel)
    )
    shown: list[frozenset[str]] = []
    echoes: list[list[int]] = []
    for touched, group in groupby(prioritised, key=lambda item: item[0][0]):
        blocks = [block for _, block in group]
        if touched < len(distinct):
            shown.extend(_block_words(selection.view, block) for block in blocks)
            selection.add_all(_finding_lines_first(blocks, distinct[touched]), selection.left)
            continue
        for block in blocks:
            if selection.left <= 0:
                return echoes
            words = _block_words(selection.view, block)
            if _echoes_any(words, shown):
                echoes.append(block)
                continue
            shown.append(words)
            selection.add_all(block, selection.left)
    return echoes


def _block_words(view: LogView, block: list[int]) -> frozenset[str]:
    """The words of a block's lines, without numbers, ids or punctuation."""
    return frozenset(
        word.lower() for number in block for word in _WORD.findall(view.text(number) or "")
    )


def _echoes_any(words: frozenset[str], shown: Sequence[frozenset[str]]) -> bool:
    """Whether a block's words are nearly those of a block already shown (Jaccard)."""
    return bool(words) and any(
        len(words & seen) >= NEAR_DUPLICATE * len(words | seen) for seen in shown
    )


def _finding_lines_first(blocks: list[list[int]], finding: Finding) -> list[int]:
    """The blocks' lines in the order the finding ranks its own lines, then the rest in
    log order: when they do not all fit, a traceback keeps its exception, not its first
    frames, and a finding split over two blocks keeps both its parts."""
    inside = {number for block in blocks for number in block}
    own = [number for number in _block_lines(finding) if number in inside]
    shown = set(own)
    return own + [number for block in blocks for number in block if number not in shown]


def _novel_blocks(novel: Sequence[int]) -> list[list[int]]:
    blocks: list[list[int]] = []
    for number in sorted(novel):
        if blocks and number - blocks[-1][-1] <= NOVEL_GAP + 1:
            blocks[-1].extend(range(blocks[-1][-1] + 1, number + 1))
        else:
            blocks.append([number])
    return blocks


def _finding_spans(findings: Sequence[Finding]) -> list[tuple[int, int, int]]:
    """(rank, first, last) for every line range of each finding, its anchor included."""
    return [
        (index, first, last)
        for index, finding in enumerate(findings)
        for first, last in ((finding.anchor, finding.anchor), *finding.ranges)
    ]


def _block_priority(
    block: list[int], spans: list[tuple[int, int, int]], repeats: list[tuple[int, int, int]]
) -> tuple[int, int, int]:
    """Blocks touching a distinct finding's lines first (best finding first), then the
    others shortest first (more distinct anomalies per line), later before earlier; last,
    blocks that only show an error already shown."""
    touching = [index for index, first, last in spans if _touches(block, first, last)]
    if touching:
        return (min(touching), 0, 0)
    repeated = any(_touches(block, first, last) for _, first, last in repeats)
    return (len(spans) + 1 + repeated, len(block), -block[-1])


def _touches(block: list[int], first: int, last: int) -> bool:
    return first - 2 <= block[-1] and block[0] <= last + 2


def _take_tail(selection: _Selection, most: int | None = None, *, to_a_pass: bool = False) -> None:
    """The last lines of the log (where CI prints its final verdict), up to ``most``;
    with ``to_a_pass``, not past a line saying that a test passed."""
    number = selection.view.total_lines
    taken = 0
    limit = selection.left if most is None else most
    while selection.left > 0 and taken < limit and number >= 1 and selection.view.has(number):
        if to_a_pass and _passed(selection.view, number):
            return
        taken += selection.add(number)
        number -= 1


def _to_ranges(lines: set[int]) -> tuple[LineRange, ...]:
    ranges: list[LineRange] = []
    for number in sorted(lines):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return tuple(ranges)
