"""Artifact resolution failures of Maven, Leiningen, Ivy, sbt and coursier."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.jvm_goal import error_block
from sheriff.core.parsers.misc_family import (
    block_end,
    capped,
    clusters,
    is_network_error,
    joined,
)
from sheriff.core.scan import Hit

_RESOLUTION = (
    r"Could not resolve dependencies for|Could not find artifact \S|Could not transfer artifact \S"
    r"|Failed to collect dependencies|Non-resolvable parent POM|Failed to read artifact descriptor"
    r"|or one of its dependencies could not be resolved|unresolved dependency:"
    r"|UNRESOLVED DEPENDENCIES|Error downloading [\w.\-]+:[\w.\-]+:"
    r"|sbt\.(?:librarymanagement\.)?ResolveException"
)
_RELATED = lazy_compile(
    r"typo in :dependencies|behind a proxy|Could not (?:find|transfer|resolve)|Required by"
    r"|^\s*+(?:\[(?:warn|error)\]\s++)?(?:::|>|not found:)"
    r"|^\s+\S+:\S+|^\s*\[(?:warn|error)\]\s{2,}\S+:\S+"
)

DEPENDENCY_RULES = (rule("jvm.maven.dependency", _RESOLUTION, _RESOLUTION, before=5, after=30),)


def _sub_type(text: str) -> str:
    if ":dependencies" in text or "clojars" in text:
        return "leiningen"
    if "UNRESOLVED DEPENDENCIES" in text or "unresolved dependency" in text:
        return "sbt" if re.search(r"\[(?:warn|error)\]", text) else "ivy"
    if "Error downloading" in text or "ResolveException" in text:
        return "sbt"
    return "maven"


def _finding(view: LogView, group: list[Hit]) -> Finding:
    first = group[0].number
    end = block_end(view, group[-1].number, lambda text: bool(_RELATED.search(text)), limit=6)
    if group[0].text.startswith("[ERROR]"):
        end = max(end, error_block(view, group[-1].number)[1])
    text = joined(view, first, end, limit=4000)
    network = is_network_error(text)
    message = group[0].text.strip()
    if message.startswith("[ERROR] "):
        message = message[len("[ERROR] ") :]
    return Finding(
        tool=_sub_type(text) if not network else "maven",
        failure_type=FailureType.INFRASTRUCTURE if network else FailureType.DEPENDENCY,
        sub_type="network" if network else _sub_type(text),
        message=message[:500],
        anchor=first,
        ranges=(capped(first, end),),
    )


def dependency_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per run of resolution errors; goal lines are left to the goal block."""
    own = [
        hit
        for hit in hits
        if "Failed to execute goal" not in hit.text and not hit.text.startswith("[WARNING]")
    ]
    return [_finding(view, group) for group in clusters(own, gap=10)]
