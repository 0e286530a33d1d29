"""Quarantine patches in each framework's idiom: exact output, idempotence, refusals."""

from __future__ import annotations

import pytest

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine import (
    CannotQuarantine,
    QuarantinePatch,
    can_quarantine,
    quarantine_test,
    skip_reason,
)
from tests.core.quarantine import sources
from tests.core.quarantine.sources import ISSUE

REASON = f'"flaky: {ISSUE}"'


def patched(text: str, test: TestIdentity) -> QuarantinePatch:
    outcome = quarantine_test(text, test, ISSUE)
    assert isinstance(outcome, QuarantinePatch), outcome
    assert outcome.changed
    again = quarantine_test(outcome.text, test, ISSUE)
    assert again == QuarantinePatch(outcome.text, False, outcome.line, again.note)  # idempotent
    return outcome


def added_lines(before: str, after: str) -> list[str]:
    old = before.splitlines()
    return [line for line in after.splitlines() if line not in old]


def line_at(text: str, number: int) -> str:
    return text.splitlines()[number - 1]


# --- Go ---------------------------------------------------------------------------------


def test_go_skips_first_in_the_test_function() -> None:
    test = TestIdentity("go", "github.com/tikv/pd/pkg/schedule/schedulers", "TestShouldBalance")
    out = patched(sources.GO_SCHEDULER, test)
    lines = out.text.splitlines()
    header = lines.index("func TestShouldBalance(t *testing.T) {")
    assert lines[header + 1] == f"\tt.Skip({REASON})"
    assert lines[header + 2] == "\tt.Parallel()"
    assert line_at(out.text, out.line) == f"\tt.Skip({REASON})"
    assert added_lines(sources.GO_SCHEDULER, out.text) == [f"\tt.Skip({REASON})"]


def test_a_go_subtest_skips_its_parent_with_a_note() -> None:
    test = TestIdentity("go", None, "TestShouldBalance/skip-small-region")
    out = patched(sources.GO_SCHEDULER, test)
    assert "cannot be skipped alone" in out.note
    assert "TestShouldBalance" in out.note
    assert line_at(out.text, out.line) == f"\tt.Skip({REASON})"


def test_a_testify_suite_method_is_skipped_itself() -> None:
    test = TestIdentity("go", None, "TestBalanceLeaderSchedulerTestSuite/TestLeaderWeight")
    out = patched(sources.GO_SCHEDULER, test)
    assert line_at(out.text, out.line) == f"\tsuite.T().Skip({REASON})"
    assert line_at(out.text, out.line - 1).endswith(") TestLeaderWeight() {")
    assert "suite method" in out.note


def test_an_empty_go_test_gets_an_indented_skip() -> None:
    out = patched(sources.GO_SCHEDULER, TestIdentity("go", None, "TestEmpty"))
    assert line_at(out.text, out.line) == f"\tt.Skip({REASON})"
    assert line_at(out.text, out.line + 1) == "}"


def test_a_go_test_that_is_not_there_cannot_be_patched() -> None:
    outcome = quarantine_test(sources.GO_SCHEDULER, TestIdentity("go", None, "TestGone"), ISSUE)
    assert isinstance(outcome, CannotQuarantine)
    assert "TestGone" in outcome.reason


# --- Python -----------------------------------------------------------------------------


def test_pytest_adds_the_marker_and_the_import() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py", "test_eviction_order")
    out = patched(sources.PYTEST_MODULE, test)
    lines = out.text.splitlines()
    assert added_lines(sources.PYTEST_MODULE, out.text) == [
        "import pytest",
        f"@pytest.mark.skip(reason={REASON})",
    ]
    # after the last import of the module's import block (which has a multi-line import)
    assert lines[lines.index("import pytest") - 1] == "from cache import RegionCache"
    marker = lines.index(f"@pytest.mark.skip(reason={REASON})")
    assert lines[marker + 1] == "def test_eviction_order(cache: RegionCache) -> None:"
    assert line_at(out.text, out.line) == lines[marker]


