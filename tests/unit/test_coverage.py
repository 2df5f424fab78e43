"""Unit tests for hub coverage on a grid with known distances."""

import numpy as np
import pandas as pd
import pytest

from geo.coverage import (
    AREA,
    AT_RISK_POP,
    COVERED_PCT,
    COVERED_POP,
    DEMAND_RESIDENTS,
    GAP_RANK,
    HUBS_PER_10K_AT_RISK,
    N_DEMAND,
    N_HUBS,
    NEAREST_HUB,
    NEAREST_HUB_IDX,
    NO_GROUP_LABEL,
    QUADRANT,
    SHARE_WITHIN_REACH,
    UNCOVERED_AT_RISK_POP,
    CoverageError,
    DistanceModel,
    StraightLine,
    coverage_by_lsoa,
    demand_points,
    distance_matrix,
    hubs_xy,
    nearest_distance,
    need_vs_coverage,
    rank_lcp_gaps,
    rank_lsoa_gaps,
    summarise_coverage,
)
from utils.constants import (
    AT_RISK,
    COVERED,
    HUB_ID,
    HUB_LAT,
    HUB_LON,
    IN_LEEDS,
    LCP,
    LCP_STATUS,
    LSOA,
    NEAREST_HUB_M,
    POP_TOTAL,
    POSTCODE,
    PWC_X,
    PWC_Y,
    RISK_INDEX,
    X,
    Y,
)

# A British National Grid origin inside Leeds, so coordinates look like real metres.
X0, Y0 = 430_000.0, 433_000.0


@pytest.fixture
def lsoas() -> pd.DataFrame:
    # Hubs at (0, 0) and (1000, 0). Distances to the nearest hub (3-4-5 triangles):
    #   A (300, 400)   -> 500 to h1        B (1000, 800) -> 800 to h2 (on an 800 m boundary)
    #   C (600, 0)     -> 400 to h2        D (0, 2000)   -> 2000 to h1
    #   E (1000, -1200)-> 1200 to h2
    pts = {"A": (300, 400), "B": (1000, 800), "C": (600, 0), "D": (0, 2000), "E": (1000, -1200)}
    return pd.DataFrame(
        {
            LSOA: list(pts),
            PWC_X: [X0 + p[0] for p in pts.values()],
            PWC_Y: [Y0 + p[1] for p in pts.values()],
            POP_TOTAL: [1000, 2000, 1500, 3000, 500],
            AT_RISK: [True, True, False, True, True],
            RISK_INDEX: [9.0, 7.0, 2.0, 8.0, 8.0],
            LCP: ["North", "North", "South", "South", "South"],
        }
    )


@pytest.fixture
def hubs() -> pd.DataFrame:
    return pd.DataFrame(
        {HUB_ID: ["h1", "h2"], X: [X0, X0 + 1000], Y: [Y0, Y0], LCP: ["North", "South"]}
    )


def test_nearest_distance_on_grid_matches_known_distances(lsoas, hubs):
    dist, idx = nearest_distance(lsoas[[PWC_X, PWC_Y]].to_numpy(), hubs[[X, Y]].to_numpy())
    np.testing.assert_allclose(dist, [500, 800, 400, 2000, 1200])
    assert idx.tolist() == [0, 1, 1, 0, 1]


def test_nearest_distance_agrees_with_the_full_matrix():
    rng = np.random.default_rng(1)
    demand, facility = rng.uniform(0, 5000, (200, 2)), rng.uniform(0, 5000, (30, 2))
    dist, idx = nearest_distance(demand, facility)
    matrix = distance_matrix(demand, facility)
    assert matrix.shape == (200, 30)
    np.testing.assert_allclose(dist, matrix.min(axis=1))
    assert (idx == matrix.argmin(axis=1)).all()


def test_no_facilities_gives_infinite_distance():
    dist, idx = nearest_distance(np.array([[1.0, 2.0]]), np.empty((0, 2)))
    assert np.isinf(dist).all() and idx.tolist() == [-1]
    assert distance_matrix(np.array([[1.0, 2.0]]), np.empty((0, 2))).shape == (1, 0)


def test_nan_coordinates_are_rejected_in_the_numeric_core():
    with pytest.raises(CoverageError, match="row 1"):
        nearest_distance(np.array([[0.0, 0.0], [np.nan, 1.0]]), np.array([[0.0, 0.0]]))


