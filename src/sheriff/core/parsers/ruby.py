"""Ruby: RSpec, minitest, RuboCop, Bundler/RubyGems and rake.

RSpec and minitest live in ``ruby_rspec`` and ``ruby_minitest``; this module adds the
tools and combines them into the ``ruby`` parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import ruby_minitest, ruby_rspec
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.misc_family import (
    ANSI,
    Family,
    block_end,
    capped,
    clusters,
    combine,
    is_network_error,
    joined,
    next_nonblank,
)
from sheriff.core.scan import Hit

_OFFENSE = lazy_compile(
    r"^(?P<path>[^\s:]+\.(?:rb|rake|gemspec|ru|jbuilder|builder)|[^\s:]*(?:Gemfile|Rakefile)):"
    r"(?P<line>\d+):\d+: (?P<severity>[CWEFR]): (?:\[Correctable\] )?(?P<cop>[\w/]+): (?P<msg>.*)"
)
_BUNDLER = lazy_compile(
    r"Could not find gem '|Bundler could not find compatible versions"
    r"|Could not find [\w.\-]+-\d[\w.\-]* in any of the sources|Your bundle is locked to"
    r"|An error occurred while installing \S+ \("
    r"|Failed to build gem native extension|Could not find a valid gem '|Could not fetch specs from"
    r"|Gem::RemoteFetcher::FetchError|Bundler::HTTPError|Your Ruby version is .*, but your Gemfile"
    r"|Could not reach host|Gem::MissingSpecVersionError|Gem::ConflictError"
)
_RAKE = lazy_compile(r"^rake aborted!$")

RULES = (
    rule(
        "ruby.tools.rubocop",
        r":\d+:\d+: " + ANSI + r"[CWEFR]" + ANSI + ": ",
        _OFFENSE.pattern,
        before=3,
        after=20,
    ),
    rule("ruby.tools.bundler", _BUNDLER.pattern, _BUNDLER.pattern, before=5, after=20),
    rule("ruby.tools.rake", r"rake aborted!", _RAKE.pattern, before=3, after=10),
)


def _rubocop(group: list[Hit]) -> Finding:
    first = group[0]
    assert first.match is not None
    locations = []
    for hit in group:
        assert hit.match is not None
        locations.append(Location(hit.match.group("path"), int(hit.match.group("line"))))
    return Finding(
        tool="rubocop",
        failure_type=FailureType.LINT,
        sub_type="rubocop",
        message=first.text.strip()[:500],
        anchor=first.number,
        ranges=(
            capped(first.number, group[-1].number + 4 if len(group) == 1 else group[-1].number),
        ),
        locations=tuple(dict.fromkeys(locations))[:8],
    )


def _bundler(view: LogView, group: list[Hit]) -> Finding:
    first = group[0].number
    end = block_end(view, group[-1].number, lambda text: text[:1] in {" ", "\t"}, limit=10)
    text = joined(view, first, end, limit=4000)
    if is_network_error(text) or re.search(
        r"Could not fetch specs|FetchError|HTTPError|reach host", text
    ):
        failure_type, sub_type = FailureType.INFRASTRUCTURE, "network"
    elif "Your Ruby version is" in text:
        failure_type, sub_type = FailureType.CONFIG, "ruby_version"
    else:
        failure_type, sub_type = FailureType.DEPENDENCY, "bundler"
    return Finding(
        tool="bundler",
        failure_type=failure_type,
        sub_type=sub_type,
        message=text[:500],
        anchor=first,
        ranges=(capped(first, end),),
    )


_RAKE_CONFIG = lazy_compile(r"Don't know how to build task")


def _rake(view: LogView, hit: Hit) -> Finding | None:
    found = next_nonblank(view, hit.number, limit=2)
    if found is None or "No Rakefile found" in found[1]:
        return None  # the CI configuration parser reports a missing Rakefile
    number, text = found
    config = bool(_RAKE_CONFIG.search(text))
    return Finding(
        tool="rake",
        failure_type=FailureType.CONFIG if config else FailureType.UNKNOWN,
        sub_type="ci_script" if config else "rake",
        message=text.strip()[:500],
        anchor=number if config else hit.number,
        ranges=((hit.number, number),),
        strength=Strength.CLEAR if config else Strength.PARTIAL,
        kind="error" if config else "summary",
    )


def _parse_tools(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    findings = [_rubocop(group) for group in clusters(by_kind.get("rubocop", []), gap=12)]
    findings.extend(_bundler(view, group) for group in clusters(by_kind.get("bundler", []), 10))
    findings.extend(
        found for hit in by_kind.get("rake", []) if (found := _rake(view, hit)) is not None
    )
    return findings


_COMBINED = combine(
    "ruby",
    (ruby_rspec.FAMILY, ruby_minitest.FAMILY, Family("tools", RULES, _parse_tools)),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """Bundler errors printed before failing tests came from a test's own subprocess (an
    install that failed would have stopped the job): they stay, but as partial signals."""
    findings = _COMBINED.parse(view, hits)
    tests = [f.anchor for f in findings if f.failure_type is FailureType.TEST and f.test]
    if not tests:
        return findings
    last_test = max(tests)
    return [
        replace(f, strength=Strength.PARTIAL) if f.tool == "bundler" and f.anchor < last_test else f
        for f in findings
    ]


PARSER = Parser(name="ruby", rules=_COMBINED.rules, parse=_parse)
