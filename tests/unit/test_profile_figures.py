"""The Map page's profile builders: search list, outline layer, view, sections, highlighted row."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from app_pages.figures import profile as pf

SHAPES = gpd.GeoDataFrame(
    {"lsoa21cd": ["E01000001", "E01000002"]},
    geometry=[box(-1.6, 53.78, -1.55, 53.8), box(-1.55, 53.78, -1.5, 53.8)],
    crs="EPSG:4326",
)


def _profile(**over) -> dict:
    base = {
        "code": "E01000001",
        "name": "Leeds 001A",
        "lcp": "Armley",
        "imd_decile": 2,
        "share_within_reach": 0.25,
        "radius_m": 800,
        "domains": pd.DataFrame(
            {"domain": ["income"], "label": ["Income"], "decile": [1], "rank": [5], "score": [0.3]}
        ),
        "indicators": pd.DataFrame(
            {
                "component": ["age"],
                "component_label": ["Age"],
                "indicator": ["pct_65plus"],
                "label": ["Aged 65+ (%)"],
                "raw": [21.234],
                "score": [6.789],
            }
        ),
        "components": pd.DataFrame(
            {"component": ["age"], "label": ["Age"], "score": [6.789], "weight_share": [0.333]}
        ),
    }
    base.update(over)
    return base


def test_search_list_labels_each_code_with_its_name_in_code_order():
    lsoas = pd.DataFrame(
        {"lsoa21cd": ["E01000002", "E01000001"], "lsoa21nm": ["Leeds 2", "Leeds 1"]}
    )
    assert pf.lsoa_options(lsoas) == {
        "E01000001": "E01000001 Leeds 1",
        "E01000002": "E01000002 Leeds 2",
    }


def test_outline_layer_draws_only_the_selected_lsoa_and_is_not_clickable():
    layer = pf.selection_outline(SHAPES, "E01000002")
    (geo,) = layer._children.values()
    assert geo.data["features"][0]["geometry"]["coordinates"][0][0][0] == pytest.approx(-1.5)
    assert geo.options.get("interactive") is False
    assert not pf.selection_outline(SHAPES, None)._children
    assert not pf.selection_outline(SHAPES, "E01999999")._children


def test_outline_refuses_shapes_not_in_wgs84():
    with pytest.raises(ValueError, match="EPSG:4326"):
        pf.selection_outline(SHAPES.to_crs(27700), "E01000001")


def test_view_centres_on_the_lsoa_interior_point():
    (lat, lon), zoom = pf.selection_view(SHAPES, "E01000001")
    assert 53.78 < lat < 53.8 and -1.6 < lon < -1.55 and zoom == pf.SELECTED_ZOOM


def test_sections_have_readable_columns_and_rounded_values():
    sections = pf.profile_sections(_profile())
    assert list(sections["domains"].columns) == ["Domain", "National decile (1 = most deprived)"]
    ind = sections["indicators"]
    assert list(ind.columns) == ["Component", "Indicator", "Value", "Score (0-10)"]
    assert ind.iloc[0]["Value"] == 21.23 and ind.iloc[0]["Score (0-10)"] == 6.79
    assert sections["components"].iloc[0]["Share of index"] == 0.33


def test_sections_of_an_lsoa_without_risk_rows_are_empty_tables():
    sections = pf.profile_sections(_profile(indicators=pd.DataFrame(), components=pd.DataFrame()))
    assert sections["indicators"].empty and "Indicator" in sections["indicators"].columns
    assert sections["components"].empty


def test_sentence_names_the_lsoa_lcp_decile_and_reach():
    text = pf.profile_sentence(_profile())
    assert text == (
        "Selected neighbourhood E01000001 (Leeds 001A) in Armley: IMD 2025 national decile 2; "
        "25% of residents within 800 m of an open hub."
    )
    bare = pf.profile_sentence(
        _profile(name=None, lcp=None, imd_decile=None, share_within_reach=None)
    )
    assert bare == "Selected neighbourhood E01000001."


def test_selected_row_comes_first_and_is_highlighted():
    table = pd.DataFrame({"lsoa21cd": ["E01000001", "E01000002"], "value": [1.0, 2.0]})
    styled = pf.selected_first(table, "E01000002")
    assert list(styled.data["lsoa21cd"]) == ["E01000002", "E01000001"]
    html = styled.to_html()
    assert pf.SELECTED_ROW_CSS.split(";")[0] in html
    assert pf.selected_first(table, None) is table
    assert pf.selected_first(table, "E01999999") is table
