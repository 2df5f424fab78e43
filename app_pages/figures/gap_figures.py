"""Gaps page builders: URL settings, ranked gap tables, the need-vs-coverage scatter, links."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app_pages.figures.tables import labelled
from geo import coverage as cov
from utils import constants as c
from utils.indicators import Headline
from utils.risk import (
    AT_RISK_DEFINITIONS,
    DEFAULT_COMPONENT_WEIGHTS,
    DEFAULT_SPEC,
    DERI_SHORT,
    RISK_MISSING,
    local_only_indicators,
)
from utils.text import html_text
from utils.view_state import ALL_LEEDS, ParamSpec

# --- Settings a user can change on the Gaps page ----------------------------------------------

RISK_LABEL = f"Digital Exclusion Risk Index ({DERI_SHORT}, 0–10, 10 = highest risk)"
DERI_COLUMN = f"{DERI_SHORT} score (0–10)"
WEIGHT_MIN, WEIGHT_MAX, WEIGHT_STEP = 0.0, 5.0, 0.5
SCALINGS = {
    "leeds": "Within Leeds (the DERI method: 0 and 10 = lowest and highest in Leeds)",
    "england": "Across England (0 and 10 = lowest and highest in England)",
}


def scaling_help() -> str:
    """What England scaling does, naming the inputs that have no England-wide values here."""
    local = local_only_indicators()
    return (
        "Scaling within Leeds is GMCA's method (each local authority on its own 0–10 scale). "
        "England scaling takes each input's lowest and highest value from every LSOA in "
        "England instead. "
        + (
            f"No England-wide values are held here for: {'; '.join(local)}. "
            "It stays scaled within Leeds."
            if local
            else "Every input has England-wide values."
        )
    )


DEFAULT_AT_RISK = "top20_risk"
DEFAULT_SCALING = "leeds"
AT_RISK_SHORT = {
    "top20_risk": "top 20% risk in Leeds",
    "core20": "Core20 (IMD 2025 national deciles 1–2)",
}
N_TOP_GAPS = 5

Weights = tuple[tuple[str, float], ...]


def weights_key(weights: Mapping[str, float] | None = None) -> Weights:
    """Every component's weight as a sorted tuple of pairs (hashable, for cached loaders)."""
    full = dict(DEFAULT_COMPONENT_WEIGHTS)
    full.update({k: float(v) for k, v in (weights or {}).items()})
    return tuple(sorted(full.items()))


DEFAULT_WEIGHTS: Weights = weights_key()


def format_weights(weights: Mapping[str, float] | Weights) -> str:
    """Weights for a URL, in the index's component order: ``age:1,broadband:0.5,…``."""
    w = dict(weights)
    return ",".join(f"{comp.key}:{w[comp.key]:g}" for comp in DEFAULT_SPEC if comp.key in w)


def parse_weights(raw: str) -> Weights:
    """Read ``key:value,…`` from a URL; components left out keep their default weight.

    Raises
    ------
    ValueError
        A part is not ``key:number`` or names no component of the index.
    """
    known = {comp.key for comp in DEFAULT_SPEC}
    given: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, sep, value = part.partition(":")
        if not sep or key.strip() not in known:
            raise ValueError(part)
        given[key.strip()] = float(value)
    return weights_key(given)


def weights_valid(weights: Weights) -> bool:
    """True when every weight is a slider position and at least one is above zero."""
    values = [v for _k, v in weights]
    on_grid = all(
        math.isfinite(v)
        and WEIGHT_MIN <= v <= WEIGHT_MAX
        and math.isclose((v - WEIGHT_MIN) / WEIGHT_STEP, round((v - WEIGHT_MIN) / WEIGHT_STEP))
        for v in values
    )
    return on_grid and sum(values) > 0