@pytest.mark.parametrize(
    ("radius", "covered"),
    [
        (400, [False, False, True, False, False]),
        (800, [True, True, True, False, False]),
        (1200, [True, True, True, False, True]),
        (2000, [True, True, True, True, True]),
    ],
)
def test_radius_boundary_is_inclusive(lsoas, hubs, radius, covered):
    out = coverage_by_lsoa(lsoas, hubs, radius)
    assert out[COVERED].tolist() == covered


def test_coverage_columns_and_populations(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 800)
    np.testing.assert_allclose(out[NEAREST_HUB_M], [500, 800, 400, 2000, 1200])
    assert out[NEAREST_HUB_IDX].tolist() == [0, 1, 1, 0, 1]
    assert out[NEAREST_HUB].tolist() == ["h1", "h2", "h2", "h1", "h2"]
    assert out[COVERED_POP].tolist() == [1000, 2000, 1500, 0, 0]
    assert out[AT_RISK_POP].tolist() == [1000, 2000, 0, 3000, 500]
    assert out[UNCOVERED_AT_RISK_POP].tolist() == [0, 0, 0, 3000, 500]
    assert len(out) == len(lsoas) and LSOA in out.columns
    assert COVERED not in lsoas.columns  # the input is not modified


def test_zero_hubs_leaves_everyone_uncovered(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs.iloc[0:0], 2000)
    assert np.isinf(out[NEAREST_HUB_M]).all()
    assert not out[COVERED].any()
    assert out[UNCOVERED_AT_RISK_POP].sum() == 6500
    leeds = summarise_coverage(out, hubs=hubs.iloc[0:0]).iloc[0]
    assert leeds[N_HUBS] == 0 and leeds[COVERED_PCT] == 0


def test_leeds_summary(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 800)
    leeds = summarise_coverage(out, hubs=hubs)
    assert len(leeds) == 1
    row = leeds.iloc[0]
    assert row[AREA] == "Leeds"
    assert row["population"] == 8000
    assert row[COVERED_PCT] == pytest.approx(100 * 4500 / 8000)
    assert row[AT_RISK_POP] == 6500
    assert row["at_risk_covered_pct"] == pytest.approx(100 * 3000 / 6500)
    assert row[UNCOVERED_AT_RISK_POP] == 3500
    assert row[N_HUBS] == 2
    assert row[HUBS_PER_10K_AT_RISK] == pytest.approx(2 * 10_000 / 6500)


def test_lcp_aggregation_counts_hubs_per_area(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 800)
    by = summarise_coverage(out, group_col=LCP, hubs=hubs).set_index(AREA)
    assert by.loc["North", "population"] == 3000
    assert by.loc["North", COVERED_PCT] == 100
    assert by.loc["South", AT_RISK_POP] == 3500
    assert by.loc["South", UNCOVERED_AT_RISK_POP] == 3500
    assert by.loc["South", "at_risk_covered_pct"] == 0
    assert by[N_HUBS].to_dict() == {"North": 1, "South": 1}
    assert by.loc["South", HUBS_PER_10K_AT_RISK] == pytest.approx(10_000 / 3500)


def test_lsoas_without_lcp_are_kept_and_labelled(lsoas, hubs):
    lsoas.loc[4, LCP] = None
    out = coverage_by_lsoa(lsoas, hubs, 800)
    by = summarise_coverage(out, group_col=LCP).set_index(AREA)
    assert by.loc[NO_GROUP_LABEL, "population"] == 500
    assert by["population"].sum() == lsoas[POP_TOTAL].sum()
    assert by[N_HUBS].isna().all()  # no hubs given -> no count, not zero


def test_lcp_gaps_rank_by_uncovered_at_risk_population(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 800)
    ranked = rank_lcp_gaps(out, hubs)
    assert ranked[AREA].tolist() == ["South", "North"]
    assert ranked[GAP_RANK].tolist() == [1, 2]


def test_lsoa_gaps_are_uncovered_at_risk_sorted_by_risk_then_population(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 400)
    # Uncovered at-risk: A (9.0, 1000), B (7.0, 2000), D (8.0, 3000), E (8.0, 500).
    gaps = rank_lsoa_gaps(out)
    assert gaps[LSOA].tolist() == ["A", "D", "E", "B"]
    assert gaps[GAP_RANK].tolist() == [1, 2, 3, 4]
    assert rank_lsoa_gaps(out, top=2)[LSOA].tolist() == ["A", "D"]


