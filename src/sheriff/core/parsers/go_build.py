"""Go toolchain errors: compile errors, vet and linter reports, module download failures,
gofmt diffs.

Consecutive ``path.go:12:3: message`` lines form one block, with the ``# pkg`` header
above and the ``FAIL pkg [build failed]`` line below; ``go_verdict`` says which tool
printed it. Module lines without a source position (``go: x@v1: Get …``) form blocks
of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import follow, merge_ranges
from sheriff.core.parsers.go_output import MESSAGE_LIMIT
from sheriff.core.parsers.go_verdict import (
    PKG_HEADER,
    build_failed_after,
    module_verdict,
    verdict,
)
from sheriff.core.scan import Hit

SOURCE_LINE = (
    r"^(?P<path>(?:[A-Za-z]:)?[^\s:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?"
    r":(?:(?P<severity>warning|error):)? ?(?P<msg>\S.*)$"
)
GOFMT_LINE = r"^diff (?:-u )?(?P<old>\S+\.go)(?:\.orig)? (?P<new>\S+\.go)\s*$"
GOFMT_LIST_TRIGGER = r"(?:gofmt|goimports|gofumpt)(?: -[a-z]+)* -l"
GOFMT_LIST_LINE = r"\b(?:gofmt|goimports|gofumpt)(?: -[a-z]+)* -l\b"
LIST_LOOKAHEAD = 20
GROUP_GAP = 4
MODULE_GAP = 1
MAX_BLOCK = 80

_GO_FILE = lazy_compile(r"^\S+\.go$")
_SHELL_NOISE = lazy_compile(r"^(?:[+$>] |shell: |env:|\s|##\[|\[command\])|^\s*$")
_CONTINUATION = lazy_compile(r"^\s+\S")
_DIFF_BODY = lazy_compile(r"^(?:[-+ @\\]|diff |\s*$)")


def source_findings(view: LogView, sources: Sequence[Hit], modules: Sequence[Hit]) -> list[Finding]:
    """Findings for blocks of ``path.go:line: message`` and module resolution lines."""
    findings: list[Finding] = []
    taken: set[int] = set()
    for block in _blocks(sources):
        finding = _source_block(view, block)
        if finding is not None:
            findings.append(finding)
            taken.update(hit.number for hit in block)
    loose = [hit for hit in modules if hit.number not in taken and not _is_source_line(hit)]
    findings.extend(_module_block(view, block) for block in _blocks(loose, MODULE_GAP, view))
    return findings


def gofmt_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """``gofmt -d``/``goimports -d`` diffs: the code is not formatted."""
    findings: list[Finding] = []
    end = 0
    for hit in hits:
        if hit.number <= end:
            continue
        end = follow(view, hit.number, lambda text: bool(_DIFF_BODY.match(text)), limit=200)
        files = [
            m.group("new") for _, t in view.span(hit.number, end) if (m := re.match(GOFMT_LINE, t))
        ]
        findings.append(
            Finding(
                tool="gofmt",
                failure_type=FailureType.LINT,
                sub_type="gofmt",
                message=f"not formatted: {', '.join(dict.fromkeys(files))}"[:MESSAGE_LIMIT],
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + 40)),),
                locations=tuple(Location(path) for path in dict.fromkeys(files))[:8],
            )
        )
    return findings


def gofmt_list_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """``gofmt -l`` run as a check: the files it lists are not formatted."""
    findings: list[Finding] = []
    for hit in hits:
        files = _listed_files(view, hit.number)
        if not files:
            continue
        paths = [path for _, path in files]
        findings.append(
            Finding(
                tool="gofmt",
                failure_type=FailureType.LINT,
                sub_type="gofmt",
                message=f"not formatted: {', '.join(paths)}"[:MESSAGE_LIMIT],
                anchor=files[0][0],
                ranges=((hit.number, hit.number), (files[0][0], files[-1][0])),
                locations=tuple(Location(path) for path in paths)[:8],
            )
        )
    return findings


def _listed_files(view: LogView, command: int) -> list[tuple[int, str]]:
    files: list[tuple[int, str]] = []
    for number, text in view.span(command + 1, command + LIST_LOOKAHEAD):
        if _GO_FILE.match(text):
            files.append((number, text.strip()))
        elif files or not _SHELL_NOISE.match(text):
            break
    return files


def _is_source_line(hit: Hit) -> bool:
    return re.match(SOURCE_LINE, hit.text) is not None


def _blocks(
    hits: Sequence[Hit], gap: int = GROUP_GAP, view: LogView | None = None
) -> list[list[Hit]]:
    """Runs of hits at most ``gap`` lines apart (after a hit's indented continuation)."""
    blocks: list[list[Hit]] = []
    end = 0
    for hit in sorted(hits, key=lambda item: item.number):
        if blocks and hit.number - end <= gap:
            blocks[-1].append(hit)
        else:
            blocks.append([hit])
        end = _continued(view, hit.number) if view is not None else hit.number
    return blocks


def _source_block(view: LogView, block: list[Hit]) -> Finding | None:
    first, last = block[0].number, _continued(view, block[-1].number)
    found = verdict(view, block, first, last)
    if found is None:
        return None
    header = first - 1 if PKG_HEADER.match(view.text(first - 1) or "") else first
    tail = build_failed_after(view, last)
    messages = [hit.text.strip() for hit in block]
    locations = [
        Location(m.group("path"), int(m.group("line")))
        for hit in block
        if (m := re.match(SOURCE_LINE, hit.text))
    ]
    return Finding(
        tool=found.tool,
        failure_type=found.failure_type,
        sub_type=found.sub_type,
        message="\n".join(messages[:3])[:MESSAGE_LIMIT],
        anchor=first,
        ranges=merge_ranges([(header, min(tail, first + MAX_BLOCK))]),
        strength=Strength.CLEAR,
        locations=tuple(dict.fromkeys(locations))[:8],
        kind="error",
    )


def _continued(view: LogView, number: int) -> int:
    """Indented continuation lines (``\\tprevious declaration at …``, import chains)."""
    return follow(view, number, lambda text: bool(_CONTINUATION.match(text)), limit=8, skip_blank=0)


def _module_block(view: LogView, block: list[Hit]) -> Finding:
    first, last = block[0].number, _continued(view, block[-1].number)
    previous = view.text(first - 1) or ""
    if previous.rstrip().endswith(" imports") or previous.startswith("go: finding"):
        first -= 1
    texts = [text for _, text in view.span(first, last)]
    verdict = module_verdict(texts)
    return Finding(
        tool=verdict.tool,
        failure_type=verdict.failure_type,
        sub_type=verdict.sub_type,
        message="\n".join(text.strip() for text in texts[:3])[:MESSAGE_LIMIT],
        anchor=block[0].number,
        ranges=((first, min(last, first + MAX_BLOCK)),),
        strength=Strength.CLEAR,
        kind="error",
    )
