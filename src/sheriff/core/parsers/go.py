"""Parser for go failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="go", rules=(), parse=lambda view, hits: [])
