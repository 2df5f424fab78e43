"""Plotly figures for the Growth page: hub growth, coverage over time, deprivation, network."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import NamedTuple
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app_pages.figures.tables import labelled
from utils import constants as c
from utils import dates as dates_mod
from utils import growth as g

# Okabe-Ito (colour-blind safe) first, then Paul Tol's "muted" set for LCPs beyond eight.
PALETTE_CATEGORICAL = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#DDDDDD",
)
COLOUR_WORSE = "#D55E00"  # Okabe-Ito vermillion: relatively more deprived
COLOUR_BETTER = "#0072B2"  # Okabe-Ito blue: relatively less deprived
COLOUR_TOTAL = "#000000"
COLOUR_MILESTONE = "#555555"

FONT_SIZE = 18  # presentation size; nothing below 16 px
FONT_SMALL = 16
TITLE_SIZE = 24
SAMPLE_PATTERN = "/"  # hatching marks illustrative hubs
SAMPLE_OPACITY = 0.45

# Label layout assumes a plot area about 820 px wide (a wide Streamlit column on a laptop);
# wider screens only spread the labels further apart. The figure is laid out in pixels so that
# it stays about 600 px tall however many milestones and LCPs there are.
_PLOT_WIDTH_PX = 820.0
_PLOT_HEIGHT_PX = 330.0  # milestone labels along the top of the plot area, the data below
_MARGIN_TOP_PX = 100.0  # title and subtitle
_AXIS_PX = 36.0  # x tick labels under the plot
_LEGEND_ENTRY_PX = 215.0  # text; the swatch adds about 40 px
_LEGEND_ROW_PX = 24.0
_LINE_PX = FONT_SMALL * 1.35
_CHAR_PX = FONT_SMALL * 0.56
_LABEL_CHARS = 30
_GAP_PX = 8.0
_MAX_SHIFT_PX = 300.0
_PROVISIONAL = "Provisional: "


class OutlineError(g.GrowthError):
    """The Leeds outline given to a map is in the wrong CRS or form."""


def _colour(i: int) -> str:
    return PALETTE_CATEGORICAL[i % len(PALETTE_CATEGORICAL)]


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, gr, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{gr},{b},{alpha})"


def _base_layout(fig: go.Figure, title: str, subtitle: str | None = None) -> None:
    fig.update_layout(
        title={
            "text": title,
            "font": {"size": TITLE_SIZE},
            "subtitle": {"text": subtitle or "", "font": {"size": FONT_SMALL}},
            "x": 0.01,
            "xanchor": "left",
        },
        font={"size": FONT_SIZE},
        hoverlabel={"font": {"size": FONT_SMALL}},
        legend={"font": {"size": FONT_SMALL}},
        template="plotly_white",
        margin={"t": 110, "l": 70, "r": 30, "b": 60},
    )


def _short_domain(url: str) -> str:
    first = url.split(";")[0].strip()
    host = urlparse(first).netloc
    return host.removeprefix("www.") or first


def _wrap(text: str, width: int = 30) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _headline(part: pd.DataFrame) -> str:
    """A short 'what happened' for milestones sharing a date label: hub counts, else events."""
    added = [int(v) for v in part[g.MS_HUBS_ADDED] if not pd.isna(v)]
    totals = [int(v) for v in part[g.MS_HUBS_TOTAL] if not pd.isna(v)]
    if added:
        text = " / ".join(f"+{v}" for v in added) + (" hub" if added == [1] else " hubs")
    elif totals:
        text = f"{max(totals)} hubs stated"
    else:
        events = [e.replace("_", " ") for e in part[g.MS_EVENT] if e]
        text = ", ".join(dict.fromkeys(events)) or "milestone"
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


_MARKER = {
    "day": "line-ns",
    "month": "line-ns",
    "year": "square",
    "season": "square",
    "range": "square",
    "before": "triangle-left",
    "after": "triangle-right",
}


def _layout_boxes(
    anchors: list[float], sizes: list[tuple[float, float]], width: float
) -> list[tuple[float, int]]:
    """Greedy label layout: (left, row) per box, in anchor order, no two boxes overlapping.

    Each box would start at its anchor; it goes in the first row with a free slot within
    _MAX_SHIFT_PX of there, as close to it as possible; clustered milestones (most public dates fall
    in Aug-Oct 2022) therefore stack instead of overprinting. Boxes are placed latest first: the
    network grows, so the top rows go to the late labels over the tallest data, and the lower
    rows fill from the left, where the data are still low.
    """
    rows: list[list[tuple[float, float]]] = []
    placed: list[tuple[float, int]] = [(0.0, 0)] * len(anchors)
    order = sorted(range(len(anchors)), key=lambda i: -anchors[i])
    for i in order:
        anchor, (w, _h) = anchors[i], sizes[i]
        hi = max(width - w, 0.0)
        home = min(max(anchor, 0.0), hi)  # starting at its date, where its marker sits
        choice = None
        for r, boxes in enumerate(rows):
            candidates = [home]
            for a, b in boxes:
                candidates += [b + _GAP_PX, a - _GAP_PX - w]
            free = [
                x
                for x in candidates
                if 0 <= x <= hi
                and abs(x - home) <= _MAX_SHIFT_PX
                and all(x + w + _GAP_PX <= a or x >= b + _GAP_PX for a, b in boxes)
            ]
            if free:
                choice = (min(free, key=lambda x: abs(x - home)), r)
                break
        if choice is None:
            rows.append([])
            choice = (home, len(rows) - 1)
        rows[choice[1]].append((choice[0], choice[0] + w))
        placed[i] = choice
    return placed


def _milestone_text(label: str, part: pd.DataFrame) -> tuple[str, int, int]:
    """Annotation HTML (date label and what happened, then the linked source) and its size.

    Returns the HTML, the widest line in characters and the number of lines. The scope and
    description of each milestone are in the marker's hover text and the milestone table.
    """
    first_url = {_short_domain(u): u.split(";")[0].strip() for u in part[g.MS_SOURCE][::-1]}
    what = _headline(part)
    links = [
        f'<i><a href="{escape(url, quote=True)}">{escape(domain)}</a></i>'
        for domain, url in sorted(first_url.items())
    ]
    html = "<br>".join([f"<b>{escape(label)}</b> · {escape(what)}", *links])
    # Bold text is about 10% wider.
    widest = max([int(len(label) * 1.1) + 3 + len(what), *map(len, first_url)])
    return html, widest, 1 + len(links)


class _MilestoneLayout(NamedTuple):
    groups: list  # ((label, date), rows) per annotation, in date order
    texts: list[str]
    sizes: list[tuple[float, float]]  # (width, height) px
    placed: list[tuple[float, int]]  # (left px, row)
    row_top: list[float]  # px below the top of the plot area
    band: float  # px taken by all rows


def _layout_milestones(
    milestones: pd.DataFrame, x_range: tuple[pd.Timestamp, pd.Timestamp]
) -> _MilestoneLayout:
    """Where each milestone label goes: rows from the top of the plot area, none overlapping."""
    x0, x1 = x_range
    span = (x1 - x0) / pd.Timedelta(days=1)
    groups = sorted(
        milestones.reset_index(drop=True).groupby([g.MS_LABEL, g.MS_DATE], sort=False),
        key=lambda item: item[0][1],
    )
    texts, sizes, anchors = [], [], []
    for (label, when), part in groups:
        html, widest, n_lines = _milestone_text(label, part)
        texts.append(html)
        sizes.append((widest * _CHAR_PX + 12, n_lines * _LINE_PX + 8))
        anchors.append((when - x0) / pd.Timedelta(days=1) / span * _PLOT_WIDTH_PX)
    placed = _layout_boxes(anchors, sizes, _PLOT_WIDTH_PX)
    n_rows = max(row for _, row in placed) + 1
    row_h = [
        max(h for (_, h), (_, r) in zip(sizes, placed, strict=True) if r == k)
        for k in range(n_rows)
    ]
    row_top = [sum(row_h[:k]) + 4 * k + 4 for k in range(n_rows)]
    return _MilestoneLayout(groups, texts, sizes, placed, row_top, row_top[-1] + row_h[-1])


class _PxScale(NamedTuple):
    """Dates <-> pixels along a plot area ``_PLOT_WIDTH_PX`` wide showing ``x0``..``x1``."""

    x0: pd.Timestamp
    days: float

    @classmethod
    def over(cls, x_range: tuple[pd.Timestamp, pd.Timestamp]) -> _PxScale:
        x0, x1 = x_range
        return cls(x0, (x1 - x0) / pd.Timedelta(days=1))

    def to_px(self, when: pd.Timestamp) -> float:
        return (when - self.x0) / pd.Timedelta(days=1) / self.days * _PLOT_WIDTH_PX

    def to_date(self, px: float) -> pd.Timestamp:
        return self.x0 + pd.Timedelta(days=px / _PLOT_WIDTH_PX * self.days)


def _draw_milestone_window(fig: go.Figure, first: pd.Series, when: pd.Timestamp) -> None:
    """A dashed line on a day/month date, a shaded span over a year, season or range."""
    precision = first[g.MS_PRECISION]
    if precision in g.PRECISE:
        fig.add_vline(x=when, line={"dash": "dash", "color": COLOUR_MILESTONE, "width": 1.5})
    elif precision in ("year", "season", "range"):
        fig.add_vrect(
            x0=first[g.MS_EARLIEST],
            x1=first[g.MS_LATEST],
            fillcolor=COLOUR_MILESTONE,
            opacity=0.12,
            line_width=0,
            layer="below",
        )


def _milestone_hover(label: str, precision: str, row: pd.Series) -> str:
    """Hover text of one milestone: date label and precision, scope, description, source."""
    return (
        f"<b>{escape(label)}</b> ({escape(row[g.MS_PRECISION_NOTE] or precision)})<br>"
        f"{escape(row[g.MS_SCOPE])}<br>{_wrap(escape(row[g.MS_DESCRIPTION]), 60)}<br>"
        f"source: {escape(row[g.MS_SOURCE])}"
    )


def _milestone_markers(xs: list, ys: list, symbols: list[str], hover: list[str]) -> go.Scatter:
    """The 'Public milestones' marker trace, on the hidden 0-1 axis ``y2``."""
    return go.Scatter(
        x=xs,
        y=ys,
        yaxis="y2",
        mode="markers",
        name="Public milestones",
        marker={
            "symbol": symbols,
            "size": 14,
            "color": COLOUR_MILESTONE,
            "line": {"width": 2, "color": COLOUR_MILESTONE},
        },
        hovertext=hover,
        hoverinfo="text",
    )


def _add_milestone_label(
    fig: go.Figure,
    scale: _PxScale,
    when: pd.Timestamp,
    html: str,
    sources: pd.Series,
    place: tuple[float, float, float],
    size: tuple[float, float],
) -> tuple[pd.Timestamp, pd.Timestamp, float]:
    """A milestone label at ``place`` (left px, top px, date-line height on paper).

    A dotted leader line joins it to its date when the label had to move off it. Returns the
    dates the label spans (with its leader line) and its bottom edge in px.
    """
    left, top_px, mid = place
    width, height = size
    fig.add_annotation(
        hovertext="<br>".join(escape(u) for u in sources.unique()),
        x=scale.to_date(left),
        y=1,
        yshift=-top_px,  # pixels, so rows never overlap whatever the plot's height
        yref="paper",
        text=html,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
        font={"size": FONT_SMALL, "color": "#222222"},
        bgcolor="rgba(255,255,255,0.85)",
    )
    anchor = scale.to_px(when)
    if not left - 4 <= anchor <= left + width + 4:  # label moved off its date: leader line
        fig.add_shape(
            type="line",
            x0=when,
            x1=scale.to_date(left if left > anchor else left + width),
            y0=mid,
            y1=mid,
            yref="paper",
            line={"color": COLOUR_MILESTONE, "width": 1, "dash": "dot"},
        )
    return (
        min(when, scale.to_date(left)),
        max(when, scale.to_date(left + width)),
        top_px + height,
    )


def _add_milestones(
    fig: go.Figure,
    layout: _MilestoneLayout,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    plot_h: float,
) -> list[tuple[pd.Timestamp, pd.Timestamp, float]]:
    """Draw milestones along the top of a plot area ``plot_h`` px tall.

    Day/month dates get a dashed vertical line; years, seasons and ranges a shaded span over
    their window; "before"/"after" dates only a "≤"/"≥" triangle at the bound, never a precise
    line. Milestones sharing a date label share one annotation, with their source(s).

    Returns, per label, the dates it spans (with its leader line) and its bottom edge in px
    below the top of the plot area, so the caller can keep the data clear of the labels.
    """
    scale = _PxScale.over(x_range)
    boxes = []
    hover, xs, ys, symbols = [], [], [], []
    for i, (((label, when), part), html, (left, row)) in enumerate(
        zip(layout.groups, layout.texts, layout.placed, strict=True)
    ):
        first = part.iloc[0]
        precision = first[g.MS_PRECISION]
        _draw_milestone_window(fig, first, when)
        top_px = layout.row_top[row]
        mid = 1 - (top_px + _LINE_PX * 0.6) / plot_h  # the bold date line
        boxes.append(
            _add_milestone_label(
                fig, scale, when, html, part[g.MS_SOURCE], (left, top_px, mid), layout.sizes[i]
            )
        )
        for _, row_ in part.iterrows():
            xs.append(when)
            ys.append(mid)
            symbols.append(_MARKER.get(precision, "circle"))
            hover.append(_milestone_hover(label, precision, row_))
    fig.add_trace(_milestone_markers(xs, ys, symbols, hover))
    # A hidden 0-1 axis over the whole plot lets markers sit exactly on their labels.
    fig.update_layout(
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
    )
    return boxes


def _legend_name(group: str) -> str:
    """A legend label short enough for a column: 'Provisional: Pudsey area' -> 'Pudsey*'."""
    if group.startswith(_PROVISIONAL):
        return group[len(_PROVISIONAL) :].removesuffix(" area") + "*"
    return group


def _band(
    part: pd.DataFrame, group: str, column: str, kind: str, colour: str, hover: str, **style
) -> go.Scatter:
    """One stacked step band of a group's open hubs (``kind`` is 'real' or 'illustrative')."""
    return go.Scatter(
        x=part[g.MONTH],
        y=part[column],
        name=f"{group}: {kind}",
        legendgroup=group,
        showlegend=False,
        stackgroup="hubs",
        line={"shape": "hv", "color": colour, "width": 1},
        hovertemplate=f"{escape(group)}: %{{y}} {hover}<extra>%{{x|%b %Y}}</extra>",
        **style,
    )


