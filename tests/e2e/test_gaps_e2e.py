"""The Gaps page in a real browser: changing the radius re-ranks the LCPs; Overview links open it."""

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import map_frame

pytestmark = pytest.mark.e2e

LCP_TABLE = '[data-testid="stDataFrame"]'


def lcp_ranking(page, n: int = 5) -> list[tuple[str, str]]:
    """(LCP, at-risk residents beyond reach) of the first n rows of the LCP table."""
    rows = page.locator(LCP_TABLE).first.locator('[role="row"]')
    # The grid is drawn on a canvas; its hidden accessibility table carries the cell text.
    rows.nth(n).wait_for(state="attached", timeout=60_000)
    out = []
    for i in range(1, n + 1):  # row 0 is the header
        cells = rows.nth(i).locator('[role="gridcell"]').all_text_contents()
        out.append((cells[1].strip(), cells[3].strip()))  # cells[2]: footprint status
    return out


def wait_for_change(read, before, timeout: float = 60.0):
    """Poll read() until it differs from before (Streamlit reruns asynchronously)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = read()
        if now != before:
            return now
        time.sleep(0.5)
    return read()


def test_moving_the_radius_slider_changes_the_lcp_ranking(server, page):
    # Demo mode: with the one real hub the top of the ranking hardly moves with the radius.
    page.goto(f"{server.url}/gaps?r=400&demo=1")
    narrow = lcp_ranking(page)
    assert all(figure not in ("", "0") for _, figure in narrow)

    radius = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').filter(
        has_text="Reach radius"
    )
    radius.locator('input[type="range"]').focus()
    page.keyboard.press("End")  # 400 m -> 2,000 m
    page.wait_for_url("**/gaps?*r=2000*", timeout=60_000)
    wide = wait_for_change(lambda: lcp_ranking(page), narrow)

    assert wide != narrow
    # At 2 km nobody in the top LCPs is beyond reach any more: the uncovered figures fall.
    assert int(wide[0][1].replace(",", "")) < int(narrow[0][1].replace(",", ""))
    assert page.locator('[data-testid="stException"]').count() == 0
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=60_000)
    assert page.request_log.third_party() == []


def test_a_top_gap_on_the_overview_opens_the_gaps_page_for_that_lcp(server, page):
    page.goto(f"{server.url}/")  # the Overview is the default page, served at the root
    link = page.locator('[data-testid="stMarkdownContainer"] a[href^="gaps?area="]').first
    link.wait_for(timeout=90_000)
    lcp = parse_qs(urlparse(link.get_attribute("href")).query)["area"][0]
    link.click()
    page.wait_for_url("**/gaps?*", timeout=60_000)
    page.get_by_text("LCPs ranked by at-risk residents beyond reach").wait_for(timeout=90_000)
    page.get_by_text(f"{lcp} ranks", exact=False).first.wait_for(timeout=60_000)
    area = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Area"
    )
    shown = area.inner_text() + " ".join(box.input_value() for box in area.locator("input").all())
    assert lcp in shown
    assert parse_qs(urlparse(page.url).query)["area"] == [lcp]
    assert page.locator('[data-testid="stException"]').count() == 0
