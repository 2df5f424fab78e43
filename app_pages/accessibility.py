"""Accessibility statement page: what meets WCAG 2.2 AA, what does not yet, how tested, contact."""

import os

import streamlit as st

from app_pages.figures.accessibility import statement_markdown

st.title("Accessibility statement")
# The deploying team names its own contact (an address or a team) without a code change.
st.markdown(statement_markdown(os.environ.get("HUB_COVERAGE_ACCESSIBILITY_CONTACT")))
