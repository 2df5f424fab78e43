"""Unit tests for the site planner core (geo/sites.py): optimality, existing hubs, edge cases."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pulp
import pytest
from scipy.spatial.distance import cdist
from spopt.locate import MCLP

from geo.sites import (
    K_MAX,
    SITE_CUM_SHARE,
    SITE_NAME,
    SITE_NEW_WEIGHT,
    CoordinateError,
    NoCandidatesError,
    ParameterError,
    SiteError,
    WeightError,
    collapse_demand,
    coverage_curve,
    coverage_curve_from_matrix,
    demand_weights,
    lsoa_candidates,
    recommend_sites,
    recommend_sites_from_matrix,
    recommendation_table,
    sites_needed_for_share,
    sites_needed_for_share_from_matrix,
    spread_to_postcodes,
)
from utils.constants import (
    AT_RISK,
    HUB_NAME,
    IMD_DECILE,
    LCP,
    LSOA,
    LSOA_NAME,
    POP_60PLUS,
    POP_TOTAL,
    PWC_X,
    PWC_Y,
    RISK_INDEX,
    X,
    Y,
)

RADIUS = 300.0
# Leeds-ish British National Grid origin, so the adapter's coordinate checks pass.
ORIGIN = np.array([430_000.0, 433_000.0])


def _instance(seed: int, n_demand: int = 12, n_cand: int = 8, n_existing: int = 0):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 1_000, (n_demand, 2))
    cand = rng.uniform(0, 1_000, (n_cand, 2))
    existing = rng.uniform(0, 1_000, (n_existing, 2))
    weights = rng.integers(1, 50, n_demand).astype(float)
    ex_cost = cdist(demand, existing) if n_existing else None
    return cdist(demand, cand), weights, ex_cost


def _brute_force(cost, weights, k, radius, ex_cost=None) -> float:
    """Best reachable weight over every set of min(k, n) candidates."""
    reached0 = np.zeros(len(weights), dtype=bool)
    if ex_cost is not None:
        reached0 = (ex_cost <= radius).any(axis=1)
    cover = cost <= radius
    best = weights[reached0].sum()
    for combo in combinations(range(cost.shape[1]), min(k, cost.shape[1])):
        reached = reached0 | cover[:, list(combo)].any(axis=1)
        best = max(best, weights[reached].sum())
    return float(best)


def _frames(cost_seed: int = 0, n_demand: int = 12, n_cand: int = 8, n_existing: int = 2):
    rng = np.random.default_rng(cost_seed)
    d = ORIGIN + rng.uniform(0, 1_000, (n_demand, 2))
    c = ORIGIN + rng.uniform(0, 1_000, (n_cand, 2))
    e = ORIGIN + rng.uniform(0, 1_000, (n_existing, 2))
    demand = pd.DataFrame(
        {
            LSOA: [f"E0100{i:04d}" for i in range(n_demand)],
            PWC_X: d[:, 0],
            PWC_Y: d[:, 1],
            "w": rng.integers(1, 50, n_demand).astype(float),
        }
    )
    candidates = pd.DataFrame(
        {
            HUB_NAME: [f"Venue {j}" for j in range(n_cand)],
            LSOA: [f"E0100{j:04d}" for j in range(n_cand)],
            LCP: ["Seacroft" if j % 2 else "Armley" for j in range(n_cand)],
            X: c[:, 0],
            Y: c[:, 1],
        }
    )
    hubs = pd.DataFrame({HUB_NAME: [f"Hub {i}" for i in range(n_existing)], X: e[:, 0], Y: e[:, 1]})
    return demand, candidates, hubs


# --- Optimality -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("n_existing", [0, 3])
def test_reach_equals_brute_force_optimum_on_small_instances(seed, k, n_existing):
    cost, w, ex = _instance(seed, n_existing=n_existing)
    rec = recommend_sites_from_matrix(cost, w, k, RADIUS, ex)
    assert rec.after_weight == pytest.approx(_brute_force(cost, w, k, RADIUS, ex))
    # The reported per-site gains add up to the reach.
    assert rec.before_weight + sum(rec.new_weight) == pytest.approx(rec.after_weight)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_reach_is_optimal_when_many_candidates_are_dominated(seed):
    # Clustered candidates: many reach a subset of a neighbour's demand (exercises presolve).
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 1_000, (15, 2))
    cand = np.repeat(rng.uniform(0, 1_000, (4, 2)), 3, axis=0) + rng.normal(0, 60, (12, 2))
    cost, w = cdist(demand, cand), rng.integers(1, 9, 15).astype(float)
    for k in (1, 2, 3, 4):
        rec = recommend_sites_from_matrix(cost, w, k, 350.0)
        assert rec.after_weight == pytest.approx(_brute_force(cost, w, k, 350.0))


def _postcode_frames(seed: int, n_points: int = 60, n_cand: int = 8, n_existing: int = 2):
    """Many clustered demand points (postcode-like, X/Y) so several share a candidate set."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 1_000, (6, 2))
    pts = centres[rng.integers(0, 6, n_points)] + rng.normal(0, 120, (n_points, 2))
    demand = pd.DataFrame(
        {
            LSOA: [f"E0100{i % 6:04d}" for i in range(n_points)],
            X: ORIGIN[0] + pts[:, 0],
            Y: ORIGIN[1] + pts[:, 1],
            "w": rng.integers(0, 30, n_points).astype(float),
        }
    )
    cand = ORIGIN + rng.uniform(0, 1_000, (n_cand, 2))
    ex = ORIGIN + rng.uniform(0, 1_000, (n_existing, 2))
    candidates = pd.DataFrame(
        {HUB_NAME: [f"Venue {j}" for j in range(n_cand)], X: cand[:, 0], Y: cand[:, 1]}
    )
    hubs = pd.DataFrame({X: ex[:, 0], Y: ex[:, 1]})
    return demand, candidates, hubs


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_collapsed_postcode_demand_keeps_the_brute_force_optimum(seed, k):
    demand, candidates, hubs = _postcode_frames(seed)
    d = demand[[X, Y]].to_numpy()
    cost = cdist(d, candidates[[X, Y]].to_numpy())
    ex = cdist(d, hubs[[X, Y]].to_numpy())
    w = demand["w"].to_numpy()
    rec = recommend_sites(demand, candidates, hubs, "w", k, RADIUS)
    assert rec.after_weight == pytest.approx(_brute_force(cost, w, k, RADIUS, ex))
    assert rec.total_weight == pytest.approx(w.sum())
    assert rec.before_weight == pytest.approx(w[(ex <= RADIUS).any(axis=1)].sum())
    # Same answer as the uncollapsed matrix.
    full = recommend_sites_from_matrix(cost, w, k, RADIUS, ex)
    assert rec.after_weight == pytest.approx(full.after_weight)


