"""Parser for python tools failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="python_tools", rules=(), parse=lambda view, hits: [])
