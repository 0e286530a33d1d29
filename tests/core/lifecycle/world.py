"""A small simulated GitHub + app for lifecycle tests: it executes planned actions on the
facts the way the app would (each action takes a second), so tests can check that
planning again after execution asks for nothing new."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sheriff.core.issues.comments import keyed_comment
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.lifecycle import (
    Action,
    Actor,
    AddressReview,
    ApprovalGranted,
    CaseFacts,
    CaseState,
    CheckRun,
    CloseIssue,
    Comment,
    CommentOnIssue,
    CommentOnPullRequest,
    FixFacts,
    FixStarted,
    IssueFacts,
    LabelEvent,
    LastOccurrence,
    OpenPullRequest,
    PostAnalysis,
    PullRequestFacts,
    PushFix,
    ReopenIssue,
    ReplyToComment,
    ReplyToReviewComment,
    Review,
    ReviewComment,
    StartFix,
    StateChange,
    Transition,
    UpdateOutcome,
    next_step,
)
from sheriff.core.model import TestIdentity

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SHERIFF = Actor("sheriff-app[bot]", "Bot")
MAINTAINER = Actor("octo-maintainer")
CONTRIBUTOR = Actor("drive-by-dev")
DEPENDABOT = Actor("dependabot[bot]", "Bot")
FINGERPRINT = "3f9a1c0d5e7b2a4c6d8e0f1a"
GO_TEST = TestIdentity("go", "github.com/tikv/pd/server/cluster", "TestRegionSyncer")


def base_facts(state: CaseState = CaseState.DISCOVERED, **changes: object) -> CaseFacts:
    facts = CaseFacts(
        repo="tikv/pd",
        fingerprint=FINGERPRINT,
        state=state,
        state_changed_at=T0,
        now=T0,
        sheriff_login=SHERIFF.login,
        issue=IssueFacts(number=812, open=True, url="https://github.com/tikv/pd/issues/812"),
        last_seen_at=T0 - timedelta(hours=1),
        test=GO_TEST,
        permissions={MAINTAINER.login: "maintain", CONTRIBUTOR.login: "read"},
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


@dataclass
class World:
    facts: CaseFacts
    fix_failure: str | None = None
    update_failure: str | None = None
    executed: list[Action] = field(default_factory=list)
    next_id: int = 5000
    commits: int = 0

    # -- the outside world ---------------------------------------------------------------
    def tick(self, seconds: float = 1) -> None:
        self.facts = replace(self.facts, now=self.facts.now + timedelta(seconds=seconds))

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def person_comments(self, author: Actor, body: str) -> int:
        self.tick()
        comment = Comment(self.new_id(), author, body, self.facts.now)
        self._issue(comments=(*self.issue.comments, comment))
        return comment.id

    def label(self, author: Actor, name: str = "sheriff/ai-fix-approved") -> None:
        self.tick()
        event = LabelEvent(name, author, self.facts.now)
        self._issue(
            labels=self.issue.labels | {name}, label_events=(*self.issue.label_events, event)
        )

    def checks_fail(self, name: str = "tests (ubuntu-latest)") -> None:
        self.tick()
        run = CheckRun(
            self.new_id(), name, self.pr.head_sha, "completed", "failure", self.facts.now
        )
        self._pr(check_runs=(*self.pr.check_runs, run))

    def review(
        self, author: Actor, state: str = "CHANGES_REQUESTED", comment: str | None = None
    ) -> None:
        self.tick()
        review = Review(self.new_id(), author, state, self.facts.now, commit_id=self.pr.head_sha)
        comments = self.pr.review_comments
        if comment is not None:
            line = ReviewComment(
                self.new_id(), author, comment, self.facts.now, "server/x_test.go", 12
            )
            comments = (*comments, line)
        self._pr(reviews=(*self.pr.reviews, review), review_comments=comments)

    def merge(self) -> None:
        self.tick()
        self._pr(open=False, merged=True)

    def close_pr(self) -> None:
        self.tick()
        self._pr(open=False)

    def recur(self, run_id: int = 777) -> None:
        self.tick()
        seen = LastOccurrence(
            run_id, 1, self.facts.now, f"https://github.com/tikv/pd/actions/runs/{run_id}"
        )
        self.facts = replace(self.facts, last_seen_at=self.facts.now, last_occurrence=seen)

    # -- the app -------------------------------------------------------------------------
    def reconcile(self, rounds: int = 10) -> list[Action]:
        """Plan and execute until there is nothing to do; every action takes a second."""
        done: list[Action] = []
        for _ in range(rounds):
            plan = next_step(self.facts)
            if not plan:
                return done
            for action in plan:
                self.tick()
                self.execute(action)
                done.append(action)
        raise AssertionError(f"no fixed point after {rounds} rounds: {done[-5:]}")

    def execute(self, action: Action) -> None:
        self.executed.append(action)
        handler = getattr(self, "_do_" + type(action).__name__)
        handler(action)

    def _do_PostAnalysis(self, action: PostAnalysis) -> None:
        self._sheriff_comment(keyed_comment(action.key, "analysis").body, action.comment_id)

    def _do_ReplyToComment(self, action: ReplyToComment) -> None:
        self._sheriff_comment(keyed_comment(action.key, "a grounded reply").body, None)

    def _do_CommentOnIssue(self, action: CommentOnIssue) -> None:
        self._sheriff_comment(action.comment.body, action.comment_id)

    def _do_CommentOnPullRequest(self, action: CommentOnPullRequest) -> None:
        comment = Comment(self.new_id(), SHERIFF, action.comment.body, self.facts.now)
        self._pr(comments=(*self.pr.comments, comment))

    def _do_CloseIssue(self, action: CloseIssue) -> None:
        self._issue(open=False, state_reason=action.reason, closed_at=self.facts.now)

    def _do_ReopenIssue(self, _action: ReopenIssue) -> None:
        self._issue(open=True, state_reason="reopened", closed_at=None)

    def _do_StartFix(self, action: StartFix) -> None:
        if self.fix_failure:
            self._fix(action.branch, failure=self.fix_failure, failed_at=self.facts.now)
        else:
            self._fix(action.branch, local_head=self._commit(), prepared_at=self.facts.now)

    def _do_PushFix(self, action: PushFix) -> None:
        self._fix(action.branch, remote_head=action.commit, pushed_at=self.facts.now)

    def _do_OpenPullRequest(self, action: OpenPullRequest) -> None:
        assert self.facts.fix is not None
        assert self.facts.fix.remote_head is not None
        pr = PullRequestFacts(
            self.new_id(), action.branch, self.facts.fix.remote_head, action.base, self.facts.now
        )
        self.facts = replace(self.facts, pull_request=pr)

    def _do_AddressReview(self, action: AddressReview) -> None:
        if self.update_failure:
            outcome = UpdateOutcome(self.facts.now, self.update_failure)
            self.facts = replace(self.facts, update_outcome=outcome)
            return
        self._pr(head_sha=self._commit(), last_push_at=self.facts.now)

    def _do_ReplyToReviewComment(self, action: ReplyToReviewComment) -> None:
        body = keyed_comment(action.key, "done").body
        reply = ReviewComment(
            self.new_id(), SHERIFF, body, self.facts.now, in_reply_to=action.comment.id
        )
        self._pr(review_comments=(*self.pr.review_comments, reply))

    def _do_Transition(self, action: Transition) -> None:
        record = action.record
        assert self.facts.state is record.from_state, "compare-and-set failed"
        event = record.event
        change = StateChange(record.from_state, record.to_state, self.facts.now, record.event_name)
        self.facts = replace(
            self.facts,
            state=record.to_state,
            state_changed_at=self.facts.now,
            history=(*self.facts.history, change),
            requested_strategy=event.strategy
            if isinstance(event, ApprovalGranted)
            else self.facts.requested_strategy,
            fix_strategy=event.strategy
            if isinstance(event, FixStarted)
            else self.facts.fix_strategy,
        )

    # -- helpers -------------------------------------------------------------------------
    @property
    def issue(self) -> IssueFacts:
        assert self.facts.issue is not None
        return self.facts.issue

    @property
    def pr(self) -> PullRequestFacts:
        assert self.facts.pull_request is not None
        return self.facts.pull_request

    def _issue(self, **changes: object) -> None:
        self.facts = replace(self.facts, issue=replace(self.issue, **changes))  # type: ignore[arg-type]

    def _pr(self, **changes: object) -> None:
        self.facts = replace(self.facts, pull_request=replace(self.pr, **changes))  # type: ignore[arg-type]

    def _fix(self, branch: str, **changes: object) -> None:
        current = self.facts.fix or FixFacts(branch)
        self.facts = replace(self.facts, fix=replace(current, **changes))  # type: ignore[arg-type]

    def _commit(self) -> str:
        self.commits += 1
        return f"{self.commits:040x}"

    def _sheriff_comment(self, body: str, comment_id: int | None) -> None:
        if comment_id is not None:
            edited = tuple(
                replace(c, body=body, updated_at=self.facts.now) if c.id == comment_id else c
                for c in self.issue.comments
            )
            self._issue(comments=edited)
            return
        comment = Comment(self.new_id(), SHERIFF, body, self.facts.now)
        self._issue(comments=(*self.issue.comments, comment))

    # -- what tests look at --------------------------------------------------------------
    def sheriff_keys(self) -> list[str]:
        comments = [
            *self.issue.comments,
            *(self.facts.pull_request.comments if self.facts.pull_request else ()),
        ]
        return [
            key
            for comment in comments
            if comment.author == SHERIFF and (key := comment_key_of(comment.body)) is not None
        ]

    def kinds(self, actions: list[Action]) -> list[str]:
        return [type(action).__name__ for action in actions]
