"""One-sentence text summaries of what each map and chart shows (nothing only in a picture).

Each function takes the same table the page shows beside the figure, so the sentence, the table
and the picture always carry the same numbers. Pure: no streamlit, no data reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from app_pages.figures.planner_figures import objective_unit
from utils import constants as c


def _n(value: float) -> str:
    """A count for people: whole number with thousands separators."""
    return f"{round(float(value)):,}"


def _v(value: float) -> str:
    """An indicator value: whole numbers as such, otherwise one decimal (three below 1)."""
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) < 1 else f"{value:,.1f}"


def _count(n: int, singular: str, plural: str) -> str:
    """'1 hub was', '3 hubs were': a whole count with the noun (and verb) agreeing."""
    return f"{n:,} {singular if n == 1 else plural}"


def _month(value: object) -> str:
    return f"{pd.Timestamp(value):%b %Y}"


def indicator_map_summary(
    table: pd.DataFrame, value_col: str, label: str, where: str, higher_is_worse: bool = True
) -> str:
    """The choropleth's finding: where the indicator is worst and best, and its median.

    Parameters
    ----------
    table : DataFrame
        One row per LSOA (``indicator_table``): LSOA name, ward and ``value_col``.
    value_col, label : str
        The indicator's column and its plain-English name.
    where : str
        The area the table covers ("Leeds" or an LCP name).
    higher_is_worse : bool
        Whether a higher value is the more deprived end.

    Examples
    --------
    "IMD 2025 score across 488 neighbourhoods in Leeds: most deprived Leeds 035D (Killingbeck &
    Seacroft) at 70.1, least deprived Leeds 009A (Adel & Wharfedale) at 3.2; median 21.4."
    """
    values = table[value_col].astype(float)
    rows = table[values.notna()]
    if rows.empty:
        return f"{label}: no neighbourhood in {where} has a value."
    ordered = rows.assign(_v=values[values.notna()]).sort_values(
        "_v", ascending=not higher_is_worse
    )

    def named(row: pd.Series) -> str:
        ward = row.get(c.WARD_NAME)
        return f"{row[c.LSOA_NAME]}" + (f" ({ward})" if isinstance(ward, str) and ward else "")

    worst, best = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"{label} across {len(rows):,} neighbourhoods in {where}: most deprived "
        f"{named(worst)} at {_v(worst['_v'])}, least deprived {named(best)} at "
        f"{_v(best['_v'])}; median {_v(values.median())}."
    )


def lcp_gap_summary(lcp_table: pd.DataFrame) -> str:
    """The LCP with the most at-risk residents beyond reach (``gap_figures.lcp_gap_table``).

    Examples
    --------
    "Woodsley and Holt Park has the most at-risk residents beyond reach: 9,607 of 14,000 (31.4%
    within reach)."
    """
    gap = "At-risk residents beyond reach"
    if lcp_table.empty or float(lcp_table[gap].fillna(0).max()) <= 0:
        return "Every at-risk resident in every LCP is within reach of an open hub."
    top = lcp_table.sort_values(gap, ascending=False, kind="stable").iloc[0]
    return (
        f"{top['LCP']} has the most at-risk residents beyond reach: {_n(top[gap])} of "
        f"{_n(top['At-risk residents'])} "
        f"({float(top['% of at-risk residents within reach']):.1f}% within reach)."
    )


def lsoa_gap_summary(lsoa_table: pd.DataFrame, radius_m: int, where: str) -> str:
    """How many at-risk neighbourhoods no hub reaches, and the highest-risk one
    (``gap_figures.lsoa_gap_table``, ranked highest need first)."""
    if lsoa_table.empty:
        return (
            f"Every at-risk neighbourhood in {where} has at least half its residents within "
            f"{radius_m:,} m of an open hub."
        )
    top = lsoa_table.iloc[0]
    residents = lsoa_table["Residents"].fillna(0).sum()
    return (
        f"{len(lsoa_table):,} at-risk neighbourhoods in {where} ({_n(residents)} residents) "
        f"have fewer than half their residents within {radius_m:,} m of an open hub; the highest "
        f"need is {top['LSOA name']} ({top['Ward']}), DERI score {_v(top['DERI score (0–10)'])}."
    )


def breakdown_summary(table: pd.DataFrame, lsoa_label: str) -> str:
    """The component that adds most to one LSOA's DERI score (``gap_figures.breakdown_table``)."""
    contrib = "Contribution to the index"
    rows = table[table[contrib].notna()]
    if rows.empty or float(rows[contrib].max()) <= 0:
        return f"No component adds to the DERI score of {lsoa_label}."
    top = rows.sort_values(contrib, ascending=False, kind="stable").iloc[0]
    total = float(rows[contrib].sum())
    return (
        f"{top['Component']} adds most to the DERI score of {lsoa_label}: {_v(top[contrib])} "
        f"of {_v(round(total, 2))}."
    )


