"""Keyed comments: two scans never post the same comment twice."""

from __future__ import annotations

import pytest

from sheriff.core.issues import CommentAction, CommentSnapshot, decide_comment, keyed_comment


def test_a_new_comment_is_posted() -> None:
    wanted = keyed_comment("case:abc", "hello")
    assert decide_comment(wanted, []).action is CommentAction.POST
    assert wanted.body == "<!-- sheriff:comment=case:abc -->\nhello"


def test_the_same_comment_is_kept_not_posted_again() -> None:
    wanted = keyed_comment("case:abc", "hello")
    existing = [
        CommentSnapshot(1, "thanks!", "kenny"),
        CommentSnapshot(2, wanted.body, "sheriff[bot]"),
    ]
    decision = decide_comment(wanted, existing, sheriff_login="sheriff[bot]")
    assert (decision.action, decision.comment_id) == (CommentAction.KEEP, 2)


def test_a_changed_managed_comment_is_edited_in_place() -> None:
    old = keyed_comment("case:abc", "old evidence")
    new = keyed_comment("case:abc", "new evidence")
    decision = decide_comment(new, [CommentSnapshot(7, old.body, "sheriff[bot]")])
    assert (decision.action, decision.comment_id) == (CommentAction.EDIT, 7)


def test_crlf_and_trailing_spaces_are_not_a_change() -> None:
    wanted = keyed_comment("case:abc", "line one\nline two")
    stored = wanted.body.replace("\n", "\r\n") + "  \r\n"
    assert decide_comment(wanted, [CommentSnapshot(7, stored, "bot")]).action is CommentAction.KEEP


def test_a_one_off_notice_is_never_edited() -> None:
    posted = keyed_comment("reopen:abc:1.1", "Reopened because ...", editable=False)
    wanted = keyed_comment("reopen:abc:1.1", "Reopened, new wording", editable=False)
    decision = decide_comment(wanted, [CommentSnapshot(3, posted.body, "bot")])
    assert decision.action is CommentAction.KEEP


def test_a_person_quoting_the_key_is_not_mistaken_for_sheriff() -> None:
    wanted = keyed_comment("case:abc", "hello")
    quoted = CommentSnapshot(4, wanted.body, "kenny")  # copied the raw markdown
    assert (
        decide_comment(wanted, [quoted], sheriff_login="sheriff[bot]").action is CommentAction.POST
    )
    assert decide_comment(wanted, [CommentSnapshot(5, "> " + wanted.body, "bot")]).action is (
        CommentAction.POST
    )


def test_the_oldest_of_duplicates_is_the_one_edited() -> None:
    wanted = keyed_comment("case:abc", "new")
    dupes = [CommentSnapshot(9, keyed_comment("case:abc", "b").body, "bot"),
             CommentSnapshot(8, keyed_comment("case:abc", "a").body, "bot")]  # fmt: skip
    assert decide_comment(wanted, dupes).comment_id == 8


def test_keys_are_restricted_to_marker_safe_characters() -> None:
    with pytest.raises(ValueError, match="invalid comment key"):
        keyed_comment("case --> x", "text")
