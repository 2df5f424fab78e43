"""Site planner core: where k new hubs reach the most not-yet-reached weight (MCLP via spopt)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pulp
from spopt.locate import MCLP
from spopt.locate.base import FacilityModelBuilder

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

K_MIN = 1
K_MAX = 20
# Top of the exclusion-risk index scale (utils.risk rescales every input to 0–10).
RISK_INDEX_MAX = 10.0


def _SOLVER() -> pulp.LpSolver:  # noqa: N802 - reads as a constant at the call site
    """PuLP's bundled CBC, quiet."""
    return pulp.PULP_CBC_CMD(msg=False)


# Weights this close to zero count as "nothing newly reached" (floating-point noise only).
_GAIN_TOL = 1e-9

# What a planner can maximise: key -> label. Weights come from demand_weights().
OBJECTIVES = {
    "at_risk": "At-risk residents reached",
    "risk_weighted": "Risk-weighted residents reached (risk index ÷ 10 × residents)",
    "deprived": "People in IMD deciles 1–2 (most deprived 20% in England)",
    "older": "People aged 60+",
    "total": "Total population",
}

# Columns of recommendation_table(); defined here, not in utils/constants.py (planner-only).
SITE_RANK = "rank"
SITE_INDEX = "candidate_index"
SITE_NAME = "site"
SITE_NEW_WEIGHT = "newly_reached"
SITE_CUM_WEIGHT = "cumulative_reached"
SITE_CUM_SHARE = "cumulative_share"

# British National Grid extent (metres) for the sanity check on coordinates.
_BNG_X = (0.0, 700_000.0)
_BNG_Y = (0.0, 1_300_000.0)


class SiteError(ValueError):
    """A site-planning input problem, with a plain-English message for the planner."""


class NoCandidatesError(SiteError):
    """There are no candidate sites to choose from."""


class WeightError(SiteError):
    """The weights to maximise are missing, NaN or negative."""


class CoordinateError(SiteError):
    """Coordinates are missing, not numbers, or not British National Grid metres (EPSG:27700)."""


class ParameterError(SiteError):
    """k, the radius or the target share is out of range."""


@dataclass(frozen=True, eq=False)
class SiteRecommendation:
    """New hub sites chosen by the MCLP, listed in order of marginal gain.

    Attributes
    ----------
    sites : tuple of int
        Candidate column indices (into the cost matrix / candidates frame), best first: each
        site is the one of the optimal set that adds most newly reached weight given the ones
        before it (greedy ordering of an optimal set).
    new_weight : tuple of float
        Weight newly reached by each site, in the same order (non-increasing).
    cumulative_weight : tuple of float
        Weight reached (existing hubs included) after adding sites 1..i.
    cumulative_share : tuple of float
        ``cumulative_weight`` as a share (0–1) of ``total_weight``.
    alternatives : tuple of tuple of int
        For each site, the other candidates that reach exactly the same uncovered demand
        (interchangeable with it for this objective).
    total_weight, before_weight, after_weight : float
        All weight; weight reached by existing hubs; weight reached with the new sites.
    covered_before, covered_after : numpy.ndarray of bool
        Per demand point, reached before / after the new sites.
    k_requested : int
        The k the planner asked for (``len(sites)`` can be smaller; see ``message``).
    radius_m : float
        Reach radius used (a demand point is reached if its distance is <= radius).
    solve_seconds : float
        Wall time for presolve, model build and CBC solve.
    model_shape : tuple of int
        (demand rows, candidate columns) of the model sent to the solver after presolve
        ((0, 0) when no solve was needed).
    message : str or None
        Plain-English note when fewer than ``k_requested`` useful sites exist.
    """

    sites: tuple[int, ...]
    new_weight: tuple[float, ...]
    cumulative_weight: tuple[float, ...]
    cumulative_share: tuple[float, ...]
    alternatives: tuple[tuple[int, ...], ...]
    total_weight: float
    before_weight: float
    after_weight: float
    covered_before: np.ndarray = field(repr=False)
    covered_after: np.ndarray = field(repr=False)
    k_requested: int
    radius_m: float
    solve_seconds: float
    model_shape: tuple[int, int]
    message: str | None = None

    @property
    def before_share(self) -> float:
        """Share (0–1) of the total weight reached by existing hubs."""
        return _share(self.before_weight, self.total_weight)

    @property
    def after_share(self) -> float:
        """Share (0–1) of the total weight reached with the new sites added."""
        return _share(self.after_weight, self.total_weight)

    @property
    def gained_weight(self) -> float:
        """Weight newly reached by the new sites together."""
        return self.after_weight - self.before_weight


@dataclass(frozen=True)
class SitesNeeded:
    """Answer to "how many new hubs to reach X% of the weight" (existing hubs kept).

    ``n_sites`` is the minimum number of new hubs (0 if existing hubs already reach the target),
    or None when the target cannot be reached within ``max_k`` or at all (see ``message``).
    ``recommendation`` is the optimal plan for ``n_sites`` (or for the best attempt when the
    target is out of reach).
    """

    target_share: float
    n_sites: int | None
    reached_share: float
    recommendation: SiteRecommendation | None
    message: str | None = None


