"""Checks on the authored default LSOA -> LCP lookup (data/footprints/lsoa21_lcp.csv) with real data."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.footprints import STATUSES, dissolve_footprints, validate_footprints
from utils.constants import CRS_BNG, LCP, LCP_STATUS, LEEDS_LSOA21_COUNT, LSOA

FOOTPRINTS_CSV = Path(__file__).resolve().parents[2] / "data" / "footprints" / "lsoa21_lcp.csv"


@pytest.fixture(scope="module")
def default_csv() -> pd.DataFrame:
    return pd.read_csv(FOOTPRINTS_CSV, dtype=str)


@pytest.fixture(scope="module")
def leeds_codes(shared_data_dir) -> list[str]:
    return pd.read_csv(shared_data_dir / "leeds_lsoa2021_msoa_ward_lookup.csv", dtype=str)[
        "LSOA21CD"
    ].tolist()


@pytest.fixture(scope="module")
def footprints(default_csv, leeds_codes) -> pd.DataFrame:
    fp, errors = validate_footprints(default_csv, leeds_codes)
    assert errors == []
    return fp


@pytest.fixture(scope="module")
def lsoas(built_dir) -> gpd.GeoDataFrame:
    return gpd.read_parquet(built_dir / "lsoas.parquet")


def test_default_lookup_has_columns_lsoa_lcp_status(default_csv):
    assert list(default_csv.columns) == ["lsoa21cd", "lcp", "status"]


def test_each_leeds_lsoa_is_in_exactly_one_footprint(default_csv, leeds_codes):
    assert len(default_csv) == LEEDS_LSOA21_COUNT
    assert default_csv["lsoa21cd"].is_unique
    assert set(default_csv["lsoa21cd"]) == set(leeds_codes)
    assert default_csv["lcp"].notna().all()


def test_default_lookup_has_19_footprints_with_one_status_each(default_csv):
    assert default_csv["lcp"].nunique() == 19
    assert default_csv.groupby("lcp")["status"].nunique().eq(1).all()
    assert set(default_csv["status"]) <= set(STATUSES) - {"official"}


def test_named_footprints_are_exactly_the_ten_public_lcps(default_csv, shared_data_dir):
    facts = pd.read_csv(shared_data_dir / "leeds_local_care_partnerships_facts.csv", dtype=str)
    public = {n for n in facts["lcp_name"] if not n.startswith("(")}
    named = set(default_csv.loc[default_csv["status"] != "provisional", "lcp"])
    assert named == public and len(named) == 10


def test_provisional_footprints_are_plainly_named_not_invented(default_csv):
    prov = default_csv[default_csv["status"] == "provisional"]
    assert prov["lcp"].nunique() == 9
    assert prov["lcp"].str.match(r"^Provisional: .+ area$").all()
    assert (
        not default_csv.loc[default_csv["status"] != "provisional", "lcp"]
        .str.startswith("Provisional")
        .any()
    )


def test_central_and_york_road_are_approximate(default_csv):
    status = default_csv.drop_duplicates("lcp").set_index("lcp")["status"]
    assert status["Central"] == "approximate" and status["York Road"] == "approximate"


def test_first_hub_postcode_lies_in_cross_gates(default_csv, built_dir):
    pc = pd.read_parquet(built_dir / "postcodes.parquet").set_index("postcode")
    lsoa = pc.loc["LS15 7JY", LSOA]
    assert default_csv.set_index("lsoa21cd").loc[lsoa, "lcp"] == "Cross Gates"


def test_default_lookup_written_in_2011_codes_converts_back_identically(
    footprints, leeds_codes, shared_data_dir
):
    lookup = pd.read_csv(
        shared_data_dir / "leeds_lsoa2011_to_lsoa2021_lookup_derived.csv", dtype=str
    )
    as_2011 = lookup.merge(
        footprints, left_on="LSOA21CD", right_on=LSOA, how="left", validate="many_to_one"
    ).drop_duplicates("LSOA11CD")[["LSOA11CD", LCP]]
    assert len(as_2011) == 482
    fp, errors = validate_footprints(as_2011, leeds_codes, lookup)
    assert errors == []
    # Split 2011 LSOAs give their LCP to both parts, which the default keeps together.
    pd.testing.assert_frame_equal(fp[[LSOA, LCP]], footprints[[LSOA, LCP]])


def test_dissolved_footprints_tile_leeds_without_holes_or_overlaps(lsoas, footprints):
    out = dissolve_footprints(lsoas, footprints)
    assert len(out) == 19 and out.crs.to_epsg() == 4326
    bng = out.to_crs(CRS_BNG)
    leeds = shapely.union_all(lsoas.to_crs(CRS_BNG).geometry.values)
    union = shapely.union_all(bng.geometry.values)
    assert shapely.hausdorff_distance(union, leeds) < 0.05
    assert union.area == pytest.approx(leeds.area, rel=1e-6)
    assert union.geom_type == "Polygon" and len(union.interiors) == len(
        getattr(leeds, "interiors", [])
    )
    assert shapely.union_all(bng.geometry.values).area == pytest.approx(bng.area.sum(), rel=1e-9)
    for geom in bng.geometry:
        assert geom.is_valid and geom.geom_type == "Polygon"  # each footprint is contiguous
        assert len(geom.interiors) == 0
    assert set(out[LCP_STATUS]) == {"described", "approximate", "provisional"}
    assert out["area_km2"].sum() == pytest.approx(leeds.area / 1e6, rel=1e-6)
