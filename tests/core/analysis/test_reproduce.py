"""Reproduction commands per framework, quoted for the shell."""

from __future__ import annotations

import shlex

import pytest

from sheriff.core.analysis import reproduction_command
from sheriff.core.model import TestIdentity


@pytest.mark.parametrize(
    ("test", "test_file", "command"),
    [
        (
            TestIdentity("go", "github.com/tikv/pd/server/cluster", "TestRegionSyncer"),
            "server/cluster/cluster_test.go",
            "go test ./server/cluster -run '^TestRegionSyncer$' -count=1",
        ),
        (
            TestIdentity("go", "github.com/tikv/pd/server", "TestServer/leader_(re)election"),
            None,
            "go test github.com/tikv/pd/server "
            "-run '^TestServer$/^leader_\\(re\\)election$' -count=1",
        ),
        (
            TestIdentity("pytest", "tests/test_cache.py::TestExpiry", "test_ttl[64]"),
            None,
            "python -m pytest 'tests/test_cache.py::TestExpiry::test_ttl[64]'",
        ),
        (
            TestIdentity("pytest", None, "test_ttl"),
            "tests/test_cache.py",
            "python -m pytest tests/test_cache.py::test_ttl",
        ),
        (
            TestIdentity(
                "unittest", "pkg.tests.DownloadTests", "test_resume (pkg.tests.DownloadTests)"
            ),
            None,
            "python -m unittest pkg.tests.DownloadTests.test_resume",
        ),
        (
            TestIdentity("cargo test", None, "tests::backoff_grows"),
            None,
            "cargo test tests::backoff_grows -- --exact",
        ),
        (
            TestIdentity(
                "jest", "src/Toolbar.test.tsx", "Toolbar › when offline › renders (twice)"
            ),
            None,
            "npx jest src/Toolbar.test.tsx -t 'Toolbar when offline renders \\(twice\\)'",
        ),
        (
            TestIdentity("vitest", None, "test/retry.test.ts > retry > gives up"),
            None,
            "npx vitest run test/retry.test.ts -t 'retry gives up'",
        ),
        (
            TestIdentity(
                "junit", "org.example.storage.SegmentCompactorTest", "retriesOnTimeout(int)[2]"
            ),
            None,
            "mvn -Dtest='SegmentCompactorTest#retriesOnTimeout' test",
        ),
        (
            TestIdentity("rspec", "./spec/models/invoice_spec.rb", "Invoice#total rounds to cents"),
            None,
            "bundle exec rspec ./spec/models/invoice_spec.rb -e 'Invoice#total rounds to cents'",
        ),
        (
            TestIdentity("minitest", "CheckoutFlowTest", "test_applies_coupon"),
            "test/integration/checkout_flow_test.rb",
            "ruby -Itest test/integration/checkout_flow_test.rb --name=test_applies_coupon",
        ),
    ],
)
def test_commands(test: TestIdentity, test_file: str | None, command: str) -> None:
    found = reproduction_command(test, test_file=test_file)
    assert found is not None
    assert found.command == command
    assert found.repeat == f"for i in $(seq 20); do {command} || break; done"


def test_a_hostile_test_name_stays_one_argument() -> None:
    name = "it's; rm -rf / #"
    found = reproduction_command(TestIdentity("pytest", None, name))
    assert found is not None
    assert shlex.split(found.command) == ["python", "-m", "pytest", "-k", name]


def test_unknown_frameworks_have_no_command() -> None:
    assert reproduction_command(TestIdentity("ginkgo", None, "x")) is None
    assert reproduction_command(None) is None
