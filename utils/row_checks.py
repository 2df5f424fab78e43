"""Row checks shared by every upload validator: the one place each check and its message live.

The hub register (``utils.hubs.validate_register``), candidate venues
(``utils.venues.validate_venues``) and LCP footprints (``geo.footprints.validate_footprints``)
are built from these pieces: reading an upload (with one clear message for a file that is not
UTF-8), the row-error collector, blank, true/false, postcode, coordinate and date checks.
Each validator reads as: read -> row checks -> cross-row checks -> geocode.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.dates import DateError, RegisterDate, parse_register_date
from utils.text import plain
from utils.uploads import check_workbook_size

# Outward-code + inward-code shape of a UK postcode (GIR 0AA has no Leeds relevance).
_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
# The one true/false vocabulary for flags in uploaded files (e.g. the register's sample column).
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", ""})
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

BOTH_COORDINATES = "Give both latitude and longitude, or neither."


class InvalidPostcodeError(ValueError):
    """A string that is not a UK postcode."""


@dataclass(frozen=True)
class RowError:
    """One validation problem: spreadsheet row (header = row 1, None = whole file), column, text."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "File" if self.row is None else f"Row {self.row}"
        col = f" ({self.column})" if self.column else ""
        return f"{where}{col}: {self.message}"


def sheet_row(position: int) -> int:
    """Return the spreadsheet row of a 0-based data position (the header is row 1)."""
    return int(position) + 2


@dataclass
class RowErrors:
    """Collects the problems of one upload; remembers which data positions are rejected.

    Examples
    --------
    >>> found = RowErrors()
    >>> found.add(0, "name", "Name is blank.")
    >>> str(found.errors[0]), found.bad
    ('Row 2 (name): Name is blank.', {0})
    """

    errors: list[RowError] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)

    def add(self, pos: Hashable, column: str | None, message: str) -> None:
        """Record a problem on the row at 0-based data position ``pos`` and reject that row."""
        self.bad.add(int(pos))  # type: ignore[call-overload]
        self.errors.append(RowError(sheet_row(int(pos)), column, message))  # type: ignore[call-overload]

    def file(self, column: str | None, message: str) -> None:
        """Record a problem with the whole file (no row)."""
        self.errors.append(RowError(None, column, message))

    def in_row_order(self) -> list[RowError]:
        """The problems by row, whole-file ones last (stable: a row's problems keep their order)."""
        return sorted(self.errors, key=lambda e: (e.row is None, e.row or 0))


# --- Single values -----------------------------------------------------------------------------
def is_blank(value: object) -> bool:
    """True for None, NA, NaN and text that is empty after stripping."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def one_line(value: object) -> str:
    """Text with runs of white space collapsed to one space and the ends stripped ("" if blank)."""
    return "" if is_blank(value) else re.sub(r"\s+", " ", str(value)).strip()


def parse_flag(value: object) -> bool:
    """The one true/false parser: true/false, t/f, yes/no, y/n, 1/0, a bool, or blank (false).

    Raises
    ------
    ValueError
        If the value is none of these.

    Examples
    --------
    >>> parse_flag(" Yes "), parse_flag(None)
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if is_blank(value):
        return False
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"'{value}' is not true/false.")


def normalise_postcode(value: object) -> str:
    """Return a postcode in the standard "LS15 7JY" form.

    Parameters
    ----------
    value : object
        Any spelling: "ls157jy", " LS15  7JY ", "ls15-7jy".

    Raises
    ------
    InvalidPostcodeError
        If the value is blank or is not shaped like a UK postcode.

    Examples
    --------
    >>> normalise_postcode("ls157jy")
    'LS15 7JY'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InvalidPostcodeError("Postcode is blank.")
    compact = re.sub(r"[\s\-]+", "", str(value)).upper()
    if not compact:
        raise InvalidPostcodeError("Postcode is blank.")
    match = _POSTCODE_RE.match(compact)
    if not match:
        raise InvalidPostcodeError(f"'{value}' is not a valid UK postcode.")
    return f"{match.group(1)} {match.group(2)}"


def try_postcode(value: object) -> str | None:
    """The postcode in "LS15 7JY" form, or None if it is not one."""
    try:
        return normalise_postcode(value)
    except InvalidPostcodeError:
        return None


def number(value: object) -> float | None:
    """A finite number written as text (spaces allowed), else None."""
    try:
        out = float(str(value).strip())
    except ValueError:
        return None
    return out if math.isfinite(out) else None


@dataclass(frozen=True)
class Coordinates:
    """Typed latitude/longitude of one row: the values when valid, else what is wrong."""

    given: bool  # either value was typed
    lat: float | None = None
    lon: float | None = None
    column: str | None = None  # where the problem is reported
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Both values typed and valid."""
        return self.lat is not None and self.problem is None


