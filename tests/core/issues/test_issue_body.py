"""Managed blocks inside bodies people edit: updates touch only Sheriff's blocks."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sheriff.core.issues import (
    BLOCK_ORDER,
    BODY_LIMIT,
    AutomationStatus,
    BlockBudget,
    Verdict,
    body_changed,
    fit_body,
    managed_hash,
    parse_marked,
    render_blocks,
    render_body,
    update_body,
)
from sheriff.core.issues.issue_body import fit_comment, github_length, trimmed_budgets
from sheriff.core.issues.markers import end_marker, start_marker
from sheriff.core.repo_config import RepoSettings
from tests.core.issues.real_cases import MAINTAINER_NOTE, go_case, on_main

SETTINGS = RepoSettings()


def blocks_for(runs: int = 2, rows: int = 10, lines: int = 40) -> dict[str, str]:
    case = go_case(on_main(runs))
    return render_blocks(
        case,
        Verdict.FAILING,
        SETTINGS,
        BlockBudget(rows, lines),
        status=AutomationStatus(),
        applied=frozenset({"sheriff/managed"}),
        surface="issue",
    )


def skeleton(text: str) -> str:
    """The text with each managed block's lines replaced by one placeholder line."""
    marked = parse_marked(text)
    lines = list(marked.lines)
    for block in reversed(marked.blocks):
        if block.name in BLOCK_ORDER:
            lines[block.start : block.end + 1] = [f"\x00{block.name}"]
    return "\n".join(lines)


# --- realistic edits --------------------------------------------------------------------


def test_a_new_body_has_every_block_in_order() -> None:
    body = render_body(blocks_for())
    assert [block.name for block in parse_marked(body).blocks] == list(BLOCK_ORDER)
    assert "<!-- sheriff:fingerprint=3a56659289069b1f80a7 -->" in body


def test_a_maintainers_notes_survive_an_update_byte_for_byte() -> None:
    original = render_body(blocks_for(runs=2))
    # GitHub's web UI returns CRLF; the maintainer writes above and between the blocks
    edited = MAINTAINER_NOTE + original.replace("\n", "\r\n").replace(
        end_marker("evidence") + "\r\n", end_marker("evidence") + "\r\n\r\nSee #42 🎯\r\n"
    )
    updated = update_body(edited, blocks_for(runs=5))
    assert updated.startswith(MAINTAINER_NOTE)
    assert "\r\n\r\nSee #42 🎯\r\n" in updated
    assert skeleton(updated) == skeleton(edited)
    assert "Seen | 5 times in 5 runs" in updated.replace("\r", "")
    assert "\n" not in updated.replace("\r\n", "")  # stays CRLF throughout


def test_a_deleted_block_comes_back_at_the_end() -> None:
    body = render_body(blocks_for())
    marked = parse_marked(body)
    evidence = marked.block("evidence")
    assert evidence is not None
    lines = list(marked.lines)
    del lines[evidence.start : evidence.end + 1]
    edited = "\n".join(lines) + "\nMy own closing words."
    updated = update_body(edited, blocks_for())
    assert updated.startswith(edited)
    assert [block.name for block in parse_marked(updated).blocks][-1] == "evidence"


def test_blocks_a_person_moved_stay_where_they_were_put() -> None:
    body = render_body(blocks_for())
    marked = parse_marked(body)
    excerpt = marked.block("excerpt")
    assert excerpt is not None
    moved_lines = list(marked.lines[excerpt.start : excerpt.end + 1])
    rest = [*marked.lines[: excerpt.start], *marked.lines[excerpt.end + 1 :]]
    edited = "\n".join([*moved_lines, "", "Moved the log to the top.", *rest])
    updated = update_body(edited, blocks_for(runs=4))
    assert next(block.name for block in parse_marked(updated).blocks) == "excerpt"
    assert skeleton(updated) == skeleton(edited)


def test_an_unchanged_case_changes_nothing_even_after_crlf_conversion() -> None:
    body = render_body(blocks_for()).replace("\n", "\r\n") + "\r\n  "
    update = fit_body(body, lambda budget: blocks_for(), BlockBudget(10, 40))
    assert not update.changed
    assert update.managed_hash == managed_hash(render_body(blocks_for()))


def test_new_evidence_is_a_change_and_changes_the_hash() -> None:
    before = render_body(blocks_for(runs=2))
    after = update_body(before, blocks_for(runs=3))
    assert body_changed(before, after)
    assert managed_hash(before) != managed_hash(after)


def test_the_hash_ignores_where_blocks_are_and_what_people_wrote() -> None:
    body = render_body(blocks_for())
    assert managed_hash("Human text\n\n" + body + "\nmore") == managed_hash(body)


# --- the size limit ---------------------------------------------------------------------


def test_a_huge_body_is_trimmed_under_the_limit_and_says_so() -> None:
    human = ("Long human notes 📝 " * 3000)[:60_000]
    case = go_case(on_main(100))

    def render(budget: BlockBudget) -> dict[str, str]:
        return render_blocks(
            case,
            Verdict.FAILING,
            SETTINGS,
            budget,
            status=AutomationStatus(),
            applied=frozenset(),
            surface="issue",
        )

    update = fit_body(human, render, BlockBudget(100, 400))
    assert update.fits
    assert update.trimmed
    assert github_length(update.text) <= BODY_LIMIT
    assert update.text.startswith(human)
    assert "65,536-character limit" in update.text


