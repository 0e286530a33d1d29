"""The Python test parser on real pytest/unittest/nose/subunit output and CI logs."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.python_tests import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

PYTORCH = "pytorch-log-classifier-fixtures/"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing(found: list[Finding]) -> list[str]:
    return [f.test.qualified for f in found if f.test is not None and f.kind == "test"]


def pytorch_fixture(name: str) -> bytes:
    """A pytorch fixture without its in-band markers (line numbers shift by the source line)."""
    lines = read_shared(PYTORCH + name).splitlines()
    if lines[0].startswith(b"#=SOURCE=#"):
        lines = lines[1:]
    cleaned = [
        line.removeprefix(b"#=MATCH=# ").replace("‹".encode(), b"").replace("›".encode(), b"")
        for line in lines
    ]
    return b"\n".join(cleaned) + b"\n"


def test_pytest_sections_name_each_test_by_its_node_id() -> None:
    found = findings(read_tool_fixture("pytest/pytest_failures.log"))
    assert failing(found) == [
        "tests/test_pricing.py::test_coupon_ten",
        "tests/test_pricing.py::test_unknown_coupon",
        "tests/test_pricing.py::test_shipping[50-0]",
        "tests/test_pricing.py::test_cart_names",
    ]
    first = found[0]
    assert first.anchor == 10  # "____ test_coupon_ten ____"
    assert first.ranges == ((10, 25),)
    assert first.message.startswith("AssertionError: expected 91.00, got 90.00")
    assert first.sub_type == "assertion"
    assert first.locations[:2] == (
        Location("tests/helpers.py", 2),
        Location("tests/test_pricing.py", 13),
    )


def test_short_summary_lines_repeat_the_sections_and_are_dropped() -> None:
    found = findings(read_tool_fixture("pytest/pytest_failures.log"))
    assert [f.anchor for f in found if f.kind == "summary"] == [87]  # "4 failed, 3 passed"
    raised = next(f for f in found if f.test and f.test.name == "test_unknown_coupon")
    assert raised.sub_type == "exception"
    assert raised.locations[0] == Location("shop/pricing.py", 17)


def test_colour_and_github_actions_framing_change_nothing() -> None:
    plain = failing(findings(read_tool_fixture("pytest/pytest_failures.log")))
    assert failing(findings(read_tool_fixture("pytest/pytest_color.log"))) == plain
    framed = findings(read_tool_fixture("pytest/pytest_failures_gha.log"))
    assert failing(framed) == plain
    assert framed[0].anchor == 16


def test_collection_errors_fail_the_test_module() -> None:
    found = findings(read_tool_fixture("pytest/pytest_collection_error.log"))
    modules = [f for f in found if f.kind == "test"]
    assert [f.test.name for f in modules if f.test] == [
        "tests/test_config.py",
        "tests/test_inventory.py",
    ]
    assert [f.sub_type for f in modules] == ["collection_error", "import_error"]
    assert modules[1].message == "ModuleNotFoundError: No module named 'shop.inventory'"
    assert all(f.failure_type is FailureType.TEST for f in modules)


def test_a_syntax_error_in_the_code_under_test_is_a_build_failure() -> None:
    found = findings(read_tool_fixture("pytest/pytest_syntax_error_import.log"))
    first = found[0]
    assert first.failure_type is FailureType.BUILD
    assert first.sub_type == "syntax"
    assert first.anchor == 3
    assert first.test is not None
    assert first.test.name == "tests/test_main.py"


def test_unittest_blocks_keep_the_printed_test_id_and_subtest() -> None:
    found = findings(read_tool_fixture("unittest/unittest_failures.log"))
    names = [f.test.name for f in found if f.test and f.kind == "test"]
    assert names == [
        "test_unknown_coupon (tests.test_pricing.PricingTest.test_unknown_coupon)",
        "test_coupon_half (tests.test_pricing.PricingTest.test_coupon_half)",
        "test_shipping_table (tests.test_pricing.PricingTest.test_shipping_table) (total=50)",
    ]
    first = found[0]
    assert (first.anchor, first.ranges) == (9, ((9, 18),))
    assert first.message == "KeyError: 'NOPE'"
    assert first.locations[0] == Location("/tmp/fixtures-work/py/ut/shop/pricing.py", 17)
    assert [f.anchor for f in found if f.kind == "summary"] == [41]


def test_plain_tracebacks_are_classified_by_what_went_wrong() -> None:
    cases = {
        "python/python_syntax_error.log": (FailureType.BUILD, "syntax"),
        "python/python_missing_env_var.log": (FailureType.CONFIG, "missing_env_var"),
        "python/python_no_space.log": (FailureType.INFRASTRUCTURE, "disk_full"),
        "python/python_memory_error.log": (FailureType.INFRASTRUCTURE, "out_of_memory"),
    }
    for name, expected in cases.items():
        first = findings(read_tool_fixture(name))[0]
        assert (first.failure_type, first.sub_type) == expected, name
    syntax = findings(read_tool_fixture("python/python_syntax_error.log"))[0]
    assert syntax.locations[0] == Location("/tmp/fixtures-work/py/syntax/svc/settings.py", 3)


def test_scikit_learn_sections_and_parametrised_nginx_proxy_case() -> None:
    found = findings(
        read_shared("logchunks/logs/Python/scikit-learn@scikit-learn/failed/562431016.log.gz")
    )
    assert [f.test.name for f in found if f.test][:2] == [
        "test_unsorted_indices",
        "test_show_versions_with_blas",
    ]
    assert found[0].anchor == 3590
    assert found[0].message.startswith("TypeError: could not interpret data type")
    nginx = findings(
        read_shared("logchunks/logs/Shell/jwilder@nginx-proxy/failed/549357727.log.gz")
    )
    first = nginx[0]
    assert first.anchor == 2936
    assert first.sub_type == "network"
    assert first.test is not None
    assert first.test.name == "test_unknown_virtual_host"


def test_chained_version_conflict_is_a_dependency_failure() -> None:
    found = findings(
        read_shared("logchunks/logs/Python/scikit-learn@scikit-learn/failed/562456534.log.gz")
    )
    first = found[0]
    assert (first.failure_type, first.sub_type) == (FailureType.DEPENDENCY, "version_conflict")
    assert first.anchor == 3199  # the last traceback of the chain
    assert (3195, 3195) in first.ranges  # the VersionConflict it was handling


def test_nose_failures_with_a_subprocess_import_error_are_import_errors() -> None:
    found = findings(read_shared("logchunks/logs/Lua/cmusatyalab@openface/failed/196472359.log.gz"))
    blocks = [f for f in found if f.kind == "test"]
    assert len(blocks) == 6
    assert blocks[0].anchor == 7945
    assert blocks[0].test is not None
    assert blocks[0].test.name == "tests.openface_batch_represent_tests.test_batch_represent"
    assert {f.sub_type for f in blocks} == {"import_error"}


def test_subunit_failures_and_logged_tracebacks() -> None:
    found = findings(read_shared("logreduce-tests/testr-nodepool-01/output.fail"))
    failed = [f for f in found if f.kind == "test"]
    assert [f.test.name for f in failed if f.test] == [
        "nodepool.tests.test_commands.TestNodepoolCMD.test_config_validate",
        "nodepool.tests.test_config_validator.TestConfigValidation.test_good_config",
    ]
    # the whole traceback, and nothing after the block's closing "]" (line 682): the next
    # test's tags and name are not part of this failure
    assert (657, 682) in failed[0].ranges
    assert max(last for _, last in failed[0].ranges) == 682
    logged = [f for f in found if f.anchor == 3661]
    assert logged
    assert logged[0].strength is Strength.PARTIAL  # printed by a logger


def test_pytorch_failures_section_ignores_reruns_and_warning_tracebacks() -> None:
    found = findings(pytorch_fixture("pytest_failures_section.txt"))
    first = found[0]
    assert first.anchor == 520
    assert first.test is not None
    assert (
        first.test.qualified
        == "test_torch.py::TestTorchDeviceTypeCPU::test_cauchy_kstest_cpu_bfloat16"
    )
    assert all(f.anchor >= 220 for f in found)  # no PytestUnraisableExceptionWarning traceback


def test_pytorch_run_test_wrapper_names_the_test_file() -> None:
    found = findings(pytorch_fixture("test_file_failed_wrapper.txt"))
    crash = found[0]
    assert crash.anchor == 6
    assert crash.test is not None
    assert crash.test.name == "test_cuda"
    assert crash.message.startswith("AttributeError: module 'torch._C'")
    assert 31 in [f.anchor for f in found]  # "RuntimeError: test_cuda 1/1 failed!"
    timeout = findings(pytorch_fixture("test_file_timeout.txt"))[0]
    assert (timeout.anchor, timeout.sub_type) == (20, "timeout")
    interrupted = findings(pytorch_fixture("python_test_keyboardinterrupt.txt"))[0]
    assert (interrupted.anchor, interrupted.sub_type) == (31, "timeout")


def test_pytorch_import_error_and_collection_assertion() -> None:
    imported = findings(pytorch_fixture("python_importerror_name.txt"))[0]
    assert (imported.failure_type, imported.sub_type) == (FailureType.TEST, "import_error")
    assert any(first <= 31 <= last for first, last in imported.ranges)
    collected = findings(pytorch_fixture("collection_assertionerror.txt"))[0]
    assert collected.sub_type == "assertion"
    assert collected.anchor == 20
    assert collected.test is not None
    assert collected.test.name == "test_overrides"


def test_a_failed_subprocess_is_only_a_summary() -> None:
    found = findings(pytorch_fixture("ghstack_cherry_pick.txt"))
    wrapper = next(f for f in found if f.anchor == 26)
    assert wrapper.kind == "summary"
    assert wrapper.strength is Strength.PARTIAL


def test_an_exception_in_the_ci_scripts_is_a_configuration_failure() -> None:
    # trymerge.py's stdout lands between the traceback's header and its first frame.
    found = findings(pytorch_fixture("ghstack_out_of_sync.txt"))[0]
    assert (found.failure_type, found.sub_type) == (FailureType.CONFIG, "ci_script")
    assert found.message.startswith("RuntimeError: PR 189601 is out of sync")
    assert found.anchor == 25
    assert found.locations[0] == Location(
        "/home/runner/work/pytorch/pytorch/.github/scripts/trymerge.py", 743
    )


_SCRIPT_TRACEBACK = (
    "Traceback (most recent call last):\n"
    "{interleaved}"
    '  File "{path}", line 12, in <module>\n'
    "    main()\n"
    "RuntimeError: release notes are missing\n"
)


def _script_failure(path: str, interleaved: int = 0) -> list[Finding]:
    text = _SCRIPT_TRACEBACK.format(path=path, interleaved="progress line\n" * interleaved)
    return findings(text.encode())


def test_where_the_exception_was_raised_decides_ci_script_or_unknown() -> None:
    for ci_path in (".ci/check_release.py", "/src/app/.github/scripts/notes.py", "ci/notes.py"):
        assert _script_failure(ci_path)[0].failure_type is FailureType.CONFIG, ci_path
    for own_path in ("tools/release.py", "src/cinema/notes.py", "scripts/notes.py"):
        assert _script_failure(own_path)[0].failure_type is FailureType.UNKNOWN, own_path


def test_a_header_far_from_any_frame_is_not_read_as_a_traceback() -> None:
    assert _script_failure(".ci/notes.py", interleaved=3)[0].sub_type == "ci_script"
    assert not [f for f in _script_failure(".ci/notes.py", interleaved=5) if f.tool == "python"]


def test_a_benchmark_regression_check_fails_a_test() -> None:
    found = findings(read_tool_fixture("pytest-benchmark/benchmark_regression.log"))
    raised = next(f for f in found if f.tool == "python")
    assert (raised.failure_type, raised.sub_type) == (FailureType.TEST, "performance")
    assert (
        raised.message
        == "pytest_benchmark.session.PerformanceRegression: Performance has regressed."
    )


def test_a_traceback_without_frames_still_ends_at_its_exception() -> None:
    found = findings(b"Traceback (most recent call last):\nValueError: bad input\n")
    assert [f.message for f in found if f.tool == "python"] == ["ValueError: bad input"]


def test_an_interpreter_crash_fails_the_test_that_was_running() -> None:
    found = findings(read_tool_fixture("pytest/pytest_segfault.log"))[0]
    assert (found.failure_type, found.sub_type, found.message) == (
        FailureType.TEST,
        "crash",
        "Fatal Python error: Segmentation fault",
    )
    assert found.test is not None
    assert found.test.qualified == "tests/test_native.py::test_header_is_read"
    assert found.locations[0] == Location("/tmp/fixtures-work/py/crash/tests/test_native.py", 6)


_OTHER_THREADS = b"""Fatal Python error: Aborted

