"""AppTest for the entry point and the Overview, Map and About pages."""

from tests.pages.conftest import run_page
from utils import constants as c


def folium_scripts(at) -> list[str]:
    """The rendered map scripts of every st_folium component on the page."""
    return [
        el.proto.json_args
        for el in at.get("component_instance")
        if "leaflet" in el.proto.json_args.lower()
    ] or [str(el.proto) for el in at.get("component_instance")]


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
    ):
        assert phrase in text
