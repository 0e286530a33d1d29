"""The forwarder: a thread of the web tier that moves acknowledged deliveries from the
inbox to the durable engine's queue, then marks them forwarded.

It queues each delivery exactly as the web tier used to (workflow id = delivery id, a known
id rejected), so a delivery forwarded twice — the process died after queueing it but before
marking it — is recognised by the engine as a duplicate and runs once. Forwarded rows are
kept for ``retention_seconds`` (a redelivery within that time is answered ``duplicate`` by
the inbox itself; after it, the engine's own id check still holds), then pruned.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sheriff.adapters.engine.enqueued import Enqueued
from sheriff.adapters.engine.inbox import Inbox
from sheriff.app.webhook_events import WebhookEvent
from sheriff.errors import EngineError

log = logging.getLogger("sheriff.inbox")

Forward = Callable[[WebhookEvent], Enqueued]
"""Queue one event durably (``DurableEngine.enqueue``)."""
RETRY_PAUSE_SECONDS = 1.0  # after a failure (the engine database is away)
CHECKPOINT_EVERY_SECONDS = 1.0
MARK_TIMEOUT_SECONDS = 30.0


class Forwarder:
    """``start()`` a background thread, or call ``forward_pending()`` yourself."""

    def __init__(
        self, inbox: Inbox, forward: Forward, clock: Callable[[], float] = time.time
    ) -> None:
        self._inbox = inbox
        self._forward = forward
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.forwarded = 0  # deliveries this process moved to the queue
        self.already_queued = 0  # ... of which the queue already had (a repeat: nothing ran)
        self.last_error: str | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sheriff-forwarder", daemon=True)
        self._thread.start()

    def stop(self, grace_seconds: float = 5.0) -> None:
        """Stop the thread, then forward what is still waiting for up to ``grace_seconds``
        (the rest waits in the inbox for the next start)."""
        self._stop.set()
        self._inbox.wake()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        deadline = self._clock() + grace_seconds
        batch = self._inbox.settings.forward_batch
        try:
            while self._clock() < deadline and self.forward_pending() == batch:
                pass
        except EngineError as error:
            log.warning("deliveries left in the inbox for the next start: %s", error)

    def forward_pending(self) -> int:
        """Forward one batch of waiting deliveries, oldest first; returns how many.

        Raises EngineError when the engine or the inbox fails (what was forwarded before
        the failure is marked)."""
        rows = self._inbox.pending(self._inbox.settings.forward_batch)
        done: list[str] = []
        try:
            for row in rows:
                if row.event is None:
                    log.error(
                        "inbox row %s cannot be read, dropped: %s", row.delivery_id, row.problem
                    )
                elif self._forward(row.event) is Enqueued.DUPLICATE:
                    self.already_queued += 1
                done.append(row.delivery_id)
        finally:
            if done:
                self._inbox.mark_forwarded(done).result(MARK_TIMEOUT_SECONDS)
                self.forwarded += len(done)
        return len(done)

    def prune_forwarded(self) -> int:
        """Delete the rows forwarded longer ago than the retention period; returns how many."""
        cutoff = self._clock() - self._inbox.settings.retention_seconds
        removed = 0
        while True:
            count = self._inbox.prune(cutoff).result(MARK_TIMEOUT_SECONDS)
            removed += count
            if count == 0 or self._stop.is_set():
                return removed

    def problem(self) -> str | None:
        """Why deliveries are not reaching the queue, if they are not (for /healthz)."""
        if self._thread is None or not self._thread.is_alive():
            return "the inbox forwarder is not running"
        if not self._inbox.writing():
            return "the webhook inbox's writer stopped"
        waited = self._inbox.backlog().oldest_age(self._clock())
        if waited > self._inbox.settings.stuck_after_seconds:
            reason = f" (last error: {self.last_error})" if self.last_error else ""
            return f"the oldest unforwarded delivery has waited {waited:.0f} s{reason}"
        return None

    def _run(self) -> None:
        settings = self._inbox.settings
        next_prune = next_checkpoint = self._clock()
        while not self._stop.is_set():
            if self._clock() >= next_checkpoint:  # here, not in a commit acks wait for
                next_checkpoint = self._clock() + CHECKPOINT_EVERY_SECONDS
                self._housekeep(self._inbox.checkpoint)
            if self._clock() >= next_prune:
                next_prune = self._clock() + settings.prune_every_seconds
                self._housekeep(self.prune_forwarded)
            try:
                moved = self.forward_pending()
            except (EngineError, TimeoutError) as error:
                self.last_error = str(error)
                log.warning("forwarding webhook deliveries failed, retrying: %s", error)
                self._stop.wait(RETRY_PAUSE_SECONDS)
                continue
            self.last_error = None
            if moved < settings.forward_batch:
                self._inbox.wait_for_arrivals(settings.poll_seconds)

    def _housekeep(self, chore: Callable[[], object]) -> None:
        try:
            chore()
        except (EngineError, TimeoutError) as error:
            log.warning("webhook inbox housekeeping failed, trying again later: %s", error)
