"""npm, Yarn and pnpm: dependency failures, and the scripts they ran that failed.

``npm ERR! code E404`` (a package that does not exist), ``ERESOLVE`` (a conflict) and
friends are dependency failures; ``ENOTFOUND``/``ECONNRESET`` are network failures.
``npm ERR! code ELIFECYCLE``, ``npm ERR! Test failed`` and Yarn's ``error Command failed
with exit code 1`` only say that a script failed: they become a summary whose type
comes from the tool the script ran (``stylelint`` → lint, ``jest`` → test…), anchored on
the script's own output, so the excerpt shows what the tool printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.js_commands import group_hits
from sheriff.core.parsers.js_scripts import script_failure
from sheriff.core.scan import Hit

_NEW_BLOCK = lazy_compile(r"^npm (?:ERR!|error) code ")
_NPM_PREFIX = lazy_compile(r"^npm (?:ERR!|error) ?")
_NETWORK_CODES = lazy_compile(
    r"\b(?:ENOTFOUND|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ESOCKETTIMEDOUT"
    r"|ERR_SOCKET_TIMEOUT|EHOSTUNREACH|ENETUNREACH)\b|socket hang up|network timeout"
)
_SCRIPT_FAILED = lazy_compile(
    r"code ELIFECYCLE|Test failed\.|Lifecycle script `?[\w:.-]+`? failed|^code [1-9]\d*$"
    r"|Failed at the \S+ \S+ script"
)
_DEPENDENCY = (
    (
        lazy_compile(
            r"\bE404\b|404 Not Found|is not in the npm registry|\bETARGET\b|No matching version"
            r"|notarget|\bENOVERSIONS\b|Couldn't find package|ERR_PNPM_FETCH_404"
            r"|ERR_PNPM_NO_MATCHING_VERSION|YN0035"
        ),
        "missing",
    ),
    (lazy_compile(r"\bERESOLVE\b|peer dep|conflicting|ERR_PNPM_PEER_DEP"), "conflict"),
    (
        lazy_compile(
            r"EINTEGRITY|shasum check failed|integrity checksum failed|sha\d+-\S+ integrity"
        ),
        "checksum",
    ),
    (
        lazy_compile(
            r"can only install packages when your package\.json and package-lock"
            r"|lockfile needs to be updated|frozen-lockfile|OUTDATED_LOCKFILE|YN0028"
            r"|lockfile would have been modified"
        ),
        "lockfile",
    ),
)

_OTHER_ERRORS: tuple[tuple[re.Pattern[str], FailureType, str], ...] = (
    (lazy_compile(r"\bENOSPC\b|no space left", re.I), FailureType.INFRASTRUCTURE, "disk_full"),
    (
        lazy_compile(r"\b(?:EACCES|EPERM|E401|E403)\b|Unable to authenticate"),
        FailureType.CONFIG,
        "permission",
    ),
    (
        lazy_compile(r"\bE429\b|429 Too Many Requests"),
        FailureType.INFRASTRUCTURE,
        "rate_limit",
    ),
    (
        lazy_compile(r"\bE5\d\d\b|503 Service Unavailable"),
        FailureType.INFRASTRUCTURE,
        "service_unavailable",
    ),
    (
        lazy_compile(r"ENOENT.*package\.json|Could not read package\.json|Missing script"),
        FailureType.CONFIG,
        "ci_script",
    ),
    (
        lazy_compile(r"^code E[A-Z0-9]+$|An unexpected error occurred|ERR_PNPM_", re.M),
        FailureType.DEPENDENCY,
        "",
    ),
)

RULES = (
    rule(
        "js_npm.npm_error",
        r"npm(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)*(?:ERR!|error)",
        r"^npm (?:ERR!|error) ?(?P<rest>.*)$",
        before=60,
        after=12,
    ),
    rule(
        "js_npm.yarn_error",
        r"error(?:\x1b\[[0-9;]*m)* (?:An unexpected error occurred|Couldn't find"
        r"|Command failed with exit code|Your lockfile needs|https?://\S+: )|YN00(?:01|28|35)",
        r"^(?:error (?P<rest>(?:An unexpected error occurred|Couldn't find|Command failed with"
        r" exit code|Your lockfile needs|https?://\S+: ).*)|➤ (?P<berry>YN00(?:01|28|35): .*))$",
        before=60,
        after=4,
    ),
    rule(
        "js_npm.pnpm_error",
        r"ERR_PNPM_\w+|ELIFECYCLE +Command failed",
        r"(?P<code>ERR_PNPM_\w+|ELIFECYCLE\s+Command failed)(?P<rest>.*)$",
        before=60,
        after=6,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per run of error lines; a run that reports several scripts failing
    (a script and the scripts that called it) is summarised by the innermost one."""
    findings: list[Finding] = []
    for run in group_hits([h for h in hits if h.match is not None], gap=2):
        found = _block(view, _first_block(run))
        if found is not None:
            findings.append(found)
    return findings


def _first_block(run: list[Hit]) -> list[Hit]:
    for index, hit in enumerate(run[1:], start=1):
        if _NEW_BLOCK.match(hit.text.strip()):
            return run[:index]
    return run


def _block(view: LogView, run: list[Hit]) -> Finding | None:
    texts = [_NPM_PREFIX.sub("", h.text.strip()) for h in run]
    joined = "\n".join(texts)
    manager = _manager(run[0])
    script_failed = any(_SCRIPT_FAILED.search(t) for t in texts) or re.search(
        r"Command failed|RECURSIVE_RUN_FIRST_FAIL", joined
    )
    if script_failed and not _dependency_kind(joined):
        return script_failure(view, run, manager)
    failure_type, sub_type = _classify(joined, manager)
    if failure_type is None:
        return None
    return Finding(
        tool=manager,
        failure_type=failure_type,
        sub_type=sub_type,
        message=_message(texts)[:500],
        anchor=run[0].number,
        ranges=((run[0].number, min(run[-1].number, run[0].number + 25)),),
        strength=Strength.CLEAR,
        kind="error",
    )


def _manager(hit: Hit) -> str:
    if hit.rule.id.endswith("pnpm_error"):
        return "pnpm"
    return "yarn" if hit.rule.id.endswith("yarn_error") else "npm"


def _dependency_kind(text: str) -> str | None:
    for pattern, kind in _DEPENDENCY:
        if pattern.search(text):
            return kind
    return None


def _classify(text: str, manager: str) -> tuple[FailureType | None, str]:
    if _NETWORK_CODES.search(text):
        return FailureType.INFRASTRUCTURE, "network"
    kind = _dependency_kind(text)
    if kind is not None:
        return FailureType.DEPENDENCY, "checksum" if kind == "checksum" else manager
    for pattern, failure_type, sub_type in _OTHER_ERRORS:
        if pattern.search(text):
            return failure_type, sub_type or manager
    return None, ""


def _message(texts: list[str]) -> str:
    meaningful = [t for t in texts if t and not t.startswith(("A complete log", "/", "Usage"))]
    return "\n".join(meaningful[:4])


PARSER = Parser(name="js_npm", rules=RULES, parse=_parse)
