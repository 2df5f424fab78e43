"""The planner's table assembly (geo.planning) and the Leeds + LCP coverage summary, on tiny frames."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.coverage import AREA, LEEDS_LABEL, coverage_by_lsoa, summarise_leeds_and_groups
from geo.planning import (
    ALTERNATIVES,
    PLANNER_WEIGHT,
    candidate_sites,
    planner_problem,
    recommendation_with_places,
    with_planner_weight,
)
from geo.shapes import simplify_for_map
from geo.sites import recommend_sites
from utils import constants as c
from utils.view_state import ALL_LEEDS


def lsoas() -> pd.DataFrame:
    """Three LSOAs in two LCPs, 10 km apart east-west, with centres and an at-risk flag."""
    return pd.DataFrame(
        {
            c.LSOA: ["E1", "E2", "E3"],
            c.LSOA_NAME: ["Alpha", "Beta", "Gamma"],
            c.LCP: ["North", "North", "South"],
            c.POP_TOTAL: [1000, 2000, 3000],
            c.AT_RISK: [True, False, True],
            c.IMD_SCORE: [40.0, 10.0, 30.0],
            c.PWC_X: [430_000.0, 440_000.0, 450_000.0],
            c.PWC_Y: [433_000.0, 433_000.0, 433_000.0],
            c.PWC_LAT: [53.80, 53.80, 53.80],
            c.PWC_LON: [-1.55, -1.40, -1.25],
        }
    )


def demand() -> pd.DataFrame:
    """Two residential postcodes per LSOA at its centre."""
    rows = lsoas().loc[lambda d: d.index.repeat(2)]
    return pd.DataFrame({c.LSOA: rows[c.LSOA], c.X: rows[c.PWC_X], c.Y: rows[c.PWC_Y]})


def test_planner_weight_is_the_objectives_weight_and_the_input_is_untouched():
    table = lsoas()
    weighted = with_planner_weight(table, "at_risk")
    assert weighted[PLANNER_WEIGHT].tolist() == [1000, 0, 3000]
    assert PLANNER_WEIGHT not in table.columns


def test_planner_problem_for_one_lcp_keeps_only_its_demand_and_candidates_but_every_hub():
    hubs = pd.DataFrame({c.X: [450_000.0], c.Y: [433_000.0], c.HUB_ID: ["H1"]}, index=[7])
    points, candidates, existing = planner_problem(
        with_planner_weight(lsoas(), "total"), demand(), None, hubs, "North"
    )
    assert sorted(points[c.LSOA].unique()) == ["E1", "E2"]
    assert points[PLANNER_WEIGHT].sum() == pytest.approx(3000)  # split over two postcodes each
    assert candidates[c.HUB_NAME].tolist() == ["Alpha", "Beta"]
    assert candidates[c.LAT].tolist() == [53.80, 53.80]
    assert candidates[c.LON].tolist() == [-1.55, -1.40]
    assert existing.index.tolist() == [0]  # every hub kept, renumbered


def test_uploaded_venues_in_the_area_are_the_candidates_with_lat_lon():
    venues = pd.DataFrame(
        {
            c.HUB_NAME: ["Library", "Church"],
            c.LCP: ["South", "North"],
            c.HUB_LAT: [53.7, 53.9],
            c.HUB_LON: [-1.3, -1.5],
        },
        index=[4, 9],
    )
    chosen = candidate_sites(lsoas(), venues, "South")
    assert chosen[c.HUB_NAME].tolist() == ["Library"]
    assert chosen[[c.LAT, c.LON]].iloc[0].tolist() == [53.7, -1.3]
    assert chosen.index.tolist() == [0]
    assert len(candidate_sites(lsoas(), venues, ALL_LEEDS)) == 2


def test_recommendation_lists_places_and_names_interchangeable_sites():
    table = with_planner_weight(lsoas(), "total")
    points, candidates, existing = planner_problem(
        table, demand(), None, pd.DataFrame({c.X: [], c.Y: []}), ALL_LEEDS
    )
    # Four more candidates on top of Gamma: all reach exactly Gamma's people.
    extra = pd.concat([candidates.iloc[[2]]] * 4, ignore_index=True)
    extra[c.HUB_NAME] = ["G2", "G3", "G4", "G5"]
    candidates = pd.concat([candidates, extra], ignore_index=True)
    rec = recommend_sites(points, candidates, existing, PLANNER_WEIGHT, 1, 800)
    out = recommendation_with_places(rec, candidates)
    assert len(out) == 1
    assert out[c.LON].iloc[0] == -1.25 and out[c.LAT].iloc[0] == 53.80
    assert out[ALTERNATIVES].iloc[0].endswith("(+1 more)")
    assert out[ALTERNATIVES].iloc[0].count(",") == 2  # three names shown


def test_leeds_and_lcp_summaries_come_as_one_table_with_leeds_first():
    table = lsoas()
    hubs = pd.DataFrame({c.X: [430_000.0], c.Y: [433_000.0], c.LCP: ["North"]})
    by_lsoa = coverage_by_lsoa(table, hubs, 800, demand=demand())
    out = summarise_leeds_and_groups(by_lsoa, hubs)
    assert out[AREA].tolist() == [LEEDS_LABEL, "North", "South"]
    assert out["covered_pop"].tolist() == [1000, 1000, 0]


def test_simplified_shapes_stay_in_wgs84_and_keep_their_columns():
    squares = gpd.GeoDataFrame(
        {c.LSOA: ["A", "B"]},
        geometry=[box(430_000, 433_000, 431_000, 434_000), box(431_000, 433_000, 432_000, 434_000)],
        crs=c.CRS_BNG,
    ).to_crs(c.CRS_WGS84)
    out = simplify_for_map(squares)
    assert out.crs.to_epsg() == 4326
    assert out[c.LSOA].tolist() == ["A", "B"]
    assert out.geometry.is_valid.all()
