"""Posting notices to Slack (``chat.postMessage``) with slack-sdk.

The WebClient is built in the constructor without any request; ``base_url`` points it at
another server (a proxy, or the local fake in tests). Slack's answers become the
``NotifyError`` tree: a refused token or channel is a ``NotifyAuthError`` (fix the
configuration), rate limits, 5xx and network failures a ``NotifyUnavailableError``.
One rate-limited request is retried after Slack's ``Retry-After``.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RateLimitErrorRetryHandler

from sheriff.config import Settings
from sheriff.errors import NotifyAuthError, NotifyError, NotifyUnavailableError

REFUSALS = frozenset(
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "missing_scope", "no_permission", "channel_not_found", "not_in_channel", "is_archived",
        "restricted_action", "ekm_access_denied",
    }
)  # fmt: skip
AUTH_HINT = (
    "check SHERIFF_SLACK_BOT_TOKEN (a bot token with chat:write) and invite the bot to the channel"
)
UNAVAILABLE_HINT = "Slack is unreachable or busy; the notice was not sent (see the audit log)"


class SlackNotifier:
    def __init__(
        self,
        token: str,
        *,
        base_url: str = "https://slack.com/api/",
        timeout: int = 10,
        client: WebClient | None = None,
    ) -> None:
        self._client = client or WebClient(
            token=token,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            timeout=timeout,
        )
        self._client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackNotifier | None:
        """The configured notifier, or None without a Slack token (notifications off)."""
        if settings.slack_bot_token is None:
            return None
        return cls(
            settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            timeout=settings.slack_timeout_seconds,
        )

    @property
    def name(self) -> str:
        return "slack"

    def post(self, channel: str, text: str) -> str:
        try:
            response = self._client.chat_postMessage(
                channel=channel, text=text, mrkdwn=True, unfurl_links=False, unfurl_media=False
            )
        except (SlackClientError, OSError) as error:
            raise translate_slack_error(error, channel) from error
        return str(response.get("ts") or "")


def translate_slack_error(error: SlackClientError | OSError, channel: str) -> NotifyError:
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        data = error.response.data
        code = str(data.get("error", "")) if isinstance(data, dict) else ""
        what = f"Slack refused the message to {channel}: {code or f'HTTP {status}'}"
        if code in REFUSALS:
            return NotifyAuthError(what, hint=AUTH_HINT)
        if status == 429 or status >= 500 or code == "ratelimited":
            return NotifyUnavailableError(what, hint=UNAVAILABLE_HINT)
        return NotifyError(what, hint="see Slack's chat.postMessage errors")
    return NotifyUnavailableError(f"Slack could not be reached: {error}", hint=UNAVAILABLE_HINT)
