"""Pure spatial code: LCP footprints, hub coverage and site optimisation (no streamlit)."""
