"""Golden reports over a representative selection of real logs.

Each snapshot is the part of ``sheriff.triage/v1`` a reviewer can check by eye: the
primary classification, every failure (identity, location, lines, fingerprint) and the
excerpt ranges. Update with ``pytest tests/core/test_golden.py --snapshot-update`` and
review the diff like code.
"""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from sheriff.core.render_json import report_to_json
from sheriff.core.triage import triage_bytes
from tests.conftest import read_pytorch_fixture, read_shared

LOGCHUNKS = "logchunks/logs/"
SELECTION = [
    LOGCHUNKS + "Go/avelino@awesome-go/failed/553491785.log.gz",
    LOGCHUNKS + "Python/scikit-learn@scikit-learn/failed/562395304.log.gz",
    LOGCHUNKS + "Java/ReactiveX@RxJava/failed/",
    LOGCHUNKS + "Rust/jwilm@alacritty/failed/",
    LOGCHUNKS + "Ruby/rails@rails/failed/",
    LOGCHUNKS + "PHP/bcit-ci@CodeIgniter/failed/",
    LOGCHUNKS + "Elixir/elixir-lang@elixir/failed/",
    LOGCHUNKS + "JavaScript/airbnb@javascript/failed/",
    LOGCHUNKS + "TypeScript/Microsoft@TypeScript/failed/",
    LOGCHUNKS + "C#/NancyFx@Nancy/failed/",
    LOGCHUNKS + "Scala/akka@akka/failed/",
    LOGCHUNKS + "C++/BVLC@caffe/failed/",
    "cidiff-breakages/breakages/commonslang_2089/fail.log",
    "cidiff-breakages/breakages/astor_400/fail.log",
    "cidiff-breakages/breakages/cidiff_11/fail.log",
    "cidiff-breakages/breakages_dump/Build Terraform CLI Packages_/run312/fail.log",
    "pytorch-log-classifier-fixtures/compile_error.txt",
    "pytorch-log-classifier-fixtures/pytest_failures_section.txt",
    "pytorch-log-classifier-fixtures/gha_operation_canceled.txt",
    "pytorch-log-classifier-fixtures/lint_lintrunner.txt",
    "logreduce-tests/zuul-console-pep8/console.fail",
]


def _first_log(folder: str) -> str:
    from tests.conftest import SHARED_DATA

    if not folder.endswith("/"):
        return folder
    return str(sorted((SHARED_DATA / folder).iterdir())[0].relative_to(SHARED_DATA))


def _view(document: dict[str, Any]) -> dict[str, Any]:
    classification = document["classification"]["classifications"]
    primary = classification[0] if classification else None
    return {
        "lines": document["lines"],
        "primary": primary
        and {key: primary[key] for key in ("failure_type", "sub_type", "stack", "confidence")},
        "recommendation": document["classification"]["recommendation"]["action"],
        "excerpt": document["excerpt"]["ranges"],
        "failures": [
            {
                "id": failure["id"],
                "kind": failure["kind"],
                "tool": failure["tool"],
                "type": f"{failure['failure_type']}/{failure['sub_type']}",
                "test": failure["test"],
                "anchor": failure["anchor"],
                "ranges": failure["ranges"],
                "locations": failure["locations"][:3],
                "message": failure["message"][:120],
                "fingerprint": failure["fingerprint"],
            }
            for failure in document["failures"][:12]
            if failure["strength"] != "weak"
        ],
    }


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def _case_id(name: str) -> str:
    parts = name.rstrip("/").split("/")
    return parts[-2] if name.endswith("/") else f"{parts[-2]}-{parts[-1]}"


@pytest.mark.parametrize("name", SELECTION, ids=_case_id)
def test_golden_report(name: str, snapshot_json: SnapshotAssertion) -> None:
    relative = _first_log(name)
    pytorch = "pytorch-log-classifier-fixtures/"
    data = (
        read_pytorch_fixture(relative.removeprefix(pytorch))
        if relative.startswith(pytorch)
        else read_shared(relative)
    )
    report = triage_bytes(data, source=relative, budget=50)
    assert _view(report_to_json(report)) == snapshot_json