def gap_specs() -> list[ParamSpec]:
    """URL parameters of the Gaps page: risk weights, at-risk definition, scaling."""
    return [
        ParamSpec(
            "w",
            DEFAULT_WEIGHTS,
            parse_weights,
            weights_valid,
            "risk weights",
            lambda _v: "the default weights",
        ),
        ParamSpec(
            "def",
            DEFAULT_AT_RISK,
            str,
            lambda v: v in AT_RISK_DEFINITIONS,
            "at-risk definition",
            AT_RISK_SHORT.get,
        ),
        ParamSpec(
            "scale",
            DEFAULT_SCALING,
            str,
            lambda v: v in SCALINGS,
            "scaling",
            lambda v: f"“{SCALINGS[v].split(' (')[0]}”",
        ),
    ]


def encode_gap_params(values: Mapping[str, object]) -> dict[str, str]:
    """Gaps-page URL parameters, leaving out defaults so links stay short."""
    out: dict[str, str] = {}
    weights = weights_key(dict(values.get("w", DEFAULT_WEIGHTS)))
    if weights != DEFAULT_WEIGHTS:
        out["w"] = format_weights(weights)
    if values.get("def", DEFAULT_AT_RISK) != DEFAULT_AT_RISK:
        out["def"] = str(values["def"])
    if values.get("scale", DEFAULT_SCALING) != DEFAULT_SCALING:
        out["scale"] = str(values["scale"])
    return out


def need_column(at_risk: str) -> str:
    """The need measure that orders LSOA gaps: the risk index, or the IMD score for Core20."""
    return c.IMD_SCORE if at_risk == "core20" else c.RISK_INDEX


# --- Links to the Gaps page --------------------------------------------------------------------


def gaps_href(area: str, extra: Mapping[str, str] | None = None) -> str:
    """Relative link to the Gaps page with an area chosen, e.g. ``gaps?area=Armley%20LCP``.

    Relative (no leading slash) so it also works when the app is served under a base path.
    ``extra`` adds other view parameters (e.g. the radius) after the area.
    """
    params = {"area": area, **{k: v for k, v in (extra or {}).items() if k != "area"}}
    return "gaps?" + urlencode(params, quote_via=quote, safe="")


def gap_link_html(area: str, extra: Mapping[str, str] | None = None, text: str = "") -> str:
    """An HTML link to the Gaps page that opens in the same tab (markdown links open new tabs)."""
    href = html.escape(gaps_href(area, extra), quote=True)
    label = html_text(text or area)
    return f'<a href="{href}" target="_self">{label}</a>'


# --- Tables ------------------------------------------------------------------------------------

LCP_TABLE_COLUMNS = {
    cov.GAP_RANK: "Rank",
    cov.AREA: "LCP",
    c.LCP_STATUS: "Footprint status",
    cov.UNCOVERED_AT_RISK_POP: "At-risk residents beyond reach",
    cov.AT_RISK_POP: "At-risk residents",
    cov.AT_RISK_COVERED_PCT: "% of at-risk residents within reach",
    cov.POPULATION: "Residents",
    cov.COVERED_PCT: "% of residents within reach",
    cov.N_HUBS: "Open hubs",
    cov.HUBS_PER_10K_AT_RISK: "Hubs per 10,000 at-risk residents",
    cov.N_LSOAS: "LSOAs",
}


# Whole-number counts in the tables (shown with thousands separators).
COUNT_COLUMNS = (
    "At-risk residents beyond reach",
    "Residents within reach",
    "At-risk residents within reach",
    "At-risk residents",
    "Residents",
    "Nearest hub (m, straight line)",
)


