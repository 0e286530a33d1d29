"""The generic parser: exit lines, including Travis's multi-line commands."""

from __future__ import annotations

from sheriff.core.parsers import parse_log
from sheriff.core.parsers.generic import PARSER
from sheriff.core.rank import failing_commands
from tests.conftest import read_shared

# Travis quotes a multi-line `script:` entry whole, so its exit line is the command's
# last line: 'make test"" exited with 1.' (LogChunks Lua/cmusatyalab@openface#0).
OPENFACE = "logchunks/logs/Lua/cmusatyalab@openface/failed/196472359.log.gz"


def test_a_multi_line_command_exits_on_its_last_line_named_by_its_first() -> None:
    findings = parse_log(read_shared(OPENFACE))
    exits = [(f.anchor, f.message) for f in findings if f.kind == "exit"]
    assert exits[-1] == (
        8075,
        'The command "docker run -v $PWD:/root/src/openface bamos/openface \\" exited with 1.',
    )
    # The tests that failed inside that docker run are now inside a failing command.
    assert failing_commands(findings)[-1] == (7844, 8075)


def test_a_command_tail_with_no_command_above_is_not_an_exit_line() -> None:
    log = b'echo "retrying"\nwaiting for db" exited with 1.\n'
    assert [f for f in parse_log(log, (PARSER,)) if f.kind == "exit"] == []


def test_a_command_closed_above_does_not_name_a_later_tail() -> None:
    log = b'The command "make \\\ncheck" exited with 1.\nwaiting for db" exited with 1.\n'
    exits = [(f.anchor, f.message) for f in parse_log(log, (PARSER,)) if f.kind == "exit"]
    assert exits == [(2, 'The command "make \\" exited with 1.')]
