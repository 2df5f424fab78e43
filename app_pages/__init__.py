"""Streamlit pages (registered explicitly in dashboard.py) and the UI helpers they share.

Not named ``pages/``: Streamlit treats a ``pages/`` folder beside the entry point as a legacy
multipage directory on a server's first run (and in AppTest), running a deep-linked page without
dashboard.py, so the shared sidebar and view state would be missing.
"""