def lcp_gap_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The LCP ranking (``rank_lcp_gaps``) with plain-English column names, rounded."""
    out = labelled(ranked, LCP_TABLE_COLUMNS)
    for col in ("At-risk residents beyond reach", "At-risk residents", "Residents"):
        out[col] = out[col].round().astype("Int64")
    for col in ("% of at-risk residents within reach", "% of residents within reach"):
        out[col] = out[col].astype(float).round(1)
    out["Hubs per 10,000 at-risk residents"] = (
        out["Hubs per 10,000 at-risk residents"].astype(float).round(2)
    )
    out["Open hubs"] = out["Open hubs"].astype("Int64")
    return out


EQUITY_DECILE = "IMD 2025 decile (1 = most deprived 10% in England)"
EQUITY_COLUMNS = {
    c.LCP_STATUS: "Footprint status",
    cov.N_LSOAS: "LSOAs",
    cov.POPULATION: "Residents",
    cov.COVERED_POP: "Residents within reach",
    cov.COVERED_PCT: "% of residents within reach",
    cov.AT_RISK_POP: "At-risk residents",
    cov.AT_RISK_COVERED_POP: "At-risk residents within reach",
    cov.AT_RISK_COVERED_PCT: "% of at-risk residents within reach",
}


def equity_table(by_lsoa: pd.DataFrame, by: str) -> pd.DataFrame:
    """Residents within reach by IMD 2025 national decile (1-10) or by LCP (with its status).

    Parameters
    ----------
    by_lsoa
        ``geo.coverage.coverage_by_lsoa`` output with ``IMD_DECILE`` and/or ``LCP``.
    by
        ``c.IMD_DECILE`` (every decile 1-10 listed, zeros where Leeds has none) or ``c.LCP``
        (every LCP with its footprint status, described / approximate / provisional).
    """
    if by not in (c.IMD_DECILE, c.LCP):
        raise ValueError(f"The equity view groups by IMD decile or LCP, not {by!r}.")
    summary = cov.summarise_coverage(by_lsoa, group_col=by)
    if by == c.IMD_DECILE:
        summary = summary[summary[cov.AREA] != cov.NO_GROUP_LABEL]
        summary[cov.AREA] = summary[cov.AREA].astype(int)
        summary = summary.set_index(cov.AREA).reindex(range(1, 11))
        zero = [cov.N_LSOAS, cov.POPULATION, cov.COVERED_POP, cov.AT_RISK_POP]
        summary[zero] = summary[zero].fillna(0)
        summary[cov.AT_RISK_COVERED_POP] = summary[cov.AT_RISK_COVERED_POP].fillna(0)
        summary = summary.rename_axis(EQUITY_DECILE).reset_index()
        first = EQUITY_DECILE
    else:
        summary = summary.rename(columns={cov.AREA: "LCP"})
        first = "LCP"
    keep = [first, *[col for col in EQUITY_COLUMNS if col in summary.columns]]
    out = pd.DataFrame(summary[keep]).rename(columns=EQUITY_COLUMNS).reset_index(drop=True)
    for col in (
        "LSOAs",
        "Residents",
        "Residents within reach",
        "At-risk residents",
        "At-risk residents within reach",
    ):
        out[col] = out[col].astype(float).round().astype("Int64")
    for col in ("% of residents within reach", "% of at-risk residents within reach"):
        out[col] = out[col].astype(float).round(1)
    return out


def _distance_m(values: pd.Series) -> pd.Series:
    """Metres rounded to whole numbers; no hub at all (infinite distance) becomes blank."""
    d = values.astype(float).replace([np.inf, -np.inf], np.nan)
    return d.round().astype("Int64")


def lsoa_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """At-risk LSOAs beyond reach (``rank_lsoa_gaps``), named and rounded for people."""
    cols = {
        cov.GAP_RANK: "Rank",
        c.LSOA: "LSOA code",
        c.LSOA_NAME: "LSOA name",
        c.MSOA_NAME: "Neighbourhood (MSOA)",
        c.WARD_NAME: "Ward",
        c.LCP: "LCP",
        c.RISK_INDEX: DERI_COLUMN,
        c.IMD_DECILE: "IMD 2025 decile",
        c.POP_TOTAL: "Residents",
        cov.SHARE_WITHIN_REACH: "% of residents within reach",
        c.NEAREST_HUB_M: "Nearest hub (m, straight line)",
        cov.NEAREST_HUB: "Nearest hub id",
        RISK_MISSING: "Inputs missing from the index",
    }
    out = labelled(gaps, cols)
    if DERI_COLUMN in out:
        out[DERI_COLUMN] = out[DERI_COLUMN].astype(float).round(2)
    if "Residents" in out:
        out["Residents"] = out["Residents"].round().astype("Int64")
    if "% of residents within reach" in out:
        out["% of residents within reach"] = (
            100 * out["% of residents within reach"].astype(float)
        ).round(1)
    if "Nearest hub (m, straight line)" in out:
        out["Nearest hub (m, straight line)"] = _distance_m(out["Nearest hub (m, straight line)"])
    return out


def lsoa_coverage_table(by_lsoa: pd.DataFrame) -> pd.DataFrame:
    """Every LSOA's risk, at-risk flag, nearest hub and covered flag (highest risk first)."""
    cols = [
        col
        for col in (
            c.LSOA,
            c.LSOA_NAME,
            c.WARD_NAME,
            c.LCP,
            c.RISK_INDEX,
            c.IMD_DECILE,
            c.AT_RISK,
            c.POP_TOTAL,
            c.NEAREST_HUB_M,
            cov.SHARE_WITHIN_REACH,
            cov.COVERED_POP,
            c.COVERED,
            RISK_MISSING,
        )
        if col in by_lsoa.columns
    ]
    out = pd.DataFrame(by_lsoa[cols]).copy()
    out[c.RISK_INDEX] = out[c.RISK_INDEX].astype(float).round(2)
    out[c.NEAREST_HUB_M] = _distance_m(out[c.NEAREST_HUB_M])
    if cov.SHARE_WITHIN_REACH in out:
        out[cov.SHARE_WITHIN_REACH] = out[cov.SHARE_WITHIN_REACH].astype(float).round(4)
        out[cov.COVERED_POP] = out[cov.COVERED_POP].astype(float).round(1)
    return out.sort_values(c.RISK_INDEX, ascending=False, na_position="last").reset_index(drop=True)


