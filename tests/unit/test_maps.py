"""Map builder: offline assets only, no d3, tooltips and escaping, classes and legend."""

import json
import re

import geopandas as gpd
import pandas as pd
import polyline
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from app_pages.figures.maps import (
    build_hub_map,
    class_colours,
    classify,
    encode_geometry,
    fit_to_area,
    lsoa_features,
    map_asset_links,
    map_document,
)
from utils import constants as c

ASSETS = {
    "asset_js": "/app/static/vendor/leaflet/leaflet.js",
    "asset_css": "/app/static/vendor/leaflet/leaflet.css",
}


@pytest.fixture()
def shapes():
    return gpd.GeoDataFrame(
        {c.LSOA: ["E01000001", "E01000002", "E01000003"]},
        geometry=[
            box(-1.6, 53.8, -1.59, 53.81),
            box(-1.59, 53.8, -1.58, 53.81),
            box(-1.58, 53.8, -1.57, 53.81),
        ],
        crs=c.CRS_WGS84,
    )


@pytest.fixture()
def table():
    return pd.DataFrame(
        {
            c.LSOA: ["E01000001", "E01000002", "E01000003"],
            c.LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 001C"],
            c.MSOA_NAME: ["Alpha", "Alpha", "Beta"],
            c.WARD_NAME: ["Ward A", "Ward A", "Ward B"],
            c.IMD_SCORE: [10.0, 40.0, None],
            c.IMD_DECILE: [6, 1, None],
        }
    )


def render(m):
    return m.get_root().render()


def test_map_loads_only_local_assets_and_no_d3(shapes, table):
    hubs = pd.DataFrame(
        {c.HUB_NAME: ["A"], c.HUB_LAT: [53.805], c.HUB_LON: [-1.585], c.HUB_SAMPLE: [False]}
    )
    sites = pd.DataFrame({c.LAT: [53.806], c.LON: [-1.586], "site": ["New site"]})
    m = build_hub_map(
        shapes, table, c.IMD_SCORE, label="IMD", hubs=hubs, rings_m=800, new_sites=sites, **ASSETS
    )
    links = map_asset_links(m)
    assert links and all(link.startswith("/app/static/") for link in links)
    html = render(m)
    assert "d3" not in " ".join(links)
    assert "cdn." not in html and "code.jquery.com" not in html


def test_base_tiles_are_optional_and_off_by_default(shapes, table):
    assert "tile.openstreetmap" not in render(
        build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", **ASSETS)
    )
    with_tiles = render(
        build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", base_tiles=True, **ASSETS)
    )
    assert "tile.openstreetmap" in with_tiles


