"""Pure builders for the Site planner's what-if mode: placed hubs on the map, tables, sentences."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import folium
import pandas as pd

from app_pages.figures.maps import PointMarkers
from app_pages.figures.planner_figures import scenario_payload
from geo.whatif import ADDED_LABEL, MAX_ADDED_HUBS, NEW_AT_RISK, NEW_RESIDENTS, WhatIfGain
from utils.constants import HUB_LAT, HUB_LON, LCP, LSOA, LSOA_NAME

__all__ = [
    "WHATIF_COLOUR",
    "add_whatif_hubs",
    "clicked_hub_number",
    "comparison_rows",
    "hubs_table",
    "lcp_table",
    "lsoa_table",
    "place_point",
    "remove_label",
    "whatif_scenario_payload",
    "whatif_summary",
]

WHATIF_COLOUR = "#D55E00"  # Okabe-Ito vermilion: apart from hub blue and recommended pink
_TIP = "What-if hub"
_TIP_RE = re.compile(rf"{_TIP} (\d+):")


def _n(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else "–"


# --- The add= list -------------------------------------------------------------------------------


def place_point(labels: Sequence[str], lat: float, lon: float) -> list[str]:
    """The placed hubs' labels with a clicked point added (``lat,lon`` to 5 decimals, ~1 m).

    A point already placed, or one past ``MAX_ADDED_HUBS``, leaves the list as it was.
    """
    label = f"{float(lat):.5f},{float(lon):.5f}"
    out = list(labels)
    if label not in out and len(out) < MAX_ADDED_HUBS:
        out.append(label)
    return out


def remove_label(labels: Sequence[str], number: int) -> list[str]:
    """The labels without the ``number``-th hub (1-based, as on the map); others unchanged."""
    return [lab for i, lab in enumerate(labels, 1) if i != number]


def clicked_hub_number(tooltip: str | None) -> int | None:
    """Which what-if hub a map click hit (its tooltip reads "What-if hub 3: …"), or None."""
    match = _TIP_RE.search(tooltip or "")
    return int(match.group(1)) if match else None


# --- Map --------------------------------------------------------------------------------------


def add_whatif_hubs(m: folium.Map, hubs: pd.DataFrame, radius_m: float) -> folium.Map:
    """Draw the placed hubs (``parse_added_hubs(...).hubs``) with their reach rings.

    Each marker's tooltip is plain text "What-if hub N: <label>" (``clicked_hub_number``
    reads it back, to remove the hub a click hit). Labels go in through ``PointMarkers``'s
    JSON, escaped for HTML, so a typed value is only ever text.
    """
    import html

    points = [
        {"lat": float(lat), "lon": float(lon), "tip": f"{_TIP} {i}: {html.escape(str(label))}"}
        for i, (lat, lon, label) in enumerate(
            zip(hubs[HUB_LAT], hubs[HUB_LON], hubs[ADDED_LABEL], strict=True), 1
        )
    ]
    if not points:
        return m
    marker = {
        "radius": 10,
        "color": "#000000",
        "weight": 3,
        "fillColor": WHATIF_COLOUR,
        "fillOpacity": 1,
        "className": "hc-whatif-hub",
        "halo": "#ffffff",
    }
    ring = {"color": WHATIF_COLOUR, "weight": 3, "fill": False}
    PointMarkers(points, marker, radius_m, ring).add_to(m)
    return m


# --- Sentences and tables ------------------------------------------------------------------------


def whatif_summary(gain: WhatIfGain, n_hubs: int, radius_m: int) -> str:
    """One sentence: what the placed hubs newly reach, and where most (plain text)."""
    if n_hubs == 0:
        return "No what-if hub placed yet: click the map, type a postcode or choose a venue."
    hubs = f"{n_hubs} what-if hub{'s' if n_hubs != 1 else ''}"
    if gain.residents <= 0:
        return (
            f"The {hubs} would reach nobody new within {radius_m:,} m: everyone near them is "
            "already within reach of an open hub."
        )
    where = ""
    if len(gain.by_lcp) and LCP in gain.by_lcp.columns:
        top = gain.by_lcp.iloc[0]
        where = f", most in {top[LCP]} ({_n(float(top[NEW_RESIDENTS]))})"
    return (
        f"The {hubs} would bring {_n(gain.residents)} more residents within {radius_m:,} m of a "
        f"hub, {_n(gain.at_risk_residents)} of them in at-risk neighbourhoods, across "
        f"{len(gain.by_lsoa)} neighbourhood(s){where}."
    )


def hubs_table(hubs: pd.DataFrame, gain: WhatIfGain) -> pd.DataFrame:
    """One row per placed hub: number, where, and what it would newly reach on its own."""
    return pd.DataFrame(
        {
            "Hub": range(1, len(hubs) + 1),
            "Placed at": hubs[ADDED_LABEL].astype(str).to_numpy(),
            "Newly reached alone": gain.per_hub[NEW_RESIDENTS].round(0).to_numpy(),
            "At-risk newly reached alone": gain.per_hub[NEW_AT_RISK].round(0).to_numpy(),
        }
    )


def lcp_table(gain: WhatIfGain) -> pd.DataFrame:
    """The change per LCP, most newly reached first."""
    return pd.DataFrame(
        {
            "LCP": gain.by_lcp[LCP].astype(str).to_numpy() if len(gain.by_lcp) else [],
            "Residents newly reached": gain.by_lcp[NEW_RESIDENTS].astype(float).round(0).to_numpy(),
            "At-risk residents newly reached": gain.by_lcp[NEW_AT_RISK]
            .astype(float)
            .round(0)
            .to_numpy(),
        }
    )


def lsoa_table(gain: WhatIfGain) -> pd.DataFrame:
    """The neighbourhoods that gain: code, name, LCP, at risk, share within reach before/after."""
    g = gain.by_lsoa
    out = pd.DataFrame({"LSOA": g[LSOA].astype(str).to_numpy()})
    if LSOA_NAME in g.columns:
        out["Name"] = g[LSOA_NAME].astype(str).to_numpy()
    if LCP in g.columns:
        out["LCP"] = g[LCP].astype(str).to_numpy()
    out["At risk"] = g["at_risk"].map({True: "yes", False: "no"}).to_numpy()
    out["% within reach now"] = (g["share_before"].astype(float) * 100).round(1).to_numpy()
    out["% with what-if hubs"] = (g["share_after"].astype(float) * 100).round(1).to_numpy()
    out["Residents newly reached"] = g[NEW_RESIDENTS].astype(float).round(0).to_numpy()
    return out


def comparison_rows(result: Mapping[str, Any]) -> pd.DataFrame:
    """The what-if beside the optimiser's as many hubs (``compare_with_optimiser``'s dict)."""

    def gap(v: float) -> str:
        return "–" if not math.isfinite(v) else f"{v:.1f}%"

    return pd.DataFrame(
        {
            "Measure": ["Residents newly reached", "At-risk residents newly reached"],
            f"Your {result['k']} hub(s)": [
                _n(result["whatif_residents"]),
                _n(result["whatif_at_risk"]),
            ],
            f"Optimiser's {result['k']} hub(s)": [
                _n(result["optimiser_residents"]),
                _n(result["optimiser_at_risk"]),
            ],
            "Gap (% of the optimiser's)": [
                gap(result["gap_residents_pct"]),
                gap(result["gap_at_risk_pct"]),
            ],
        }
    )


# --- Saving as a scenario ------------------------------------------------------------------------


def whatif_scenario_payload(
    hubs: pd.DataFrame,
    gain: WhatIfGain,
    prefix_gains: Sequence[WhatIfGain],
    reached: Mapping[str, float],
    radius_m: int,
    extra: Mapping[str, Any] | None = None,
    saved_at: datetime | None = None,
) -> str:
    """A what-if as a saved scenario the planner's scenario list opens and compares.

    Stored like an optimiser run counting every resident (objective ``total``): the sites are
    the placed hubs in order, the curve adds them one at a time (``prefix_gains[i]`` is the
    gain of the first ``i + 1`` hubs), and a ``whatif`` section keeps the ``add=`` value and
    the at-risk figures.

    Parameters
    ----------
    reached
        ``WhatIfBase.reached()``: ``residents`` and ``total`` reached today / in Leeds.
    """
    total, before = float(reached["total"]), float(reached["residents"])
    share = (lambda v: v / total) if total > 0 else (lambda _v: 0.0)
    cumulative = [float(g.residents) for g in prefix_gains]
    sites = pd.DataFrame(
        {
            "rank": range(1, len(hubs) + 1),
            "site": [f"What-if hub {i}: {lab}" for i, lab in enumerate(hubs[ADDED_LABEL], 1)],
            "lat": hubs[HUB_LAT].astype(float).to_numpy(),
            "lon": hubs[HUB_LON].astype(float).to_numpy(),
            "newly_reached": gain.per_hub[NEW_RESIDENTS].astype(float).to_numpy(),
            "cumulative_reached": [before + v for v in cumulative],
            "cumulative_share": [share(before + v) for v in cumulative],
        }
    )
    curve_weights = [before] + [before + v for v in cumulative]
    curve = pd.DataFrame(
        {
            "k": range(len(curve_weights)),
            "reached_weight": curve_weights,
            "reached_share": [share(v) for v in curve_weights],
            "added_weight": [0.0]
            + [b - a for a, b in zip(curve_weights[:-1], curve_weights[1:], strict=True)],
        }
    )
    inputs = {
        "area": "All Leeds",
        "objective": "total",
        "k": len(hubs),
        "radius_m": int(radius_m),
        "target_pct": 0,
        "candidates": "what-if: hubs placed by hand",
        **dict(extra or {}),
    }
    summary = {
        "total_weight": total,
        "before_weight": before,
        "after_weight": before + float(gain.residents),
        "before_share": share(before),
        "after_share": share(before + float(gain.residents)),
        "n_sites": len(hubs),
        "n_existing_hubs": int(reached.get("n_open_hubs", 0)),
        "n_sample_hubs": 0,
        "message": None,
    }
    text = scenario_payload(inputs, summary, {}, sites, curve, saved_at)
    data = json.loads(text)
    data["whatif"] = {
        "add": ";".join(hubs[ADDED_LABEL].astype(str)),
        "residents": float(gain.residents),
        "at_risk_residents": float(gain.at_risk_residents),
    }
    return json.dumps(data, default=str)