def hub_count_text(hubs: pd.DataFrame, area: str) -> str:
    """How many open hubs there are (in the area and in Leeds), honest about samples."""
    n, n_sample = len(hubs), int(hubs[c.HUB_SAMPLE].sum()) if len(hubs) else 0
    leeds = f"{n} open hub{'' if n == 1 else 's'} in Leeds" + (
        f", {n_sample} of them illustrative samples (not real sites)" if n_sample else ""
    )
    if area == ALL_LEEDS or c.LCP not in hubs.columns:
        return leeds + "."
    here = hubs[hubs[c.LCP] == area]
    k, k_sample = len(here), int(here[c.HUB_SAMPLE].sum()) if len(here) else 0
    sample = f" ({k_sample} illustrative)" if k_sample else ""
    return f"{k} open hub{'' if k == 1 else 's'} in {area}{sample}; {leeds}."


def missing_inputs_summary(by_lsoa: pd.DataFrame) -> str:
    """One sentence on LSOAs whose index lacks inputs ("" when every input was present)."""
    if RISK_MISSING not in by_lsoa.columns:
        return ""
    reasons = by_lsoa[RISK_MISSING].fillna("").astype(str)
    n_partial = int((reasons != "").sum())
    n_none = int(by_lsoa[c.RISK_INDEX].isna().sum()) if c.RISK_INDEX in by_lsoa else 0
    if not n_partial:
        return ""
    text = (
        f"{n_partial} of {len(by_lsoa)} LSOAs lack some inputs (for example suppressed "
        "small numbers); their index uses the inputs they have — nothing is counted as zero."
    )
    if n_none:
        text += f" {n_none} have no index at all and are never counted as at risk by the index."
    return text


def top_gaps(ranked: pd.DataFrame, n: int = N_TOP_GAPS) -> pd.DataFrame:
    """The first ``n`` LCPs of the ranking that have at-risk residents beyond reach."""
    return ranked[ranked[cov.UNCOVERED_AT_RISK_POP] > 0].head(n).reset_index(drop=True)


