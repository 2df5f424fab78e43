"""Maps that answer clicks: streamlit-folium with local Leaflet and nothing from another host.

Maps that only show stay on the fast ``st.iframe`` path (``app_pages.common.show_map``). A map
the page must read clicks from goes through ``show_clickable_map``:

- ``st_folium`` returns only ``last_clicked`` (and ``last_object_clicked`` when asked), so
  panning and zooming never rerun the script;
- the component's frontend bundles no Leaflet: it loads every ``default_js``/``default_css``
  link of the map's elements, and folium's defaults are CDN links (Leaflet, jQuery, Bootstrap,
  awesome-markers). They are replaced by the app's own Leaflet (``data.assets``, served from
  ``static/vendor`` by ``server.enableStaticServing``), and any other remote link is refused;
- a branca colormap makes streamlit-folium add two d3 scripts from CDNs, so it is refused:
  keep legends in plain HTML (as ``utils.maps`` does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import urlparse

import branca
import folium
import streamlit as st

from data.assets import LEAFLET_CSS, LEAFLET_JS

__all__ = [
    "MapClick",
    "RemoteAssetError",
    "make_offline",
    "map_links",
    "show_clickable_map",
    "take_click",
]


class RemoteAssetError(ValueError):
    """The map would make the browser fetch a script or style sheet from another host."""


def _walk(element: object) -> Iterator[object]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def map_links(folium_map: folium.Map) -> tuple[list[str], list[str]]:
    """The script and style-sheet links streamlit-folium would load for this map.

    Mirrors ``st_folium``'s own walk: every element's ``default_js``/``default_css``, plus the
    two d3 scripts it adds from CDNs when a branca colormap is present.
    """
    js: list[str] = []
    css: list[str] = []
    for elem in _walk(folium_map):
        if isinstance(elem, branca.colormap.ColorMap):
            js[:0] = [
                "https://d3js.org/d3.v4.min.js",
                "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
            ]
        js.extend(src for _, src in getattr(elem, "default_js", []))
        css.extend(href for _, href in getattr(elem, "default_css", []))
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def _remote(link: str) -> bool:
    parsed = urlparse(link)
    return bool(parsed.scheme or parsed.netloc) and parsed.scheme not in ("data", "blob")


def make_offline(folium_map: folium.Map) -> folium.Map:
    """Point the map's Leaflet at the app's own copy and refuse any remote asset.

    The map's jQuery/Bootstrap/awesome-markers links are dropped: the app's maps use plain
    Leaflet only. Changes ``folium_map`` in place and returns it.

    Raises
    ------
    RemoteAssetError
        When another element (a plugin, a branca colormap legend) would load from a CDN.
    """
    folium_map.default_js = [("leaflet", LEAFLET_JS)]
    folium_map.default_css = [("leaflet_css", LEAFLET_CSS)]
    _allow_zoom(folium_map)
    js, css = map_links(folium_map)
    remote = [link for link in js + css if _remote(link)]
    if remote:
        raise RemoteAssetError(
            "This map would load files from another host, which the offline app must not do: "
            + ", ".join(remote)
            + ". Use plain-HTML legends (no branca colormap) and no CDN plugins."
        )
    return folium_map


_VIEWPORT_RE = re.compile(r'<meta name="viewport"[^>]*>')
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def _allow_zoom(folium_map: folium.Map) -> None:
    """Let people pinch-zoom the map's frame (WCAG 1.4.4, axe meta-viewport).

    folium's map header forbids zooming (``user-scalable=no``); it is written when the map
    renders, so the header is replaced right after (st_folium renders the map itself).
    """
    if getattr(folium_map, "_hc_zoom_allowed", False):
        return
    original = folium_map.render

    def render(**kwargs: object) -> None:
        original(**kwargs)
        macro = folium_map._template.module.__dict__.get("header")
        if macro is not None:
            text = _VIEWPORT_RE.sub(_VIEWPORT, str(macro(folium_map, kwargs)), count=1)
            header = folium_map.get_root().header
            header.add_child(branca.element.Element(text), name=folium_map.get_name())

    folium_map.render = render
    folium_map._hc_zoom_allowed = True


def _point(value: object) -> tuple[float, float] | None:
    if not isinstance(value, dict):
        return None
    lat, lng = value.get("lat"), value.get("lng")
    if lat is None or lng is None:
        return None
    return float(lat), float(lng)


class MapClick(NamedTuple):
    """A click on a clickable map: where, and what drawn object (if any) it hit.

    ``on_object`` is True for a click on any drawn layer (an LSOA polygon too); ``tooltip`` is
    that layer's tooltip text, so a page tells its own markers apart (for example a what-if
    hub's tooltip "What-if hub 3"). For circle markers of radius 10 px or less, Leaflet reports
    the marker's own position rather than the pointer's.
    """

    lat: float
    lon: float
    on_object: bool = False
    tooltip: str | None = None


def show_clickable_map(
    folium_map: folium.Map,
    key: str,
    height: int = 560,
    *,
    object_clicks: bool = False,
    only_new: bool = True,
    on_change: Callable[[], None] | None = None,
) -> tuple[float, float] | MapClick | None:
    """Draw a map that reports clicks; return the clicked ``(lat, lon)`` or None.

    Parameters
    ----------
    folium_map
        The map (made offline here; see ``make_offline``).
    key
        Widget key, page-prefixed (``"map_click"``, ``"planner_whatif_map"``).
    height
        Height in pixels; the map fills the container's width.
    object_clicks
        Also report which drawn object was clicked (hub markers, for removal): the return
        value is then a ``MapClick`` with ``on_object`` and the object's ``tooltip``.
    only_new
        Return a click only once: a rerun for any other reason (a widget, the URL) returns
        None instead of the same click again, so a click never places a hub twice.
    on_change
        Called before the rerun a click causes (a Streamlit callback): read the click there
        with ``take_click(key)`` to change what the map draws in that same run.

    Returns
    -------
    tuple of float, MapClick or None
        Latitude and longitude (WGS84) of the new click (a ``MapClick`` with
        ``object_clicks``), or None.
    """
    from streamlit_folium import st_folium

    make_offline(folium_map)
    wanted = ["last_clicked"]
    if object_clicks:
        wanted += [
            "last_object_clicked",
            "last_object_clicked_count",
            "last_object_clicked_tooltip",
        ]
    out = (
        st_folium(
            folium_map,
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=wanted,
            on_change=on_change,
        )
        or {}
    )
    return _new_click(out, f"{key}__handled", object_clicks, only_new)


def take_click(key: str, *, object_clicks: bool = True) -> MapClick | tuple[float, float] | None:
    """In an ``on_change`` callback of ``show_clickable_map``: the click just made, or None.

    Reads the component's value (Streamlit keeps it under ``key``) and returns each click once.
    """
    out = st.session_state.get(key) or {}
    return _new_click(out if isinstance(out, dict) else {}, f"{key}__taken", object_clicks, True)


def _new_click(
    out: dict, seen_key: str, object_clicks: bool, only_new: bool
) -> tuple[float, float] | MapClick | None:
    on_map = _point(out.get("last_clicked"))
    on_object = _point(out.get("last_object_clicked")) if object_clicks else None
    state = (on_map, on_object, out.get("last_object_clicked_count"))
    seen = st.session_state.get(seen_key, (None, None, None)) if only_new else (None, None, None)
    st.session_state[seen_key] = state
    # A click on an object also moves last_clicked: report it once, as an object click.
    if on_object is not None and state[1:] != seen[1:]:
        tip = out.get("last_object_clicked_tooltip")
        return MapClick(on_object[0], on_object[1], True, str(tip).strip() if tip else None)
    if on_map is not None and on_map != seen[0]:
        return MapClick(on_map[0], on_map[1]) if object_clicks else on_map
    return None
