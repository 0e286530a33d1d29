from sheriff.core.pr_report import changed_file, parse_hunks
from tests.core.pr_report.samples import PRICING_PATCH

TWO_HUNKS = "\n".join(
    [
        "@@ -1,3 +1,4 @@ package shop",
        ' import "fmt"',
        '+import "os"',
        " ",
        " func A() {}",
        "@@ -40,2 +41,3 @@ func Total(items []float64) float64 {",
        " \tsum := 0.0",
        "-\treturn sum",
        "+\tfmt.Println(os.Args)",
        "+\treturn sum + 1",
        "\\ No newline at end of file",
        "",
    ]
)


def test_a_hunk_knows_the_lines_of_the_new_file_it_covers() -> None:
    [hunk] = parse_hunks(PRICING_PATCH)
    assert (hunk.new_start, hunk.new_last) == (3, 6)
    assert hunk.added == ((6, "    return round(subtotal * (1 - discount) + 1, 2)"),)
    assert hunk.removed == ((6, "    return round(subtotal * (1 - discount), 2)"),)
    assert (4, "def total(items, discount=0.0):") in hunk.context
    assert hunk.covers(3)
    assert hunk.covers(6)
    assert not hunk.covers(2)
    assert not hunk.covers(7)


def test_numbers_follow_added_and_removed_lines_across_hunks() -> None:
    first, second = parse_hunks(TWO_HUNKS)
    assert first.header == "package shop"
    assert first.added == ((2, 'import "os"'),)
    assert second.header == "func Total(items []float64) float64 {"
    assert second.added == ((42, "\tfmt.Println(os.Args)"), (43, "\treturn sum + 1"))
    assert second.removed == ((41, "\treturn sum"),)
    assert (second.new_start, second.new_last) == (41, 43)


def test_a_file_without_a_patch_has_no_hunks() -> None:
    binary = changed_file("logo.png", "added", 0, 0, None)
    assert binary.hunks == ()
    assert not binary.has_patch
    assert binary.hunk_at(1) is None
    assert changed_file("a.txt", "modified", 1, 0, "not a diff").hunks == ()
