"""``python -m sheriff.testing.fakegithub --port P --seed DIR``: serve until interrupted.

The first line on standard output is ``Fake GitHub API at URL ...``; point a client's
base URL (``SHERIFF_GITHUB_API_URL``) at that URL.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from sheriff.errors import SheriffError
from sheriff.testing.fakegithub import DEMO_SEED
from sheriff.testing.fakegithub.fake import FakeGitHub
from sheriff.testing.fakegithub.faults import Fault
from sheriff.testing.fakegithub.seed_fields import Fields
from sheriff.testing.fakegithub.seed_load import read_fault
from sheriff.testing.fakegithub.seed_model import SeedProblem


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sheriff.testing.fakegithub",
        description="Serve a fake GitHub REST API from a seed.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument(
        "--seed",
        type=Path,
        default=DEMO_SEED,
        help="seed directory (default: the bundled demo seed)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN=LOGIN",
        help="a token and the user it stands for (repeatable)",
    )
    parser.add_argument(
        "--require-auth", action="store_true", help="answer 401 to requests without a known token"
    )
    parser.add_argument("--rate-limit", type=int, default=5000, help="core requests per hour")
    parser.add_argument(
        "--search-rate-limit", type=int, default=30, help="search requests per minute"
    )
    parser.add_argument("--rate-limit-status", type=int, choices=(403, 429), default=403)
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='e.g. \'{"path": "/logs$", "status": 503, "count": 2}\'',
    )
    parser.add_argument(
        "--rerun-conclusion",
        choices=("success", "failure"),
        help="finish re-run attempts at once with this conclusion",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        fake = FakeGitHub(
            options.seed,
            host=options.host,
            port=options.port,
            tokens=_tokens(options.token),
            require_auth=options.require_auth,
            rate_limits={"core": options.rate_limit, "search": options.search_rate_limit},
            rate_limit_status=options.rate_limit_status,
            rerun_conclusion=options.rerun_conclusion,
            quiet=not options.verbose,
        )
        for text in options.fault:
            fake.inject(_fault(text))
        fake.start()
    except SheriffError as error:
        print(f"error: {error.message}\nhint: {error.hint}", file=sys.stderr)
        return error.exit_code
    print(f"Fake GitHub API at {fake.url} (seed: {options.seed}; Ctrl-C to stop)", flush=True)
    _wait_for_signal()
    fake.stop()
    return 0


def _tokens(pairs: list[str]) -> dict[str, str]:
    tokens: dict[str, str] = {}
    for pair in pairs:
        token, sep, login = pair.partition("=")
        if not sep or not token or not login:
            raise SystemExit(f"error: --token {pair!r}: expected TOKEN=LOGIN")
        tokens[token] = login
    return tokens


def _fault(text: str) -> Fault:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SystemExit(f"error: --fault {text!r} is not JSON: {error}") from error
    problems: list[SeedProblem] = []
    seed = read_fault(
        Fields(data if isinstance(data, dict) else {}, file="--fault", line=None, problems=problems)
    )
    if problems:
        raise SystemExit("error: " + "; ".join(str(problem) for problem in problems))
    return Fault.from_seed(seed)


def _wait_for_signal() -> None:
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopped.wait(0.5):
        pass


if __name__ == "__main__":
    sys.exit(main())
