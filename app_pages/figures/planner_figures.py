"""Pure builders for the Site planner page: coverage curve, results tables and saved scenarios."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.constants import LAT, LCP, LON, LSOA
from utils.text import md

# What each objective counts, as a plural noun ("newly reached <unit>"). Keys: geo.sites.OBJECTIVES.
OBJECTIVE_UNITS = {
    "at_risk": "at-risk residents",
    "risk_weighted": "risk-weighted residents",
    "deprived": "people in IMD deciles 1–2",
    "older": "people aged 60+",
    "total": "people",
}

# One line under the objective picker saying what is counted. Keys: geo.sites.OBJECTIVES.
OBJECTIVE_NOTES = {
    "at_risk": "Residents of at-risk neighbourhoods (the 20% of Leeds LSOAs with the highest "
    "Digital Exclusion Risk Index): the same at-risk residents as the Overview and Gaps pages.",
    "risk_weighted": "Risk-weighted residents = risk index (0–10) ÷ 10 × residents, in every "
    "neighbourhood: a weighting for planning, not a count of people at risk.",
    "deprived": "Residents of neighbourhoods in the most deprived 20% in England (IMD 2025 "
    "deciles 1–2, the NHS Core20).",
    "older": "Residents aged 60 and over (mid-2022).",
    "total": "Every resident (mid-2022).",
}

# Scenario JSON layout version; bump when the payload shape changes.
SCENARIO_SCHEMA = 1
# Input keys every saved scenario carries (see scenario_payload).
SCENARIO_INPUTS = ("area", "objective", "k", "radius_m", "target_pct", "candidates")
# Columns of the sites and curve tables as stored in a scenario (recommendation_table / curve).
SITE_COLUMNS = (
    "rank",
    "site",
    LSOA,
    LCP,
    LAT,
    LON,
    "newly_reached",
    "cumulative_reached",
    "cumulative_share",
    "alternatives",
)
CURVE_COLUMNS = ("k", "reached_weight", "reached_share", "added_weight")

COLOUR_CURVE = "#0072B2"  # Okabe-Ito blue
COLOUR_ADDED = "#9ecae1"
COLOUR_CHOSEN = "#e7298a"  # the recommended-site colour on the map
COLOUR_TARGET = "#555555"
COMPARE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
FONT_SIZE = 18  # presentation size; nothing below 16 px
FONT_SMALL = 16


class ScenarioError(ValueError):
    """A saved scenario that cannot be read (not JSON, older layout, missing parts)."""


def objective_unit(objective: str) -> str:
    """The plural noun an objective counts, e.g. 'at-risk residents'."""
    return OBJECTIVE_UNITS.get(objective, "weight")


def objective_note(objective: str) -> str:
    """What an objective counts, in one sentence ("" for an unknown key)."""
    return OBJECTIVE_NOTES.get(objective, "")


def _people(value: float) -> str:
    return f"{value:,.0f}" if np.isfinite(value) else "–"


def _layout(fig: go.Figure, title: str, height: int = 460) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": FONT_SIZE + 2}},
        font={"size": FONT_SMALL},
        height=height,
        margin={"l": 70, "r": 70, "t": 70, "b": 60},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2, "x": 0},
        hovermode="x unified",
    )
    return fig


def _add_curve_traces(fig: go.Figure, curve: pd.DataFrame, unit: str) -> None:
    """Bars of what each new hub adds (primary axis) and the cumulative % line (secondary)."""
    k = curve["k"].to_numpy()
    # Plotly draws the secondary axis on top, so the line goes there (shown on the left) and
    # the bars on the primary axis (shown on the right) stay behind it.
    fig.add_trace(
        go.Bar(
            x=k[1:],
            y=curve["added_weight"].to_numpy(dtype=float)[1:],
            name=f"{unit.capitalize()} added by that hub",
            marker_color=COLOUR_ADDED,
            hovertemplate="%{y:,.0f} added<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=k,
            y=curve["reached_share"].to_numpy(dtype=float) * 100,
            mode="lines+markers",
            name=f"% of {unit} reached",
            line={"color": COLOUR_CURVE, "width": 3},
            marker={"size": 9},
            customdata=curve["reached_weight"].to_numpy(dtype=float),
            hovertemplate="%{y:.1f}% reached (%{customdata:,.0f})<extra></extra>",
        ),
        secondary_y=True,
    )


def _add_chosen_k(fig: go.Figure, curve: pd.DataFrame, chosen_k: int | None) -> None:
    """A large diamond on the curve at the k the recommendation used (if on the curve)."""
    k = curve["k"].to_numpy()
    if chosen_k is None or chosen_k not in set(k.tolist()):
        return
    share = curve["reached_share"].to_numpy(dtype=float) * 100
    i = int(np.flatnonzero(k == chosen_k)[0])
    fig.add_trace(
        go.Scatter(
            x=[chosen_k],
            y=[share[i]],
            mode="markers",
            name=f"Recommended: {chosen_k} new hub{'s' if chosen_k != 1 else ''}",
            marker={"size": 16, "symbol": "diamond", "color": COLOUR_CHOSEN},
            hoverinfo="skip",
        ),
        secondary_y=True,
    )


def _add_target(fig: go.Figure, target_share: float | None) -> None:
    """The planner's target share as a dashed, labelled line (if given)."""
    if target_share is None:
        return
    fig.add_hline(
        y=target_share * 100,
        line={"dash": "dash", "color": COLOUR_TARGET},
        secondary_y=True,
    )
    fig.add_annotation(
        x=0,
        xref="paper",
        xanchor="left",
        y=target_share * 100,
        yref="y2",
        yanchor="bottom",
        text=f"target {target_share:.0%}",
        showarrow=False,
        font={"color": COLOUR_TARGET},
    )


