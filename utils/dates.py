"""Register dates: the one parser for opened/closed values and the one rule for "open on a date"."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

# Written after a date in the register ("2020-01 (placeholder)") when the real date is not known:
# the date still orders the hub and counts it as open from then, but is shown as "date not known".
PLACEHOLDER_MARK = "(placeholder)"
DATE_NOT_KNOWN = "date not known"

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),  # UK order: day first
)
_PLACEHOLDER_RE = re.compile(r"\s*\(\s*placeholder\s*\)\s*$", re.IGNORECASE)


class DateError(ValueError):
    """A register date that is not in an accepted form or is not a real calendar date."""


class RegisterDate(NamedTuple):
    """One parsed register date."""

    text: str  # canonical "YYYY-MM" or "YYYY-MM-DD" (+ " (placeholder)"); "" when missing
    when: pd.Timestamp  # first day it applies from; NaT when missing
    precision: str  # "day", "month" or "missing"
    placeholder: bool  # True when the register marks the date as a stand-in for an unknown one


MISSING = RegisterDate("", pd.NaT, "missing", False)


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT, NA and text that is empty after stripping."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_register_date(value: object) -> RegisterDate:
    """Read one opened/closed value of the hub register.

    Accepted: "2022-10" (month: applies from the 1st), "2022-10-15", "15/10/2022" (UK, day
    first), "10/2022", Excel-style "2022-10-15 00:00:00", date/datetime/Timestamp/np.datetime64,
    and any of the text forms followed by "(placeholder)" for a stand-in date.

    Parameters
    ----------
    value : object
        The cell's value.

    Returns
    -------
    RegisterDate
        ``MISSING`` for a blank value (None, NaN, NaT, "").

    Raises
    ------
    DateError
        If the value is in another form or is not a real calendar date.

    Examples
    --------
    >>> parse_register_date("15/10/2022").text
    '2022-10-15'
    >>> parse_register_date("2020-01 (placeholder)").placeholder
    True
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, (pd.Timestamp, datetime, date, np.datetime64)):
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        ts = ts.normalize()
        return RegisterDate(ts.strftime("%Y-%m-%d"), ts, "day", False)
    if not isinstance(value, str):
        raise DateError(
            f"'{value}' is not a date: use YYYY-MM-DD, or YYYY-MM when only the month is known."
        )
    text = value.strip()
    placeholder = bool(_PLACEHOLDER_RE.search(text))
    text = _PLACEHOLDER_RE.sub("", text)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # Excel-exported datetimes
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        p = [int(x) for x in m.groups()]
        if kind == "ym":
            y, mo, d = p[0], p[1], None
        elif kind == "ymd":
            y, mo, d = p[0], p[1], p[2]
        elif kind == "my":
            y, mo, d = p[1], p[0], None
        else:
            y, mo, d = p[2], p[1], p[0]
        try:
            ts = pd.Timestamp(year=y, month=mo, day=d or 1)
        except ValueError as err:
            raise DateError(f"'{value}' is not a real calendar date.") from err
        canonical = f"{y:04d}-{mo:02d}" if d is None else f"{y:04d}-{mo:02d}-{d:02d}"
        if placeholder:
            canonical = f"{canonical} {PLACEHOLDER_MARK}"
        return RegisterDate(canonical, ts, "month" if d is None else "day", placeholder)
    raise DateError(
        f"'{value}' is not a date: use YYYY-MM-DD, or YYYY-MM when only the month is known."
    )


def date_label(value: object) -> str:
    """Display text: "Oct 2022", "26 Oct 2022", "date not known" (placeholder) or "unknown"."""
    parsed = value if isinstance(value, RegisterDate) else parse_register_date(value)
    if parsed.precision == "missing":
        return "unknown"
    if parsed.placeholder:
        return DATE_NOT_KNOWN
    month = f"{_MONTH_ABBR[parsed.when.month - 1]} {parsed.when.year}"
    return month if parsed.precision == "month" else f"{parsed.when.day} {month}"


def display_date(value: object) -> str:
    """Register text for tables and exports: canonical text, "date not known" or ""; bad text kept."""
    try:
        parsed = parse_register_date(value)
    except DateError:
        return str(value)
    if parsed.placeholder:
        return DATE_NOT_KNOWN
    return parsed.text


def is_placeholder(value: object) -> bool:
    """True when a register date is marked "(placeholder)" (unreadable values are not)."""
    try:
        return parse_register_date(value).placeholder
    except DateError:
        return False


def parse_column(values: pd.Series) -> pd.Series:
    """Timestamps (first day each applies from) of a column of register dates; NaT if blank/bad."""
    out = []
    for v in values.tolist():
        try:
            out.append(parse_register_date(v).when)
        except DateError:
            out.append(pd.NaT)
    return pd.Series(pd.to_datetime(pd.Series(out, dtype=object)).to_numpy(), index=values.index)


def open_mask(opened: pd.Series, closed: pd.Series, when: object) -> pd.Series:
    """The one rule for "open on a date": opened on or before it, and not closed by then.

    A closed date is the first day the hub is no longer open; a month date counts from the 1st
    of the month. A row without an opened date is never open.

    Parameters
    ----------
    opened, closed : pandas.Series of datetime64
        Parsed dates (``parse_column``), aligned; NaT closed = still open.
    when : date, Timestamp or register text
        The day asked about ("2022-10" means 1 Oct 2022).
    """
    ts = when if isinstance(when, pd.Timestamp) else parse_register_date(when).when
    if pd.isna(ts):
        raise DateError("The date to check is missing.")
    ts = pd.Timestamp(ts).tz_localize(None) if pd.Timestamp(ts).tzinfo else pd.Timestamp(ts)
    mask = (opened <= ts) & (closed.isna() | (ts < closed))
    return mask.fillna(False).astype(bool)