Thread 0x00007f0 (most recent call first):
  <no Python frame>

Thread 0x00007f1 (most recent call first):
  File "/w/tests/test_pool.py", line 9 in test_worker

Current thread 0x00007f2 (most recent call first):
  File "/w/app/native.py", line 3 in call
"""


def test_only_the_crashing_threads_frames_count() -> None:
    # A dump that lists another thread first: its test frame is not the crash's.
    found = findings(_OTHER_THREADS)
    assert [(f.failure_type, f.sub_type, f.test, f.locations) for f in found] == [
        (FailureType.UNKNOWN, "crash", None, (Location("/w/app/native.py", 3),))
    ]


def test_a_fatal_error_that_is_not_a_signal_is_not_a_crash() -> None:
    found = findings(b"Fatal Python error: init_fs_encoding: failed to get the Python codec\n")
    assert [(f.failure_type, f.sub_type) for f in found] == [(FailureType.UNKNOWN, "fatal_error")]


def test_a_crash_after_a_verbose_progress_line_is_read_too() -> None:
    found = findings(read_tool_fixture("pytest/pytest_segfault_verbose.log"))[0]
    assert (found.sub_type, found.anchor) == ("crash", 7)
    assert found.test is not None
    assert found.test.qualified == "tests/test_native.py::test_header_is_read"
