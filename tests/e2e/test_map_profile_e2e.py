"""The Map page's click to explain: click an LSOA's interior point and see its profile, offline."""

from __future__ import annotations

import statistics

import pytest

from tests.e2e import map_clicks
from tests.e2e.conftest import choose_option, map_frame, wait_until_quiet

pytestmark = pytest.mark.e2e

LS9_7EZ_LSOA = "E01011349"


def click_lsoa(page, frame, code: str, shapes) -> float:
    """Click where Leaflet draws the LSOA's interior point; seconds until its profile shows."""
    return map_clicks.click_lsoa(page, frame, code, shapes, f"Selected neighbourhood {code}")


def test_clicking_an_lsoa_on_the_map_page_opens_its_profile(server, page):
    from data.artefacts import read_lsoas

    shapes = read_lsoas().set_index("lsoa21cd")
    page.goto(f"{server.url}/map")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=60_000)
    times = [click_lsoa(page, frame, code, shapes) for code in (LS9_7EZ_LSOA, "E01011345")]
    # The profile panel beside the map names the LSOA; the address bar holds the selection.
    assert "lsoa=E01011345" in page.url
    assert frame.locator("path.hc-selected").count() == 1
    # The map was not drawn again: panning state survives (one map, all polygons).
    assert frame.locator(".leaflet-container").count() == 1
    # A new view draws a new map: its previous click must not come back as a new one.
    choose_option(page, "Map indicator", "Health Deprivation and Disability")
    frame.locator(".hc-legend .hc-title").filter(has_text="Health").wait_for(timeout=30_000)
    # The keyboard alternative to clicking: type in the searchable list.
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Neighbourhood (LSOA)").click()
    page.keyboard.type("E01011264")
    page.locator('[role="option"]').filter(has_text="E01011264").first.click()
    page.get_by_text("Selected neighbourhood E01011264").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.get_by_text("Selected neighbourhood E01011264").count() == 1
    assert "lsoa=E01011264" in page.url
    print(
        f"click -> profile: {', '.join(f'{t:.2f}' for t in times)} s; median {statistics.median(times):.2f}"
    )
    wait_until_quiet(page)
    assert page.request_log.third_party() == []


def test_a_postcode_link_opens_the_map_on_its_lsoa(server, page):
    page.goto(f"{server.url}/map?pc=ls9%207ez")
    frame = map_frame(page)
    frame.locator("path.hc-selected").wait_for(timeout=60_000)
    page.get_by_text(f"Selected neighbourhood {LS9_7EZ_LSOA}").wait_for(timeout=30_000)
    assert f"lsoa={LS9_7EZ_LSOA}" in page.url
    wait_until_quiet(page)
    assert page.request_log.third_party() == []
