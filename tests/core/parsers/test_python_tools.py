"""Python checkers and installers on real mypy/ruff/flake8/black/pip/conda/lintrunner output."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log, python_deps, python_tools
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture
from tests.core.parsers.test_python_tests import pytorch_fixture


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (python_tools.PARSER, python_deps.PARSER)))


def test_mypy_errors_are_one_type_check_block() -> None:
    found = findings(read_tool_fixture("mypy/mypy_errors.log"))
    assert len(found) == 1
    block = found[0]
    assert (block.failure_type, block.sub_type) == (FailureType.TYPE_CHECK, "mypy")
    assert (block.anchor, block.ranges) == (1, ((1, 5),))
    assert block.message == (
        'app/models.py:16: error: Incompatible return value type (got "None", expected "User")'
        "  [return-value]"
    )
    assert Location("app/service.py", 22) in block.locations


def test_ruff_concise_and_full_formats() -> None:
    concise = findings(read_tool_fixture("ruff/ruff_check_concise.log"))
    assert [(f.tool, f.anchor, f.ranges) for f in concise] == [("ruff", 1, ((1, 9),))]
    assert concise[0].message == "app/models.py:9: UP045 Use `X | None` for type annotations"
    full = findings(read_tool_fixture("ruff/ruff_check.log"))
    assert {f.tool for f in full} == {"ruff"}
    assert full[0].anchor == 1  # the "UP045 [*] …" line above " --> app/models.py:9:15"
    assert full[0].locations[0] == Location("app/models.py", 9)


def test_flake8_and_pep8_under_tox() -> None:
    found = findings(read_tool_fixture("flake8/flake8_errors.log"))
    assert [(f.sub_type, f.anchor, f.ranges) for f in found] == [("flake8", 1, ((1, 22),))]
    tox = findings(read_shared("logreduce-tests/zuul-console-pep8/console.fail"))
    assert [(f.sub_type, f.anchor, f.ranges) for f in tox] == [("flake8", 48, ((48, 49),))]
    assert tox[0].locations == (
        Location("logreduce/models.py", 76),
        Location("logreduce/models.py", 84),
    )


def test_black_check_with_and_without_diff() -> None:
    found = findings(read_tool_fixture("black/black_check.log"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.LINT, "black", 1)
    ]
    assert found[0].message.startswith("black would reformat 2 file(s)")
    diff = findings(read_tool_fixture("black/black_check_diff.log"))
    assert diff[0].anchor == 19
    assert diff[0].ranges == ((19, 19), (47, 47))


def test_pip_missing_package_and_resolution_conflict() -> None:
    missing = findings(read_tool_fixture("pip/pip_install_not_found.log"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in missing] == [
        (FailureType.DEPENDENCY, "pip", 4)
    ]
    assert "sheriff-internal-utils-notreal==1.4.2" in missing[0].message
    conflict = findings(read_tool_fixture("pip/pip_install_conflict.log"))
    assert [(f.sub_type, f.anchor) for f in conflict] == [("version_conflict", 14)]
    assert conflict[0].ranges == ((14, 27),)


def test_conda_packages_not_found() -> None:
    log = read_shared("logchunks/logs/Python/scikit-learn@scikit-learn/failed/562395304.log.gz")
    found = findings(log)
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.DEPENDENCY, "conda", 1471)
    ]
    assert found[0].ranges[0][1] >= 1477  # the list of missing packages


def test_wheel_build_failure_shows_the_build_error() -> None:
    found = findings(pytorch_fixture("pip_wheel_build_failure.txt"))
    wheel = found[0]
    assert (wheel.failure_type, wheel.sub_type, wheel.anchor) == (
        FailureType.DEPENDENCY,
        "pip",
        21,
    )
    assert "CMake Error" in wheel.message
    assert any(first <= 6 <= last for first, last in wheel.ranges)


def test_uv_download_with_a_dns_error_is_a_network_failure() -> None:
    found = findings(pytorch_fixture("uv_python_download_failed.txt"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.INFRASTRUCTURE, "network", 31)
    ]


def test_lintrunner_blames_the_block_before_lint_failed() -> None:
    found = findings(pytorch_fixture("lint_lintrunner.txt"))
    assert [(f.anchor, f.strength) for f in found] == [
        (194, Strength.CLEAR),
        (5, Strength.PARTIAL),
    ]
    assert found[0].message.endswith("Warning (PYFMT) format")
