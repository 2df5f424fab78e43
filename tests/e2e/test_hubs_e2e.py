"""The Hubs page in a real browser: a hub added by postcode survives a server restart."""

from __future__ import annotations

import time

import pytest

from data.register_store import RegisterStore
from tests.e2e.conftest import map_frame

pytestmark = pytest.mark.e2e

HUB = "path.hc-hub"
# Markup in the name proves the map escapes it (the tooltip shows the tags as text).
NAME = "E2E hub <b>bold</b>"
POSTCODE = "ls22 6aa"  # Wetherby: away from the LCPs the other browser tests look at


def _open_hubs_page(server, page) -> object:
    page.goto(f"{server.url}/hubs")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=90_000)
    frame.locator(HUB).first.wait_for(timeout=60_000)
    return frame


def _wait_for_count(frame, wanted: int, timeout: float = 60) -> int:
    """Poll the map until it shows ``wanted`` hub markers (or time runs out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = frame.locator(HUB).count()
        if count == wanted:
            return count
        time.sleep(0.5)
    return frame.locator(HUB).count()


def test_a_hub_added_by_postcode_is_on_the_map_after_a_restart(server, page):
    store = RegisterStore(server.env["HUB_COVERAGE_DB"])
    before_version = store.current_version()
    try:
        frame = _open_hubs_page(server, page)
        before = frame.locator(HUB).count()
        assert before >= 1

        page.get_by_role("tab", name="Add or close a hub").click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="Hub name").first
        form.get_by_label("Hub name").fill(NAME)
        form.get_by_label("Postcode").fill(POSTCODE)
        form.get_by_label("Opened (YYYY-MM, or YYYY-MM-DD)").fill("2024-01")
        form.get_by_label("Reason for the change (kept in the history)").fill("Browser test")
        form.get_by_role("button", name="Add hub").click()
        page.get_by_text("Added E2E hub").wait_for(timeout=60_000)

        server.restart()

        frame = _open_hubs_page(server, page)
        assert _wait_for_count(frame, before + 1) == before + 1

        search = page.get_by_label("Find a hub (name or postcode)")
        search.fill("E2E hub")
        search.press("Enter")
        assert _wait_for_count(frame, 1) == 1
        frame.locator(HUB).first.hover(force=True)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.first.wait_for(timeout=30_000)
        assert NAME in tooltip.first.inner_text()  # shown as text, not bold markup
        assert frame.locator(".leaflet-tooltip b b").count() == 0
        assert page.request_log.third_party() == []
    finally:
        if store.current_version() != before_version:
            store.restore(before_version, "Browser test clean-up")
        store.dispose()
