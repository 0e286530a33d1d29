"""Every command and option is documented in the README (sqlite-utils' rule)."""

import re

import typer.main

from sheriff.entry.cli import app
from tests.conftest import REPO_ROOT


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    group = typer.main.get_group(app)
    missing = []
    for name, command in group.commands.items():
        if f"sheriff {name}" not in readme:
            missing.append(f"sheriff {name}")
        missing.extend(
            f"sheriff {name} {option}"
            for param in command.params
            if not getattr(param, "hidden", False)  # internal: how serve starts its worker
            for option in param.opts
            if option.startswith("--") and not re.search(re.escape(option) + r"\b", readme)
        )
    assert missing == []