def test_collapse_merges_points_reached_by_the_same_candidates():
    demand, candidates, hubs = _postcode_frames(5, n_points=200)
    d = demand[[X, Y]].to_numpy()
    cost, w, ex_cost, group = collapse_demand(
        d, demand["w"].to_numpy(), candidates[[X, Y]].to_numpy(), hubs[[X, Y]].to_numpy(), RADIUS
    )
    assert len(w) < len(demand) and w.sum() == pytest.approx(demand["w"].sum())
    full = cdist(d, candidates[[X, Y]].to_numpy()) <= RADIUS
    before = (cdist(d, hubs[[X, Y]].to_numpy()) <= RADIUS).any(axis=1)
    for g in range(len(w)):
        members = np.flatnonzero(group == g)
        if before[members].any():
            assert before[members].all() and (ex_cost[g] == 0).all()
            continue
        # Every member is reached by exactly the candidates the group's row says.
        assert (full[members] == (cost[g] <= RADIUS)).all()


def test_spread_to_postcodes_splits_each_lsoa_weight_equally():
    lsoas = pd.DataFrame({LSOA: ["E01000001", "E01000002"], "w": [90.0, 10.0]})
    points = pd.DataFrame(
        {LSOA: ["E01000001"] * 3 + ["E01000002", "E01999999"], X: [1.0] * 5, Y: [2.0] * 5}
    )
    out = spread_to_postcodes(points, lsoas, "w")
    assert out["w"].tolist() == [30.0, 30.0, 30.0, 10.0]
    with pytest.raises(WeightError, match="no residential postcode"):
        spread_to_postcodes(points[points[LSOA] != "E01000002"], lsoas, "w")


