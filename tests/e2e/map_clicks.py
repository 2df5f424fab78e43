"""Browser helper: click where Leaflet draws an LSOA (used by the map e2e tests and bench/run.py)."""

from __future__ import annotations

import time


def click_lsoa(page: object, frame: object, code: str, shapes, shown: str, timeout_ms: int = 30_000) -> float:
    """Click the LSOA's interior point on a streamlit-folium map; seconds until ``shown`` appears.

    ``shapes`` is the LSOA table indexed by code (EPSG:4326 geometry); streamlit-folium exposes
    the Leaflet map as ``window.map`` inside its frame.
    """
    point = shapes.loc[code].geometry.representative_point()
    container = frame.locator(".leaflet-container")  # type: ignore[attr-defined]
    xy = container.evaluate(
        "(el, p) => { const q = window.map.latLngToContainerPoint([p[0], p[1]]);"
        " return [q.x, q.y]; }",
        [point.y, point.x],
    )
    t0 = time.perf_counter()
    container.click(position={"x": xy[0], "y": xy[1]})
    page.get_by_text(shown).wait_for(timeout=timeout_ms)  # type: ignore[attr-defined]
    return time.perf_counter() - t0
