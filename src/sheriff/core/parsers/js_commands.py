"""Which command produced a block of output: the nearest command echo above it.

CI logs echo the commands they run (``$ npm test`` on Travis, ``+ cmd`` under
``set -x``, ``Run cmd`` on GitHub Actions, ``> pkg@1.0 script`` / ``> cmd`` from npm,
``$ cmd`` from yarn). Tools whose output alone is ambiguous (``12:5  error  …`` is
ESLint or stylelint) are told apart by the command that ran them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.scan import Hit

_ECHO_PREFIXES = (
    "$ ",
    "+ ",
    "> ",
    "Run ",
    "##[group]Run ",
    "[command]",
    "Executing: ",
    "Running: ",
)
_COMMAND = lazy_compile(
    r"^(?:\$ |\+ |> |Run |##\[group\]Run |\[command\]|Executing: |Running: )(?P<command>\S.*)$"
)
_NPM_BANNER = lazy_compile(r"^> \S+@\S+ \S+")


def recent_command(view: LogView, number: int, limit: int = 60) -> str | None:
    """The command echoed closest above ``number`` (within ``limit`` lines), if any."""
    for back in range(number - 1, max(number - limit, 0), -1):
        text = view.text(back)
        if text is None:
            return None
        match = _COMMAND.match(text) if text.startswith(_ECHO_PREFIXES) else None
        if match and not _NPM_BANNER.match(text):
            return match.group("command").strip()
    return None


def group_hits(hits: Sequence[Hit], gap: int = 3) -> list[list[Hit]]:
    """Runs of hits at most ``gap`` lines apart: one run is one block of diagnostics."""
    runs: list[list[Hit]] = []
    for hit in sorted(hits, key=lambda item: item.number):
        if runs and hit.number - runs[-1][-1].number <= gap:
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return runs