def _curve_axes(fig: go.Figure, unit: str) -> None:
    """% reached on the left (0-100%), what each hub adds on the right, k along the bottom."""
    fig.update_yaxes(
        title_text=f"% of {unit} reached",
        range=[0, 104],
        tickmode="array",
        tickvals=[0, 20, 40, 60, 80, 100],
        ticktext=["0%", "20%", "40%", "60%", "80%", "100%"],
        secondary_y=True,
        side="left",
    )
    fig.update_yaxes(
        title_text="Added by each new hub",
        secondary_y=False,
        showgrid=False,
        side="right",
        rangemode="tozero",
    )
    fig.update_xaxes(title_text="Number of new hubs (0 = existing hubs only)", dtick=1)


def coverage_curve_figure(
    curve: pd.DataFrame,
    objective: str,
    chosen_k: int | None = None,
    target_share: float | None = None,
) -> go.Figure:
    """Share of the weight reached against the number of new hubs, with the gain of each.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``k`` (0 = existing hubs only), ``reached_weight``, ``reached_share`` (0–1) and
        ``added_weight`` (from geo.sites.coverage_curve).
    objective : str
        Objective key, for axis labels.
    chosen_k : int, optional
        The k the recommendation used; drawn as a highlighted point.
    target_share : float, optional
        The planner's target share (0–1), drawn as a dashed line.

    Returns
    -------
    plotly.graph_objects.Figure
        Bars: people each extra hub adds (right axis); line: cumulative % reached (left axis).
    """
    unit = objective_unit(objective)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    _add_curve_traces(fig, curve, unit)
    _add_chosen_k(fig, curve, chosen_k)
    _add_target(fig, target_share)
    _curve_axes(fig, unit)
    return _layout(fig, "Diminishing returns: coverage as new hubs are added")


