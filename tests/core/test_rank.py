"""Ranking: the failing command's span, and the primary cause inside it."""

from __future__ import annotations

from sheriff.core.parsers import parse_log
from sheriff.core.rank import failing_commands, rank
from tests.conftest import read_shared

# Travis runs ./scripts/ci/test.sh, which runs yarn scripts that echo "$ ng e2e ..."
# for every example; the first example's type errors come long before the exit line.
ANGULAR = "logchunks/logs/TypeScript/angular@angular/failed/499899891.log.gz"


def test_a_command_named_by_its_exit_line_starts_at_its_own_echo() -> None:
    findings = parse_log(read_shared(ANGULAR))
    assert failing_commands(findings)[0] == (2831, 5235)
    assert rank(findings)[0].anchor == 2876  # the first error inside test.sh


def test_without_an_echo_of_the_named_command_the_nearest_echo_starts_it() -> None:
    log = (
        b"$ make deps\n"
        b"ok\n"
        b"$ make check\n"
        b"error: check failed\n"
        b'The command "./ci/run.sh" exited with 2.\n'
    )
    assert failing_commands(parse_log(log)) == [(3, 5)]


def test_a_named_command_is_not_looked_for_before_the_previous_failure() -> None:
    log = (
        b"$ ./ci/run.sh\n"
        b'The command "./ci/run.sh" exited with 1.\n'
        b"$ make docs\n"
        b"error: docs failed\n"
        b'The command "./ci/run.sh" exited with 2.\n'
    )
    assert failing_commands(parse_log(log)) == [(1, 2), (3, 5)]
