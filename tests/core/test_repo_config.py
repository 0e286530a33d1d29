"""Per-repository config: parsed from text, problems reported, never a crash."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.model import FailureType
from sheriff.core.repo_config import (
    RepoConfig,
    RepoSettings,
    artifact_is_wanted,
    branch_is_watched,
    glob_matches,
    merge_repo_config,
    parse_repo_config,
    workflow_is_watched,
)

FULL = """\
# .github/sheriff.yml
enabled: true
issue_kinds: [test, e2e, infrastructure_failure]
label_prefix: "ci/"
ignore_labels: [wontfix, known-flake]
branches: [main, "release/*"]
workflows:
  - CI
  - ".github/workflows/nightly-*.yml"
artifact_globs: ["junit-*"]
evidence_rows: 5
excerpt_budget: 60
recurrence_threshold: 3
flaky_threshold: 0.8
"""


def test_a_full_config_parses_and_merges_over_sheriffs_settings() -> None:
    parsed = parse_repo_config(FULL)
    assert parsed.problems == ()
    merged = merge_repo_config(RepoSettings(), parsed.config)
    assert merged == RepoSettings(
        enabled=True,
        issue_kinds=frozenset({FailureType.TEST, FailureType.E2E, FailureType.INFRASTRUCTURE}),
        label_prefix="ci/",
        ignore_labels=("wontfix", "known-flake"),
        branches=("main", "release/*"),
        workflows=("CI", ".github/workflows/nightly-*.yml"),
        artifact_globs=("junit-*",),
        evidence_rows=5,
        excerpt_budget=60,
        recurrence_threshold=3,
        flaky_threshold=0.8,
    )


def test_keys_the_file_leaves_out_keep_sheriffs_settings() -> None:
    base = RepoSettings(evidence_rows=20, label_prefix="bot/")
    merged = merge_repo_config(base, parse_repo_config("excerpt_budget: 10\n").config)
    assert (merged.evidence_rows, merged.label_prefix, merged.excerpt_budget) == (20, "bot/", 10)


@pytest.mark.parametrize("text", [None, "", "   \n", "# only a comment\n"])
def test_no_file_or_an_empty_one_means_no_overrides(text: str | None) -> None:
    parsed = parse_repo_config(text)
    assert parsed.problems == ()
    assert merge_repo_config(RepoSettings(), parsed.config) == RepoSettings()


def test_invalid_keys_are_dropped_and_reported_and_valid_ones_kept() -> None:
    parsed = parse_repo_config(
        "enabled: false\nevidence_rows: lots\nissue_kinds: [tests]\nflaky_threshold: 2\n"
    )
    assert parsed.config.enabled is False  # the valid key still applies
    by_key = {p.key: p for p in parsed.errors}
    assert set(by_key) == {"evidence_rows", "issue_kinds", "flaky_threshold"}
    assert by_key["evidence_rows"].line == 2
    assert "unknown failure type 'tests'" in by_key["issue_kinds"].message
    assert "test_failure" in by_key["issue_kinds"].message
    assert "fix or remove `evidence_rows`" in by_key["evidence_rows"].hint
    described = by_key["flaky_threshold"].describe()
    assert described.startswith("error: .github/sheriff.yml:4 `flaky_threshold`: ")


def test_unknown_keys_are_warnings_with_a_suggestion() -> None:
    parsed = parse_repo_config("label_prefx: ci/\n")
    (problem,) = parsed.problems
    assert (problem.severity, problem.key, problem.line) == ("warning", "label_prefx", 1)
    assert "did you mean `label_prefix`?" in problem.hint
    assert parsed.errors == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("branches: [main\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("a: &x [1, 2]\nb: *x\n", "aliases"),
        ("1: one\n", "expected a mapping"),
        ("x: " + "y" * 70_000, "over 65536 characters"),
        ("cmd: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ],
)
def test_unreadable_files_are_one_clear_error(text: str, message: str) -> None:
    parsed = parse_repo_config(text)
    (problem,) = parsed.problems
    assert problem.severity == "error"
    assert message in problem.message
    assert "until then Sheriff uses its own settings" in problem.hint
    assert parsed.config == RepoConfig()


def test_single_values_are_accepted_where_lists_are_expected() -> None:
    config = parse_repo_config("branches: main\nissue_kinds: build\nworkflows: CI\n").config
    assert config.branches == ("main",)
    assert config.issue_kinds == frozenset({FailureType.BUILD})
    assert parse_repo_config("issue_kinds: all\n").config.issue_kinds == "all"


def test_label_prefixes_must_make_valid_label_names() -> None:
    assert parse_repo_config("label_prefix: 'a,b'\n").errors
    assert parse_repo_config("label_prefix: '" + "x" * 40 + "'\n").errors
    assert parse_repo_config("ignore_labels: ['', x]\n").errors


def test_the_ignore_label_follows_the_prefix_unless_set() -> None:
    assert RepoSettings().silencing_labels == ("sheriff/ignore",)
    assert RepoSettings(label_prefix="ci/").silencing_labels == ("ci/ignore",)
    assert RepoSettings(ignore_labels=("wontfix",)).silencing_labels == ("wontfix",)


@given(st.text(max_size=300))
def test_parsing_never_raises(text: str) -> None:
    parse_repo_config(text)


def test_globs_keep_stars_inside_one_path_segment() -> None:
    assert glob_matches("release/*", "release/1.2")
    assert not glob_matches("release/*", "release/1.2/hotfix")
    assert glob_matches("release/**", "release/1.2/hotfix")
    assert glob_matches("v?.x", "v1.x")
    assert not glob_matches("main", "Main")
    assert glob_matches("a+b(c)", "a+b(c)")  # regex characters are literal


def test_branches_default_to_the_default_branch() -> None:
    assert branch_is_watched(RepoSettings(), "trunk", "trunk")
    assert not branch_is_watched(RepoSettings(), "main", "trunk")
    assert not branch_is_watched(RepoSettings(), None, "main")
    assert branch_is_watched(RepoSettings(branches=("release/*",)), "release/2", "main")


def test_workflows_match_by_name_path_or_file_name() -> None:
    settings = RepoSettings(workflows=("CI", "nightly-*.yml"))
    assert workflow_is_watched(settings, "CI", ".github/workflows/ci.yml")
    assert workflow_is_watched(settings, "Nightly", ".github/workflows/nightly-linux.yml")
    assert not workflow_is_watched(settings, "Docs", ".github/workflows/docs.yml")
    assert workflow_is_watched(RepoSettings(), "anything")


def test_artifacts_are_read_only_when_configured() -> None:
    assert not artifact_is_wanted(RepoSettings(), "junit-results")
    assert artifact_is_wanted(replace(RepoSettings(), artifact_globs=("junit-*",)), "junit-linux")