def sites_display_table(table: pd.DataFrame, objective: str) -> pd.DataFrame:
    """The recommendation table with planner-facing column names, rounded for reading.

    Parameters
    ----------
    table : pandas.DataFrame
        geo.sites.recommendation_table output (optionally with ``lat``/``lon`` and
        ``alternatives``), or the ``sites`` of a saved scenario.
    objective : str
        Objective key, for the "newly reached" column name.
    """
    unit = objective_unit(objective)
    out = pd.DataFrame(
        {
            "Order": table["rank"].astype(int).to_numpy(),
            "Site": table["site"].astype("string").to_numpy(),
        }
    )
    if LSOA in table.columns:
        out["LSOA"] = table[LSOA].to_numpy()
    if LCP in table.columns:
        out["LCP"] = table[LCP].to_numpy()
    out[f"Newly reached {unit}"] = table["newly_reached"].astype(float).round(0).to_numpy()
    out["Cumulative % reached"] = (
        (table["cumulative_share"].astype(float) * 100).round(1).to_numpy()
    )
    if LAT in table.columns and LON in table.columns:
        out["Latitude"] = table[LAT].astype(float).round(5).to_numpy()
        out["Longitude"] = table[LON].astype(float).round(5).to_numpy()
    if "alternatives" in table.columns:
        out["Equally good alternatives"] = table["alternatives"].fillna("").to_numpy()
    return out


def row_errors_table(errors: Sequence[Any]) -> pd.DataFrame:
    """Upload problems (utils.hubs.RowError) as a table: spreadsheet row, column, problem."""
    return pd.DataFrame(
        {
            "Row": [("file" if e.row is None else str(e.row)) for e in errors],
            "Column": [e.column or "" for e in errors],
            "Problem": [e.message for e in errors],
        }
    )


def plan_summary(rec: Any, n_existing: int = 0, n_sample: int = 0) -> dict[str, Any]:
    """Headline numbers of a recommendation (a geo.sites.SiteRecommendation) as plain values."""
    return {
        "total_weight": float(rec.total_weight),
        "before_weight": float(rec.before_weight),
        "after_weight": float(rec.after_weight),
        "before_share": float(rec.before_share),
        "after_share": float(rec.after_share),
        "n_sites": len(rec.sites),
        "n_existing_hubs": int(n_existing),
        "n_sample_hubs": int(n_sample),
        "message": rec.message,
    }


def needed_summary(needed: Any | None) -> dict[str, Any]:
    """The answer to "how many new hubs for X%" (a geo.sites.SitesNeeded) as plain values."""
    if needed is None:
        return {"target_share": None, "n_sites": None, "reached_share": None, "message": None}
    return {
        "target_share": float(needed.target_share),
        "n_sites": needed.n_sites,
        "reached_share": float(needed.reached_share),
        "message": needed.message,
    }


def needed_sentence(needed: Mapping[str, Any], objective: str, area: str, radius_m: int) -> str:
    """One plain-English sentence answering "how many new hubs to reach X%"."""
    unit = objective_unit(objective)
    target = needed.get("target_share")
    if target is None:
        return ""
    where = f"in {md(area)}" if area else ""  # Markdown: the LCP name is quoted inert
    if needed.get("n_sites") is None:
        return needed.get("message") or f"{target:.0%} of {unit} cannot be reached."
    n = int(needed["n_sites"])
    if n == 0:
        return (
            f"Existing hubs already reach {needed['reached_share']:.1%} of {unit} {where} "
            f"within {radius_m:,} m — at or above the {target:.0%} target."
        )
    return (
        f"**{n} new hub{'s' if n != 1 else ''}** (placed as the optimiser would) reach "
        f"{needed['reached_share']:.1%} of {unit} {where} within {radius_m:,} m — the fewest "
        f"that reach the {target:.0%} target."
    )


def _records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    cols = [c for c in columns if c in df.columns]
    out = df[cols].astype(object).where(df[cols].notna(), None)
    recs = out.to_dict(orient="records")
    for r in recs:
        for key, v in r.items():
            if isinstance(v, np.generic):
                r[key] = v.item()
    return recs