@dataclass(frozen=True)
class _Reduced:
    """The presolved model: only what the k new sites can still change."""

    cover: np.ndarray  # (n_demand, n_candidates) bool, full instance
    weights: np.ndarray  # (n_demand,) float
    covered_before: np.ndarray  # (n_demand,) bool
    open_rows: np.ndarray  # demand indices not yet reached and with positive weight
    reps: np.ndarray  # candidate index standing for each distinct useful column
    groups: tuple[tuple[int, ...], ...]  # all candidates sharing each rep's column
    model_cols: np.ndarray  # positions in reps kept after dominance removal
    row_cover: np.ndarray  # (n_rows, len(model_cols)) bool, identical demand rows merged
    row_weight: np.ndarray  # (n_rows,) summed weight
    n_existing: int
    radius_m: float


# --------------------------------------------------------------------------------------------
# Numeric core
# --------------------------------------------------------------------------------------------


def recommend_sites_from_matrix(
    cost: np.ndarray,
    weights: np.ndarray,
    k: int,
    radius_m: float,
    existing_cost: np.ndarray | None = None,
) -> SiteRecommendation:
    """Place k new hubs to maximise newly reached weight, keeping existing hubs (MCLP).

    Parameters
    ----------
    cost : numpy.ndarray, shape (n_demand, n_candidates)
        Distance (metres) from each demand point to each candidate site.
    weights : numpy.ndarray, shape (n_demand,)
        Non-negative weight of each demand point (e.g. at-risk people).
    k : int
        Number of new hubs, 1–20.
    radius_m : float
        Reach radius in metres; a point is reached if its distance is <= radius. A radius of 0
        reaches nothing.
    existing_cost : numpy.ndarray, shape (n_demand, n_existing), optional
        Distance to existing hubs, which are kept as they are (predefined facilities).

    Returns
    -------
    SiteRecommendation
        Fewer than k sites, with a ``message``, when fewer than k sites add anything.

    Examples
    --------
    >>> cost = np.array([[0.0, 900.0], [900.0, 0.0], [100.0, 900.0]])
    >>> rec = recommend_sites_from_matrix(cost, np.array([5.0, 3.0, 1.0]), k=1, radius_m=500)
    >>> rec.sites, rec.new_weight
    ((0,), (6.0,))
    """
    _check_k(k)
    start = time.perf_counter()
    red = _presolve(cost, weights, radius_m, existing_cost)
    rec = _recommend(red, k)
    return replace(rec, solve_seconds=time.perf_counter() - start)


def coverage_curve_from_matrix(
    cost: np.ndarray,
    weights: np.ndarray,
    k_max: int,
    radius_m: float,
    existing_cost: np.ndarray | None = None,
) -> pd.DataFrame:
    """Optimal reached weight for every k = 0..k_max (k = 0 is existing hubs only).

    Each k is solved exactly with the MCLP, so the plans for different k need not be nested;
    the curve is non-decreasing and flattens once no site adds anything.

    Returns
    -------
    pandas.DataFrame
        Columns ``k``, ``reached_weight``, ``reached_share`` (0–1), ``added_weight`` (over k - 1).
    """
    _check_k(k_max)
    red = _presolve(cost, weights, radius_m, existing_cost)
    total = float(red.weights.sum())
    before = float(red.weights[red.covered_before].sum())
    reached = [before]
    best = before
    ceiling = before + float(red.row_weight.sum())
    for k in range(1, k_max + 1):
        # Once everything reachable is reached, larger k cannot add more: skip the solves.
        if best < ceiling - _tol(total):
            best = _recommend(red, k).after_weight
        reached.append(best)
    out = pd.DataFrame({"k": np.arange(k_max + 1), "reached_weight": reached})
    out["reached_share"] = [_share(v, total) for v in reached]
    out["added_weight"] = out["reached_weight"].diff().fillna(0.0)
    return out


def sites_needed_for_share_from_matrix(
    cost: np.ndarray,
    weights: np.ndarray,
    target_share: float,
    radius_m: float,
    existing_cost: np.ndarray | None = None,
    max_k: int = K_MAX,
) -> SitesNeeded:
    """Minimum number of new hubs so that at least ``target_share`` of the weight is reached.

    LSCP covers every demand point and cannot express "X%", so this searches k with the
    exact MCLP: optimal reach never falls as k grows, and a greedy pass gives an upper bound,
    so a binary search over 1..min(greedy k, max_k) needs only a few solves.

    Parameters
    ----------
    target_share : float
        Wanted share of the total weight, in (0, 1].
    max_k : int
        Largest number of new hubs to consider (1–20).
    """
    if not 0 < target_share <= 1 or not np.isfinite(target_share):
        raise ParameterError(
            f"The target share must be between 0% and 100% (got {target_share!r}); "
            "for example 0.8 for 80%."
        )
    _check_k(max_k)
    red = _presolve(cost, weights, radius_m, existing_cost)
    total = float(red.weights.sum())
    goal = target_share * total - _tol(total)
    before = float(red.weights[red.covered_before].sum())
    if before >= goal:
        return SitesNeeded(target_share, 0, _share(before, total), None, None)

    reachable = before + float(red.row_weight.sum())
    if reachable < goal:
        rec = _recommend(red, max_k)
        return SitesNeeded(
            target_share,
            None,
            rec.after_share,
            rec,
            f"{target_share:.0%} cannot be reached with a {red.radius_m:g} m radius from these "
            f"candidate sites: at most {_share(reachable, total):.1%} of the total is within "
            "reach. Try a larger radius or more candidate sites.",
        )

    upper = min(_greedy_sites_needed(red, goal, before), max_k)
    rec_upper = _recommend(red, upper)
    if rec_upper.after_weight < goal:
        return SitesNeeded(
            target_share,
            None,
            rec_upper.after_share,
            rec_upper,
            f"Reaching {target_share:.0%} needs more than {max_k} new hubs; {max_k} reach "
            f"{rec_upper.after_share:.1%} at best.",
        )
    lo, hi, best = 1, upper, rec_upper
    while lo < hi:
        mid = (lo + hi) // 2
        rec = _recommend(red, mid)
        if rec.after_weight >= goal:
            hi, best = mid, rec
        else:
            lo = mid + 1
    return SitesNeeded(target_share, hi, best.after_share, best, None)


