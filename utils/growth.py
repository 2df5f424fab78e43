"""Growth of the hub network: register dates, monthly open-hub series, milestones, change."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from utils import constants as c
from utils import dates
from utils.dates import is_missing
from utils.hubs import hub_identity
from utils.row_checks import parse_flag

# --- Column names of the frames this module returns (growth-only, so defined here) ------------
MONTH = "month"
GROUP = "group"
OPEN_HUBS = "open_hubs"
OPEN_REAL = "open_real"
OPEN_SAMPLE = "open_sample"
HUB_SET = "hub_set"  # coverage_over_time: which hubs were counted
HUB_SET_REAL = "real hubs only"
HUB_SET_ALL = "all hubs (incl. illustrative)"

LEEDS_GROUP = "Leeds"
UNASSIGNED_GROUP = "Outside any LCP"

# Milestone frame columns.
MS_DATE = "date"  # best estimate for plotting
MS_LABEL = "date_label"  # human label that keeps the imprecision
MS_PRECISION = "precision"  # day | month | season | range | year | before | after
MS_EARLIEST = "earliest"  # first day the event could have happened (NaT = unbounded)
MS_LATEST = "latest"  # first day after the event's window (NaT = unbounded)
MS_PLANNED = "planned"
MS_SCOPE = "scope"
MS_EVENT = "event_type"
MS_DESCRIPTION = "description"
MS_SOURCE = "source_url"
MS_HUBS_ADDED = "hubs_added"
MS_HUBS_TOTAL = "hubs_total"
MS_PRECISION_NOTE = "precision_note"
PRECISE = ("day", "month")

# Deprivation-change frame column (the others are constants: LCP, IMD20xx_PCT, POP_TOTAL).
N_LSOAS = "n_lsoas"

# Raw milestone file columns (leeds_digital_health_hub_growth_milestones.csv).
_RAW_MS = {
    "date": MS_DATE,
    "lcp_or_scope": MS_SCOPE,
    "event_type": MS_EVENT,
    "description": MS_DESCRIPTION,
    "hubs_added": MS_HUBS_ADDED,
    "hubs_cumulative_or_total": MS_HUBS_TOTAL,
    "source_url": MS_SOURCE,
    "date_precision": MS_PRECISION_NOTE,
}

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Meteorological seasons (UK convention): season -> first month; each lasts three months.
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# Parts of a year: phrase -> (first month, first month after).
_YEAR_PARTS = {
    "early": (1, 5),
    "mid": (5, 9),
    "late": (9, 13),
    "early-to-mid": (1, 9),
    "mid-to-late": (5, 13),
}


class GrowthError(ValueError):
    """A problem with the hub register or milestones that stops a growth series being built."""


class RegisterDateError(GrowthError):
    """A hub's opened or closed date cannot be read, or closes before it opens."""


class MilestoneDateError(GrowthError):
    """A milestone's published date is in a form this module does not understand."""


class RegisterDate(NamedTuple):
    """A parsed register date: the first day it applies from, and how precise the source was."""

    when: pd.Timestamp  # NaT when missing
    precision: str  # "day", "month" or "missing"


class HubCounts(NamedTuple):
    """How many distinct hubs a register holds (or has open on a date), split real/illustrative."""

    total: int
    real: int
    sample: int
    undated: int  # rows without an opened date, never counted as open


# --- Register dates ---------------------------------------------------------------------------


def parse_register_date(value: object) -> RegisterDate:
    """Read one opened/closed value with the register's one parser (``utils.dates``).

    Parameters
    ----------
    value
        Any form ``utils.dates.parse_register_date`` accepts ("YYYY-MM", "YYYY-MM-DD",
        "DD/MM/YYYY", "MM/YYYY", dates), or a missing value (None, NaN, NaT, "").

    Returns
    -------
    RegisterDate
        ``(when, precision)``; ``when`` is a day-resolution, timezone-naive Timestamp or NaT,
        ``precision`` is "month", "day" or "missing".

    Raises
    ------
    RegisterDateError
        If the value is in any other form or is not a real calendar date.

    Examples
    --------
    >>> parse_register_date("2022-10")
    RegisterDate(when=Timestamp('2022-10-01 00:00:00'), precision='month')
    """
    try:
        parsed = dates.parse_register_date(value)
    except dates.DateError as err:
        raise RegisterDateError(f"Hub date {value!r}: {err}") from err
    return RegisterDate(parsed.when, parsed.precision)


