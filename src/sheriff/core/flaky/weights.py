"""The fitted logistic model: log-odds weight per evidence kind.

Fitted by ``python bench/flaky.py --fit --seed 1 --events 4000``: logistic regression by
gradient descent on the evidence values of every live assessment of a failure in a
simulated history, labelled with the simulator's ground truth, each test weighted equally
(so the fit matches the per-test Brier score); then rounded to two decimals. Re-run that
command and paste its output here when a term changes. The fit keeps the sign the issue
gives each term (the negative terms stay <= 0, the positive ones >= 0); a term the
simulated histories do not support fits to 0 and is still reported with its detail.
"""

from __future__ import annotations

BIAS = -5.69

WEIGHTS: dict[str, float] = {
    "same_commit_pass_fail": 5.03,
    "unrelated_commits": 1.47,
    "broken_trunk": -2.05,
    "flip_rate": 2.27,
    "failure_rate": 0.63,
    "signature_hint": 0.24,
    "untouched_changes": 1.33,
    "reproduces_on_rerun": 0.0,
    "first_seen_touching": -0.69,
    "shared_job_failure": -0.6,
}