# --------------------------------------------------------------------------------------------
# DataFrame adapter
# --------------------------------------------------------------------------------------------


def recommend_sites(
    demand: pd.DataFrame,
    candidates: pd.DataFrame,
    existing_hubs: pd.DataFrame | None,
    weight_col: str,
    k: int,
    radius_m: float,
) -> SiteRecommendation:
    """Place k new hubs among ``candidates`` to reach the most ``weight_col`` in ``demand``.

    Parameters
    ----------
    demand : pandas.DataFrame
        One row per demand point with ``weight_col`` and ``X``/``Y`` (EPSG:27700 metres; the
        app passes residential postcodes, see ``spread_to_postcodes``) or, without ``X``/``Y``,
        LSOA centres ``PWC_X``/``PWC_Y``. Points reached by the same candidates are merged
        before the solve (``collapse_demand``), which leaves the optimum unchanged; the
        recommendation's ``covered_before``/``covered_after`` are then per merged group.
    candidates : pandas.DataFrame
        Candidate sites with ``X``/``Y`` in EPSG:27700 metres (see ``lsoa_candidates`` for the
        default one-per-LSOA set, or utils.venues for uploaded venues).
    existing_hubs : pandas.DataFrame or None
        Open hubs with ``X``/``Y`` in EPSG:27700 metres; kept where they are.
    weight_col : str
        Column of ``demand`` to maximise (see ``demand_weights``).
    k : int
        Number of new hubs (1–20).
    radius_m : float
        Reach radius in metres.

    Returns
    -------
    SiteRecommendation
        ``sites`` are positions (0-based, ``iloc``) into ``candidates``; use
        ``recommendation_table`` for the planner's table.
    """
    cost, weights, existing_cost = _matrices(
        demand, candidates, existing_hubs, weight_col, radius_m
    )
    return recommend_sites_from_matrix(cost, weights, k, radius_m, existing_cost)


def coverage_curve(
    demand: pd.DataFrame,
    candidates: pd.DataFrame,
    existing_hubs: pd.DataFrame | None,
    weight_col: str,
    k_max: int,
    radius_m: float,
) -> pd.DataFrame:
    """Optimal reach for k = 0..k_max new hubs (see ``coverage_curve_from_matrix``)."""
    cost, weights, existing_cost = _matrices(
        demand, candidates, existing_hubs, weight_col, radius_m
    )
    return coverage_curve_from_matrix(cost, weights, k_max, radius_m, existing_cost)


def sites_needed_for_share(
    demand: pd.DataFrame,
    candidates: pd.DataFrame,
    existing_hubs: pd.DataFrame | None,
    weight_col: str,
    target_share: float,
    radius_m: float,
    max_k: int = K_MAX,
) -> SitesNeeded:
    """Fewest new hubs to reach ``target_share`` of the weight (see the ``_from_matrix`` form)."""
    cost, weights, existing_cost = _matrices(
        demand, candidates, existing_hubs, weight_col, radius_m
    )
    return sites_needed_for_share_from_matrix(
        cost, weights, target_share, radius_m, existing_cost, max_k
    )


def lsoa_candidates(lsoas: pd.DataFrame) -> pd.DataFrame:
    """Default candidate sites: one per LSOA at its population-weighted centre.

    Returns a plain DataFrame with ``HUB_NAME`` (the LSOA name, or code), ``LSOA``, ``LCP``
    (when ``lsoas`` has it), ``X`` and ``Y`` (EPSG:27700 metres), in the order of ``lsoas``.
    """
    _require_columns(lsoas, [LSOA, PWC_X, PWC_Y], "The LSOA table")
    names = lsoas[LSOA_NAME] if LSOA_NAME in lsoas.columns else lsoas[LSOA]
    out = pd.DataFrame(
        {
            HUB_NAME: names.astype("string").to_numpy(),
            LSOA: lsoas[LSOA].astype("string").to_numpy(),
            X: pd.to_numeric(lsoas[PWC_X], errors="coerce").to_numpy(dtype=float),
            Y: pd.to_numeric(lsoas[PWC_Y], errors="coerce").to_numpy(dtype=float),
        }
    )
    if LCP in lsoas.columns:
        out.insert(2, LCP, lsoas[LCP].to_numpy())
    return out


