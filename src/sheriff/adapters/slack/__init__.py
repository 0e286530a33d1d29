"""Slack behind the ``Notifier`` port (``sheriff.app.notify``), with slack-sdk's WebClient."""

from sheriff.adapters.slack.notifier import SlackNotifier, translate_slack_error

__all__ = ["SlackNotifier", "translate_slack_error"]
