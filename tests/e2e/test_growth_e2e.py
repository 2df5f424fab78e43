"""The Growth page in a real browser: moving the date slider back in time leaves fewer hubs."""

import pytest

from tests.e2e.conftest import map_frame, wait_until_quiet

pytestmark = pytest.mark.e2e

HUB = "path.hc-hub"
SLIDER_LABEL = "Show the network as of"


def _hub_count(frame) -> int:
    frame.locator(HUB).first.wait_for(timeout=90_000)
    return frame.locator(HUB).count()


def _wait_for_fewer(page, frame, than: int) -> int:
    """Poll the map until it has repainted with fewer hubs than ``than`` (or time runs out)."""
    for _ in range(120):
        count = frame.locator(HUB).count()
        if 0 < count < than:
            return count
        page.wait_for_timeout(500)
    return frame.locator(HUB).count()


def _date_slider(page):
    widget = page.locator('[data-testid="stSlider"]').filter(has_text=SLIDER_LABEL)
    return widget.get_by_role("slider")


def test_moving_the_date_slider_back_shows_fewer_hubs_and_links_the_month(server, page):
    page.goto(f"{server.url}/growth?demo=1")  # demo mode: real mode has one hub all along
    frame = map_frame(page)
    today_count = _hub_count(frame)
    assert today_count > 1
    assert frame.locator("path.hc-hub-sample").count() >= 1  # illustrative hubs drawn apart

    thumb = _date_slider(page)
    thumb.focus()
    thumb.press("Home")  # the first month: only the first hub
    page.wait_for_url("**date=**", timeout=30_000)
    first_count = _wait_for_fewer(page, frame, today_count)
    assert 0 < first_count < today_count
    assert "date=2020-01" in page.url

    for _ in range(3):  # a few months on, still fewer than today
        thumb.press("ArrowRight")
    page.wait_for_url("**date=2020-04**", timeout=30_000)
    assert frame.locator(HUB).count() < today_count
    wait_until_quiet(page)
    assert page.request_log.third_party() == []


def test_a_link_with_a_date_opens_the_network_as_it_was_then(server, page):
    page.goto(f"{server.url}/growth?demo=1")
    today_count = _hub_count(map_frame(page))

    page.goto(f"{server.url}/growth?date=2021-06&demo=1")
    frame = map_frame(page)
    assert "Jun 2021" in _date_slider(page).get_attribute("aria-valuetext")
    assert 0 < _wait_for_fewer(page, frame, today_count) < today_count
