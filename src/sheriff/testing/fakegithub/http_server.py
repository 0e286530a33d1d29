"""The socket side: a stdlib ``ThreadingHTTPServer`` that hands each request to ``FakeApp``.

Why the standard library rather than Starlette/uvicorn: no extra dependency for a test
fake, no event loop to share with the code under test, a thread per connection so slow
or faulted requests do not block others, and clean start/stop from a background thread.
"""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sheriff.testing.fakegithub.app import FakeApp, Response

CHUNK = 1 << 16


class FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: FakeApp, *, quiet: bool = True) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.quiet = quiet

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 - display only
        return f"http://{shown}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        host = headers.get("host")
        base = f"http://{host}" if host else self.server.url
        response = self.server.app.handle(self.command, self.path, headers, body, base)
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.file is None:
            self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command == "HEAD" or response.status in {204, 304}:
            return
        if response.file is not None:
            with response.file.open("rb") as stream:
                shutil.copyfileobj(stream, self.wfile, CHUNK)
        else:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.server.quiet:
            super().log_message(format, *args)


class ServerThread:
    """Serve in a daemon thread until ``stop()``, which also closes the socket."""

    def __init__(self, server: FakeHTTPServer) -> None:
        self.server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            name="fake-github",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