def check_coordinates(lat_raw: object, lon_raw: object, lat_col: str, lon_col: str) -> Coordinates:
    """Check a typed latitude/longitude pair: both or neither, numbers, on the globe.

    Examples
    --------
    >>> check_coordinates("53.8", "", "latitude", "longitude").problem
    'Give both latitude and longitude, or neither.'
    """
    has_lat, has_lon = not is_blank(lat_raw), not is_blank(lon_raw)
    if has_lat != has_lon:
        return Coordinates(True, column=lon_col if has_lat else lat_col, problem=BOTH_COORDINATES)
    if not has_lat:
        return Coordinates(False)
    lat, lon = number(lat_raw), number(lon_raw)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Coordinates(
            True,
            column=lat_col,
            problem=f"Latitude/longitude '{lat_raw}', '{lon_raw}' are not valid numbers.",
        )
    return Coordinates(True, lat, lon)


def check_date(value: object, today: pd.Timestamp, what: str) -> tuple[RegisterDate, str | None]:
    """Parse a register date (``utils.dates``) and check it is not in the future.

    Parameters
    ----------
    value : object
        The cell.
    today : pandas.Timestamp
        Dates after this are "in the future".
    what : str
        "Opened" or "Closed", starting the messages.

    Returns
    -------
    tuple of (RegisterDate, str or None)
        The parsed date (``MISSING`` when blank or unreadable) and the problem, if any; a blank
        date is not a problem here (the caller decides whether it is required).
    """
    try:
        parsed = parse_register_date(value)
    except DateError as err:
        return parse_register_date(None), str(err)
    if parsed.precision != "missing" and parsed.when > today:
        return parsed, f"{what} date {parsed.text} is in the future."
    return parsed, None


def later_repeats(keys: Iterable[tuple[int, Hashable]]) -> Iterator[tuple[int, int]]:
    """(position, first position) for each key seen before; None keys are skipped."""
    first: dict[Hashable, int] = {}
    for pos, key in keys:
        if key is None:
            continue
        if key in first:
            yield pos, first[key]
        else:
            first[key] = pos


# --- Reading an upload -------------------------------------------------------------------------
def header_key(name: object) -> str:
    """A header compared loosely: lower case, runs of spaces, hyphens and slashes as "_"."""
    return re.sub(r"[\s\-/]+", "_", str(name).strip().lower())


def decode_utf8(data: bytes, filename: str, error: type[Exception]) -> str:
    """The text of an uploaded CSV, or ``error`` naming the first bad byte and its line.

    The message says how to save a UTF-8 CSV from Excel, the usual cause.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise error(
            f"{filename} is not UTF-8 text (byte 0x{data[err.start]:02X} on line {line}). "
            "In Excel use 'Save as' > 'CSV UTF-8 (Comma delimited)' and upload again."
        ) from err


def read_csv_text(text: str, filename: str, error: type[Exception]) -> pd.DataFrame:
    """Parse CSV text with every cell as text (blank cells as "")."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise error(f"{filename} could not be read as CSV: {err}") from err


def read_workbook(
    data: bytes, filename: str, error: type[Exception], dtype: type = object
) -> pd.DataFrame:
    """Read the first sheet of an uploaded XLSX after refusing one that unzips too large."""
    check_workbook_size(data, filename, error)
    try:
        return pd.read_excel(io.BytesIO(data), dtype=dtype, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for a corrupt file
        raise error(f"{filename} could not be read as an Excel workbook: {err}") from err


def read_upload(
    data: bytes,
    filename: str,
    error: type[Exception],
    *,
    excel_dtype: type = object,
    csv_suffixes: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Read an uploaded table: an XLSX workbook, or CSV in UTF-8.

    Parameters
    ----------
    data, filename
        The upload; the name picks the reader and is quoted (made plain) in messages.
    error : type of Exception
        The caller's domain error, raised for an empty, unreadable or non-UTF-8 file.
    excel_dtype : type
        Cell type for workbooks (``object`` keeps numbers and dates as Excel gave them).
    csv_suffixes : tuple of str, optional
        Suffixes read as CSV; others are refused. None reads every non-Excel file as CSV.
    """
    lower = filename.lower()
    filename = plain(filename)  # quoted in messages: one line, truncated
    if not data:
        raise error(f"{filename} is empty.")
    if lower.endswith(EXCEL_SUFFIXES):
        return read_workbook(data, filename, error, excel_dtype)
    if csv_suffixes is not None and not lower.endswith(csv_suffixes):
        raise error(f"{filename}: upload a .csv (UTF-8) or .xlsx file.")
    return read_csv_text(decode_utf8(data, filename, error), filename, error)


def repeated(columns: Iterable[object]) -> list[str]:
    """The column names that occur more than once, sorted."""
    names = [str(c) for c in columns]
    return sorted({c for c in names if names.count(c) > 1})
