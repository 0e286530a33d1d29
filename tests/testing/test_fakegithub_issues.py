"""Issues, comments, labels, search and permissions: a maintainer's view through the API."""

from __future__ import annotations

import httpx
import pytest
from githubkit import GitHub, TokenAuthStrategy
from githubkit.exception import RequestFailed
from githubkit.utils import UNSET

from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

PYTORCH = ("pytorch", "pytorch")
HUMAN_ISSUE = 159_870


def test_issue_list_includes_pull_requests_marked_as_such(gh: GitHub[TokenAuthStrategy]):
    issues = gh.rest.issues.list_for_repo(*PYTORCH, state="all", per_page=100).parsed_data
    pulls = [issue for issue in issues if issue.pull_request is not UNSET]
    plain = [issue for issue in issues if issue.pull_request is UNSET]
    assert [issue.number for issue in plain] == [HUMAN_ISSUE]
    assert len(pulls) == 11
    labelled = gh.rest.issues.list_for_repo(*PYTORCH, labels="triaged,module: flaky-tests")
    assert [issue.number for issue in labelled.parsed_data] == [HUMAN_ISSUE]
    by_creator = gh.rest.issues.list_for_repo(*PYTORCH, creator="maintainer-alice")
    assert [issue.number for issue in by_creator.parsed_data] == [HUMAN_ISSUE]
    closed = gh.rest.issues.list_for_repo("labri-progress", "cidiff", state="closed").parsed_data
    assert [(issue.number, issue.state_reason) for issue in closed] == [(12, "completed")]


def test_create_edit_label_comment_round_trip(gh: GitHub[TokenAuthStrategy], fake: FakeGitHub):
    made = gh.rest.issues.create(
        *PYTORCH,
        title="[flaky] test_cauchy_kstest_cpu_bfloat16",
        body="<!-- sheriff -->",
        labels=["sheriff/flaky"],
    ).parsed_data
    assert made.user is not None
    assert made.user.login == "sheriff-bot"
    assert made.number == 160_021
    assert made.state == "open"
    fake.act_on_issue(
        "pytorch/pytorch",
        made.number,
        "maintainer-alice",
        body="<!-- sheriff -->\nhuman note",
        labels=["sheriff/flaky", "P1"],
    )
    added = gh.rest.issues.add_labels(*PYTORCH, made.number, labels=["sheriff/triaged"])
    assert [label.name for label in added.parsed_data] == ["P1", "sheriff/flaky", "sheriff/triaged"]
    left = gh.rest.issues.remove_label(*PYTORCH, made.number, "sheriff/flaky").parsed_data
    assert [label.name for label in left] == ["P1", "sheriff/triaged"]
    with pytest.raises(RequestFailed) as missing:
        gh.rest.issues.remove_label(*PYTORCH, made.number, "sheriff/flaky")
    assert missing.value.response.status_code == 404
    comment = gh.rest.issues.create_comment(*PYTORCH, made.number, body="analysis").parsed_data
    edited = gh.rest.issues.update_comment(*PYTORCH, comment.id, body="analysis v2").parsed_data
    assert edited.body == "analysis v2"
    assert edited.updated_at >= comment.updated_at
    listed = gh.rest.issues.list_comments(*PYTORCH, made.number).parsed_data
    assert [item.body for item in listed] == ["analysis v2"]
    again = gh.rest.issues.get(*PYTORCH, made.number).parsed_data
    assert again.body == "<!-- sheriff -->\nhuman note"
    assert again.comments == 1
    assert fake.issue("pytorch/pytorch", made.number).labels == ["P1", "sheriff/triaged"]


def test_close_as_not_planned_then_reopen(gh: GitHub[TokenAuthStrategy]):
    closed = gh.rest.issues.update(
        *PYTORCH, HUMAN_ISSUE, state="closed", state_reason="not_planned"
    ).parsed_data
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert closed.closed_at is not None
    assert closed.closed_by is not None
    reopened = gh.rest.issues.update(*PYTORCH, HUMAN_ISSUE, state="open").parsed_data
    assert (reopened.state, reopened.state_reason, reopened.closed_at) == ("open", "reopened", None)


def test_validation_errors_are_422_with_field(http: httpx.Client):
    no_title = http.post("/repos/pytorch/pytorch/issues", json={"body": "x"})
    assert no_title.status_code == 422
    assert no_title.json()["errors"] == [
        {"resource": "Issue", "field": "title", "code": "missing_field"}
    ]
    bad_state = http.patch(f"/repos/pytorch/pytorch/issues/{HUMAN_ISSUE}", json={"state": "done"})
    assert bad_state.status_code == 422
    twice = http.post("/repos/pytorch/pytorch/labels", json={"name": "triaged"})
    assert twice.json()["errors"][0]["code"] == "already_exists"
    broken = http.post("/repos/pytorch/pytorch/issues", content=b"{not json")
    assert broken.status_code == 400
    assert broken.json()["message"].startswith("Problems parsing JSON")


