"""Jest and Vitest failure blocks.

Jest prints ``● Suite › nested › test name`` then the message, the code frame and the
``at`` frames; ``● Test suite failed to run`` means a test file could not be loaded.
Vitest prints `` FAIL  file > Suite > test name`` then the error and ``❯ file:line``
frames. ``Tests: 3 failed`` / ``Tests  3 failed | 4 passed`` summaries repeat them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import merge_ranges, rule
from sheriff.core.parsers.js_errors import frames_in, js_error_kind, project_first
from sheriff.core.scan import Hit

_JEST_HEADER = lazy_compile(r"^\s*● (?P<title>.*?\S)\s*$")
_VITEST_HEADER = lazy_compile(r"^\s*FAIL\s++(?P<file>\S+) > (?P<title>.*?\S)\s*$")
_JEST_END = lazy_compile(
    r"^\s*●|^(?:PASS|FAIL) |^Test Suites:|^Tests:|^Summary of all failing|^\s*⎯{3,}"
    r"|^\s*FAIL\s+\S+ > "
)
_FAIL_FILE = lazy_compile(r"^\s*FAIL\s+(?P<file>\S+\.\w+)(?:\s+\(.*\))?\s*$")
_CODE_FRAME = lazy_compile(r"^\s*(?:>\s*)?(?:\d+\s*)?\|")
_SUITE_FAILED = "Test suite failed to run"
_MAX_BLOCK = 150
_TS_ERROR = lazy_compile(r"\berror TS\d+|\bTS\d{4}:")

RULES = (
    rule(
        "javascript.jest_header",
        r"● ",
        r"^\s*● (?!Console\s*$)(?P<title>.*?\S)\s*$",
        before=3,
        after=120,
    ),
    rule(
        "javascript.vitest_header",
        r"FAIL[^\r\n]* > ",
        _VITEST_HEADER.pattern,
        before=2,
        after=80,
    ),
    rule(
        "javascript.jest_totals",
        r"Tests:\s+\d+ failed|Tests(?:\s|\x1b\[[0-9;]*m)+\d+ failed",
        r"^\s*Tests:?\s+(?P<totals>\d+ failed.*)$",
        before=5,
        after=3,
    ),
)


def jest_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], list[LineRange]]:
    findings: list[Finding] = []
    claimed: list[LineRange] = []
    for hit in hits:
        if hit.match is None:
            continue
        name = hit.rule.id.rsplit(".", 1)[1]
        if name == "jest_totals":
            findings.append(_totals(hit))
            continue
        vitest = name == "vitest_header"
        last = _block_end(view, hit.number)
        claimed.append((hit.number, last))
        found = _block(view, hit, last, vitest)
        if found is not None:
            findings.append(found)
    return findings, claimed


def _block_end(view: LogView, header: int) -> int:
    last = header
    for number in range(header + 1, header + _MAX_BLOCK):
        text = view.text(number)
        if text is None or _JEST_END.match(text):
            break
        last = number
    while last > header and not (view.text(last) or "").strip():
        last -= 1
    return last


def _block(view: LogView, hit: Hit, last: int, vitest: bool) -> Finding | None:
    assert hit.match is not None
    title = hit.match.group("title")
    details = [(n, t.strip()) for n, t in view.span(hit.number + 1, last) if t.strip()]
    if not details and not vitest:
        return None
    message = "\n".join(t for _, t in details[:6] if not _CODE_FRAME.match(t))
    frames = frames_in(view, hit.number + 1, last)
    framework = "vitest" if vitest else "jest"
    failure_type, sub_type, test = _identity(view, framework, hit, message)
    return Finding(
        tool=framework,
        failure_type=failure_type,
        sub_type=sub_type,
        message=(message or title)[:500],
        anchor=hit.number,
        ranges=_ranges(hit.number, last, details, frames),
        strength=Strength.CLEAR,
        test=test,
        locations=project_first(loc for _, loc in frames)[:8],
        has_stack_trace=bool(frames),
        kind="test" if test else "error",
    )


def _identity(
    view: LogView, framework: str, hit: Hit, message: str
) -> tuple[FailureType, str, TestIdentity | None]:
    assert hit.match is not None
    title = hit.match.group("title")
    if title == _SUITE_FAILED:
        if _TS_ERROR.search(message):
            return FailureType.TYPE_CHECK, "typescript", None
        kind = js_error_kind(message)
        return FailureType.TEST, kind if kind != "assertion" else "exception", None
    if framework == "vitest" and hit.match is not None:
        file = hit.match.group("file")
        test = TestIdentity(framework, None, f"{file} > {title}")
    else:
        test = TestIdentity(framework, _jest_file(view, hit.number), title)
    return FailureType.TEST, js_error_kind(message), test


def _jest_file(view: LogView, number: int) -> str | None:
    """The test file of a Jest block: the ``FAIL path`` line above it."""
    for back in range(number - 1, max(number - 2000, 0), -1):
        text = view.text(back)
        if text is None:
            return None
        match = _FAIL_FILE.match(text)
        if match:
            return match.group("file")
    return None


def _ranges(
    header: int, last: int, details: list[tuple[int, str]], frames: Sequence[tuple[int, object]]
) -> tuple[LineRange, ...]:
    if last - header <= 30:
        return ((header, last),)
    ranges: list[LineRange] = [(header, min(header + 12, last))]
    ranges.extend((number, number) for number, _ in frames[:6])
    ranges.extend((number, number) for number, text in details if text.startswith(">"))
    return merge_ranges(ranges)


def _totals(hit: Hit) -> Finding:
    assert hit.match is not None
    return Finding(
        tool="vitest" if "|" in hit.match.group("totals") else "jest",
        failure_type=FailureType.TEST,
        sub_type="unit_test",
        message=f"Tests: {hit.match.group('totals')}"[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )
