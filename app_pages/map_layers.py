"""The pages' maps from cached layers: figures.maps builders fed by data.loaders (no widgets).

data/loaders.py caches data only and never imports the figures; this module hands it the pure
builders (as unhashed arguments) so the drawing layers and the Map page's document are still
made once per server and per view.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from app_pages.figures.exports import standalone_map_html
from app_pages.figures.maps import build_hub_map, encode_shapes, fit_to_area, map_document
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


def _map_page(indicator: str, area: str, base_tiles: bool, demo: bool, v: loaders.Versions) -> str:
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
    return map_document(fmap)


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
