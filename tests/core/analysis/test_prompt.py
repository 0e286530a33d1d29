"""Prompts from the pack: grounded, redacted, bounded; and which code to read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sheriff.core.analysis import (
    SnippetRequest,
    analysis_prompt,
    reply_prompt,
    repository_path,
    snippet_around,
    snippet_of_test,
    snippet_requests,
)
from sheriff.core.model import Location, TestIdentity
from tests.core.analysis.cases import meetups_pack
from tests.core.quarantine import sources

PROMPTS = Path(__file__).resolve().parents[3] / "src" / "sheriff" / "prompts"
SECRET = "xoxb-" + "1234567890-abcdefghijklmnop"


def test_the_analysis_prompt_carries_the_pack_and_the_ids_to_cite() -> None:
    prompt = analysis_prompt(meetups_pack(), "INSTRUCTIONS")
    assert prompt.system == "INSTRUCTIONS"
    assert "Test: github.com/avelino/awesome-go::TestAlpha/Meetups (framework go)" in prompt.user
    assert "### S1: repo_test.go at 9f2c4e1b7a3d, lines 23-30 (failing test)" in prompt.user
    assert "23 | func TestAlpha(t *testing.T) {" in prompt.user
    assert "1421 | " in prompt.user  # log lines keep their numbers
    assert prompt.user.endswith("Cite only these snippet ids: S1, S2.")


def test_nothing_secret_reaches_the_llm() -> None:
    pack = meetups_pack()
    pack = replace(pack, message=f"slack said no to {SECRET}")
    prompt = reply_prompt(
        pack, "I", question=f"is {SECRET} leaked?", author="kenny", thread=[("a", SECRET)]
    )
    assert SECRET not in prompt.user
    assert SECRET not in analysis_prompt(pack, "I").user


def test_a_long_thread_keeps_the_most_recent_comments() -> None:
    thread = [(f"user{n}", "x" * 1000 + f" comment {n}") for n in range(20)]
    prompt = reply_prompt(meetups_pack(), "I", question="and now?", author="kenny", thread=thread)
    assert "comment 19" in prompt.user
    assert "comment 0" not in prompt.user
    assert prompt.user.endswith("## Comment to answer, from @kenny\nand now?")


@pytest.mark.parametrize(
    ("printed", "inside"),
    [
        ("/home/runner/work/pd/pd/server/cluster/cluster.go", "server/cluster/cluster.go"),
        ("github.com/tikv/pd/pkg/core/region.go", "pkg/core/region.go"),
        ("D:\\a\\pd\\pd\\tools\\x.go", "tools/x.go"),
        ("./tests/test_cache.py", "tests/test_cache.py"),
        ("/usr/local/go/src/testing/testing.go", None),
        ("/home/runner/go/pkg/mod/github.com/x/y@v1/z.go", None),
        ("venv/lib/python3.11/site-packages/requests/api.py", None),
        ("../outside.py", None),
        ("<frozen importlib._bootstrap>", None),
    ],
)
def test_paths_printed_by_ci_map_into_the_repository(printed: str, inside: str | None) -> None:
    assert repository_path(printed, "tikv/pd") == inside


def test_snippet_requests_start_with_the_test_and_skip_duplicates() -> None:
    locations = [
        Location("/home/runner/work/pd/pd/server/x.go", 10),
        Location("server/x.go", 10),
        Location("/usr/local/go/src/runtime/panic.go", 1),
    ]
    assert snippet_requests(locations, "tikv/pd", test_file="server/x_test.go") == [
        SnippetRequest("server/x_test.go", None, "failing test"),
        SnippetRequest("server/x.go", 10, "stack frame"),
    ]


def test_snippets_are_cut_from_file_text() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py::TestExpiry", "test_ttl")
    found = snippet_of_test("tests/test_cache.py", "f" * 40, sources.PYTEST_MODULE, test)
    assert found is not None
    assert found.text.splitlines()[0] == "    def test_ttl(self, cache: RegionCache) -> None:"
    assert found.text.splitlines()[-1] == "        assert cache.ttl > 0"
    assert found.start_line == 37
    around = snippet_around("a.go", "f" * 40, sources.GO_SCHEDULER, 3, radius=2)
    assert around is not None
    assert around.start_line == 1
    assert snippet_around("a.go", "f" * 40, "one line", 5) is None


def test_the_prompt_files_ask_for_cited_grounded_answers() -> None:
    analysis = (PROMPTS / "issue_analysis.md").read_text(encoding="utf-8")
    reply = (PROMPTS / "issue_reply.md").read_text(encoding="utf-8")
    assert "snippet" in analysis
    assert "S1" in analysis
    assert "reproduction" in analysis.lower()
    assert "only" in reply.lower()
    assert "snippet" in reply.lower()
