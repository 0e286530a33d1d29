"""Infrastructure and configuration signals: real lines from real logs."""

from __future__ import annotations

from sheriff.core.model import FailureType
from sheriff.core.parsers import parse_log, rule_set
from sheriff.core.parsers.infra import PARSER
from sheriff.core.scan import scan_bytes
from tests.conftest import TOOL_FIXTURES, read_shared

# A Travis log whose set-up mentions "environment variables" and "OpenSSL" many times,
# all harmless, beside a few real network warnings.
TRAVIS_LOG = "logchunks/logs/C#/NancyFx@Nancy/failed/377324945.log.gz"


def test_a_full_disk_is_an_infrastructure_failure() -> None:
    log = (TOOL_FIXTURES / "shell" / "no_space_dd.log").read_bytes()
    findings = parse_log(log, (PARSER,))
    assert [(f.failure_type, f.sub_type) for f in findings] == [
        (FailureType.INFRASTRUCTURE, "disk_full")
    ]


def test_harmless_mentions_of_trigger_words_are_not_hits() -> None:
    data = read_shared(TRAVIS_LOG)
    lines = data.splitlines()
    mentions = [
        number
        for number, line in enumerate(lines, start=1)
        if b"environment variables" in line or b"OpenSSL" in line
    ]
    hits = scan_bytes(data, rule_set((PARSER,))).hits
    findings = parse_log(data, (PARSER,))
    assert mentions  # the log does mention them
    assert hits
    assert not {hit.number for hit in hits} & set(mentions)
    explained = {n for f in findings for first, last in f.ranges for n in range(first, last + 1)}
    assert {hit.number for hit in hits} <= explained  # every hit is a signal the parser reads


def test_a_cherry_pick_or_merge_conflict_is_a_configuration_failure() -> None:
    for case in ("git_cherry_pick_conflict", "git_merge_conflict"):
        log = (TOOL_FIXTURES / "git" / f"{case}.log").read_bytes()
        findings = parse_log(log, (PARSER,))
        assert findings, case
        assert {(f.failure_type, f.sub_type) for f in findings} == {
            (FailureType.CONFIG, "merge_conflict")
        }
        assert findings[0].message == "CONFLICT (content): Merge conflict in settings.py"
