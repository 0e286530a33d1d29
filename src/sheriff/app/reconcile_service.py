"""The case lifecycle for the service: ``LifecycleReconciler`` is the ``CaseReconciler``
that webhook events (a comment, a label, a review, a merge) and the scheduled reconcile
call. Reconciling is idempotent, so an event delivered twice changes nothing twice."""

from __future__ import annotations

from sheriff.app.case_context import MirrorOpener, ReconcileRequest
from sheriff.app.event_service import ForgeOpener, ReconcileTrigger
from sheriff.app.llm import LLM
from sheriff.app.ports import Store
from sheriff.app.reconcile import ReconcileReport, reconcile_repository


class LifecycleReconciler:
    def __init__(
        self,
        request: ReconcileRequest,
        open_forge: ForgeOpener,
        store: Store,
        *,
        llm: LLM | None = None,
        mirrors: MirrorOpener | None = None,
    ) -> None:
        self._request = request
        self._open_forge = open_forge
        self._store = store
        self._llm = llm
        self._mirrors = mirrors

    def reconcile(self, trigger: ReconcileTrigger) -> str:
        """The cases tracked by the issue the event is about; for a pull request (no case
        links to it by number), every case of the repository."""
        cases = self._store.cases_for_issue(trigger.repo, trigger.number)
        if not cases:
            return self.reconcile_repository(trigger.repo)
        summaries = []
        for repo in sorted({case.repo for case in cases}):
            only = frozenset(case.fingerprint for case in cases if case.repo == repo)
            summaries.append(summary(self._run(repo, only)))
        return "; ".join(summaries)

    def reconcile_repository(self, repo: str) -> str:
        return summary(self._run(repo, None))

    def _run(self, repo: str, only: frozenset[str] | None) -> ReconcileReport:
        with self._open_forge(repo) as forge:
            return reconcile_repository(
                self._request, forge, self._store, llm=self._llm, mirrors=self._mirrors, only=only
            )


def summary(report: ReconcileReport) -> str:
    """One line for the audit log: what moved, what failed."""
    moved = [
        f"{case.fingerprint[:8]} {case.state_before.value}->{case.state_after.value}"
        for case in report.cases
        if case.state_after is not case.state_before
    ]
    problems = sum(len(case.problems) for case in report.cases)
    steps = sum(len(case.steps) for case in report.cases)
    return (
        f"{report.repo}: {steps} step(s) in {len(report.cases)} case(s)"
        + (f", moved {', '.join(moved)}" if moved else "")
        + (f", {problems} problem(s)" if problems else "")
    )
