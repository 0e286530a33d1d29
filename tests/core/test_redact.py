import pytest

from sheriff.core.redact import redact


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("token ghp_" + "a" * 36, "github-token"),
        ("key AKIAIOSFODNN7EXAMPLE used", "aws-access-key"),
        ("xoxb-123456789012-abcdefghij", "slack-token"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "bearer"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private-key"),
    ],
)
def test_known_token_shapes_are_redacted(text: str, kind: str) -> None:
    cleaned = redact(text)
    assert f"[REDACTED:{kind}]" in cleaned
    assert "aaaaaaaa" not in cleaned
    assert "AKIAIOSFODNN7EXAMPLE" not in cleaned


def test_password_in_url_and_assignments_are_redacted() -> None:
    assert redact("git clone https://bob:hunter2secret@github.com/x/y") == (
        "git clone https://bob:[REDACTED:password]@github.com/x/y"
    )
    assert redact('DB_PASSWORD="s3cr3t-value"') == 'DB_PASSWORD="[REDACTED:secret]"'
    assert redact("api_key: abcdef123456") == "api_key: [REDACTED:secret]"


def test_placeholders_and_ordinary_text_are_left_alone() -> None:
    for text in (
        "token=${{ secrets.GITHUB_TOKEN }}",
        "password: ***",
        "token_count = 3",
        "--- FAIL: TestPassword (0.00s)",
    ):
        assert redact(text) == text
