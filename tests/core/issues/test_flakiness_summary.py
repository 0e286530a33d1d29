"""The summary block shows the flakiness engine's P(flaky), verdict and evidence ([T3])."""

from __future__ import annotations

from dataclasses import replace

from sheriff.core.issues import EvidenceNote, FlakySignal, Verdict, decide_filing
from sheriff.core.issues.blocks import render_summary
from sheriff.core.issues.policy import verdict_of
from sheriff.core.repo_config import RepoSettings
from tests.core.issues.real_cases import build_case, go_case, on_main

SETTINGS = RepoSettings()
JUDGED = FlakySignal(
    p_flaky=0.93,
    verdict="flaky",
    evidence=(
        EvidenceNote("flip_rate", 1.2, "3 flips in 9 consecutive pairs of recent results", (7,)),
        EvidenceNote(
            "same_commit_pass_fail",
            3.01,
            "passed and failed in one job on 1 commit(s), e.g. 9f2c4e1 (test | linux)",
            (4, 5, 6, 7),
        ),
        EvidenceNote("signature_hint", 0.0, "signature mentions 'timeout'", (7,)),
        EvidenceNote("first_seen_touching", -0.4, "first failed on PR #12, which changed it", ()),
    ),
    quarantine_candidate=True,
)


def test_the_summary_shows_p_flaky_the_verdict_and_each_term_with_its_weight_and_runs() -> None:
    case = go_case(on_main(2), flakiness=JUDGED)
    text = render_summary(case, verdict_of(case, SETTINGS), SETTINGS)
    assert (
        "| Flakiness | P(flaky) **0.93**, engine verdict `flaky`; a quarantine candidate |" in text
    )
    lines = text.splitlines()
    terms = [line for line in lines if line.startswith("- `")]
    assert terms == [
        "- `+3.01` passed and failed in one job on 1 commit(s), e.g. 9f2c4e1 (test \\| linux)"
        " — runs #4, #5, #6 …",
        "- `+1.20` 3 flips in 9 consecutive pairs of recent results — runs #7",
        "- `-0.40` first failed on PR #12, which changed it",
    ]  # strongest first; a term with no weight is left out; pipes cannot break the block


def test_without_a_verdict_the_summary_has_no_flakiness_lines() -> None:
    text = render_summary(go_case(on_main(2)), Verdict.FAILING, SETTINGS)
    assert "Flakiness" not in text
    assert "Evidence for P(flaky)" not in text


def test_the_engine_verdict_decides_flaky_not_a_same_commit_pass_alone() -> None:
    retried = FlakySignal(failed_and_passed_on="9f2c4e1b7a3d", verdict="infra", p_flaky=0.0)
    assert verdict_of(go_case(on_main(2), flakiness=retried), SETTINGS) is Verdict.FAILING
    assert verdict_of(go_case(on_main(2), flakiness=JUDGED), SETTINGS) is Verdict.FLAKY
    seen = FlakySignal(failed_and_passed_on="9f2c4e1b7a3d", verdict="unknown", p_flaky=0.43)
    case = go_case(on_main(2), flakiness=seen)
    assert verdict_of(case, SETTINGS) is Verdict.FLAKY  # what was seen, while P is undecided
    reason = decide_filing(case, SETTINGS, "main").reason
    assert "failed and passed on the same commit 9f2c4e1 (P(flaky) 0.43)" in reason
    regression = replace(seen, verdict="regression", p_flaky=0.1)
    assert verdict_of(go_case(on_main(2), flakiness=regression), SETTINGS) is Verdict.FAILING
    below = replace(JUDGED, p_flaky=0.75)
    strict = RepoSettings(flaky_threshold=0.8)
    assert verdict_of(go_case(on_main(2), flakiness=below), strict) is Verdict.FAILING


def test_a_build_failure_is_never_filed_as_flaky_whatever_the_engine_said() -> None:
    case = replace(build_case(on_main(2)), flakiness=JUDGED)
    assert decide_filing(case, RepoSettings(issue_kinds="all"), "main").verdict is Verdict.FAILING
