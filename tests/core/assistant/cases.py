"""Context records for the assistant's core tests."""

from __future__ import annotations

from sheriff.core.assistant import (
    ChangedFile,
    CodeExcerpt,
    FailureBrief,
    MentionContext,
    ThreadPost,
)
from sheriff.core.model import TestIdentity

TOKEN = "ghp_" + "b" * 36

FAILURE = FailureBrief(
    fingerprint="0123456789abcdef" * 2,
    failure_type="test_failure",
    sub_type="assertion",
    tool="pytest",
    signature="TimeoutError: deadline exceeded: the server took 1.31s",
    test=TestIdentity("pytest", "tests/test_retry.py", "test_fetch_within_deadline"),
    state="TRIAGED",
    occurrences=2,
    p_flaky=0.74,
    verdict="flaky",
    workflow="CI",
    job_name="tests",
    job_url="https://github.com/acme/shop/actions/runs/1001/job/10011",
    head_sha="a" * 40,
    branch="main",
    excerpt=((41, "E   TimeoutError: deadline exceeded"), (42, f"E   token={TOKEN}")),
    test_location="tests/test_retry.py:7",
)

CONTEXT = MentionContext(
    repo="acme/shop",
    number=3,
    is_pull_request=False,
    title="Flaky: test_fetch_within_deadline",
    body="Sheriff's issue body",
    author="sheriff-bot",
    thread=(ThreadPost("sheriff-bot", "analysis…", by_sheriff=True), ThreadPost("bob", "+1")),
    failures=(FAILURE,),
    code=(CodeExcerpt("tests/test_retry.py", "a" * 40, 7, "def test_fetch_within_deadline():"),),
    code_sha="a" * 40,
)

PULL_CONTEXT = MentionContext(
    repo="acme/shop",
    number=9,
    is_pull_request=True,
    title="Raise the deadline",
    body="",
    changed_files=(ChangedFile("shop/retry.py", "modified", 1, 1, "@@ -1 +1 @@\n-1.0\n+2.0"),),
    code_sha="c" * 40,
)
