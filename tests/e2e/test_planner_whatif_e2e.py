"""The Site planner's what-if mode in a real browser: a link places a hub, a click adds one."""

from __future__ import annotations

import statistics

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_until_quiet
from tests.e2e.planner_whatif import (
    AT_RISK,
    FOLIUM_FRAME,
    WHATIF_HUB,
    metric,
    timed_click,
    wait_for_metric,
    whatif_map,
)

pytestmark = pytest.mark.e2e

# Seacroft, far enough from LS9 7EZ that a hub there reaches people the first does not.
SEACROFT = "LS14 1ND"


def _postcode_point(postcode: str) -> tuple[float, float]:
    from data.artefacts import read_postcodes

    pcs = read_postcodes().set_index("postcode")
    return float(pcs.loc[postcode, "lat"]), float(pcs.loc[postcode, "lon"])


def test_a_what_if_link_shows_a_positive_figure_and_a_click_changes_it(server, page):
    page.goto(f"{server.url}/planner?add=LS9%207EZ")
    frame = whatif_map(page, n_hubs=1)
    one = wait_for_metric(page)
    assert one > 0 and metric(page, AT_RISK) > 0
    assert frame.locator(WHATIF_HUB).count() == 1

    lat, lon = _postcode_point(SEACROFT)
    times = []
    seconds, two = timed_click(page, frame, lat, lon, one)
    times.append(seconds)
    assert two > one  # the second hub newly reaches more people
    whatif_map(page, n_hubs=2)
    page.wait_for_url("**add=LS9*", timeout=30_000)
    assert "53." in page.url.split("add=")[1]  # the clicked point is in the link

    # Clicking the placed hub removes it: back to the first figure.
    t_frame = whatif_map(page, n_hubs=2)
    before = metric(page)
    seconds, back = timed_click(page, t_frame, lat, lon, before)
    times.append(seconds)
    assert back == pytest.approx(one)
    expect(page.frame_locator(FOLIUM_FRAME).first.locator(WHATIF_HUB)).to_have_count(
        1, timeout=30_000
    )  # the redrawn map has one what-if hub left
    # Reported, not asserted (no timed assertions).
    print(f"planner click -> figure: median {statistics.median(times):.2f} s of {times}")
    wait_until_quiet(page)
    assert page.request_log.third_party() == []


def test_the_what_if_mode_passes_axe_on_the_page_and_in_the_map_frame(server, page):
    from tests.e2e.a11y import axe_violations, not_allowed, wait_until_idle

    page.goto(f"{server.url}/planner?add=LS9%207EZ;LS14%201ND")
    whatif_map(page, n_hubs=2)
    wait_for_metric(page)
    wait_until_idle(page)
    assert len(page.frames) >= 2  # the map's component frame is checked too
    assert not_allowed(axe_violations(page)) == []
