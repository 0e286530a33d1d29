"""Parser for misc tests failures (to be written)."""

from __future__ import annotations

from sheriff.core.parsers.base import Parser

PARSER = Parser(name="misc_tests", rules=(), parse=lambda view, hits: [])