def demand_weights(lsoas: pd.DataFrame, objective: str) -> pd.Series:
    """The weight each LSOA contributes for an objective key of ``OBJECTIVES``.

    ``at_risk`` is ``POP_TOTAL`` where the boolean ``AT_RISK`` flag is set, else 0: the
    residents of at-risk LSOAs, the one meaning of "at-risk residents" across the app.
    ``risk_weighted`` ("risk-weighted residents") is ``RISK_INDEX / 10 × POP_TOTAL`` (the index
    runs 0–10, see utils.risk, so an LSOA at the top of the scale counts all its residents, one
    at 5 counts half); it ignores the flag. ``deprived`` is ``POP_TOTAL`` where ``IMD_DECILE``
    is 1 or 2, else 0; ``older`` is ``POP_60PLUS``; ``total`` is ``POP_TOTAL``. A missing input
    gives a NaN weight (never 0), so the planner is told rather than the LSOA silently ignored.

    Examples
    --------
    >>> lsoas = pd.DataFrame({RISK_INDEX: [10.0, 2.5], POP_TOTAL: [1000.0, 2000.0]})
    >>> demand_weights(lsoas, "risk_weighted").tolist()
    [1000.0, 500.0]
    >>> lsoas[AT_RISK] = [True, False]
    >>> demand_weights(lsoas, "at_risk").tolist()
    [1000.0, 0.0]
    """
    if objective not in OBJECTIVES:
        raise ParameterError(
            f"Unknown objective {objective!r}; choose one of: {', '.join(OBJECTIVES)}."
        )
    if objective == "at_risk":
        _require_columns(lsoas, [AT_RISK, POP_TOTAL], "The LSOA table")
        flag = lsoas[AT_RISK]
        pop = _numeric(lsoas[POP_TOTAL])
        w = pop.where(flag.fillna(False).astype(bool), 0.0).where(flag.notna())
    elif objective == "risk_weighted":
        _require_columns(lsoas, [RISK_INDEX, POP_TOTAL], "The LSOA table")
        risk = _numeric(lsoas[RISK_INDEX])
        if (risk.dropna() > RISK_INDEX_MAX).any() or (risk.dropna() < 0).any():
            raise WeightError(
                f"The exclusion-risk index must be on its 0–{RISK_INDEX_MAX:g} scale to turn it "
                "into a number of people; recompute it with utils.risk.compute_risk_index."
            )
        w = risk / RISK_INDEX_MAX * _numeric(lsoas[POP_TOTAL])
    elif objective == "deprived":
        _require_columns(lsoas, [IMD_DECILE, POP_TOTAL], "The LSOA table")
        decile = _numeric(lsoas[IMD_DECILE])
        # A missing decile stays NaN so the planner is told, rather than counted as 0.
        w = _numeric(lsoas[POP_TOTAL]).where(decile <= 2, 0.0).where(decile.notna())
    elif objective == "older":
        _require_columns(lsoas, [POP_60PLUS], "The LSOA table")
        w = _numeric(lsoas[POP_60PLUS])
    else:
        _require_columns(lsoas, [POP_TOTAL], "The LSOA table")
        w = _numeric(lsoas[POP_TOTAL])
    return w.rename(objective)


def spread_to_postcodes(demand: pd.DataFrame, lsoas: pd.DataFrame, weight_col: str) -> pd.DataFrame:
    """Split each LSOA's weight equally over its demand postcodes (the planner's demand points).

    Parameters
    ----------
    demand
        Demand postcodes with ``LSOA`` and ``X``/``Y`` (``geo.coverage.demand_points``).
    lsoas
        The LSOAs to plan for, with ``LSOA`` and ``weight_col`` (see ``demand_weights``).
        Postcodes of other LSOAs are left out.
    weight_col
        The weight column; it is carried over, divided by the LSOA's number of postcodes.

    Returns
    -------
    pandas.DataFrame
        ``LSOA``, ``X``, ``Y`` and ``weight_col``, one row per postcode of those LSOAs.
    """
    _require_columns(demand, [LSOA, X, Y], "The demand postcodes")
    _require_columns(lsoas, [LSOA, weight_col], "The LSOA table")
    out = pd.DataFrame(demand.loc[demand[LSOA].isin(lsoas[LSOA]), [LSOA, X, Y]])
    counts = out.groupby(LSOA).size()
    missing = sorted(set(lsoas[LSOA]) - set(counts.index))
    if missing:
        raise WeightError(
            f"{len(missing)} LSOA(s) have no residential postcode ({', '.join(missing[:5])}); "
            "their residents cannot be placed."
        )
    per_lsoa = lsoas.set_index(LSOA)[weight_col].astype(float)
    out[weight_col] = out[LSOA].map(per_lsoa / counts).to_numpy(dtype=float)
    return out.reset_index(drop=True)


def recommendation_table(rec: SiteRecommendation, candidates: pd.DataFrame) -> pd.DataFrame:
    """The planner's table: one row per new site in order of marginal gain.

    Columns: ``SITE_RANK`` (1 = first to build), ``SITE_INDEX`` (position in ``candidates``),
    ``SITE_NAME``, ``LSOA`` and ``LCP`` (when ``candidates`` has them), ``X``, ``Y``,
    ``SITE_NEW_WEIGHT``, ``SITE_CUM_WEIGHT`` (existing hubs included) and ``SITE_CUM_SHARE`` (0–1).
    """
    rows = candidates.iloc[list(rec.sites)]
    names = rows[HUB_NAME] if HUB_NAME in rows.columns else pd.Series(rec.sites, dtype="string")
    out = pd.DataFrame(
        {
            SITE_RANK: np.arange(1, len(rec.sites) + 1),
            SITE_INDEX: np.asarray(rec.sites, dtype=int),
            SITE_NAME: names.astype("string").to_numpy(),
        }
    )
    for col in (LSOA, LCP, X, Y):
        if col in rows.columns:
            out[col] = rows[col].to_numpy()
    out[SITE_NEW_WEIGHT] = np.asarray(rec.new_weight, dtype=float)
    out[SITE_CUM_WEIGHT] = np.asarray(rec.cumulative_weight, dtype=float)
    out[SITE_CUM_SHARE] = np.asarray(rec.cumulative_share, dtype=float)
    return out


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else 0.0


