"""A real failure (awesome-go's ``TestAlpha/Meetups``, from a LogChunks log) and the test
source a mirror would hold for it, written in the style of that repository."""

from __future__ import annotations

from sheriff.core.analysis import (
    ContextPack,
    SnippetSource,
    build_context_pack,
    snippet_around,
    snippet_of_test,
)
from sheriff.core.issues import FailureCase
from tests.core.issues.real_cases import FLAKY_RETRY, go_case

SHA = "9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f"

REPO_TEST_GO = """\
package main

import (
\t"sort"
\t"strings"
\t"testing"

\t"github.com/PuerkitoBio/goquery"
)

func TestDuplicatedLinks(t *testing.T) {
\tlinks := map[string]bool{}
\tquery := startQuery()
\tquery.Find("body li > a:first-child").Each(func(_ int, s *goquery.Selection) {
\t\thref, _ := s.Attr("href")
\t\tif links[href] {
\t\t\tt.Errorf("duplicated link %q", href)
\t\t}
\t\tlinks[href] = true
\t})
}

func TestAlpha(t *testing.T) {
\tquery := startQuery()
\tquery.Find("body > ul").Each(func(_ int, s *goquery.Selection) {
\t\tt.Run(s.Prev().Text(), func(t *testing.T) {
\t\t\ttestList(t, s)
\t\t})
\t})
}

func testList(t *testing.T, list *goquery.Selection) {
\tvar items []string
\tlist.Find("ul").Each(func(_ int, s *goquery.Selection) {
\t\ttestList(t, s)
\t\titems = append(items, s.Text())
\t})
\tlist.Find("li > a:first-child").Each(func(_ int, s *goquery.Selection) {
\t\titems = append(items, strings.ToLower(s.Text()))
\t})
\tsorted := make([]string, len(items))
\tcopy(sorted, items)
\tsort.Strings(sorted)
\tfor k, item := range items {
\t\tif item != sorted[k] {
\t\t\tt.Errorf("expected '%s' but actual is '%s'", sorted[k], item)
\t\t}
\t}
\tif t.Failed() {
\t\tt.Logf("expected order is:\\n%s", strings.Join(sorted, "\\n"))
\t}
}
"""


def meetups_case() -> FailureCase:
    return go_case(flakiness=FLAKY_RETRY)


def meetups_sources() -> list[SnippetSource]:
    case = meetups_case()
    assert case.test is not None
    test = snippet_of_test("repo_test.go", SHA, REPO_TEST_GO, case.test)
    helper = snippet_around("repo_test.go", SHA, REPO_TEST_GO, 48, radius=6, reason="assertion")
    assert test is not None
    assert helper is not None
    return [test, helper]


def meetups_pack() -> ContextPack:
    evidence = ["failed and passed on the same commit 9f2c4e1"]
    return build_context_pack(
        meetups_case(), meetups_sources(), evidence=evidence, test_file="repo_test.go"
    )
