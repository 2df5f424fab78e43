"""The site planner's tables: its demand, candidate sites, kept hubs and the answer with places.

Pure assembly of geo.sites steps (no streamlit, no file reading); data/loaders.py caches these.
"""

from __future__ import annotations

import pandas as pd

from geo.sites import (
    SiteRecommendation,
    demand_weights,
    lsoa_candidates,
    recommendation_table,
    spread_to_postcodes,
)
from utils import constants as c
from utils.view_state import ALL_LEEDS

PLANNER_WEIGHT = "planner_weight"  # column of the objective's weight per LSOA (planner-only)
ALTERNATIVES_SHOWN = 3
ALTERNATIVES = "alternatives"


def with_planner_weight(lsoas: pd.DataFrame, objective: str) -> pd.DataFrame:
    """A copy of ``lsoas`` with ``PLANNER_WEIGHT``: each LSOA's weight for the objective."""
    out = lsoas.copy()
    out[PLANNER_WEIGHT] = demand_weights(out, objective).to_numpy()
    return out


def in_area(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows of one LCP (``ALL_LEEDS``: every row), renumbered from 0."""
    chosen = table if area == ALL_LEEDS else table[table[c.LCP] == area]
    return chosen.reset_index(drop=True)


def candidate_sites(lsoas: pd.DataFrame, venues: pd.DataFrame | None, area: str) -> pd.DataFrame:
    """Where new hubs could go, with ``LAT``/``LON``.

    Without ``venues``: one per LSOA of ``lsoas`` (already the area's) at its population-weighted
    centre. With ``venues`` (valid rows of utils.venues.validate_venues): those in the area.
    """
    if venues is None:
        candidates = lsoa_candidates(lsoas)
        candidates[c.LAT] = lsoas[c.PWC_LAT].to_numpy(dtype=float)
        candidates[c.LON] = lsoas[c.PWC_LON].to_numpy(dtype=float)
        return candidates
    return in_area(venues.rename(columns={c.HUB_LAT: c.LAT, c.HUB_LON: c.LON}), area)


def planner_problem(
    weighted_lsoas: pd.DataFrame,
    demand: pd.DataFrame,
    venues: pd.DataFrame | None,
    open_hubs: pd.DataFrame,
    area: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The planner's inputs: (demand postcodes of the area, candidate sites, open hubs kept).

    Parameters
    ----------
    weighted_lsoas : DataFrame
        Every Leeds LSOA with ``PLANNER_WEIGHT`` (``with_planner_weight``), LCP and centres.
    demand : DataFrame
        Residential postcodes (geo.coverage.demand_points); each gets an equal share of its
        LSOA's weight.
    venues : DataFrame or None
        Valid uploaded venues, or None for one candidate per LSOA.
    open_hubs : DataFrame
        Every open hub in Leeds: one just outside an LCP can still reach into it.
    area : str
        An LCP name or ``ALL_LEEDS``.
    """
    lsoas = in_area(weighted_lsoas, area)
    points = spread_to_postcodes(demand, lsoas, PLANNER_WEIGHT)
    return points, candidate_sites(lsoas, venues, area), open_hubs.reset_index(drop=True)


def _alternatives_text(names: list[str], shown: int) -> str:
    more = f" (+{len(names) - shown} more)" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def recommendation_with_places(
    rec: SiteRecommendation, candidates: pd.DataFrame, shown: int = ALTERNATIVES_SHOWN
) -> pd.DataFrame:
    """geo.sites.recommendation_table plus ``LAT``/``LON`` and ``ALTERNATIVES``.

    ``ALTERNATIVES`` names the candidates that reach exactly the same people (the first
    ``shown``, then "(+n more)").
    """
    table = recommendation_table(rec, candidates)
    picked = list(rec.sites)
    table[c.LAT] = candidates[c.LAT].to_numpy(dtype=float)[picked]
    table[c.LON] = candidates[c.LON].to_numpy(dtype=float)[picked]
    names = candidates[c.HUB_NAME].astype("string").to_numpy()
    table[ALTERNATIVES] = [
        _alternatives_text(list(names[list(alt)]), shown) for alt in rec.alternatives
    ]
    return table
