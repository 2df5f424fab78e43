"""What if hubs opened here? Parse placed hubs and measure who they newly bring within reach.

The gain is measured exactly as ``geo.coverage.coverage_by_lsoa`` measures coverage (residents
at their postcodes, boundary inclusive), so it always equals coverage with the added hubs minus
coverage without them. It is incremental: only demand postcodes within the radius of an added
hub can change, so ``WhatIfBase`` is prepared once (distances to the open hubs, a k-d tree of
postcodes) and each set of placed hubs costs a few milliseconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.coverage import (
    CoverageError,
    _coords,
    _require,
    lsoa_positions,
    nearest_distance,
)
from geo.profile import PostcodeLookupError, find_postcode
from utils.constants import (
    AT_RISK,
    CRS_BNG,
    CRS_WGS84,
    HUB_LAT,
    HUB_LON,
    IN_LEEDS,
    LAT,
    LCP,
    LON,
    LSOA,
    LSOA_NAME,
    POP_TOTAL,
    X,
    Y,
)

__all__ = [
    "MAX_ADDED_HUBS",
    "NEW_AT_RISK",
    "NEW_RESIDENTS",
    "AddedHubs",
    "WhatIfBase",
    "WhatIfGain",
    "compare_with_optimiser",
    "format_added_hubs",
    "parse_added_hubs",
    "whatif_gain",
]

MAX_ADDED_HUBS = 10
NEW_RESIDENTS = "newly_reached"  # residents newly within reach
NEW_AT_RISK = "newly_reached_at_risk"  # of them, residents of at-risk LSOAs
SHARE_BEFORE = "share_before"
SHARE_AFTER = "share_after"
ADDED_LABEL = "label"  # how the hub was typed: "LS9 7EZ" or "53.80229,-1.51857"
ADDED_SOURCE = "source"  # "postcode" or "point"

# Added points must lie near Leeds: the Leeds postcodes' extent plus this margin.
_LEEDS_MARGIN_DEG = 0.05
_LATLON_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")


# --- Parsing the add= parameter --------------------------------------------------------------------


@dataclass(frozen=True)
class AddedHubs:
    """Hypothetical hubs parsed from ``add=``: the good ones and a reason for each bad part."""

    hubs: pd.DataFrame  # ADDED_LABEL, ADDED_SOURCE, HUB_LAT, HUB_LON, X, Y (EPSG:27700)
    problems: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.hubs)


def _to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    tr = Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)
    return tr.transform(lon, lat)


def parse_added_hubs(
    text: str | None, postcodes: pd.DataFrame, max_hubs: int = MAX_ADDED_HUBS
) -> AddedHubs:
    """Read ``add=<lat>,<lon>;<postcode>;…`` into hub points; bad parts are reported, not fatal.

    Parameters
    ----------
    text
        The parameter's value: parts separated by ``;``, each ``lat,lon`` (WGS84 degrees) or a
        postcode in any case or spacing. Blank parts are skipped.
    postcodes
        The built postcode table (see ``geo.profile.find_postcode``); its Leeds postcodes also
        bound where a typed point may lie.
    max_hubs
        Parts after this many good hubs are dropped with a reason.

    Returns
    -------
    AddedHubs
        Good hubs in the order typed (a repeat of an earlier part is dropped with a reason)
        and one plain-English problem per bad part.

    Examples
    --------
    >>> pcs = pd.DataFrame({"postcode": ["LS9 7EZ"], "lat": [53.80229], "lon": [-1.51857],
    ...     "x": [432271.0], "y": [433441.0], "in_leeds": [True], "lsoa21cd": ["E01011349"]})
    >>> added = parse_added_hubs("ls97ez;53.8,-1.52;hello", pcs)
    >>> added.hubs["label"].tolist(), len(added.problems)
    (['LS9 7EZ', '53.80000,-1.52000'], 1)
    """
    rows: list[dict] = []
    problems: list[str] = []
    seen: set[str] = set()
    leeds = postcodes.loc[postcodes[IN_LEEDS].astype(bool)]
    lat_lo, lat_hi = leeds[LAT].min() - _LEEDS_MARGIN_DEG, leeds[LAT].max() + _LEEDS_MARGIN_DEG
    lon_lo, lon_hi = leeds[LON].min() - _LEEDS_MARGIN_DEG, leeds[LON].max() + _LEEDS_MARGIN_DEG
    parts = [p.strip() for p in (text or "").split(";")]
    for part in (p for p in parts if p):
        shown = part if len(part) <= 40 else part[:40] + "…"
        if len(rows) >= max_hubs:
            problems.append(f"'{shown}' left out: at most {max_hubs} what-if hubs.")
            continue
        match = _LATLON_RE.match(part)
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
                problems.append(f"'{shown}' is not a point in Leeds (give latitude,longitude).")
                continue
            label, source = f"{lat:.5f},{lon:.5f}", "point"
        else:
            try:
                found = find_postcode(part, postcodes)
            except PostcodeLookupError as err:
                problems.append(f"'{shown}': {err}")
                continue
            label, source, lat, lon = found.postcode, "postcode", found.lat, found.lon
        if label in seen:
            problems.append(f"'{shown}' is already placed.")
            continue
        seen.add(label)
        rows.append({ADDED_LABEL: label, ADDED_SOURCE: source, HUB_LAT: lat, HUB_LON: lon})
    hubs = pd.DataFrame(rows, columns=[ADDED_LABEL, ADDED_SOURCE, HUB_LAT, HUB_LON])
    if len(hubs):
        x, y = _to_bng(hubs[HUB_LON].to_numpy(float), hubs[HUB_LAT].to_numpy(float))
        hubs[X], hubs[Y] = np.asarray(x, float), np.asarray(y, float)
    else:
        hubs[X], hubs[Y] = pd.Series(dtype=float), pd.Series(dtype=float)
    return AddedHubs(hubs, tuple(problems))


def format_added_hubs(hubs: pd.DataFrame) -> str:
    """The ``add=`` value for placed hubs (their labels joined by ``;``), for a shareable URL."""
    return ";".join(hubs[ADDED_LABEL].astype(str)) if len(hubs) else ""


# --- The gain ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfGain:
    """Who a set of added hubs newly brings within reach.

    Attributes
    ----------
    residents, at_risk_residents
        Residents newly within reach, and those of them living in at-risk LSOAs.
    by_lsoa
        LSOAs that gain, most newly reached first: ``LSOA`` (and ``LSOA_NAME``/``LCP`` when
        the LSOA table has them), ``AT_RISK``, ``share_before``, ``share_after``,
        ``newly_reached`` and ``newly_reached_at_risk``.
    by_lcp
        Change per LCP (only when the LSOA table has ``LCP``): ``LCP``, ``newly_reached``,
        ``newly_reached_at_risk``, most first; LCPs without gain are left out.
    per_hub
        Residents each added hub would newly reach on its own (``newly_reached``) and its
        at-risk part, one row per added hub in order; they can overlap, so they may sum to
        more than ``residents``.
    """

    residents: float
    at_risk_residents: float
    by_lsoa: pd.DataFrame = field(repr=False)
    by_lcp: pd.DataFrame = field(repr=False)
    per_hub: pd.DataFrame = field(repr=False)


class WhatIfBase:
    """Coverage by the open hubs, prepared once so that placed hubs are measured at once.

    Parameters
    ----------
    lsoas
        One row per LSOA with ``LSOA``, ``POP_TOTAL`` and boolean ``AT_RISK`` (the same frame
        given to ``coverage_by_lsoa``); ``LSOA_NAME`` and ``LCP`` are carried when present.
    demand
        Demand postcodes with ``LSOA`` and ``X``/``Y`` (``geo.coverage.demand_points``);
        points of other LSOAs are ignored, as in ``coverage_by_lsoa``.
    open_hubs
        The open hubs with ``X``/``Y`` in EPSG:27700 (may be empty).
    radius_m
        Reach radius in metres (boundary inclusive).
    """

    def __init__(
        self,
        lsoas: pd.DataFrame,
        demand: pd.DataFrame,
        open_hubs: pd.DataFrame,
        radius_m: float,
        at_risk_col: str = AT_RISK,
    ) -> None:
        if not (isinstance(radius_m, int | float) and math.isfinite(radius_m) and radius_m >= 0):
            raise CoverageError(f"The reach radius must be a distance in metres, not {radius_m!r}.")
        _require(lsoas, [LSOA, POP_TOTAL, at_risk_col], "LSOA")
        _require(demand, [LSOA, X, Y], "demand points")
        _require(open_hubs, [X, Y], "hubs")
        from scipy.spatial import cKDTree

        pos = lsoa_positions(lsoas, demand)
        inside = pos >= 0
        self._pos = pos[inside]
        self._xy = _coords(demand.loc[inside], X, Y, "demand points", LSOA)
        self._counts = np.bincount(self._pos, minlength=len(lsoas)).astype(float)
        if (self._counts == 0).any():
            bad = lsoas[LSOA].iloc[np.flatnonzero(self._counts == 0)[:5]].astype(str)
            raise CoverageError(f"LSOAs without any demand point: {', '.join(bad)}.")
        self._pop = lsoas[POP_TOTAL].astype(float).to_numpy()
        self._at_risk = lsoas[at_risk_col].fillna(False).to_numpy(dtype=bool)
        facility = _coords(open_hubs, X, Y, "hubs", None) if len(open_hubs) else np.empty((0, 2))
        self._dist, _ = nearest_distance(self._xy, facility)
        self.radius_m = float(radius_m)
        self._reached = self._dist <= self.radius_m
        self._within = np.bincount(
            self._pos, weights=self._reached.astype(float), minlength=len(lsoas)
        )
        self._tree = cKDTree(self._xy)
        keep = [c for c in (LSOA, LSOA_NAME, LCP) if c in lsoas.columns]
        self._labels = pd.DataFrame(lsoas[keep]).reset_index(drop=True)
        self._labels[AT_RISK] = self._at_risk
        self.n_open_hubs = len(open_hubs)

    def reached(self) -> dict[str, float]:
        """Residents within reach of the open hubs today (as ``coverage_by_lsoa``), and totals.

        Keys ``residents``, ``at_risk_residents``, ``total``, ``total_at_risk`` and
        ``n_open_hubs``.
        """
        covered = self._pop * (self._within / self._counts)
        return {
            "residents": float(covered.sum()),
            "at_risk_residents": float(covered[self._at_risk].sum()),
            "total": float(self._pop.sum()),
            "total_at_risk": float(self._pop[self._at_risk].sum()),
            "n_open_hubs": float(self.n_open_hubs),
        }

    def _newly(self, added_xy: np.ndarray) -> np.ndarray:
        """Indices of demand points not reached now that an added hub reaches."""
        if len(added_xy) == 0:
            return np.empty(0, dtype=np.intp)
        # A slightly larger ball finds every candidate; the exact test below uses the same
        # distance code as coverage_by_lsoa, so boundary points agree to the last bit.
        groups = self._tree.query_ball_point(added_xy, r=self.radius_m * (1 + 1e-9) + 1e-6)
        cand = np.unique(np.concatenate([np.asarray(g, dtype=np.intp) for g in groups]))
        cand = cand[~self._reached[cand]]
        if len(cand) == 0:
            return cand
        d, _ = nearest_distance(self._xy[cand], added_xy)
        return cand[d <= self.radius_m]

    def _per_lsoa(self, idx: np.ndarray) -> np.ndarray:
        """Residents newly within reach per LSOA for newly reached demand points ``idx``."""
        gained = np.bincount(self._pos[idx], minlength=len(self._pop))
        # Same arithmetic as coverage_by_lsoa: pop x share after minus pop x share before.
        return self._pop * ((self._within + gained) / self._counts) - self._pop * (
            self._within / self._counts
        )

    def gain(self, added: pd.DataFrame | np.ndarray) -> WhatIfGain:
        """Residents (and at-risk residents) the ``added`` hubs newly bring within reach.

        Parameters
        ----------
        added
            Added hubs with ``X``/``Y`` in EPSG:27700 (``parse_added_hubs(...).hubs``), or an
            ``(n, 2)`` array of them.
        """
        if isinstance(added, pd.DataFrame):
            _require(added, [X, Y], "added hubs")
            added_xy = _coords(added, X, Y, "added hubs", None) if len(added) else np.empty((0, 2))
        else:
            added_xy = np.asarray(added, dtype=float).reshape(-1, 2)
        idx = self._newly(added_xy)
        per_lsoa = self._per_lsoa(idx)
        risk_part = np.where(self._at_risk, per_lsoa, 0.0)
        gained_points = np.bincount(self._pos[idx], minlength=len(self._pop))

        frame = self._labels.copy()
        frame[SHARE_BEFORE] = self._within / self._counts
        frame[SHARE_AFTER] = (self._within + gained_points) / self._counts
        frame[NEW_RESIDENTS] = per_lsoa
        frame[NEW_AT_RISK] = risk_part
        by_lsoa = (
            frame.loc[gained_points > 0]
            .sort_values([NEW_RESIDENTS, LSOA], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )
        if LCP in frame.columns:
            by_lcp = (
                by_lsoa.groupby(LCP, dropna=False)[[NEW_RESIDENTS, NEW_AT_RISK]]
                .sum()
                .reset_index()
                .sort_values([NEW_RESIDENTS, LCP], ascending=[False, True], kind="stable")
                .reset_index(drop=True)
            )
        else:
            by_lcp = pd.DataFrame(columns=[LCP, NEW_RESIDENTS, NEW_AT_RISK])

        singles = []
        for xy in added_xy:
            alone = self._per_lsoa(self._newly(xy.reshape(1, 2)))
            singles.append(
                {
                    NEW_RESIDENTS: float(alone.sum()),
                    NEW_AT_RISK: float(alone[self._at_risk].sum()),
                }
            )
        per_hub = pd.DataFrame(singles, columns=[NEW_RESIDENTS, NEW_AT_RISK])
        return WhatIfGain(
            residents=float(per_lsoa.sum()),
            at_risk_residents=float(risk_part.sum()),
            by_lsoa=by_lsoa,
            by_lcp=by_lcp,
            per_hub=per_hub,
        )


def whatif_gain(
    lsoas: pd.DataFrame,
    demand: pd.DataFrame,
    open_hubs: pd.DataFrame,
    added: pd.DataFrame | np.ndarray,
    radius_m: float,
) -> WhatIfGain:
    """Residents and at-risk residents newly within reach if ``added`` hubs opened.

    Equals ``coverage_by_lsoa`` with ``open_hubs`` plus ``added`` minus ``coverage_by_lsoa``
    with ``open_hubs`` alone (``covered_pop`` summed, and summed over at-risk LSOAs). For many
    what-ifs on the same open hubs and radius, build ``WhatIfBase`` once and call ``gain``.

    Examples
    --------
    >>> lsoas = pd.DataFrame({"lsoa21cd": ["A", "B"], "pop_total": [100.0, 50.0],
    ...     "at_risk": [True, False]})
    >>> demand = pd.DataFrame({"lsoa21cd": ["A", "A", "B"],
    ...     "x": [430000.0, 430500.0, 435000.0], "y": [433000.0, 433000.0, 433000.0]})
    >>> no_hubs = pd.DataFrame({"x": [], "y": []})
    >>> g = whatif_gain(lsoas, demand, no_hubs, np.array([[430000.0, 433100.0]]), 200)
    >>> g.residents, g.at_risk_residents
    (50.0, 50.0)
    """
    return WhatIfBase(lsoas, demand, open_hubs, radius_m).gain(added)


def compare_with_optimiser(
    base: WhatIfBase,
    gain: WhatIfGain,
    k: int,
    lsoas: pd.DataFrame,
    demand: pd.DataFrame,
    open_hubs: pd.DataFrame,
    candidates: pd.DataFrame | None = None,
    objective: str = "at_risk",
) -> dict:
    """The optimiser's k hubs beside the user's k what-if hubs, measured the same way.

    The optimiser (``geo.sites.recommend_sites``, the planner's MCLP) places ``k`` hubs among
    ``candidates`` (default one per LSOA, ``geo.sites.lsoa_candidates``) to reach the most of
    ``objective`` from the same demand postcodes; its sites are then measured with ``base``,
    like the what-if hubs.

    Returns
    -------
    dict
        ``k``, ``objective``, ``whatif_residents``, ``whatif_at_risk``,
        ``optimiser_residents``, ``optimiser_at_risk``, ``optimiser_sites`` (rows of
        ``candidates``), and ``gap_residents_pct`` / ``gap_at_risk_pct``: how far the what-if
        falls short of the optimiser, as a percentage of the optimiser's figure (NaN when the
        optimiser reaches nobody; negative if the what-if does better on a figure it was not
        optimised for).
    """
    from geo.sites import demand_weights, lsoa_candidates, recommend_sites, spread_to_postcodes

    if candidates is None:
        candidates = lsoa_candidates(lsoas)
    weights = lsoas[[LSOA]].copy()
    weights["w"] = demand_weights(lsoas, objective).to_numpy()
    points = spread_to_postcodes(demand, weights, "w")
    rec = recommend_sites(points, candidates, open_hubs, "w", int(k), base.radius_m)
    sites = candidates.iloc[list(rec.sites)].reset_index(drop=True)
    opt = base.gain(sites[[X, Y]])

    def gap(opt_v: float, mine: float) -> float:
        return 100.0 * (opt_v - mine) / opt_v if opt_v > 0 else math.nan

    return {
        "k": int(k),
        "objective": objective,
        "whatif_residents": gain.residents,
        "whatif_at_risk": gain.at_risk_residents,
        "optimiser_residents": opt.residents,
        "optimiser_at_risk": opt.at_risk_residents,
        "optimiser_sites": sites,
        "gap_residents_pct": gap(opt.residents, gain.residents),
        "gap_at_risk_pct": gap(opt.at_risk_residents, gain.at_risk_residents),
    }
