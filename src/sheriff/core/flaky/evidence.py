"""The evidence terms of P(flaky): each reads one test's history and returns one value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sheriff.core.flaky.history import (
    CONCURRENT_CAUSE,
    RECENT_RESULTS,
    SHARED_CAUSE,
    TestRecord,
)
from sheriff.core.flaky.records import Evidence, Observation
from sheriff.core.flaky.weights import WEIGHTS

UNRELATED_WINDOW = timedelta(days=14)
ISOLATION_RESULTS = 100  # recent results searched for one-off failures
HINT_PATTERN = re.compile(
    r"(time[d ]?out|deadline exceeded|race|connection (reset|refused)|ECONNRESET|"
    r"broken pipe|await|wait(ing)? for|flak|temporar(il)?y unavailable)",
    re.IGNORECASE,
)

EvidenceTerm = Callable[[TestRecord], Evidence | None]


def _evidence(kind: str, value: float, detail: str, run_ids: list[int]) -> Evidence | None:
    if value <= 0:
        return None
    runs = tuple(sorted(set(run_ids)))[-10:]  # the latest
    return Evidence(kind, round(value, 4), round(WEIGHTS[kind] * value, 4), detail, runs)


def same_commit_pass_fail(record: TestRecord) -> Evidence | None:
    """Commits on which the test both passed and failed in one job (re-runs, PR and push
    runs of one head, workflows sharing the job's name). A job of another name is another
    environment (a platform of a matrix): passing there proves nothing."""
    mixed = [commit for commit in record.fail_shas if commit in record.pass_shas]
    runs = [run for commit in mixed for run in record.fail_shas[commit]]
    shown = ", ".join(f"{sha[:7]} ({job})" for sha, job in mixed[:3])
    detail = f"passed and failed in one job on {len(mixed)} commit(s), e.g. {shown}"
    return _evidence("same_commit_pass_fail", min(len(mixed), 1), detail, runs)


def several_commits(record: TestRecord) -> Evidence | None:
    """Passed and failed in one job on more than one commit: flaky again and again."""
    mixed = [commit for commit in record.fail_shas if commit in record.pass_shas]
    if len(mixed) < 2:
        return None
    runs = [run for commit in mixed for run in record.fail_shas[commit]]
    detail = f"passed and failed in one job on {len(mixed)} different commits"
    return _evidence("several_commits", min(len(mixed) - 1, 3) / 3, detail, runs)


def unrelated_commits(record: TestRecord) -> Evidence | None:
    """The same signature on commits of different authors and PRs within a window."""
    focal = record.failures[-1].observation
    since = focal.time - UNRELATED_WINDOW
    alike = [
        facts.observation
        for facts in record.failures
        if facts.observation.time >= since
        and facts.observation.signature == focal.signature
        and not facts.broken_trunk
        and not facts.shared_cause
    ]
    authors = {item.author for item in alike}
    changes = {item.pr if item.pr is not None else item.sha for item in alike}
    if len(authors) < 2 or len(changes) < 2:
        return None
    detail = f"same signature on {len(changes)} unrelated changes by {len(authors)} authors"
    return _evidence("unrelated_commits", 1.0, detail, [item.run_id for item in alike])


def broken_trunk(record: TestRecord) -> Evidence | None:
    """Share of PR failures that the merge base already had (not flaky, not the PR's fault)."""
    on_prs = [facts for facts in record.failures if facts.observation.pr is not None]
    inherited = [facts.observation for facts in on_prs if facts.broken_trunk]
    if not inherited:
        return None
    detail = f"{len(inherited)} of {len(on_prs)} PR failures were already failing on the merge base"
    return _evidence(
        "broken_trunk", len(inherited) / len(on_prs), detail, [o.run_id for o in inherited]
    )


def _recent(record: TestRecord) -> list[Observation]:
    return record.results[-RECENT_RESULTS:]


def flip_rate(record: TestRecord) -> Evidence | None:
    """How often the outcome changed between consecutive recent results of one job on one
    branch."""
    recent = _recent(record)
    last: dict[tuple[str, str], bool] = {}
    flipped: list[int] = []
    pairs = 0
    for item in recent:
        lane = (item.branch, item.job)
        if lane in last:
            pairs += 1
            if last[lane] != item.failed:
                flipped.append(item.run_id)
        last[lane] = item.failed
    if pairs == 0:
        return None
    rate = len(flipped) / pairs
    detail = f"{len(flipped)} flips in {pairs} consecutive pairs of recent results ({rate:.0%})"
    return _evidence("flip_rate", min(1.0, rate / 0.4), detail, flipped)


def isolated_failures(record: TestRecord) -> Evidence | None:
    """Failures between two passes of the same job on the same branch: one-off failures, not
    a broken change (which fails on every run until it is fixed)."""
    lanes: dict[tuple[str, str], list[Observation]] = {}
    for item in record.results[-ISOLATION_RESULTS:]:
        lanes.setdefault((item.branch, item.job), []).append(item)
    islands = [
        middle.run_id
        for lane in lanes.values()
        for before, middle, after in zip(lane, lane[1:], lane[2:], strict=False)
        if middle.failed and not before.failed and not after.failed
    ]
    detail = f"{len(islands)} failure(s) between two passes of the same job on one branch"
    return _evidence("isolated_failures", min(len(islands), 2) / 2, detail, islands)


def failure_rate(record: TestRecord) -> Evidence | None:
    """The test's own failure rate (smoothed), a prior: high means consistently broken."""
    fails = len(record.failures)
    total = len(record.results)
    rate = (fails + 0.5) / (total + 10)
    detail = f"failed {fails} of {total} results"
    latest = [facts.observation.run_id for facts in record.failures[-10:]]
    return _evidence("failure_rate", min(1.0, rate), detail, latest)


def signature_hint(record: TestRecord) -> Evidence | None:
    """The latest failure's signature names a timeout, race, reset or async wait."""
    focal = record.failures[-1].observation
    match = HINT_PATTERN.search(focal.signature)
    if match is None:
        return None
    return _evidence(
        "signature_hint", 1.0, f"signature mentions {match.group(0)!r}", [focal.run_id]
    )


def untouched_changes(record: TestRecord) -> Evidence | None:
    """Share of PR failures whose PR did not change the test or the module it tests."""
    known = [facts for facts in record.failures if facts.touches_changes is not None]
    untouched = [facts.observation for facts in known if not facts.touches_changes]
    if not untouched:
        return None
    detail = f"{len(untouched)} of {len(known)} PR failures did not touch the PR's changed files"
    return _evidence(
        "untouched_changes", len(untouched) / len(known), detail, [o.run_id for o in untouched]
    )


def reproduces_on_rerun(record: TestRecord) -> Evidence | None:
    """Re-runs of a failed job that failed again with the same signature."""
    first_fail: dict[tuple[int, str, str], Observation] = {}
    repeats: list[int] = []
    for facts in record.failures:
        item = facts.observation
        key = (item.run_id, item.workflow, item.job)
        earlier = first_fail.setdefault(key, item)
        if earlier is not item and earlier.signature == item.signature:
            repeats.append(item.run_id)
    detail = f"failed again with the same signature on {len(repeats)} re-run(s)"
    return _evidence("reproduces_on_rerun", min(len(repeats), 2) / 2, detail, repeats)


def first_seen_touching(record: TestRecord) -> Evidence | None:
    """The first failure ever was on a PR that changed the test or the module it tests;
    its value is the share of all failures on that PR (a race the PR added stays there,
    a flaky test that happened to first fail on it does not)."""
    first = record.failures[0]
    if not first.touches_changes or first.broken_trunk:
        return None
    item = first.observation
    on_it = [f.observation for f in record.failures if f.observation.pr == item.pr]
    detail = (
        f"first failed on PR #{item.pr}, which changed the code this test covers "
        f"({len(on_it)} of {len(record.failures)} failures there)"
    )
    share = len(on_it) / len(record.failures)
    return _evidence("first_seen_touching", share, detail, [o.run_id for o in on_it])


def shared_job_failure(record: TestRecord) -> Evidence | None:
    """Share of failures that other tests of the same job attempt shared word for word."""
    shared = [f.observation for f in record.failures if f.shared_in_job >= SHARED_CAUSE]
    if not shared:
        return None
    detail = (
        f"{len(shared)} of {len(record.failures)} failures came with the same signature in "
        f"{SHARED_CAUSE} or more other tests of the job (a shared cause, not this test)"
    )
    return _evidence(
        "shared_job_failure", len(shared) / len(record.failures), detail, [o.run_id for o in shared]
    )


def concurrent_failures(record: TestRecord) -> Evidence | None:
    """Share of failures that other tests met with the same signature in other jobs within
    the hour before: a shared cause such as a service outage, not this test."""
    around = [f.observation for f in record.failures if f.concurrent >= CONCURRENT_CAUSE]
    if not around:
        return None
    detail = (
        f"{len(around)} of {len(record.failures)} failures came while {CONCURRENT_CAUSE} or "
        "more other tests failed with the same signature in other jobs (an outage?)"
    )
    return _evidence(
        "concurrent_failures",
        len(around) / len(record.failures),
        detail,
        [o.run_id for o in around],
    )


EVIDENCE_TERMS: tuple[EvidenceTerm, ...] = (
    same_commit_pass_fail,
    several_commits,
    unrelated_commits,
    broken_trunk,
    flip_rate,
    isolated_failures,
    failure_rate,
    signature_hint,
    untouched_changes,
    reproduces_on_rerun,
    first_seen_touching,
    shared_job_failure,
    concurrent_failures,
)
