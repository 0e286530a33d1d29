"""Rules say which lines are worth a parser's attention; a RuleSet finds them fast.

Stage 1 runs one combined RE2 pattern (linear time, no backtracking) over the raw bytes
of a chunk and yields one candidate per line. Stage 2 names the triggers that fired on
a candidate with an RE2 set and confirms each rule with its precise stdlib pattern on
the cleaned line.

Noisy rules (generic words such as "error") are not searched in stage 1: they are
looked for only near lines other rules found, and at the end of the log. Measured on
LogChunks, generic error lines far from any specific signal were noise more often than
cause, and skipping them keeps huge logs fast.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import re2

from sheriff.core.logview import line_text

_RE2_MAX_MEM = 256 << 20
_NEVER = r"\x00\x01never"  # RE2 needs at least one pattern


class LinePattern(Protocol):
    """What confirms a rule on a cleaned line: a compiled ``re`` pattern, or any object
    that searches the same way and returns a match of the line."""

    def search(self, string: str, /) -> re.Match[str] | None: ...


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of line worth looking at.

    ``trigger`` is an RE2 pattern searched (unanchored) in the raw line bytes; it must
    be cheap and specific. ``line`` is the precise pattern searched in the cleaned line;
    None means the trigger alone is enough. ``before``/``after`` say how many lines of
    context parsers need around such a line. A ``noisy`` rule fires on common words and
    is only looked for near other hits. A ``structural`` rule marks structure (where a
    command starts), not a failure, and draws no noisy search around it.
    """

    id: str
    trigger: str
    line: LinePattern | None = None
    before: int = 30
    after: int = 60
    noisy: bool = False
    structural: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A line on which a rule's precise pattern matched."""

    number: int
    rule: Rule
    text: str
    match: re.Match[str] | None


def _options() -> re2.Options:
    """RE2 options for triggers: a trigger never matches across a line break."""
    options = re2.Options()
    options.max_mem = _RE2_MAX_MEM
    options.never_nl = True
    return options


def _compile(triggers: Sequence[str]) -> re2._Regexp:
    combined = "|".join(f"(?:{trigger})" for trigger in triggers) or _NEVER
    return re2.compile(combined.encode(), _options())


class TriggerMatcher(Protocol):
    """Finds where triggers match; ``RuleSet`` is the reference (RE2) implementation.

    A faster engine may stand in for stage 1 as long as it reports at least every line
    RE2 reports (extra candidate lines are harmless: ``fired`` confirms them line by line)
    and ``fired`` returns exactly the triggers RE2 finds on one line.
    """

    def candidate_offsets(self, buffer: bytes) -> Iterable[int]:
        """Increasing offsets, each inside a line where a specific trigger may match."""
        ...

    def noisy_offsets(self, text: bytes) -> Iterable[int]:
        """Increasing offsets, each inside a line where a noisy trigger may match."""
        ...

    def fired(self, raw: bytes) -> Collection[int]:
        """Indices (into ``RuleSet.triggers``) of every trigger matching one line."""
        ...


class RuleSet:
    """The compiled union of every rule's trigger."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        triggers = list(dict.fromkeys(rule.trigger for rule in self.rules))
        self.triggers: tuple[str, ...] = tuple(triggers)
        self._rules_by_trigger = [
            [rule for rule in self.rules if rule.trigger == trigger] for trigger in triggers
        ]
        noisy = {rule.trigger for rule in self.rules if rule.noisy}
        self.noisy_triggers = frozenset(noisy)
        specific = [trigger for trigger in triggers if trigger not in noisy]
        self._specific = _compile(specific) if specific else None
        self._noisy = _compile(sorted(noisy)) if noisy else None
        self._set = re2.Set.SearchSet(_options())
        for trigger in triggers or [_NEVER]:
            self._set.Add(trigger.encode())
        self._set.Compile()

    def candidate_offsets(self, buffer: bytes) -> Iterator[int]:
        """Where specific triggers match (a line may hold several)."""
        if self._specific is not None:
            for match in self._specific.finditer(buffer):
                yield match.start()

    def noisy_offsets(self, text: bytes) -> Iterator[int]:
        """Where noisy triggers match in ``text``."""
        if self._noisy is not None:
            for match in self._noisy.finditer(text):
                yield match.start()

    def fired(self, raw: bytes) -> Collection[int]:
        """Indices of every trigger (specific or noisy) matching one line."""
        indices: list[int] = self._set.Match(raw)
        return indices

    def hits_on(self, number: int, raw: bytes, matcher: TriggerMatcher | None = None) -> list[Hit]:
        """Every rule that matches one line, confirmed on its cleaned text."""
        indices = (matcher or self).fired(raw)
        if not indices:
            return []
        text = line_text(raw)
        hits: list[Hit] = []
        for index in sorted(indices):
            for rule in self._rules_by_trigger[index]:
                match = rule.line.search(text) if rule.line is not None else None
                if rule.line is None or match is not None:
                    hits.append(Hit(number, rule, text, match))
        return hits


def window(hits: Iterable[Hit]) -> tuple[int, int]:
    """The widest context any of these hits asks for."""
    before = after = 0
    for hit in hits:
        before = max(before, hit.rule.before)
        after = max(after, hit.rule.after)
    return before, after
