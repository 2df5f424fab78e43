"""About page: data sources, vintages, licences, attribution, method and every approximation."""

import streamlit as st

from app_pages.figures import about
from data import loaders
from utils.risk import describe_method

st.title("About the data")
st.markdown(about.INTRO)
st.header("Sources and vintages")
st.markdown(about.SOURCES_TABLE)
manifest = loaders.load_manifest()
st.caption(f"Data built {manifest['built_at']} from {manifest['source_dir']}.")

st.header("Authored by hand")
st.markdown(about.authored_markdown())

st.header("Method")
# Defaults, as used by the Overview page and the command-line export; the Gaps page can change them.
st.markdown(describe_method())

# Coverage method: a separate block (app_pages.figures.about.coverage_method_markdown).
st.header("How coverage is measured")
st.markdown(about.coverage_method_markdown())

st.header("Approximations")
st.markdown(about.approximations_markdown())

st.header("Licences and attribution")
st.markdown(about.ATTRIBUTION)