def test_sparse_model_agrees_with_spopt_from_cost_matrix():
    cost, w, _ = _instance(7, n_demand=20, n_cand=10)
    ref = MCLP.from_cost_matrix(cost, w, service_radius=RADIUS, p_facilities=3)
    ref.solve(pulp.PULP_CBC_CMD(msg=False))
    rec = recommend_sites_from_matrix(cost, w, 3, RADIUS)
    assert rec.after_weight == pytest.approx(pulp.value(ref.problem.objective))


def test_marginal_gains_are_non_increasing_and_match_a_recount():
    cost, w, ex = _instance(21, n_demand=40, n_cand=15, n_existing=2)
    rec = recommend_sites_from_matrix(cost, w, 5, RADIUS, ex)
    gains = np.array(rec.new_weight)
    assert (np.diff(gains) <= 1e-9).all()
    reached = (ex <= RADIUS).any(axis=1)
    for site, gain in zip(rec.sites, rec.new_weight, strict=True):
        newly = (cost[:, site] <= RADIUS) & ~reached
        assert w[newly].sum() == pytest.approx(gain)
        reached |= newly
    assert np.array_equal(reached, rec.covered_after)
    assert rec.cumulative_share[-1] == pytest.approx(rec.after_weight / w.sum())


# --- Existing hubs ----------------------------------------------------------------------------


def test_existing_hubs_keep_their_coverage_and_are_never_rechosen():
    cost, w, ex = _instance(31, n_existing=3)
    # Put three candidates exactly where the existing hubs are: they add nothing new.
    cost_with_copies = np.hstack([ex, cost])
    rec = recommend_sites_from_matrix(cost_with_copies, w, 3, RADIUS, ex)
    assert not set(rec.sites) & {0, 1, 2}
    before = (ex <= RADIUS).any(axis=1)
    assert np.array_equal(rec.covered_before, before)
    assert (rec.covered_after >= before).all()
    assert rec.before_weight == pytest.approx(w[before].sum())


def test_adapter_does_not_change_the_existing_hubs_frame():
    demand, candidates, hubs = _frames(n_existing=3)
    snapshot = hubs.copy()
    recommend_sites(demand, candidates, hubs, "w", 2, RADIUS)
    pd.testing.assert_frame_equal(hubs, snapshot)


def test_demand_reached_by_existing_hubs_counts_as_before_not_new():
    cost = np.array([[0.0, 100.0], [500.0, 100.0]])
    ex = np.array([[50.0], [900.0]])
    rec = recommend_sites_from_matrix(cost, np.array([10.0, 1.0]), 1, 200.0, ex)
    # Candidate 0 reaches only the already-reached point; candidate 1 reaches the other one.
    assert rec.sites == (1,)
    assert rec.before_weight == 10.0
    assert rec.new_weight == (1.0,)


# --- Edge cases -------------------------------------------------------------------------------


def test_radius_zero_reaches_nothing_new_even_on_top_of_demand():
    cost = np.array([[0.0, 10.0], [10.0, 0.0]])
    rec = recommend_sites_from_matrix(cost, np.array([3.0, 4.0]), 2, 0.0)
    assert rec.sites == ()
    assert rec.after_weight == rec.before_weight == 0.0
    assert "0 m" in rec.message


def test_k_larger_than_useful_sites_stops_cleanly_with_message():
    cost = np.array([[0.0, 900.0, 5000.0], [900.0, 0.0, 5000.0], [100.0, 900.0, 5000.0]])
    rec = recommend_sites_from_matrix(cost, np.array([5.0, 3.0, 1.0]), 3, 500.0)
    assert rec.sites == (0, 1)
    assert rec.new_weight == (6.0, 3.0)
    assert rec.k_requested == 3
    assert "Only 2" in rec.message
    assert rec.after_share == pytest.approx(1.0)


def test_no_site_adds_anything_returns_empty_plan_with_message():
    cost = np.array([[5000.0], [6000.0]])
    rec = recommend_sites_from_matrix(cost, np.array([1.0, 1.0]), 2, 800.0)
    assert rec.sites == ()
    assert "No candidate site" in rec.message


def test_duplicate_candidates_collapse_to_the_first_and_are_listed_as_alternatives():
    cost, w, _ = _instance(41)
    doubled = np.hstack([cost, cost])  # candidate j and j + 8 are the same place
    rec = recommend_sites_from_matrix(doubled, w, 3, RADIUS)
    plain = recommend_sites_from_matrix(cost, w, 3, RADIUS)
    assert rec.after_weight == pytest.approx(plain.after_weight)
    assert all(s < 8 for s in rec.sites)
    for s, alts in zip(rec.sites, rec.alternatives, strict=True):
        assert s + 8 in alts


