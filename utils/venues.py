"""Candidate venues for the site planner: read and validate an uploaded CSV, geocode by postcode."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
from pyproj import Transformer

from utils.constants import (
    CRS_BNG,
    CRS_WGS84,
    HUB_LAT,
    HUB_LON,
    HUB_NAME,
    HUB_POSTCODE,
    IN_LEEDS,
    LAT,
    LCP,
    LON,
    LSOA,
    POSTCODE,
    WARD,
    X,
    Y,
)
from utils.hubs import COLUMN_ALIASES
from utils.row_checks import (
    InvalidPostcodeError,
    RowError,
    RowErrors,
    check_coordinates,
    decode_utf8,
    header_key,
    is_blank,
    later_repeats,
    normalise_postcode,
    one_line,
    read_csv_text,
    repeated,
    sheet_row,
)
from utils.text import plain

# Columns this module adds (not in utils/constants.py; planner-only).
VENUE_ROW = "row"  # spreadsheet row of the venue in the uploaded file (header = row 1)
GEOCODED_FROM = "geocoded_from"  # "coordinates" (typed latitude/longitude) or "postcode"

REQUIRED_COLUMNS: tuple[str, ...] = (HUB_NAME, HUB_POSTCODE)
OPTIONAL_COLUMNS: tuple[str, ...] = (HUB_LAT, HUB_LON)
# More venues than this would make the planner slow and the upload is probably the wrong file.
MAX_VENUES = 1_000
# Typed coordinates further than this from their postcode's centroid are probably mistyped.
MAX_OFFSET_FROM_POSTCODE_M = 1_000.0

_VENUE_ALIASES: dict[str, str] = {
    **COLUMN_ALIASES,
    "venue": HUB_NAME,
    "venue_name": HUB_NAME,
    "site": HUB_NAME,
    "site_name": HUB_NAME,
}

_TO_BNG = Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)


class VenueFileError(ValueError):
    """A venue upload problem that stops the whole file (empty, not UTF-8 CSV, missing columns)."""


def _canonical(name: object) -> str:
    key = header_key(name)
    return _VENUE_ALIASES.get(key, key)


def read_venues_csv(data: bytes, filename: str = "venues.csv") -> pd.DataFrame:
    """Read an uploaded venue CSV (UTF-8) into raw text values with canonical column names.

    Headers are matched loosely ("Venue name", "Post code", "lat", "lng" ...). Values stay as
    text so ``validate_venues`` can report each problem with its row number.

    Raises
    ------
    VenueFileError
        If the file is empty, not UTF-8, not CSV, has a repeated column, lacks name/postcode,
        or has more than ``MAX_VENUES`` rows.
    """
    filename = plain(filename)  # quoted in messages: one line, truncated
    if not data:
        raise VenueFileError(f"{filename} is empty.")
    text = decode_utf8(data, filename, VenueFileError)
    # Read the header ourselves: pandas renames a repeated column ("name.1") instead of failing.
    header = [_canonical(c) for c in next(csv.reader(io.StringIO(text)), [])]
    dupes = repeated(header)
    if dupes:
        raise VenueFileError(
            f"{filename} has the column(s) {plain(', '.join(dupes))} more than once."
        )
    raw = read_csv_text(text, filename, VenueFileError)
    raw.columns = header
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise VenueFileError(
            f"{filename} is missing the column(s): {', '.join(missing)}. Expected columns: "
            f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} (latitude/longitude optional)."
        )
    if len(raw) > MAX_VENUES:
        raise VenueFileError(
            f"{filename} has {len(raw):,} venues; the planner takes at most {MAX_VENUES:,}."
        )
    if len(raw) == 0:
        raise VenueFileError(f"{filename} has a header but no venues.")
    return raw


def _postcode_table(postcodes: pd.DataFrame) -> pd.DataFrame:
    pc_needed = [POSTCODE, LAT, LON, X, Y, IN_LEEDS, LSOA]
    lacking = [c for c in pc_needed if c not in postcodes.columns]
    if lacking:
        raise VenueFileError(f"The postcode table lacks column(s): {', '.join(lacking)}.")
    return postcodes.drop_duplicates(POSTCODE).set_index(POSTCODE)


def _check_postcode(
    value: object, table: pd.DataFrame, found: RowErrors, pos: int
) -> tuple[str | None, pd.Series | None]:
    """A venue's postcode and its row of the postcode table (None when unusable)."""
    if is_blank(value):
        found.add(pos, HUB_POSTCODE, "Postcode is blank.")
        return None, None
    try:
        pc = normalise_postcode(value)
    except InvalidPostcodeError as e:
        found.add(pos, HUB_POSTCODE, str(e))
        return None, None
    if pc not in table.index:
        found.add(pos, HUB_POSTCODE, f"Unknown postcode {pc} (not in the postcode list).")
        return pc, None
    if not bool(table.at[pc, IN_LEEDS]):
        found.add(pos, HUB_POSTCODE, f"Postcode {pc} is outside Leeds.")
        return pc, None
    return pc, table.loc[pc]


