from sheriff.core.model import Location, TestIdentity
from sheriff.core.pr_report import (
    FailureSubject,
    LinkKind,
    changed_file,
    correlate,
    failing_test_path,
)
from tests.core.pr_report.samples import REPO, pricing_change, pricing_failures

PYTEST = TestIdentity("pytest", "tests/test_pricing.py", "test_total_with_discount")


def subject(
    test: TestIdentity | None = PYTEST, *locations: Location, message: str = ""
) -> FailureSubject:
    return FailureSubject(test, tuple(locations), message)


def test_the_real_pytest_failure_points_at_the_changed_function() -> None:
    failure = pricing_failures()[0]
    finding = failure.finding
    links = correlate(FailureSubject(finding.test, finding.locations, finding.message),
                      [pricing_change()], REPO)  # fmt: skip
    [link] = links
    assert link.kind is LinkKind.SYMBOL  # `total(...)` in the assertion, `def total` in the hunk
    assert link.path == "shop/pricing.py"
    assert link.hunk is not None
    assert link.hunk.new_start == 3


def test_a_location_inside_a_changed_hunk_is_the_strongest_link() -> None:
    ci_path = Location("/home/runner/work/shop/shop/shop/pricing.py", 6)
    [link] = correlate(subject(None, ci_path), [pricing_change()], REPO)
    assert (link.kind, link.path, link.line) == (LinkKind.HUNK, "shop/pricing.py", 6)


def test_a_location_outside_the_hunks_still_links_the_file() -> None:
    [link] = correlate(subject(None, Location("shop/pricing.py", 40)), [pricing_change()], REPO)
    assert link.kind is LinkKind.FILE
    assert link.hunk is None


def test_a_changed_test_definition_is_found_in_its_hunk() -> None:
    patch = "\n".join(
        [
            "@@ -7,2 +7,2 @@",
            " def test_total_with_discount():",
            "-    assert x == 5.0",
            "+    assert x == 6.0",
        ]
    )
    changed = changed_file("tests/test_pricing.py", "modified", 1, 1, patch)
    [link] = correlate(subject(), [changed], REPO)
    assert link.kind is LinkKind.TEST_CHANGED


def test_source_named_after_the_test_file_and_neighbours_are_weaker_links() -> None:
    named = changed_file("shop/pricing.py", "modified", 1, 0, "@@ -1 +1,2 @@\n x\n+y\n")
    beside = changed_file("tests/conftest.py", "modified", 1, 0, "@@ -1 +1,2 @@\n x\n+y\n")
    elsewhere = changed_file("docs/guide.md", "modified", 1, 0, "@@ -1 +1,2 @@\n x\n+y\n")
    links = correlate(subject(), [elsewhere, beside, named], REPO)
    assert [(link.kind, link.path) for link in links] == [
        (LinkKind.NAMED, "shop/pricing.py"),
        (LinkKind.PACKAGE, "tests/conftest.py"),
    ]


def test_removed_files_and_unrelated_changes_give_no_link() -> None:
    gone = changed_file("shop/pricing.py", "removed", 0, 6, None)
    unrelated = changed_file("README.md", "modified", 1, 0, "@@ -1 +1,2 @@\n x\n+y\n")
    assert correlate(subject(None, Location("shop/pricing.py", 6)), [gone, unrelated], REPO) == ()
    assert correlate(subject(), [], REPO) == ()


def test_jvm_and_go_tests_are_matched_by_class_and_package() -> None:
    junit = TestIdentity("junit", "com.acme.PricingTest", "addsShipping")
    assert failing_test_path(junit, REPO) == "com/acme/PricingTest"
    java = changed_file("src/main/java/com/acme/Pricing.java", "modified", 1, 0, None)
    [link] = correlate(subject(junit), [java], REPO)
    assert link.kind is LinkKind.NAMED
    go = TestIdentity("go", "github.com/acme/shop/pricing", "TestTotal")
    source = changed_file("pricing/total.go", "modified", 1, 0, None)
    [link] = correlate(subject(go), [source], REPO)
    assert (link.kind, link.path) == (LinkKind.PACKAGE, "pricing/total.go")