def test_need_vs_coverage_quadrants(lsoas, hubs):
    out = coverage_by_lsoa(lsoas, hubs, 800)
    scatter = need_vs_coverage(out).set_index(LSOA)
    assert scatter.loc["A", QUADRANT] == "At risk, covered"
    assert scatter.loc["C", QUADRANT] == "Not at risk, covered"
    assert scatter.loc["D", QUADRANT] == "At risk, not covered"
    assert scatter.loc["D", "nearest_hub_km"] == pytest.approx(2.0)
    assert scatter.loc["A", "need"] == 9.0


def test_missing_columns_and_nan_coordinates_raise_clear_errors(lsoas, hubs):
    with pytest.raises(CoverageError, match="at_risk_flags"):
        coverage_by_lsoa(lsoas.drop(columns=[AT_RISK]), hubs, 800)
    with pytest.raises(CoverageError, match="hubs_xy"):
        coverage_by_lsoa(lsoas, hubs.drop(columns=[X]), 800)
    lsoas.loc[2, PWC_X] = np.nan
    with pytest.raises(CoverageError, match="1 LSOAs have no coordinates.*C"):
        coverage_by_lsoa(lsoas, hubs, 800)


def test_degrees_passed_as_metres_are_rejected(lsoas, hubs):
    lonlat = hubs.assign(**{X: [-1.55, -1.50], Y: [53.80, 53.81]})
    with pytest.raises(CoverageError, match="degrees"):
        coverage_by_lsoa(lsoas, lonlat, 800)


def test_bad_radius_is_rejected(lsoas, hubs):
    with pytest.raises(CoverageError, match="radius"):
        coverage_by_lsoa(lsoas, hubs, -5)


def test_hubs_xy_projects_latitude_longitude_to_national_grid():
    hubs = pd.DataFrame({HUB_LAT: [53.7997], HUB_LON: [-1.5492]})  # Leeds city centre
    out = hubs_xy(hubs)
    assert 429_000 < out[X].iloc[0] < 431_000
    assert 433_000 < out[Y].iloc[0] < 434_500


def test_a_custom_distance_model_can_replace_straight_line(lsoas, hubs):
    class Doubled:
        def nearest(self, demand_xy, facility_xy):
            dist, idx = StraightLine().nearest(demand_xy, facility_xy)
            return dist * 2, idx

        def matrix(self, demand_xy, facility_xy):
            return StraightLine().matrix(demand_xy, facility_xy) * 2

    assert isinstance(Doubled(), DistanceModel)
    out = coverage_by_lsoa(lsoas, hubs, 800, model=Doubled())
    assert out[COVERED].tolist() == [False, False, True, False, False]


# --- Coverage measured where people live (demand postcodes) ------------------------------------


def _postcode_fixture():
    """Two LSOAs, each with postcodes on a line; hubs placed so shares are known."""
    lsoas = pd.DataFrame(
        {
            LSOA: ["E01000001", "E01000002"],
            POP_TOTAL: [1200, 900],
            AT_RISK: [True, False],
        }
    )
    rng = np.random.default_rng(7)
    xs = np.r_[430_000 + rng.uniform(0, 3_000, 12), 440_000 + rng.uniform(0, 3_000, 9)]
    ys = np.r_[433_000 + rng.uniform(0, 2_000, 12), 433_000 + rng.uniform(0, 2_000, 9)]
    demand = pd.DataFrame({LSOA: ["E01000001"] * 12 + ["E01000002"] * 9, X: xs, Y: ys})
    hubs = pd.DataFrame(
        {HUB_ID: ["a", "b", "c"], X: [431_000.0, 432_500.0, 441_500.0], Y: [434_000.0] * 3}
    )
    return lsoas, demand, hubs


@pytest.mark.parametrize("radius", [0, 400, 800, 1200, 2000, 10_000])
def test_share_within_reach_matches_a_brute_force_distance_computation(radius):
    lsoas, demand, hubs = _postcode_fixture()
    out = coverage_by_lsoa(lsoas, hubs, radius, demand=demand)
    d = np.sqrt(
        (demand[X].to_numpy()[:, None] - hubs[X].to_numpy()[None, :]) ** 2
        + (demand[Y].to_numpy()[:, None] - hubs[Y].to_numpy()[None, :]) ** 2
    ).min(axis=1)
    for i, code in enumerate(lsoas[LSOA]):
        mine = demand[LSOA].to_numpy() == code
        share = (d[mine] <= radius).mean()
        assert out[SHARE_WITHIN_REACH].iloc[i] == pytest.approx(share)
        assert out[NEAREST_HUB_M].iloc[i] == pytest.approx(d[mine].min())
        assert out[COVERED_POP].iloc[i] == pytest.approx(lsoas[POP_TOTAL].iloc[i] * share)
        assert out[N_DEMAND].iloc[i] == mine.sum()
    at_risk_share = out[SHARE_WITHIN_REACH].iloc[0]
    assert out[UNCOVERED_AT_RISK_POP].tolist() == pytest.approx([1200 * (1 - at_risk_share), 0])