def growth_summary(series: pd.DataFrame) -> str:
    """How the number of open hubs grew (``growth.growth_series``: month, group, open_*)."""
    if series.empty:
        return "No hub has an opened date yet."
    totals = series.groupby("month", sort=True)[["open_hubs", "open_sample"]].sum()
    first = totals[totals["open_hubs"] > 0]
    start = first.index[0] if len(first) else totals.index[0]
    end = totals.index[-1]
    now = totals.iloc[-1]
    peak_month = totals["open_hubs"].idxmax()
    text = (
        f"Open hubs grew from {_n(totals.loc[start, 'open_hubs'])} in {_month(start)} to "
        f"{_n(now['open_hubs'])} in {_month(end)}"
    )
    if now["open_sample"]:
        n_sample = round(float(now["open_sample"]))
        text += (
            " (1 of them an illustrative sample)"
            if n_sample == 1
            else f" ({_n(n_sample)} of them illustrative samples)"
        )
    if totals.loc[peak_month, "open_hubs"] > now["open_hubs"]:
        text += f"; the most open at once was {_n(totals['open_hubs'].max())}"
    return text + "."


def network_summary(open_hubs: pd.DataFrame, n_gaps: int, as_of: date, radius_m: int) -> str:
    """The network map on one date: hubs open, samples among them and neighbourhoods left out."""
    n_sample = (
        int(open_hubs[c.HUB_SAMPLE].fillna(False).astype(bool).sum()) if len(open_hubs) else 0
    )
    sample = (
        f" ({_count(n_sample, 'illustrative sample', 'illustrative samples')})" if n_sample else ""
    )
    hubs = _count(len(open_hubs), "hub was", "hubs were")
    gaps = _count(n_gaps, "at-risk neighbourhood", "at-risk neighbourhoods")
    return (
        f"On {as_of.day} {as_of:%b %Y}, {hubs} open{sample}; "
        f"{gaps} had no hub within {radius_m:,} m."
    )


def coverage_over_time_summary(
    over_time: pd.DataFrame, measure: str, measure_label: str, area: str
) -> str:
    """First and latest value of a coverage measure for one area (``coverage_over_time``).

    With both hub sets present (real only, all incl. samples), the sentence uses all hubs.
    """
    rows = over_time[over_time["area"] == area]
    which = ""
    if "hub_set" in rows and rows["hub_set"].nunique() > 1:
        rows = rows[rows["hub_set"] == rows["hub_set"].iloc[-1]]
        which = f" ({rows['hub_set'].iloc[-1]})"
    rows = rows.dropna(subset=[measure]).sort_values("month")
    if rows.empty:
        return f"No coverage figures for {area}."
    first, last = rows.iloc[0], rows.iloc[-1]

    def fmt(v: float) -> str:
        return f"{float(v):.1f}%" if measure.endswith("_pct") else _n(v)

    return (
        f"{measure_label} in {area}{which}: {fmt(first[measure])} in {_month(first['month'])}, "
        f"{fmt(last[measure])} in {_month(last['month'])}."
    )


def deprivation_change_summary(change: pd.DataFrame, leeds_label: str = "Leeds") -> str:
    """The LCPs that became relatively more and less deprived, IMD 2019 -> 2025.

    ``change`` is ``growth.deprivation_change_by_lcp``: ``imd_pct_change`` is the change in the
    population-weighted national percentile rank (a fraction; negative = relatively more
    deprived). The Leeds row is left out of the comparison.
    """
    rows = change[change["lcp"] != leeds_label].dropna(subset=["imd_pct_change"])
    if rows.empty:
        return "No LCP has IMD figures for both 2019 and 2025."
    ordered = rows.sort_values("imd_pct_change", kind="stable")
    worse, better = ordered.iloc[0], ordered.iloc[-1]

    def points(v: float) -> str:
        return f"{100 * float(v):+.1f} percentile points"

    text = (
        f"{worse['lcp']} became relatively more deprived than any other LCP from IMD 2019 to "
        f"2025 ({points(worse['imd_pct_change'])})"
    )
    if better["lcp"] != worse["lcp"]:
        text += f"; {better['lcp']} moved most the other way ({points(better['imd_pct_change'])})"
    return text + "."


