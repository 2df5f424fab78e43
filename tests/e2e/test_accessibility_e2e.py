"""WCAG 2.2 AA in a real browser: axe on every page, viewport and mode (maps' frames too), reflow.

One server and one browser for all of it; each viewport/mode pair reuses one browser context
and visits every page in turn, so the whole sweep costs a few page loads per page.
"""

from __future__ import annotations

import pytest

from tests.e2e.a11y import ALLOW_LIST, axe_violations, not_allowed, wait_until_idle
from tests.e2e.conftest import MAP_FRAME

pytestmark = pytest.mark.e2e

# Every page in dashboard.PAGES, plus the Site planner after a recommendation has run.
# The default page (Overview) answers at "/" (url_path "" in the browser).
PAGES = [
    "",
    "map",
    "gaps",
    "planner",
    "planner?area=Cross+Gates&k=3&run=1",
    "growth",
    "hubs",
    "about",
    "accessibility",
]
# Pages that draw a map: the sweep waits for its frame (a busy machine mounts it late).
MAP_PAGES = {"", "map", "gaps", "planner?area=Cross+Gates&k=3&run=1", "growth", "hubs"}
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}


def _url(base: str, path: str, present: bool) -> str:
    url = f"{base}/{path}"
    if not present:
        return url
    return url + ("&" if "?" in url else "?") + "present=1"


def open_page(pg: object, url: str, expect_map: bool = False) -> None:
    """Open a page and wait until its script, its maps and any recommendation have finished."""
    pg.goto(url)  # type: ignore[attr-defined]
    wait_until_idle(pg)
    if "run=1" in url:
        pg.get_by_text("Sites in order of marginal gain").wait_for(timeout=90_000)  # type: ignore[attr-defined]
        wait_until_idle(pg)
    if expect_map:
        pg.locator(MAP_FRAME).first.wait_for(timeout=90_000)  # type: ignore[attr-defined]
    frames = pg.locator(MAP_FRAME)  # type: ignore[attr-defined]
    for i in range(frames.count()):
        frame = pg.frame_locator(MAP_FRAME).nth(i)  # type: ignore[attr-defined]
        frame.locator(".leaflet-container").wait_for(timeout=60_000)
        frame.locator(".hc-legend").first.wait_for(timeout=60_000)


def test_the_sweep_covers_every_page_in_the_navigation():
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "dashboard.py").read_text()
    paths = {
        kw.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
        for kw in node.keywords
        if kw.arg == "url_path"
    }
    # The default page's own path ("home") is never shown: it answers at "/", and "/overview"
    # is a hidden alias for it, so the sweep's "/" covers both.
    assert paths - {"home"} == {p.split("?")[0] or "overview" for p in PAGES}


def test_allow_list_names_exact_elements_with_reasons():
    for (rule, target), reason in ALLOW_LIST.items():
        assert rule and target and "*" not in target and len(reason) > 20


@pytest.mark.parametrize("present", [False, True], ids=["default", "presenter"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_passes_axe_wcag_a_and_aa(server, browser, viewport, present):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    failures: dict[str, list] = {}
    checked_frames = 0
    try:
        for path in PAGES:
            open_page(pg, _url(server.url, path, present), expect_map=path in MAP_PAGES)
            found = axe_violations(pg)
            checked_frames += len(pg.frames) - 1
            bad = not_allowed(found)
            if bad:
                failures[path] = bad
    finally:
        context.close()
    report = "\n".join(f"{p}:\n  " + "\n  ".join(map(str, vs)) for p, vs in failures.items())
    assert not failures, f"axe WCAG A/AA violations ({viewport}, present={present}):\n{report}"
    assert checked_frames >= 6  # the map frames were checked too (one or more per map page)


_OVERFLOW_JS = """
() => {
  // Elements that stick out past the right edge of the window, outside the places allowed to
  // scroll sideways (data tables, maps, charts' own canvases).
  const allowed = '[data-testid="stDataFrame"], [data-testid="stTable"], '
    + '[data-testid="stIFrame"], .js-plotly-plot, [data-testid="stCode"]';
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.closest(allowed)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') continue;
    // Visually hidden helpers (a slider's value input) carry no content of their own.
    if (r.width <= 1 || r.height <= 1) continue;
    const box = el.parentElement;
    if (box && box.getBoundingClientRect().width <= 1 && getComputedStyle(box).overflow === 'hidden') continue;
    if (r.right > width + 1) out.push(el.tagName + '.' + el.className + ' ' + (el.getAttribute('aria-label') || el.type || '') + ' ' + (el.closest('[data-testid]') || {}).dataset?.testid + ' ' + Math.round(r.right) + ' ' + (el.innerText || '').slice(0, 60));
  }
  return {out: out.slice(0, 10), scroll: document.scrollingElement.scrollWidth, width: width};
}
"""


def test_every_page_reflows_at_320_css_pixels_without_sideways_scrolling(server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    pg = context.new_page()
    problems = {}
    try:
        for path in PAGES:
            open_page(pg, _url(server.url, path, False))
            result = pg.evaluate(_OVERFLOW_JS)
            main = pg.locator('[data-testid="stMain"]')
            main_scroll = main.evaluate("el => el.scrollWidth - el.clientWidth")
            if result["out"] or result["scroll"] > result["width"] or main_scroll > 1:
                problems[path] = result | {"main_extra_px": main_scroll}
            # Nothing lost: the page's title is shown and the sidebar's controls can be opened.
            assert pg.locator("h1").first.is_visible(), path
    finally:
        context.close()
    assert not problems, problems
