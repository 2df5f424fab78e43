"""Candidate venues for the site planner: read and validate an uploaded CSV, geocode by postcode."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable

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
from utils.hubs import COLUMN_ALIASES, InvalidPostcodeError, RowError, normalise_postcode, sheet_row
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
    key = re.sub(r"[\s\-/]+", "_", str(name).strip().lower())
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise VenueFileError(
            f"{filename} is not UTF-8 text (first bad byte on line {line}). In Excel use "
            "'Save as' > 'CSV UTF-8 (Comma delimited)' and upload again."
        ) from err
    # Read the header ourselves: pandas renames a repeated column ("name.1") instead of failing.
    header = [_canonical(c) for c in next(csv.reader(io.StringIO(text)), [])]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise VenueFileError(
            f"{filename} has the column(s) {plain(', '.join(dupes))} more than once."
        )
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise VenueFileError(f"{filename} could not be read as CSV: {err}") from err
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


def _blank(v: object) -> bool:
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return str(v).strip() == ""


def _number(v: object) -> float | None:
    try:
        out = float(str(v).strip())
    except ValueError:
        return None
    return out if math.isfinite(out) else None


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
    pc_needed = [POSTCODE, LAT, LON, X, Y, IN_LEEDS, LSOA]
    lacking = [c for c in pc_needed if c not in postcodes.columns]
    if lacking:
        raise VenueFileError(f"The postcode table lacks column(s): {', '.join(lacking)}.")
    table = postcodes.drop_duplicates(POSTCODE).set_index(POSTCODE)

    errors: list[RowError] = []
    bad: set[int] = set()

    def err(pos: int, col: str, msg: str) -> None:
        bad.add(pos)
        errors.append(RowError(sheet_row(pos), col, msg))

    rows: list[dict] = []
    for pos in range(len(df)):
        r = df.iloc[pos]
        name = None if _blank(r.get(HUB_NAME)) else re.sub(r"\s+", " ", str(r[HUB_NAME]).strip())
        if name is None:
            err(pos, HUB_NAME, "Name is blank.")
        pc = None
        info = None
        if _blank(r.get(HUB_POSTCODE)):
            err(pos, HUB_POSTCODE, "Postcode is blank.")
        else:
            try:
                pc = normalise_postcode(r[HUB_POSTCODE])
            except InvalidPostcodeError as e:
                err(pos, HUB_POSTCODE, str(e))
            if pc is not None:
                if pc not in table.index:
                    err(pos, HUB_POSTCODE, f"Unknown postcode {pc} (not in the postcode list).")
                elif not bool(table.at[pc, IN_LEEDS]):
                    err(pos, HUB_POSTCODE, f"Postcode {pc} is outside Leeds.")
                else:
                    info = table.loc[pc]

        lat_raw, lon_raw = r.get(HUB_LAT), r.get(HUB_LON)
        has_lat, has_lon = not _blank(lat_raw), not _blank(lon_raw)
        lat = lon = None
        if has_lat != has_lon:
            err(
                pos,
                HUB_LON if has_lat else HUB_LAT,
                "Give both latitude and longitude, or neither.",
            )
        elif has_lat:
            lat, lon = _number(lat_raw), _number(lon_raw)
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                err(pos, HUB_LAT, f"Latitude/longitude '{lat_raw}', '{lon_raw}' are not valid.")
                lat = lon = None

        row = {VENUE_ROW: sheet_row(pos), HUB_NAME: name, HUB_POSTCODE: pc}
        if info is not None:
            pc_xy = (float(info[X]), float(info[Y]))
            if lat is not None:
                x, y = _TO_BNG.transform(lon, lat)
                if all(np.isfinite(pc_xy)):
                    off = math.dist((x, y), pc_xy)
                    if off > MAX_OFFSET_FROM_POSTCODE_M:
                        err(
                            pos,
                            HUB_LAT,
                            f"Latitude/longitude are {off / 1000:.1f} km from postcode {pc}; "
                            "check both.",
                        )
                row.update({HUB_LAT: lat, HUB_LON: lon, X: x, Y: y, GEOCODED_FROM: "coordinates"})
            elif all(np.isfinite(pc_xy)):
                row.update(
                    {
                        HUB_LAT: float(info[LAT]),
                        HUB_LON: float(info[LON]),
                        X: pc_xy[0],
                        Y: pc_xy[1],
                        GEOCODED_FROM: "postcode",
                    }
                )
            else:
                err(
                    pos,
                    HUB_POSTCODE,
                    f"Postcode {pc} has no location in the postcode list; add latitude/longitude.",
                )
            row[LSOA] = info[LSOA]
            if WARD in table.columns:
                row[WARD] = info[WARD]
        rows.append(row)

    out = pd.DataFrame(rows)
    for col in (HUB_LAT, HUB_LON, X, Y, LSOA, WARD, GEOCODED_FROM):
        if col not in out.columns:
            out[col] = np.nan if col in (HUB_LAT, HUB_LON, X, Y) else None
    _flag_duplicates(out, err)

    if lcp_lookup is not None:
        lookup = lcp_lookup[[LSOA, LCP]]
        if lookup[LSOA].duplicated().any():
            raise VenueFileError("The LSOA -> LCP lookup lists an LSOA more than once.")
        n = len(out)
        out = out.merge(lookup, on=LSOA, how="left", validate="many_to_one")
        if len(out) != n:  # pragma: no cover - guarded by validate=
            raise VenueFileError("Joining venues to LCPs changed the number of venues.")

    errors.sort(key=lambda e: e.row or 0)
    valid = out.drop(index=sorted(bad)).reset_index(drop=True)
    cols = [VENUE_ROW, HUB_NAME, HUB_POSTCODE, HUB_LAT, HUB_LON, X, Y, LSOA, WARD]
    cols += [LCP] if lcp_lookup is not None else []
    return valid[[*cols, GEOCODED_FROM]], errors


def _flag_duplicates(out: pd.DataFrame, err: Callable[[int, str, str], None]) -> None:
    """Report later rows that repeat an earlier venue's name + postcode, or its location."""
    first_key: dict[tuple[str, str], int] = {}
    first_xy: dict[tuple[int, int], int] = {}
    for pos, r in out.iterrows():
        name, pc = r[HUB_NAME], r[HUB_POSTCODE]
        if isinstance(name, str) and isinstance(pc, str):
            key = (name.casefold(), pc)
            if key in first_key:
                err(
                    pos,
                    HUB_NAME,
                    f"Duplicate venue: same name and postcode as row {sheet_row(first_key[key])}.",
                )
                continue
            first_key[key] = pos
        if pd.notna(r[X]) and pd.notna(r[Y]):
            xy = (round(float(r[X])), round(float(r[Y])))
            if xy in first_xy:
                err(
                    pos,
                    HUB_LAT,
                    f"Duplicate venue: same location as row {sheet_row(first_xy[xy])} "
                    "(it would add nothing as a candidate); keep one, or give latitude/longitude "
                    "if they are separate buildings.",
                )
                continue
            first_xy[xy] = pos


def _empty(with_lcp: bool) -> pd.DataFrame:
    cols = [VENUE_ROW, HUB_NAME, HUB_POSTCODE, HUB_LAT, HUB_LON, X, Y, LSOA, WARD]
    cols += [LCP] if with_lcp else []
    return pd.DataFrame(columns=[*cols, GEOCODED_FROM])
