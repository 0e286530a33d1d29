"""The real CI logs shipped with Sheriff for ``sheriff demo``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def example_logs() -> list[Path]:
    folder = Path(str(files("sheriff") / "examples" / "logs"))
    return sorted(path for path in folder.iterdir() if path.suffix == ".log")
