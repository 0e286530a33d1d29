import pytest

from sheriff.core.notify import (
    Notice,
    NoticeKind,
    NotifyRoutes,
    channels_for,
    parse_codeowners,
    parse_pairs,
    path_routes,
    slack_text,
)

OWNERS = parse_codeowners("* @acme/core\nweb/ @acme/web\n*.md @acme/docs\n")
ROUTES = NotifyRoutes(
    default_channel="#ci",
    ops_channel="#sheriff-ops",
    path_routes=path_routes(parse_pairs("api/=#api, api/legacy/=#legacy")),
    owner_channels=parse_pairs("@acme/web=#web-team, @ACME/docs=#docs"),
)


def notice(kind: NoticeKind = NoticeKind.PR_FAILURE, *paths: str) -> Notice:
    return Notice(kind, "acme/shop", "title", key="k", paths=paths)


@pytest.mark.parametrize(
    ("paths", "channels"),
    [
        (("web/app.ts",), ("#web-team",)),
        (("web/app.ts", "README.md"), ("#web-team", "#docs")),  # owner names ignore case
        (("api/users.py",), ("#api",)),
        (("api/legacy/old.py", "web/x.ts"), ("#legacy", "#web-team")),  # last route wins
        (("shop/pricing.py",), ("#ci",)),  # @acme/core has no channel: the default
        ((), ("#ci",)),
    ],
)
def test_notices_go_to_the_channels_of_their_paths_and_owners(
    paths: tuple[str, ...], channels: tuple[str, ...]
) -> None:
    assert channels_for(notice(NoticeKind.PR_FAILURE, *paths), ROUTES, OWNERS) == channels


def test_errors_go_to_the_ops_channel_only() -> None:
    assert channels_for(notice(NoticeKind.ERROR, "web/app.ts"), ROUTES, OWNERS) == ("#sheriff-ops",)
    no_ops = NotifyRoutes(default_channel="#ci")
    assert channels_for(notice(NoticeKind.ERROR), no_ops) == ("#ci",)
    assert channels_for(notice(NoticeKind.NEW_CASE), NotifyRoutes()) == ()


def test_bad_route_settings_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="is not KEY=#channel"):
        parse_pairs("web/")
    with pytest.raises(ValueError, match="is not a channel name"):
        parse_pairs("web/=#has space")
    with pytest.raises(ValueError, match="not a path pattern"):
        path_routes(parse_pairs("!web/=#web"))


def test_slack_text_is_escaped_and_redacted() -> None:
    token = "xoxb-" + "1" * 20
    text = slack_text(
        Notice(
            NoticeKind.NEW_CASE,
            "acme/shop",
            "<!channel> test_x & co",
            key="k",
            lines=(f"token={token}", "see <https://evil.example|here>"),
            link="https://github.com/acme/shop/issues/3",
        )
    )
    assert text.startswith(":rotating_light: *acme/shop*: &lt;!channel&gt; test_x &amp; co")
    assert "(<https://github.com/acme/shop/issues/3|open>)" in text
    assert token not in text
    assert "&lt;https://evil.example|here&gt;" in text