def test_enough_equal_candidates_fill_k_without_reporting_a_shortfall():
    cost, w, _ = _instance(42)
    rec = recommend_sites_from_matrix(cost, w, 1, RADIUS)
    assert rec.message is None
    assert len(rec.sites) == 1


@pytest.mark.parametrize("k", [0, -1, K_MAX + 1, 2.5, True])
def test_k_outside_one_to_twenty_is_rejected(k):
    cost, w, _ = _instance(1)
    with pytest.raises(ParameterError, match="number of new hubs"):
        recommend_sites_from_matrix(cost, w, k, RADIUS)


@pytest.mark.parametrize("radius", [-1.0, float("nan"), float("inf"), "far"])
def test_bad_radius_is_rejected(radius):
    cost, w, _ = _instance(1)
    with pytest.raises(ParameterError, match="radius"):
        recommend_sites_from_matrix(cost, w, 1, radius)


def test_nan_weights_are_rejected_with_count():
    cost, w, _ = _instance(1)
    w[[2, 5]] = np.nan
    with pytest.raises(WeightError, match="2 demand point"):
        recommend_sites_from_matrix(cost, w, 1, RADIUS)


def test_negative_weights_are_rejected():
    cost, w, _ = _instance(1)
    w[0] = -1
    with pytest.raises(WeightError):
        recommend_sites_from_matrix(cost, w, 1, RADIUS)


def test_no_candidate_columns_is_rejected():
    with pytest.raises(NoCandidatesError, match="no candidate sites"):
        recommend_sites_from_matrix(np.empty((3, 0)), np.ones(3), 1, RADIUS)


def test_cost_matrix_with_wrong_shape_or_nan_is_rejected():
    with pytest.raises(CoordinateError):
        recommend_sites_from_matrix(np.ones((2, 3)), np.ones(3), 1, RADIUS)
    with pytest.raises(CoordinateError, match="missing"):
        recommend_sites_from_matrix(np.array([[np.nan]]), np.ones(1), 1, RADIUS)


def test_site_errors_are_value_errors_for_pages_to_catch():
    assert issubclass(WeightError, SiteError)
    assert issubclass(SiteError, ValueError)


# --- Coverage curve and sites needed ----------------------------------------------------------


@pytest.mark.parametrize("n_existing", [0, 2])
def test_coverage_curve_is_optimal_per_k_and_non_decreasing(n_existing):
    cost, w, ex = _instance(51, n_existing=n_existing)
    curve = coverage_curve_from_matrix(cost, w, 5, RADIUS, ex)
    assert list(curve["k"]) == [0, 1, 2, 3, 4, 5]
    assert (curve["reached_weight"].diff().dropna() >= -1e-9).all()
    for k, reached in zip(curve["k"], curve["reached_weight"], strict=True):
        if k:
            assert reached == pytest.approx(_brute_force(cost, w, k, RADIUS, ex))
    assert curve["reached_share"].iloc[-1] == pytest.approx(
        curve["reached_weight"].iloc[-1] / w.sum()
    )


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7, 0.9])
def test_sites_needed_is_the_brute_force_minimum(share):
    cost, w, ex = _instance(61, n_demand=14, n_cand=8, n_existing=1)
    res = sites_needed_for_share_from_matrix(cost, w, share, RADIUS, ex)
    best = [_brute_force(cost, w, k, RADIUS, ex) for k in range(0, 9)]
    reachable = [k for k in range(0, 9) if best[k] >= share * w.sum() - 1e-9]
    if reachable:
        assert res.n_sites == reachable[0]
        assert res.reached_share >= share - 1e-9
    else:
        assert res.n_sites is None
        assert res.message


def test_sites_needed_is_zero_when_existing_hubs_already_reach_the_target():
    cost = np.array([[5000.0], [5000.0]])
    ex = np.array([[0.0], [0.0]])
    res = sites_needed_for_share_from_matrix(cost, np.array([1.0, 1.0]), 0.8, 100.0, ex)
    assert res.n_sites == 0
    assert res.reached_share == 1.0


