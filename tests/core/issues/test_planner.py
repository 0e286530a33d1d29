"""Whole decisions on real failures, applied to a small in-memory issue tracker so that
repeated scans can be checked: one issue per fingerprint, no duplicate comments, human
edits and labels kept."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from sheriff.core.issues import (
    CommentAction,
    CommentSnapshot,
    FailureCase,
    IssueAction,
    IssuePlan,
    IssueSnapshot,
    IssueState,
    LinkedIssue,
    describe_plan,
    parse_marked,
    plan_issue,
    resolve_comments,
)
from sheriff.core.repo_config import RepoSettings
from tests.core.issues.real_cases import (
    FLAKY_RETRY,
    HUMAN_ISSUE_BODY,
    MAINTAINER_NOTE,
    T0,
    go_case,
    infra_case,
    occurrence,
    on_main,
)

BOT = "sheriff[bot]"
DEFAULTS = RepoSettings()


@dataclass
class Tracker:
    """Issues and comments as GitHub would hold them after executing plans."""

    issues: dict[int, IssueSnapshot] = field(default_factory=dict)
    comments: dict[int, list[CommentSnapshot]] = field(default_factory=dict)
    links: dict[str, tuple[int, bool]] = field(default_factory=dict)
    writes: int = 0

    def scan(
        self, case: FailureCase, settings: RepoSettings = DEFAULTS, *, fix_merged: bool = False
    ) -> IssuePlan:
        plan = plan_issue(
            case,
            settings,
            default_branch="main",
            linked=self.linked(case.fingerprint),
            open_issues=[i for i in self.issues.values() if i.state is IssueState.OPEN],
            sheriff_login=BOT,
            fix_merged=fix_merged,
        )
        self.apply(plan)
        return plan

    def linked(self, fingerprint: str) -> LinkedIssue | None:
        if fingerprint not in self.links:
            return None
        number, ours = self.links[fingerprint]
        return LinkedIssue(self.issues[number], ours, tuple(self.comments.get(number, [])))

    def file(self, title: str, body: str, labels: set[str], author: str = "kenny") -> int:
        number = len(self.issues) + 1
        self.issues[number] = IssueSnapshot(number, title, body, frozenset(labels), author)
        return number

    def apply(self, plan: IssuePlan) -> None:
        if not plan.writes:
            return
        self.writes += 1
        number = plan.issue_number
        if plan.action is IssueAction.CREATE:
            assert plan.title is not None
            assert plan.body is not None
            number = self.file(plan.title, plan.body, set(plan.labels_to_add), BOT)
        assert number is not None
        if plan.action is IssueAction.ATTACH:
            plan = resolve_comments(plan, self.comments.get(number, []), sheriff_login=BOT)
        self._edit(number, plan)
        self.links[plan.fingerprint] = (number, plan.sheriff_owns_body)

    def _edit(self, number: int, plan: IssuePlan) -> None:
        issue = self.issues[number]
        labels = (issue.labels | set(plan.labels_to_add)) - set(plan.labels_to_remove)
        issue = replace(issue, labels=frozenset(labels), title=plan.title or issue.title)
        issue = replace(issue, body=plan.body if plan.body is not None else issue.body)
        if plan.reopen:
            issue = replace(issue, state=IssueState.OPEN, state_reason="reopened", closed_at=None)
        self.issues[number] = issue
        thread = self.comments.setdefault(number, [])
        for decision in plan.comments:
            if decision.action is CommentAction.POST:
                thread.append(
                    CommentSnapshot(100 * number + len(thread), decision.wanted.body, BOT)
                )
            elif decision.action is CommentAction.EDIT:
                thread[:] = [
                    replace(c, body=decision.wanted.body) if c.id == decision.comment_id else c
                    for c in thread
                ]

    def close(self, number: int, reason: str, hours: float) -> None:
        self.issues[number] = replace(
            self.issues[number],
            state=IssueState.CLOSED,
            state_reason=reason,
            closed_at=T0 + timedelta(hours=hours),
        )


def test_two_scans_make_one_issue_and_the_second_changes_nothing() -> None:
    tracker = Tracker()
    first = tracker.scan(go_case(on_main(2)))
    assert first.action is IssueAction.CREATE
    assert first.title == "[failing] TestAlpha/Meetups (github.com/avelino/awesome-go)"
    assert set(first.labels_to_add) == {
        "sheriff/managed",
        "sheriff/failing",
        "sheriff/test_failure",
    }
    second = tracker.scan(go_case(on_main(2)))
    assert second.action is IssueAction.UNCHANGED
    assert (len(tracker.issues), tracker.writes) == (1, 1)


def test_human_edits_and_labels_survive_an_update() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    issue = tracker.issues[1]
    edited = MAINTAINER_NOTE + issue.body.replace("\n", "\r\n") + "\r\n\r\nThanks bot 🤖"
    tracker.issues[1] = replace(issue, body=edited, labels=issue.labels | {"bug", "area/docs"})

    plan = tracker.scan(go_case(on_main(4)))
    assert plan.action is IssueAction.UPDATE
    assert plan.labels_to_remove == ()
    body = tracker.issues[1].body
    assert body.startswith(MAINTAINER_NOTE)
    assert body.endswith("\r\n\r\nThanks bot 🤖")
    assert "| Seen | 4 times in 4 runs |" in body.replace("\r", "")
    assert {"bug", "area/docs"} <= tracker.issues[1].labels


def test_a_verdict_change_swaps_sheriffs_labels_and_retags_its_title() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.issues[1] = replace(tracker.issues[1], labels=tracker.issues[1].labels | {"bug"})
    plan = tracker.scan(go_case(on_main(2), flakiness=FLAKY_RETRY))
    assert plan.labels_to_add == ("sheriff/flaky",)
    assert plan.labels_to_remove == ("sheriff/failing",)
    assert plan.title == "[flaky] TestAlpha/Meetups (github.com/avelino/awesome-go)"
    assert tracker.issues[1].labels == {
        "bug", "sheriff/managed", "sheriff/flaky", "sheriff/test_failure"
    }  # fmt: skip


def test_a_title_a_person_edited_is_kept() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.issues[1] = replace(tracker.issues[1], title="Meetups sort order breaks TestAlpha")
    plan = tracker.scan(go_case(on_main(2), flakiness=FLAKY_RETRY))
    assert plan.title is None


def test_a_person_filed_issue_is_reused_with_one_managed_comment() -> None:
    tracker = Tracker()
    tracker.file("Meetups out of order", HUMAN_ISSUE_BODY, {"bug"})
    plan = tracker.scan(go_case(on_main(2)))
    assert plan.action is IssueAction.ATTACH
    assert plan.body is None
    assert plan.title is None
    assert len(tracker.issues) == 1
    assert tracker.issues[1].body == HUMAN_ISSUE_BODY
    assert [c.author for c in tracker.comments[1]] == [BOT]

    assert tracker.scan(go_case(on_main(2))).action is IssueAction.UNCHANGED
    update = tracker.scan(go_case(on_main(3)))
    assert update.action is IssueAction.UPDATE
    assert [d.action for d in update.comments] == [CommentAction.EDIT]
    assert len(tracker.comments[1]) == 1
    assert tracker.issues[1].body == HUMAN_ISSUE_BODY
    assert "3 times in 3 runs" in tracker.comments[1][0].body


def test_a_restart_after_attaching_does_not_post_a_second_comment() -> None:
    tracker = Tracker()
    tracker.file("Meetups out of order", HUMAN_ISSUE_BODY, {"bug"})
    tracker.scan(go_case(on_main(2)))
    tracker.links.clear()  # killed before the link was stored
    plan = tracker.scan(go_case(on_main(2)))
    assert plan.action is IssueAction.ATTACH
    assert len(tracker.comments[1]) == 1


def test_a_lost_link_to_sheriffs_own_issue_is_found_by_its_fingerprint() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.links.clear()
    plan = tracker.scan(go_case(on_main(3)))
    assert plan.action is IssueAction.UPDATE
    assert plan.sheriff_owns_body
    assert len(tracker.issues) == 1


def test_a_fixed_then_recurring_failure_reopens_once() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.close(1, "completed", hours=5)
    recurred = go_case((*on_main(2), occurrence(777, hours=30)))
    plan = tracker.scan(recurred)
    assert plan.action is IssueAction.REOPEN
    assert plan.reopen
    assert plan.body is not None
    assert [d.wanted.key for d in plan.comments] == ["reopen:3a56659289069b1f80a7:777.1"]
    again = tracker.scan(recurred)
    assert again.action is IssueAction.UNCHANGED
    assert len(tracker.comments[1]) == 1


def test_after_a_merged_fix_the_scan_leaves_reopening_to_the_lifecycle() -> None:
    # Only a commit that contains the fix can show it came back: git tells, not the clock.
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.close(1, "completed", hours=5)
    plan = tracker.scan(go_case((*on_main(2), occurrence(777, hours=30))), fix_merged=True)
    assert plan.action is IssueAction.UNCHANGED
    assert not plan.reopen
    assert "reconcile decides" in plan.reason
    assert tracker.issues[1].state is IssueState.CLOSED


def test_closed_as_not_planned_is_left_alone() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.close(1, "not_planned", hours=5)
    plan = tracker.scan(go_case((*on_main(2), occurrence(777, hours=30))))
    assert plan.action is IssueAction.IGNORED
    assert len(tracker.issues) == 1


def test_an_ignore_label_silences_an_open_issue_and_a_matching_human_issue() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.issues[1] = replace(tracker.issues[1], labels=frozenset({"sheriff/ignore"}))
    assert tracker.scan(go_case(on_main(5))).action is IssueAction.IGNORED

    other = Tracker()
    other.file("TestAlpha/Meetups is known-broken", "", {"sheriff/ignore"})
    plan = other.scan(go_case(on_main(2)))
    assert plan.action is IssueAction.IGNORED
    assert len(other.issues) == 1


def test_infrastructure_and_pull_request_failures_are_not_filed() -> None:
    tracker = Tracker()
    assert tracker.scan(infra_case()).action is IssueAction.NOT_FILED
    prs = tuple(occurrence(n, branch="x", event="pull_request") for n in range(3))
    assert tracker.scan(go_case(prs)).action is IssueAction.NOT_FILED
    assert tracker.issues == {}


def test_a_body_too_full_for_the_blocks_moves_them_to_a_comment() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    tracker.issues[1] = replace(tracker.issues[1], body="x" * 65_500)
    plan = tracker.scan(go_case(on_main(3)))
    assert plan.body is None
    assert [d.action for d in plan.comments] == [CommentAction.POST]
    assert tracker.issues[1].body == "x" * 65_500


def test_the_body_records_the_labels_sheriff_applied() -> None:
    tracker = Tracker()
    tracker.scan(go_case(on_main(2)))
    status = parse_marked(tracker.issues[1].body).interior("status") or ""
    assert '"sheriff/failing"' in status


def test_a_dry_run_line_names_the_fingerprint_classification_and_confidence() -> None:
    case = go_case(on_main(2))
    line = describe_plan(plan_issue(case, DEFAULTS, default_branch="main"), case)
    assert line.startswith("create '[failing] TestAlpha/Meetups")
    assert "3a56659289069b1f80a7 test_failure/assertion confidence 95" in line
    assert "+sheriff/failing" in line
