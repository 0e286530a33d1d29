"""The rule set every parser contributes to: triggers that stage 1 can search safely."""

from __future__ import annotations

import re

from sheriff.core.parsers import rule_set

_CHARACTER_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_BARE_ANCHOR = re.compile(r"(?<!\\)[$^]")


def test_no_trigger_anchors_to_the_ends_of_the_searched_text() -> None:
    """Stage 1 searches whole buffers of lines: a bare ``^`` or ``$`` matches only where
    a buffer happens to start or end, so what it finds would depend on how the log was
    cut. ``(?m:^)`` and ``(?m:$)`` match at every line."""
    for trigger in rule_set().triggers:
        outside_classes = _CHARACTER_CLASS.sub("", trigger)
        every_line = outside_classes.replace("(?m:^)", "").replace("(?m:$)", "")
        assert _BARE_ANCHOR.search(every_line) is None, trigger