def _locate(
    pc: str, info: pd.Series, lat: float | None, lon: float | None, found: RowErrors, pos: int
) -> dict:
    """Geocode one venue: typed coordinates (checked against the postcode) else the postcode."""
    pc_xy = (float(info[X]), float(info[Y]))
    located = all(np.isfinite(pc_xy))
    if lat is not None and lon is not None:
        x, y = _TO_BNG.transform(lon, lat)
        if located and (off := math.dist((x, y), pc_xy)) > MAX_OFFSET_FROM_POSTCODE_M:
            found.add(
                pos,
                HUB_LAT,
                f"Latitude/longitude are {off / 1000:.1f} km from postcode {pc}; check both.",
            )
        return {HUB_LAT: lat, HUB_LON: lon, X: x, Y: y, GEOCODED_FROM: "coordinates"}
    if located:
        return {
            HUB_LAT: float(info[LAT]),
            HUB_LON: float(info[LON]),
            X: pc_xy[0],
            Y: pc_xy[1],
            GEOCODED_FROM: "postcode",
        }
    found.add(
        pos,
        HUB_POSTCODE,
        f"Postcode {pc} has no location in the postcode list; add latitude/longitude.",
    )
    return {}


def _check_venue(r: pd.Series, table: pd.DataFrame, found: RowErrors, pos: int) -> dict:
    """Row checks and geocoding of one venue; returns its row of the output."""
    name = one_line(r.get(HUB_NAME)) or None
    if name is None:
        found.add(pos, HUB_NAME, "Name is blank.")
    pc, info = _check_postcode(r.get(HUB_POSTCODE), table, found, pos)
    coords = check_coordinates(r.get(HUB_LAT), r.get(HUB_LON), HUB_LAT, HUB_LON)
    if coords.problem:
        found.add(pos, coords.column, coords.problem)
    row = {VENUE_ROW: sheet_row(pos), HUB_NAME: name, HUB_POSTCODE: pc}
    if info is not None:
        row.update(_locate(pc, info, coords.lat, coords.lon, found, pos))
        row[LSOA] = info[LSOA]
        if WARD in table.columns:
            row[WARD] = info[WARD]
    return row


def _add_lcps(out: pd.DataFrame, lcp_lookup: pd.DataFrame) -> pd.DataFrame:
    lookup = lcp_lookup[[LSOA, LCP]]
    if lookup[LSOA].duplicated().any():
        raise VenueFileError("The LSOA -> LCP lookup lists an LSOA more than once.")
    n = len(out)
    out = out.merge(lookup, on=LSOA, how="left", validate="many_to_one")
    if len(out) != n:  # pragma: no cover - guarded by validate=
        raise VenueFileError("Joining venues to LCPs changed the number of venues.")
    return out


