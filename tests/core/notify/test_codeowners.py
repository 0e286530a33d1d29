import pytest

from sheriff.core.notify import parse_codeowners, pattern_regex

# GitHub's documented example, trimmed (docs: "About code owners").
CODEOWNERS = """
# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/github
"""


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("README.md", ("@global-owner1", "@global-owner2")),
        ("src/app.js", ("@js-owner",)),
        ("cmd/main.go", ("docs@example.com",)),
        ("build/logs/out.txt", ("@octocat",)),  # **/logs comes after /build/logs/
        ("docs/getting-started.md", ("@doctocat",)),  # /docs/ comes last
        ("web/apps/index.html", ("@octocat",)),  # apps/ at any depth
        ("scripts/release.sh", ("@doctocat", "@octocat")),
        ("deep/down/logs/x.log", ("@octocat",)),
        ("apps/github/main.rb", ()),  # a pattern without owners: unowned
    ],
)
def test_the_last_matching_rule_wins(path: str, owners: tuple[str, ...]) -> None:
    assert parse_codeowners(CODEOWNERS).owners_of(path) == owners


def test_docs_star_matches_only_files_directly_in_docs() -> None:
    regex = pattern_regex("docs/*")
    assert regex is not None
    assert regex.match("docs/guide.md")
    assert not regex.match("docs/build-app/troubleshooting.md")


def test_patterns_github_ignores_are_skipped() -> None:
    assert pattern_regex("!keep.txt") is None
    assert pattern_regex("[abc].txt") is None
    owners = parse_codeowners("*.py @py\n!x.py @nobody\n").owners_of_all(["a.py", "b.md"])
    assert owners == ("@py",)
