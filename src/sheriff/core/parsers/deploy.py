"""Deploy steps: a deployment that failed after the build and tests passed.

firebase-tools announces each target (``=== Deploying to 'site'...``), reports progress
with ``i``/``✔`` lines, and ends a failed deploy with ``Error: <reason>``. That is the
hosting service or the deploy's credentials failing, not the code: an infrastructure
failure, or a configuration failure when the reason is authentication or permission.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.scan import Hit

_DEPLOYING = lazy_compile(r"^=== Deploying to '(?P<target>[^']+)'")
_ERROR = lazy_compile(r"^Error: (?P<reason>.+)$")
_DONE = lazy_compile(r"^(?:✔\s+Deploy complete!|=== Deploying to )")
_AUTH = lazy_compile(
    r"(?i)authenticat|credential|permission|forbidden|unauthori[sz]ed|\b40[13]\b|login|token"
)
_DEPLOY_LINES = 60
"""How far below its announcement a deploy's error may come."""

RULES = (
    rule(
        "deploy.firebase",
        r"=== Deploying to '",
        _DEPLOYING.pattern,
        before=2,
        after=_DEPLOY_LINES,
    ),
)


def _failed_deploy(view: LogView, hit: Hit) -> Finding | None:
    """The deploy's ``Error:`` line, if it failed before completing."""
    for number, text in view.span(hit.number + 1, hit.number + _DEPLOY_LINES):
        if _DONE.match(text):
            return None
        error = _ERROR.match(text)
        if error is not None:
            reason = error.group("reason")
            config = _AUTH.search(reason) is not None
            return Finding(
                tool="firebase",
                failure_type=FailureType.CONFIG if config else FailureType.INFRASTRUCTURE,
                sub_type="permission" if config else "deploy",
                message=f"Deploy to {_target(hit)} failed: {reason}"[:500],
                anchor=number,
                ranges=((hit.number, number),),
                strength=Strength.CLEAR,
            )
    return None


def _target(hit: Hit) -> str:
    assert hit.match is not None
    return hit.match.group("target")


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    found = (_failed_deploy(view, hit) for hit in hits)
    return [finding for finding in found if finding is not None]


PARSER = Parser(name="deploy", rules=RULES, parse=_parse)
