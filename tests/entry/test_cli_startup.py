"""Guards of the command line's start-up cost (see bench/throughput.py)."""

import inspect
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

import sheriff
from sheriff.entry.cli import app

SRC = Path(sheriff.__file__).resolve().parents[1]
TRIAGE_THEN_LIST_MODULES = """
import sys
from sheriff.entry.cli import main
sys.argv = ["sheriff", "triage", sys.argv[1], "--format", "json"]
try:
    main()
except SystemExit as end:
    assert end.code in (0, None), end.code
heavy = ("sheriff.config", "pydantic_settings", "asyncio")
print(" ".join(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def _modules_after_triage(tmp_path: Path, **variables: str) -> str:
    log = tmp_path / "build.log"
    log.write_text("hi\n")
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith("SHERIFF_")}
    done = subprocess.run(
        [sys.executable, "-c", TRIAGE_THEN_LIST_MODULES, str(log)],
        env={**clean, **variables, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def test_a_triage_with_nothing_set_does_not_load_the_full_settings(tmp_path: Path) -> None:
    assert _modules_after_triage(tmp_path) == ""
    assert _modules_after_triage(tmp_path, SHERIFF_BUDGET="7") == (
        "sheriff.config pydantic_settings asyncio"
    )


def _callbacks(group: typer.Typer) -> list[Callable[..., Any]]:
    found = [command.callback for command in group.registered_commands if command.callback]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        found += _callbacks(sub.typer_instance)
    return found


def test_command_annotations_are_not_strings() -> None:
    """typer evaluates every command's annotations at start-up; strings (``from __future__
    import annotations``) cost it a compile() each."""
    callbacks = _callbacks(app)
    assert len(callbacks) >= 10
    quoted = [
        f"{callback.__qualname__}({name})"
        for callback in callbacks
        for name, annotation in inspect.get_annotations(callback).items()
        if isinstance(annotation, str)
    ]
    assert quoted == []