def validate_venues(
    raw: pd.DataFrame,
    postcodes: pd.DataFrame,
    lcp_lookup: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[RowError]]:
    """Check candidate venues and geocode them from the postcode table.

    Rules, each reported with its spreadsheet row (header = row 1): blank name; blank,
    malformed or unknown postcode; postcode outside Leeds; postcode without a location and no
    latitude/longitude given; latitude/longitude not numbers, only one of the pair, or more than
    ``MAX_OFFSET_FROM_POSTCODE_M`` from the postcode; duplicate venue (same name and postcode,
    or the same location as an earlier row: it would add nothing as a candidate). A duplicate
    is reported on the later row, naming the first.

    Parameters
    ----------
    raw : pandas.DataFrame
        Venues with columns ``HUB_NAME`` and ``HUB_POSTCODE``, optionally ``HUB_LAT`` and
        ``HUB_LON`` (e.g. from ``read_venues_csv``).
    postcodes : pandas.DataFrame
        The built postcode table: ``POSTCODE``, ``LAT``, ``LON``, ``X``, ``Y``, ``IN_LEEDS``,
        ``LSOA`` (and optionally ``WARD``).
    lcp_lookup : pandas.DataFrame, optional
        ``LSOA`` -> ``LCP`` lookup (one row per LSOA) to label each venue's LCP.

    Returns
    -------
    tuple of (pandas.DataFrame, list of RowError)
        The valid venues (``VENUE_ROW``, name, postcode, latitude, longitude, ``X``/``Y`` in
        EPSG:27700, ``LSOA``, ``WARD``, ``LCP`` when a lookup is given, ``GEOCODED_FROM``),
        ready as site-planner candidates; and every problem found, in row order.
    """
    df = raw.rename(columns={c: _canonical(c) for c in raw.columns}).reset_index(drop=True)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        return _empty(lcp_lookup is not None), [
            RowError(None, ", ".join(missing), "Missing required column(s).")
        ]
    table = _postcode_table(postcodes)
    found = RowErrors()
    out = pd.DataFrame([_check_venue(df.iloc[pos], table, found, pos) for pos in range(len(df))])
    for col in (HUB_LAT, HUB_LON, X, Y, LSOA, WARD, GEOCODED_FROM):
        if col not in out.columns:
            out[col] = np.nan if col in (HUB_LAT, HUB_LON, X, Y) else None
    _flag_duplicates(out, found)
    if lcp_lookup is not None:
        out = _add_lcps(out, lcp_lookup)

    valid = out.drop(index=sorted(found.bad)).reset_index(drop=True)
    return valid[_columns(lcp_lookup is not None)], found.in_row_order()


def _flag_duplicates(out: pd.DataFrame, found: RowErrors) -> None:
    """Report later rows that repeat an earlier venue's name + postcode, or its location."""
    names = [
        (pos, (n.casefold(), pc) if isinstance(n, str) and isinstance(pc, str) else None)
        for pos, n, pc in zip(out.index, out[HUB_NAME], out[HUB_POSTCODE], strict=True)
    ]
    same_name = dict(later_repeats(names))
    for pos, first in same_name.items():
        found.add(
            pos,
            HUB_NAME,
            f"Duplicate venue: same name and postcode as row {sheet_row(first)}.",
        )
    places = [
        (pos, (round(float(x)), round(float(y))) if pd.notna(x) and pd.notna(y) else None)
        for pos, x, y in zip(out.index, out[X], out[Y], strict=True)
        if pos not in same_name
    ]
    for pos, first in later_repeats(places):
        found.add(
            pos,
            HUB_LAT,
            f"Duplicate venue: same location as row {sheet_row(first)} "
            "(it would add nothing as a candidate); keep one, or give latitude/longitude "
            "if they are separate buildings.",
        )


def _columns(with_lcp: bool) -> list[str]:
    cols = [VENUE_ROW, HUB_NAME, HUB_POSTCODE, HUB_LAT, HUB_LON, X, Y, LSOA, WARD]
    return [*cols, *([LCP] if with_lcp else []), GEOCODED_FROM]


def _empty(with_lcp: bool) -> pd.DataFrame:
    return pd.DataFrame(columns=_columns(with_lcp))
