"""Checks that span seed files: known repositories, whole attempt sequences, unique ids."""

from __future__ import annotations

from collections import defaultdict

from sheriff.testing.fakegithub.seed_model import RunAttemptSeed, Seed, SeedProblem

SAME_FOR_EVERY_ATTEMPT = ("repo", "workflow", "head_sha", "head_branch", "event")


def check_cross_references(seed: Seed, problems: list[SeedProblem]) -> None:
    """Append a problem for every reference or sequence in ``seed`` that does not hold."""
    names = [repo.full_name.lower() for repo in seed.repos]
    problems.extend(
        SeedProblem("repos.json", None, "full_name", f"{name} is listed twice")
        for name in sorted({name for name in names if names.count(name) > 1})
    )
    known = set(names)
    _check_runs(seed.runs, known, problems)
    _check_issues(seed, known, problems)


def _check_runs(
    runs: tuple[RunAttemptSeed, ...], known: set[str], problems: list[SeedProblem]
) -> None:
    by_run: dict[int, list[tuple[int, RunAttemptSeed]]] = defaultdict(list)
    job_lines: dict[int, int] = {}
    for run in runs:
        where = run.line
        if run.repo.lower() not in known:
            problems.append(
                SeedProblem(
                    "runs.jsonl", where, "repo", f"{run.repo} is not in repos.json: add it there"
                )
            )
        by_run[run.run_id].append((where, run))
        for index, job in enumerate(run.jobs):
            if job.job_id in job_lines:
                problems.append(
                    SeedProblem(
                        "runs.jsonl",
                        where,
                        f"jobs[{index}].job_id",
                        f"{job.job_id} is used again (first on line {job_lines[job.job_id]}): "
                        "every job of every attempt needs its own id",
                    )
                )
            job_lines.setdefault(job.job_id, where)
    for run_id, attempts in by_run.items():
        _check_attempts(run_id, attempts, problems)


def _check_attempts(
    run_id: int, attempts: list[tuple[int, RunAttemptSeed]], problems: list[SeedProblem]
) -> None:
    numbers = sorted(run.run_attempt for _, run in attempts)
    if numbers != list(range(1, len(numbers) + 1)):
        line = attempts[-1][0]
        problems.append(
            SeedProblem(
                "runs.jsonl",
                line,
                "run_attempt",
                f"run {run_id} has attempts {numbers}: give it attempts 1..n, each once",
            )
        )
    first_line, first = attempts[0]
    for line, run in attempts[1:]:
        problems.extend(
            SeedProblem(
                "runs.jsonl",
                line,
                name,
                f"differs from attempt on line {first_line} of run {run_id}: "
                "every attempt of a run shares it",
            )
            for name in SAME_FOR_EVERY_ATTEMPT
            if getattr(run, name) != getattr(first, name)
        )


def _check_issues(seed: Seed, known: set[str], problems: list[SeedProblem]) -> None:
    pulls = {(run.repo.lower(), number) for run in seed.runs for number in run.pull_requests}
    seen: dict[tuple[str, int], int] = {}
    for issue in seed.issues:
        line = issue.line
        key = (issue.repo.lower(), issue.number)
        if key[0] not in known:
            problems.append(
                SeedProblem(
                    "issues.jsonl", line, "repo", f"{issue.repo} is not in repos.json: add it there"
                )
            )
        if key in seen:
            problems.append(
                SeedProblem(
                    "issues.jsonl",
                    line,
                    "number",
                    f"#{issue.number} is used again (line {seen[key]})",
                )
            )
        if key in pulls:
            problems.append(
                SeedProblem(
                    "issues.jsonl",
                    line,
                    "number",
                    f"#{issue.number} is a pull request in runs.jsonl: issues and pull requests "
                    "share one number sequence, pick another",
                )
            )
        seen.setdefault(key, line)
        if issue.state == "open" and issue.state_reason not in {None, "reopened"}:
            problems.append(
                SeedProblem(
                    "issues.jsonl",
                    line,
                    "state_reason",
                    f"{issue.state_reason!r} needs state 'closed' (an open issue has none or "
                    "'reopened')",
                )
            )
