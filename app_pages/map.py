"""Map page: LSOA choropleth of a chosen indicator with outlines, hubs and a table alternative."""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from app_pages import common
from data import loaders
from utils import constants as c
from utils.exports import standalone_map_html
from utils.indicators import indicator_table

view = common.shared_view()
indicator = view["ind"]
label = c.INDICATORS[indicator][0]

st.title("Map: deprivation and hubs by neighbourhood")
st.caption(
    f"{label}. Source: {c.SOURCE_IOD2025}; {c.SOURCE_BOUNDARIES}. "
    "Boundaries simplified for drawing. Hover a neighbourhood for details."
)

lsoas = loaders.load_lsoas_with_lcp()
area_lsoas = common.filter_area(lsoas, view["area"])
hubs = loaders.load_open_hubs()
show_tiles = st.toggle("Street map background (needs internet)", value=False, key="map_tiles")

fmap = common.indicator_map(
    lsoas,
    indicator,
    hubs,
    wards=loaders.load_wards(),
    outline=loaders.load_outline(),
    base_tiles=show_tiles,
)
common.fit_to_area(fmap, area_lsoas, view["area"])
st_folium(fmap, key="map_map", returned_objects=[], height=640, use_container_width=True)
common.sample_hub_notice(hubs)
st.download_button(
    "Download this map (HTML file that works offline)",
    partial(standalone_map_html, fmap, *loaders.load_leaflet_assets(), f"{label}, {view['area']}"),
    file_name=f"leeds_map_{indicator}.html",
    mime="text/html",
    key="map_html_download",
)

# Shown on request: the data grid's code (~1.3 MB) then loads only for those who want the table.
if st.toggle(
    f"Show the table: the same values for {len(area_lsoas)} neighbourhoods (sortable)",
    key="map_show_table",
):
    table = indicator_table(area_lsoas, indicator)
    st.dataframe(table, hide_index=True, width="stretch", key="map_table")
    common.csv_download(table, f"leeds_lsoa_{indicator}.csv", key="map_download")
