"""Test-only app: one clickable map (app_pages.clickable_map) that prints where it was clicked."""

import folium
import streamlit as st

from app_pages.clickable_map import show_clickable_map

st.set_page_config(page_title="Clickable map test")
if "clicks" not in st.session_state:
    st.session_state["clicks"] = []
fmap = folium.Map(location=(53.8, -1.55), zoom_start=12, tiles=None)
folium.Rectangle(
    bounds=[(53.78, -1.6), (53.82, -1.5)], color="#31688e", fill=True, fill_opacity=0.3
).add_to(fmap)
# A hub-like marker: clicking it reports the object (how a what-if hub is removed).
folium.CircleMarker(
    (53.79, -1.58), radius=8, fill=True, class_name="test-hub", tooltip="What-if hub 1"
).add_to(fmap)
folium.Element('<div class="hc-legend">Plain HTML legend</div>').add_to(fmap.get_root().html)
clicked = show_clickable_map(fmap, key="test_click", height=400, object_clicks=True)
if clicked is not None:
    st.session_state["clicks"].append(clicked)
last = st.session_state["clicks"][-1] if st.session_state["clicks"] else None
st.markdown(f"Clicks handled: {len(st.session_state['clicks'])}")
if last is None:
    st.markdown("Clicked: none")
else:
    st.markdown(f"Clicked: {last.lat:.5f}, {last.lon:.5f}")
    st.markdown(f"Object: {last.tooltip or 'none'}")