def coverage_headlines(summary: pd.Series, radius_m: int, at_risk: str) -> list[Headline]:
    """Coverage figures of one ``summarise_coverage`` row (Leeds or an LCP) as short headlines.

    Values stay short enough for four metrics in a row; the counts go in the ``source`` line.
    """

    def pct(value: float) -> str:
        return "no data" if pd.isna(value) else f"{value:.0f}%"

    reach = f"{radius_m:,} m (straight line) of an open hub"
    at_risk_covered = summary[cov.AT_RISK_POP] - summary[cov.UNCOVERED_AT_RISK_POP]
    per_10k = summary[cov.HUBS_PER_10K_AT_RISK]
    return [
        Headline(
            "Residents within reach",
            pct(summary[cov.COVERED_PCT]),
            f"{summary[cov.COVERED_POP]:,.0f} of {summary[cov.POPULATION]:,.0f} live within {reach}",
        ),
        Headline(
            "At-risk residents within reach",
            pct(summary[cov.AT_RISK_COVERED_PCT]),
            f"{at_risk_covered:,.0f} of {summary[cov.AT_RISK_POP]:,.0f} at-risk residents "
            f"(at risk: {AT_RISK_SHORT[at_risk]})",
        ),
        Headline(
            "At-risk beyond reach",
            f"{summary[cov.UNCOVERED_AT_RISK_POP]:,.0f}",
            f"At-risk residents not within {reach}",
        ),
        Headline(
            "Hubs per 10,000 at risk",
            "no data" if pd.isna(per_10k) else f"{per_10k:.2f}",
            "Open hubs today (illustrative samples included) per 10,000 at-risk residents",
        ),
    ]


# --- Figures -----------------------------------------------------------------------------------

FONT_SIZE = 18
FONT_SMALL = 16
COLOUR_POINT = "#0072B2"  # Okabe-Ito blue
COLOUR_GAP = "#D55E00"  # Okabe-Ito vermillion: the largest gaps
COLOUR_REF = "#555555"


def _lcp_dots(rows: pd.DataFrame, need: pd.Series, marked: set) -> go.Scatter:
    """One dot per LCP sized by at-risk residents beyond reach; ``marked`` LCPs are diamonds."""
    covered = rows[cov.COVERED_PCT].astype(float)
    gap = rows[cov.UNCOVERED_AT_RISK_POP].astype(float)
    colours = [COLOUR_GAP if a in marked else COLOUR_POINT for a in rows[cov.AREA]]
    biggest = float(gap.max()) if len(gap) and gap.max() > 0 else 1.0
    sizes = 12 + 36 * np.sqrt(gap.to_numpy() / biggest)
    hubs = rows[cov.N_HUBS]
    custom = np.column_stack(
        [
            gap.round().to_numpy(),
            rows[cov.AT_RISK_POP].round().to_numpy(),
            rows[cov.POPULATION].round().to_numpy(),
            hubs.fillna(-1).to_numpy(dtype=float),
        ]
    )
    return go.Scatter(
        x=need,
        y=covered,
        mode="markers+text",
        # LCPs with nobody at risk sit in a pile at x = 0; their names go in the hover only.
        text=[
            html.escape(str(a)) if n > 0 or a in marked else ""
            for a, n in zip(rows[cov.AREA], need, strict=True)
        ],
        hovertext=rows[cov.AREA].map(lambda a: html.escape(str(a))),
        textposition="middle right",
        textfont={"size": 13},
        marker={
            "size": sizes,
            "color": colours,
            # The five largest gaps differ in shape too, not only in colour (WCAG 1.4.1).
            "symbol": ["diamond" if a in marked else "circle" for a in rows[cov.AREA]],
            "opacity": 0.8,
            "line": {"color": "#ffffff", "width": 1},
        },
        customdata=custom,
        hovertemplate=(
            "<b>%{hovertext}</b><br>At risk: %{x:.1f}% of residents"
            "<br>Within reach: %{y:.1f}% of residents"
            "<br>At-risk residents beyond reach: %{customdata[0]:,.0f}"
            " of %{customdata[1]:,.0f}<br>Residents: %{customdata[2]:,.0f}"
            "<br>Open hubs: %{customdata[3]:.0f}<extra></extra>"
        ),
        name="LCP",
        showlegend=False,
    )


