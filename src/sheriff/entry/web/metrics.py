"""Service metrics in Prometheus's text format (no client library: a few counters and
histograms, kept in this process).

- ``sheriff_webhook_deliveries_total{event,result}``: deliveries by event and result
  (``queued``, ``duplicate``, ``ignored``, ``unauthorized``, ``too_large``, ``invalid``,
  ``unavailable``, ``ping``); the event of a delivery that failed before its signature was
  checked is ``unverified`` (a header nobody vouched for must not create series);
- ``sheriff_webhook_ack_seconds``: time to answer a delivery;
- ``sheriff_events_processed_total{event,route}`` / ``sheriff_events_failed_total{event}``
  and ``sheriff_event_processing_seconds``: events this process finished, and the time
  from receipt to done (waiting in the queue included);
- ``sheriff_queue_depth``: events queued or running across all processes;
- ``sheriff_inbox_depth`` / ``sheriff_inbox_oldest_seconds``: deliveries this web tier
  acknowledged that are not yet in the queue, and how long the oldest has waited (it grows
  when the forwarder is stuck); ``sheriff_inbox_forwarded_total``: deliveries it moved.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from dataclasses import dataclass, field

ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
PROCESSING_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)


@dataclass(frozen=True, slots=True)
class InboxGauges:
    depth: int
    oldest_seconds: float
    forwarded: int


@dataclass
class Histogram:
    bounds: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    observations: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.observations += 1

    def lines(self, name: str) -> list[str]:
        lines, running = [], 0
        for bound, count in zip(self.bounds, self.counts, strict=False):
            running += count
            lines.append(f'{name}_bucket{{le="{bound}"}} {running}')
        lines.append(f'{name}_bucket{{le="+Inf"}} {self.observations}')
        lines.append(f"{name}_sum {self.total:.6f}")
        lines.append(f"{name}_count {self.observations}")
        return lines


class ServiceMetrics:
    """Thread-safe; also the engine's ``ProcessingObserver``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deliveries: Counter[tuple[str, str]] = Counter()
        self._processed: Counter[tuple[str, str]] = Counter()
        self._failed: Counter[str] = Counter()
        self._ack = Histogram(ACK_BUCKETS)
        self._processing = Histogram(PROCESSING_BUCKETS)

    def delivery(self, event: str, result: str, seconds: float) -> None:
        with self._lock:
            self._deliveries[event, result] += 1
            self._ack.observe(seconds)

    def event_processed(self, event: str, route: str, seconds: float) -> None:
        with self._lock:
            self._processed[event, route] += 1
            self._processing.observe(seconds)

    def event_failed(self, event: str, seconds: float) -> None:
        with self._lock:
            self._failed[event] += 1
            self._processing.observe(seconds)

    def render(
        self,
        queue_depth: int | None,
        inbox: InboxGauges | None = None,
        processing: list[str] | None = None,
    ) -> str:
        """``processing``: the processing families of the process that runs the events
        (``sheriff serve``'s worker process), instead of this process's own."""
        with self._lock:
            lines = _counter_lines(
                "sheriff_webhook_deliveries_total",
                "Webhook deliveries by event and result.",
                {_labels(event=e, result=r): n for (e, r), n in self._deliveries.items()},
            )
            lines += _histogram_lines(
                "sheriff_webhook_ack_seconds", "Time to answer a delivery.", self._ack
            )
            lines += self._processing_lines() if processing is None else processing
        if queue_depth is not None:
            lines += [
                "# HELP sheriff_queue_depth Events queued or running, across all processes.",
                "# TYPE sheriff_queue_depth gauge",
                f"sheriff_queue_depth {queue_depth}",
            ]
        if inbox is not None:
            lines += _inbox_lines(inbox)
        return "\n".join(lines) + "\n"

    def _processing_lines(self) -> list[str]:
        lines = _counter_lines(
            "sheriff_events_processed_total",
            "Events this process finished, by event and route.",
            {_labels(event=e, route=r): n for (e, r), n in self._processed.items()},
        )
        lines += _counter_lines(
            "sheriff_events_failed_total",
            "Events this process gave up on, by event.",
            {_labels(event=e): n for e, n in self._failed.items()},
        )
        return lines + _histogram_lines(
            "sheriff_event_processing_seconds",
            "From receipt to done, queueing included.",
            self._processing,
        )


PROCESSING_FAMILIES = (
    "sheriff_events_processed_total",
    "sheriff_events_failed_total",
    "sheriff_event_processing_seconds",
)


def processing_families(page: str) -> list[str]:
    """The lines of the processing families in another process's ``/metrics`` page."""
    return [line for line in page.splitlines() if _family_of(line) in PROCESSING_FAMILIES]


def _family_of(line: str) -> str:
    if line.startswith(("# HELP ", "# TYPE ")):
        return line.split(" ", 3)[2]
    name = line.split("{", 1)[0].split(" ", 1)[0]
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and name.removesuffix(suffix) in PROCESSING_FAMILIES:
            return name.removesuffix(suffix)
    return name


def _inbox_lines(inbox: InboxGauges) -> list[str]:
    return [
        "# HELP sheriff_inbox_depth Acknowledged deliveries not yet forwarded to the queue.",
        "# TYPE sheriff_inbox_depth gauge",
        f"sheriff_inbox_depth {inbox.depth}",
        "# HELP sheriff_inbox_oldest_seconds How long the oldest unforwarded delivery waited.",
        "# TYPE sheriff_inbox_oldest_seconds gauge",
        f"sheriff_inbox_oldest_seconds {inbox.oldest_seconds:.3f}",
        "# HELP sheriff_inbox_forwarded_total Deliveries this process forwarded to the queue.",
        "# TYPE sheriff_inbox_forwarded_total counter",
        f"sheriff_inbox_forwarded_total {inbox.forwarded}",
    ]


def _labels(**values: str) -> str:
    return ",".join(f'{key}="{_escape(value)}"' for key, value in values.items())


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _counter_lines(name: str, help_text: str, series: dict[str, int]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
    return lines + [f"{name}{{{labels}}} {count}" for labels, count in sorted(series.items())]


def _histogram_lines(name: str, help_text: str, histogram: Histogram) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} histogram", *histogram.lines(name)]
