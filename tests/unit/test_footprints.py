"""Unit tests for geo.footprints: lookup validation, 2011 conversion, dissolve, aggregation."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from geo.footprints import (
    FootprintError,
    aggregate_by_lcp,
    apply_footprint_upload,
    attach_lcp,
    dissolve_footprints,
    read_footprint_file,
    validate_footprints,
)
from utils.constants import CRS_BNG, CRS_WGS84, LCP, LCP_STATUS, LSOA, POP_TOTAL

CODES = ["E01000001", "E01000002", "E01000003", "E01000004"]
# 2011 -> 2021: 0001, 0002 unchanged; 2011 E01000005 split into 0003 + 0004;
# a second scenario merges 2011 E01000006 + E01000007 into 0004 (see LOOKUP_MERGE).
LOOKUP_SPLIT = pd.DataFrame(
    {
        "LSOA11CD": ["E01000001", "E01000002", "E01000005", "E01000005"],
        "LSOA21CD": ["E01000001", "E01000002", "E01000003", "E01000004"],
    }
)
LOOKUP_MERGE = pd.DataFrame(
    {
        "LSOA11CD": ["E01000001", "E01000002", "E01000003", "E01000006", "E01000007"],
        "LSOA21CD": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000004"],
    }
)


def _lookup(codes, lcps, **extra) -> pd.DataFrame:
    return pd.DataFrame({"lsoa21cd": codes, "lcp": lcps, **extra})


def test_complete_2021_lookup_is_accepted():
    fp, errors = validate_footprints(_lookup(CODES, ["A", "A", "B", "B"]), CODES)
    assert errors == []
    assert list(fp.columns) == [LSOA, LCP, LCP_STATUS]
    assert list(fp[LCP]) == ["A", "A", "B", "B"]
    assert set(fp[LCP_STATUS]) == {"official"}


def test_header_spellings_and_whitespace_are_tolerated():
    df = pd.DataFrame(
        {"LSOA code": [c.lower() + " " for c in CODES], "LCP name": [" A", "A", "B  x", "B  x"]}
    )
    fp, errors = validate_footprints(df, CODES)
    assert errors == [] and list(fp[LCP]) == ["A", "A", "B x", "B x"]


def test_duplicate_lsoa_is_rejected_with_row_numbers():
    df = _lookup([*CODES, "E01000002"], ["A", "A", "B", "B", "B"])
    _, errors = validate_footprints(df, CODES)
    assert len(errors) == 1
    assert errors[0].row == 6 and "rows 3, 6" in errors[0].message


def test_blank_code_and_blank_lcp_are_rejected_with_row_numbers():
    df = _lookup([*CODES, ""], ["A", "", "B", "B", "C"])
    _, errors = validate_footprints(df, CODES)
    rows = {(e.row, e.column) for e in errors}
    assert (3, "lcp") in rows and (6, "lsoa21cd") in rows
    # E01000002 lost its LCP, so it is also reported missing.
    assert any(e.row is None and "E01000002" in e.message for e in errors)


def test_non_leeds_and_malformed_codes_are_rejected_with_row_numbers():
    df = _lookup([*CODES, "E01099999", "X123"], ["A", "A", "B", "B", "B", "B"])
    _, errors = validate_footprints(df, CODES)
    assert [(e.row, e.message) for e in errors] == [
        (6, "E01099999 is not a Leeds LSOA 2021 code."),
        (7, "'X123' is not an LSOA code (expected E01 and six digits)."),
    ]


def test_missing_leeds_lsoas_are_reported():
    _, errors = validate_footprints(_lookup(CODES[:2], ["A", "A"]), CODES)
    assert len(errors) == 1 and errors[0].row is None
    assert "2 Leeds LSOA(s) have no LCP: E01000003, E01000004" in errors[0].message


def test_unknown_status_is_rejected_and_blank_status_means_official():
    df = _lookup(CODES, ["A", "A", "B", "B"], status=["described", "", "guess", "provisional"])
    fp, errors = validate_footprints(df, CODES)
    assert (errors[0].row, errors[0].column) == (4, "status")
    assert errors[-1].row is None and "E01000003" in errors[-1].message  # row 4 was not used
    ok, errors = validate_footprints(
        df.assign(status=["described", "", "approximate", "x"][:3] + [""]), CODES
    )
    assert errors == [] and list(ok[LCP_STATUS]) == [
        "described",
        "official",
        "approximate",
        "official",
    ]


def test_empty_table_or_missing_columns_raise_footprint_error():
    with pytest.raises(FootprintError, match="no rows"):
        validate_footprints(pd.DataFrame(columns=["lsoa21cd", "lcp"]), CODES)
    with pytest.raises(FootprintError, match="LSOA code column"):
        validate_footprints(pd.DataFrame({"code_of_area": CODES, "x": 1}), CODES)


def test_split_2011_lsoa_gives_its_lcp_to_both_2021_parts():
    df = pd.DataFrame({"LSOA11CD": ["E01000001", "E01000002", "E01000005"], "LCP": ["A", "A", "B"]})
    fp, errors = validate_footprints(df, CODES, LOOKUP_SPLIT)
    assert errors == []
    assert dict(zip(fp[LSOA], fp[LCP], strict=True)) == dict(
        zip(CODES, ["A", "A", "B", "B"], strict=True)
    )


def test_merged_2011_lsoas_with_the_same_lcp_give_one_row():
    df = _lookup(
        ["E01000001", "E01000002", "E01000003", "E01000006", "E01000007"], ["A", "A", "B", "B", "B"]
    )
    fp, errors = validate_footprints(df, CODES, LOOKUP_MERGE)
    assert errors == [] and len(fp) == 4 and fp[LSOA].is_unique


def test_merged_2011_lsoas_with_different_lcps_are_a_conflict():
    df = _lookup(
        ["E01000001", "E01000002", "E01000003", "E01000006", "E01000007"], ["A", "A", "B", "B", "C"]
    )
    _, errors = validate_footprints(df, CODES, LOOKUP_MERGE)
    assert len(errors) == 1
    assert errors[0].row == 6 and "merged into E01000004" in errors[0].message
    assert "B, C" in errors[0].message


def test_2011_parent_and_2021_child_both_listed_is_a_duplicate():
    df = _lookup([*CODES, "E01000005"], ["A", "A", "B", "B", "B"])
    _, errors = validate_footprints(df, CODES, LOOKUP_SPLIT)
    assert {e.row for e in errors} == {6}
    assert all("via 2011 code E01000005" in e.message for e in errors)


def test_unknown_code_with_2011_lookup_says_2011_or_2021():
    df = _lookup([*CODES, "E01099999"], ["A"] * 5)
    _, errors = validate_footprints(df, CODES, LOOKUP_SPLIT)
    assert errors[0].message == "E01099999 is not a Leeds LSOA (2011 or 2021 code)."


def test_failed_upload_keeps_the_previous_footprints():
    current, _ = validate_footprints(_lookup(CODES, ["A", "A", "B", "B"]), CODES)
    bad = _lookup(CODES[:3], ["X", "X", "Y"])
    kept, errors = apply_footprint_upload(current, bad, CODES)
    assert errors and kept is current
    kept, errors = apply_footprint_upload(current, pd.DataFrame({"foo": [1]}), CODES)
    assert errors[0].row is None and kept is current
    new, errors = apply_footprint_upload(current, _lookup(CODES, ["X", "X", "Y", "Y"]), CODES)
    assert errors == [] and list(new[LCP]) == ["X", "X", "Y", "Y"]


def test_footprint_file_must_be_utf8():
    with pytest.raises(FootprintError, match="line 2"):
        read_footprint_file("lsoa21cd,lcp\nE01000001,Caf\u00e9\n".encode("cp1252"), "fp.csv")
    df = read_footprint_file(b"lsoa21cd,lcp\nE01000001,A\n", "fp.csv")
    assert df.loc[0, "lcp"] == "A"


# --- dissolve ------------------------------------------------------------------------------------
def _grid(gap: float = 0.0) -> gpd.GeoDataFrame:
    """Four 1 km squares in a row, optionally shrunk to leave ``gap`` metres between neighbours."""
    geoms = [box(430000 + i * 1000, 433000, 431000 + i * 1000 - gap, 434000) for i in range(4)]
    return gpd.GeoDataFrame({LSOA: CODES}, geometry=geoms, crs=CRS_BNG).to_crs(CRS_WGS84)


FP = pd.DataFrame(
    {LSOA: CODES, LCP: ["A", "A", "B", "B"], LCP_STATUS: ["described"] * 2 + ["provisional"] * 2}
)


def test_dissolve_gives_one_polygon_per_lcp_in_wgs84():
    out = dissolve_footprints(_grid(), FP)
    assert out.crs.to_epsg() == 4326
    assert list(out[LCP]) == ["A", "B"]
    assert list(out[LCP_STATUS]) == ["described", "provisional"]
    assert list(out["n_lsoas"]) == [2, 2]
    assert out["area_km2"].tolist() == pytest.approx([2.0, 2.0], rel=1e-6)
    assert all(g.geom_type == "Polygon" for g in out.geometry)


def test_dissolved_lcps_tile_the_lsoa_union_without_overlaps():
    lsoas = _grid()
    out = dissolve_footprints(lsoas, FP).to_crs(CRS_BNG)
    whole = shapely.union_all(lsoas.to_crs(CRS_BNG).geometry.values)
    union = shapely.union_all(out.geometry.values)
    assert shapely.hausdorff_distance(union, whole) < 0.01  # metres (projection round trip)
    assert union.area == pytest.approx(whole.area, rel=1e-6)
    assert shapely.intersection(out.geometry[0], out.geometry[1]).area < 1e-6


def test_sliver_gaps_between_lsoas_leave_no_holes_or_gaps():
    lsoas = _grid(gap=0.3)  # 30 cm slivers, as from imperfect generalisation
    out = dissolve_footprints(lsoas, FP).to_crs(CRS_BNG)
    union = shapely.union_all(out.geometry.values)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    for g in out.geometry:
        assert g.geom_type == "Polygon" and len(g.interiors) == 0
    assert shapely.intersection(out.geometry[0], out.geometry[1]).area < 1e-6


def test_real_holes_in_the_lsoa_union_are_kept():
    ring = box(430000, 433000, 433000, 436000).difference(box(431000, 434000, 432000, 435000))
    lsoas = gpd.GeoDataFrame({LSOA: ["E01000001"]}, geometry=[ring], crs=CRS_BNG)
    out = dissolve_footprints(lsoas, pd.DataFrame({LSOA: ["E01000001"], LCP: ["A"]}))
    assert len(out.to_crs(CRS_BNG).geometry[0].interiors) == 1


def test_dissolve_without_crs_or_with_mismatched_lookup_raises():
    no_crs = gpd.GeoDataFrame({LSOA: CODES}, geometry=[box(0, 0, 1, 1)] * 4)
    with pytest.raises(FootprintError, match="no CRS"):
        dissolve_footprints(no_crs, FP)
    with pytest.raises(FootprintError, match="does not match"):
        dissolve_footprints(_grid(), FP.iloc[:3])


# --- aggregation ---------------------------------------------------------------------------------
def test_aggregate_is_population_weighted():
    lsoas = pd.DataFrame(
        {LSOA: CODES, POP_TOTAL: [100, 300, 1000, 1000], "v": [1.0, 3.0, 10.0, 20.0]}
    )
    out = aggregate_by_lcp(lsoas, FP, ["v"]).set_index(LCP)
    assert out.loc["A", "v"] == pytest.approx(2.5)
    assert out.loc["B", "v"] == pytest.approx(15.0)
    assert out.loc["A", POP_TOTAL] == 400 and out.loc["B", "n_lsoas"] == 2
    assert out.loc["B", LCP_STATUS] == "provisional"


def test_aggregate_skips_missing_values_per_indicator():
    lsoas = pd.DataFrame(
        {LSOA: CODES, POP_TOTAL: [100, 300, 1000, 1000], "v": [np.nan, 3.0, np.nan, np.nan]}
    )
    out = aggregate_by_lcp(lsoas, FP, ["v"]).set_index(LCP)
    assert out.loc["A", "v"] == pytest.approx(3.0)
    assert np.isnan(out.loc["B", "v"])


def test_aggregate_rejects_lookup_that_misses_lsoas_or_unknown_columns():
    lsoas = pd.DataFrame({LSOA: CODES, POP_TOTAL: [1, 1, 1, 1], "v": [1.0] * 4})
    with pytest.raises(FootprintError):
        aggregate_by_lcp(lsoas, FP.iloc[:3], ["v"])
    with pytest.raises(FootprintError, match="no column"):
        aggregate_by_lcp(lsoas, FP, ["w"])


def test_attach_lcp_keeps_every_lsoa_once():
    lsoas = pd.DataFrame({LSOA: CODES, "x": range(4)})
    out = attach_lcp(lsoas, FP)
    assert len(out) == 4 and list(out[LCP]) == ["A", "A", "B", "B"]


def test_interior_sliver_hole_between_four_lsoas_is_filled():
    s = 0.2  # each square shrunk by 20 cm on its inner sides: a thin cross-shaped gap
    geoms = [
        box(430000, 433000, 431000 - s, 434000 - s),
        box(431000 + s, 433000, 432000, 434000 - s),
        box(430000, 434000 + s, 431000 - s, 435000),
        box(431000 + s, 434000 + s, 432000, 435000),
    ]
    lsoas = gpd.GeoDataFrame({LSOA: CODES}, geometry=geoms, crs=CRS_BNG)
    out = dissolve_footprints(lsoas, FP).to_crs(CRS_BNG)
    union = shapely.union_all(out.geometry.values)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert union.area == pytest.approx(2000 * 2000, rel=1e-6)


def test_concave_corner_of_the_outline_is_not_filled():
    # An L shape made of two LSOAs: the inside corner must stay a corner.
    lsoas = gpd.GeoDataFrame(
        {LSOA: CODES[:2]},
        geometry=[box(430000, 433000, 432000, 434000), box(430000, 434000, 431000, 435000)],
        crs=CRS_BNG,
    )
    fp = pd.DataFrame({LSOA: CODES[:2], LCP: ["A", "B"]})
    out = dissolve_footprints(lsoas, fp).to_crs(CRS_BNG)
    # A filled corner would add ~0.05 m2; the rest is projection round-trip noise.
    assert shapely.union_all(out.geometry.values).area == pytest.approx(3e6, abs=0.02)
