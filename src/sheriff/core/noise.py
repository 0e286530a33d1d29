"""Neutralise the noise CI systems add around the tools' own output.

Colour codes, per-line timestamps and the fold/group markers of GitHub Actions, Travis,
GitLab, Buildkite, Jenkins and Zuul say nothing about why a job failed, and they stop
patterns anchored at the start of a line from matching. ``clean_line`` removes them;
``step_marker`` reports the markers that name a step, so findings can say where they
happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile

_ANSI = lazy_compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase line
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1b[()*+][0-9A-Za-z]"  # character-set selection, e.g. ESC ( B
    r"|\x1b[0-Z\\-~]"  # two-byte escapes: keypad modes (ESC = / ESC >), cursor saves, resets
    r"|\x1b"  # a lone ESC left by truncation
)
# The timestamp itself: ISO (optionally bracketed, with a Zuul/Ansible "ts | "), or
# Jenkins timestamper's [12:00:00].
_STAMP = (
    r"(?:"
    r"\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?"  # ISO
    r"(?:\s+\|)?"  # Zuul/Ansible "ts | "
    r"|\[\d\d:\d\d:\d\d(?:\.\d+)?\]"  # Jenkins timestamper [12:00:00]
    r")[ \t]?"
)
_TIMESTAMP = lazy_compile(
    r"^\ufeff?(?:[^\t\n]{1,200}\t[^\t\n]{1,200}\t(?=\d{4}-\d\d-\d\dT))?"  # gh run view: job, step
    + _STAMP
)
# The same without gh run view's columns, for lines with no tab (where the columns cannot
# match): trying them costs a scan of up to 200 characters and as many backtracks.
_BARE_TIMESTAMP = lazy_compile(r"^\ufeff?" + _STAMP)
_TIMESTAMP_START = frozenset("0123456789[\ufeff")
_BUILDKITE_TS = lazy_compile(r"_bk;t=\d+\x07")
_CONTROL = lazy_compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD = lazy_compile(
    r"^(?:travis_(?:fold|time):[a-z]+:[^\s]*\s*"
    r"|section_(?:start|end):\d+:[\w.\-]+(?:\[[^\]]*\])?\s*"
    r")"
)
_ACTIONS_MARKER = lazy_compile(
    r"^##\[(?P<kind>group|endgroup|error|warning|notice|debug|section|command)\]"
)
_WORKFLOW_COMMAND = lazy_compile(r"^::(?P<kind>error|warning|notice|debug|group|endgroup)[^:]*::")
_JENKINS_STAGE = lazy_compile(r"^\[Pipeline\] (?:\{ \((?P<stage>[^)]*)\)|.*)$")


# Anything that may start decoration: escapes and control bytes, a leading digit or
# bracket (timestamps), CI markers, fold/section markers, gh-run-view prefixes. Lines with
# none of them are returned as they are (most lines: checked with cheap tests first).
_LEADING = frozenset("0123456789[#:\ufeff")
_CONTROL_BYTE = lazy_compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAB_TIMESTAMP = lazy_compile(r"\t\d{4}-\d\d-\d\dT")


def _maybe_noisy(text: str) -> bool:
    if text.isprintable():  # no escape, control character or tab: the cheap tests decide
        return _decorated_start(text) or "_bk;t=" in text
    return (
        "\x1b" in text  # colours: the usual reason a line is not printable
        or _decorated_start(text)
        or "_bk;t=" in text
        or ("\t" in text and _TAB_TIMESTAMP.search(text) is not None)
        or _CONTROL_BYTE.search(text) is not None
    )


def _decorated_start(text: str) -> bool:
    """Whether the line starts the way timestamps and CI markers start."""
    return text[:1] in _LEADING or text.startswith(("travis_", "section_"))


def strip_ansi(text: str) -> str:
    """Remove terminal escape sequences."""
    return _ANSI.sub("", text) if "\x1b" in text else text


def clean_line(text: str) -> str:
    """Return the tool's own output of one log line, without CI decoration.

    Idempotent: ``clean_line(clean_line(x)) == clean_line(x)``.
    """
    while _maybe_noisy(text):
        cleaned = _clean_once(text)
        if cleaned == text:
            return text
        text = cleaned
    return text.rstrip()


def _clean_once(text: str) -> str:
    text = strip_ansi(text)
    if text.isprintable() and not _decorated_start(text):
        return text.rstrip()  # the common case: colours were all the decoration
    # Each pattern below is anchored or needs a telltale character: it is tried only
    # when the line could hold it.
    if "_bk;t=" in text:
        text = _BUILDKITE_TS.sub("", text)
    text = _strip_timestamp(text)
    if text.startswith(("travis_", "section_")):
        text = _FOLD.sub("", text, count=1)
    marker = _ACTIONS_MARKER.match(text) if text.startswith("##[") else None
    if marker:
        text = text[marker.end() :]
    command = _WORKFLOW_COMMAND.match(text) if text.startswith("::") else None
    if command:
        text = text[command.end() :]
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.rstrip()


def _strip_timestamp(text: str) -> str:
    """Remove a leading timestamp (with gh run view's job and step columns)."""
    if "\t" in text:
        pattern = _TIMESTAMP
    elif text[:1] in _TIMESTAMP_START:
        pattern = _BARE_TIMESTAMP
    else:
        return text
    stamp = pattern.match(text)
    return text[stamp.end() :] if stamp else text


@dataclass(frozen=True, slots=True)
class StepMarker:
    """A CI marker that opens (or closes) a named step or group."""

    name: str
    opens: bool


def step_marker(text: str) -> StepMarker | None:
    """Recognise a line that starts or ends a step, given the line without colours."""
    bare = _strip_timestamp(strip_ansi(text))
    marker = _ACTIONS_MARKER.match(bare)
    if marker and marker.group("kind") in {"group", "endgroup", "section"}:
        return StepMarker(bare[marker.end() :].strip(), marker.group("kind") != "endgroup")
    stage = _JENKINS_STAGE.match(bare)
    if stage and stage.group("stage"):
        return StepMarker(stage.group("stage"), True)
    if bare.startswith(("section_start:", "travis_fold:start:")):
        return StepMarker(bare.split(":", 2)[2].split("\r")[0].strip(), True)
    return None
