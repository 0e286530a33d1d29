"""The marker grammar: what counts as a managed block, and what stays a person's text."""

from __future__ import annotations

import pytest

from sheriff.core.issues.markers import (
    comment_key_of,
    end_marker,
    fingerprints_in,
    labels_in_state,
    parse_marked,
    render_block,
    splice_blocks,
    start_marker,
    state_marker,
)

START, END = start_marker("summary"), end_marker("summary")


def names(text: str) -> list[str]:
    return [block.name for block in parse_marked(text).blocks]


def test_a_block_is_a_start_and_end_marker_on_lines_of_their_own() -> None:
    text = f"intro\n{START}\nmanaged\n{END}\noutro"
    marked = parse_marked(text)
    assert names(text) == ["summary"]
    assert marked.interior("summary") == "managed"


def test_markers_tolerate_spaces_and_crlf() -> None:
    text = f"intro\r\n  {START}  \r\nmanaged\r\n{END}\r\noutro"
    assert parse_marked(text).interior("summary") == "managed"


@pytest.mark.parametrize(
    "text",
    [
        f"see {START} here\nx\n{END}",  # inside a sentence
        f"> {START}\nx\n> {END}",  # quoted in a reply
        f"`{START}`\nx\n`{END}`",  # inline code
        f"{START.upper()}\nx\n{END.upper()}",  # not Sheriff's spelling
    ],
)
def test_marker_text_that_is_not_alone_on_its_line_is_plain_text(text: str) -> None:
    assert names(text) == []


def test_a_lone_pasted_start_marker_is_inert_and_swallows_nothing() -> None:
    text = f"{START}\nperson's text\n{START}\nmanaged\n{END}\nmore text"
    marked = parse_marked(text)
    assert marked.interior("summary") == "managed"
    updated = splice_blocks(text, {"summary": "new"}, ["summary"])
    assert updated == f"{START}\nperson's text\n{START}\nnew\n{END}\nmore text"


def test_a_lone_end_marker_is_inert() -> None:
    text = f"{START}\nmanaged\n{END}\nperson's text\n{END}\n"
    updated = splice_blocks(text, {"summary": "new"}, ["summary"])
    assert updated == f"{START}\nnew\n{END}\nperson's text\n{END}\n"


def test_a_marker_of_another_block_inside_a_block_breaks_it() -> None:
    # blocks never contain marker lines: nested or interleaved markers are plain text
    other = start_marker("evidence")
    text = f"{START}\n{other}\n{END}\n"
    assert names(text) == []


def test_the_first_complete_block_of_a_name_is_managed_and_later_copies_are_text() -> None:
    copy = f"```\n{START}\nold copy\n{END}\n```\n"
    text = f"{START}\nreal\n{END}\n\n{copy}"
    updated = splice_blocks(text, {"summary": "new"}, ["summary"])
    assert updated == f"{START}\nnew\n{END}\n\n{copy}"


def test_unknown_block_names_are_left_alone() -> None:
    future = f"{start_marker('flakiness')}\nkept\n{end_marker('flakiness')}"
    updated = splice_blocks(future, {"summary": "new"}, ["summary"])
    assert updated.startswith(future)
    assert names(updated) == ["flakiness", "summary"]


def test_content_that_looks_like_a_marker_is_defused_when_rendered() -> None:
    block = render_block("summary", f"a\n{END}\nb")
    assert names(block) == ["summary"]
    assert parse_marked(block).interior("summary") == "a\n&lt;!-- sheriff:summary:end -->\nb"


def test_missing_blocks_are_appended_after_a_blank_line_in_the_body_line_endings() -> None:
    assert splice_blocks("text", {"summary": "x"}, ["summary"]) == f"text\n\n{START}\nx\n{END}"
    crlf = splice_blocks("a\r\nb", {"summary": "x"}, ["summary"])
    assert crlf == f"a\r\nb\r\n\r\n{START}\r\nx\r\n{END}"
    assert splice_blocks("", {"summary": "x"}, ["summary"]) == f"{START}\nx\n{END}"


def test_replaced_content_follows_the_block_line_endings() -> None:
    text = f"{START}\r\nold\r\n{END}\r\n"
    assert splice_blocks(text, {"summary": "a\nb"}, ["summary"]) == (
        f"{START}\r\na\r\nb\r\n{END}\r\n"
    )


def test_fingerprint_markers_are_found_anywhere() -> None:
    text = "x <!-- sheriff:fingerprint=3a56659289069b1f80a7 --> y"
    assert fingerprints_in(text) == {"3a56659289069b1f80a7"}
    assert fingerprints_in("<!-- sheriff:fingerprint=not-hex -->") == frozenset()


def test_state_survives_labels_that_could_end_an_html_comment() -> None:
    labels = frozenset({"sheriff/flaky", "weird-->label", "type-check"})
    marker = state_marker(labels)
    assert marker.count("-->") == 1
    assert marker.endswith(" -->")
    assert labels_in_state(f"text\n{marker}\n") == labels


def test_unreadable_state_reads_as_no_labels() -> None:
    assert labels_in_state("<!-- sheriff:state={not json} -->") == frozenset()
    assert labels_in_state('<!-- sheriff:state={"labels":[1]} -->') == frozenset()


def test_a_comment_key_counts_only_on_the_first_line() -> None:
    assert comment_key_of("<!-- sheriff:comment=case:abc -->\nbody") == "case:abc"
    assert comment_key_of("quoted:\n<!-- sheriff:comment=case:abc -->") is None
