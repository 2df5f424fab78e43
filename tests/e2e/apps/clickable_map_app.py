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
folium.Element('<div class="hc-legend">Plain HTML legend</div>').add_to(fmap.get_root().html)
clicked = show_clickable_map(fmap, key="test_click", height=400)
if clicked is not None:
    st.session_state["clicks"].append(clicked)
last = st.session_state["clicks"][-1] if st.session_state["clicks"] else None
st.markdown(f"Clicks handled: {len(st.session_state['clicks'])}")
st.markdown("Clicked: none" if last is None else f"Clicked: {last[0]:.5f}, {last[1]:.5f}")
