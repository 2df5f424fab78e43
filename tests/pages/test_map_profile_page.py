"""AppTest for the Map page's "click to explain": lsoa= and pc= links, the list, bad values."""

import json

from tests.pages.conftest import map_documents, run_page

LS9_7EZ_LSOA = "E01011349"


def _profile_text(at) -> str:
    tables = [t.value for t in at.table] + [d.value for d in at.dataframe]
    return " ".join(frame.astype(str).to_csv() for frame in tables)


def _component_args(at) -> dict:
    (el,) = [e for e in at.get("component_instance") if "st_folium" in e.proto.component_name]
    return json.loads(el.proto.json_args)


def test_lsoa_link_selects_it_outlines_it_and_shows_its_profile():
    at = run_page("app_pages/map.py", {"lsoa": "e01011345 "})
    assert not at.exception
    assert at.selectbox(key="map_lsoa").value == "E01011345"
    text = _profile_text(at)
    for field in (
        "E01011345",
        "MSOA",
        "Ward",
        "Local Care Partnership",
        "IMD 2025 national decile",
        "Internet User Classification",
        "Nearest open hub",
        "Residents within reach (800 m)",
        "Change in national IMD percentile since 2019",
    ):
        assert field in text, field
    args = _component_args(at)
    assert "hc-selected" in args["feature_group"]  # the outline layer
    assert args["center"] is not None and args["zoom"] == 14
    lsoa = at.query_params["lsoa"]
    assert (lsoa[0] if isinstance(lsoa, list) else lsoa) == "E01011345"


def test_bad_lsoa_code_is_ignored_with_a_notice():
    at = run_page("app_pages/map.py", {"lsoa": "E0199<b>9999"})
    assert not at.exception
    assert at.selectbox(key="map_lsoa").value is None
    notices = [t.value for t in at.toast]
    assert any("neighbourhood (LSOA) code" in n and "not available" in n for n in notices)
    assert (
        not _component_args(at)["feature_group"]
        or "hc-selected" not in _component_args(at)["feature_group"]
    )


def test_postcode_link_in_any_case_selects_its_lsoa_and_zooms_there():
    at = run_page("app_pages/map.py", {"pc": " ls97ez "})
    assert not at.exception
    assert at.selectbox(key="map_lsoa").value == LS9_7EZ_LSOA
    args = _component_args(at)
    lat, lon = args["center"]
    assert 53.78 < lat < 53.83 and -1.52 < lon < -1.46 and args["zoom"] == 15
    assert LS9_7EZ_LSOA in _profile_text(at)


def test_unknown_or_outside_postcode_says_so_and_loses_nothing():
    at = run_page("app_pages/map.py", {"pc": "SW1A 1AA", "ind": "health_score"})
    assert not at.exception
    assert any("not a Leeds postcode" in w.value for w in at.warning)
    assert at.selectbox(key="map_lsoa").value is None
    assert at.selectbox(key="view_indicator").value == "health_score"
    at = run_page("app_pages/map.py", {"pc": "not a postcode"})
    assert not at.exception and at.warning


def test_picking_from_the_list_or_typing_a_postcode_selects_and_highlights_the_row():
    at = run_page("app_pages/map.py")
    assert not at.exception and at.selectbox(key="map_lsoa").value is None
    at.selectbox(key="map_lsoa").set_value("E01011264").run()
    assert not at.exception
    assert "E01011264" in _profile_text(at)
    assert "hc-selected" in _component_args(at)["feature_group"]
    at.toggle(key="map_show_table").set_value(True).run()
    assert any("first row, highlighted" in cap.value for cap in at.caption)
    at.text_input(key="map_pc").set_value("LS9 7EZ").run()
    assert not at.exception
    assert at.selectbox(key="map_lsoa").value == LS9_7EZ_LSOA
    assert any("hc-selected" in doc for doc in map_documents(at))