def test_part_of_an_lsoa_can_be_within_reach():
    lsoas = pd.DataFrame({LSOA: ["E01000001"], POP_TOTAL: [1000], AT_RISK: [True]})
    demand = pd.DataFrame(
        {LSOA: ["E01000001"] * 4, X: [430_000.0, 430_500, 431_000, 432_000], Y: [433_000.0] * 4}
    )
    hubs = pd.DataFrame({X: [430_000.0], Y: [433_000.0]})
    out = coverage_by_lsoa(lsoas, hubs, 800, demand=demand).iloc[0]
    assert out[SHARE_WITHIN_REACH] == 0.5  # 0 m and 500 m in; 1,000 m and 2,000 m out
    assert out[COVERED_POP] == 500 and out[UNCOVERED_AT_RISK_POP] == 500
    assert out[NEAREST_HUB_M] == 0.0
    leeds = summarise_coverage(coverage_by_lsoa(lsoas, hubs, 800, demand=demand)).iloc[0]
    assert leeds[COVERED_PCT] == 50.0


def test_an_lsoa_without_demand_points_is_an_error_not_a_silent_zero():
    lsoas, demand, hubs = _postcode_fixture()
    with pytest.raises(CoverageError, match="E01000002"):
        coverage_by_lsoa(lsoas, hubs, 800, demand=demand[demand[LSOA] == "E01000001"])


def test_demand_points_of_other_lsoas_are_ignored():
    lsoas, demand, hubs = _postcode_fixture()
    extra = pd.DataFrame({LSOA: ["E09999999"], X: [431_000.0], Y: [434_000.0]})
    a = coverage_by_lsoa(lsoas, hubs, 800, demand=demand)
    b = coverage_by_lsoa(lsoas, hubs, 800, demand=pd.concat([demand, extra]))
    pd.testing.assert_frame_equal(a, b)


def test_demand_points_keep_residential_leeds_postcodes_and_split_residents_equally():
    lsoas = pd.DataFrame({LSOA: ["E01000001", "E01000002"], POP_TOTAL: [900, 100]})
    postcodes = pd.DataFrame(
        {
            POSTCODE: [
                "LS1 1AA",
                "LS1 1AB",
                "LS1 1AD",
                "LS98 1AA",
                "LS99 2BB",
                "LS88 1XX",
                "LS2 7EE",
                "BD1 1AA",
                "LS3 1ZZ",
            ],
            IN_LEEDS: [True, True, True, True, True, True, True, False, True],
            LSOA: [
                "E01000001",
                "E01000001",
                "E01000001",
                "E01000001",
                "E01000002",
                "E01000002",
                "E01000002",
                "E01000002",
                None,
            ],
            X: np.arange(9) * 100.0 + 430_000,
            Y: np.full(9, 433_000.0),
        }
    )
    out = demand_points(postcodes, lsoas)
    assert out[POSTCODE].tolist() == ["LS1 1AA", "LS1 1AB", "LS1 1AD", "LS2 7EE"]
    assert out[DEMAND_RESIDENTS].tolist() == [300.0, 300.0, 300.0, 100.0]
    assert out[DEMAND_RESIDENTS].sum() == lsoas[POP_TOTAL].sum()


def test_demand_points_raise_when_an_lsoa_has_only_po_boxes():
    lsoas = pd.DataFrame({LSOA: ["E01000001"], POP_TOTAL: [900]})
    postcodes = pd.DataFrame(
        {POSTCODE: ["LS98 1AA"], IN_LEEDS: [True], LSOA: ["E01000001"], X: [1.0], Y: [2.0]}
    )
    with pytest.raises(CoverageError, match="no residential postcode"):
        demand_points(postcodes, lsoas)


def test_lcp_summary_carries_the_footprint_status(lsoas, hubs):
    frame = lsoas.assign(
        **{LCP_STATUS: ["described", "described", "approximate", "provisional", "provisional"]}
    )
    frame[LCP] = ["A", "A", "B", "C", "C"]
    out = summarise_coverage(coverage_by_lsoa(frame, hubs, 800), group_col=LCP)
    assert dict(zip(out[AREA], out[LCP_STATUS], strict=True)) == {
        "A": "described",
        "B": "approximate",
        "C": "provisional",
    }