def _tol(total: float) -> float:
    return _GAIN_TOL * max(1.0, abs(total))


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ParameterError(f"The number of new hubs must be a whole number (got {k!r}).")
    if not K_MIN <= k <= K_MAX:
        raise ParameterError(
            f"The number of new hubs must be between {K_MIN} and {K_MAX} (got {k})."
        )


def _check_radius(radius_m: float) -> float:
    try:
        r = float(radius_m)
    except (TypeError, ValueError):
        raise ParameterError(
            f"The reach radius must be a number of metres (got {radius_m!r})."
        ) from None
    if not np.isfinite(r) or r < 0:
        raise ParameterError(f"The reach radius must be zero or more metres (got {radius_m!r}).")
    return r


def _as_cost(cost: np.ndarray, n_demand: int, what: str) -> np.ndarray:
    arr = np.asarray(cost, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != n_demand:
        raise CoordinateError(
            f"The distances to {what} must be a table of {n_demand} demand rows "
            f"(got shape {arr.shape})."
        )
    if np.isnan(arr).any():
        raise CoordinateError(
            f"Some distances to {what} are missing: check that every site has coordinates."
        )
    if (arr < 0).any():
        raise CoordinateError(f"Distances to {what} cannot be negative.")
    return arr


def _presolve(
    cost: np.ndarray,
    weights: np.ndarray,
    radius_m: float,
    existing_cost: np.ndarray | None,
) -> _Reduced:
    """Shrink the instance without changing the optimum.

    Steps, each exact: drop demand already reached by existing hubs or with zero weight; drop
    candidates that reach none of what is left; collapse candidates with identical reach;
    drop candidates whose reach is a strict subset of another's (an optimal plan never needs
    them while at least k non-dominated candidates remain, and when fewer remain all of them
    together reach everything reachable); merge demand points with identical reach, summing
    weight.
    """
    r = _check_radius(radius_m)
    w = np.asarray(weights, dtype=float).reshape(-1)
    if w.size == 0:
        raise WeightError("There are no demand points (LSOAs) in the chosen area.")
    if np.isnan(w).any():
        raise WeightError(
            f"{int(np.isnan(w).sum())} demand point(s) have no weight (NaN); "
            "check the chosen measure is available for every LSOA."
        )
    if np.isinf(w).any() or (w < 0).any():
        raise WeightError("Weights must be finite and zero or more.")
    c = _as_cost(cost, w.size, "candidate sites")
    if c.shape[1] == 0:
        raise NoCandidatesError(
            "There are no candidate sites in the chosen area; choose a larger area or upload "
            "venues there."
        )
    n_existing = 0
    covered_before = np.zeros(w.size, dtype=bool)
    if existing_cost is not None:
        e = _as_cost(existing_cost, w.size, "existing hubs")
        n_existing = e.shape[1]
        if r > 0 and n_existing:
            covered_before = (e <= r).any(axis=1)
    # A radius of zero reaches nothing, even a candidate sitting exactly on a demand point.
    cover = c <= r if r > 0 else np.zeros(c.shape, dtype=bool)

    open_rows = np.flatnonzero(~covered_before & (w > 0))
    sub = cover[open_rows]
    useful = np.flatnonzero(sub.any(axis=0))
    if useful.size:
        packed = np.packbits(sub[:, useful], axis=0).T
        _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        # np.unique sorts by bit pattern; reorder by first occurrence so reps keep input order.
        order = np.argsort(first)
        reps = useful[first[order]]
        rank_of = np.empty_like(order)
        rank_of[order] = np.arange(order.size)
        members: list[list[int]] = [[] for _ in range(order.size)]
        for col, grp in zip(useful, rank_of[inverse], strict=True):
            members[grp].append(int(col))
        groups = tuple(tuple(m) for m in members)
        distinct = sub[:, reps]
        inc = distinct.astype(np.float32)
        overlap = inc.T @ inc
        size = inc.sum(axis=0)
        dominated = ((overlap == size[:, None]) & (size[None, :] > size[:, None])).any(axis=1)
        model_cols = np.flatnonzero(~dominated)
        rows_kept = distinct[:, model_cols]
        # Unique rows on packed bits (same lexicographic order as on the booleans, far faster).
        packed_rows = np.packbits(rows_kept, axis=1)
        _, row_first, row_inv = np.unique(
            packed_rows, axis=0, return_index=True, return_inverse=True
        )
        row_pat = rows_kept[row_first]
        row_weight = np.bincount(row_inv.reshape(-1), weights=w[open_rows], minlength=len(row_pat))
        keep = row_pat.any(axis=1)
        row_cover, row_weight = row_pat[keep], row_weight[keep]
    else:
        reps = np.empty(0, dtype=int)
        groups = ()
        model_cols = np.empty(0, dtype=int)
        row_cover = np.zeros((0, 0), dtype=bool)
        row_weight = np.zeros(0)
    return _Reduced(
        cover=cover,
        weights=w,
        covered_before=covered_before,
        open_rows=open_rows,
        reps=reps,
        groups=groups,
        model_cols=model_cols,
        row_cover=row_cover,
        row_weight=row_weight,
        n_existing=n_existing,
        radius_m=r,
    )


def _mclp_model(cover: np.ndarray, weights: np.ndarray, p: int, n_fixed: int) -> MCLP:
    """spopt's MCLP formulation, built from a 0/1 coverage matrix one non-zero at a time.

    Same variables (spopt's ``FacilityModelBuilder``), objective, coverage constraints
    (sum of facilities within reach >= client reached), predefined-facility constraint and
    ``sum(facilities) == p`` as ``MCLP.from_cost_matrix``; that method loops over every
    (demand, facility) pair in Python, which alone took 2-4 s on a Leeds-sized model, while
    coverage is sparse (a site reaches a few LSOAs), so here only the non-zeros are visited.
    The first ``n_fixed`` facilities are predefined (existing hubs).
    """
    n_cli, n_fac = cover.shape
    mclp = MCLP("hub_sites", pulp.LpProblem("hub_sites", pulp.LpMaximize))
    FacilityModelBuilder.add_facility_integer_variable(mclp, range(n_fac), "x[{i}]")
    FacilityModelBuilder.add_client_integer_variable(mclp, range(n_cli), "y[{i}]")
    mclp.aij = cover.astype(float)
    fac_vars, cli_vars, problem = mclp.fac_vars, mclp.cli_vars, mclp.problem
    problem += (
        pulp.LpAffineExpression(zip(cli_vars, (float(v) for v in weights), strict=True)),
        "objective function",
    )
    if n_fixed:
        predefined = np.r_[np.ones(n_fixed, dtype=int), np.zeros(n_fac - n_fixed, dtype=int)]
        FacilityModelBuilder.add_predefined_facility_constraint(mclp, predefined)
    for i in range(n_cli):
        terms = [(fac_vars[j], 1.0) for j in np.flatnonzero(cover[i])]
        terms.append((cli_vars[i], -1.0))
        problem += pulp.LpAffineExpression(terms) >= 0
    FacilityModelBuilder.add_facility_constraint(mclp, p)
    return mclp


def _solve_mclp(red: _Reduced, k: int) -> np.ndarray:
    """Solve the reduced MCLP with spopt + CBC; return chosen positions into ``red.model_cols``.

    Existing hubs go in as predefined facilities (p = n_existing + k). After presolve they reach
    none of the remaining demand, so their columns never cover anything, but keeping them in
    the model states the problem as "existing hubs fixed plus k new ones".
    """
    n_rows, n_cols = red.row_cover.shape
    n_e = red.n_existing
    cover_all = np.hstack([np.zeros((n_rows, n_e), dtype=bool), red.row_cover])
    model = _mclp_model(cover_all, red.row_weight, n_e + k, n_e)
    try:
        model.solve(_SOLVER(), results=False)
    except (RuntimeError, pulp.PulpSolverError) as err:
        # spopt raises RuntimeError when CBC stops short of a proven optimum.
        raise SiteError(f"The optimiser did not find a solution: {err}") from err
    chosen = np.array([(v.value() or 0) > 0.5 for v in model.fac_vars])
    if n_e and not chosen[:n_e].all():
        raise SiteError("The optimiser dropped an existing hub; this is a bug, please report it.")
    return np.flatnonzero(chosen[n_e:])


def _recommend(red: _Reduced, k: int) -> SiteRecommendation:
    start = time.perf_counter()
    n_model = red.model_cols.size
    if n_model <= k:
        # At most k non-dominated candidates: taking them all reaches everything reachable.
        picked = red.reps[red.model_cols]
        shape = (0, 0)
    else:
        picked = red.reps[red.model_cols[_solve_mclp(red, k)]]
        shape = (red.row_cover.shape[0], n_model + red.n_existing)
    order, gains = _greedy_order(red, picked)
    keep = [i for i, g in enumerate(gains) if g > _tol(float(red.weights.sum()))]
    sites = tuple(int(order[i]) for i in keep)
    new_weight = tuple(float(gains[i]) for i in keep)

    total = float(red.weights.sum())
    before = float(red.weights[red.covered_before].sum())
    cumulative = tuple(float(v) for v in before + np.cumsum(new_weight)) if sites else ()
    covered_after = red.covered_before.copy()
    if sites:
        covered_after |= red.cover[:, list(sites)].any(axis=1)
    after = float(red.weights[covered_after].sum())
    rep_group = {int(g[0]): g for g in red.groups}
    alternatives = tuple(tuple(c for c in rep_group.get(s, (s,)) if c != s) for s in sites)

    message = None
    if len(sites) < k:
        if red.radius_m == 0:
            message = "A reach radius of 0 m reaches nobody new; choose a radius above zero."
        elif not sites:
            message = (
                "No candidate site reaches anyone not already reached by existing hubs within "
                f"{red.radius_m:g} m."
            )
        else:
            message = (
                f"Only {len(sites)} new site(s) reach anyone not already reached within "
                f"{red.radius_m:g} m; showing those instead of {k}."
            )
    return SiteRecommendation(
        sites=sites,
        new_weight=new_weight,
        cumulative_weight=cumulative,
        cumulative_share=tuple(_share(v, total) for v in cumulative),
        alternatives=alternatives,
        total_weight=total,
        before_weight=before,
        after_weight=after,
        covered_before=red.covered_before.copy(),
        covered_after=covered_after,
        k_requested=k,
        radius_m=red.radius_m,
        solve_seconds=time.perf_counter() - start,
        model_shape=shape,
        message=message,
    )


def _greedy_order(red: _Reduced, picked: np.ndarray) -> tuple[list[int], list[float]]:
    """Order a set of sites so each next one adds the most new weight (ties: lower index)."""
    rows = red.open_rows
    cover = red.cover[np.ix_(rows, picked)]
    w = red.weights[rows]
    reached = np.zeros(rows.size, dtype=bool)
    left = list(range(picked.size))
    order: list[int] = []
    gains: list[float] = []
    while left:
        g = np.array([w[cover[:, j] & ~reached].sum() for j in left])
        ties = np.flatnonzero(g >= g.max() - _tol(float(w.sum())))
        best = int(min(ties, key=lambda i: picked[left[i]]))
        j = left.pop(best)
        order.append(int(picked[j]))
        gains.append(float(g[best]))
        reached |= cover[:, j]
    return order, gains


def _greedy_sites_needed(red: _Reduced, goal: float, before: float) -> int:
    """Sites the plain greedy heuristic needs to reach ``goal`` (an upper bound on the optimum)."""
    if red.model_cols.size == 0:
        return 1
    cover = red.row_cover
    w = red.row_weight
    reached = np.zeros(cover.shape[0], dtype=bool)
    got = before
    n = 0
    while got < goal and n < cover.shape[1]:
        gains = (cover & ~reached[:, None]).T.astype(float) @ w
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        reached |= cover[:, j]
        got += float(gains[j])
        n += 1
    return max(n, 1)


def _numeric(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype(float)


def _require_columns(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise SiteError(f"{what} is missing column(s): {', '.join(missing)}.")


def _coords(df: pd.DataFrame, xcol: str, ycol: str, what: str) -> np.ndarray:
    """(n, 2) EPSG:27700 metres from two columns, or a CoordinateError saying what is wrong."""
    _require_columns(df, [xcol, ycol], what)
    xy = np.column_stack([_numeric(df[xcol]).to_numpy(), _numeric(df[ycol]).to_numpy()])
    bad = np.isnan(xy).any(axis=1)
    if bad.any():
        labels = ", ".join(str(v) for v in _labels(df)[bad][:5])
        raise CoordinateError(
            f"{what}: {int(bad.sum())} row(s) have no coordinates ({labels}); "
            "every site needs British National Grid coordinates."
        )
    if len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        raise CoordinateError(
            f"{what}: the coordinates look like longitude/latitude degrees; the planner needs "
            "British National Grid (EPSG:27700) metres."
        )
    out = (
        (xy[:, 0] < _BNG_X[0])
        | (xy[:, 0] > _BNG_X[1])
        | (xy[:, 1] < _BNG_Y[0])
        | (xy[:, 1] > _BNG_Y[1])
    )
    if out.any():
        labels = ", ".join(str(v) for v in _labels(df)[out][:5])
        raise CoordinateError(
            f"{what}: {int(out.sum())} row(s) are outside Great Britain in British National "
            f"Grid (EPSG:27700) metres ({labels})."
        )
    return xy


def _labels(df: pd.DataFrame) -> np.ndarray:
    for col in (HUB_NAME, LSOA):
        if col in df.columns:
            return df[col].astype("string").fillna("?").to_numpy()
    return np.array([f"row {i + 1}" for i in range(len(df))])


def _demand_xy(demand: pd.DataFrame) -> np.ndarray:
    """Demand coordinates: postcode points (``X``/``Y``) when given, else LSOA centres."""
    if X in demand.columns and Y in demand.columns:
        return _coords(demand, X, Y, "Demand points")
    return _coords(demand, PWC_X, PWC_Y, "Demand points")


def collapse_demand(
    demand_xy: np.ndarray,
    weights: np.ndarray,
    candidate_xy: np.ndarray,
    existing_xy: np.ndarray | None,
    radius_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Merge demand points that the same candidates reach into one weighted point (exact).

    Two demand points reached by the same set of candidate sites, and both reached or both not
    reached by existing hubs, count identically in every plan, so summing their weight leaves
    every plan's reach, and hence the optimum, unchanged. Points already reached by existing
    hubs all fall in one group. Only pairs within the radius are ever measured (k-d trees), so
    30,000 postcodes x 1,000 candidates never form a dense distance matrix.

    Parameters
    ----------
    demand_xy, candidate_xy, existing_xy
        ``(n, 2)``, ``(m, 2)`` and ``(e, 2)`` EPSG:27700 metres (``existing_xy`` may be None).
    weights
        ``(n,)`` weight per demand point.
    radius_m
        Reach radius in metres (boundary inclusive).

    Returns
    -------
    cost, weights, existing_cost, group
        A ``(g, m)`` cost matrix with 0 where a candidate reaches the group and inf where it
        does not, the ``(g,)`` summed weights, a ``(g, e)`` cost matrix for existing hubs (or
        None) and the ``(n,)`` group of each demand point. Pass the first three to the
        ``*_from_matrix`` functions with the same ``radius_m``.
    """
    from scipy.spatial import cKDTree

    r = _check_radius(radius_m)
    w = np.asarray(weights, dtype=float).reshape(-1)
    n, m = len(demand_xy), len(candidate_xy)
    before = np.zeros(n, dtype=bool)
    n_e = 0 if existing_xy is None else len(existing_xy)
    if n_e and n:
        dist, _ = cKDTree(existing_xy).query(demand_xy, k=1)
        before = dist <= r
    # Which candidates reach which points: one ball query per candidate on a tree of the points
    # (1,000 queries, not 30,000), as flat (point, candidate) pairs. query_ball_point counts a
    # point at exactly the radius as within it (<=), like the solver's ``cost <= radius``.
    rows = np.empty(0, dtype=np.intp)
    cols = np.empty(0, dtype=np.intp)
    if m and n:
        found = cKDTree(demand_xy).query_ball_point(candidate_xy, r)
        lengths = np.fromiter((len(f) for f in found), dtype=np.intp, count=m)
        if lengths.sum():
            rows = np.concatenate([np.asarray(f, dtype=np.intp) for f in found if len(f)])
            cols = np.repeat(np.arange(m, dtype=np.intp), lengths)
        keep = ~before[rows]
        rows, cols = rows[keep], cols[keep]
    group = _group_by_reach(n, m, rows, cols, before)
    g = int(group.max()) + 1 if n else 0
    cost = np.full((g, m), np.inf)
    cost[group[rows], cols] = 0.0
    existing_cost = None
    if n_e:
        existing_cost = np.full((g, n_e), np.inf)
        existing_cost[np.unique(group[before])] = 0.0
    return cost, np.bincount(group, weights=w, minlength=g), existing_cost, group


def _group_by_reach(
    n: int, m: int, rows: np.ndarray, cols: np.ndarray, before: np.ndarray
) -> np.ndarray:
    """Group id per point: same group <=> same reaching candidates (and same ``before``).

    Points are keyed by two 64-bit hashes of their candidate set, then the grouping is checked
    exactly (every member of a group reaches every candidate any member reaches); if a hash
    ever collided, the exact (slower) tuple grouping is used instead.
    """
    rng = np.random.default_rng(20_251_130)
    h1, h2 = (rng.integers(0, 2**63, m, dtype=np.uint64) for _ in range(2))
    sig1 = np.zeros(n, dtype=np.uint64)
    sig2 = np.zeros(n, dtype=np.uint64)
    np.add.at(sig1, rows, h1[cols])
    np.add.at(sig2, rows, h2[cols])
    count = np.bincount(rows, minlength=n)
    keys = np.column_stack([before.astype(np.uint64), count.astype(np.uint64), sig1, sig2])
    _, group = np.unique(keys, axis=0, return_inverse=True)
    group = group.reshape(-1).astype(np.intp)
    size = np.bincount(group)
    pair, pair_count = np.unique(group[rows] * np.int64(m) + cols, return_counts=True)
    if (pair_count == size[pair // m]).all():
        return group
    sets: list[list[int]] = [[] for _ in range(n)]
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        sets[i].append(j)
    ids: dict[tuple, int] = {}
    return np.array(
        [
            ids.setdefault((bool(b), tuple(sorted(s))), len(ids))
            for b, s in zip(before, sets, strict=True)
        ],
        dtype=np.intp,
    )


def _matrices(
    demand: pd.DataFrame,
    candidates: pd.DataFrame,
    existing_hubs: pd.DataFrame | None,
    weight_col: str,
    radius_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    if len(demand) == 0:
        raise WeightError("There are no demand points (LSOAs) in the chosen area.")
    if candidates is None or len(candidates) == 0:
        raise NoCandidatesError(
            "There are no candidate sites in the chosen area; choose a larger area or upload "
            "venues there."
        )
    _require_columns(demand, [weight_col], "The demand table")
    weights = _numeric(demand[weight_col]).to_numpy()
    nan = np.isnan(weights)
    if nan.any():
        labels = ", ".join(str(v) for v in _labels(demand)[nan][:5])
        raise WeightError(
            f"{int(nan.sum())} LSOA(s) have no value for {weight_col!r} ({labels}); "
            "choose another measure or fill the gaps."
        )
    if np.isinf(weights).any() or (weights < 0).any():
        raise WeightError("Weights must be finite and zero or more.")
    d_xy = _demand_xy(demand)
    c_xy = _coords(candidates, X, Y, "Candidate sites")
    e_xy = None
    if existing_hubs is not None and len(existing_hubs):
        e_xy = _coords(existing_hubs, X, Y, "Existing hubs")
    cost, w, existing_cost, _group = collapse_demand(d_xy, weights, c_xy, e_xy, radius_m)
    return cost, w, existing_cost


__all__ = [
    "K_MAX",
    "K_MIN",
    "OBJECTIVES",
    "RISK_INDEX_MAX",
    "CoordinateError",
    "NoCandidatesError",
    "ParameterError",
    "SiteError",
    "SiteRecommendation",
    "SitesNeeded",
    "WeightError",
    "coverage_curve",
    "collapse_demand",
    "coverage_curve_from_matrix",
    "demand_weights",
    "lsoa_candidates",
    "recommend_sites",
    "recommend_sites_from_matrix",
    "recommendation_table",
    "sites_needed_for_share",
    "sites_needed_for_share_from_matrix",
    "spread_to_postcodes",
]