def test_sites_needed_reports_an_unreachable_target():
    cost = np.array([[0.0, 5000.0], [5000.0, 5000.0]])
    res = sites_needed_for_share_from_matrix(cost, np.array([1.0, 1.0]), 0.9, 100.0)
    assert res.n_sites is None
    assert "cannot be reached" in res.message
    assert res.reached_share == pytest.approx(0.5)


def test_sites_needed_stops_at_max_k_with_message():
    # Ten isolated points need ten sites; allow only three.
    cost = np.where(np.eye(10, dtype=bool), 0.0, 9_999.0)
    res = sites_needed_for_share_from_matrix(cost, np.ones(10), 1.0, 100.0, max_k=3)
    assert res.n_sites is None
    assert "more than 3" in res.message
    assert res.reached_share == pytest.approx(0.3)


def test_bad_target_share_is_rejected():
    cost, w, _ = _instance(1)
    with pytest.raises(ParameterError, match="target share"):
        sites_needed_for_share_from_matrix(cost, w, 80, RADIUS)


# --- DataFrame adapter ------------------------------------------------------------------------


def test_adapter_matches_the_numeric_core_and_builds_the_table():
    demand, candidates, hubs = _frames(3, n_existing=2)
    rec = recommend_sites(demand, candidates, hubs, "w", 3, RADIUS)
    d = demand[[PWC_X, PWC_Y]].to_numpy()
    core = recommend_sites_from_matrix(
        cdist(d, candidates[[X, Y]].to_numpy()),
        demand["w"].to_numpy(),
        3,
        RADIUS,
        cdist(d, hubs[[X, Y]].to_numpy()),
    )
    assert rec.sites == core.sites
    table = recommendation_table(rec, candidates)
    assert list(table["rank"]) == list(range(1, len(rec.sites) + 1))
    assert list(table[SITE_NAME]) == [f"Venue {s}" for s in rec.sites]
    assert {LSOA, LCP, SITE_NEW_WEIGHT, SITE_CUM_SHARE} <= set(table.columns)
    assert table[SITE_CUM_SHARE].is_monotonic_increasing


def test_adapter_curve_and_sites_needed_run_on_frames():
    demand, candidates, hubs = _frames(4)
    curve = coverage_curve(demand, candidates, hubs, "w", 3, RADIUS)
    assert len(curve) == 4
    res = sites_needed_for_share(demand, candidates, hubs, "w", 0.5, RADIUS)
    assert res.n_sites is None or res.reached_share >= 0.5


def test_adapter_rejects_empty_candidates_in_plain_english():
    demand, candidates, hubs = _frames()
    with pytest.raises(NoCandidatesError, match="no candidate sites in the chosen area"):
        recommend_sites(demand, candidates.iloc[0:0], hubs, "w", 1, RADIUS)


def test_adapter_names_the_lsoas_with_nan_weights():
    demand, candidates, hubs = _frames()
    demand.loc[3, "w"] = np.nan
    with pytest.raises(WeightError, match="E01000003"):
        recommend_sites(demand, candidates, hubs, "w", 1, RADIUS)


def test_adapter_rejects_degrees_instead_of_metres():
    demand, candidates, hubs = _frames()
    candidates[X], candidates[Y] = -1.5, 53.8
    with pytest.raises(CoordinateError, match="degrees"):
        recommend_sites(demand, candidates, hubs, "w", 1, RADIUS)


def test_adapter_rejects_missing_coordinates_and_names_the_site():
    demand, candidates, hubs = _frames()
    candidates.loc[2, X] = np.nan
    with pytest.raises(CoordinateError, match="Venue 2"):
        recommend_sites(demand, candidates, hubs, "w", 1, RADIUS)


def test_adapter_rejects_coordinates_outside_great_britain():
    demand, candidates, hubs = _frames()
    hubs.loc[0, X] = 9_000_000.0
    with pytest.raises(CoordinateError, match="outside Great Britain"):
        recommend_sites(demand, candidates, hubs, "w", 1, RADIUS)


def test_adapter_accepts_no_existing_hubs():
    demand, candidates, _ = _frames()
    rec = recommend_sites(demand, candidates, None, "w", 2, RADIUS)
    assert rec.before_weight == 0.0


# --- Helpers for the page ---------------------------------------------------------------------


