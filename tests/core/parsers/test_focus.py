"""A finding's message keeps what matched when its line is too long to show whole."""

import pytest

from sheriff.core.triage import triage_bytes

LINKER = b"clang: error: linker command failed with exit code 1"


def _primary_message(log: bytes) -> str:
    report = triage_bytes(log)
    return report.failures[0].finding.message


@pytest.mark.parametrize("dots", [600, 3_000, 50_000])
def test_a_failure_printed_after_progress_dots_is_the_message(dots: int) -> None:
    message = _primary_message(b"$ make\n" + b"." * dots + LINKER + b"\nmake: *** [app] Error 1\n")
    assert message == "\u2026" + LINKER.decode()


def test_two_failures_after_dots_keep_two_fingerprints() -> None:
    # With the dots as their message both signatures were the same string of dots.
    first = triage_bytes(b"." * 900 + LINKER + b"\n").failures[0]
    second = triage_bytes(b"." * 900 + b"ld: cannot find -lssl\n").failures[0]
    assert first.signature != second.signature
    assert first.fingerprint != second.fingerprint


def test_a_message_that_shows_its_match_is_left_as_it_is() -> None:
    line = b"main.c:(.text+0x1b): undefined reference to `foo' " + b"x" * 900
    message = _primary_message(line + b"\n")
    assert message == line.decode()[:500]


def test_context_before_the_match_is_kept_without_the_progress_run() -> None:
    line = b"#" * 700 + b" src/app.c:(.text+0x5): undefined reference to `bar'"
    message = _primary_message(line + b"\n")
    assert message == "\u2026src/app.c:(.text+0x5): undefined reference to `bar'"


def test_a_generic_error_line_shows_its_error_word_when_it_comes_late() -> None:
    # No tool-specific parser knows this line; the weak finding still says what failed.
    report = triage_bytes(b"x" * 2_000 + b" error: the deploy key was rejected\n")
    finding = report.failures[0].finding
    assert finding.sub_type == "error_line"
    assert finding.message.startswith("\u2026")
    assert finding.message.endswith("error: the deploy key was rejected")


def test_a_message_that_drops_only_the_end_of_its_match_is_left_as_it_is() -> None:
    # MSBuild's trailing "[path/Project.csproj]" is part of the match; the parser drops it.
    line = (
        "Extensions/CollectionExtensions.cs(20,40): error CS0103: The name 'key' does not"
        " exist in the current context [/home/travis/build/NancyFx/Nancy/src/Nancy/Nancy.csproj]"
    )
    message = _primary_message(line.encode() + b"\n")
    assert message == line.removesuffix(
        " [/home/travis/build/NancyFx/Nancy/src/Nancy/Nancy.csproj]"
    )
