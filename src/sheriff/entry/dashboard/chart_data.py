"""The failures-per-day series as the JSON the dashboard's Chart.js stacked bars draw."""

from __future__ import annotations

from typing import Any

from sheriff.app.dashboard_overview import FailureSeries
from sheriff.core.model import FailureType
from sheriff.entry.dashboard.rendering import failure_label

COLOURS = {  # one colour per failure type, distinguishable side by side
    FailureType.TEST: "#d1495b",
    FailureType.E2E: "#edae49",
    FailureType.BUILD: "#00798c",
    FailureType.LINT: "#8f5db7",
    FailureType.TYPE_CHECK: "#30638e",
    FailureType.DEPENDENCY: "#66a182",
    FailureType.CONFIG: "#b5651d",
    FailureType.INFRASTRUCTURE: "#4f5d75",
    FailureType.UNKNOWN: "#9aa0a6",
}


def failures_chart(series: FailureSeries) -> dict[str, Any]:
    """``{"labels": [day...], "datasets": [{label, key, data, backgroundColor}], "total"}``."""
    return {
        "labels": [day.isoformat() for day in series.days],
        "total": series.total,
        "datasets": [
            {
                "key": kind.value,
                "label": failure_label(kind),
                "data": list(counts),
                "backgroundColor": COLOURS[kind],
            }
            for kind, counts in series.counts.items()
        ],
    }
