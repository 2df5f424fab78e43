"""Pure builders the pages draw with: folium maps, plotly charts, exports, slides, about text (no streamlit)."""
