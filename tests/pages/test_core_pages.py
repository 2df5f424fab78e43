"""AppTest for the entry point and the Overview, Map and About pages."""

import pandas as pd

from tests.pages.conftest import map_documents, run_page
from utils import constants as c


def folium_scripts(at) -> list[str]:
    """The rendered map pages of every map (st.iframe or clickable st_folium) on the page."""
    return [doc for doc in map_documents(at) if "leaflet" in doc.lower()]


def test_overview_shows_headline_figures_with_sources():
    at = run_page("app_pages/overview.py")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Neighbourhoods (LSOAs)" in labels and "Residents" in labels
    assert [m.value for m in at.metric if m.label == "Neighbourhoods (LSOAs)"] == ["488"]
    assert any("Indices of Deprivation 2025" in cap.value for cap in at.caption)


def test_map_page_draws_the_chosen_indicator_and_the_table():
    at = run_page("app_pages/map.py", {"ind": "health_score"})
    assert not at.exception
    assert at.selectbox(key="view_indicator").value == "health_score"
    scripts = " ".join(folium_scripts(at))
    assert "Health Deprivation and Disability" in scripts
    assert "/app/static/vendor/leaflet/leaflet.js" in scripts or "leaflet" in scripts
    at.toggle(key="map_show_table").set_value(True).run()
    assert len(at.dataframe[0].value) == c.LEEDS_LSOA21_COUNT


def test_changing_the_indicator_updates_the_url():
    at = run_page("app_pages/map.py")
    at.selectbox(key="view_indicator").set_value("crime_score").run()
    assert not at.exception
    assert at.query_params["ind"] == ["crime_score"] or at.query_params["ind"] == "crime_score"


def test_choosing_an_lcp_filters_the_table():
    at = run_page("app_pages/map.py", {"area": "HATCH"})
    assert not at.exception
    assert at.selectbox(key="view_area").value == "HATCH"
    at.toggle(key="map_show_table").set_value(True).run()
    assert 0 < len(at.dataframe[0].value) < c.LEEDS_LSOA21_COUNT


def test_stale_link_falls_back_to_defaults_without_an_error():
    at = run_page("app_pages/map.py", {"area": "Atlantis", "r": "12"})
    assert not at.exception
    assert at.selectbox(key="view_area").value == "All Leeds"
    assert at.select_slider(key="view_radius").value == c.DEFAULT_RADIUS_M


def test_about_page_lists_sources_and_every_approximation():
    at = run_page("app_pages/about.py")
    assert not at.exception
    text = " ".join(md.value for md in at.markdown)
    for phrase in (
        "Open Government Licence",
        "LCP footprints are not official",
        "Straight-line reach",
        "Population-weighted centres",
        "illustrative",
        "derived overlap lookup",
        "E01035054",
        "Authored by hand",
        "placeholder",
        "GMCA DERI v1 method, adapted",
        "| Age (1/3) |",
        "Substitution and why",
    ):
        assert phrase in text
    # Claims the code does not bear out are gone.
    assert "nothing is typed in by hand" not in text
    assert "flagged in every table" not in text


def test_map_page_map_follows_register_saves_and_the_tile_switch():
    """The Map page's map is cached per view; a register save or the tile switch changes it."""
    from data.register_store import RegisterStore

    store = RegisterStore()
    before = store.current_version()
    try:
        first = " ".join(folium_scripts(run_page("app_pages/map.py")))
        assert "Cached-map test hub" not in first and "tile.openstreetmap" not in first
        register = store.load()
        row = register.iloc[[0]].copy()
        row["name"] = "Cached-map test hub"
        row["hub_id"] = "TEST-CACHE-1"
        store.save(pd.concat([register, row], ignore_index=True), "Cache test", action="add")
        at = run_page("app_pages/map.py")
        assert "Cached-map test hub" in " ".join(folium_scripts(at))
        at.toggle(key="map_tiles").set_value(True).run()
        assert not at.exception
        assert "tile.openstreetmap" in " ".join(folium_scripts(at))
    finally:
        if store.current_version() != before:
            store.restore(before, "Test clean-up")
        store.dispose()


def test_a_page_that_stops_early_still_gets_the_shared_sidebar():
    """Pages draw before the sidebar; common.stop_page must not lose the sidebar's widgets."""
    at = run_page("app_pages/gaps.py", timeout=180)
    for key in ("age", "broadband", "deprivation"):
        at.slider(key=f"gaps_w_{key}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("weights are zero" in e.value for e in at.error)
    assert {"view_area", "view_indicator"} <= {s.key for s in at.sidebar.selectbox}


def test_copy_link_is_the_view_just_chosen():
    """The sidebar's link is filled after the URL is synced, so it holds the latest choice."""
    at = run_page("app_pages/map.py", {"area": "HATCH"})
    at.selectbox(key="view_indicator").set_value("crime_score").run()
    assert not at.exception
    link = " ".join(code.value for code in at.sidebar.code)
    assert "ind=crime_score" in link and "area=HATCH" in link


def test_overview_answers_at_its_own_path_with_the_view_kept():
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from tests.pages.conftest import APP

    at = run_page("app_pages/overview.py", {"r": "1200"})
    paths = {info.get("url_pathname") for info in at._registered_pages.values()}
    # "" is the default page at "/"; a browser at /overview asks for the page named "overview".
    assert {"", "overview"} <= paths
    deep = AppTest.from_file(APP, default_timeout=60)
    deep.query_params["r"] = "1200"
    deep._page_hash = calc_hash("overview")  # the page a request for /overview resolves to
    deep.run()
    assert not deep.exception
    assert [t.value for t in deep.title] == ["Leeds Digital Health Hubs: coverage at a glance"]
    assert deep.select_slider(key="view_radius").value == 1200