def scenario_payload(
    inputs: Mapping[str, Any],
    summary: Mapping[str, Any],
    needed: Mapping[str, Any],
    sites: pd.DataFrame,
    curve: pd.DataFrame,
    saved_at: datetime | None = None,
) -> str:
    """A recommendation (inputs and results) as JSON text for the register's scenario store.

    Parameters
    ----------
    inputs : mapping
        At least ``SCENARIO_INPUTS``; anything else plain (versions, file names) is kept too.
    summary, needed : mapping
        ``plan_summary`` and ``needed_summary`` output.
    sites, curve : pandas.DataFrame
        The recommendation table and the coverage curve.
    """
    missing = [k for k in SCENARIO_INPUTS if k not in inputs]
    if missing:
        raise ScenarioError(f"The scenario lacks input(s): {', '.join(missing)}.")
    payload = {
        "schema": SCENARIO_SCHEMA,
        "saved_at": (saved_at or datetime.now()).isoformat(timespec="seconds"),
        "inputs": dict(inputs),
        "summary": dict(summary),
        "needed": dict(needed),
        "sites": _records(sites, SITE_COLUMNS),
        "curve": _records(curve, CURVE_COLUMNS),
    }
    return json.dumps(payload, default=str)


def parse_scenario(text: str) -> dict[str, Any]:
    """Read a saved scenario back: a dict with ``inputs``, ``summary``, ``needed``, and the
    ``sites`` and ``curve`` tables as DataFrames.

    Raises
    ------
    ScenarioError
        If the text is not JSON or not a scenario this version of the planner understands.
    """
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as err:
        raise ScenarioError(f"The saved scenario is not valid JSON: {err}") from err
    if not isinstance(data, dict) or data.get("schema") != SCENARIO_SCHEMA:
        raise ScenarioError(
            "The saved scenario was made by a different version of the planner; re-run it and "
            "save it again."
        )
    for part in ("inputs", "summary", "sites", "curve"):
        if part not in data:
            raise ScenarioError(f"The saved scenario has no '{part}' section; save it again.")
    missing = [k for k in SCENARIO_INPUTS if k not in data["inputs"]]
    if missing:
        raise ScenarioError(f"The saved scenario lacks input(s): {', '.join(missing)}.")
    sites = pd.DataFrame(data["sites"])
    if sites.empty:
        sites = pd.DataFrame(columns=list(SITE_COLUMNS))
    lacking = [c for c in ("rank", "site", "newly_reached", "cumulative_share") if c not in sites]
    if lacking:
        raise ScenarioError(f"The saved scenario's sites lack column(s): {', '.join(lacking)}.")
    curve = pd.DataFrame(data["curve"], columns=list(CURVE_COLUMNS))
    return {**data, "needed": data.get("needed") or {}, "sites": sites, "curve": curve}


def scenario_label(scenario: Mapping[str, Any], objectives: Mapping[str, str]) -> str:
    """Short description of a scenario's inputs, e.g. 'Seacroft · 3 new hubs · 800 m · ...'."""
    i = scenario["inputs"]
    what = objectives.get(i["objective"], i["objective"]).split(" (")[0]
    return (
        f"{i['area']} · {i['k']} new hub{'s' if int(i['k']) != 1 else ''} · "
        f"{int(i['radius_m']):,} m · {what} · {i['candidates']}"
    )


def _setting_rows(
    ins: list[Mapping[str, Any]], sums: list[Mapping[str, Any]], objectives: Mapping[str, str]
) -> dict[str, list[str]]:
    """Comparison rows for what each scenario asked for (area, objective, k, radius...)."""
    return {
        "Area": [str(i["area"]) for i in ins],
        "Maximising": [objectives.get(i["objective"], i["objective"]) for i in ins],
        "New hubs asked for (k)": [str(i["k"]) for i in ins],
        "New hubs placed": [str(s.get("n_sites", "")) for s in sums],
        "Reach radius": [f"{int(i['radius_m']):,} m" for i in ins],
        "Candidate sites": [str(i["candidates"]) for i in ins],
        "Existing hubs kept": [
            f"{s.get('n_existing_hubs', 0)}"
            + (f" ({s['n_sample_hubs']} sample)" if s.get("n_sample_hubs") else "")
            for s in sums
        ],
    }


