"""Logs and issue text are untrusted: whatever HTML they carry is shown as text, never
run, and a stored ``javascript:`` URL never becomes a link."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.adapters.store.dashboard_world import HOSTILE, HOSTILE_IMG, World
from tests.entry.dashboard.html_tree import parse_html

OUR_SCRIPTS = [
    "/static/dashboard/vendor/htmx.min.js",
    "/static/dashboard/vendor/chart.umd.min.js",
    "/static/dashboard/dashboard.js",
]


def hostile_pages(world: World) -> list[str]:
    case = f"/cases/{world.repos['hostile']}/{world.fingerprints['hostile']}"
    before = world.audit_events - 30  # the page holding the hostile issue.create event
    return ["/", case, "/fragments/cases", f"/fragments/audit?before={before}"]


@pytest.mark.parametrize("index", range(4))
def test_hostile_text_is_escaped_everywhere_it_is_shown(
    client: TestClient, world: World, index: int
) -> None:
    url = hostile_pages(world)[index]
    markup = client.get(url).text
    assert HOSTILE not in markup
    assert HOSTILE_IMG not in markup
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in markup
    tree = parse_html(markup)
    scripts = [element.attrs.get("src") for element in tree.all("script")]
    assert scripts in ([], OUR_SCRIPTS)  # fragments carry none; pages only ours, no inline
    assert not [href for href in tree.hrefs() if not href.startswith(("/", "https://", "#"))]
    assert not [element for element in tree.iter() if "style" in element.attrs]
    assert not [
        element for element in tree.iter() if any(name.startswith("on") for name in element.attrs)
    ]


def test_the_hostile_case_page_shows_the_texts_as_text(client: TestClient, world: World) -> None:
    tree = parse_html(client.get(hostile_pages(world)[1]).text)
    assert tree.one("pre", cls="signature").text == f"AssertionError: {HOSTILE}"
    excerpt = tree.one("pre", cls="excerpt").text
    assert excerpt.startswith(f"</pre>{HOSTILE}")
    occurrence = tree.one("li", cls="occurrence")
    assert HOSTILE in occurrence.one("span", cls="where").text  # the job's name, as text
    assert "javascript" not in " ".join(occurrence.hrefs())  # its URL was javascript:
    verdict = tree.one("span", cls="badge", **{"class": "badge verdict-script-window-__pwned-1-sc"})
    assert verdict.text.startswith("<script>")


def test_a_case_path_with_markup_is_escaped_in_the_404_page(client: TestClient) -> None:
    response = client.get("/cases/evil/%22onmouseover=%22x/%3Cscript%3Ealert(1)")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text
    assert "evil/&#34;onmouseover=&#34;x" in response.text
