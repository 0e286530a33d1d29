"""``python -m sheriff.testing.fakegithub`` as a real process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from sheriff.testing.fakegithub import DEMO_SEED


def test_serves_the_seed_and_stops_on_sigterm():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sheriff.testing.fakegithub",
            "--port",
            "0",
            "--seed",
            str(DEMO_SEED),
            "--token",
            "t1=maintainer-alice",
            "--require-auth",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"Fake GitHub API at (http://127\.0\.0\.1:\d+)", line)
        assert found, line
        url = found.group(1)
        user = httpx.get(f"{url}/user", headers={"Authorization": "token t1"})
        assert user.json()["login"] == "maintainer-alice"
        assert httpx.get(f"{url}/user").status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_a_bad_seed_exits_2_with_what_to_fix(tmp_path: Path):
    (tmp_path / "repos.json").write_text('[{"full_name": "no-slash"}]')
    done = subprocess.run(
        [sys.executable, "-m", "sheriff.testing.fakegithub", "--seed", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "repos.json: field '[0].full_name'" in done.stderr
    assert "hint:" in done.stderr


def test_a_bad_fault_option_is_refused():
    done = subprocess.run(
        [sys.executable, "-m", "sheriff.testing.fakegithub", "--fault", '{"status": 999}'],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0
    assert "field 'path'" in done.stderr
    assert "field 'status'" in done.stderr
