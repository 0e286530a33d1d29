"""Parser for javascript failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="javascript", rules=(), parse=lambda view, hits: [])
