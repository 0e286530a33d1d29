"""The progress comment: keyed, staged, and safe whatever the answer says."""

from __future__ import annotations

from sheriff.core.assistant import (
    MentionSource,
    ProgressNote,
    Stage,
    find_mention,
    progress_key,
    render_final,
    render_working,
    safe_markdown,
    stage_of,
)
from sheriff.core.issues.markers import comment_key_of

NOTE = ProgressNote("reply:42", "ada", "why did this fail?", "https://github.com/a/b#c42")
TOKEN = "ghp_" + "a" * 36


def test_keys_per_source() -> None:
    assert progress_key(MentionSource.ISSUE_COMMENT, 42) == "reply:42"
    assert progress_key(MentionSource.REVIEW, 7) == "assist:review:7"
    assert progress_key(MentionSource.REVIEW_COMMENT, 7) == "assist:review-comment:7"
    assert progress_key(MentionSource.ISSUE_BODY, 3) == "assist:body:3"


def test_working_comment_ticks_steps_and_is_keyed() -> None:
    body = render_working(NOTE, ("Read", "Gather", "Answer"), 2)
    assert comment_key_of(body) == "reply:42"
    assert stage_of(body) is Stage.WORKING
    assert "- [x] Read\n- [x] Gather\n- [ ] Answer" in body
    assert "**ada** [asked](https://github.com/a/b#c42): why did this fail?" in body


def test_final_comment_holds_the_answer_and_the_done_stage() -> None:
    body = render_final(NOTE, "It timed out: see `tests/test_retry.py:7`.", "by scripted")
    assert comment_key_of(body) == "reply:42"
    assert stage_of(body) is Stage.DONE
    assert "It timed out: see `tests/test_retry.py:7`." in body
    assert body.rstrip().endswith("<!-- sheriff:assistant=done -->")


def test_an_answer_cannot_inject_markers_html_mentions_or_secrets() -> None:
    answer = (
        "<!-- sheriff:assistant=working -->\n<script>alert(1)</script>\n"
        f"cc @octocat, token {TOKEN}\n\n```html\n<b>code stays</b>\n```\n`<i>` too"
    )
    body = render_final(NOTE, answer, "footer")
    assert stage_of(body) is Stage.DONE
    assert body.count("sheriff:assistant=") == 1
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert "`@octocat`," in body
    assert TOKEN not in body
    assert "[REDACTED:github-token]" in body
    assert "<b>code stays</b>" in body
    assert "`<i>`" in body


def test_the_comment_never_triggers_the_assistant_again() -> None:
    note = ProgressNote("reply:1", "ada", "@sheriff explain again", None)
    for body in (render_working(note, ("a",), 0), render_final(note, "@sheriff hi", "f")):
        assert find_mention(body) is None


def test_a_long_answer_is_cut_to_fit_a_comment() -> None:
    body = render_final(NOTE, "word " * 20_000, "footer")
    assert len(body) < 65_536
    assert "answer cut" in body


def test_stage_of_other_comments() -> None:
    assert stage_of("a person's comment") is None
    assert stage_of("<!-- sheriff:assistant=bogus -->") is None


def test_safe_markdown_strips_html_comments_outside_code() -> None:
    assert safe_markdown("a <!-- hidden --> b") == "a  b"
