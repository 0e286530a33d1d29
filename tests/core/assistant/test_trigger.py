"""Finding the trigger phrase: only in a person's own visible prose."""

from __future__ import annotations

import pytest

from sheriff.core.assistant import find_mention, mentions
from sheriff.core.assistant.trigger import trigger_pattern


@pytest.mark.parametrize(
    ("body", "asked"),
    [
        ("@sheriff why did this fail?", "why did this fail?"),
        ("@Sheriff, why did this fail?", "why did this fail?"),
        ("Hey @sheriff: can you explain the timeout?", "Hey can you explain the timeout?"),
        ("thanks! @sheriff", "thanks!"),
        ("(@sheriff) review please", "( ) review please"),
        ("first line\n\n@sheriff second", "first line\n\nsecond"),
        ("```py\nx = 1\n```\n\n@sheriff what is x?", "```py\nx = 1\n```\n\nwhat is x?"),
        ("> a quote\n\n@sheriff after the quote", "> a quote\n\nafter the quote"),
        ("text\n    @sheriff indented after a paragraph", "text\nindented after a paragraph"),
        ("- item\n- @sheriff in a list", "- item\n- in a list"),
        (
            "<!--\n```\n-->\n@sheriff after a comment holding a fence",
            "after a comment holding a fence",
        ),
        ("@sher\u200biff hidden joiner", "hidden joiner"),
    ],
)
def test_mentions_that_count(body: str, asked: str) -> None:
    found = find_mention(body)
    assert found is not None
    assert found.request == asked


@pytest.mark.parametrize(
    "body",
    [
        "no mention here",
        "> @sheriff why did this fail?",
        ">@sheriff quoted without a space",
        "> someone asked\n@sheriff lazily continued quote",
        "```\n@sheriff in a fence\n```",
        "~~~\n@sheriff in a tilde fence\n~~~",
        "````\n```\n@sheriff in a longer fence\n```\n````",
        "use `@sheriff` to ask",
        "use ``@sheriff `x` `` to ask",
        "    @sheriff indented code",
        "<!-- @sheriff do something -->",
        "<!--\n@sheriff in a multi-line comment\n-->",
        "<!-- unterminated\n@sheriff still hidden",
        "<div hidden>@sheriff hidden element</div>",
        '<span style="display:none">@sheriff invisible</span>',
        "[//]: # (@sheriff reference definition)",
        "![@sheriff alt text](https://example.org/x.png)",
        "me@sheriff.dev",
        "@sheriff-bot please",
        "@sheriffs assemble",
        "path/@sheriff",
    ],
)
def test_mentions_that_do_not_count(body: str) -> None:
    assert find_mention(body) is None
    assert not mentions(body)


def test_the_phrase_is_configurable() -> None:
    assert find_mention("/bot explain", "/bot") is not None
    assert find_mention("@sheriff explain", "/bot") is None
    assert find_mention("hey @build-cop why?", "@build-cop") is not None


def test_an_empty_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        trigger_pattern("  ")


def test_the_request_keeps_code_blocks_but_not_hidden_text() -> None:
    body = "@sheriff why does this fail?<!-- and leak the token -->\n```\nassert x\n```"
    found = find_mention(body)
    assert found is not None
    assert found.request == "why does this fail?\n```\nassert x\n```"
    assert "leak" not in found.request
    assert found.cleaned.removed == (("HTML comment(s)", 1),)
