"""Map page: LSOA choropleth of a chosen indicator with outlines, hubs and a table alternative."""

from functools import partial

import streamlit as st

from app_pages import common, map_layers
from app_pages.figures import summaries
from data import loaders
from utils import constants as c
from utils.indicators import indicator_table
from utils.view_state import ALL_LEEDS, lsoas_in_area

view = common.shared_view()
demo = common.demo_mode()
indicator = view["ind"]
label = c.INDICATORS[indicator][0]

st.title("Map: deprivation and hubs by neighbourhood")
st.caption(
    f"{label}. Source: {c.SOURCE_IOD2025}; {c.SOURCE_BOUNDARIES}. "
    "Boundaries simplified for drawing. Hover a neighbourhood for details."
)
area_lsoas = lsoas_in_area(loaders.load_lsoas_with_lcp(), view["area"])
table = indicator_table(area_lsoas, indicator)
common.figure_summary(
    summaries.indicator_map_summary(
        table,
        indicator,
        label,
        "Leeds" if view["area"] == ALL_LEEDS else view["area"],
        higher_is_worse=c.INDICATORS[indicator][1],
    )
)
# The map comes first so the browser starts drawing it before the widgets below arrive.
# Its tile switch sits under it, so read that widget's last value from the session.
page_html = map_layers.map_page_document(
    indicator, view["area"], st.session_state.get("map_tiles", False), demo=demo
)
common.show_map(page_html, height=640)
st.toggle("Street map background (needs internet)", value=False, key="map_tiles")

hubs = loaders.load_open_hubs(demo=demo)
common.sample_hub_notice(hubs)
st.download_button(
    "Download this map (HTML file that works offline)",
    partial(
        map_layers.standalone_map_document, page_html, common.titled(f"{label}, {view['area']}")
    ),
    file_name=common.file_name(f"leeds_map_{indicator}.html"),
    mime="text/html",
    key="map_html_download",
)

# Shown on request: the data grid's code (~1.3 MB) then loads only for those who want the table.
if st.toggle(
    f"Show the table: the same values for {len(area_lsoas)} neighbourhoods (sortable)",
    key="map_show_table",
):
    st.dataframe(table, hide_index=True, width="stretch", key="map_table")
    common.csv_download(table, f"leeds_lsoa_{indicator}.csv", key="map_download")
