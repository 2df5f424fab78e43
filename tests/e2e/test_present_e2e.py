"""Sharing and presenting in a real browser: a shared link reopens the view; slides step on."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option, map_frame, wait_for_selectbox_text

pytestmark = pytest.mark.e2e


def test_a_shared_link_reopens_the_same_lcp_indicator_and_radius_in_a_new_browser(
    server, browser, page
):
    page.goto(f"{server.url}/map")
    map_frame(page).locator("path.leaflet-interactive").nth(487).wait_for(timeout=60_000)
    choose_option(page, "Area", "HATCH")
    page.wait_for_url("**area=HATCH**", timeout=30_000)
    choose_option(page, "Map indicator", "Crime")
    page.wait_for_url("**ind=crime_score**", timeout=30_000)
    link = page.url
    assert "area=HATCH" in link and "ind=crime_score" in link

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = fresh.new_page()
    other.goto(link.replace("ind=crime_score", "ind=crime_score&r=1200"))
    frame = map_frame(other)
    frame.locator(".hc-legend .hc-title").filter(has_text="Crime").wait_for(timeout=60_000)
    sidebar = other.locator('[data-testid="stSidebar"]')
    assert "HATCH" in wait_for_selectbox_text(other, "Area", "HATCH")
    assert "1,200 m" in sidebar.inner_text()
    fresh.close()


def test_presenter_mode_hides_the_sidebar_and_steps_to_the_next_slide(server, page):
    page.goto(f"{server.url}/?present=1&area=HATCH&slide=0")
    page.get_by_text("Slide 1 of 4").first.wait_for(timeout=60_000)
    expect(page.locator('[data-testid="stSidebar"]').first).to_be_hidden(timeout=30_000)
    page.get_by_role("button", name="Next ▶").click()
    page.wait_for_url("**/gaps?**slide=1**", timeout=60_000)
    page.get_by_text("Coverage gaps: HATCH").first.wait_for(timeout=60_000)
    assert "area=HATCH" in page.url
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/growth?**slide=2**", timeout=60_000)
    page.get_by_text("Slide 3 of 4").first.wait_for(timeout=60_000)