def _add_group_bands(fig: go.Figure, series: pd.DataFrame, groups: list[str]) -> None:
    """Per group a solid real-hub band and, if it has any, a lighter hatched illustrative one."""
    for i, group in enumerate(groups):
        part = series[series[g.GROUP] == group].sort_values(g.MONTH)
        colour = _colour(i)
        fig.add_trace(
            _band(part, group, g.OPEN_REAL, "real", colour, "real hubs", fillcolor=colour)
        )
        if part[g.OPEN_SAMPLE].sum() > 0:
            fig.add_trace(
                _band(
                    part,
                    group,
                    g.OPEN_SAMPLE,
                    "illustrative",
                    _rgba(colour, SAMPLE_OPACITY),
                    "illustrative (sample) hubs",
                    fillcolor=_rgba(colour, SAMPLE_OPACITY * 0.6),
                    fillpattern={
                        "shape": SAMPLE_PATTERN,
                        "fgcolor": colour,
                        "bgcolor": "rgba(255,255,255,0)",
                        "solidity": 0.3,
                    },
                )
            )


def _add_total_line(fig: go.Figure, totals: pd.DataFrame) -> None:
    """The black step line of real hubs in all groups."""
    fig.add_trace(
        go.Scatter(
            x=totals[g.MONTH],
            y=totals[g.OPEN_REAL],
            name="Real hubs, all LCPs",
            mode="lines",
            line={"shape": "hv", "color": COLOUR_TOTAL, "width": 3},
            hovertemplate="Real hubs: %{y}<extra>%{x|%b %Y}</extra>",
        )
    )


