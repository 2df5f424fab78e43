"""One LSOA explained: lookup by click, postcode and code, and the profile's contents."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.coverage import coverage_by_lsoa
from geo.profile import (
    find_postcode,
    lsoa_at_point,
    lsoa_for_postcode,
    lsoa_profile,
    normalise_lsoa_code,
    profile_table,
    valid_lsoa_code,
)
from utils.constants import (
    AT_RISK,
    CENSUS_65PLUS,
    HUB_ID,
    HUB_NAME,
    IMD_DECILE,
    IMD_PCT_CHANGE,
    IMD_RANK,
    IMD_SCORE,
    IN_LEEDS,
    IUC_GROUP,
    LAT,
    LCP,
    LCP_STATUS,
    LON,
    LSOA,
    LSOA_NAME,
    MSOA,
    POP_TOTAL,
    POSTCODE,
    PWC_X,
    PWC_Y,
    WARD_NAME,
    X,
    Y,
)
from utils.risk import compute_risk_index

X0, Y0 = 430_000.0, 433_000.0


@pytest.fixture
def postcodes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            POSTCODE: ["LS9 7EZ", "BD1 1AA", "LS2 9JT"],
            LAT: [53.80229, 53.79, 53.80],
            LON: [-1.51857, -1.75, -1.55],
            X: [432271.0, 416000.0, 430000.0],
            Y: [433441.0, 433000.0, 433000.0],
            IN_LEEDS: [True, False, True],
            LSOA: ["E01011349", None, "E01033015"],
        }
    )


@pytest.mark.parametrize("typed", ["ls97ez", " LS9 7EZ ", "Ls9  7eZ", "LS97EZ"])
def test_postcodes_normalise_in_any_case_or_spacing(postcodes, typed):
    assert lsoa_for_postcode(typed, postcodes) == ("E01011349", "")
    found = find_postcode(typed, postcodes)
    assert found.postcode == "LS9 7EZ" and found.lat == pytest.approx(53.80229)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("BD1 1AA", "BD1 1AA is outside Leeds."),
        ("LS99 9ZZ", "LS99 9ZZ is not a Leeds postcode we know"),
        ("not a postcode", "is not a valid UK postcode"),
        ("", "Postcode is blank."),
        (None, "Postcode is blank."),
    ],
)
def test_unknown_or_outside_postcodes_say_why(postcodes, typed, reason):
    code, why = lsoa_for_postcode(typed, postcodes)
    assert code is None and reason in why


def test_lsoa_codes_are_checked_against_the_table():
    lsoas = pd.DataFrame({LSOA: ["E01011345", "E01011346"]})
    assert valid_lsoa_code("E01011345", lsoas)
    assert normalise_lsoa_code(" e01011346 ", lsoas) == "E01011346"
    for bad in ("E01999999", "", None, float("nan"), "<script>", 12):
        assert not valid_lsoa_code(bad, lsoas)


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {LSOA: ["W", "E"]},
        geometry=[box(-1.60, 53.78, -1.55, 53.82), box(-1.55, 53.78, -1.50, 53.82)],
        crs="EPSG:4326",
    )


def test_a_click_finds_the_lsoa_that_contains_it(squares):
    assert lsoa_at_point(53.80, -1.58, squares) == "W"
    assert lsoa_at_point(53.80, -1.52, squares) == "E"
    assert lsoa_at_point(53.90, -1.52, squares) is None  # outside every LSOA
    assert lsoa_at_point(53.80, -1.55, squares) in {"W", "E"}  # on the shared edge
    assert lsoa_at_point(float("nan"), -1.52, squares) is None


def test_a_click_on_polygons_not_in_wgs84_is_refused(squares):
    with pytest.raises(ValueError, match="EPSG:4326"):
        lsoa_at_point(53.8, -1.52, squares.set_crs("EPSG:27700", allow_override=True))


@pytest.fixture
def lsoas() -> pd.DataFrame:
    n = 3
    frame = pd.DataFrame(
        {
            LSOA: ["E01000001", "E01000002", "E01000003"],
            LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 002A"],
            MSOA: ["E02000001"] * n,
            "msoa_name": ["Harehills"] * n,
            "ward_cd": ["E05000001"] * n,
            WARD_NAME: ["Gipton & Harehills"] * n,
            LCP: ["HATCH", "HATCH", None],
            LCP_STATUS: ["described", "described", None],
            POP_TOTAL: [1500.0, 1800.0, 1200.0],
            CENSUS_65PLUS: [150.0, 300.0, 90.0],
            "pct_65plus": [10.0, 16.7, 7.5],
            IMD_SCORE: [55.1, 30.2, 12.0],
            IMD_RANK: [120, 9000, 25000],
            IMD_DECILE: [1, 3, 8],
            IUC_GROUP: ["e-Withdrawn", "Passive and uncommitted users", "e-Mainstream"],
            "iuc_group_cd": [8, 7, 4],
            "iuc_excluded": [True, True, False],
            "imd2019_pct": [0.01, 0.30, np.nan],
            "imd2025_pct": [0.0036, 0.27, 0.74],
            IMD_PCT_CHANGE: [-0.0064, -0.03, np.nan],
            PWC_X: [X0, X0 + 600, X0 + 3000],
            PWC_Y: [Y0, Y0, Y0],
            "digital_connectivity": [-0.5, 0.1, 0.9],
            "idaopi_score": [0.4, 0.2, 0.05],
            "adult_skills_indicator": [0.5, 0.3, 0.1],
            "employment_score": [0.3, 0.15, 0.05],
        }
    )
    for key in ("income", "employment", "education", "health", "crime", "housing", "environment"):
        frame[f"{key}_decile"] = [1, 4, 9]
        frame[f"{key}_rank"] = [100, 12000, 30000]
        frame[f"{key}_score"] = [0.4, 0.2, 0.05]
    return frame


def test_profile_has_every_part_the_map_panel_shows(lsoas):
    risk = compute_risk_index(lsoas)
    lsoas = lsoas.assign(**{AT_RISK: [True, False, False]})
    hubs = pd.DataFrame({HUB_ID: ["H1"], HUB_NAME: ["Library"], X: [X0 + 500], Y: [Y0]})
    cov = coverage_by_lsoa(lsoas, hubs, 800)
    p = lsoa_profile("E01000001", lsoas, cov, risk, hubs, 800)
    assert (p["code"], p["name"], p["msoa"], p["ward_name"]) == (
        "E01000001",
        "Leeds 001A",
        "E02000001",
        "Gipton & Harehills",
    )
    assert (p["lcp"], p["lcp_status"]) == ("HATCH", "described")
    assert (p["population"], p["population_65plus"]) == (1500.0, 150.0)
    assert (p["imd_score"], p["imd_rank"], p["imd_decile"]) == (55.1, 120, 1)
    assert len(p["domains"]) == 7 and p["domains"]["decile"].tolist() == [1] * 7
    assert p["iuc_group"] == "e-Withdrawn"
    assert (p["nearest_hub_id"], p["nearest_hub_name"]) == ("H1", "Library")
    assert p["nearest_hub_m"] == pytest.approx(500.0)
    assert p["share_within_reach"] == 1.0 and p["at_risk"] is True
    assert p["imd_pct_change"] == pytest.approx(-0.0064)
    # Every DERI indicator with its own value and 0-10 score, and the three components.
    ind = p["indicators"].set_index("indicator")
    assert {"pct_65plus", "digital_connectivity", "imd_score"} <= set(ind.index)
    assert ind.loc["imd_score", "raw"] == pytest.approx(55.1)
    assert 0 <= ind.loc["imd_score", "score"] <= 10
    assert p["components"]["component"].tolist() == ["age", "broadband", "deprivation"]
    assert p["components"]["contribution"].sum() == pytest.approx(p["risk_index"])

    table = profile_table(p).set_index("field")["value"]
    assert table["Nearest open hub"] == "Library, 0.5 km"
    assert table["Local Care Partnership"] == "HATCH (described footprint)"
    assert table["Change in national IMD percentile since 2019"].startswith("-0.6 percentile")


def test_profile_of_an_lsoa_with_gaps_says_not_available(lsoas):
    risk = compute_risk_index(lsoas)
    lsoas = lsoas.assign(**{AT_RISK: [True, False, False]})
    cov = coverage_by_lsoa(lsoas, pd.DataFrame({X: [], Y: []}), 800)
    p = lsoa_profile("E01000003", lsoas, cov, risk)
    assert p["lcp"] is None and p["nearest_hub_m"] is None and p["imd_pct_change"] is None
    table = profile_table(p).set_index("field")["value"]
    assert table["Nearest open hub"] == "no open hub"
    assert table["Local Care Partnership"] == "(not assigned)"
    assert table["Change in national IMD percentile since 2019"].startswith("not available")
    with pytest.raises(KeyError, match="E01999999"):
        lsoa_profile("E01999999", lsoas, cov, risk)