def sites_summary(display: pd.DataFrame, unit: str) -> str:
    """The recommendation: the first site and what all sites reach (``sites_display_table``)."""
    if display.empty:
        return "No new site would reach anyone not already reached."
    gained = [col for col in display.columns if col.startswith("Newly reached")][0]
    first = display.iloc[0]
    share = display.iloc[-1]["Cumulative % reached"]
    return (
        f"Build first at {first['Site']} ({first['LCP']}): it newly reaches {_n(first[gained])} "
        f"{unit}; all {len(display)} sites together newly reach {_n(display[gained].sum())}, "
        f"taking the share reached to {float(share):.1f}%."
    )


def curve_summary(curve: pd.DataFrame, unit: str) -> str:
    """The coverage curve: share reached with no new hub and with the most hubs asked for."""
    if curve.empty:
        return "No coverage curve."
    first, last = curve.iloc[0], curve.iloc[-1]
    return (
        f"With today's hubs {100 * float(first['reached_share']):.1f}% of {unit} are reached; "
        f"with {int(last['k'])} new hub(s), {100 * float(last['reached_share']):.1f}%."
    )


def comparison_summary(scenarios: Mapping[str, Mapping[str, Any]]) -> str:
    """Saved scenarios compared: each one's share reached with no new hub and with its most hubs.

    Parameters
    ----------
    scenarios
        Scenario name -> parsed scenario (``planner_figures.parse_scenario``), as given to
        ``planner_figures.comparison_figure``: the sentence states the ends of its curves.
    """
    parts, best = [], []
    for name, scenario in scenarios.items():
        curve, unit = scenario["curve"], objective_unit(scenario["inputs"]["objective"])
        if curve.empty:
            parts.append(f"{name} has no coverage curve")
            continue
        first, last = curve.iloc[0], curve.iloc[-1]
        k, after = int(last["k"]), 100 * float(last["reached_share"])
        parts.append(
            f"{name} reaches {100 * float(first['reached_share']):.1f}% of {unit} with existing "
            f"hubs and {after:.1f}% with {_count(k, 'new hub', 'new hubs')}"
        )
        best.append((round(after, 1), name))
    if not parts:
        return "No scenarios to compare."
    text = "; ".join(parts)
    if len(best) > 1:
        top = max(value for value, _ in best)
        leaders = [name for value, name in best if value == top]
        text += (
            f"; {leaders[0]} reaches the largest share."
            if len(leaders) == 1
            else "; they reach the same share."
        )
    else:
        text += "."
    return text


def curve_table(curve: pd.DataFrame) -> pd.DataFrame:
    """The coverage curve as a table for people (the chart's numbers)."""
    return pd.DataFrame(
        {
            "New hubs": curve["k"].astype(int),
            "Reached": curve["reached_weight"].astype(float).round(),
            "% reached": (100 * curve["reached_share"].astype(float)).round(1),
            "Added by this hub": curve["added_weight"].astype(float).round(),
        }
    )


def hubs_map_summary(on_map: pd.DataFrame, where: str) -> str:
    """The Hubs page map: how many open hubs are drawn and how many are samples."""
    if on_map.empty:
        return f"No open hub among the rows shown for {where}."
    n_sample = int(on_map[c.HUB_SAMPLE].fillna(False).astype(bool).sum())
    real = len(on_map) - n_sample
    return (
        f"{len(on_map):,} open hubs shown in {where}: {real:,} real and {n_sample:,} "
        "illustrative samples (dashed outlines)."
    )


def open_hubs_table(hubs: pd.DataFrame) -> pd.DataFrame:
    """The hubs a network map draws, as a table: name, postcode, LCP, opened, real or sample."""
    cols = {c.HUB_NAME: "Hub", c.HUB_POSTCODE: "Postcode", c.LCP: "LCP", c.HUB_OPENED: "Opened"}
    out = pd.DataFrame({label: hubs.get(col, pd.Series(dtype=str)) for col, label in cols.items()})
    sample = hubs.get(c.HUB_SAMPLE, pd.Series(False, index=hubs.index)).fillna(False).astype(bool)
    out["Kind"] = sample.map({True: "illustrative sample", False: "real hub"})
    return out.reset_index(drop=True)