def test_repo_labels_list_and_create(gh: GitHub[TokenAuthStrategy]):
    made = gh.rest.issues.create_label(
        *PYTORCH, name="sheriff/flaky", color="d93f0b", description="Flaky test"
    ).parsed_data
    assert (made.color, made.description) == ("d93f0b", "Flaky test")
    names = [label.name for label in gh.rest.issues.list_labels_for_repo(*PYTORCH).parsed_data]
    assert names == ["module: flaky-tests", "sheriff/flaky", "triaged"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("repo:pytorch/pytorch is:issue test_cauchy_kstest_cpu_bfloat16", [HUMAN_ISSUE]),
        ("repo:pytorch/pytorch is:issue is:open in:title test_cauchy", [HUMAN_ISSUE]),
        ("repo:pytorch/pytorch is:issue in:body TestTorchDeviceTypeCPU", [HUMAN_ISSUE]),
        ("repo:pytorch/pytorch is:issue in:title TestTorchDeviceTypeCPU", []),
        ('repo:pytorch/pytorch label:"module: flaky-tests" -label:wontfix', [HUMAN_ISSUE]),
        ("repo:pytorch/pytorch is:issue is:closed", []),
        ("repo:labri-progress/cidiff is:closed reason:completed testGithubParsing", [12]),
        ("test_cauchy_kstest_cpu_bfloat16 repo:labri-progress/cidiff", []),
        ("repo:labri-progress/cidiff is:pr", [76]),
        ('repo:pytorch/pytorch "intermittently on trunk" author:maintainer-alice', [HUMAN_ISSUE]),
        ("repo:pytorch/pytorch commenter:triager-bob created:>=2026-07-01", [HUMAN_ISSUE]),
    ],
)
def test_search_issues_qualifiers(gh: GitHub[TokenAuthStrategy], query: str, expected: list[int]):
    found = gh.rest.search.issues_and_pull_requests(q=query).parsed_data
    assert [item.number for item in found.items] == expected
    assert found.total_count == len(expected)
    assert found.incomplete_results is False


def test_search_without_a_query_is_422_and_spends_the_search_budget(http: httpx.Client):
    answer = http.get("/search/issues")
    assert answer.status_code == 422
    assert answer.headers["x-ratelimit-resource"] == "search"
    assert answer.headers["x-ratelimit-limit"] == "30"
    assert answer.headers["x-ratelimit-used"] == "1"


@pytest.mark.parametrize(
    ("login", "permission", "role"),
    [
        ("maintainer-alice", "admin", "admin"),
        ("triager-bob", "read", "triage"),
        ("sheriff-bot", "write", "write"),
        ("stranger", "read", "read"),
        ("pytorch", "admin", "admin"),
    ],
)
def test_collaborator_permission(
    gh: GitHub[TokenAuthStrategy], login: str, permission: str, role: str
):
    answer = gh.rest.repos.get_collaborator_permission_level(*PYTORCH, login).parsed_data
    assert (answer.permission, answer.role_name) == (permission, role)
    assert answer.user is not None
    assert answer.user.login == login


def test_set_permission_and_tokens_identify_users():
    with FakeGitHub.running(
        DEMO_SEED, tokens={"t-alice": "maintainer-alice"}, require_auth=True
    ) as fake:
        fake.set_permission("pytorch/pytorch", "stranger", "maintain")
        alice = GitHub(TokenAuthStrategy("t-alice"), base_url=fake.url, auto_retry=False)
        assert alice.rest.users.get_authenticated().parsed_data.login == "maintainer-alice"
        role = alice.rest.repos.get_collaborator_permission_level(*PYTORCH, "stranger")
        assert (role.parsed_data.permission, role.parsed_data.role_name) == ("write", "maintain")
        anonymous = httpx.get(f"{fake.url}/repos/pytorch/pytorch")
        assert (anonymous.status_code, anonymous.json()["message"]) == (
            401,
            "Requires authentication",
        )
        wrong = httpx.get(f"{fake.url}/user", headers={"Authorization": "token nope"})
        assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
        made = alice.rest.issues.create(*PYTORCH, title="by alice").parsed_data
        assert made.author_association == "MEMBER"
