"""A reconciler for tests of the event plumbing: it does nothing and says so."""

from __future__ import annotations

from sheriff.app.event_service import ReconcileTrigger


class IdleReconciler:
    """Fits ``CaseReconciler``; reconciles nothing (the lifecycle has its own tests)."""

    NOTE = "not reconciled: an idle reconciler stands in for the lifecycle in this test"

    def reconcile(self, trigger: ReconcileTrigger) -> str:
        return self.NOTE

    def reconcile_repository(self, repo: str) -> str:
        return self.NOTE
