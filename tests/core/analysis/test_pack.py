"""The context pack: labelled snippets, redaction, and the size budget."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.analysis import PackBudget, SnippetSource, build_context_pack, pack_size
from tests.core.analysis.cases import SHA, meetups_case, meetups_pack, meetups_sources

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_snippets_are_labelled_in_priority_order_with_their_place() -> None:
    pack = meetups_pack()
    assert [(s.id, s.path, s.reason) for s in pack.snippets] == [
        ("S1", "repo_test.go", "failing test"),
        ("S2", "repo_test.go", "assertion"),
    ]
    first = pack.snippets[0]
    assert (first.start_line, first.end_line) == (23, 30)
    assert first.text.splitlines()[0] == "func TestAlpha(t *testing.T) {"
    assert first.text.splitlines()[-1] == "}"
    assert pack.snippet_ids == {"S1", "S2"}
    assert pack.flaky_evidence == ("failed and passed on the same commit 9f2c4e1",)


def test_overlapping_snippets_of_a_file_are_kept_once() -> None:
    sources = meetups_sources()
    again = SnippetSource("repo_test.go", SHA, 25, "\tquery.Find(x)\n", "stack frame")
    pack = build_context_pack(meetups_case(), [*sources, again])
    assert len(pack.snippets) == 2


def test_secrets_in_code_and_logs_are_redacted() -> None:
    source = SnippetSource("ci/deploy.go", SHA, 1, f'const token = "{TOKEN}"\n', "stack frame")
    case = replace(meetups_case(), excerpt=((1, f"export GITHUB_TOKEN={TOKEN}"),))
    pack = build_context_pack(case, [source])
    assert TOKEN not in pack.snippets[0].text
    assert TOKEN not in pack.excerpt[0][1]
    assert "[REDACTED" in pack.snippets[0].text


def test_the_budget_trims_the_excerpt_then_later_snippets_never_the_first() -> None:
    big = SnippetSource("server/big.go", SHA, 1, "\n".join(f"x := {n}" for n in range(60)), "stack")
    pack = build_context_pack(
        meetups_case(), [*meetups_sources(), big], budget=PackBudget(max_chars=1_500)
    )
    assert pack.trimmed
    assert pack.snippets[0].id == "S1"
    assert pack_size(pack) <= 1_500


@given(st.integers(min_value=200, max_value=30_000), st.integers(min_value=0, max_value=8))
def test_a_pack_fits_its_budget_or_keeps_only_the_test(max_chars: int, extra: int) -> None:
    sources = [
        *meetups_sources(),
        *(
            SnippetSource(f"pkg/f{n}.go", SHA, 1, "\n".join("y" * 70 for _ in range(50)), "stack")
            for n in range(extra)
        ),
    ]
    pack = build_context_pack(meetups_case(), sources, budget=PackBudget(max_chars=max_chars))
    ids = [snippet.id for snippet in pack.snippets]
    assert ids == [f"S{n}" for n in range(1, len(ids) + 1)]
    assert len(ids) <= PackBudget().max_snippets
    assert pack_size(pack) <= max_chars or (len(pack.snippets) == 1 and not pack.excerpt)
