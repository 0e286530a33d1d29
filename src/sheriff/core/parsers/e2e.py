"""Parser for e2e failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="e2e", rules=(), parse=lambda view, hits: [])