def register_date_label(value: object) -> str:
    """Display label keeping the register's precision: "Oct 2022", "26 Oct 2022", "unknown",
    or "date not known" for a date the register marks as a placeholder."""
    try:
        return dates.date_label(value)
    except dates.DateError as err:
        raise RegisterDateError(f"Hub date {value!r}: {err}") from err


def _parse_column(hubs: pd.DataFrame, column: str) -> pd.Series:
    if column not in hubs.columns:
        if column == c.HUB_CLOSED:  # a register without closures is fine
            return pd.Series(pd.NaT, index=hubs.index, dtype="datetime64[ns]")
        raise GrowthError(f"The hub register has no '{column}' column.")
    parsed = []
    for pos, value in enumerate(hubs[column].tolist()):
        try:
            parsed.append(parse_register_date(value).when)
        except RegisterDateError as err:
            raise RegisterDateError(
                f"Register row {pos + 1} ({_row_name(hubs, pos)}): {err}"
            ) from err
    return pd.Series(pd.to_datetime(pd.Series(parsed, dtype=object)).values, index=hubs.index)


def _row_name(hubs: pd.DataFrame, pos: int) -> str:
    for col in (c.HUB_NAME, c.HUB_ID):
        if col in hubs.columns and not is_missing(hubs[col].iloc[pos]):
            return str(hubs[col].iloc[pos])
    return "unnamed hub"


