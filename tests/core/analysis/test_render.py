"""The managed analysis comment: complete, safe with untrusted text, bounded in size."""

from __future__ import annotations

from syrupy.assertion import SnapshotAssertion

from sheriff.core.analysis import (
    COMMENT_LIMIT,
    AnalysisResult,
    Hypothesis,
    PackBudget,
    Reproduction,
    SnippetSource,
    build_context_pack,
    deterministic_analysis,
    render_analysis,
)
from sheriff.core.issues.markers import comment_key_of
from tests.core.analysis.cases import SHA, meetups_case, meetups_pack, meetups_sources

KEY = "analysis:" + "ab12" * 4


def test_the_deterministic_comment_for_a_real_failure(snapshot: SnapshotAssertion) -> None:
    pack = meetups_pack()
    body = render_analysis(pack, deterministic_analysis(pack), key=KEY, source="deterministic")
    assert comment_key_of(body) == KEY
    assert "go test github.com/avelino/awesome-go" not in body  # the file gives the package
    assert "go test . -run '^TestAlpha$/^Meetups$' -count=1" in body
    assert "**S1** `repo_test.go` at `9f2c4e1`, lines 23–30 (failing test)" in body
    assert (
        "- [ ] Approve a fix: comment `/ai-fix` or add the label `sheriff/ai-fix-approved`." in body
    )
    assert body == snapshot


def test_untrusted_text_cannot_inject_html_mentions_or_break_fences() -> None:
    pack = meetups_pack()
    result = AnalysisResult(
        summary="<img src=x onerror=alert(1)> cc @octocat and @tikv/maintainers",
        hypotheses=(
            Hypothesis(
                title="x```y", explanation="<!-- sheriff:summary:start -->", likelihood="low"
            ),
        ),
        reproduction=Reproduction(command="echo ````; go test ./..."),
        fix_plan=("Do it",),
    )
    body = render_analysis(pack, result, key=KEY, source="claude-sonnet-4-5")
    assert "<img" not in body
    assert "&lt;img" in body
    assert "@octocat" not in body
    assert "@\u200boctocat" in body
    assert "<!-- sheriff:summary" not in body
    assert "`````sh\necho ````; go test ./...\n`````" in body
    assert "Analysis by claude-sonnet-4-5" in body


def test_a_snippet_full_of_backticks_gets_a_longer_fence() -> None:
    source = SnippetSource("docs/x.md", SHA, 1, "````\ncode\n````", "stack frame")
    pack = build_context_pack(meetups_case(), [source])
    body = render_analysis(pack, deterministic_analysis(pack), key=KEY, source="deterministic")
    assert "`````\n````\ncode\n````\n`````" in body


def test_huge_snippets_are_left_out_to_fit_github() -> None:
    huge = [
        SnippetSource(f"pkg/f{n}.go", SHA, 1, "\n".join("z" * 900 for _ in range(60)), "stack")
        for n in range(5)
    ]
    budget = PackBudget(max_chars=1_000_000)
    pack = build_context_pack(meetups_case(), [*meetups_sources(), *huge], budget=budget)
    body = render_analysis(pack, deterministic_analysis(pack), key=KEY, source="deterministic")
    assert len(body) <= COMMENT_LIMIT + 100
    assert "left out to fit GitHub's comment limit" in body
    assert "**S1**" in body
