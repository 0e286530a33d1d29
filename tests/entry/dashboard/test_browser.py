"""The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by
Playwright for Python; never ``playwright install``), served by uvicorn on loopback.

Screenshots: ``<pytest tmp dir>/dashboard.png`` and ``case.png``, copied to
``tests/artifacts/`` (ignored by git) so the run keeps them. Without chromium the test
skips locally and fails in CI (CI set): the browser check must not vanish silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from sheriff.adapters.store import Store
from sheriff.config import Settings
from sheriff.entry.dashboard import dashboard_app
from tests.adapters.store.dashboard_world import NOW, World

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path(os.environ.get("SHERIFF_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium; skipped without it locally, a failure in CI."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"no Chromium at {CHROMIUM} (apt-get install chromium; never `playwright install`)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI must run the browser test")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(chromium: Path, filled: tuple[Store, World]) -> Iterator[str]:
    """The dashboard on a free loopback port, served by uvicorn in a thread."""
    app = dashboard_app(
        filled[0], Settings(github_api_url="https://api.github.com"), clock=lambda: NOW
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=10)
    listener.close()


def keep(screenshot: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(screenshot, ARTIFACTS / screenshot.name)


def test_dashboard_renders_the_chart_swaps_fragments_and_opens_a_case(
    chromium: Path, server: str, world: World, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            problems: list[str] = []
            page.on(
                "console", lambda message: message.type == "error" and problems.append(message.text)
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "response",
                lambda response: (
                    response.status >= 400 and problems.append(f"{response.status} {response.url}")
                ),
            )
            timings = check_overview(page, server, world, tmp_path)
            check_case_page(page, world, tmp_path)
            assert problems == [], problems  # CSP violations and script errors land here
            assert page.evaluate("window.__pwned") is None
        finally:
            browser.close()
    print(f"dashboard timings (ms): {timings}")


def check_overview(page: Page, server: str, world: World, tmp_path: Path) -> dict[str, float]:
    started = time.perf_counter()
    page.goto(f"{server}/", wait_until="load")
    loaded = time.perf_counter()
    canvas = page.locator("#failures-chart")
    page.wait_for_selector("#failures-chart[data-chart-ready='true']", timeout=TIMEOUT_MS)
    charted = time.perf_counter()
    assert canvas.get_attribute("data-total") == str(sum(world.occurrences_per_day.values()))
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 200
    assert page.evaluate("Chart.getChart('failures-chart').data.datasets.length") == 3
    assert page.locator("#failures-empty").is_hidden()

    # A state tile swaps the case table through htmx (the page itself stays).
    page.evaluate("window.__samePage = true")
    page.locator(".tile[data-state='PR_OPEN']").click()
    page.wait_for_selector("#cases-title:has-text('Cases pr open')", timeout=TIMEOUT_MS)
    swapped = time.perf_counter()
    rows = page.locator("#cases tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-fingerprint") == world.fingerprints["broken"]
    assert page.locator(".tile[data-state='PR_OPEN']").get_attribute("class").endswith("current")

    # Older audit events arrive through htmx too.
    newest = page.locator("#audit tbody tr").first.get_attribute("data-sequence")
    page.locator("#audit a.older").click()
    page.wait_for_selector("#audit-title:has-text('before #')", timeout=TIMEOUT_MS)
    assert int(page.locator("#audit tbody tr").first.get_attribute("data-sequence")) < int(newest)
    assert page.evaluate("window.__samePage") is True  # swapped in place, not navigated

    page.locator("[data-chart-days='14']").click()
    page.wait_for_selector("#failures-chart[data-chart-ready='true']", timeout=TIMEOUT_MS)
    assert page.evaluate("Chart.getChart('failures-chart').data.labels.length") == 14

    page.locator("#states").scroll_into_view_if_needed()
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    keep(shot)
    return {
        "load": round((loaded - started) * 1000, 1),
        "chart drawn": round((charted - started) * 1000, 1),
        "htmx swap": round((swapped - charted) * 1000, 1),
    }


def check_case_page(page: Page, world: World, tmp_path: Path) -> None:
    page.locator("#cases a.case-link").first.click()
    page.wait_for_url("**/cases/avelino/awesome-go/**", timeout=TIMEOUT_MS)
    assert world.fingerprints["broken"] in page.url
    assert page.locator(".case-head .badge").first.inner_text() == "pr open"
    assert (
        page.locator("a.pull").get_attribute("href")
        == "https://github.com/avelino/awesome-go/pull/5133"
    )
    timeline = page.locator(".timeline .event")
    assert timeline.count() >= 7  # discovery, six transitions, one occurrence
    assert page.locator(".timeline .occurrence").count() == 1
    shot = tmp_path / "case.png"
    page.screenshot(path=str(shot), full_page=True)
    keep(shot)

    page.goto(
        page.url.split("/cases/")[0] + f"/cases/evil-org/site/{world.fingerprints['hostile']}"
    )
    assert "<script>window.__pwned = 1</script>" in page.locator("pre.signature").inner_text()
    assert page.locator(".timeline .occurrence a[href^='javascript']").count() == 0
