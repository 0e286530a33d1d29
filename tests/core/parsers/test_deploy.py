"""The deploy parser on a real firebase-tools deploy that failed (LogChunks angular#4)."""

from __future__ import annotations

from sheriff.core.model import FailureType
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.deploy import PARSER
from tests.conftest import read_shared

ANGULAR = "logchunks/logs/TypeScript/angular@angular/failed/502325280.log.gz"


def test_a_deploy_that_ends_in_an_error_is_an_infrastructure_failure() -> None:
    found = parse_log(read_shared(ANGULAR), (PARSER,))
    assert [(f.failure_type, f.sub_type, f.anchor, f.ranges) for f in found] == [
        (FailureType.INFRASTRUCTURE, "deploy", 2573, ((2565, 2573),))
    ]
    assert found[0].message == "Deploy to v6-angular-io failed: An unexpected error has occurred."


def test_a_deploy_refused_for_its_credentials_is_a_configuration_failure() -> None:
    log = (
        b"=== Deploying to 'docs-site'...\n"
        b"i  deploying hosting\n"
        b"Error: HTTP Error: 403, The caller does not have permission\n"
    )
    found = parse_log(log, (PARSER,))
    assert [(f.failure_type, f.sub_type) for f in found] == [(FailureType.CONFIG, "permission")]


def test_a_completed_deploy_is_nothing() -> None:
    log = (
        b"=== Deploying to 'docs-site'...\n"
        b"i  deploying hosting\n"
        b"\xe2\x9c\x94  Deploy complete!\n"
        b"Error: unrelated later failure\n"
    )
    assert parse_log(log, (PARSER,)) == []
