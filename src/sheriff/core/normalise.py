"""Mask the parts of a log line that change between runs of the same failure.

Used by fingerprints (the same failure hashes the same across reruns) and by the
passing-log diff (a line that differs only in a timestamp is not new).
"""

from __future__ import annotations

import re

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "<ts>"),
    (re.compile(r"\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"), "<time>"),
    (
        re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "<uuid>",
    ),
    (re.compile(r"\b0x[0-9a-f]+\b", re.I), "<addr>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b"), "<hex>"),
    (
        re.compile(
            r"(?:/tmp|/var/folders|/private/var/folders|[A-Za-z]:\\Users\\[^\\]+\\AppData\\Local\\Temp)"
            r"(?:[/\\][^\s/\\:'\")]+)+"
        ),
        "<tmp>",
    ),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<ip>"),
    (re.compile(r"(?<=[a-z\]]):\d{2,5}\b(?![:.]\d)"), ":<port>"),
    (
        re.compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds|m|min|minutes|h)\b"),
        "<dur>",
    ),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "<n>"),
    (re.compile(r"\s+"), " "),
)


def mask_volatile(text: str) -> str:
    """Replace run-specific values (times, ids, addresses, numbers) with placeholders.

    Idempotent: masking a masked text changes nothing.
    """
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text.strip()
