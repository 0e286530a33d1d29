"""A fake GitHub REST API server for tests, benchmarks and ``sheriff demo``.

Start it from a test::

    from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

    with FakeGitHub.running(DEMO_SEED) as fake:
        gh = GitHub(TokenAuthStrategy("x"), base_url=fake.url)
        ...
        fake.fail_next(r"/actions/jobs/\\d+/logs$", status=503, count=2)
        assert fake.request_count("actions/list-workflow-runs-for-repo") == 1

or on its own: ``python -m sheriff.testing.fakegithub --port 8080 --seed DIR`` (the demo
seed when ``--seed`` is left out); it prints its URL and serves until interrupted.

Endpoints (GitHub operation ids; payloads in GitHub's documented shapes, checked against
githubkit's models):

- ``repos/get`` (``clone_url`` is the ``file://`` URL of a git-backed repository),
  ``users/get-authenticated``, ``rate-limit/get``,
  ``repos/get-collaborator-permission-level``, ``repos/get-content`` (ref)
- ``actions/list-workflow-runs-for-repo`` (branch, event, status, created, head_sha,
  actor, check_suite_id, exclude_pull_requests), ``actions/list-workflow-runs``,
  ``actions/get-workflow-run``, ``actions/get-workflow-run-attempt``,
  ``actions/re-run-workflow-failed-jobs``, ``actions/list-repo-workflows``,
  ``actions/get-workflow``
- ``actions/list-jobs-for-workflow-run`` (filter=latest|all),
  ``actions/list-jobs-for-workflow-run-attempt``, ``actions/get-job-for-workflow-run``,
  ``actions/download-job-logs-for-workflow-run`` (302 → text; 410 when expired),
  ``actions/download-workflow-run-logs`` and ``…-attempt-logs`` (302 → zip),
  ``actions/list-workflow-run-artifacts``, ``actions/list-artifacts-for-repo``,
  ``actions/get-artifact``, ``actions/download-artifact`` (302 → zip; 410 when expired)
- ``issues/list-for-repo`` (state, labels, since, creator, sort, direction; pull requests
  included with a ``pull_request`` key), ``issues/create``, ``issues/get``,
  ``issues/update`` (title, body, state, state_reason, labels), ``issues/list-comments``,
  ``issues/create-comment``, ``issues/get-comment``, ``issues/update-comment``,
  ``issues/delete-comment``, ``issues/list-labels-for-repo``, ``issues/create-label``,
  ``issues/get-label``, ``issues/list-labels-on-issue``, ``issues/add-labels``,
  ``issues/set-labels``, ``issues/remove-label``,
  ``issues/list-events`` (labeled, unlabeled, closed, reopened, merged, ...: who did it)
- ``search/issues-and-pull-requests``: qualifiers listed in ``search_query``.
- git-backed repositories (``FakeGitHub.create_git_repo`` / ``attach_git``):
  ``repos/list-branches``, ``repos/get-branch``, ``git/get-ref``, ``git/create-ref``,
  ``git/update-ref``, ``git/delete-ref``, ``repos/get-commit``, ``repos/compare-commits``
- ``pulls/list`` (state, head, base, sort, direction), ``pulls/create``, ``pulls/get``,
  ``pulls/update``, ``pulls/merge`` (merge, squash, rebase: really done in the bare
  repository), ``pulls/check-if-merged``, ``pulls/list-files``, ``pulls/list-commits``,
  ``pulls/list-reviews``, ``pulls/create-review``, ``pulls/get-review``,
  ``pulls/list-review-comments``, ``pulls/create-review-comment``,
  ``pulls/create-reply-for-review-comment``
- ``checks/list-for-ref`` (check_name, status), ``checks/list-suites-for-ref``,
  ``checks/create``, ``checks/get``, ``checks/update`` (workflow runs are check suites
  and their jobs check runs), ``repos/get-combined-status-for-ref``,
  ``repos/create-commit-status``

HTTP behaviour: ``Link`` pagination (per_page default 30, max 100); a strong ``ETag`` on
every 200 GET and ``Last-Modified`` on single resources, with 304 for ``If-None-Match`` /
``If-Modified-Since``; ``x-ratelimit-*`` headers and per-resource budgets (a 304 costs
nothing; a spent budget answers 403, or 429 if configured); GitHub's JSON error bodies;
faults on demand (see ``faults``); every request recorded by operation id.
"""

from __future__ import annotations

from pathlib import Path

from sheriff.testing.fakegithub.fake import FakeGitHub
from sheriff.testing.fakegithub.faults import Fault
from sheriff.testing.fakegithub.recording import RecordedRequest
from sheriff.testing.fakegithub.seed_load import load_seed
from sheriff.testing.fakegithub.seed_model import (
    JobSeed,
    RunAttemptSeed,
    Seed,
    SeedError,
    SeedProblem,
    StepSeed,
)

DEMO_SEED = Path(__file__).parent / "seeds" / "demo"

__all__ = [
    "DEMO_SEED",
    "FakeGitHub",
    "Fault",
    "JobSeed",
    "RecordedRequest",
    "RunAttemptSeed",
    "Seed",
    "SeedError",
    "SeedProblem",
    "StepSeed",
    "load_seed",
]
