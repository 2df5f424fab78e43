"""Keyboard only: walk Overview, Map, Gaps and Site planner with Tab, Shift+Tab, Enter, Space and
the arrow keys; change the area, the indicator and the radius; run a recommendation. No clicks.

Every control reached must show a visible focus outline (WCAG 2.4.7).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.a11y import wait_until_idle
from tests.e2e.conftest import map_frame
from utils import constants as c

pytestmark = pytest.mark.e2e

GAPS_TITLE = "Gaps: high need"
PLANNER_TITLE = "Site planner: where"

# The focused element's accessible name (label, aria-label, aria-labelledby or text) and whether
# its focus can be seen: an outline of at least 2 px, or Streamlit's own focus ring (box-shadow).
_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: '', visible: false, tag: 'BODY'};
  let name = el.getAttribute('aria-label') || '';
  const by = el.getAttribute('aria-labelledby');
  if (!name && by) name = by.split(' ').map(id => (document.getElementById(id) || {}).innerText || '').join(' ');
  if (!name && el.labels && el.labels.length) name = el.labels[0].innerText;
  if (!name) name = el.getAttribute('title') || (el.innerText || el.value || '').trim();
  // Focus inside a map frame: judge the focused element in there (the map or a zoom button).
  let target = el;
  if (el.tagName === 'IFRAME' && el.contentDocument && el.contentDocument.activeElement) {
    target = el.contentDocument.activeElement;
  }
  const s = target.ownerDocument.defaultView.getComputedStyle(target);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return {name: name.trim(), visible: outline || s.boxShadow !== 'none', tag: el.tagName,
          role: el.getAttribute('role') || ''};
}
"""


def focused(pg) -> dict:
    return pg.evaluate(_FOCUSED_JS)


def tab_to(
    pg, wanted: str, *, exact: bool = False, backwards: bool = False, limit: int = 200
) -> dict:
    """Press Tab (or Shift+Tab) until the focused control's name starts with (or is) ``wanted``."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        pg.keyboard.press(key)
        info = focused(pg)
        seen.append(info["name"][:40])
        if info["name"] == wanted or (not exact and info["name"].startswith(wanted)):
            assert info["visible"], f"{wanted!r} has focus but no visible focus indicator: {info}"
            return info
    raise AssertionError(f"{key} never reached {wanted!r}; went through: {seen}")


def wait_url(pg, part: str, timeout_s: float = 30) -> None:
    """Wait until the address contains ``part`` (Streamlit changes it without a page load)."""
    for _ in range(int(timeout_s * 5)):
        if part in pg.url:
            return
        pg.wait_for_timeout(200)
    raise AssertionError(f"The address {pg.url!r} never contained {part!r}.")


def open_by_keyboard(pg, page_title: str, heading: str) -> None:
    """Follow a sidebar navigation link with the keyboard (Shift+Tab back to the top first)."""
    pg.keyboard.press("Escape")
    tab_to(pg, page_title, exact=True, backwards=True)
    pg.keyboard.press("Enter")
    pg.locator("h1").filter(has_text=heading).first.wait_for(timeout=60_000)
    wait_until_idle(pg)


def open_list(pg) -> None:
    """Open the focused select box's list with Space and wait for it."""
    pg.keyboard.press("Space")
    pg.locator('[role="listbox"]').first.wait_for(timeout=10_000)


def test_keyboard_alone_changes_area_indicator_radius_and_runs_a_recommendation(server, page):
    pg = page
    pg.goto(server.url)
    wait_until_idle(pg)

    # Overview: the radius slider (arrow keys) changes the reach on the page and in the URL.
    tab_to(pg, "Reach radius")
    pg.keyboard.press("ArrowRight")
    wait_url(pg, "r=1200")
    wait_until_idle(pg)
    pg.get_by_text("Who is within reach of a hub (1,200 m)").wait_for(timeout=30_000)

    # The Map page, then a new indicator: open the list with Space, move with arrows, Enter.
    open_by_keyboard(pg, "Map", "Map: deprivation")
    wait_url(pg, "/map")
    tab_to(pg, "Map indicator")
    open_list(pg)
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("Enter")
    wait_url(pg, "ind=")
    wait_until_idle(pg)
    chosen = parse_qs(urlparse(pg.url).query)["ind"][0]
    assert chosen != c.IMD_SCORE
    legend = c.INDICATORS[chosen][0]
    frame = map_frame(pg)
    frame.locator(".hc-legend .hc-title").filter(has_text=legend).wait_for(timeout=30_000)
    # The map frame is in the Tab order; inside it Leaflet's map pans with the arrow keys.
    info = tab_to(pg, "Map of Leeds")
    assert info["tag"] == "IFRAME"

    # Gaps page: choose an area with the keyboard (arrows through the list, Enter).
    open_by_keyboard(pg, "Gaps", GAPS_TITLE)
    wait_url(pg, "/gaps")
    tab_to(pg, "Area")
    open_list(pg)
    highlighted = (
        "() => { const id = document.activeElement.getAttribute('aria-activedescendant');"
        " return id && document.getElementById(id) ? document.getElementById(id).innerText : ''; }"
    )
    for _ in range(40):
        pg.keyboard.press("ArrowDown")
        if pg.evaluate(highlighted).startswith("Cross Gates"):
            break
    pg.keyboard.press("Enter")
    wait_url(pg, "area=Cross+Gates")
    wait_until_idle(pg)
    pg.get_by_text("Cross Gates ranks").wait_for(timeout=30_000)

    # Site planner: Tab to the button and press Enter; the recommendation draws.
    open_by_keyboard(pg, "Site planner", PLANNER_TITLE)
    wait_url(pg, "/planner")
    tab_to(pg, "Recommend sites")
    pg.keyboard.press("Enter")
    pg.get_by_text("Sites in order of marginal gain").wait_for(timeout=90_000)
    wait_url(pg, "run=1")  # the page writes its URL at the end of its run, after the results
    assert "area=Cross+Gates" in pg.url and "r=1200" in pg.url
    map_frame(pg).locator("path.hc-new-site").first.wait_for(timeout=90_000)
