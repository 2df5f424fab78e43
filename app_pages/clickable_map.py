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
  keep legends in plain HTML (as ``utils.maps`` does);
- a click is sent to Python at once, not after the component's 250 ms debounce
  (``_instant_clicks``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import urlparse

import branca
import folium
import streamlit as st
from branca.element import MacroElement, Template

from app_pages.figures.maps import (
    FOCUS_CSS,  # one focus style for every map
    MAP_TITLE,
    script_json,
)
from data.assets import LEAFLET_CSS, LEAFLET_JS

__all__ = [
    "MapClick",
    "PreparedMap",
    "RemoteAssetError",
    "layer_script",
    "make_offline",
    "make_offline_layer",
    "map_links",
    "pending_click",
    "prepare_clickable_map",
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
    js, css = map_links(folium_map)
    remote = [link for link in js + css if _remote(link)]
    if remote:
        raise RemoteAssetError(
            "This map would load files from another host, which the offline app must not do: "
            + ", ".join(remote)
            + ". Use plain-HTML legends (no branca colormap) and no CDN plugins."
        )
    return folium_map


def make_offline_layer(layer: folium.FeatureGroup) -> folium.FeatureGroup:
    """Refuse a dynamic layer that would load anything from another host (see ``make_offline``)."""
    js, css = map_links(layer)
    remote = [link for link in js + css if _remote(link)]
    if remote:
        raise RemoteAssetError(
            "This map layer would load files from another host: " + ", ".join(remote) + "."
        )
    return layer


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


class PreparedMap(NamedTuple):
    """A clickable map as streamlit-folium's frontend receives it: plain strings, cacheable.

    ``st_folium`` renders the whole folium map on every rerun (0.1-0.8 s for the Leeds
    choropleth on this machine); a page whose map only changes with its view prepares it once
    per view (``data.loaders``) and passes this instead.
    """

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _map_script(name: str, js: str) -> MacroElement:
    """An element whose ``js`` runs in the map's script (``{{ this._parent.get_name() }}`` is the
    map; st_folium renames it ``map_div``)."""
    element = MacroElement()
    element._name = name
    element._template = Template("{% macro script(this, kwargs) %}" + js + "{% endmacro %}")
    return element


def _frame_title(title: str) -> MacroElement:
    """A script naming the component's frame, as ``show_map``'s ``alt`` names Streamlit's.

    streamlit-folium's frame is titled "streamlit_folium.st_folium", which a screen reader
    announces and keyboard users meet on Tab; the frame is same-origin, so the map renames it.
    """
    return _map_script(
        "FrameTitle",
        "try { if (window.frameElement) { window.frameElement.title = "
        + script_json(title)
        + "; } } catch (e) {}",
    )


# The value streamlit-folium 0.27 sends for a click, in its own key order (``updateComponentValue``
# in its frontend bundle): the keys ``show_clickable_map`` asks for, and nothing else.
_CLICK_KEYS = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
)

# streamlit-folium sends every change 250 ms late (one debounce meant for panning and zooming),
# a quarter of a second a user waits on every click. This map listener runs just before the
# component's own and sends the same value at once, through the component's own Streamlit object
# and bookkeeping (``__GLOBAL_DATA__``, ``previous_data``); the debounced call then finds nothing
# new and sends nothing. Any other returned key, or longitude wrapping, leaves the debounce alone.
# ``tests/unit/test_clickable_map.py`` checks the pinned bundle still has these names.
_INSTANT_CLICKS_JS = """
(function (map) {
  var KEYS = %s;
  map.on("click", function (e) {
    var g = window.__GLOBAL_DATA__, lib = window.Streamlit;
    if (!g || !lib || !g.returned_objects || g.wrap_longitude) return;
    if (g.returned_objects.some(function (k) { return KEYS.indexOf(k) < 0; })) return;
    g.lat_lng_clicked = e.latlng;  // what the component's own listener, next, would set
    var value = {};
    KEYS.forEach(function (k) {
      if (g.returned_objects.indexOf(k) >= 0) value[k] = k === "last_clicked" ? e.latlng : g[k];
    });
    if (JSON.stringify(value) === JSON.stringify(g.previous_data)) return;
    g.previous_data = value;
    lib.setComponentValue(value);
  });
})({{ this._parent.get_name() }});
"""


def _instant_clicks() -> MacroElement:
    """A script that sends a click to Python at once, not after streamlit-folium's debounce."""
    return _map_script("InstantClicks", _INSTANT_CLICKS_JS % json.dumps(list(_CLICK_KEYS)))


def prepare_clickable_map(folium_map: folium.Map, title: str = MAP_TITLE) -> PreparedMap:
    """Render a map the way ``st_folium`` does, once (made offline first; see ``make_offline``).

    Uses streamlit-folium's own helpers (pinned version), so the frontend gets exactly what
    ``st_folium`` would send; ``tests/unit/test_clickable_map.py`` checks they agree. ``title``
    becomes the frame's accessible name.
    """
    from streamlit_folium import _get_header, _get_html, _get_map_string, get_full_id

    make_offline(folium_map)
    _frame_title(title).add_to(folium_map)
    _instant_clicks().add_to(folium_map)
    folium_map.get_root().render()
    folium_map.render()
    html = _get_html(folium_map)
    # folium's header forbids zooming (axe meta-viewport, WCAG 1.4.4); the component's own page
    # already has a viewport that allows it. Add the app's visible keyboard focus (2.4.7).
    header = re.sub(r'<meta name="viewport"[^>]*>', "", _get_header(folium_map)) + FOCUS_CSS
    script = _get_map_string(folium_map)
    js, css = map_links(folium_map)
    return PreparedMap(script, header, html, get_full_id(folium_map), tuple(css), tuple(js))


def layer_script(layer: folium.FeatureGroup, index: int = 0) -> str:
    """A layer that changes between reruns, as the script ``st_folium`` adds to a drawn map.

    Drawn on a throwaway map (the script refers to the drawn map as ``map_div``), so the
    page's map itself never changes and is never drawn again.
    """
    from streamlit_folium import _get_feature_group_string

    make_offline_layer(layer)
    return _get_feature_group_string(layer, folium.Map(tiles=None), index)


def _draw(
    prepared: PreparedMap,
    key: str,
    height: int,
    wanted: list[str],
    center: tuple[float, float] | None,
    zoom: int | None,
    layer_js: str | None,
    on_change: Callable[[], None] | None = None,
) -> dict:
    """streamlit-folium's component, given what ``st_folium`` would compute (pinned version)."""
    from streamlit_folium import _component_func, generate_js_hash

    hash_key = generate_js_hash(prepared.script, key, False)

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:  # the page's callback reads the click with ``take_click``
            on_change()

    value = _component_func(
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        id=prepared.map_id,
        key=hash_key,
        height=height,
        width=None,  # the container's width
        returned_objects=wanted,
        default=dict.fromkeys(wanted),
        zoom=zoom,
        center=center,
        feature_group=layer_js,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(prepared.css_links),
        js_links=list(prepared.js_links),
        on_change=_on_change,
        wrap_longitude=False,
    )
    # What this map instance holds now: a map drawn anew (another view) starts with no click,
    # so ``pending_click`` never takes the previous map's last click for a new one.
    st.session_state[key] = value
    return value


def show_clickable_map(
    folium_map: folium.Map | PreparedMap,
    key: str,
    height: int = 560,
    *,
    object_clicks: bool = False,
    only_new: bool = True,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    feature_group_to_add: folium.FeatureGroup | None = None,
    on_change: Callable[[], None] | None = None,
) -> tuple[float, float] | MapClick | None:
    """Draw a map that reports clicks; return the clicked ``(lat, lon)`` or None.

    Parameters
    ----------
    folium_map
        The map (made offline here; see ``make_offline``), or the same already prepared
        (``prepare_clickable_map``, cached by a loader) so a rerun does not render it again.
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
    center, zoom
        Move the view there (only when they change: the map is not drawn again).
    feature_group_to_add
        A layer that changes between reruns (a selection outline) without redrawing the map;
        made offline too. Keep it out of ``folium_map``, or every change redraws the map.
    on_change
        Called before the rerun a click causes (a Streamlit callback): read the click there
        with ``take_click(key)`` to change what the map draws in that same run.

    Returns
    -------
    tuple of float, MapClick or None
        Latitude and longitude (WGS84) of the new click (a ``MapClick`` with
        ``object_clicks``), or None.
    """
    prepared = (
        folium_map if isinstance(folium_map, PreparedMap) else prepare_clickable_map(folium_map)
    )
    layer_js = None if feature_group_to_add is None else layer_script(feature_group_to_add)
    wanted = list(_CLICK_KEYS) if object_clicks else ["last_clicked"]
    out = _draw(prepared, key, height, wanted, center, zoom, layer_js, on_change) or {}
    return _new_click(out, f"{key}__handled", object_clicks, only_new)


def take_click(key: str, *, object_clicks: bool = True) -> MapClick | tuple[float, float] | None:
    """In an ``on_change`` callback of ``show_clickable_map``: the click just made, or None.

    Reads the component's value (kept under ``key``) and returns each click once.
    """
    out = st.session_state.get(key) or {}
    return _new_click(out if isinstance(out, dict) else {}, f"{key}__taken", object_clicks, True)


def _new_click(
    out: dict, seen_key: str, object_clicks: bool, only_new: bool
) -> tuple[float, float] | MapClick | None:
    """The click in a component value if it was not reported under ``seen_key`` before."""
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


def pending_click(key: str) -> tuple[float, float] | None:
    """The map click that this rerun will report, read before the map is drawn (or None).

    ``show_clickable_map`` returns a click only after drawing; a page that must draw the click's
    answer on the map itself (the selected LSOA's outline) reads it here first. Plain clicks
    only (not ``object_clicks``); the later ``show_clickable_map`` call still returns it once.
    """
    out = st.session_state.get(key) or {}
    on_map = _point(out.get("last_clicked")) if isinstance(out, dict) else None
    seen = st.session_state.get(f"{key}__handled", (None, None, None))
    return on_map if on_map is not None and on_map != seen[0] else None
