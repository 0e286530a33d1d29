"""The analysis Sheriff writes without an LLM: from the same pack, in the same shape.

Hypotheses come from what the failure says (timeouts, races, ports, nil values, panics,
assertions) and whether it is known to be flaky; each cites the snippets it rests on. The
reproduction command comes from the test's framework and identity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheriff.core.analysis.pack import ContextPack
from sheriff.core.analysis.reproduce import reproduction_command
from sheriff.core.analysis.result import AnalysisResult, Hypothesis, Reproduction


@dataclass(frozen=True, slots=True)
class _Pattern:
    signal: re.Pattern[str]
    title: str
    explanation: str
    plan: str


_PATTERNS = (
    _Pattern(
        re.compile(r"(?i)data race|race detected|concurrent map"),
        "A data race",
        "The run reports unsynchronised access to shared state; the outcome depends on how "
        "goroutines or threads interleave.",
        "Run the test with the race detector, then guard the shared state (mutex, channel, "
        "atomic) or stop sharing it between the test and the code under test.",
    ),
    _Pattern(
        re.compile(r"(?i)timed? ?out|deadline exceeded|timeout"),
        "A timing assumption",
        "The test waits a fixed time or has a deadline the system does not always meet, "
        "typically on a loaded CI runner.",
        "Replace fixed sleeps and short deadlines with waiting for the condition itself "
        "(poll with a generous overall timeout), and check for slow setup steps.",
    ),
    _Pattern(
        re.compile(r"(?i)connection refused|address already in use|eaddrinuse|bind:|port \d+"),
        "A shared resource: ports or servers",
        "The test depends on a port or server that is taken, not started yet, or shut down "
        "by another test running at the same time.",
        "Allocate ports dynamically, wait until servers are ready before using them, and "
        "make parallel tests use separate resources.",
    ),
    _Pattern(
        re.compile(r"(?i)nil pointer|nonetype|nullpointer|undefined is not|cannot read propert"),
        "Used before it is ready",
        "A value is nil/None when the test reaches it: initialisation order or a background "
        "start-up that has not finished.",
        "Find where the value is set (see the cited code), and wait for initialisation to "
        "complete, or make the order explicit.",
    ),
    _Pattern(
        re.compile(r"(?i)panic|segmentation fault|sigsegv|fatal error"),
        "A crash in the code under test",
        "The test process crashed; the stack in the excerpt shows where.",
        "Start from the top frame in the repository (cited) and handle the state that "
        "crashed it; add a regression test for that state.",
    ),
    _Pattern(
        re.compile(r"(?i)expected|assert|not equal|mismatch|should (?:be|have)"),
        "An order- or timing-dependent assertion",
        "The asserted value differs between runs: the test may depend on ordering (maps, "
        "goroutines, test order) or on state left by other tests.",
        "Make the assertion independent of ordering (sort, compare sets) and isolate the "
        "state the test reads from other tests.",
    ),
)


def deterministic_analysis(pack: ContextPack) -> AnalysisResult:
    hypotheses = _hypotheses(pack)
    return AnalysisResult(
        summary=_summary(pack),
        hypotheses=hypotheses,
        reproduction=_reproduction(pack),
        fix_plan=_plan(pack),
        risks=_risks(pack),
        checklist=_checklist(pack),
    )


def _text(pack: ContextPack) -> str:
    return "\n".join([pack.sub_type, pack.message, *(text for _, text in pack.excerpt[-40:])])


def _matching(pack: ContextPack) -> list[_Pattern]:
    text = _text(pack)
    return [pattern for pattern in _PATTERNS if pattern.signal.search(text)][:3]


def _hypotheses(pack: ContextPack) -> tuple[Hypothesis, ...]:
    cited = tuple(snippet.id for snippet in pack.snippets[:3])
    flaky = bool(pack.flaky_evidence) or (pack.p_flaky or 0) >= 0.5
    found = [
        Hypothesis(
            title=pattern.title,
            explanation=pattern.explanation,
            likelihood="high" if index == 0 and flaky else "medium",
            snippet_ids=cited,
        )
        for index, pattern in enumerate(_matching(pack))
    ]
    if found:
        return tuple(found)
    if flaky:
        explanation = (
            "It failed and passed on the same code, so something outside the code varies "
            "between runs."
        )
        return (
            Hypothesis(
                title="Non-deterministic behaviour",
                explanation=explanation,
                likelihood="medium",
                snippet_ids=cited,
            ),
        )
    explanation = (
        "No flaky evidence yet: a recent change or an environment difference may break it "
        "consistently."
    )
    return (
        Hypothesis(
            title="A regression or an environment difference",
            explanation=explanation,
            likelihood="low",
            snippet_ids=cited,
        ),
    )


def _summary(pack: ContextPack) -> str:
    what = f"`{pack.test.qualified}` ({pack.test.framework})" if pack.test else f"`{pack.tool}`"
    count = pack.occurrence_count
    runs = len({item.run_id for item in pack.occurrences})
    first_line = pack.message.strip().split("\n", 1)[0][:300] or pack.sub_type
    evidence = f" Flaky evidence: {pack.flaky_evidence[0]}." if pack.flaky_evidence else ""
    return (
        f"{what} failed {count} time{'s' * (count != 1)} in {runs} recent run{'s' * (runs != 1)} "
        f"({pack.failure_type.value}/{pack.sub_type}).{evidence} Last error: {first_line}"
    )


def _reproduction(pack: ContextPack) -> Reproduction:
    found = reproduction_command(pack.test, test_file=pack.test_file)
    if found is None:
        return Reproduction(
            command="Re-run the failed job",
            notes="Sheriff does not know this test framework's command.",
        )
    notes = f"To catch a flaky failure, repeat it: `{found.repeat}`"
    return Reproduction(
        command=found.command, notes=notes + (f" ({found.note})" if found.note else "")
    )


def _plan(pack: ContextPack) -> tuple[str, ...]:
    steps = [pattern.plan for pattern in _matching(pack)]
    if not steps:
        steps = [
            "Reproduce it with the command above and compare a failing run's log with a "
            "passing one."
        ]
    where = ", ".join(f"{snippet.id} `{snippet.path}`" for snippet in pack.snippets[:3])
    if where:
        steps.append(f"Start from the cited code: {where}.")
    return tuple(steps)


def _risks(pack: ContextPack) -> tuple[str, ...]:
    risks = [
        "Quarantining (skipping) the test hides real regressions in what it covers until "
        "it is fixed."
    ]
    if any(pattern.title == "A timing assumption" for pattern in _matching(pack)):
        risks.append(
            "Longer timeouts make a real hang slower to notice; prefer waiting on conditions."
        )
    return tuple(risks)


def _checklist(pack: ContextPack) -> tuple[str, ...]:
    cited = ", ".join(snippet.id for snippet in pack.snippets) or "the excerpt"
    return (
        "Reproduce the failure with the command above (repeat it if it is flaky).",
        f"Check the hypotheses against the cited code ({cited}).",
        "Decide: fix it now, or quarantine it (skip with a link to this issue) until fixed.",
    )