def _growth_subtitle(totals: pd.DataFrame, date_not_known: Sequence[str]) -> tuple[str, float]:
    """The subtitle (last month's count, illustrative share, undated hubs) and the y maximum."""
    if len(totals):
        last = totals.iloc[-1]
        n_all, n_sample = int(last[g.OPEN_HUBS]), int(last[g.OPEN_SAMPLE])
        when = f"{last[g.MONTH]:%b %Y}"
        if totals[g.OPEN_SAMPLE].sum() > 0:
            subtitle = (
                f"{when}: {n_all} hubs open, {n_sample} of them illustrative. "
                "Hatched, lighter bands are illustrative (sample) hubs, not real ones."
            )
        else:
            subtitle = f"{when}: {n_all} hubs open, all real."
        y_max = max(float(totals[g.OPEN_HUBS].max()), 1.0)
    else:
        subtitle, y_max = "No dated hubs in the register", 1.0
    if date_not_known:
        names = ", ".join(escape(n) for n in date_not_known)
        subtitle += (
            f"<br>Opening {dates_mod.DATE_NOT_KNOWN}: {names} (counted from a placeholder month "
            "so that it is on the chart)."
        )
    return subtitle, y_max


def _milestone_x_range(
    series: pd.DataFrame, milestones: pd.DataFrame
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x range that shows every month and every milestone's window, slightly padded."""
    dates = pd.concat(
        [
            series[g.MONTH],
            milestones[g.MS_DATE],
            milestones[g.MS_EARLIEST],
            milestones[g.MS_LATEST],
        ]
    ).dropna()
    pad = (dates.max() - dates.min()) * 0.02 + pd.Timedelta(days=15)
    return dates.min() - pad, dates.max() + pad


def _fit_milestones(
    fig: go.Figure,
    milestones: pd.DataFrame,
    totals: pd.DataFrame,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    y_top: float,
) -> tuple[float, float]:
    """Draw the milestones and return the plot height (px) and y top that keep data clear."""
    layout = _layout_milestones(milestones, x_range)
    plot_h = max(_PLOT_HEIGHT_PX, layout.band / 0.6)  # the data keep at least 40% of the height
    # Labels sit over the top of the plot; raise the y range just enough that the data
    # under each label stay below it (the network grows, so early labels can sit low).
    for start, stop, bottom in _add_milestones(fig, layout, x_range, plot_h):
        window = totals[
            (totals[g.MONTH] > start - pd.Timedelta(days=31)) & (totals[g.MONTH] <= stop)
        ]
        under = float(window[g.OPEN_HUBS].max()) if len(window) else 0.0
        y_top = max(y_top, under * 1.04 * plot_h / (plot_h - bottom))
    return plot_h, y_top


def _add_group_swatches(fig: go.Figure, groups: list[str]) -> None:
    """One legend swatch per group: a legend-only shape toggling its real and illustrative bands."""
    for i, group in enumerate(groups):
        fig.add_shape(
            type="path",
            path="M 0,0 L 0,0 Z",
            xref="paper",
            yref="paper",
            fillcolor=_colour(i),
            line={"width": 0},
            showlegend=True,
            name=_legend_name(group),
            legendgroup=group,
            legendrank=i,
        )


def _legend_height(n_entries: int) -> float:
    """Pixels the horizontal legend needs for ``n_entries`` entries under the plot."""
    per_row = max(int(_PLOT_WIDTH_PX // (_LEGEND_ENTRY_PX + 40)), 1)
    return math.ceil(n_entries / per_row) * _LEGEND_ROW_PX + 10


def build_growth_chart(
    series: pd.DataFrame,
    milestones: pd.DataFrame | None = None,
    *,
    title: str = "Digital Health Hubs open, by Local Care Partnership",
    date_not_known: Sequence[str] = (),
) -> go.Figure:
    """Stacked step chart of open hubs per group, real solid and illustrative hatched.

    Parameters
    ----------
    series
        Output of :func:`utils.growth.growth_series`.
    milestones
        Output of :func:`utils.growth.parse_milestones` (optional).
    title
        Figure title; the subtitle states how many hubs in the last month are illustrative.
    date_not_known
        Names of hubs whose opening date the register marks as a placeholder
        (:func:`utils.growth.placeholder_hubs`); the subtitle says their date is not known.

    Returns
    -------
    go.Figure
        Traces, in order: per group a solid real-hub band and (if the group has any) a
        lighter hatched illustrative band, stacked; a black step line of real hubs in all
        groups; and one "Public milestones" marker trace if milestones were given.
    """
    fig = go.Figure()
    groups = list(dict.fromkeys(series[g.GROUP]))
    _add_group_bands(fig, series, groups)
    totals = g.total_series(series) if len(series) else series
    _add_total_line(fig, totals)
    subtitle, y_max = _growth_subtitle(totals, date_not_known)
    has_milestones = milestones is not None and len(milestones) > 0
    plot_h, y_top, x_range = _PLOT_HEIGHT_PX, y_max * 1.08, None
    if has_milestones:
        x_range = _milestone_x_range(series, milestones)
        plot_h, y_top = _fit_milestones(fig, milestones, totals, x_range, y_top)
    _add_group_swatches(fig, groups)
    legend_h = _legend_height(len(groups) + 1 + int(has_milestones))
    provisional = any(str(group).startswith(_PROVISIONAL) for group in groups)
    _base_layout(fig, title, subtitle)
    fig.update_layout(
        xaxis={"title": None, "range": list(x_range) if x_range else None},
        yaxis={"title": "Hubs open (first of month)", "range": [0, y_top]},
        legend={
            "orientation": "h",
            "y": -_AXIS_PX / plot_h,
            "yanchor": "top",
            "entrywidth": _LEGEND_ENTRY_PX,
            "entrywidthmode": "pixels",
            "traceorder": "normal",
            "title": {"text": "* provisional footprint" if provisional else "", "side": "top"},
        },
        hovermode="x unified",
        height=int(_MARGIN_TOP_PX + plot_h + _AXIS_PX + legend_h + 24 * provisional + 20),
        margin={"t": _MARGIN_TOP_PX, "b": _AXIS_PX + legend_h + 24 * provisional + 20},
    )
    return fig


def _coverage_groups(
    coverage_frame: pd.DataFrame, group_col: str | None, leeds_label: str
) -> tuple[pd.DataFrame, str, list[str]]:
    """The frame with a group and hub-set column for sure, its group column and groups (Leeds first)."""
    frame = coverage_frame.copy()
    if group_col is None or group_col not in frame.columns:
        group_col = "_group"
        frame[group_col] = leeds_label
    if g.HUB_SET not in frame.columns:
        frame[g.HUB_SET] = g.HUB_SET_REAL
    groups = list(dict.fromkeys(frame[group_col].astype(str)))
    groups = [x for x in groups if x == leeds_label] + [x for x in groups if x != leeds_label]
    return frame, group_col, groups


def _differs(real: pd.DataFrame, every: pd.DataFrame, value_col: str) -> bool:
    """Whether the all-hubs series differs from the real-hubs one in any month."""
    merged = real[[g.MONTH, value_col]].merge(
        every[[g.MONTH, value_col]], on=g.MONTH, how="outer", suffixes=("_r", "_a")
    )
    return bool(len(every)) and not np.allclose(
        merged[f"{value_col}_r"].astype(float),
        merged[f"{value_col}_a"].astype(float),
        equal_nan=True,
    )


def _add_coverage_lines(
    fig: go.Figure, part: pd.DataFrame, group: str, value_col: str, colour: str, width: int
) -> bool:
    """A group's solid real-hubs step line, and a dashed all-hubs one where it differs.

    Returns whether the dashed line was drawn.
    """
    real = part[part[g.HUB_SET] == g.HUB_SET_REAL]
    every = part[part[g.HUB_SET] == g.HUB_SET_ALL]
    fig.add_trace(
        go.Scatter(
            x=real[g.MONTH],
            y=real[value_col],
            name=f"{group}" + (" (real hubs)" if len(every) else ""),
            legendgroup=group,
            mode="lines",
            line={"shape": "hv", "color": colour, "width": width},
            hovertemplate=(f"{escape(group)}, real hubs: %{{y:,.3~f}}<extra>%{{x|%b %Y}}</extra>"),
        )
    )
    if not _differs(real, every, value_col):
        return False
    fig.add_trace(
        go.Scatter(
            x=every[g.MONTH],
            y=every[value_col],
            name=f"{group} incl. illustrative",
            legendgroup=group,
            mode="lines",
            line={"shape": "hv", "color": colour, "width": width - 1, "dash": "dash"},
            opacity=0.7,
            hovertemplate=(
                f"{escape(group)}, incl. illustrative hubs: %{{y:,.3~f}}<extra>%{{x|%b %Y}}</extra>"
            ),
        )
    )
    return True


def build_coverage_over_time_chart(
    coverage_frame: pd.DataFrame,
    value_col: str,
    *,
    group_col: str | None = c.LCP,
    y_title: str = "At-risk residents within reach of a hub",
    title: str = "Coverage over time",
    leeds_label: str = g.LEEDS_GROUP,
) -> go.Figure:
    """Step lines of a coverage measure per month, per group, real vs all hubs.

    Parameters
    ----------
    coverage_frame
        Output of :func:`utils.growth.coverage_over_time`: MONTH, optional HUB_SET, optional
        ``group_col`` and ``value_col``.
    value_col
        The measure to plot (e.g. share or count of at-risk people covered).
    group_col
        Column naming the area (LCP or Leeds); None or absent means one line per hub set.
    leeds_label
        The group drawn thick black as the city-wide line.

    Returns
    -------
    go.Figure
        One solid trace per group for real hubs (or all hubs when there is no HUB_SET), plus a
        dashed trace per group for "all hubs incl. illustrative" wherever that differs.
    """
    if value_col not in coverage_frame.columns:
        raise g.GrowthError(f"The coverage frame has no '{value_col}' column.")
    frame, group_col, groups = _coverage_groups(coverage_frame, group_col, leeds_label)
    fig = go.Figure()
    any_sample = False
    for i, group in enumerate(groups):
        colour = COLOUR_TOTAL if group == leeds_label else _colour(i - (leeds_label in groups))
        width = 4 if group == leeds_label else 2
        part = frame[frame[group_col].astype(str) == group].sort_values(g.MONTH)
        any_sample |= _add_coverage_lines(fig, part, group, value_col, colour, width)
    subtitle = (
        "Solid: real hubs only. Dashed: including illustrative (sample) hubs."
        if any_sample
        else "Real hubs only; no illustrative hubs change these values."
    )
    _base_layout(fig, title, subtitle)
    fig.update_layout(
        yaxis={"title": y_title, "rangemode": "tozero"},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
        height=560,
    )
    return fig


def _deprivation_bars(frame: pd.DataFrame, change: pd.Series, labels: pd.Series) -> go.Bar:
    """One bar per LCP: vermillion left of zero, blue right of it, the Leeds row hatched."""
    is_leeds = labels == g.LEEDS_GROUP
    colours = np.where(change < 0, COLOUR_WORSE, COLOUR_BETTER)
    custom = np.column_stack(
        [
            frame[c.IMD2019_PCT].astype(float) * 100,
            frame[c.IMD2025_PCT].astype(float) * 100,
            frame[c.POP_TOTAL].astype(float),
            frame[g.N_LSOAS] if g.N_LSOAS in frame else np.full(len(frame), np.nan),
        ]
    )
    return go.Bar(
        x=change,
        y=labels,
        orientation="h",
        marker={
            "color": list(colours),
            "pattern": {"shape": ["x" if lv else "" for lv in is_leeds], "solidity": 0.3},
        },
        customdata=custom,
        text=[f"{v:+.1f}" for v in change],
        textposition="outside",
        name="Change in percentile points",
        hovertemplate=(
            "<b>%{y}</b><br>2019: %{customdata[0]:.1f}th percentile<br>"
            "2025: %{customdata[1]:.1f}th percentile<br>change: %{x:+.1f} points<br>"
            "population (mid-2022): %{customdata[2]:,.0f}; LSOAs: %{customdata[3]}"
            "<extra></extra>"
        ),
    )


def build_deprivation_change_chart(
    change_frame: pd.DataFrame,
    *,
    lcp_col: str = c.LCP,
    title: str = "Change in relative deprivation, IMD 2019 → 2025",
) -> go.Figure:
    """Horizontal bar per LCP of the change in population-weighted national percentile rank.

    Parameters
    ----------
    change_frame
        Output of :func:`utils.growth.deprivation_change_by_lcp` (fractions 0-1; shown here as
        percentile points).

    Returns
    -------
    go.Figure
        One bar trace; bars left of zero (vermillion) became relatively more deprived, right of
        zero (blue) relatively less; the Leeds row, if present, is hatched.
    """
    frame = change_frame.copy()
    change = frame[c.IMD_PCT_CHANGE].astype(float) * 100
    fig = go.Figure(_deprivation_bars(frame, change, frame[lcp_col].astype(str)))
    _base_layout(
        fig,
        title,
        "Population-weighted national percentile rank (0 = most deprived). "
        "Left of zero: relatively more deprived in 2025.",
    )
    fig.add_vline(x=0, line={"color": "#333333", "width": 1})
    span = float(np.nanmax(np.abs(change))) if len(change) else 1.0
    span = max(span, 0.5) * 1.3
    fig.update_layout(
        xaxis={"title": "Change in percentile points (2025 − 2019)", "range": [-span, span]},
        yaxis={"title": None, "autorange": "reversed"},
        height=max(360, 60 + 42 * len(frame)),
        showlegend=False,
    )
    return fig


def _outline_xy(outline: object) -> tuple[list, list]:
    """Lon/lat vertex lists (rings separated by None) from a GeoDataFrame, geometry or coords."""
    import shapely  # local: only maps need it
    from shapely.geometry.base import BaseGeometry

    geoms: list[BaseGeometry]
    if hasattr(outline, "geometry") and hasattr(outline, "crs"):
        crs = outline.crs
        if crs is None or not crs.equals(c.CRS_WGS84, ignore_axis_order=True):
            raise OutlineError(
                f"The Leeds outline must be in {c.CRS_WGS84} (lon/lat) to draw; got {crs}. "
                "Reproject it with .to_crs(constants.CRS_WGS84)."
            )
        geoms = [geom for geom in outline.geometry if geom is not None]
    elif isinstance(outline, BaseGeometry):
        geoms = [outline]
    else:
        coords = np.asarray(outline, dtype=float)
        if coords.ndim != 2 or coords.shape[1] != 2:
            raise OutlineError("Outline coordinates must be a sequence of (lon, lat) pairs.")
        geoms = [shapely.LineString(coords)]
    xs: list = []
    ys: list = []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
            for ring in rings:
                rx, ry = ring.xy
                xs.extend([*rx, None])
                ys.extend([*ry, None])
    return xs, ys


def _register_dates(hubs: pd.DataFrame, column: str) -> pd.Series:
    """A register date column parsed to Timestamps (NaT when blank or absent)."""
    if column not in hubs.columns:
        return pd.Series(pd.NaT, index=hubs.index, dtype="datetime64[ns]")
    return dates_mod.parse_column(hubs[column])


def _check_network_inputs(hubs: pd.DataFrame, months: Iterable[object]) -> list[pd.Timestamp]:
    """The dates to draw, after checking the register can be placed on a map."""
    for col in (c.HUB_LAT, c.HUB_LON):
        if col not in hubs.columns:
            raise g.GrowthError(f"The hub register has no '{col}' column to place hubs on a map.")
    dates = [g.parse_register_date(m).when for m in months]
    if not dates or any(pd.isna(d) for d in dates):
        raise g.GrowthError("Give at least one date to show the network on.")
    return dates


def _hub_hover(hubs: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """Per hub: bold name, LCP and opening date, escaped for plotly's hover HTML."""
    names = hubs[c.HUB_NAME].fillna("").astype(str) if c.HUB_NAME in hubs else keys.astype(str)
    lcps = hubs[c.LCP].fillna("").astype(str) if c.LCP in hubs else pd.Series("", index=hubs.index)
    opened_labels = (
        hubs[c.HUB_OPENED].map(g.register_date_label)
        if c.HUB_OPENED in hubs
        else pd.Series("unknown", index=hubs.index)
    )
    return "<b>" + names.map(escape) + "</b><br>" + lcps.map(escape) + "<br>opened " + opened_labels


class _Network:
    """The register's hubs, dates parsed once, drawn as open on any date.

    Calling hubs_open_on per frame re-reads every row, which takes seconds for a few years of
    months; the rule is still utils.dates.open_mask, as everywhere.
    """

    def __init__(self, hubs: pd.DataFrame, title: str, check_on: pd.Timestamp) -> None:
        self.title = title
        self.located = hubs[c.HUB_LAT].notna() & hubs[c.HUB_LON].notna()
        self.keys = g.hub_keys(hubs)
        self.sample = g.sample_flags(hubs)
        self.hover = _hub_hover(hubs, self.keys).to_numpy(dtype=object)
        g.hubs_open_on(hubs, check_on)  # raises on unreadable or inconsistent dates
        self.opened = _register_dates(hubs, c.HUB_OPENED)
        self.closed = _register_dates(hubs, c.HUB_CLOSED)
        self.lons = pd.to_numeric(hubs[c.HUB_LON], errors="coerce").to_numpy(dtype=float)
        self.lats = pd.to_numeric(hubs[c.HUB_LAT], errors="coerce").to_numpy(dtype=float)
        self.lat_mid = (
            float(np.nanmean(hubs.loc[self.located, c.HUB_LAT].astype(float)))
            if self.located.any()
            else 53.8
        )

    def open_on(self, when: pd.Timestamp) -> pd.Series:
        return dates_mod.open_mask(self.opened, self.closed, when)

    def points(self, when: pd.Timestamp, want_sample: bool) -> go.Scatter:
        """The real (or illustrative) hubs open on ``when``, each drawn once."""
        mask = self.open_on(when) & self.located & (self.sample == want_sample)
        repeated = self.keys[mask].duplicated()  # a reopened hub is drawn once
        mask[repeated.index[repeated.to_numpy()]] = False
        picked = mask.to_numpy()
        suffix = " (illustrative)" if want_sample else ""
        # Plain lists: plotly validates pandas objects far more slowly, once per frame.
        return go.Scatter(
            x=self.lons[picked].tolist(),
            y=self.lats[picked].tolist(),
            hovertext=[text + suffix for text in self.hover[picked]],
        )

    def caption(self, when: pd.Timestamp) -> str:
        """'<title>: N open on D Mon YYYY (k illustrative)', distinct hubs as hub_counts counts."""
        is_open = self.open_on(when)
        total, n_sample = self.keys[is_open].nunique(), self.keys[is_open & self.sample].nunique()
        return f"{self.title}: {total} open on {when.day} {when:%b %Y}" + (
            f" ({n_sample} illustrative)" if n_sample else ""
        )


def _add_outline(fig: go.Figure, outline: object | None) -> int:
    """Draw the Leeds outline if given; return how many traces come before the hubs."""
    if outline is None:
        return 0
    ox, oy = _outline_xy(outline)
    fig.add_trace(
        go.Scatter(
            x=ox,
            y=oy,
            mode="lines",
            name="Leeds boundary",
            line={"color": "#666666", "width": 1.5},
            hoverinfo="skip",
        )
    )
    return 1


# Real hubs filled circles, illustrative hubs open diamonds (shape as well as colour).
_HUB_POINT_STYLES = (
    (
        False,
        "Real hub",
        {"size": 14, "color": PALETTE_CATEGORICAL[0], "line": {"width": 1.5, "color": "white"}},
    ),
    (
        True,
        "Illustrative (sample) hub",
        {
            "size": 14,
            "symbol": "diamond-open",
            "color": PALETTE_CATEGORICAL[1],
            "line": {"width": 2.5},
        },
    ),
)


def _add_hub_points(fig: go.Figure, network: _Network, when: pd.Timestamp) -> None:
    """Real hubs as filled circles and illustrative hubs as open diamonds, open on ``when``."""
    for want_sample, name, marker in _HUB_POINT_STYLES:
        fig.add_trace(
            network.points(when, want_sample).update(
                mode="markers", name=name, marker=marker, hoverinfo="text"
            )
        )


def _network_frames(
    network: _Network, dates: list[pd.Timestamp], base: int
) -> tuple[list[go.Frame], list[dict]]:
    """One animation frame per date (hub traces and caption) and its slider step."""
    frames, steps = [], []
    for when in dates:
        name = f"{when:%Y-%m-%d}"
        frames.append(
            go.Frame(
                name=name,
                data=[network.points(when, False), network.points(when, True)],
                traces=[base, base + 1],
                layout={"title": {"text": network.caption(when)}},
            )
        )
        steps.append(
            {
                "label": f"{when:%b %Y}",
                "method": "animate",
                "args": [
                    [name],
                    {
                        "mode": "immediate",
                        "frame": {"duration": 0, "redraw": True},
                        "transition": {"duration": 0},
                    },
                ],
            }
        )
    return frames, steps


def _play_pause_menu() -> dict:
    """Play and Pause buttons under the map."""
    return {
        "type": "buttons",
        "direction": "left",
        "x": 0.0,
        "y": -0.12,
        "xanchor": "left",
        "showactive": False,
        "font": {"size": FONT_SMALL},
        "buttons": [
            {
                "label": "▶ Play",
                "method": "animate",
                "args": [
                    None,
                    {
                        "frame": {"duration": 600, "redraw": True},
                        "transition": {"duration": 0},
                        "fromcurrent": False,
                        "mode": "immediate",
                    },
                ],
            },
            {
                "label": "❚❚ Pause",
                "method": "animate",
                "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
            },
        ],
    }


def _date_slider(steps: list[dict]) -> dict:
    """The date slider, starting at the last date (the current network)."""
    return {
        "active": len(steps) - 1,
        "steps": steps,
        "x": 0.2,
        "len": 0.8,
        "y": -0.05,
        "currentvalue": {"prefix": "Network as of ", "font": {"size": FONT_SIZE}},
        "font": {"size": FONT_SMALL},
    }


def build_network_animation(
    hubs_with_lat_lon: pd.DataFrame,
    months: Iterable[object],
    outline: object | None = None,
    *,
    title: str = "Hub network over time",
) -> go.Figure:
    """Animated map of the hubs open at each date, on plain lon/lat axes (no internet tiles).

    Parameters
    ----------
    hubs_with_lat_lon
        Hub register with HUB_LAT and HUB_LON (rows without them are not drawn), dates, and
        optionally HUB_NAME, LCP and HUB_SAMPLE.
    months
        The dates to show, one animation frame each (e.g. a ``pd.date_range(..., freq="MS")``);
        a single date gives a static "as of" map.
    outline
        Leeds outline drawn as a line: a GeoDataFrame in EPSG:4326, a shapely geometry, or a
        sequence of (lon, lat) pairs.

    Returns
    -------
    go.Figure
        Traces: the outline (if given), real hubs (filled circles), illustrative hubs (open
        diamonds); one frame per date named "YYYY-MM-DD", a date slider (starting at the last
        date, i.e. the current network) and Play/Pause buttons.

    Raises
    ------
    OutlineError
        If the outline is not in EPSG:4326 or not coordinates.
    """
    dates = _check_network_inputs(hubs_with_lat_lon, months)
    network = _Network(hubs_with_lat_lon, title, dates[-1])
    fig = go.Figure()
    base = _add_outline(fig, outline)
    _add_hub_points(fig, network, dates[-1])
    fig.frames, steps = _network_frames(network, dates, base)
    _base_layout(
        fig, network.caption(dates[-1]), "Real hubs filled circles; illustrative hubs open diamonds"
    )
    fig.update_layout(
        xaxis={"visible": False},
        # Equal ground distances: a degree of latitude spans 1/cos(lat) degrees of longitude.
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(network.lat_mid)),
        },
        height=680,
        legend={"orientation": "h", "y": -0.02},
        updatemenus=[_play_pause_menu()],
        sliders=[_date_slider(steps)],
    )
    return fig


def milestone_table(milestones: pd.DataFrame) -> pd.DataFrame:
    """Milestones as a display table (date label kept as published precision, source link)."""
    cols = {
        g.MS_LABEL: "When",
        g.MS_SCOPE: "Where",
        g.MS_DESCRIPTION: "What",
        g.MS_PRECISION_NOTE: "Date note",
        g.MS_SOURCE: "Source",
    }
    return labelled(milestones, cols)
