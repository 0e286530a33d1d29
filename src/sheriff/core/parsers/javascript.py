"""JavaScript tests: Jest, Vitest, Mocha (and Cypress), tape, Karma, Jasmine, QUnit,
Playwright, and uncaught Node.js errors.

One parser, so that a stack trace printed inside a test runner's failure block is
reported once, as that test's failure; only the stacks outside every block stand alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.logview import LogView
from sheriff.core.model import Finding
from sheriff.core.parsers.base import Parser
from sheriff.core.parsers.e2e import RULES as E2E_RULES
from sheriff.core.parsers.e2e import e2e_findings
from sheriff.core.parsers.js_browser import RULES as BROWSER_RULES
from sheriff.core.parsers.js_browser import browser_findings
from sheriff.core.parsers.js_jest import RULES as JEST_RULES
from sheriff.core.parsers.js_jest import jest_findings
from sheriff.core.parsers.js_mocha import RULES as MOCHA_RULES
from sheriff.core.parsers.js_mocha import mocha_findings
from sheriff.core.parsers.js_node import RULES as NODE_RULES
from sheriff.core.parsers.js_node import node_findings
from sheriff.core.scan import Hit

RULES = (*JEST_RULES, *MOCHA_RULES, *BROWSER_RULES, *E2E_RULES, *NODE_RULES)

_FAMILIES = {
    **{r.id: "jest" for r in JEST_RULES},
    **{r.id: "mocha" for r in MOCHA_RULES},
    **{r.id: "browser" for r in BROWSER_RULES},
    **{r.id: "e2e" for r in E2E_RULES},
    **{r.id: "node" for r in NODE_RULES},
}


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    groups: dict[str, list[Hit]] = {
        name: [] for name in ("jest", "mocha", "browser", "e2e", "node")
    }
    for hit in hits:
        groups[_FAMILIES.get(hit.rule.id, "node")].append(hit)
    cypress = any(h.rule.id.endswith("cypress_marker") for h in groups["mocha"])
    findings, claimed = jest_findings(view, groups["jest"])
    for more, more_claimed in (
        mocha_findings(view, groups["mocha"], cypress),
        browser_findings(view, groups["browser"]),
        e2e_findings(view, groups["e2e"]),
    ):
        findings.extend(more)
        claimed.extend(more_claimed)
    findings.extend(node_findings(view, groups["node"], claimed))
    return findings


PARSER = Parser(name="javascript", rules=RULES, parse=_parse)
