"""Mask the parts of a log line that change between runs of the same failure.

Used by fingerprints (the same failure hashes the same across reruns) and by the
passing-log diff (a line that differs only in a timestamp is not new).
"""

from __future__ import annotations

import re

from sheriff.core.lazy_regex import lazy_compile

# Each mask with the substrings one of which a text must hold for it to match (None: no
# cheap test), in the order they apply. Most log lines hold none of them, and most hold no
# digit at all, which every mask but the UUID, temporary-path and whitespace ones needs:
# testing for them first costs a fraction of running the eleven patterns.
_Mask = tuple[re.Pattern[str], str, tuple[str, ...] | None]
_MASKS: tuple[_Mask, ...] = (
    (
        lazy_compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"),
        "<ts>",
        (":",),
    ),
    (lazy_compile(r"\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"), "<time>", (":",)),
    (
        lazy_compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "<uuid>",
        ("-",),
    ),
    (lazy_compile(r"\b0x[0-9a-f]+\b", re.I), "<addr>", ("0x", "0X")),
    (lazy_compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b"), "<hex>", None),
    (
        lazy_compile(
            r"(?:/tmp|/var/folders|/private/var/folders|[A-Za-z]:\\Users\\[^\\]+\\AppData\\Local\\Temp)"
            r"(?:[/\\][^\s/\\:'\")]+)+"
        ),
        "<tmp>",
        ("/tmp", "/var/folders", "\\Temp"),  # noqa: S108 (text to look for, not a file)
    ),
    (lazy_compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<ip>", (".",)),
    (lazy_compile(r"(?<=[a-z\]]):\d{2,5}\b(?![:.]\d)"), ":<port>", (":",)),
    (
        lazy_compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds|m|min|minutes|h)\b"),
        "<dur>",
        None,
    ),
    (lazy_compile(r"\b\d+(?:\.\d+)?\b"), "<n>", None),
)
# The masks that can match a text without a digit (their replacements add none).
_WITHOUT_DIGITS = tuple(mask for mask in _MASKS if mask[1] in {"<uuid>", "<tmp>"})
_DIGIT = lazy_compile(r"\d")


def mask_volatile(text: str) -> str:
    """Replace run-specific values (times, ids, addresses, numbers) with placeholders,
    and runs of whitespace with one space.

    Idempotent: masking a masked text changes nothing.
    """
    for pattern, replacement, telltales in _MASKS if _DIGIT.search(text) else _WITHOUT_DIGITS:
        if telltales is None or any(telltale in text for telltale in telltales):
            text = pattern.sub(replacement, text)
    return " ".join(text.split())
