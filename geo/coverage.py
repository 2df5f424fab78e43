"""Hub coverage measured where people live: postcodes to the nearest open hub, summed per LSOA.

Demand points are postcodes (``demand_points``): each LSOA's residents are split equally over
its residential postcodes, so an LSOA's *share within reach* is the fraction of its demand
postcodes within the radius and its residents within reach are residents x share.

Design
------
The numeric core works on ``(n, 2)`` arrays of EPSG:27700 metres (``nearest_distance``,
``distance_matrix``); the frame-level functions validate inputs and call a *distance model*.
The default model, ``StraightLine``, measures Euclidean (crow-fly) distance with a k-d tree.

To use walking-network distance later, write a class with the same two methods as the
``DistanceModel`` protocol and pass it as ``model=``, for example::

    class WalkingNetwork:
        def __init__(self, graph):           # e.g. an OSMnx walk graph projected to 27700
            self.graph = graph
        def matrix(self, demand_xy, facility_xy):
            # snap both point sets to graph nodes, then
            # scipy.sparse.csgraph.dijkstra(..., indices=facility_nodes) -> (n, m) metres
            ...
        def nearest(self, demand_xy, facility_xy):
            d = self.matrix(demand_xy, facility_xy)
            return d.min(axis=1), d.argmin(axis=1)   # handle m == 0 as in nearest_distance

    coverage_by_lsoa(lsoas, hubs, 800, model=WalkingNetwork(graph))

Nothing else changes: the model measures from each demand postcode, and coverage, summaries
and gap rankings only read the per-postcode distances it returns.
The site planner can share ``distance_matrix`` (or ``model.matrix``) as its cost matrix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from utils.constants import (
    AREA,
    AT_RISK,
    AT_RISK_COVERED_PCT,
    AT_RISK_COVERED_POP,
    AT_RISK_POP,
    COVERED,
    COVERED_PCT,
    COVERED_POP,
    DEMAND_RESIDENTS,
    GAP_RANK,
    HUB_ID,
    HUB_LAT,
    HUB_LON,
    HUBS_PER_10K_AT_RISK,
    LCP,
    LCP_STATUS,
    LEEDS_LABEL,
    LSOA,
    LSOA_NAME,
    N_DEMAND,
    N_HUBS,
    N_LSOAS,
    NEAREST_HUB,
    NEAREST_HUB_IDX,
    NEAREST_HUB_M,
    NO_GROUP_LABEL,
    POP_TOTAL,
    POPULATION,
    PWC_X,
    PWC_Y,
    QUADRANT,
    RISK_INDEX,
    SHARE_WITHIN_REACH,
    UNCOVERED_AT_RISK_POP,
    X,
    Y,
)

__all__ = [
    "AREA",
    "AT_RISK_COVERED_PCT",
    "AT_RISK_COVERED_POP",
    "AT_RISK_POP",
    "COVERED_PCT",
    "COVERED_POP",
    "GAP_RANK",
    "HUBS_PER_10K_AT_RISK",
    "N_HUBS",
    "N_LSOAS",
    "NEAREST_HUB",
    "NEAREST_HUB_IDX",
    "POPULATION",
    "QUADRANT",
    "UNCOVERED_AT_RISK_POP",
    "DEMAND_RESIDENTS",
    "N_DEMAND",
    "NON_GEOGRAPHIC_DISTRICTS",
    "SHARE_WITHIN_REACH",
    "CoverageError",
    "DistanceModel",
    "StraightLine",
    "coverage_by_lsoa",
    "demand_points",
    "distance_matrix",
    "hubs_xy",
    "lsoa_positions",
    "nearest_distance",
    "need_vs_coverage",
    "postcode_district",
    "rank_lcp_gaps",
    "rank_lsoa_gaps",
    "summarise_coverage",
    "summarise_leeds_and_groups",
]


class CoverageError(ValueError):
    """Inputs that coverage cannot be computed from (missing columns, bad coordinates)."""


# --- Numeric core ------------------------------------------------------------------------------


def _as_xy(points: np.ndarray | Sequence, what: str) -> np.ndarray:
    arr = np.asarray(points, dtype=float)
    if arr.size == 0:
        return arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise CoverageError(f"{what} must be an (n, 2) array of x, y metres; got {arr.shape}.")
    if not np.isfinite(arr).all():
        bad = int(np.flatnonzero(~np.isfinite(arr).all(axis=1))[0])
        raise CoverageError(f"{what} has a missing or infinite coordinate at row {bad}.")
    return arr


def nearest_distance(
    demand_xy: np.ndarray, facility_xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Straight-line distance from each demand point to its nearest facility.

    Parameters
    ----------
    demand_xy, facility_xy
        ``(n, 2)`` and ``(m, 2)`` arrays of projected coordinates (EPSG:27700 metres).

    Returns
    -------
    dist, idx
        ``(n,)`` float distances and ``(n,)`` int row positions of the nearest facility.
        With no facilities (``m == 0``) every distance is ``inf`` and every index ``-1``.

    Examples
    --------
    >>> d, i = nearest_distance([[0, 0], [10, 0]], [[3, 4]])
    >>> d.tolist(), i.tolist()
    ([5.0, 8.06225774829855], [0, 0])
    """
    demand = _as_xy(demand_xy, "Demand points")
    facility = _as_xy(facility_xy, "Facility points")
    n = len(demand)
    if len(facility) == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.intp)
    if n == 0:
        return np.empty(0), np.empty(0, dtype=np.intp)
    from scipy.spatial import cKDTree

    dist, idx = cKDTree(facility).query(demand, k=1)
    return np.asarray(dist, dtype=float), np.asarray(idx, dtype=np.intp)