def test_lsoa_candidates_sit_at_population_weighted_centres():
    lsoas = pd.DataFrame(
        {
            LSOA: ["E01000001", "E01000002"],
            LSOA_NAME: ["Leeds 001A", "Leeds 001B"],
            LCP: ["Armley", "Seacroft"],
            PWC_X: [430_000.0, 431_000.0],
            PWC_Y: [433_000.0, 434_000.0],
        }
    )
    cands = lsoa_candidates(lsoas)
    assert list(cands[HUB_NAME]) == ["Leeds 001A", "Leeds 001B"]
    assert list(cands[X]) == [430_000.0, 431_000.0]
    assert list(cands[LCP]) == ["Armley", "Seacroft"]


def test_demand_weights_for_each_objective():
    lsoas = pd.DataFrame(
        {
            POP_TOTAL: [1000.0, 2000.0],
            POP_60PLUS: [300.0, 100.0],
            IMD_DECILE: [1, 5],
            RISK_INDEX: [5.0, 2.5],
        }
    )
    assert list(demand_weights(lsoas, "total")) == [1000.0, 2000.0]
    assert list(demand_weights(lsoas, "older")) == [300.0, 100.0]
    assert list(demand_weights(lsoas, "deprived")) == [1000.0, 0.0]
    assert list(demand_weights(lsoas, "risk_weighted")) == [500.0, 500.0]
    lsoas[AT_RISK] = [False, True]
    assert list(demand_weights(lsoas, "at_risk")) == [0.0, 2000.0]
    with pytest.raises(ParameterError):
        demand_weights(lsoas, "happiness")


def test_risk_weighted_weight_reads_the_risk_index_on_its_0_to_10_scale():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0, 1000.0, 1000.0], RISK_INDEX: [10.0, 0.0, 7.5]})
    assert list(demand_weights(lsoas, "risk_weighted")) == [1000.0, 0.0, 750.0]


def test_risk_weighted_weight_ignores_the_boolean_at_risk_flag():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0, 2000.0], RISK_INDEX: [5.0, 2.5]})
    lsoas[AT_RISK] = [True, False]
    assert list(demand_weights(lsoas, "risk_weighted")) == [500.0, 500.0]


def test_at_risk_weight_is_all_residents_of_flagged_lsoas_only():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0, 2000.0], RISK_INDEX: [9.0, 1.0]})
    lsoas[AT_RISK] = [True, False]
    assert list(demand_weights(lsoas, "at_risk")) == [1000.0, 0.0]


def test_risk_index_off_its_0_to_10_scale_is_rejected():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0], RISK_INDEX: [12.0]})
    with pytest.raises(WeightError, match="0–10"):
        demand_weights(lsoas, "risk_weighted")


def test_missing_risk_index_gives_nan_weight_not_zero():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0, 1000.0], RISK_INDEX: [5.0, None]})
    w = demand_weights(lsoas, "risk_weighted")
    assert w.iloc[0] == 500.0
    assert np.isnan(w.iloc[1])


def test_missing_imd_decile_gives_nan_weight_not_zero():
    lsoas = pd.DataFrame({POP_TOTAL: [1000.0, 2000.0], IMD_DECILE: [1, None]})
    w = demand_weights(lsoas, "deprived")
    assert w.iloc[0] == 1000.0
    assert np.isnan(w.iloc[1])


def test_collapse_stays_exact_even_if_the_set_hashes_collide(monkeypatch):
    import geo.sites as sites

    class ZeroHashes:
        def integers(self, low, high, size, dtype):
            return np.zeros(size, dtype=dtype)

    demand, candidates, hubs = _postcode_frames(9, n_points=120)
    d = demand[[X, Y]].to_numpy()
    args = (d, demand["w"].to_numpy(), candidates[[X, Y]].to_numpy(), hubs[[X, Y]].to_numpy())
    honest = collapse_demand(*args, RADIUS)
    monkeypatch.setattr(sites.np.random, "default_rng", lambda seed: ZeroHashes())
    fallback = collapse_demand(*args, RADIUS)
    assert len(fallback[1]) == len(honest[1])  # same number of groups despite equal hashes
    full = cdist(d, candidates[[X, Y]].to_numpy()) <= RADIUS
    before = (cdist(d, hubs[[X, Y]].to_numpy()) <= RADIUS).any(axis=1)
    group = fallback[3]
    for g in range(len(fallback[1])):
        members = np.flatnonzero(group == g)
        assert (before[members] == before[members[0]]).all()
        if not before[members[0]]:  # points reached already form one group, whatever else
            assert (full[members] == full[members[0]]).all()
