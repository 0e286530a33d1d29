"""Failures of the machine, the network or the job's own set-up, not of the code.

Infrastructure (runner lost, out of memory, disk full, DNS/network, rate limits,
docker daemon, cancellation, time limits) and configuration (missing secrets or env,
permissions, a CI script calling what does not exist). A re-run may cure the first
kind and never cures the second; neither is the code's fault.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import re2

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength
from sheriff.core.parsers.base import Parser, follow
from sheriff.core.rules import Rule
from sheriff.core.scan import Hit

_RUN_GAP = 2
INFRA = FailureType.INFRASTRUCTURE
DEPENDENCY = FailureType.DEPENDENCY
CONFIG = FailureType.CONFIG


@dataclass(frozen=True, slots=True)
class _Signal:
    """A line shape with the failure it means and how sure that meaning is."""

    sub_type: str
    failure_type: FailureType
    pattern: str
    strength: Strength = Strength.CLEAR


def _signal(
    sub_type: str,
    failure_type: FailureType,
    pattern: str,
    strength: Strength = Strength.CLEAR,
) -> _Signal:
    return _Signal(sub_type, failure_type, pattern, strength)


_SIGNALS: dict[str, _Signal] = {
    "cancelled": _signal(
        "cancelled",
        INFRA,
        r"The operation was canceled|The run was canceled by|Build was aborted"
        r"|Aborted by \S+|The runner has received a shutdown signal|Job was cancell?ed",
    ),
    "time_limit": _signal(
        "timeout",
        INFRA,
        r"has exceeded the maximum execution time|exceeded the maximum time limit for jobs"
        r"|No output has been received in the last|Build timed out \(after"
        r"|job (?:execution )?timed out|ERROR: Job failed: execution took longer than"
        r"|command timed out: \d+ seconds (?:without output|elapsed)",  # Buildbot
    ),
    "runner": _signal(
        "runner",
        INFRA,
        r"lost communication with the server|The hosted runner: .* lost"
        r"|runner .*(?:went offline|is offline|disconnected)|ChannelClosedException"
        r"|Agent went offline|channel is already closed|Remote call on .* failed"
        r"|Unable to (?:create|find) (?:a )?(?:runner|agent)|hudson\.remoting\.\w+Exception",
    ),
    "disk_full": _signal(
        "disk_full", INFRA, r"No space left on device|ENOSPC|disk quota exceeded|Disk full"
    ),
    "oom": _signal(
        "resource",
        INFRA,
        r"Out of memory|OOMKilled|Cannot allocate memory|oom-kill|Killed\s+(?:\S+\s+)*\(?core"
        r"|exit code 137|signal: killed|std::bad_alloc|JavaScript heap out of memory"
        r"|There is insufficient memory for the Java Runtime",
    ),
    "killed": _signal(
        "resource", INFRA, r"^(?:\S+: )?(?:line \d+:\s+)?(?:\d+\s+)?Killed\b", Strength.PARTIAL
    ),
    "dns": _signal(
        "network",
        INFRA,
        r"Could not resolve host|Temporary failure in name resolution|Name or service not known"
        r"|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|no such host|nodename nor servname"
        r"|Could not resolve hostname|unable to resolve host",
    ),
    "connection": _signal(
        "network",
        INFRA,
        r"Connection (?:refused|reset(?: by peer)?|timed out|closed)|ECONNRESET|ECONNREFUSED"
        r"|ETIMEDOUT|TLS handshake timeout|Network is unreachable|Could not create connection"
        r"|Failed to connect to|The requested URL returned error: 5\d\d|HTTP (?:Error )?50[234]"
        r"|503 Service Unavailable|502 Bad Gateway|early EOF|RPC failed; curl|unexpected disconnect"
        r"|Failed to download (?:action )?archive|Received fatal alert: handshake_failure",
        Strength.PARTIAL,
    ),
    "rate_limit": _signal(
        "rate_limit",
        INFRA,
        r"API rate limit exceeded|secondary rate limit|Too Many Requests"
        r"|toomanyrequests|You have reached your pull rate limit|rate limit exceeded"
        r"|The requested URL returned error: 429",
    ),
    "docker_usage": _signal(
        "ci_script",
        CONFIG,
        r"executable file not found in \$PATH|invalid reference format"
        r"|unknown shorthand flag|requires (?:at least|exactly) \d+ arguments?",
    ),
    "docker_layer": _signal(
        "docker_image",
        DEPENDENCY,
        r"could not fetch content descriptor|failed to solve: .* not found",
    ),
    "docker": _signal(
        "docker",
        INFRA,
        r"Cannot connect to the Docker daemon|Error response from daemon|manifest unknown"
        r"|pull access denied|failed to pull image|ImagePullBackOff|ErrImagePull",
        Strength.PARTIAL,
    ),
    "shared_library": _signal(
        "system_library",
        DEPENDENCY,
        r"error while loading shared libraries|cannot open shared object file",
    ),
    "tls": _signal(
        "download",
        DEPENDENCY,
        r"certificate subject alternative name|SSL certificate problem|certificate verify failed"
        r"|x509: certificate|unable to get local issuer certificate|protocol_version"
        r"|md5sum did not match|checksum (?:mismatch|did not match)|Hash Sum mismatch"
        r"|sha\d+ (?:mismatch|checksum failed)",
    ),
    "browser": _signal(
        "browser_disconnect",
        INFRA,
        r"Disconnected, because no message in|Browser .* (?:disconnected|DISCONNECTED)"
        r"|has not captured in \d+ ms",
    ),
    "clone": _signal(
        "git",
        INFRA,
        r"Remote branch .* not found in upstream origin|Could not find remote branch"
        r"|fatal: unable to access '.*': |fatal: the remote end hung up unexpectedly"
        r"|fatal: could not read Username|Failed to fetch .* from remote",
    ),
    "permission": _signal(
        "permission",
        CONFIG,
        r"Permission denied|EACCES|Operation not permitted|must be owner of"
        r"|Resource not accessible by integration|insufficient permissions|403 Forbidden",
        Strength.PARTIAL,
    ),
    "secret": _signal(
        "env",
        CONFIG,
        r"KeyError: '[A-Z][A-Z0-9_]+'|environment variable \S+ (?:is )?(?:not set|missing|required)"
        r"|(?:secret|token|credentials?) (?:is |are )?"
        r"(?:not set|missing|empty|not (?:found|provided))"
        r"|Input required and not supplied|Could not load credentials from any providers"
        r"|Unable to locate credentials|Bad credentials|Authentication failed for"
        r"|invalid (?:api[_ ]?key|token)|Missing required (?:env|environment)",
        Strength.PARTIAL,
    ),
    "merge_conflict": _signal(
        "merge_conflict",
        CONFIG,
        r"CONFLICT \([\w/ -]+\): |Automatic merge failed; fix conflicts"
        r"|error: could not apply [0-9a-f]{7,}",
    ),
    "git_describe": _signal(
        "git", CONFIG, r"No tags can describe|No names found, cannot describe anything"
    ),
    "ci_script": _signal(
        "ci_script",
        CONFIG,
        r"No Rakefile found|: command not found"
        r"|^(?:/bin/)?(?:ba|da|z)?sh: (?:line )?\d+: .*: not found$"
        r"|Unable to resolve action"
        r"|Invalid workflow file|unrecognized (?:option|arguments)|Unknown option|invalid option"
        r"|No names found, cannot describe anything|is not recognized as an internal or external"
        r"|No such file or directory$|Unable to find action"
        r"|Could not find a part of the path",
        Strength.PARTIAL,
    ),
}

_TRIGGER = (
    r"(?i:canceled|cancelled|aborted|shutdown signal|maximum execution time|maximum time limit"
    r"|No output has been received|timed out|lost communication|offline|ChannelClosed"
    r"|channel is already closed|Remote call on|hudson\.remoting|No space left|ENOSPC"
    r"|quota exceeded|Disk full|Out of memory|OOMKilled|allocate memory|oom-kill|Killed|code 137"
    r"|signal: killed|bad_alloc|heap out of memory|insufficient memory|resolve host|name resolution"
    r"|service not known|ENOTFOUND|EAI_AGAIN|no such host|servname|Connection (?:refused|reset"
    r"|timed out|closed)|ECONNRESET|ECONNREFUSED|ETIMEDOUT|handshake|Network is unreachable"
    r"|create connection|Failed to connect|returned error: 5|HTTP (?:Error )?50|503 Service"
    r"|502 Bad|early EOF|RPC failed|unexpected disconnect|download (?:action )?archive"
    r"|rate limit|Too Many Requests|toomanyrequests|Docker daemon|Error response from daemon"
    r"|manifest unknown|pull access denied|pull image|ImagePull|Disconnected, because|disconnected"
    r"|has not captured|Remote branch|remote branch|unable to access|remote end hung up"
    r"|read Username|Failed to fetch|Permission denied|EACCES|not permitted|must be owner"
    r"|not accessible by integration|insufficient permissions|403 Forbidden|KeyError: '"
    r"|environment variable|not set|Input required|credentials|Bad credentials"
    r"|Authentication failed"
    r"|api[_ ]?key|invalid token|Missing required|Rakefile|command not found|: not found"
    r"|resolve action|Invalid workflow|unrecognized (?:option|arguments)|Unknown option"
    r"|invalid option|No names found|No tags can describe|not recognized as an internal"
    r"|No such file or directory"
    r"|Unable to find|part of the path|executable file not found|invalid reference format"
    r"|unknown shorthand flag|requires (?:at least|exactly)|content descriptor|failed to solve"
    r"|shared librar|shared object file|certificate|SSL|x509|protocol_version|md5sum|checksum"
    r"|Hash Sum mismatch|sha\d+ |CONFLICT \(|Automatic merge failed|could not apply)"
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per run of lines with the same signal (a disk filling up fails many
    writes in a row: that is one failure, not twenty)."""
    findings: list[Finding] = []
    for hit in hits:
        signal = _classify(hit.text)
        if signal is None:
            continue
        last = follow(view, hit.number, lambda text: text[:1] in {" ", "\t"}, limit=8)
        previous = findings[-1] if findings else None
        if previous is not None and _continues(previous, signal, hit.number):
            findings[-1] = replace(previous, ranges=((previous.anchor, max(last, hit.number)),))
            continue
        findings.append(_finding(hit, signal, last))
    return findings


