from __future__ import annotations

from pathlib import Path

import pytest

from sheriff.adapters.git import GitOptions, GitWorkspaces
from sheriff.adapters.git.options import command_argv as argv_of
from sheriff.config import load_settings
from sheriff.errors import ConfigError


def test_options_and_layout_come_from_the_settings(tmp_path: Path) -> None:
    settings = load_settings(
        bot_name="shop-bot",
        bot_email="bot@shop.example",
        test_command="make test",
        test_timeout_seconds=42,
        workspace_slots=3,
        workspace_wait_seconds=7,
    )

    spaces = GitWorkspaces.from_settings(settings, data_dir=tmp_path)
    mirror = spaces.mirror("octo/shop", "file:///remote.git")

    assert spaces.options == GitOptions(
        bot_name="shop-bot",
        bot_email="bot@shop.example",
        git_timeout=600.0,
        test_command="make test",
        test_timeout=42.0,
    )
    assert (spaces.slots.count, spaces.slots.wait_seconds) == (3, 7.0)
    assert mirror.path == tmp_path / "workspaces" / "mirrors" / "octo__shop.git"
    assert mirror.push_url == "file:///remote.git"
    custom = load_settings(workspace_dir=str(tmp_path / "elsewhere"))
    assert GitWorkspaces.from_settings(custom, data_dir=tmp_path).root == tmp_path / "elsewhere"


def test_a_test_command_that_cannot_be_split_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="test_command"):
        GitOptions.from_settings(load_settings(test_command="pytest -k 'unclosed"))


def test_the_test_placeholder_is_filled_or_dropped() -> None:
    command = "python -m pytest -q {test} --junit=out-{test}.xml"
    assert argv_of(command, "tests/t.py::test_a b") == [
        "python",
        "-m",
        "pytest",
        "-q",
        "tests/t.py::test_a b",
        "--junit=out-tests/t.py::test_a b.xml",
    ]
    assert argv_of(command, None) == ["python", "-m", "pytest", "-q"]
