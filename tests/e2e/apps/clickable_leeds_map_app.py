"""Test-only app: the real Leeds choropleth drawn as a clickable map; a click names its LSOA.

What the Map page's click-to-explain will do, without the page: proves the app's own map
layers (encoded polygons, plain-HTML legend) run inside streamlit-folium, offline.
"""

import pandas as pd
import streamlit as st

from app_pages import map_layers
from app_pages.clickable_map import show_clickable_map
from data import loaders
from geo.profile import lsoa_at_point
from utils import constants as c

st.set_page_config(page_title="Clickable Leeds map test")
lsoas = loaders.load_lsoas_with_lcp()
fmap = map_layers.indicator_map(lsoas, c.IMD_SCORE, pd.DataFrame())
clicked = show_clickable_map(fmap, key="test_leeds_click", height=600)
if clicked is not None:
    st.session_state["test_selected"] = lsoa_at_point(*clicked, loaders.load_lsoa_map_shapes())
selected = st.session_state.get("test_selected")
st.markdown(f"Selected LSOA: {selected or 'none'}")