def _target_cell(needed: Mapping[str, Any]) -> str:
    """'80%: 3' (hubs needed for the target), '80%: not reachable', or '–' without a target."""
    if needed.get("target_share") is None:
        return "–"
    return f"{needed['target_share']:.0%}: " + (
        "not reachable" if needed.get("n_sites") is None else str(needed["n_sites"])
    )


def _result_rows(
    sums: list[Mapping[str, Any]], needs: list[Mapping[str, Any]], units: list[str]
) -> dict[str, list[str]]:
    """Comparison rows for what each scenario reaches, and the hubs its target needs."""
    return {
        "Total to reach": [
            f"{_people(s['total_weight'])} {u}" for s, u in zip(sums, units, strict=True)
        ],
        "Reached by existing hubs": [
            f"{_people(s['before_weight'])} ({s['before_share']:.1%})" for s in sums
        ],
        "Reached with new hubs": [
            f"{_people(s['after_weight'])} ({s['after_share']:.1%})" for s in sums
        ],
        "Newly reached": [
            f"+{_people(s['after_weight'] - s['before_weight'])} "
            f"(+{(s['after_share'] - s['before_share']) * 100:.1f} points)"
            for s in sums
        ],
        "New hubs for target": [_target_cell(n) for n in needs],
    }


def comparison_table(
    scenarios: Mapping[str, Mapping[str, Any]], objectives: Mapping[str, str]
) -> pd.DataFrame:
    """Side-by-side table of saved scenarios: one row per measure, one column per scenario.

    Parameters
    ----------
    scenarios : mapping of name -> parsed scenario
        ``parse_scenario`` output keyed by scenario name.
    objectives : mapping
        Objective key -> label (geo.sites.OBJECTIVES).
    """
    cols = list(scenarios)
    ins = [scenarios[n]["inputs"] for n in cols]
    sums = [scenarios[n]["summary"] for n in cols]
    needs = [scenarios[n].get("needed") or {} for n in cols]
    units = [objective_unit(i["objective"]) for i in ins]
    rows = {
        **_setting_rows(ins, sums, objectives),
        **_result_rows(sums, needs, units),
        "Recommended sites": [
            ", ".join(str(s) for s in scenarios[n]["sites"]["site"].tolist()) for n in cols
        ],
        "Saved": [str(scenarios[n].get("saved_at", "")) for n in cols],
    }
    out = pd.DataFrame(rows, index=cols).T
    out.index.name = "Measure"
    return out.reset_index()


def comparison_figure(scenarios: Mapping[str, Mapping[str, Any]]) -> go.Figure:
    """Coverage curves of saved scenarios on one chart (shares, so objectives stay comparable)."""
    fig = go.Figure()
    for i, (name, sc) in enumerate(scenarios.items()):
        curve = sc["curve"]
        colour = COMPARE_COLOURS[i % len(COMPARE_COLOURS)]
        unit = objective_unit(sc["inputs"]["objective"])
        fig.add_trace(
            go.Scatter(
                x=curve["k"],
                y=curve["reached_share"].astype(float) * 100,
                mode="lines+markers",
                name=f"{name} (% of {unit})",
                line={"color": colour, "width": 3, "dash": "solid" if i == 0 else "dash"},
                marker={"size": 8},
                hovertemplate=f"{name}: %{{y:.1f}}%<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="% reached", ticksuffix="%", rangemode="tozero")
    fig.update_xaxes(title_text="Number of new hubs (0 = existing hubs only)", dtick=1)
    return _layout(fig, "Scenarios compared: coverage against number of new hubs", height=420)


__all__ = [
    "OBJECTIVE_UNITS",
    "SCENARIO_SCHEMA",
    "ScenarioError",
    "comparison_figure",
    "comparison_table",
    "coverage_curve_figure",
    "needed_sentence",
    "needed_summary",
    "objective_unit",
    "parse_scenario",
    "plan_summary",
    "row_errors_table",
    "scenario_label",
    "scenario_payload",
    "sites_display_table",
]