def test_a_body_that_cannot_fit_is_left_alone() -> None:
    human = "x" * BODY_LIMIT
    update = fit_body(human, lambda budget: blocks_for(), BlockBudget(10, 40))
    assert not update.fits
    assert update.text == human
    assert not update.changed


def test_emoji_count_double_towards_the_limit() -> None:
    assert github_length("😕") == 2
    assert github_length("é") == 1


def test_a_managed_comment_starts_with_its_key() -> None:
    update = fit_comment("case:abc", None, lambda budget: blocks_for(), BlockBudget(10, 40))
    assert update.text.startswith("<!-- sheriff:comment=case:abc -->\n\n")
    assert update.changed


def test_budgets_shrink_rows_first_then_excerpt() -> None:
    steps = [(b.evidence_rows, b.excerpt_lines) for b in trimmed_budgets(BlockBudget(10, 40))]
    assert steps[:4] == [(10, 40), (5, 40), (2, 40), (1, 40)]
    assert steps[-1] == (0, 0)


# --- properties -------------------------------------------------------------------------

_NAMES = ["summary", "evidence", "excerpt", "status", "other"]
_marker_lines = st.builds(
    lambda name, edge, pad, cr: f"{pad}<!-- sheriff:{name}:{edge} -->{pad}{cr}",
    st.sampled_from(_NAMES),
    st.sampled_from(["start", "end"]),
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["", "\r"]),
)
_plain_lines = st.lists(
    st.sampled_from([*"ab <>!-:=`#|*\r😀é\t", "sheriff", "<!--", "-->", "sheriff:summary:"]),
    max_size=12,
).map("".join)
_bodies = st.lists(st.one_of(_marker_lines, _plain_lines), max_size=25).map("\n".join)
_contents = (  # rendered content never holds a CR
    st.lists(st.one_of(_marker_lines, _plain_lines), min_size=1, max_size=6)
    .map("\n".join)
    .map(lambda text: text.replace("\r", ""))
)
_block_sets = st.dictionaries(st.sampled_from(list(BLOCK_ORDER)), _contents, min_size=1)


@settings(max_examples=250, deadline=None)
@given(_bodies, _block_sets)
def test_update_is_idempotent(body: str, blocks: dict[str, str]) -> None:
    once = update_body(body, blocks)
    assert update_body(once, blocks) == once
    assert not body_changed(once, update_body(once, blocks))


@settings(max_examples=250, deadline=None)
@given(_bodies, _block_sets)
def test_text_outside_managed_blocks_is_kept_byte_for_byte(
    body: str, blocks: dict[str, str]
) -> None:
    before, after = skeleton(body), skeleton(update_body(body, blocks))
    assert after.startswith(before)
    # what follows is only separators and the appended blocks
    assert re.fullmatch(r"[\r\n]*(\x00[a-z]+[\r\n]*)*", after[len(before) :])


@settings(max_examples=200, deadline=None)
@given(_bodies, _block_sets)
def test_every_wanted_block_ends_up_managed_with_its_content(
    body: str, blocks: dict[str, str]
) -> None:
    marked = parse_marked(update_body(body, blocks))
    for name, content in blocks.items():
        interior = marked.interior(name)
        assert interior is not None
        assert interior.replace("&lt;!--", "<!--") == content


@settings(max_examples=200, deadline=None)
@given(_bodies, _block_sets, _block_sets)
def test_a_second_update_with_other_content_keeps_the_same_human_text(
    body: str, first: dict[str, str], second: dict[str, str]
) -> None:
    once = update_body(body, first)
    twice = update_body(once, second)
    assert skeleton(twice).startswith(skeleton(once))


def test_markers_pasted_in_human_text_do_not_break_parsing() -> None:
    pasted = (
        f"I saw this in the bot's comment:\n```\n{start_marker('summary')}\n```\n"
        f"and {end_marker('summary')} inline, then a stray\n{end_marker('evidence')}\n"
    )
    once = update_body(pasted, blocks_for())
    assert once.startswith(pasted)
    assert update_body(once, blocks_for()) == once


@settings(max_examples=150, deadline=None)
@given(st.text(), _block_sets)
def test_any_unicode_body_is_updated_idempotently_and_kept(
    body: str, blocks: dict[str, str]
) -> None:
    once = update_body(body, blocks)
    assert update_body(once, blocks) == once
    assert skeleton(once).startswith(skeleton(body))


def test_secrets_in_the_log_never_reach_the_body() -> None:
    token = "ghp_" + "A1b2C3d4" * 5
    case = go_case(
        message=f"auth failed with {token}",
        excerpt=((10, f"GITHUB_TOKEN={token}"), (11, "git clone https://ci:s3cretpass@x.io/r")),
    )
    blocks = render_blocks(
        case,
        Verdict.FAILING,
        SETTINGS,
        BlockBudget(10, 40),
        status=AutomationStatus(),
        applied=frozenset(),
        surface="issue",
    )
    body = render_body(blocks)
    assert token not in body
    assert "s3cretpass" not in body
    assert "[REDACTED:github-token]" in body


def test_backticks_in_the_log_get_a_longer_fence() -> None:
    case = go_case(excerpt=((1, "```python"), (2, "print(1)"), (3, "````")))
    blocks = render_blocks(
        case,
        Verdict.FAILING,
        SETTINGS,
        BlockBudget(10, 40),
        status=AutomationStatus(),
        applied=frozenset(),
        surface="issue",
    )
    assert "`````text\n" in blocks["excerpt"]
