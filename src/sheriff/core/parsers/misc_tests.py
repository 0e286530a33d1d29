"""Test runners and checkers of the smaller ecosystems, combined into the ``misc`` parser.

Each ecosystem lives in its own ``misc_*`` module as a family of rules.
"""

from __future__ import annotations

from sheriff.core.parsers import misc_apple, misc_beam, misc_bench, misc_docs, misc_suites
from sheriff.core.parsers.misc_family import combine

PARSER = combine(
    "misc",
    (
        misc_beam.FAMILY,
        misc_apple.FAMILY,
        misc_suites.FAMILY,
        misc_docs.FAMILY,
        misc_bench.FAMILY,
    ),
)
