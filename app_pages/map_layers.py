"""The pages' maps from cached layers: figures.maps builders fed by data.loaders (no widgets).

data/loaders.py caches data only and never imports the figures; this module hands it the pure
builders (as unhashed arguments) so the drawing layers and the Map page's document are still
made once per server and per view.
"""

from __future__ import annotations

from functools import partial

import folium
import pandas as pd

from app_pages.clickable_map import PreparedMap, prepare_clickable_map
from app_pages.figures.exports import standalone_map_html
from app_pages.figures.maps import (
    MAP_TITLE,
    build_hub_map,
    encode_shapes,
    fit_to_area,
    map_document,
)
from data import loaders
from data.assets import LEAFLET_CSS, LEAFLET_JS
from utils import constants as c
from utils.demo import title as demo_title
from utils.indicators import decile_column_for, indicator_table

MAP_ASSETS = {"asset_js": LEAFLET_JS, "asset_css": LEAFLET_CSS}


def lsoa_map_encoded() -> dict[str, list[list[str]]]:
    """LSOA drawing shapes, encoded once per server (pass as ``shapes`` to build_hub_map)."""
    return loaders.load_drawing(
        "lsoa_map_encoded", lambda: encode_shapes(loaders.load_lsoa_map_shapes())
    )


def indicator_map(
    lsoas: pd.DataFrame, indicator: str, hubs: pd.DataFrame, demo: bool = False, **layers
):
    """The LSOA choropleth of a map indicator with LCP outlines and hubs (the pages' usual map).

    Built from the cached drawing layers; ``layers`` passes the optional extras on to
    ``build_hub_map`` (wards, outline, rings_m, highlight, new_sites, base_tiles).
    """
    label, higher_is_worse = c.INDICATORS[indicator]
    return build_hub_map(
        lsoa_map_encoded(),
        indicator_table(lsoas, indicator),
        indicator,
        label=demo_title(label, demo),
        higher_is_worse=higher_is_worse,
        decile_col=decile_column_for(indicator),
        lcp_outlines=loaders.load_lcp_outlines(),
        hubs=hubs,
        **layers,
        **MAP_ASSETS,
    )


def _map_page_map(
    indicator: str, area: str, base_tiles: bool, demo: bool, v: loaders.Versions
) -> folium.Map:
    """The Map page's folium map (indicator, wards, LCPs, Leeds outline, open hubs)."""
    lsoas = loaders.load_lsoas_with_lcp.at(v)
    fmap = indicator_map(
        lsoas,
        indicator,
        loaders.load_open_hubs.at(v, None, demo),
        demo=demo,
        wards=loaders.load_wards(),
        outline=loaders.load_outline(),
        base_tiles=base_tiles,
    )
    fit_to_area(fmap, lsoas, area)
    return fmap


def _map_page(indicator: str, area: str, base_tiles: bool, demo: bool, v: loaders.Versions) -> str:
    return map_document(_map_page_map(indicator, area, base_tiles, demo, v))


def map_page_document(
    indicator: str, area: str, base_tiles: bool = False, demo: bool = False
) -> str:
    """The Map page's map (indicator, wards, LCPs, Leeds outline, open hubs) as an HTML page.

    Cached per view and per register and footprints version, so a room of people opening the
    same link costs the server one build (loaders.load_view_document).
    """
    view = (indicator, area, bool(base_tiles), bool(demo))
    return loaders.load_view_document(("map", *view), partial(_map_page, *view))


def standalone_map_document(page_html: str, title: str) -> str:
    """A map page with Leaflet inlined: one HTML file that opens offline (made on download)."""
    return standalone_map_html(page_html, *loaders.load_leaflet_assets(), title)


def _map_page_clickable(
    indicator: str, area: str, base_tiles: bool, demo: bool, v: loaders.Versions
) -> PreparedMap:
    return prepare_clickable_map(
        _map_page_map(indicator, area, base_tiles, demo, v), demo_title(MAP_TITLE, demo)
    )


def map_page_clickable(
    indicator: str, area: str, base_tiles: bool = False, demo: bool = False
) -> PreparedMap:
    """The Map page's clickable map, rendered once per view (a rerun sends the same strings)."""
    view = (indicator, area, bool(base_tiles), bool(demo))
    return loaders.load_view_document(("map-click", *view), partial(_map_page_clickable, *view))


def _indexed_click_shapes():
    shapes = loaders.load_lsoa_map_shapes().copy()
    shapes.sindex  # noqa: B018 - build the spatial index now, once per server
    return shapes


def lsoa_click_shapes():
    """The LSOA polygons as drawn (EPSG:4326) with a spatial index: find a click, outline it."""
    return loaders.load_drawing("lsoa_click_shapes", _indexed_click_shapes)
