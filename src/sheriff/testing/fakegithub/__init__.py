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

- ``repos/get``, ``users/get-authenticated``, ``rate-limit/get``,
  ``repos/get-collaborator-permission-level``
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
  ``issues/set-labels``, ``issues/remove-label``
- ``search/issues-and-pull-requests``: qualifiers listed in ``search_query``.

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
