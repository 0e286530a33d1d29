"""Parser for tap failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="tap", rules=(), parse=lambda view, hits: [])
