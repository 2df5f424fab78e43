"""Exports: the offline map HTML has no external assets; tables are Excel-safe; summary escapes."""

import io
import re

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from app_pages.figures.exports import standalone_map_html, summary_html, table_csv, table_xlsx
from app_pages.figures.maps import build_hub_map, map_document
from utils import constants as c
from utils.indicators import Headline


def small_map():
    shapes = gpd.GeoDataFrame(
        {c.LSOA: ["E1"]}, geometry=[box(-1.6, 53.8, -1.59, 53.81)], crs=c.CRS_WGS84
    )
    table = pd.DataFrame(
        {
            c.LSOA: ["E1"],
            c.LSOA_NAME: ["a"],
            c.MSOA_NAME: ["m"],
            c.WARD_NAME: ["w"],
            c.IMD_SCORE: [10.0],
            c.IMD_DECILE: [5],
        }
    )
    return build_hub_map(
        shapes,
        table,
        c.IMD_SCORE,
        label="IMD",
        asset_js="/app/static/vendor/leaflet/leaflet.js",
        asset_css="/app/static/vendor/leaflet/leaflet.css",
    )


def test_standalone_map_inlines_leaflet_and_loads_nothing_from_outside():
    page = standalone_map_html(
        small_map(), "/*LEAFLET JS*/ var L = {};", "/*LEAFLET CSS*/", "IMD <Leeds>"
    )
    assert "/*LEAFLET JS*/" in page and "/*LEAFLET CSS*/" in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert "IMD &lt;Leeds&gt;" in page


def test_tables_export_without_executable_cells():
    df = pd.DataFrame({"name": ['=HYPERLINK("x")', "ok"], "n": [-1, 2]})
    assert b"'=HYPERLINK" in table_csv(df)
    back = pd.read_excel(io.BytesIO(table_xlsx(df)))
    assert back["name"][0].startswith("'=") and back["n"].tolist() == [-1, 2]


def test_summary_carries_figures_link_and_escapes_text():
    page = summary_html(
        "Title",
        ["Area: <b>"],
        [Headline("Residents", "820,802", "ONS")],
        pd.DataFrame({"LCP": ["A&B"]}),
        "http://host/gaps?area=A%26B",
        ["note"],
    )
    assert "820,802" in page and "Area: &lt;b&gt;" in page and "A&amp;B" in page
    assert 'href="http://host/gaps?area=A%26B"' in page


def test_standalone_map_accepts_the_page_the_app_already_rendered():
    page = standalone_map_html(map_document(small_map()), "/*JS*/", "/*CSS*/", "Leeds")
    assert "/*JS*/" in page and not re.search(r"<script[^>]+src=", page)
