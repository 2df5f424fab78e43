"""The Map page in a real browser: polygons and hubs paint, the indicator repaints, nothing leaves localhost."""

import pytest

from tests.e2e.conftest import choose_option, map_frame, wait_until_quiet

pytestmark = pytest.mark.e2e


def test_map_page_paints_every_lsoa_and_the_hubs_without_third_party_requests(server, page):
    page.goto(f"{server.url}/map")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=60_000)
    assert frame.locator("path.leaflet-interactive").count() >= 488
    assert frame.locator("path.hc-hub").count() >= 1
    assert "IMD 2025 score" in frame.locator(".hc-legend .hc-title").inner_text()
    wait_until_quiet(page)
    assert page.request_log.third_party() == []


def test_changing_the_indicator_repaints_the_map(server, page):
    page.goto(f"{server.url}/map")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=60_000)
    choose_option(page, "Map indicator", "Health Deprivation and Disability")
    title = frame.locator(".hc-legend .hc-title")
    title.filter(has_text="Health Deprivation").wait_for(timeout=30_000)
    assert frame.locator("path.leaflet-interactive").count() >= 488
    assert "ind=health_score" in page.url
    assert page.request_log.third_party() == []
