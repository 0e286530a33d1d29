"""GitHub webhook events as Sheriff sees them, and which of them deserve work.

The web entry point reads a verified delivery into a ``WebhookEvent``: a small, plain,
picklable record that is the durable workflow's input (so it holds what the handlers need,
not the whole payload). ``route_event`` decides, without I/O, what a worker will do with
it; the web tier asks first, so events that need nothing are acknowledged and never queued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sheriff.app.forge import FAILED_CONCLUSIONS, WorkflowRun
from sheriff.core.installations import InstallationChange


class EventRoute(StrEnum):
    SCAN_RUN = "scan_run"  # a run completed and failed (or passed on a re-run): scan it
    RECONCILE = "reconcile"  # a person acted on an issue or pull request: reconcile its case
    INSTALLATION = "installation"  # the App's installation changed: update what it covers
    RECORD = "record"  # worth an audit entry, nothing more
    IGNORE = "ignore"  # acknowledged, not queued


HANDLED_EVENTS = frozenset(
    {
        "workflow_run",
        "workflow_job",
        "check_run",
        "issue_comment",
        "issues",
        "pull_request",
        "pull_request_review",
        "pull_request_review_comment",
        "installation",
        "installation_repositories",
    }
)
# Comments and reviews written by bots (other apps, CI bots, Sheriff) are never commands.
COMMENT_EVENTS = frozenset({"issue_comment", "pull_request_review", "pull_request_review_comment"})
# Events Sheriff's own writes cause (its issues, labels, comments, pull requests): ignoring
# them when Sheriff is the sender keeps it from reacting to itself. CI events are not in the
# set: a run Sheriff re-ran that fails again is evidence.
SELF_CAUSED_EVENTS = COMMENT_EVENTS | {"issues", "pull_request"}
RECONCILED_ISSUE_ACTIONS = frozenset({"labeled", "unlabeled", "closed", "reopened", "edited"})
RECONCILED_COMMENT_ACTIONS = frozenset({"created", "edited"})
INSTALLATION_ACTIONS = frozenset(
    {"created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"}
)
INSTALLATION_REPOSITORIES_ACTIONS = frozenset({"added", "removed"})
INSTALLATIONS_PARTITION = "installations"  # the queue partition of installation work


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One verified delivery. ``received_at`` is the web tier's wall clock (epoch seconds),
    kept to measure how long events wait; ``number`` is the issue's or pull request's."""

    delivery_id: str
    name: str
    action: str | None
    repo: str | None
    sender: str | None
    sender_is_bot: bool
    received_at: float
    installation_id: int | None = None
    run: WorkflowRun | None = None
    number: int | None = None
    label: str | None = None
    conclusion: str | None = None  # of a workflow job or check run
    text: EventText | None = None  # a comment, review or body that may call the assistant
    installation: InstallationChange | None = None  # of an installation(_repositories) event

    @property
    def partition(self) -> str:
        """What serialises work: the repository; for an installation event (which has
        none), the one partition of installation work, which the resynchronisation from
        GitHub shares: a resync and a delivery never interleave, so a resync that read
        GitHub's list before a change cannot write it back after the delivery applied it."""
        if self.repo:
            return self.repo
        return INSTALLATIONS_PARTITION if self.installation_id else "github"


@dataclass(frozen=True, slots=True)
class EventText:
    """The text a person wrote, with where it was written (for the @sheriff assistant).

    ``source`` is a ``MentionSource`` value; ``source_id`` the comment's, review's or review
    comment's id, or the issue's number for a body."""

    source: str
    source_id: int
    body: str
    is_pull_request: bool = False
    html_url: str | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RouteDecision:
    route: EventRoute
    reason: str


def route_event(event: WebhookEvent, own_login: str | None) -> RouteDecision:
    """What a worker should do with ``event``; ``own_login`` is Sheriff's GitHub login."""
    refusal = _refusal(event, own_login)
    if refusal is not None:
        return RouteDecision(EventRoute.IGNORE, refusal)
    return _ROUTERS.get(event.name, _record)(event)


def _refusal(event: WebhookEvent, own_login: str | None) -> str | None:
    """Why ``event`` needs no work whatever it says, if it does not."""
    if event.name not in HANDLED_EVENTS:
        return f"{event.name} events are not handled"
    if own_login and event.sender == own_login and event.name in SELF_CAUSED_EVENTS:
        return "caused by Sheriff itself"
    if event.sender_is_bot and event.name in COMMENT_EVENTS:
        return f"written by a bot ({event.sender})"
    return None


def _record(event: WebhookEvent) -> RouteDecision:
    return RouteDecision(EventRoute.RECORD, f"{event.name} {event.action or ''}".strip())


def _route_workflow_run(event: WebhookEvent) -> RouteDecision:
    run = event.run
    if event.action != "completed" or run is None:
        return RouteDecision(EventRoute.IGNORE, f"workflow run {event.action}, not completed")
    if run.conclusion in FAILED_CONCLUSIONS or run.attempt > 1:
        return RouteDecision(EventRoute.SCAN_RUN, f"run {run.run_id} concluded {run.conclusion}")
    return RouteDecision(EventRoute.IGNORE, f"run {run.run_id} concluded {run.conclusion}")


def _route_job(event: WebhookEvent) -> RouteDecision:
    """Jobs and check runs are many: only failed ones are recorded (their run is scanned
    when it completes)."""
    if event.action == "completed" and event.conclusion in FAILED_CONCLUSIONS:
        return RouteDecision(EventRoute.RECORD, f"{event.name} concluded {event.conclusion}")
    return RouteDecision(EventRoute.IGNORE, f"{event.name} {event.action} ({event.conclusion})")


def _route_by_action(event: WebhookEvent, reconciled: frozenset[str]) -> RouteDecision:
    if event.action in reconciled:
        return _needs_number(
            event, RouteDecision(EventRoute.RECONCILE, f"{event.name} {event.action}")
        )
    return RouteDecision(EventRoute.RECORD, f"{event.name} {event.action}")


def _needs_number(event: WebhookEvent, decision: RouteDecision) -> RouteDecision:
    if event.repo is None or event.number is None:
        return RouteDecision(EventRoute.RECORD, f"{event.name} without a repository or number")
    return decision


def _route_issue(event: WebhookEvent) -> RouteDecision:
    return _route_by_action(event, RECONCILED_ISSUE_ACTIONS)


def _route_comment(event: WebhookEvent) -> RouteDecision:
    return _route_by_action(event, RECONCILED_COMMENT_ACTIONS)


def _route_installation(event: WebhookEvent) -> RouteDecision:
    actions = (
        INSTALLATION_ACTIONS if event.name == "installation" else INSTALLATION_REPOSITORIES_ACTIONS
    )
    if event.action in actions and event.installation_id is not None:
        return RouteDecision(EventRoute.INSTALLATION, f"{event.name} {event.action}")
    return _record(event)


def _route_pull_request(event: WebhookEvent) -> RouteDecision:
    return _needs_number(event, RouteDecision(EventRoute.RECONCILE, f"{event.name} {event.action}"))


_ROUTERS: dict[str, Callable[[WebhookEvent], RouteDecision]] = {
    "workflow_run": _route_workflow_run,
    "workflow_job": _route_job,
    "check_run": _route_job,
    "issues": _route_issue,
    "issue_comment": _route_comment,
    "pull_request": _route_pull_request,
    "pull_request_review": _route_pull_request,
    "pull_request_review_comment": _route_pull_request,
    "installation": _route_installation,
    "installation_repositories": _route_installation,
}
