from __future__ import annotations

from pathlib import Path

import pytest

from sheriff.adapters.git import GitMirror
from sheriff.errors import GitCommandError, GitRefNotFoundError, WorkspacePathError
from tests.adapters.git.repos import Published, git, published_project, workspaces


def test_ensure_clones_a_mirror_whose_head_is_the_remote_branch(
    mirror: GitMirror, published: Published
) -> None:
    assert (mirror.path / "HEAD").is_file()
    assert mirror.head("main") == git(published.upstream, "rev-parse", "HEAD")


def test_ensure_fetches_new_commits_and_prunes_deleted_branches(
    mirror: GitMirror, published: Published
) -> None:
    git(published.upstream, "push", "-q", "origin", "HEAD:refs/heads/feature")
    mirror.ensure()
    assert mirror.head("feature") == mirror.head("main")

    newer = published.commit({"README.md": "A bigger shop.\n"}, "Grow")
    git(published.upstream, "push", "-q", "origin", ":refs/heads/feature")
    mirror.ensure()

    assert mirror.head("main") == newer
    with pytest.raises(GitRefNotFoundError, match="feature"):
        mirror.head("feature")


def test_contains_tells_whether_a_commit_has_another_in_its_history(
    mirror: GitMirror, published: Published
) -> None:
    first = mirror.head("main")
    second = published.commit({"README.md": "A bigger shop.\n"}, "Grow")
    mirror.ensure()
    assert mirror.contains(second, first)
    assert mirror.contains(second, second)
    assert not mirror.contains(first, second)
    with pytest.raises(GitRefNotFoundError):
        mirror.contains(first, "0" * 40)


def test_a_failed_clone_says_what_git_said_and_leaves_nothing_behind(tmp_path: Path) -> None:
    missing = (tmp_path / "no-such-remote.git").as_uri()
    mirror = workspaces(tmp_path / "sheriff").mirror("shop/pricing", missing)

    with pytest.raises(GitCommandError, match="git clone failed") as raised:
        mirror.ensure()

    assert "no-such-remote.git" in raised.value.stderr
    assert raised.value.hint
    assert not mirror.path.exists()
    assert not mirror.path.with_name(mirror.path.name + ".partial").exists()


def test_git_errors_are_redacted(tmp_path: Path) -> None:
    token = "ghp_" + "A1b2C3d4" * 5
    mirror = workspaces(tmp_path / "sheriff").mirror("o/r", str(tmp_path / token))

    with pytest.raises(GitCommandError) as raised:
        mirror.ensure()

    assert token not in str(raised.value)
    assert token not in raised.value.stderr
    assert "[REDACTED:github-token]" in raised.value.stderr


def test_read_at_gives_a_line_range_of_a_file_at_a_commit(
    mirror: GitMirror, published: Published
) -> None:
    first = mirror.head("main")
    published.commit({"shop/pricing.py": "# rewritten\n"}, "Rewrite")
    mirror.ensure()

    snippet = mirror.read_at(first, "shop/pricing.py", 2, 3)

    assert snippet is not None
    assert (snippet.path, snippet.sha, snippet.start, snippet.end) == (
        "shop/pricing.py",
        first,
        2,
        3,
    )
    assert snippet.lines_in_file == 3
    assert snippet.text.splitlines() == [
        '    """Sum of prices minus a discount in percent."""',
        "    return sum(prices) * (1 - discount / 100) + 1",
    ]
    now = mirror.read_at(mirror.head("main"), "shop/pricing.py")
    assert now is not None
    assert now.text == "# rewritten"


def test_read_at_clips_the_range_to_the_file(mirror: GitMirror) -> None:
    snippet = mirror.read_at(mirror.head("main"), "shop/pricing.py", 2, 99)
    assert snippet is not None
    assert (snippet.start, snippet.end) == (2, 3)


def test_read_at_a_missing_file_is_none_and_an_unknown_commit_an_error(
    mirror: GitMirror,
) -> None:
    assert mirror.read_at(mirror.head("main"), "shop/nothing.py") is None
    assert mirror.read_at(mirror.head("main"), "shop") is None  # a directory
    assert mirror.read_at(mirror.head("main"), ".") is None
    with pytest.raises(GitRefNotFoundError):
        mirror.read_at("0" * 40, "shop/pricing.py")
    with pytest.raises(WorkspacePathError):
        mirror.read_at(mirror.head("main"), "../remote.git/config")


def test_find_test_at_locates_definitions_in_each_language(tmp_path: Path) -> None:
    published = published_project(
        tmp_path / "github",
        {
            "cart/cart_test.go": "package cart\n\nfunc TestCartTotal(t *testing.T) {\n}\n",
            "tests/test_cart.py": "import pytest\n\n\nasync def test_cart_total():\n    pass\n",
            "web/cart.test.ts": "describe('Cart', () => {\n  it('adds items', () => {})\n})\n",
            "src/test/java/CartTest.java": "class CartTest {\n  @Test\n  void addsItems() {}\n}\n",
            "src/lib.rs": "#[cfg(test)]\nmod tests {\n    #[test]\n    fn sums_prices() {}\n}\n",
            "src/cart.py": "def test_cart_total_helper():\n    pass\n",
        },
    )
    mirror = workspaces(tmp_path / "sheriff").mirror("shop/cart", published.url)
    mirror.ensure()
    sha = mirror.head("main")

    def where(name: str) -> list[tuple[str, int]]:
        return [(found.path, found.line) for found in mirror.find_test_at(sha, name)]

    assert where("TestCartTotal/empty_cart") == [("cart/cart_test.go", 3)]
    assert where("tests/test_cart.py::test_cart_total[1-2]") == [("tests/test_cart.py", 4)]
    assert where("Cart › adds items") == [("web/cart.test.ts", 2)]
    assert where("com.shop.CartTest.addsItems()") == [("src/test/java/CartTest.java", 3)]
    assert where("tests::sums_prices") == [("src/lib.rs", 4)]
    assert where("test_does_not_exist") == []
