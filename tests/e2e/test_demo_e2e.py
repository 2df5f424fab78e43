"""Demo mode in a real browser: ``?demo=1`` adds the illustrative hubs, the banner and the marks."""

import pytest

from tests.e2e.conftest import map_frame, wait_until_quiet

pytestmark = pytest.mark.e2e

BANNER = "Demo mode: illustrative sample hubs are included"
TOGGLE = "Demo: include illustrative sample hubs"


def _map_ready(page) -> object:
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=90_000)
    frame.locator("path.hc-hub").first.wait_for(timeout=60_000)
    return frame


def test_a_demo_link_shows_the_banner_the_samples_and_keeps_demo_in_the_url(server, page):
    page.goto(f"{server.url}/map?demo=1")
    frame = _map_ready(page)
    page.get_by_text(BANNER).first.wait_for(timeout=60_000)
    assert frame.locator("path.hc-hub-sample").count() >= 60
    assert "(illustrative)" in frame.locator(".hc-legend .hc-title").inner_text()
    toggle = page.locator('[data-testid="stSidebar"]').get_by_role("switch", name=TOGGLE)
    assert toggle.is_checked()
    assert "demo=1" in page.url

    page.goto(f"{server.url}/map")  # the same page without the switch: real hubs only
    frame = _map_ready(page)
    assert frame.locator("path.hc-hub-sample").count() == 0
    assert frame.locator("path.hc-hub-real").count() >= 1
    assert page.get_by_text(BANNER).count() == 0
    assert (
        not page.locator('[data-testid="stSidebar"]')
        .get_by_role("switch", name=TOGGLE)
        .is_checked()
    )
    wait_until_quiet(page)
    assert page.request_log.third_party() == []
