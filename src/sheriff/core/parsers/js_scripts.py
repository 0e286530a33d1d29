"""A package script that failed: which tool it ran and what that tool printed.

npm and Yarn only say that a script exited non-zero. The script's command names the
tool (``linkinator`` → a link check, ``jest`` → tests), and the lines the tool printed
between the command's echo and the failure are the evidence; the first of them that
looks like an error is the anchor.
"""

from __future__ import annotations

import re

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength
from sheriff.core.parsers.js_commands import recent_command
from sheriff.core.scan import Hit

_NPM6_SCRIPT = lazy_compile(r"^npm ERR! \S+@\S+ (?P<script>[\w:.\-]+): `(?P<command>.+)`\s*$")
_NPM7_COMMAND = lazy_compile(r"^npm error command (?:sh -c |cmd /d /s /c )?(?P<command>.+)$")
_NPM_FAILED_AT = lazy_compile(r"Failed at the \S+ (?P<script>[\w:.\-]+) script")
_NOISE = lazy_compile(
    r"^(?:npm (?:ERR!|error|WARN|warn)|info |warning |yarn run v|\$ |> |Done in "
    r"|error Command failed|\(node:\d+\)|ELIFECYCLE|Time:|\s*$)"
)
_ERROR_LIKE = lazy_compile(
    r"✖|✗|×|\berror\b|\bERROR\b|\bfailed\b|\bFAIL(?:ED)?\b|\bnot ok\b|\[[45]\d\d\]|\bbroken\b"
    r"|\bwould reformat\b|\bwarn\b",
    re.I,
)
_TOOLS: tuple[tuple[re.Pattern[str], FailureType, str], ...] = (
    (lazy_compile(r"stylelint"), FailureType.LINT, "stylelint"),
    (lazy_compile(r"\beslint\b"), FailureType.LINT, "eslint"),
    (lazy_compile(r"\btslint\b"), FailureType.LINT, "tslint"),
    (lazy_compile(r"markdownlint"), FailureType.LINT, "markdownlint"),
    (lazy_compile(r"\bprettier\b"), FailureType.LINT, "prettier"),
    (
        lazy_compile(r"linkinator|link-?check|broken-link|htmlproofer|lychee"),
        FailureType.LINT,
        "link_check",
    ),
    (lazy_compile(r"\bfusv\b|find-unused-sass"), FailureType.LINT, "unused_variables"),
    (lazy_compile(r"eclint|editorconfig|lintspaces"), FailureType.LINT, "editorconfig"),
    (
        lazy_compile(r"\bxo\b|\bstandard\b|jshint|jscs|htmlhint|remark|textlint|\blint\b"),
        FailureType.LINT,
        "lint",
    ),
    (lazy_compile(r"\btsc\b|vue-tsc|type-?check|\bflow\b"), FailureType.TYPE_CHECK, "tsc"),
    (
        lazy_compile(r"cypress|playwright|protractor|nightwatch|testcafe|\bwdio\b|\be2e\b"),
        FailureType.E2E,
        "e2e",
    ),
    (
        lazy_compile(
            r"jest|mocha|karma|\bava\b|\btape\b|jasmine|qunit|vitest|\bnyc\b|\bc8\b|\btest"
        ),
        FailureType.TEST,
        "unit_test",
    ),
    (
        lazy_compile(r"webpack|rollup|\bvite\b|parcel|babel|esbuild|tsup|\bbuild\b|gulp|grunt"),
        FailureType.BUILD,
        "build_script",
    ),
)
_MAX_OUTPUT = 30
_SEARCH_BACK = 400


def script_failure(view: LogView, run: list[Hit], manager: str) -> Finding:
    """The summary finding for a failed package script."""
    failure = run[0].number
    script, command = _script_and_command(view, run)
    echo = _echo_line(view, failure, command)
    output = _output_lines(view, echo, failure)
    anchor = next(
        (n for n, t in output if _ERROR_LIKE.search(t)), output[0][0] if output else failure
    )
    failure_type, sub_type = _tool_type(f"{script} {command}")
    ranges: list[LineRange] = [(failure, run[-1].number)]
    if output:
        ranges.insert(0, (max(output[0][0], output[-1][0] - _MAX_OUTPUT), output[-1][0]))
    described = command or script or "a script"
    return Finding(
        tool=manager,
        failure_type=failure_type,
        sub_type=sub_type,
        message=f"{manager} script failed: {described}"[:500],
        anchor=anchor,
        ranges=tuple(ranges),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def _script_and_command(view: LogView, run: list[Hit]) -> tuple[str, str]:
    script = command = ""
    for _, text in view.span(run[0].number, run[-1].number + 12):
        npm6 = _NPM6_SCRIPT.match(text)
        npm7 = _NPM7_COMMAND.match(text)
        failed_at = _NPM_FAILED_AT.search(text)
        if npm6 and not command:
            script, command = npm6.group("script"), npm6.group("command")
        elif npm7 and not command:
            command = npm7.group("command")
        elif failed_at and not script:
            script = failed_at.group("script")
    if not command:
        command = recent_command(view, run[0].number, limit=_SEARCH_BACK) or ""
    return script, command


def _echo_line(view: LogView, failure: int, command: str) -> int:
    """The line that echoed the command, or the nearest command echo above the failure."""
    probe = command[:40]
    nearest = None
    for number in range(failure - 1, max(failure - _SEARCH_BACK, 0), -1):
        text = view.text(number)
        if text is None:
            break
        if probe and probe in text and text.lstrip().startswith(("> ", "$ ", "+ ")):
            return number
        if nearest is None and text.startswith(("> ", "$ ")):
            nearest = number
    return nearest if nearest is not None else max(failure - _MAX_OUTPUT, 1)


def _output_lines(view: LogView, echo: int, failure: int) -> list[tuple[int, str]]:
    return [(n, t) for n, t in view.span(echo + 1, failure - 1) if not _NOISE.match(t)]


def _tool_type(text: str) -> tuple[FailureType, str]:
    for pattern, failure_type, sub_type in _TOOLS:
        if pattern.search(text):
            return failure_type, sub_type
    return FailureType.UNKNOWN, "script"