def distance_matrix(demand_xy: np.ndarray, facility_xy: np.ndarray) -> np.ndarray:
    """Straight-line distances, ``(n, m)`` metres, between demand and facility points."""
    demand = _as_xy(demand_xy, "Demand points")
    facility = _as_xy(facility_xy, "Facility points")
    if len(demand) == 0 or len(facility) == 0:
        return np.empty((len(demand), len(facility)))
    from scipy.spatial.distance import cdist

    return cdist(demand, facility)


@runtime_checkable
class DistanceModel(Protocol):
    """How distances are measured; swap in a network model with the same two methods."""

    def nearest(
        self, demand_xy: np.ndarray, facility_xy: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest-facility distance and row position per demand point (inf / -1 if none)."""
        ...

    def matrix(self, demand_xy: np.ndarray, facility_xy: np.ndarray) -> np.ndarray:
        """Full ``(n, m)`` distance matrix in metres."""
        ...


class StraightLine:
    """Crow-fly distance in EPSG:27700 metres (the default distance model)."""

    name = "straight line"

    def nearest(
        self, demand_xy: np.ndarray, facility_xy: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """See ``nearest_distance``."""
        return nearest_distance(demand_xy, facility_xy)

    def matrix(self, demand_xy: np.ndarray, facility_xy: np.ndarray) -> np.ndarray:
        """See ``distance_matrix``."""
        return distance_matrix(demand_xy, facility_xy)


# --- Frame validation --------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str, hint: str = "") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CoverageError(
            f"The {what} table lacks column(s) {', '.join(missing)}." + (f" {hint}" if hint else "")
        )


def _coords(frame: pd.DataFrame, xcol: str, ycol: str, what: str, key: str | None) -> np.ndarray:
    xy = frame[[xcol, ycol]].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        pos = np.flatnonzero(bad)
        labels = (frame[key].iloc[pos] if key and key in frame.columns else pd.Series(pos)).astype(
            str
        )
        shown = ", ".join(labels.iloc[:5]) + (" …" if len(pos) > 5 else "")
        raise CoverageError(
            f"{len(pos)} {what} have no coordinates ({xcol}/{ycol}): {shown}. "
            "Fix or remove them before measuring coverage."
        )
    # Longitude/latitude passed as metres would give nonsense distances silently.
    lon_lat = (np.abs(xy[:, 0]) <= 10) & (xy[:, 1] >= 49) & (xy[:, 1] <= 62)
    if len(xy) and lon_lat.all():
        raise CoverageError(
            f"The {what} coordinates look like degrees, not EPSG:27700 metres; "
            "project them to British National Grid first."
        )
    return xy


def hubs_xy(hubs: pd.DataFrame) -> pd.DataFrame:
    """Hubs with ``X``/``Y`` in EPSG:27700 metres, projected from latitude/longitude if needed."""
    if X in hubs.columns and Y in hubs.columns:
        return hubs
    _require(
        hubs,
        [HUB_LAT, HUB_LON],
        "hubs",
        f"Give either {X}/{Y} (EPSG:27700) or {HUB_LAT}/{HUB_LON} (WGS84).",
    )
    from pyproj import Transformer

    lat = hubs[HUB_LAT].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    lon = hubs[HUB_LON].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    tr = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    x, y = tr.transform(lon, lat)
    out = hubs.copy()
    out[X] = x
    out[Y] = y
    return out


# --- Demand points: where people live -----------------------------------------------------------

# Postcode districts of PO boxes and large users, with no residents (Royal Mail non-geographic).
NON_GEOGRAPHIC_DISTRICTS = ("LS88", "LS98", "LS99")


def postcode_district(postcodes: pd.Series) -> pd.Series:
    """The outward code (district) of each postcode, e.g. ``"LS15 7JY"`` -> ``"LS15"``."""
    compact = postcodes.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return compact.str[:-3]


def demand_points(postcodes: pd.DataFrame, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Residential postcodes of the LSOAs, each carrying an equal share of its LSOA's residents.

    A demand postcode is in Leeds (``IN_LEEDS``), lies in one of ``lsoas`` and is not in a
    non-geographic district (``NON_GEOGRAPHIC_DISTRICTS``, PO boxes). For Leeds: 30,659
    postcodes, 16 to 818 per LSOA.

    Parameters
    ----------
    postcodes
        Postcode centroids with ``POSTCODE``, ``IN_LEEDS``, ``LSOA`` and ``X``/``Y`` (EPSG:27700).
    lsoas
        One row per LSOA with ``LSOA`` and ``POP_TOTAL`` (residents, IoD 2025 mid-2022).

    Returns
    -------
    pd.DataFrame
        ``POSTCODE``, ``LSOA``, ``X``, ``Y`` and ``residents`` (the LSOA's residents divided
        equally over its demand postcodes), sorted by LSOA then postcode.

    Raises
    ------
    CoverageError
        When an LSOA has no demand postcode (its residents would be lost).
    """
    from utils.constants import IN_LEEDS, POSTCODE

    _require(postcodes, [POSTCODE, IN_LEEDS, LSOA, X, Y], "postcodes")
    _require(lsoas, [LSOA, POP_TOTAL], "LSOA")
    keep = (
        postcodes[IN_LEEDS].astype(bool)
        & postcodes[LSOA].isin(lsoas[LSOA])
        & ~postcode_district(postcodes[POSTCODE]).isin(NON_GEOGRAPHIC_DISTRICTS).fillna(False)
    )
    out = pd.DataFrame(postcodes.loc[keep, [POSTCODE, LSOA, X, Y]]).reset_index(drop=True)
    counts = out.groupby(LSOA).size()
    missing = sorted(set(lsoas[LSOA]) - set(counts.index))
    if missing:
        raise CoverageError(
            f"{len(missing)} LSOAs have no residential postcode, so their residents cannot be "
            f"placed: {', '.join(missing[:5])}."
        )
    pop = lsoas.set_index(LSOA)[POP_TOTAL].astype(float)
    out[DEMAND_RESIDENTS] = out[LSOA].map(pop / counts).to_numpy(dtype=float)
    return out.sort_values([LSOA, POSTCODE], kind="stable").reset_index(drop=True)


def _centre_demand(lsoas: pd.DataFrame) -> pd.DataFrame:
    """One demand point per LSOA at its population-weighted centre (small fixtures, no postcodes)."""
    return pd.DataFrame({LSOA: lsoas[LSOA].to_numpy(), X: lsoas[PWC_X], Y: lsoas[PWC_Y]})


def lsoa_positions(lsoas: pd.DataFrame, demand: pd.DataFrame) -> np.ndarray:
    """Row position in ``lsoas`` of each demand point's LSOA (-1 when not one of ``lsoas``)."""
    codes = lsoas[LSOA].astype(str).to_numpy()
    if not pd.Index(codes).is_unique:
        raise CoverageError("The LSOA table has repeated LSOA codes.")
    # Factorise the 30,000 codes first and look up only the few hundred distinct ones: many
    # times faster than a lookup per point.
    point_codes, uniques = pd.factorize(demand[LSOA])
    lookup = pd.Index(codes).get_indexer(pd.Index(uniques).astype(str))
    lookup = np.append(lookup, -1)  # factorize marks a missing code -1: keep it -1
    return np.asarray(lookup[point_codes], dtype=np.intp)


# --- Coverage per LSOA -------------------------------------------------------------------------


def coverage_by_lsoa(
    lsoas: pd.DataFrame,
    hubs: pd.DataFrame,
    radius_m: float,
    *,
    demand: pd.DataFrame | None = None,
    at_risk_col: str = AT_RISK,
    model: DistanceModel | None = None,
) -> pd.DataFrame:
    """Share of each LSOA's residents within reach of an open hub, measured at their postcodes.

    Each demand postcode is within reach when its straight-line distance to the nearest open hub
    is at most ``radius_m`` (boundary inclusive). An LSOA's share within reach is the fraction
    of its demand postcodes within reach; its residents within reach (``covered_pop``) are its
    residents times that share.

    Parameters
    ----------
    lsoas
        One row per LSOA with ``LSOA``, ``POP_TOTAL`` and a boolean at-risk column (``AT_RISK``;
        see ``utils.risk.at_risk_flags``); ``PWC_X``/``PWC_Y`` too when ``demand`` is None.
    hubs
        The hubs to count (already filtered to open ones, e.g. with ``utils.hubs.open_on``), with
        ``X``/``Y`` in EPSG:27700 metres (see ``hubs_xy``). May be empty.
    radius_m
        Coverage radius in metres (``RADIUS_CHOICES_M``).
    demand
        Demand points with ``LSOA`` and ``X``/``Y`` (see ``demand_points``; the app passes the
        built Leeds postcodes). Points of other LSOAs are ignored. None: each LSOA's
        population-weighted centre is its only demand point (small fixtures).
    at_risk_col
        Name of the boolean at-risk column.
    model
        Distance model; ``StraightLine()`` by default.

    Returns
    -------
    pd.DataFrame
        A copy of ``lsoas`` (same type and index) plus ``NEAREST_HUB_M`` (shortest distance from
        any of its demand points; inf if no hubs), ``nearest_hub_idx`` (row position in
        ``hubs`` of that hub, -1 if none), ``nearest_hub`` (its ``HUB_ID``, when hubs have one),
        ``demand_postcodes``, ``share_within_reach`` (0-1), ``COVERED`` (at least half the
        residents within reach), ``covered_pop`` (residents within reach), ``at_risk_pop``
        (residents when at risk, else 0) and ``uncovered_at_risk_pop``.
    """
    if not (isinstance(radius_m, int | float) and math.isfinite(radius_m) and radius_m >= 0):
        raise CoverageError(f"The coverage radius must be a distance in metres, not {radius_m!r}.")
    needs = [LSOA, POP_TOTAL, at_risk_col] + ([PWC_X, PWC_Y] if demand is None else [])
    _require(
        lsoas,
        needs,
        "LSOA",
        "Add the at-risk flag with utils.risk.at_risk_flags()." if at_risk_col not in lsoas else "",
    )
    _require(hubs, [X, Y], "hubs", "Project hub locations with geo.coverage.hubs_xy().")
    if demand is None:
        _coords(lsoas, PWC_X, PWC_Y, "LSOAs", LSOA)
        demand = _centre_demand(lsoas)
    else:
        _require(demand, [LSOA, X, Y], "demand points", "Make them with demand_points().")
    pos = lsoa_positions(lsoas, demand)
    inside = pos >= 0
    if not inside.all():
        demand = demand.loc[inside]
        pos = pos[inside]
    counts = np.bincount(pos, minlength=len(lsoas))
    if (counts == 0).any():
        bad = lsoas[LSOA].iloc[np.flatnonzero(counts == 0)[:5]].astype(str)
        raise CoverageError(f"LSOAs without any demand point: {', '.join(bad)}.")
    points = _coords(demand, X, Y, "demand points", LSOA)
    facility = _coords(hubs, X, Y, "hubs", HUB_ID) if len(hubs) else np.empty((0, 2))

    pop = lsoas[POP_TOTAL].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(pop).any():
        bad = lsoas[LSOA].iloc[np.flatnonzero(np.isnan(pop))[:5]].astype(str)
        raise CoverageError(f"LSOAs without a population ({POP_TOTAL}): {', '.join(bad)}.")
    risk = lsoas[at_risk_col]
    if risk.isna().any():
        bad = lsoas[LSOA].loc[risk.isna()].iloc[:5].astype(str)
        raise CoverageError(f"LSOAs without an at-risk flag ({at_risk_col}): {', '.join(bad)}.")
    if not (pd.api.types.is_bool_dtype(risk.dtype) or pd.api.types.infer_dtype(risk) == "boolean"):
        raise CoverageError(f"The at-risk column '{at_risk_col}' must be True/False.")
    at_risk = risk.to_numpy(dtype=bool)

    dist, idx = (model or StraightLine()).nearest(points, facility)
    within = np.bincount(pos, weights=(dist <= radius_m).astype(float), minlength=len(lsoas))
    share = within / counts
    # The closest demand point of each LSOA: sort by (LSOA, distance), take each LSOA's first.
    order = np.lexsort((dist, pos))
    first = order[np.r_[0, np.flatnonzero(np.diff(pos[order])) + 1]]
    nearest_m = np.full(len(lsoas), np.inf)
    nearest_idx = np.full(len(lsoas), -1, dtype=np.intp)
    nearest_m[pos[first]] = dist[first]
    nearest_idx[pos[first]] = idx[first]
    covered_pop = pop * share

    out = lsoas.copy()
    out[NEAREST_HUB_M] = nearest_m
    out[NEAREST_HUB_IDX] = nearest_idx
    if HUB_ID in hubs.columns:
        # reindex by position: -1 (no hub / unreachable) becomes missing.
        out[NEAREST_HUB] = hubs[HUB_ID].reset_index(drop=True).reindex(nearest_idx).array
    out[N_DEMAND] = counts
    out[SHARE_WITHIN_REACH] = share
    out[COVERED] = share >= 0.5
    out[COVERED_POP] = covered_pop
    out[AT_RISK_POP] = np.where(at_risk, pop, 0.0)
    out[UNCOVERED_AT_RISK_POP] = np.where(at_risk, pop - covered_pop, 0.0)
    return out


# --- Summaries and gaps ------------------------------------------------------------------------

_COVERAGE_COLS = (POP_TOTAL, COVERED, COVERED_POP, AT_RISK_POP, UNCOVERED_AT_RISK_POP)


def summarise_coverage(
    by_lsoa: pd.DataFrame,
    group_col: str | None = None,
    hubs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coverage totals for Leeds (``group_col=None``) or per group (e.g. ``LCP``).

    Parameters
    ----------
    by_lsoa
        Output of ``coverage_by_lsoa``.
    group_col
        Column to group by; LSOAs with a blank group are kept as ``"(not assigned)"``.
    hubs
        The hubs used for coverage, to count them. For groups they need a ``group_col``
        column. Without ``hubs`` the hub count and hubs per 10,000 are NaN.

    Returns
    -------
    pd.DataFrame
        One row per area: ``area``, ``n_lsoas``, ``population``, ``covered_pop``,
        ``covered_pct``, ``at_risk_pop``, ``at_risk_covered_pop``, ``at_risk_covered_pct``,
        ``uncovered_at_risk_pop``, ``hubs``, ``hubs_per_10k_at_risk``. Percentages are 0-100
        and NaN where the denominator is zero. Groups with hubs but no LSOAs are included.
        Grouped by ``LCP`` with a ``LCP_STATUS`` column in ``by_lsoa``, each row also carries
        its footprint status (described / approximate / provisional) after ``area``.
    """
    _require(by_lsoa, _COVERAGE_COLS, "coverage", "Run coverage_by_lsoa() first.")
    frame = pd.DataFrame(
        {
            POPULATION: by_lsoa[POP_TOTAL].astype(float).to_numpy(),
            COVERED_POP: by_lsoa[COVERED_POP].to_numpy(dtype=float),
            AT_RISK_POP: by_lsoa[AT_RISK_POP].to_numpy(dtype=float),
            UNCOVERED_AT_RISK_POP: by_lsoa[UNCOVERED_AT_RISK_POP].to_numpy(dtype=float),
        }
    )
    frame[AT_RISK_COVERED_POP] = frame[AT_RISK_POP] - frame[UNCOVERED_AT_RISK_POP]
    frame[N_LSOAS] = 1
    if group_col is None:
        keys = pd.Series([LEEDS_LABEL] * len(frame), dtype=object)
        hub_counts = pd.Series({LEEDS_LABEL: len(hubs)}) if hubs is not None else None
    else:
        _require(by_lsoa, [group_col], "coverage")
        keys = by_lsoa[group_col].astype(object).where(by_lsoa[group_col].notna(), NO_GROUP_LABEL)
        keys = pd.Series(keys.to_numpy(), dtype=object)
        hub_counts = None
        if hubs is not None:
            _require(hubs, [group_col], "hubs", "Assign each hub to an area first.")
            hk = hubs[group_col].astype(object).where(hubs[group_col].notna(), NO_GROUP_LABEL)
            hub_counts = hk.value_counts()
    sums = frame.groupby(keys.to_numpy(), sort=True).sum()
    if hub_counts is not None:
        sums = sums.reindex(sums.index.union(hub_counts.index), fill_value=0)
        sums[N_HUBS] = hub_counts.reindex(sums.index, fill_value=0).astype(int)
    else:
        sums[N_HUBS] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        sums[COVERED_PCT] = _pct(sums[COVERED_POP], sums[POPULATION])
        sums[AT_RISK_COVERED_PCT] = _pct(sums[AT_RISK_COVERED_POP], sums[AT_RISK_POP])
        sums[HUBS_PER_10K_AT_RISK] = np.where(
            sums[AT_RISK_POP] > 0, sums[N_HUBS] * 10_000 / sums[AT_RISK_POP], np.nan
        )
    sums.index.name = AREA
    cols = [
        N_LSOAS,
        POPULATION,
        COVERED_POP,
        COVERED_PCT,
        AT_RISK_POP,
        AT_RISK_COVERED_POP,
        AT_RISK_COVERED_PCT,
        UNCOVERED_AT_RISK_POP,
        N_HUBS,
        HUBS_PER_10K_AT_RISK,
    ]
    out = sums[cols].reset_index()
    out[N_LSOAS] = out[N_LSOAS].astype(int)
    if group_col == LCP and LCP_STATUS in by_lsoa.columns:
        status = by_lsoa.dropna(subset=[LCP]).groupby(LCP)[LCP_STATUS].first()
        out.insert(1, LCP_STATUS, out[AREA].map(status).astype(object))
    return out


def _pct(part: pd.Series, whole: pd.Series) -> np.ndarray:
    return np.where(whole > 0, 100.0 * part / whole.where(whole > 0, 1.0), np.nan)


def rank_lcp_gaps(
    by_lsoa: pd.DataFrame,
    hubs: pd.DataFrame | None = None,
    group_col: str = LCP,
) -> pd.DataFrame:
    """Areas (LCPs by default) ranked by uncovered at-risk population, largest gap first.

    Ties are broken by at-risk population, then by area name. Returns the
    ``summarise_coverage`` columns with a 1-based ``gap_rank`` first.
    """
    summary = summarise_coverage(by_lsoa, group_col=group_col, hubs=hubs)
    return _ranked(
        summary, [UNCOVERED_AT_RISK_POP, AT_RISK_POP, AREA], [False, False, True]
    ).reset_index(drop=True)


def _ranked(
    table: pd.DataFrame, by: list[str], ascending: list[bool], top: int | None = None
) -> pd.DataFrame:
    """Rows sorted (stable; NaN last), optionally the first ``top``, with a 1-based gap rank first."""
    out = table.sort_values(by, ascending=ascending, na_position="last", kind="stable")
    out = (out if top is None else out.iloc[:top]).copy()
    out.insert(0, GAP_RANK, np.arange(1, len(out) + 1))
    return out


def rank_lsoa_gaps(
    by_lsoa: pd.DataFrame,
    risk_col: str = RISK_INDEX,
    at_risk_col: str = AT_RISK,
    top: int | None = None,
) -> pd.DataFrame:
    """At-risk LSOAs mostly beyond reach (``COVERED`` false: under half their residents within
    reach), highest need first (risk, then population).

    Parameters
    ----------
    by_lsoa
        Output of ``coverage_by_lsoa`` with a need column.
    risk_col
        Need measure, higher = more need (``RISK_INDEX``, or ``IMD_SCORE`` for Core20).
    at_risk_col
        The at-risk flag column.
    top
        Keep only the first ``top`` rows.

    Returns
    -------
    pd.DataFrame
        The matching rows (all columns) with a 1-based ``gap_rank`` first; NaN need sorts last.
    """
    _require(by_lsoa, [COVERED, at_risk_col, risk_col, POP_TOTAL], "coverage")
    gaps = by_lsoa.loc[by_lsoa[at_risk_col].to_numpy(dtype=bool) & ~by_lsoa[COVERED]]
    return _ranked(gaps, [risk_col, POP_TOTAL], [False, False], top)


def need_vs_coverage(
    by_lsoa: pd.DataFrame,
    need_col: str = RISK_INDEX,
    at_risk_col: str = AT_RISK,
) -> pd.DataFrame:
    """One row per LSOA for a need-versus-distance scatter.

    Returns ``LSOA`` (and ``LSOA_NAME``/``LCP`` when present), ``need``, ``NEAREST_HUB_M``,
    ``nearest_hub_km``, ``POP_TOTAL``, ``AT_RISK``, ``COVERED`` and ``quadrant`` (one of
    "At risk, not covered", "At risk, covered", "Not at risk, not covered",
    "Not at risk, covered").
    """
    _require(by_lsoa, [LSOA, need_col, NEAREST_HUB_M, POP_TOTAL, COVERED, at_risk_col], "coverage")
    keep = [c for c in (LSOA, LSOA_NAME, LCP) if c in by_lsoa.columns]
    out = pd.DataFrame(by_lsoa[keep]).reset_index(drop=True)
    out["need"] = by_lsoa[need_col].to_numpy(dtype=float, na_value=np.nan)
    out[NEAREST_HUB_M] = by_lsoa[NEAREST_HUB_M].to_numpy(dtype=float)
    out["nearest_hub_km"] = out[NEAREST_HUB_M] / 1000.0
    out[POP_TOTAL] = by_lsoa[POP_TOTAL].to_numpy()
    risk = by_lsoa[at_risk_col].to_numpy(dtype=bool)
    cov = by_lsoa[COVERED].to_numpy(dtype=bool)
    out[AT_RISK] = risk
    out[COVERED] = cov
    out[QUADRANT] = np.select(
        [risk & ~cov, risk & cov, ~risk & ~cov],
        ["At risk, not covered", "At risk, covered", "Not at risk, not covered"],
        default="Not at risk, covered",
    )
    return out


def summarise_leeds_and_groups(
    by_lsoa: pd.DataFrame, hubs: pd.DataFrame, group_col: str = LCP
) -> pd.DataFrame:
    """``summarise_coverage`` for Leeds then per group, as one table (Leeds row first)."""
    return pd.concat(
        [
            summarise_coverage(by_lsoa, hubs=hubs),
            summarise_coverage(by_lsoa, group_col=group_col, hubs=hubs),
        ],
        ignore_index=True,
    )