def register_periods(hubs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Parsed (opened, closed) for every row, for ``utils.dates.open_mask`` over many dates.

    Raises
    ------
    RegisterDateError
        If a date cannot be read, a hub closes on or before it opens, or has a closed date but
        no opened date (naming the register row and hub).
    """
    opened = _parse_column(hubs, c.HUB_OPENED)
    closed = _parse_column(hubs, c.HUB_CLOSED)
    bad = opened.notna() & closed.notna() & (closed <= opened)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise RegisterDateError(
            f"Register row {pos + 1} ({_row_name(hubs, pos)}) closes on or before it opens; "
            "a closed date is the first day the hub is no longer open."
        )
    closed_undated = opened.isna() & closed.notna()
    if closed_undated.any():
        pos = int(np.flatnonzero(closed_undated.to_numpy())[0])
        raise RegisterDateError(
            f"Register row {pos + 1} ({_row_name(hubs, pos)}) has a closed date but no opened date."
        )
    return opened, closed


def hub_keys(hubs: pd.DataFrame) -> pd.Series:
    """One key per distinct hub (``utils.hubs.hub_identity``): name + postcode, else id, else row.

    A hub closed and reopened is two rows (new id) with the same name and postcode, so counting
    distinct keys counts it once, and never counts one hub twice at one time.
    """
    return hub_identity(hubs)


def sample_flags(hubs: pd.DataFrame) -> pd.Series:
    """HUB_SAMPLE as bool; a missing column or value means a real hub."""
    if c.HUB_SAMPLE not in hubs.columns:
        return pd.Series(False, index=hubs.index)
    out = []
    for pos, value in enumerate(hubs[c.HUB_SAMPLE].tolist()):
        try:
            out.append(False if is_missing(value) else parse_flag(value))
        except ValueError as err:
            raise GrowthError(
                f"Register row {pos + 1} ({_row_name(hubs, pos)}): '{c.HUB_SAMPLE}' is "
                f"{value!r}; use true/false."
            ) from err
    return pd.Series(out, index=hubs.index, dtype=bool)


def _as_timestamp(when: object, what: str) -> pd.Timestamp:
    ts, precision = parse_register_date(when)
    if precision == "missing":
        raise GrowthError(f"The {what} date is missing.")
    return ts


def hubs_open_on(hubs: pd.DataFrame, when: object) -> pd.Series:
    """Which register rows are open on a date.

    A row is open on ``when`` if ``opened <= when`` and (no closed date or ``when < closed``).
    Rows without an opened date are never open.

    Parameters
    ----------
    hubs
        Hub register with HUB_OPENED and optionally HUB_CLOSED.
    when
        The date ("YYYY-MM" means its first day, "YYYY-MM-DD", or a Timestamp).

    Returns
    -------
    pd.Series
        Boolean mask aligned to ``hubs.index``. It is per row: a reopened hub has two rows but
        at most one is open at a time (use :func:`hub_counts` to count distinct hubs).
    """
    ts = _as_timestamp(when, "'as of'")
    opened, closed = register_periods(hubs)
    return dates.open_mask(opened, closed, ts)


def hub_counts(hubs: pd.DataFrame, as_of: object | None = None) -> HubCounts:
    """Distinct hubs in the register (or open on ``as_of``), split into real and illustrative.

    Use it for the page's note on how many of the hubs counted are illustrative, e.g. with
    :func:`illustrative_note`.
    """
    keys = hub_keys(hubs)
    sample = sample_flags(hubs)
    opened, _ = register_periods(hubs)
    undated = int(keys[opened.isna()].nunique())
    rows = hubs_open_on(hubs, as_of) if as_of is not None else pd.Series(True, index=hubs.index)
    total = int(keys[rows].nunique())
    n_sample = int(keys[rows & sample].nunique())
    return HubCounts(total=total, real=total - n_sample, sample=n_sample, undated=undated)


def placeholder_hubs(hubs: pd.DataFrame) -> list[str]:
    """Names of hubs whose opened date the register marks "(placeholder)": date not known."""
    if c.HUB_OPENED not in hubs.columns:
        return []
    marked = hubs[c.HUB_OPENED].map(dates.is_placeholder).astype(bool)
    names = hubs.loc[marked, c.HUB_NAME] if c.HUB_NAME in hubs.columns else hubs.index[marked]
    return list(dict.fromkeys(str(n) for n in names))


def illustrative_note(counts: HubCounts) -> str:
    """Plain-English note on how many counted hubs are illustrative samples."""
    if counts.sample == 0:
        if counts.total == 1:
            return "The 1 hub counted is a real hub from the register."
        return f"All {counts.total} hubs counted are real hubs from the register."
    noun = "hub" if counts.total == 1 else "hubs"
    verb = "is" if counts.sample == 1 else "are"
    return (
        f"{counts.sample} of the {counts.total} {noun} counted {verb} illustrative samples, "
        "not real hubs; they are drawn lighter and hatched."
    )


# --- Growth series ----------------------------------------------------------------------------


def _groups(hubs: pd.DataFrame, by: str | None) -> pd.Series:
    if by is None:
        return pd.Series(LEEDS_GROUP, index=hubs.index, dtype=object)
    if by not in hubs.columns:
        raise GrowthError(
            f"The hub register has no '{by}' column; add each hub's LCP from the footprint "
            "lookup first, or pass by=None for Leeds as a whole."
        )
    groups = hubs[by].astype(object)
    return groups.where(~groups.map(is_missing).astype(bool), UNASSIGNED_GROUP).astype(str)


def growth_series(
    hubs: pd.DataFrame,
    freq: str = "MS",
    start: object | None = None,
    end: object | None = None,
    by: str | None = c.LCP,
) -> pd.DataFrame:
    """Exact count of open hubs at each month start, by group.

    Parameters
    ----------
    hubs
        Hub register: HUB_OPENED, optional HUB_CLOSED, HUB_ID and/or HUB_NAME, HUB_SAMPLE and the
        ``by`` column. A hub closed and reopened is two rows with the same HUB_ID (or name); it
        is counted once whenever either period is open.
    freq
        pandas frequency of the sampling dates; "MS" = first day of each month.
    start, end
        First and last sampling dates (inclusive). Default: the first day of the month of the
        earliest opening, and the first month start on or after the latest opened/closed date
        (so a final closure shows).
    by
        Column to group by (default constants.LCP); None gives one group, "Leeds". Missing
        values become "Outside any LCP".

    Returns
    -------
    pd.DataFrame
        Tidy long frame, one row per (MONTH, GROUP) for every sampling date and every group in
        the register (zeros included), columns MONTH, GROUP, OPEN_HUBS, OPEN_REAL, OPEN_SAMPLE,
        with OPEN_HUBS = OPEN_REAL + OPEN_SAMPLE. Groups are ordered by their first opening,
        so a stacked chart builds up in the order the network grew.

    Raises
    ------
    RegisterDateError
        On an unreadable date, or a hub that closes on or before it opens.
    """
    opened, closed = register_periods(hubs)
    keys = hub_keys(hubs)
    sample = sample_flags(hubs)
    groups = _groups(hubs, by)
    columns = [MONTH, GROUP, OPEN_HUBS, OPEN_REAL, OPEN_SAMPLE]

    dated = opened.notna()
    if start is None:
        if not dated.any():
            return pd.DataFrame(columns=columns)
        start_ts = opened[dated].min().to_period("M").to_timestamp()
    else:
        start_ts = _as_timestamp(start, "start")
    if end is None:
        events = pd.concat([opened[dated], closed[closed.notna()]])
        latest = events.max() if len(events) else start_ts
        end_ts = latest.to_period("M").to_timestamp()
        if end_ts < latest:
            end_ts = (latest.to_period("M") + 1).to_timestamp()
    else:
        end_ts = _as_timestamp(end, "end")
    if end_ts < start_ts:
        raise GrowthError(
            f"The end date {end_ts:%Y-%m-%d} is before the start {start_ts:%Y-%m-%d}."
        )
    months = pd.date_range(start_ts, end_ts, freq=freq)

    order = (
        pd.DataFrame({"g": groups, "o": opened})
        .groupby("g", sort=True)["o"]
        .min()
        .sort_values(kind="stable", na_position="last")
        .index.tolist()
    )
    records = []
    for month in months:
        is_open = dates.open_mask(opened, closed, month).to_numpy()
        records.append(
            pd.DataFrame(
                {MONTH: month, GROUP: groups[is_open], "key": keys[is_open], "s": sample[is_open]}
            )
        )
    long = pd.concat(records, ignore_index=True) if records else pd.DataFrame()
    grid = pd.MultiIndex.from_product([months, order], names=[MONTH, GROUP])
    if long.empty:
        out = pd.DataFrame(0, index=grid, columns=[OPEN_HUBS, OPEN_SAMPLE])
    else:
        grouped = long.groupby([MONTH, GROUP])
        out = pd.DataFrame(
            {
                OPEN_HUBS: grouped["key"].nunique(),
                OPEN_SAMPLE: long[long["s"]].groupby([MONTH, GROUP])["key"].nunique(),
            }
        )
        out = out.reindex(grid).fillna(0)
    out = out.astype("int64").reset_index()
    out[OPEN_REAL] = out[OPEN_HUBS] - out[OPEN_SAMPLE]
    out[GROUP] = out[GROUP].astype(str)
    return out[columns]


def total_series(series: pd.DataFrame, label: str = LEEDS_GROUP) -> pd.DataFrame:
    """Sum a growth series over groups: one row per month, GROUP = ``label``.

    Exact when each hub belongs to one group at a time (the normal case).
    """
    summed = series.groupby(MONTH, sort=True)[[OPEN_HUBS, OPEN_REAL, OPEN_SAMPLE]].sum()
    summed = summed.reset_index()
    summed.insert(1, GROUP, label)
    return summed


# --- Milestones -------------------------------------------------------------------------------


class _Parsed(NamedTuple):
    estimate: pd.Timestamp
    label: str
    precision: str
    earliest: pd.Timestamp
    latest: pd.Timestamp
    planned: bool


def _month_start(year: int, month: int) -> pd.Timestamp:
    """First day of a month; month 13 means January of the next year."""
    return pd.Timestamp(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _midpoint(a: pd.Timestamp, b: pd.Timestamp) -> pd.Timestamp:
    return (a + (b - a) / 2).to_period("M").to_timestamp()


def _parse_core(text: str) -> tuple[pd.Timestamp, str, str, pd.Timestamp, pd.Timestamp] | None:
    """(estimate, label, precision, earliest, latest) for a date phrase without qualifiers."""
    t = text.strip().lower()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        day = pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
        label = f"{day.day} {_MONTH_ABBR[day.month - 1]} {day.year}"
        return day, label, "day", day, day + pd.Timedelta(days=1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        first = pd.Timestamp(int(m[1]), int(m[2]), 1)
        label = f"{_MONTH_ABBR[first.month - 1]} {first.year}"
        return first, label, "month", first, _month_start(first.year, first.month + 1)
    if m := re.fullmatch(r"(\d{4})", t):
        year = int(m[1])
        a, b = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
        return _midpoint(a, b), str(year), "year", a, b
    seasons = "|".join(_SEASON_START)
    if m := re.fullmatch(rf"({seasons}) (\d{{4}})|(\d{{4}}) ({seasons})", t):
        season, year = (m[1], int(m[2])) if m[1] else (m[4], int(m[3]))
        a = _month_start(year, _SEASON_START[season])
        b = _month_start(year, _SEASON_START[season] + 3)
        return _midpoint(a, b), f"{season} {year}", "season", a, b
    parts = "|".join(sorted(_YEAR_PARTS, key=len, reverse=True))
    if m := re.fullmatch(rf"({parts}) (\d{{4}})", t):
        first, after = _YEAR_PARTS[m[1]]
        year = int(m[2])
        a, b = _month_start(year, first), _month_start(year, after)
        return _midpoint(a, b), f"{m[1]} {year}", "range", a, b
    if m := re.fullmatch(r"(before|after) (.+)", t):
        inner = _parse_core(m[2])
        if inner is None or inner[2] in ("before", "after"):
            return None
        if m[1] == "before":
            # Before a period = before its first day; plotted at that bound with a "<=" marker.
            return inner[3], f"before {inner[1]}", "before", pd.NaT, inner[3]
        return inner[3], f"after {inner[1]}", "after", inner[3], pd.NaT
    return None


def parse_milestone_date(text: str) -> _Parsed:
    """Read a published milestone date, keeping its imprecision in the label.

    Understands "2018", "2020 (autumn)" / "autumn 2020", "2022-08", "2022-10-26",
    "before 2022-08", "after 2022-10 (page undated)", "mid-to-late 2024 (planned)" and the like
    (early/mid/late, early-to-mid/mid-to-late). A trailing "(planned)" sets ``planned``; other
    parenthesised notes are kept in the label.

    Raises
    ------
    MilestoneDateError
        If the text is in none of these forms.
    """
    if is_missing(text):
        raise MilestoneDateError("A milestone has no date.")
    raw = str(text).strip()
    core, notes = raw, []
    while m := re.fullmatch(r"(.*\S)\s*\(([^()]*)\)", core):
        core, note = m[1], m[2].strip()
        notes.insert(0, note)
    planned = False
    kept = []
    for note in notes:
        low = note.lower()
        if low in _SEASON_START:  # "2020 (autumn)" -> "autumn 2020"
            core = f"{low} {core}"
        elif low == "planned":
            planned = True
            kept.append(note)
        else:
            kept.append(note)
    try:
        parsed = _parse_core(core)
    except ValueError as err:  # e.g. month 13
        raise MilestoneDateError(f"Milestone date {raw!r} is not a real calendar date.") from err
    if parsed is None:
        raise MilestoneDateError(
            f"Milestone date {raw!r} is not understood; use e.g. '2022-10', 'before 2022-08', "
            "'2020 (autumn)' or 'mid-to-late 2024 (planned)'."
        )
    estimate, label, precision, earliest, latest = parsed
    label = " ".join([label, *(f"({n})" for n in kept)])
    return _Parsed(estimate, label, precision, earliest, latest, planned)


def _to_int(value: object) -> int | None:
    if is_missing(value):
        return None
    try:
        return int(float(str(value).replace(",", "")))
    except ValueError:
        return None


def parse_milestones(df: pd.DataFrame) -> pd.DataFrame:
    """Parse the public milestones table for plotting.

    Parameters
    ----------
    df
        Rows of leeds_digital_health_hub_growth_milestones.csv (dates as published text):
        date, lcp_or_scope, description, source_url and optionally event_type, hubs_added,
        hubs_cumulative_or_total, date_precision.

    Returns
    -------
    pd.DataFrame
        One row per milestone, in date order: MS_DATE (best estimate: first day for a day/month,
        mid-point of a year/season/range, the bound for before/after), MS_LABEL (e.g.
        "before Aug 2022", "autumn 2020", "2018", "Oct 2022", "mid-to-late 2024 (planned)"),
        MS_PRECISION, MS_EARLIEST and MS_LATEST (window, NaT where open-ended), MS_PLANNED,
        MS_SCOPE, MS_EVENT, MS_DESCRIPTION, MS_SOURCE, MS_HUBS_ADDED and MS_HUBS_TOTAL
        (nullable ints; the file's totals mix a naive running sum with stated totals) and
        MS_PRECISION_NOTE (the file's own note).

    Raises
    ------
    MilestoneDateError
        Naming the row whose date cannot be read.
    GrowthError
        If a required column is missing.
    """
    missing = [
        col for col in ("date", "lcp_or_scope", "description", "source_url") if col not in df
    ]
    if missing:
        raise GrowthError(f"The milestones table lacks column(s): {', '.join(missing)}.")
    rows = []
    for pos, rec in enumerate(df.to_dict("records")):
        try:
            p = parse_milestone_date(rec["date"])
        except MilestoneDateError as err:
            raise MilestoneDateError(f"Milestone row {pos + 1}: {err}") from err
        rows.append(
            {
                MS_DATE: p.estimate,
                MS_LABEL: p.label,
                MS_PRECISION: p.precision,
                MS_EARLIEST: p.earliest,
                MS_LATEST: p.latest,
                MS_PLANNED: p.planned,
                MS_SCOPE: str(rec["lcp_or_scope"]).strip(),
                MS_EVENT: "" if is_missing(rec.get("event_type")) else str(rec["event_type"]),
                MS_DESCRIPTION: str(rec["description"]).strip(),
                MS_SOURCE: str(rec["source_url"]).strip(),
                MS_HUBS_ADDED: _to_int(rec.get("hubs_added")),
                MS_HUBS_TOTAL: _to_int(rec.get("hubs_cumulative_or_total")),
                MS_PRECISION_NOTE: (
                    "" if is_missing(rec.get("date_precision")) else str(rec["date_precision"])
                ),
            }
        )
    out = pd.DataFrame(rows, columns=[*rows[0]] if rows else None)
    if out.empty:
        return out
    for col in (MS_DATE, MS_EARLIEST, MS_LATEST):
        out[col] = pd.to_datetime(out[col])
    for col in (MS_HUBS_ADDED, MS_HUBS_TOTAL):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    return out.sort_values(MS_DATE, kind="stable").reset_index(drop=True)


# --- Coverage over time -----------------------------------------------------------------------


def _as_frame(result: object) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result.reset_index(drop=True)
    if isinstance(result, pd.Series):
        return result.to_frame().T.reset_index(drop=True)
    if isinstance(result, Mapping):
        return pd.DataFrame([dict(result)])
    raise GrowthError(
        f"coverage_fn returned {type(result).__name__}; it must return a DataFrame, Series or dict."
    )


def coverage_over_time(
    hubs: pd.DataFrame,
    months: Iterable[object],
    coverage_fn: Callable[[pd.DataFrame], object],
    *,
    split_sample: bool = True,
) -> pd.DataFrame:
    """Run a coverage summary on the hubs open at each date.

    Parameters
    ----------
    hubs
        Hub register (with locations, as ``coverage_fn`` needs them).
    months
        Dates to evaluate, e.g. ``growth_series(...)[MONTH].unique()`` or a ``pd.date_range``.
    coverage_fn
        ``coverage_fn(open_hubs) -> DataFrame`` (or Series/dict) summarising coverage by the
        rows of ``hubs`` open on that date (one row per hub: a reopened hub appears once). It
        must accept an empty frame (no hubs open yet). Keeping it a callable keeps this module
        free of geometry, e.g. ``lambda open_hubs: summarise_coverage(coverage_by_lsoa(lsoas,
        open_hubs, radius_m), by=LCP)`` with geo.coverage's functions.
    split_sample
        If True, evaluate twice per date, real hubs only and all hubs including illustrative
        samples, labelled in column HUB_SET (HUB_SET_REAL / HUB_SET_ALL), so charts can show
        what the illustrative hubs add. Otherwise all hubs, no HUB_SET column.

    Returns
    -------
    pd.DataFrame
        The concatenated summaries with MONTH (and HUB_SET) as the first columns. Dates with the
        same set of open hubs reuse one call of ``coverage_fn``.
    """
    opened, closed = register_periods(hubs)
    keys = hub_keys(hubs)
    sample = sample_flags(hubs)
    cache: dict[frozenset, pd.DataFrame] = {}
    pieces = []
    for month in months:
        ts = _as_timestamp(month, "coverage")
        is_open = dates.open_mask(opened, closed, ts)
        sets = (
            [(HUB_SET_REAL, is_open & ~sample), (HUB_SET_ALL, is_open)]
            if split_sample
            else [(None, is_open)]
        )
        for hub_set, mask in sets:
            # One row per distinct hub, so overlapping reopen periods never double count.
            rows = hubs[mask.to_numpy()]
            rows = rows[~keys[mask].duplicated().to_numpy()]
            cache_key = frozenset(rows.index.tolist())
            if cache_key not in cache:
                cache[cache_key] = _as_frame(coverage_fn(rows.copy()))
            piece = cache[cache_key].copy()
            if hub_set is not None:
                piece.insert(0, HUB_SET, hub_set)
            piece.insert(0, MONTH, ts)
            pieces.append(piece)
    if not pieces:
        return pd.DataFrame(columns=[MONTH, HUB_SET] if split_sample else [MONTH])
    return pd.concat(pieces, ignore_index=True)


# --- Deprivation change -----------------------------------------------------------------------


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return float("nan")
    return float(np.average(values[ok].astype(float), weights=weights[ok].astype(float)))


def deprivation_change_by_lcp(
    lsoas: pd.DataFrame,
    footprints: pd.DataFrame | None = None,
    *,
    lcp_col: str = c.LCP,
    include_leeds: bool = True,
) -> pd.DataFrame:
    """Change in relative deprivation, IMD 2019 -> 2025, per LCP, weighted by population.

    The two editions rank different sets of areas: IoD 2019 ranks 32,844 LSOAs (2011 geography),
    IoD 2025 ranks 33,755 LSOAs (2021 geography). Raw ranks are therefore not comparable, so this
    compares national percentile ranks (rank / number ranked; 0 = most deprived), with 2019 ranks
    carried to LSOA 2021 by the build through the 2011 -> 2021 LSOA lookup. Each LCP's value is
    the population-weighted mean (POP_TOTAL, mid-2022, for both editions) of the LSOA
    percentiles. A negative change means the LCP became relatively more deprived.

    Parameters
    ----------
    lsoas
        One row per LSOA 2021 with LSOA, IMD2019_PCT, IMD2025_PCT, IMD_PCT_CHANGE, POP_TOTAL
        (fractions 0-1) and, if ``footprints`` is None, the ``lcp_col`` column.
    footprints
        Optional LSOA -> LCP lookup (columns LSOA and ``lcp_col``, at most one LCP per LSOA).
    lcp_col
        Name of the LCP column.
    include_leeds
        Add a final row for Leeds as a whole (GROUP value "Leeds").

    Returns
    -------
    pd.DataFrame
        One row per LCP (LSOAs in none are "Outside any LCP"): ``lcp_col``, N_LSOAS, POP_TOTAL,
        IMD2019_PCT, IMD2025_PCT, IMD_PCT_CHANGE (weighted means), sorted by change (most
        relatively worsened first), then the Leeds row. With ``LCP_STATUS`` in ``lsoas``, each
        LCP's footprint status follows its name.

    Raises
    ------
    GrowthError
        On missing columns, an LSOA in two LCPs, or percentiles outside 0-1.
    """
    needed = [c.IMD2019_PCT, c.IMD2025_PCT, c.IMD_PCT_CHANGE, c.POP_TOTAL]
    missing = [col for col in needed if col not in lsoas.columns]
    if missing:
        raise GrowthError(f"The LSOA table lacks column(s): {', '.join(missing)}.")
    frame = pd.DataFrame(lsoas.drop(columns="geometry", errors="ignore"))
    if footprints is not None:
        if c.LSOA not in frame.columns or {c.LSOA, lcp_col} - set(footprints.columns):
            raise GrowthError(f"Joining footprints needs '{c.LSOA}' and '{lcp_col}' columns.")
        lookup = pd.DataFrame(footprints)[[c.LSOA, lcp_col]]
        if lookup[c.LSOA].duplicated().any():
            dup = lookup.loc[lookup[c.LSOA].duplicated(), c.LSOA].iloc[0]
            raise GrowthError(f"LSOA {dup} is in more than one LCP in the footprint lookup.")
        n = len(frame)
        frame = frame.drop(columns=lcp_col, errors="ignore").merge(
            lookup, on=c.LSOA, how="left", validate="one_to_one"
        )
        if len(frame) != n:
            raise GrowthError("Joining the footprint lookup changed the number of LSOAs.")
    elif lcp_col not in frame.columns:
        raise GrowthError(f"The LSOA table has no '{lcp_col}' column and no footprints were given.")
    for col in (c.IMD2019_PCT, c.IMD2025_PCT):
        vals = frame[col].dropna()
        if ((vals < 0) | (vals > 1)).any():
            raise GrowthError(
                f"'{col}' must be a fraction of LSOAs ranked (0-1), not a percentage."
            )

    frame[lcp_col] = _groups(frame, lcp_col)

    def summarise(part: pd.DataFrame) -> dict:
        w = part[c.POP_TOTAL]
        return {
            N_LSOAS: len(part),
            c.POP_TOTAL: float(w.sum()),
            c.IMD2019_PCT: _weighted_mean(part[c.IMD2019_PCT], w),
            c.IMD2025_PCT: _weighted_mean(part[c.IMD2025_PCT], w),
            c.IMD_PCT_CHANGE: _weighted_mean(part[c.IMD_PCT_CHANGE], w),
        }

    rows = [{lcp_col: name, **summarise(part)} for name, part in frame.groupby(lcp_col, sort=True)]
    out = pd.DataFrame(rows).sort_values(c.IMD_PCT_CHANGE, kind="stable").reset_index(drop=True)
    if include_leeds:
        leeds = pd.DataFrame([{lcp_col: LEEDS_GROUP, **summarise(frame)}])
        out = pd.concat([out, leeds], ignore_index=True)
    out[N_LSOAS] = out[N_LSOAS].astype("int64")
    if c.LCP_STATUS in frame.columns:
        # The footprint status (described / approximate / provisional) beside every LCP.
        status = frame.dropna(subset=[c.LCP_STATUS]).groupby(lcp_col)[c.LCP_STATUS].first()
        out.insert(1, c.LCP_STATUS, out[lcp_col].map(status).astype(object))
    return out
