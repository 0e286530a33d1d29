"""The Slack adapter against a local server speaking Slack's Web API (chat.postMessage)."""

from collections.abc import Iterator

import pytest

from sheriff.adapters.slack import SlackNotifier
from sheriff.config import Settings
from sheriff.errors import NotifyAuthError, NotifyError, NotifyUnavailableError
from sheriff.testing.fakeslack import FakeSlack

TOKEN = "xoxb-test-token"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack.running(token=TOKEN, channels={"#ci", "#web-team"}) as fake:
        yield fake


def test_a_message_is_posted_to_its_channel(slack: FakeSlack) -> None:
    notifier = SlackNotifier(TOKEN, base_url=slack.url, timeout=5)
    ts = notifier.post("#ci", "*acme/shop*: 1 new failure")
    [message] = slack.messages
    assert (message.channel, message.text) == ("#ci", "*acme/shop*: 1 new failure")
    assert ts == "1700000000.000001"
    assert message.fields["unfurl_links"] is False  # a log's links are not expanded


@pytest.mark.parametrize(
    ("token", "channel", "error", "code"),
    [
        ("xoxb-wrong", "#ci", NotifyAuthError, "invalid_auth"),
        (TOKEN, "#nowhere", NotifyAuthError, "channel_not_found"),
    ],
)
def test_refusals_say_what_to_fix(
    slack: FakeSlack, token: str, channel: str, error: type[NotifyError], code: str
) -> None:
    with pytest.raises(error, match=code) as raised:
        SlackNotifier(token, base_url=slack.url).post(channel, "x")
    assert "SHERIFF_SLACK_BOT_TOKEN" in raised.value.hint
    assert slack.messages == []


def test_server_errors_and_rate_limits_are_unavailable(slack: FakeSlack) -> None:
    notifier = SlackNotifier(TOKEN, base_url=slack.url)
    slack.fail_next(503)
    with pytest.raises(NotifyUnavailableError):
        notifier.post("#ci", "x")
    slack.fail_next(429)  # retried once after Retry-After
    assert notifier.post("#ci", "after the limit") == "1700000000.000001"
    slack.fail_next(429, count=2)
    with pytest.raises(NotifyUnavailableError):
        notifier.post("#ci", "still limited")
    assert [item.text for item in slack.messages] == ["after the limit"]


def test_an_unreachable_server_is_unavailable() -> None:
    with FakeSlack.running(token=TOKEN, channels={"#ci"}) as gone:
        url = gone.url
    with pytest.raises(NotifyUnavailableError, match="could not be reached"):
        SlackNotifier(TOKEN, base_url=url, timeout=2).post("#ci", "x")


def test_the_notifier_is_built_from_the_settings_only_with_a_token(slack: FakeSlack) -> None:
    assert SlackNotifier.from_settings(Settings()) is None
    settings = Settings(slack_bot_token=TOKEN, slack_api_url=slack.url.rstrip("/"))
    notifier = SlackNotifier.from_settings(settings)
    assert notifier is not None
    notifier.post("#web-team", "hi")
    assert [item.channel for item in slack.messages] == ["#web-team"]
