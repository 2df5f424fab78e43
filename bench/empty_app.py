"""An empty Streamlit page: the baseline the Map page is measured against."""

import streamlit as st

st.title("Empty page")
