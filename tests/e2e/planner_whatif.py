"""Browser helpers for the Site planner's what-if map (used by its e2e test and bench/run.py)."""

from __future__ import annotations

import time

# streamlit-folium's component frame (the show-only maps use Streamlit's own st.iframe).
FOLIUM_FRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is renamed once drawn
WHATIF_HUB = "path.hc-whatif-hub"
RESIDENTS = "Residents newly within reach"
AT_RISK = "At-risk residents newly within reach"

_METRIC_JS = """
(label) => {
  const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
    .find(e => e.innerText.includes(label + '\\n') || e.innerText.startsWith(label));
  const v = box && box.querySelector('[data-testid="stMetricValue"]');
  return v ? v.innerText.trim() : null;
}
"""


def metric(page: object, label: str = RESIDENTS) -> float | None:
    """A what-if figure as shown ("+13,484" -> 13484.0), or None while not drawn."""
    text = page.evaluate(_METRIC_JS, label)  # type: ignore[attr-defined]
    return None if text is None else float(text.lstrip("+").replace(",", ""))


def wait_for_metric(page: object, label: str = RESIDENTS, not_equal: float | None = None) -> float:
    """Wait until the figure is drawn (and differs from ``not_equal``); return it."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "([label, old]) => { const v = (" + _METRIC_JS + ")(label);"
        " return v !== null && (old === null || parseFloat(v.replace(/[+,]/g, '')) !== old); }",
        arg=[label, not_equal],
        timeout=90_000,
        polling=20,
    )
    return metric(page, label)  # type: ignore[return-value]


def whatif_map(page: object, n_hubs: int) -> object:
    """The what-if map's frame once its LSOAs and ``n_hubs`` what-if hubs are drawn."""
    page.wait_for_selector(FOLIUM_FRAME, timeout=90_000)  # type: ignore[attr-defined]
    frame = page.frame_locator(FOLIUM_FRAME).first  # type: ignore[attr-defined]
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=90_000)
    if n_hubs:
        frame.locator(WHATIF_HUB).nth(n_hubs - 1).wait_for(timeout=90_000)
    return frame


def click_at(frame: object, lat: float, lon: float) -> None:
    """Click the map where (lat, lon) is drawn (streamlit-folium exposes Leaflet as window.map)."""
    container = frame.locator(".leaflet-container")  # type: ignore[attr-defined]
    # The whole map in view first: a map cut by the window's edge can take a click at its edge.
    xy = container.evaluate(
        "(el, p) => { el.scrollIntoView({block: 'center'});"
        " const q = window.map.latLngToContainerPoint([p[0], p[1]]); return [q.x, q.y]; }",
        [lat, lon],
    )
    container.click(position={"x": xy[0], "y": xy[1]})


def timed_click(page: object, frame: object, lat: float, lon: float, before: float) -> tuple:
    """Click at (lat, lon); seconds until the newly-reached figure changes, and the new figure."""
    t0 = time.perf_counter()
    click_at(frame, lat, lon)
    after = wait_for_metric(page, RESIDENTS, not_equal=before)
    return time.perf_counter() - t0, after