def _continues(previous: Finding, signal: _Signal, number: int) -> bool:
    same = (previous.failure_type, previous.sub_type) == (signal.failure_type, signal.sub_type)
    return same and number <= previous.ranges[-1][1] + _RUN_GAP


def _finding(hit: Hit, signal: _Signal, last: int) -> Finding:
    return Finding(
        tool="ci",
        failure_type=signal.failure_type,
        sub_type=signal.sub_type,
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, last),),
        strength=signal.strength,
        kind="error",
    )


_ORDERED = tuple(_SIGNALS.values())
_SIGNAL_SET = re2.Set.SearchSet(re2.Options())
for _item in _ORDERED:
    _SIGNAL_SET.Add(f"(?i:{_item.pattern})")
_SIGNAL_SET.Compile()


def _classify(text: str) -> _Signal | None:
    """The first signal, in declaration order, that the line matches."""
    matched = _SIGNAL_SET.Match(text)
    return _ORDERED[min(matched)] if matched else None


class _AnySignal:
    """Confirms that a line shows one of the signals (RE2 set, one pass over the line).

    The trigger is cheap and broad ("SSL", "environment variable", "not set"); without
    this check every harmless mention would anchor a context window and a search for
    generic errors around it (most trigger lines of real logs are harmless).
    """

    def search(self, string: str, /) -> re.Match[str] | None:
        return _WHOLE_LINE.match(string) if _classify(string) is not None else None


_WHOLE_LINE = lazy_compile(".*")
_RULES = (Rule("infra.signal", _TRIGGER, _AnySignal(), before=20, after=15),)


PARSER = Parser(name="infra", rules=_RULES, parse=_parse)
