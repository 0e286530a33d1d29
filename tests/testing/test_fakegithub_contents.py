"""The contents endpoint: files on the default branch, raw or as GitHub's content object."""

import base64
from pathlib import Path

import httpx

from sheriff.testing.fakegithub import FakeGitHub
from tests.app.scan_world import FLAKY_SEED_RUNS, write_seed


def test_a_committed_file_is_served_raw_and_as_a_content_object(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed", FLAKY_SEED_RUNS)
    with FakeGitHub.running(seed) as fake:
        url = f"{fake.url}/repos/acme/app/contents/.github/sheriff.yml"
        assert httpx.get(url).status_code == 404
        before = httpx.get(f"{fake.url}/repos/acme/app").json()["updated_at"]
        fake.put_file("acme/app", ".github/sheriff.yml", "issue_kinds: all\n")
        raw = httpx.get(url, headers={"Accept": "application/vnd.github.raw+json"})
        assert (raw.status_code, raw.text) == (200, "issue_kinds: all\n")
        document = httpx.get(url).json()
        assert document["type"] == "file"
        assert document["path"] == ".github/sheriff.yml"
        assert base64.b64decode(document["content"]) == b"issue_kinds: all\n"
        assert httpx.get(f"{fake.url}/repos/acme/app").json()["updated_at"] >= before