def _add_leeds_reference(fig: go.Figure, leeds: pd.Series | None) -> None:
    """Dashed lines at Leeds' need and coverage, when a Leeds row with residents is given."""
    if leeds is None or not leeds[cov.POPULATION] > 0:
        return
    lx = 100.0 * leeds[cov.AT_RISK_POP] / leeds[cov.POPULATION]
    ly = float(leeds[cov.COVERED_PCT])
    fig.add_vline(x=lx, line={"color": COLOUR_REF, "dash": "dash", "width": 1})
    fig.add_hline(y=ly, line={"color": COLOUR_REF, "dash": "dash", "width": 1})
    fig.add_annotation(x=lx, y=1.0, yref="paper", text="Leeds", showarrow=False, yanchor="bottom")


def _add_high_need_label(fig: go.Figure) -> None:
    """Name the lower-right corner: high need, low coverage."""
    fig.add_annotation(
        x=0.99,
        y=0.02,
        xref="paper",
        yref="paper",
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        text="<b>High need, low coverage</b>",
        # Darker than the dots: small text needs 4.5:1 on white (this is 5.5:1).
        font={"size": FONT_SMALL, "color": "#B34700"},
    )


def build_need_coverage_scatter(
    summary: pd.DataFrame,
    leeds: pd.Series | None = None,
    *,
    radius_m: int,
    highlight: Iterable[str] = (),
) -> go.Figure:
    """Need (share of residents at risk) against coverage (share within reach), one dot per LCP.

    Parameters
    ----------
    summary
        ``summarise_coverage(by_lsoa, LCP, hubs)`` or ``rank_lcp_gaps`` output.
    leeds
        The Leeds row of ``summarise_coverage``; draws Leeds reference lines when given.
    radius_m
        The reach radius, for the axis title.
    highlight
        LCP names to draw in the warning colour (e.g. the five largest gaps).

    Returns
    -------
    go.Figure
        Dots sized by at-risk residents beyond reach and labelled with the LCP name. The
        lower right is high need with low coverage.
    """
    rows = summary[summary[cov.POPULATION] > 0]
    need = 100.0 * rows[cov.AT_RISK_POP] / rows[cov.POPULATION]
    fig = go.Figure(_lcp_dots(rows, need, set(highlight)))
    _add_leeds_reference(fig, leeds)
    _add_high_need_label(fig)
    fig.update_layout(
        font={"size": FONT_SIZE},
        height=560,
        margin={"l": 70, "r": 20, "t": 40, "b": 70},
        plot_bgcolor="#ffffff",
        xaxis={
            "title": "Need: residents at risk (%)",
            "gridcolor": "#e5e5e5",
            # Room for the names printed to the right of the dots.
            "range": [-3, max(float(need.max()) if len(need) else 0.0, 10.0) * 1.3],
        },
        yaxis={
            "title": f"Coverage: residents within {radius_m:,} m of a hub (%)",
            "gridcolor": "#e5e5e5",
            "range": [-5, 105],
        },
    )
    return fig


def breakdown_table(breakdown: pd.DataFrame) -> pd.DataFrame:
    """A ``risk_breakdown`` frame for people: component, weight, score, contribution, note."""
    out = pd.DataFrame(
        {
            "Component": breakdown["label"],
            "Weight": breakdown["weight"].astype(float),
            "Score (0–10)": breakdown["score"].astype(float).round(2),
            "Share of weight (%)": (100 * breakdown["weight_share"].astype(float)).round(0),
            "Contribution to the index": breakdown["contribution"].astype(float).round(2),
        }
    )
    out["Data"] = np.where(
        breakdown["available"], "available", "missing: left out, not counted as 0"
    )
    return out