def test_pytest_method_in_a_class_is_found_by_its_class() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py::TestExpiry", "test_eviction_order")
    out = patched(sources.PYTEST_MODULE, test)
    assert line_at(out.text, out.line) == f"    @pytest.mark.skip(reason={REASON})"
    assert line_at(out.text, out.line + 1) == "    def test_eviction_order(self) -> None:"


def test_pytest_nested_class_and_existing_decorators() -> None:
    nested = TestIdentity("pytest", "tests/test_cache.py::TestExpiry::TestNested", "test_ttl")
    out = patched(sources.PYTEST_MODULE, nested)
    assert line_at(out.text, out.line) == f"        @pytest.mark.skip(reason={REASON})"
    outer = TestIdentity("pytest", "tests/test_cache.py::TestExpiry", "test_ttl")
    out = patched(sources.PYTEST_MODULE, outer)
    assert line_at(out.text, out.line + 1) == "    @pytest.mark.timeout(5)"


def test_a_parametrized_case_skips_the_whole_function_above_its_decorators() -> None:
    test = TestIdentity("pytest", "tests/test_cache.py", "test_concurrent_put[64]")
    out = patched(sources.PYTEST_MODULE, test)
    assert line_at(out.text, out.line + 1) == "@pytest.mark.parametrize("
    assert "every parameter" in out.note


def test_pytest_import_is_not_added_twice() -> None:
    text = "import pytest\n\n\ndef test_x():\n    pass\n"
    out = patched(text, TestIdentity("pytest", "test_x.py", "test_x"))
    assert out.text.count("import pytest") == 1


def test_a_human_skip_counts_as_already_quarantined() -> None:
    text = 'import pytest\n\n@pytest.mark.skip(reason="slow")\ndef test_x():\n    pass\n'
    outcome = quarantine_test(text, TestIdentity("pytest", "t.py", "test_x"), ISSUE)
    assert outcome == QuarantinePatch(text, False, 3, "skipped test_x (already skipped)")


def test_skipif_is_not_a_skip() -> None:
    text = "import pytest\n\n@pytest.mark.skipif(True, reason='x')\ndef test_x():\n    pass\n"
    out = patched(text, TestIdentity("pytest", "t.py", "test_x"))
    assert out.line == 3


def test_unittest_uses_its_own_decorator() -> None:
    test = TestIdentity(
        "unittest",
        "tests.test_download.DownloadTests",
        "test_resume (tests.test_download.DownloadTests)",
    )
    out = patched(sources.UNITTEST_MODULE, test)
    assert added_lines(sources.UNITTEST_MODULE, out.text) == [f"    @unittest.skip({REASON})"]


def test_crlf_files_stay_crlf() -> None:
    text = sources.UNITTEST_MODULE.replace("\n", "\r\n")
    test = TestIdentity("unittest", "DownloadTests", "test_resume (DownloadTests)")
    out = patched(text, test)
    assert "\n" not in out.text.replace("\r\n", "")


def test_a_module_without_imports_gets_the_import_after_its_docstring() -> None:
    text = '#!/usr/bin/env python\n"""Docs\nover lines."""\n\ndef test_x():\n    pass\n'
    out = patched(text, TestIdentity("pytest", "t.py", "test_x"))
    assert out.text.splitlines()[3] == "import pytest"


# --- JavaScript -------------------------------------------------------------------------


def test_jest_disambiguates_by_describe_titles() -> None:
    test = TestIdentity(
        "jest", "src/__tests__/Toolbar.test.tsx", "Toolbar › when offline › renders the save button"
    )
    out = patched(sources.JEST_SPEC, test)
    assert line_at(out.text, out.line) == "    it.skip('renders the save button', async () => {"
    assert line_at(out.text, out.line - 1) == f"    // flaky: {ISSUE}"


def test_jest_only_becomes_skip() -> None:
    test = TestIdentity("jest", None, "Toolbar › when offline › shows a banner")
    out = patched(sources.JEST_SPEC, test)
    assert line_at(out.text, out.line) == '    test.skip("shows a banner", () => {'


def test_an_ambiguous_jest_title_is_refused() -> None:
    test = TestIdentity("jest", None, "renders the save button")
    outcome = quarantine_test(sources.JEST_SPEC, test, ISSUE)
    assert isinstance(outcome, CannotQuarantine)
    assert "2 tests" in outcome.reason


