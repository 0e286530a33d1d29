import re

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.fingerprint import fingerprint_of, platform_bucket, signature_of
from sheriff.core.model import FailureType, Finding, TestIdentity
from sheriff.core.normalise import _MASKS, mask_volatile


def _finding(message: str, name: str = "TestFoo") -> Finding:
    return Finding(
        tool="go",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=message,
        anchor=1,
        ranges=((1, 1),),
        test=TestIdentity("go", "pkg/x", name),
    )


def _fp(finding: Finding, **kwargs: str) -> str:
    return fingerprint_of(finding, signature_of(finding), **kwargs)


def test_reruns_of_the_same_failure_share_a_fingerprint() -> None:
    first = _finding("x_test.go:12: timeout after 1.52s at 0xc000123abc on 127.0.0.1:43121")
    second = _finding("x_test.go:12: timeout after 2.07s at 0xc000999def on 127.0.0.1:39877")
    assert _fp(first) == _fp(second)


def test_different_tests_or_repos_or_platforms_differ() -> None:
    finding = _finding("boom")
    assert _fp(finding) != _fp(_finding("boom", name="TestBar"))
    assert _fp(finding, repo="a/b") != _fp(finding, repo="a/c")
    assert _fp(finding, platform="ubuntu-22.04") != _fp(finding, platform="windows-2022")
    assert _fp(finding, platform="ubuntu-22.04") == _fp(finding, platform="ubuntu-24.04")


def test_masks_run_specific_values() -> None:
    text = (
        "2024-01-02T03:04:05Z /tmp/pytest-of-runner/pytest-7/test_a0/f.txt "
        "id 3f2a9c1e-1111-4222-8333-444455556666 sha 9fceb02d0ae598e95dc970b74767f19372d61af8"
    )
    assert mask_volatile(text) == "<ts> <tmp> id <uuid> sha <hex>"


def test_platform_buckets() -> None:
    assert platform_bucket(None) == "any"
    assert platform_bucket("macos-14") == "macos"
    assert platform_bucket("Windows") == "windows"
    assert platform_bucket("self-hosted-arm") == "other"


@given(st.text(max_size=300))
def test_masking_is_idempotent(text: str) -> None:
    once = mask_volatile(text)
    assert mask_volatile(once) == once


def _every_mask(text: str) -> str:
    """Every mask in order with no shortcut, as mask_volatile was before it had any."""
    for pattern, replacement, _ in _MASKS:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


LOGGY = st.text(
    alphabet=st.sampled_from(list("0123456789abcdefxX-:./\\ \tTZms[]AppDataLocalTemp\u0663\u00b5")),
    max_size=120,
)


@given(st.one_of(st.text(max_size=200), LOGGY))
def test_shortcuts_never_change_what_is_masked(text: str) -> None:
    assert mask_volatile(text) == _every_mask(text)


def test_shortcuts_on_log_shaped_lines() -> None:
    for text in (
        "no digits at all, /tmp/build-abc/x.txt and deadbeef-dead-beef-dead-beefdeadbeef",
        "C:\\Users\\ci\\AppData\\Local\\Temp\\pytest\\f.py",
        "listening on localhost:8080 after 12.5 ms at 10.0.0.1:443, 0XFF",
        "\u0663 Unicode digit \t\t and   spaces ",
    ):
        assert mask_volatile(text) == _every_mask(text)


@given(st.text(max_size=200), st.integers(min_value=0, max_value=10**9))
def test_numbers_never_change_the_fingerprint(prefix: str, number: int) -> None:
    a = _finding(f"{prefix} failed after {number} retries")
    b = _finding(f"{prefix} failed after {number + 1} retries")
    assert _fp(a) == _fp(b)