def test_hub_names_are_escaped_in_tooltips(shapes, table):
    evil = "<img src=x onerror=alert(1)>"
    hubs = pd.DataFrame(
        {c.HUB_NAME: [evil], c.HUB_LAT: [53.805], c.HUB_LON: [-1.585], c.HUB_SAMPLE: [True]}
    )
    html = render(build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", hubs=hubs, **ASSETS))
    assert evil not in html
    # html.escape then JSON: "&" reaches the script as \u0026 (read back as "&" in the browser)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_features_carry_tooltip_fields_and_missing_values_say_no_data(shapes, table):
    features = lsoa_features(shapes, table, c.IMD_SCORE, c.IMD_DECILE, highlight={"E01000002"})
    props = [f["p"] for f in features]
    assert [p["c"] for p in props] == ["E01000001", "E01000002", "E01000003"]
    assert props[2]["v"] == "no data" and props[2]["k"] == -1
    assert props[1].get("h") == 1 and "h" not in props[0]
    assert props[0]["m"] == "Alpha" and props[0]["w"] == "Ward A"


def test_encoded_geometry_decodes_back_to_the_polygon_rings():
    ring = [(-1.6, 53.8), (-1.59, 53.8), (-1.59, 53.81), (-1.6, 53.81), (-1.6, 53.8)]
    poly = Polygon(
        ring, holes=[[(-1.597, 53.803), (-1.596, 53.803), (-1.596, 53.804), (-1.597, 53.803)]]
    )
    encoded = encode_geometry(MultiPolygon([poly, box(-1.5, 53.7, -1.49, 53.71)]))
    assert len(encoded) == 2 and len(encoded[0]) == 2
    decoded = polyline.decode(encoded[0][0], 5, geojson=True)
    assert decoded == [tuple(pt) for pt in ring]


def test_map_data_is_compact_and_in_the_page(shapes, table):
    html = render(build_hub_map(shapes, table, c.IMD_SCORE, label="IMD score", **ASSETS))
    assert "EncodedPolygons" not in html or "L.geoJSON" in html
    assert '"c":"E01000001"' in html  # compact JSON, short keys


def test_shapes_in_another_crs_are_refused(shapes, table):
    with pytest.raises(ValueError, match="EPSG:4326"):
        lsoa_features(shapes.to_crs(c.CRS_BNG), table, c.IMD_SCORE, None)


def test_classify_uses_discrete_levels_when_few_and_quantiles_otherwise():
    classes, edges = classify(pd.Series([1, 2, 2, 3, None]))
    assert classes.tolist()[:4] == [0.0, 1.0, 1.0, 2.0] and pd.isna(classes.iloc[4])
    classes, edges = classify(pd.Series(range(100)), n_classes=4)
    assert len(edges) == 5 and classes.min() == 0 and classes.max() == 3


def test_worst_class_gets_the_darkest_colour_whichever_the_direction():
    assert class_colours(3, higher_is_worse=True)[-1] == c.PALETTE_SEQUENTIAL[-1]
    assert class_colours(3, higher_is_worse=False)[0] == c.PALETTE_SEQUENTIAL[-1]


def test_map_document_is_a_whole_page_linking_local_leaflet(shapes, table):
    page = map_document(build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", **ASSETS))
    assert page.startswith("<!DOCTYPE html>")
    assert '<script src="/app/static/vendor/leaflet/leaflet.js">' in page
    assert "E01000002" in page


def test_fit_to_area_zooms_to_one_lcp_and_keeps_the_leeds_view_otherwise(shapes, table):
    m = build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", **ASSETS)
    shapes = shapes.assign(**{c.LCP: ["X", "Y", "X"]})
    fit_to_area(m, shapes, "All Leeds")
    fit_to_area(m, shapes, "No such LCP")
    assert "fitBounds" not in map_document(m)
    fit_to_area(m, shapes, "Y")
    page = map_document(m)
    assert "fitBounds" in page and "-1.59" in page and "-1.58" in page


@pytest.mark.parametrize(
    "name",
    [
        "X {% if 1 %}EVALUATED{% endif %}",
        "Y {# x",
        "Z {{7*7}}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}",
        "</script><script>alert(1)</script>",
        "L" * 10_000,
        "Ctrl\x00\x07 {{",
    ],
)
def test_hostile_names_reach_the_map_as_data_never_as_template(shapes, table, name):
    import json
    import re

    from tests.hostile import assert_inert_html

    hubs = pd.DataFrame(
        {c.HUB_NAME: [name], c.HUB_LAT: [53.805], c.HUB_LON: [-1.585], c.HUB_SAMPLE: [False]}
    )
    sites = pd.DataFrame({c.LAT: [53.806], c.LON: [-1.57], "site": [name]})
    page = render(
        build_hub_map(
            shapes, table, c.IMD_SCORE, label=name, hubs=hubs, new_sites=sites, **ASSETS
        )
    )
    assert_inert_html(page)
    assert "X EVALUATED" not in page and "Z 49" not in page
    assert "{%" not in page and "{#" not in page
    assert "</script><script>alert" not in page
    # The name survives intact as data: the browser decodes the JSON back to the same text.
    lists = re.findall(r"(\[\{\"lat\".*?\}\])\.forEach", page)
    tips = [p["tip"] for blob in lists for p in json.loads(blob)]
    import html as _html

    assert any(_html.escape(name) in tip for tip in tips)


def test_map_document_states_language_and_title_and_allows_zoom(shapes, table):
    page = map_document(build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", **ASSETS), "IMD map")
    assert '<html lang="en-GB">' in page
    assert "<title>IMD map</title>" in page
    assert "user-scalable=no" not in page and "maximum-scale" not in page
    assert page.count('name="viewport"') == 1


def test_sample_hubs_differ_from_real_hubs_in_outline_not_only_colour(shapes, table):
    hubs = pd.DataFrame(
        {
            c.HUB_NAME: ["Real", "Sample"],
            c.HUB_LAT: [53.805, 53.806],
            c.HUB_LON: [-1.585, -1.586],
            c.HUB_SAMPLE: [False, True],
        }
    )
    html = render(build_hub_map(shapes, table, c.IMD_SCORE, label="IMD", hubs=hubs, **ASSETS))
    markers = {
        json.loads(m)["className"]: json.loads(m)
        for m in re.findall(r"var marker = (\{[^}]*\})", html)
    }
    assert markers["hc-hub hc-hub-sample"]["dashArray"] == "3 2"
    assert markers["hc-hub hc-hub-real"]["dashArray"] is None
    assert markers["hc-hub hc-hub-sample"]["halo"] == "#ffffff"  # 3:1 on dark classes too
    assert "dashed outline" in html  # the legend names the difference in words


def test_in_wgs84_checks_each_crs_once_and_still_refuses_others(shapes, monkeypatch):
    import threading

    import pyproj

    from geo.shapes import in_wgs84

    assert in_wgs84(shapes)
    assert not in_wgs84(shapes.to_crs(c.CRS_BNG))
    assert not in_wgs84(shapes.set_crs(None, allow_override=True))
    other = shapes.to_crs(c.CRS_BNG).to_crs(c.CRS_WGS84)  # a new CRS object, checked anew

    # A script run is a new thread, where pyproj would open its database again (~50 ms): the
    # same CRS object, once found to be EPSG:4326, is recognised without asking pyproj.
    def no_pyproj(self):
        raise AssertionError("asked pyproj again")

    monkeypatch.setattr(pyproj.CRS, "to_epsg", no_pyproj)
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(in_wgs84(shapes)))
    thread.start()
    thread.join()
    assert seen == [True]
    with pytest.raises(AssertionError, match="asked pyproj again"):
        in_wgs84(other)