def test_vitest_keeps_concurrent() -> None:
    name = "test/retry.test.ts > retry > gives up after three attempts"
    out = patched(sources.VITEST_SPEC, TestIdentity("vitest", None, name))
    assert line_at(out.text, out.line).startswith("  test.concurrent.skip('gives up")


# --- JVM --------------------------------------------------------------------------------


def test_junit5_disabled_with_import_above_multiline_annotations() -> None:
    test = TestIdentity(
        "junit", "org.example.storage.SegmentCompactorTest", "retriesOnTimeout(int)[2]"
    )
    out = patched(sources.JUNIT5_CLASS, test)
    assert added_lines(sources.JUNIT5_CLASS, out.text) == [
        "import org.junit.jupiter.api.Disabled;",
        f"    @Disabled({REASON})",
    ]
    assert line_at(out.text, out.line + 1) == "    @ParameterizedTest"


def test_junit4_ignore_with_import() -> None:
    test = TestIdentity("junit", "org.example.http.ConnectionPoolTest", "releasesIdleConnections")
    out = patched(sources.JUNIT4_CLASS, test)
    assert added_lines(sources.JUNIT4_CLASS, out.text) == [
        "import org.junit.Ignore;",
        f"    @Ignore({REASON})",
    ]
    assert line_at(out.text, out.line + 1) == "    @Test(timeout = 2000)"


def test_kotlin_backtick_names_and_imports_without_semicolons() -> None:
    test = TestIdentity("junit", "org.example.sync.SyncWorkerTest", "uploads pending changes()")
    out = patched(sources.KOTLIN_CLASS, test)
    assert "import org.junit.jupiter.api.Disabled" in out.text.splitlines()
    assert line_at(out.text, out.line) == f"    @Disabled({REASON})"


# --- Rust, Ruby ---------------------------------------------------------------------------


def test_rust_ignore_on_a_test_function() -> None:
    test = TestIdentity("cargo test", None, "tests::reconnects_under_load")
    out = patched(sources.RUST_MODULE, test)
    assert line_at(out.text, out.line) == f"    #[ignore = {REASON}]"
    assert line_at(out.text, out.line + 1) == "    async fn reconnects_under_load() {"


def test_rust_helpers_without_test_attributes_are_not_tests() -> None:
    test = TestIdentity("cargo test", None, "tests::reconnects_helper")
    assert isinstance(quarantine_test(sources.RUST_MODULE, test, ISSUE), CannotQuarantine)


def test_rspec_skip_inside_the_example() -> None:
    test = TestIdentity("rspec", "./spec/models/invoice_spec.rb", "Invoice#total rounds to cents")
    out = patched(sources.RSPEC_SPEC, test)
    assert line_at(out.text, out.line) == f"      skip 'flaky: {ISSUE}'"


def test_rspec_one_line_block_cannot_be_patched() -> None:
    test = TestIdentity("rspec", None, "Invoice#total is memoized")
    assert isinstance(quarantine_test(sources.RSPEC_SPEC, test, ISSUE), CannotQuarantine)


def test_minitest_skip_first_in_the_method() -> None:
    out = patched(
        sources.MINITEST_FILE, TestIdentity("minitest", "CheckoutFlowTest", "test_applies_coupon")
    )
    assert line_at(out.text, out.line) == f"    skip 'flaky: {ISSUE}'"
    assert line_at(out.text, out.line + 1).strip().startswith("post checkout_path")


# --- common -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "supported"),
    [("go", True), ("pytest", True), ("vitest", True), ("junit", True), ("ginkgo", False)],
)
def test_supported_frameworks(framework: str, supported: bool) -> None:
    assert can_quarantine(TestIdentity(framework, None, "x")) is supported


def test_unknown_frameworks_are_refused_with_a_reason() -> None:
    outcome = quarantine_test("", TestIdentity("ginkgo", None, "x"), ISSUE)
    assert outcome == CannotQuarantine("Sheriff does not know how to skip a ginkgo test")


def test_the_reason_cannot_break_out_of_a_string() -> None:
    assert skip_reason('https://x/"); os.exit(1); ("\n') == "flaky: https://x/os.exit1"
