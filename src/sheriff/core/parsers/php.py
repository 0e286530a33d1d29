"""Parser for php failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="php", rules=(), parse=lambda view, hits: [])
