"""What a person asks for: a change only on a clear ask."""

from __future__ import annotations

import pytest

from sheriff.core.assistant import RequestKind, parse_request


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", RequestKind.HELP),
        ("help", RequestKind.HELP),
        ("why did this fail?", RequestKind.EXPLAIN),
        ("explain", RequestKind.EXPLAIN),
        ("is this test flaky or broken?", RequestKind.EXPLAIN),
        ("what does fetch_with_deadline return?", RequestKind.QUESTION),
        ("where is the retry policy configured?", RequestKind.QUESTION),
        ("how should I fix this?", RequestKind.QUESTION),
        ("review", RequestKind.REVIEW),
        ("could you review this pull request?", RequestKind.REVIEW),
        ("fix the import order in tests/test_retry.py", RequestKind.CHANGE),
        ("please rename fetch to fetch_once", RequestKind.CHANGE),
        ("Can you add a retry to fetch_with_deadline?", RequestKind.CHANGE),
        ("could you make the deadline configurable", RequestKind.CHANGE),
        ("open a draft PR that raises the deadline", RequestKind.CHANGE),
        ("fix this?", RequestKind.QUESTION),
    ],
)
def test_request_kinds(text: str, kind: RequestKind) -> None:
    ask = parse_request(text)
    assert ask.kind is kind
    assert ask.text == text.strip()
    assert ask.kind.read_only is (kind is not RequestKind.CHANGE)
