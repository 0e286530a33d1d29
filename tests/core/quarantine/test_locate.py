"""Finding the file that defines a test, and properties every patch keeps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine import (
    QuarantinePatch,
    SearchHint,
    locate_test_file,
    quarantine_test,
    search_hint,
)
from tests.core.quarantine import sources
from tests.core.quarantine.sources import ISSUE

HELPER_GO = "package schedulers\n\nfunc helper() {}\n"


def test_the_go_file_in_the_package_directory_wins() -> None:
    test = TestIdentity("go", "github.com/tikv/pd/pkg/schedule/schedulers", "TestShouldBalance")
    candidates = [
        ("pkg/schedule/schedulers/helper.go", HELPER_GO),
        ("tools/copy/schedulers_test.go", sources.GO_SCHEDULER),
        ("pkg/schedule/schedulers/balance_test.go", sources.GO_SCHEDULER),
    ]
    assert locate_test_file(candidates, test) == "pkg/schedule/schedulers/balance_test.go"


def test_two_equally_good_files_are_ambiguous() -> None:
    test = TestIdentity("go", None, "TestShouldBalance")
    candidates = [("a/x_test.go", sources.GO_SCHEDULER), ("b/y_test.go", sources.GO_SCHEDULER)]
    assert locate_test_file(candidates, test) is None


def test_the_file_a_pytest_node_id_names_wins() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py::TestExpiry", "test_ttl")
    candidates = [
        ("tests/legacy/test_cache.py", sources.PYTEST_MODULE),
        ("tests/test_cache.py", sources.PYTEST_MODULE),
    ]
    assert locate_test_file(candidates, test) == "tests/test_cache.py"


def test_a_file_that_does_not_define_the_test_is_never_chosen() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py", "test_missing")
    assert locate_test_file([("tests/test_cache.py", sources.PYTEST_MODULE)], test) is None


def test_junit_class_path_and_kotlin_files() -> None:
    test = TestIdentity("junit", "org.example.sync.SyncWorkerTest", "retriesAfterNetworkLoss")
    candidates = [
        ("docs/SyncWorkerTest.md", sources.KOTLIN_CLASS),
        ("app/src/test/kotlin/org/example/sync/SyncWorkerTest.kt", sources.KOTLIN_CLASS),
        ("app/src/test/kotlin/org/example/old/SyncWorkerTest.kt", sources.KOTLIN_CLASS),
    ]
    assert locate_test_file(candidates, test) == candidates[1][0]


def test_search_hints_name_what_to_grep_for() -> None:
    go = search_hint(TestIdentity("go", "github.com/tikv/pd/server", "TestX/sub"))
    assert go == SearchHint(("_test.go",), "func TestX(", None)
    node = search_hint(TestIdentity("pytest", "tests/test_a.py::TestA", "test_b[1-2]"))
    assert node is not None
    assert (node.needle, node.path) == ("def test_b(", "tests/test_a.py")
    assert search_hint(TestIdentity("ginkgo", None, "x")) is None


def test_an_import_after_a_parenthesised_import_block() -> None:
    text = "from x import (\n    a,\n    b,\n)\n\n\ndef test_x():\n    pass\n"
    outcome = quarantine_test(text, TestIdentity("pytest", "t.py", "test_x"), ISSUE)
    assert isinstance(outcome, QuarantinePatch)
    assert outcome.text.splitlines()[4] == "import pytest"


NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
BODY = st.lists(st.from_regex(r"[a-z]{1,8} = [0-9]{1,3}", fullmatch=True), max_size=4)


@given(NAMES, NAMES, BODY)
def test_pytest_patches_only_add_lines_and_are_idempotent(
    name: str, other: str, body: list[str]
) -> None:
    statements = "\n".join(f"    {line}" for line in body) or "    pass"
    text = f"import os\n\n\ndef test_{other}_x():\n    pass\n\n\ndef test_{name}():\n{statements}\n"
    test = TestIdentity("pytest", "t.py", f"test_{name}")
    outcome = quarantine_test(text, test, ISSUE)
    assert isinstance(outcome, QuarantinePatch)
    before, after = text.splitlines(), outcome.text.splitlines()
    assert [line for line in after if line not in before] == [
        "import pytest",
        f'@pytest.mark.skip(reason="flaky: {ISSUE}")',
    ]
    assert (
        after.index(f"def test_{name}():")
        == after.index(f'@pytest.mark.skip(reason="flaky: {ISSUE}")') + 1
    )
    assert quarantine_test(outcome.text, test, ISSUE) == QuarantinePatch(
        outcome.text, False, outcome.line, outcome.note + " (already skipped)"
    )


@given(st.from_regex(r"Test[A-Z][A-Za-z0-9]{0,15}", fullmatch=True), BODY)
def test_go_patches_are_idempotent(name: str, body: list[str]) -> None:
    statements = "\n".join(f"\t{line}" for line in body)
    text = f'package p\n\nimport "testing"\n\nfunc {name}(tt *testing.T) {{\n{statements}\n}}\n'
    outcome = quarantine_test(text, TestIdentity("go", None, name), ISSUE)
    assert isinstance(outcome, QuarantinePatch)
    assert outcome.text.splitlines()[outcome.line - 1] == f'\ttt.Skip("flaky: {ISSUE}")'
    again = quarantine_test(outcome.text, TestIdentity("go", None, name), ISSUE)
    assert isinstance(again, QuarantinePatch)
    assert (again.text, again.changed) == (outcome.text, False)