def indicator_breakdown_table(breakdown: pd.DataFrame) -> pd.DataFrame:
    """A ``risk_breakdown(..., level="indicator")`` frame for people: each input's own value,
    its 0–10 score, its weight in its component, and the component's score.
    """
    return pd.DataFrame(
        {
            "Component": breakdown["component_label"],
            "Input": breakdown["label"],
            "Value": breakdown["raw"].astype(float).round(3),
            "Score (0–10)": breakdown["score"].astype(float).round(2),
            "Weight in component (%)": (100 * breakdown["weight_in_component"]).round(0),
            "Component score (0–10)": breakdown["component_score"].astype(float).round(2),
        }
    )


def build_breakdown_chart(breakdown: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars: how much each component adds to one LSOA's index (missing marked)."""
    labels = [
        lab if ok else f"{lab} (no data)"
        for lab, ok in zip(breakdown["label"], breakdown["available"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=breakdown["contribution"].astype(float).fillna(0.0),
            y=labels,
            orientation="h",
            marker={
                "color": [COLOUR_GAP if ok else "#bbbbbb" for ok in breakdown["available"]],
            },
            text=[
                f"{v:.2f}" if ok else "missing"
                for v, ok in zip(breakdown["contribution"], breakdown["available"], strict=True)
            ],
            textposition="outside",
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": html.escape(title), "font": {"size": FONT_SIZE}},
        font={"size": FONT_SMALL},
        height=120 + 50 * len(labels),
        margin={"l": 10, "r": 40, "t": 50, "b": 50},
        plot_bgcolor="#ffffff",
        xaxis={"title": "Points of the 0–10 index", "gridcolor": "#e5e5e5", "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def lsoa_choice_labels(by_lsoa: pd.DataFrame) -> dict[str, str]:
    """LSOA code -> "name (code) — DERI 7.12", highest risk first (no index last)."""
    rows = by_lsoa.sort_values(c.RISK_INDEX, ascending=False, na_position="last")
    return {
        code: f"{name} ({code}) — {DERI_SHORT} " + ("no data" if pd.isna(risk) else f"{risk:.2f}")
        for code, name, risk in zip(
            rows[c.LSOA], rows[c.LSOA_NAME], rows[c.RISK_INDEX], strict=True
        )
    }


def top_gaps_markdown(
    ranked: pd.DataFrame,
    radius_m: int,
    linkable: Iterable[str],
    extra: Mapping[str, str] | None = None,
    n: int = N_TOP_GAPS,
) -> str:
    """A numbered list of the largest LCP gaps, each LCP linking to the Gaps page filtered to it.

    Parameters
    ----------
    ranked
        ``rank_lcp_gaps`` output.
    radius_m
        The reach radius used.
    linkable
        Area names the Gaps page accepts (others are shown without a link).
    extra
        Other view parameters to carry in the links (e.g. ``{"r": "1200"}``).

    Returns
    -------
    str
        Markdown with inline HTML links ("" when there are no gaps); render with
        ``unsafe_allow_html=True``. Names are escaped.
    """
    ok = set(linkable)
    lines = []
    for _, row in top_gaps(ranked, n).iterrows():
        lcp = str(row[cov.AREA])
        name = gap_link_html(lcp, extra) if lcp in ok else html_text(lcp)
        status = row.get(c.LCP_STATUS)
        if isinstance(status, str) and status:
            name += f" ({html_text(status)} footprint)"
        pct = row[cov.AT_RISK_COVERED_PCT]
        share = "" if pd.isna(pct) else f" ({pct:.0f}% of its at-risk residents within reach)"
        lines.append(
            f"1. **{name}**: {row[cov.UNCOVERED_AT_RISK_POP]:,.0f} at-risk residents beyond "
            f"{radius_m:,} m of a hub{share}"
        )
    return "\n".join(lines)
