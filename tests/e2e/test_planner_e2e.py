"""The Site planner in a real browser: an LCP with k=3 gives three new-site markers and a table."""

import pytest

from tests.e2e.conftest import MAP_FRAME, choose_option, map_frame, wait_until_quiet

pytestmark = pytest.mark.e2e

LCP = "Cross Gates"  # at 800 m the register leaves room for three useful new sites here
SITE_MARKER = "path.hc-new-site"


def _wait_for_page(page) -> None:
    page.get_by_role("button", name="Recommend sites").wait_for(timeout=90_000)


def test_recommending_three_sites_for_an_lcp_draws_them_and_the_table(server, page):
    page.goto(f"{server.url}/planner")
    _wait_for_page(page)
    assert page.locator(MAP_FRAME).count() == 0
    choose_option(page, "Area", LCP)
    k_box = page.get_by_label("New hubs to place (k)")
    k_box.fill("3")
    k_box.press("Enter")
    page.wait_for_url("**k=3**", timeout=30_000)
    page.get_by_role("button", name="Recommend sites").click()

    frame = map_frame(page)
    frame.locator(SITE_MARKER).nth(2).wait_for(timeout=90_000)
    assert frame.locator(SITE_MARKER).count() == 3
    assert frame.locator("path.hc-hub").count() >= 1  # existing hubs kept, drawn differently
    page.get_by_text("Sites in order of marginal gain").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stDataFrame"]').first.is_visible()
    assert page.get_by_role("button", name="Download sites (CSV)").is_visible()
    assert "run=1" in page.url and "k=3" in page.url
    wait_until_quiet(page)
    assert page.request_log.third_party() == []


def test_a_shared_link_with_run_reproduces_the_recommendation(server, page):
    page.goto(f"{server.url}/planner?area=Cross+Gates&k=3&run=1")
    frame = map_frame(page)
    frame.locator(SITE_MARKER).nth(2).wait_for(timeout=90_000)
    assert frame.locator(SITE_MARKER).count() == 3
    page.get_by_text("Sites in order of marginal gain").wait_for(timeout=30_000)
