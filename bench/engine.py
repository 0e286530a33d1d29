"""Access to Sheriff's triage engine for the benchmark.

``load()`` imports ``sheriff.core.triage.triage_bytes`` from the installed package, or from
``src/`` when the package is not installed (``pip install -e .`` is the normal setup).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

TriageFn = Callable[..., Any]


def load() -> TriageFn:
    """``triage_bytes``, importing it from ``src/`` if Sheriff is not installed."""
    if importlib.util.find_spec("sheriff") is None and str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    module = importlib.import_module("sheriff.core.triage")
    return cast(TriageFn, module.triage_bytes)


def enum_value(value: Any) -> str:
    """The string of a (str) enum member or of a plain string."""
    return str(getattr(value, "value", value))


def excerpt_lines(report: Any) -> frozenset[int]:
    return frozenset(n for first, last in report.excerpt.ranges for n in range(first, last + 1))


def primary_type(report: Any) -> tuple[str, str]:
    """(failure_type, sub_type) of the report's first classification, or unknown."""
    classifications = report.classification.classifications
    if not classifications:
        return "unknown", ""
    first = classifications[0]
    return enum_value(first.failure_type), str(first.sub_type or "")


def failing_tests(report: Any) -> list[tuple[str | None, str]]:
    """(suite, name) of every failure that names a test."""
    out = []
    for failure in report.failures:
        test = failure.finding.test
        if test is not None:
            out.append((test.suite, test.name))
    return out
