"""A fake Slack Web API on loopback, for tests and demos: ``chat.postMessage`` as Slack
answers it (``{"ok": true, "channel", "ts", "message"}``, or ``{"ok": false, "error"}``).

    with FakeSlack.running(token="xoxb-test", channels={"#ci", "#web"}) as slack:
        notifier = SlackNotifier("xoxb-test", base_url=slack.url)
        notifier.post("#ci", "hello")
        slack.messages  # [PostedMessage(channel="#ci", text="hello", ...)]
        slack.fail_next(503)  # the next request answers HTTP 503

A wrong token gets ``invalid_auth``, an unknown channel ``channel_not_found`` (both with
HTTP 200, as Slack does); ``fail_next(429)`` sends ``Retry-After: 0``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True, slots=True)
class PostedMessage:
    channel: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)


class FakeSlack:
    def __init__(self, *, token: str, channels: Collection[str]) -> None:
        self.token = token
        self.channels = set(channels)
        self.messages: list[PostedMessage] = []
        self.requests = 0
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @classmethod
    @contextmanager
    def running(cls, *, token: str, channels: Collection[str]) -> Iterator[FakeSlack]:
        fake = cls(token=token, channels=channels)
        fake._thread.start()
        try:
            yield fake
        finally:
            fake._server.shutdown()
            fake._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def fail_next(self, status: int, count: int = 1) -> None:
        with self._lock:
            self._failures += [status] * count

    def answer(self, method: str, authorization: str, form: dict[str, Any]) -> tuple[int, Any]:
        """The status and JSON body Slack would send (called by the request handler)."""
        with self._lock:
            self.requests += 1
            if self._failures:
                return self._failures.pop(0), {"ok": False, "error": "fake_failure"}
            if method != "chat.postMessage":
                return 200, {"ok": False, "error": "unknown_method"}
            if authorization != f"Bearer {self.token}":
                return 200, {"ok": False, "error": "invalid_auth"}
            channel, text = str(form.get("channel", "")), str(form.get("text", ""))
            if channel not in self.channels:
                return 200, {"ok": False, "error": "channel_not_found"}
            self.messages.append(PostedMessage(channel, text, dict(form)))
            ts = f"1700000000.{len(self.messages):06d}"
            return 200, {"ok": True, "channel": channel, "ts": ts, "message": {"text": text}}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            method = self.path.rstrip("/").rsplit("/", 1)[-1]
            status, body = fake.answer(
                method, self.headers.get("Authorization", ""), _form(self, raw)
            )
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def _form(handler: BaseHTTPRequestHandler, raw: str) -> dict[str, Any]:
    if "json" in (handler.headers.get("Content-Type") or ""):
        loaded = json.loads(raw or "{}")
        return loaded if isinstance(loaded, dict) else {}
    return {key: values[-1] for key, values in parse_qs(raw).items()}
