"""Hub register: schema, postcode normalisation, offline geocoding, area assignment, validation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from utils.constants import (
    CRS_BNG,
    CRS_WGS84,
    HUB_ADDRESS,
    HUB_CLOSED,
    HUB_ID,
    HUB_LAT,
    HUB_LON,
    HUB_NAME,
    HUB_OPENED,
    HUB_ORG,
    HUB_POSTCODE,
    HUB_SAMPLE,
    HUB_SERVICES,
    HUB_SOURCE,
    IN_LEEDS,
    LAT,
    LCP,
    LCP_STATUS,
    LON,
    LSOA,
    POSTCODE,
    WARD,
    X,
    Y,
)
from utils.dates import DateError, RegisterDate, open_mask, parse_register_date
from utils.row_checks import (
    InvalidPostcodeError,
    RowError,
    RowErrors,
    check_coordinates,
    check_date,
    header_key,
    is_blank,
    later_repeats,
    normalise_postcode,
    parse_flag,
    read_upload,
    repeated,
    sheet_row,
    try_postcode,
)
from utils.text import plain
from utils.uploads import MAX_REGISTER_ROWS, check_row_count

# New register column (not in utils/constants.py): free-text caveats, e.g. an imprecise date.
HUB_NOTES = "notes"

# Stored columns, in file order. Everything else is derived from location or dates.
REGISTER_COLUMNS: tuple[str, ...] = (
    HUB_ID,
    HUB_NAME,
    HUB_ORG,
    HUB_ADDRESS,
    HUB_POSTCODE,
    HUB_LAT,
    HUB_LON,
    HUB_OPENED,
    HUB_CLOSED,
    HUB_SERVICES,
    HUB_NOTES,
    HUB_SOURCE,
    HUB_SAMPLE,
)
# A file must have these; the others are optional and filled with blanks.
REQUIRED_COLUMNS: tuple[str, ...] = (HUB_NAME, HUB_POSTCODE, HUB_OPENED)
TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in REGISTER_COLUMNS if c not in (HUB_LAT, HUB_LON, HUB_SAMPLE)
)

# Derived columns added by parse_dates / geocode_hubs / assign_areas.
OPENED_DATE = "opened_date"  # Timestamp: first day of the month for month precision
OPENED_PRECISION = "opened_precision"  # "day" or "month"
CLOSED_DATE = "closed_date"
CLOSED_PRECISION = "closed_precision"
GEOCODED_FROM = "geocoded_from"  # "coordinates" (typed lat/lon) or "postcode"

# Accepted header spellings (compared lower-case, spaces/hyphens as underscores).
COLUMN_ALIASES: dict[str, str] = {
    "id": HUB_ID,
    "hub_id": HUB_ID,
    "hub": HUB_NAME,
    "hub_name": HUB_NAME,
    "name": HUB_NAME,
    "organisation": HUB_ORG,
    "organization": HUB_ORG,
    "org": HUB_ORG,
    "address": HUB_ADDRESS,
    "postcode": HUB_POSTCODE,
    "post_code": HUB_POSTCODE,
    "latitude": HUB_LAT,
    "lat": HUB_LAT,
    "longitude": HUB_LON,
    "lon": HUB_LON,
    "lng": HUB_LON,
    "long": HUB_LON,
    "opened": HUB_OPENED,
    "opened_date": HUB_OPENED,
    "open_date": HUB_OPENED,
    "closed": HUB_CLOSED,
    "closed_date": HUB_CLOSED,
    "services": HUB_SERVICES,
    "services_notes": HUB_SERVICES,
    "notes": HUB_NOTES,
    "source": HUB_SOURCE,
    "sample": HUB_SAMPLE,
}

# Points this close (metres) to an LSOA but inside none are snapped to it: the boundaries are
# generalised (~20 m), so a real Leeds postcode can fall just outside every polygon.
SNAP_TOLERANCE_M = 50.0

_DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class HubRegisterError(ValueError):
    """A hub register problem that stops the whole file (bad encoding, missing columns)."""


# --- Dates -------------------------------------------------------------------------------------
def parse_hub_date(value: object) -> tuple[str, pd.Timestamp, str] | None:
    """Parse an opened/closed date with the register's one parser (``utils.dates``).

    Returns
    -------
    tuple or None
        (canonical text "YYYY-MM" or "YYYY-MM-DD", plus " (placeholder)" when so marked; first
        day as Timestamp; "month" | "day"), or None for a blank value.

    Raises
    ------
    ValueError
        If the text is not a date in one of the accepted forms (``utils.dates.DateError``).
    """
    parsed = parse_register_date(value)
    if parsed.precision == "missing":
        return None
    return parsed.text, parsed.when, parsed.precision


def _period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    return start + pd.offsets.MonthEnd(0) if precision == "month" else start


# --- Reading, coercing, exporting --------------------------------------------------------------
def _canonical_header(name: object) -> str:
    key = header_key(name)
    return COLUMN_ALIASES.get(key, key)


def empty_register() -> pd.DataFrame:
    """Return an empty register with the stored columns and dtypes."""
    return coerce_register(pd.DataFrame(columns=list(REGISTER_COLUMNS)))


def coerce_register(df: pd.DataFrame) -> pd.DataFrame:
    """Return the stored columns in order with canonical dtypes (text, float lat/lon, bool sample).

    Unknown header spellings are mapped by ``COLUMN_ALIASES``; missing optional columns are added
    blank. Values are not validated here (see ``validate_register``); an unparseable latitude
    becomes NaN and an unparseable sample flag False.
    """
    out = df.rename(columns={c: _canonical_header(c) for c in df.columns}).copy()
    for col in REGISTER_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA
    out = out[list(REGISTER_COLUMNS)].reset_index(drop=True)
    for col in TEXT_COLUMNS:
        s = out[col].astype("string").str.strip()
        out[col] = s.mask(s == "").astype("str")
    for col in (HUB_LAT, HUB_LON):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)

    def flag(v: object) -> bool:
        try:
            return parse_flag(v)
        except ValueError:
            return False

    out[HUB_SAMPLE] = out[HUB_SAMPLE].map(flag).astype(bool)
    return out


def read_register_file(data: bytes, filename: str) -> pd.DataFrame:
    """Read an uploaded register (CSV in UTF-8, or XLSX) into a DataFrame of raw values.

    Headers are mapped to the register's column names (e.g. "Post code" -> postcode); cell values
    are kept as text, so ``validate_register`` can report each problem with its row number.

    Raises
    ------
    HubRegisterError
        If the file is empty, not UTF-8 (with the line of the first bad byte), not a readable
        CSV/XLSX, an XLSX that unzips too large, lacks a required column (name, postcode,
        opened), or has no data rows or more than ``MAX_REGISTER_ROWS``.
    """
    raw = read_upload(data, filename, HubRegisterError, csv_suffixes=(".csv", ".txt"))
    filename = plain(filename)
    raw = raw.rename(columns={c: _canonical_header(c) for c in raw.columns})
    dupes = repeated(raw.columns)
    if dupes:
        raise HubRegisterError(
            f"{filename} has the column(s) {plain(', '.join(dupes))} more than once."
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise HubRegisterError(
            f"{filename} is missing the column(s): {', '.join(missing)}. "
            f"Found: {plain(', '.join(map(str, raw.columns)), limit=200) or 'none'}. "
            f"Expected columns: {', '.join(REGISTER_COLUMNS)}."
        )
    check_row_count(len(raw), MAX_REGISTER_ROWS, filename, "register rows", HubRegisterError)
    return raw.astype(object).where(raw.notna(), None)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as formulas when opened in Excel.

    Text starting with =, +, -, @, tab or carriage return (also after leading spaces, and the
    full-width forms) gets a leading apostrophe. Control characters that a workbook cannot hold
    (XML 1.0 forbids them; openpyxl refuses the whole file) become "\ufffd". Numbers stay numbers.
    """
    out = df.copy()

    def fix(v: object) -> object:
        if isinstance(v, str):
            v = _XML_ILLEGAL.sub("\ufffd", v)
            if v.lstrip(" ").startswith(_DANGEROUS_PREFIXES):
                return "'" + v
        return v

    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).map(fix)
    return out


def register_to_csv(df: pd.DataFrame) -> bytes:
    """Return the register (stored columns) as UTF-8 CSV bytes, safe to open in Excel."""
    reg = coerce_register(df)
    return excel_safe(reg).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


# --- Geocoding and areas -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    # Built on first use, not at import (it reads the PROJ database).
    return Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)


def geocode_hubs(register_df: pd.DataFrame, postcodes_df: pd.DataFrame) -> pd.DataFrame:
    """Add coordinates: typed latitude/longitude win, else the postcode centroid.

    Parameters
    ----------
    register_df : pandas.DataFrame
        Register with postcode, latitude, longitude (any can be blank).
    postcodes_df : pandas.DataFrame
        Postcode centroids with columns postcode ("LS15 7JY" form), lat, lon
        (data/build/postcodes.parquet).

    Returns
    -------
    pandas.DataFrame
        Copy with the postcode normalised (invalid ones left as typed), latitude/longitude filled
        from the postcode where blank, x/y in EPSG:27700 and ``geocoded_from``.
        Unknown postcodes leave NaN coordinates; ``validate_register`` reports them.
    """
    out = register_df.copy().reset_index(drop=True)
    for col in (HUB_LAT, HUB_LON):
        if col not in out.columns:
            out[col] = np.nan
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    if HUB_POSTCODE not in out.columns:
        out[HUB_POSTCODE] = None
    normal = out[HUB_POSTCODE].map(try_postcode)
    out[HUB_POSTCODE] = normal.where(normal.notna(), out[HUB_POSTCODE])
    centroids = postcodes_df.drop_duplicates(POSTCODE).set_index(POSTCODE)[[LAT, LON]]
    typed = out[HUB_LAT].notna() & out[HUB_LON].notna()
    pc_lat = normal.map(centroids[LAT]).astype(float)
    pc_lon = normal.map(centroids[LON]).astype(float)
    out[HUB_LAT] = out[HUB_LAT].where(typed, pc_lat)
    out[HUB_LON] = out[HUB_LON].where(typed, pc_lon)
    has = out[HUB_LAT].notna() & out[HUB_LON].notna()
    out[GEOCODED_FROM] = pd.Series(
        np.where(typed, "coordinates", np.where(has, "postcode", None)), dtype=object
    )
    xx, yy = _to_bng().transform(out[HUB_LON].to_numpy(), out[HUB_LAT].to_numpy())
    out[X] = np.where(has, xx, np.nan)
    out[Y] = np.where(has, yy, np.nan)
    return out


def assign_areas(
    hubs: pd.DataFrame, lsoas_gdf: gpd.GeoDataFrame, footprints: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Derive each hub's LSOA, ward and LCP from its x/y (EPSG:27700) by point-in-polygon.

    A point on a shared boundary goes to the lowest LSOA code; a point within
    ``SNAP_TOLERANCE_M`` of Leeds but inside no LSOA goes to the nearest one. Points further out
    get blank areas (outside Leeds).

    Parameters
    ----------
    hubs : pandas.DataFrame
        Output of ``geocode_hubs`` (needs x, y).
    lsoas_gdf : geopandas.GeoDataFrame
        LSOA polygons with lsoa21cd and ward_cd (any CRS; measured in EPSG:27700).
    footprints : pandas.DataFrame, optional
        lsoa21cd -> lcp (and lcp_status). If omitted, lcp is taken from ``lsoas_gdf`` if present.

    Returns
    -------
    pandas.DataFrame
        Copy of ``hubs`` with lsoa21cd, ward_cd, lcp, lcp_status (NaN where outside Leeds).
    """
    if lsoas_gdf.crs is None:
        raise ValueError("The LSOA layer has no CRS; expected EPSG:4326 or EPSG:27700.")
    out = hubs.copy().reset_index(drop=True)
    for col in (LSOA, WARD, LCP, LCP_STATUS):
        if col in out.columns:
            out = out.drop(columns=col)
    polys = lsoas_gdf.to_crs(CRS_BNG)
    area_cols = [c for c in (LSOA, WARD, LCP, LCP_STATUS) if c in polys.columns]
    polys = polys[area_cols + ["geometry"]]
    has = out[X].notna() & out[Y].notna()
    pts = gpd.GeoDataFrame(
        {"_pos": out.index[has]},
        geometry=gpd.points_from_xy(out.loc[has, X], out.loc[has, Y]),
        crs=CRS_BNG,
    )
    hit = gpd.sjoin(pts, polys, how="inner", predicate="intersects")
    hit = hit.sort_values(["_pos", LSOA]).drop_duplicates("_pos")
    missed = pts[~pts["_pos"].isin(hit["_pos"])]
    if len(missed):
        near = gpd.sjoin_nearest(missed, polys, how="inner", max_distance=SNAP_TOLERANCE_M)
        near = near.sort_values(["_pos", LSOA]).drop_duplicates("_pos")
        hit = pd.concat([hit, near])
    found = hit.set_index("_pos")[area_cols]
    out = out.join(found, how="left")
    if footprints is not None:
        fp = footprints.set_index(LSOA)
        out[LCP] = out[LSOA].map(fp[LCP])
        if LCP_STATUS in fp.columns:
            out[LCP_STATUS] = out[LSOA].map(fp[LCP_STATUS])
    for col in (LSOA, WARD, LCP, LCP_STATUS):
        if col not in out.columns:
            out[col] = pd.NA
    return out


def add_date_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add opened_date/opened_precision and closed_date/closed_precision (NaT/None if blank or bad)."""
    out = df.copy()
    for col, date_col, prec_col in (
        (HUB_OPENED, OPENED_DATE, OPENED_PRECISION),
        (HUB_CLOSED, CLOSED_DATE, CLOSED_PRECISION),
    ):
        parsed = [
            _parsed_or_none(v) for v in (out[col] if col in out.columns else [None] * len(out))
        ]
        whens = pd.Series([p.when if p else pd.NaT for p in parsed], dtype=object)
        out[date_col] = pd.to_datetime(whens).to_numpy()  # by position: the index may have gaps
        out[prec_col] = pd.Series(
            [p.precision if p else None for p in parsed], dtype=object
        ).to_numpy()
    return out


def _parsed_or_none(value: object) -> RegisterDate | None:
    try:
        parsed = parse_register_date(value)
    except DateError:
        return None
    return None if parsed.precision == "missing" else parsed


# --- Validation --------------------------------------------------------------------------------
def _next_ids(existing: Iterable[str], n: int) -> list[str]:
    nums = [int(m.group(1)) for e in existing if (m := re.match(r"^HUB-(\d+)$", str(e)))]
    start = max(nums, default=0) + 1
    return [f"HUB-{i:04d}" for i in range(start, start + n)]


@dataclass(frozen=True)
class _Postcodes:
    """The postcode list as the register checks need it."""

    known: set[str]
    in_leeds: pd.Series  # postcode -> bool

    @classmethod
    def of(cls, postcodes_df: pd.DataFrame) -> _Postcodes:
        table = postcodes_df.drop_duplicates(POSTCODE).set_index(POSTCODE)
        return cls(set(postcodes_df[POSTCODE]), table[IN_LEEDS].astype(bool))


def _check_location(r: dict, postcodes: _Postcodes, found: RowErrors, pos: int) -> str | None:
    """Coordinates and postcode of one row; returns the normalised postcode (None if unusable)."""
    coords = check_coordinates(r.get(HUB_LAT), r.get(HUB_LON), HUB_LAT, HUB_LON)
    if coords.problem:
        found.add(pos, coords.column, coords.problem)
    pc_raw = r.get(HUB_POSTCODE)
    if is_blank(pc_raw):
        if not coords.given:
            found.add(
                pos, HUB_POSTCODE, "Postcode is blank (give a postcode or latitude/longitude)."
            )
        return None
    try:
        pc = normalise_postcode(pc_raw)
    except InvalidPostcodeError as e:
        found.add(pos, HUB_POSTCODE, str(e))
        return None
    if pc not in postcodes.known:
        found.add(
            pos, HUB_POSTCODE, f"Unknown postcode {pc} (not in the Leeds-area postcode list)."
        )
    elif not postcodes.in_leeds.get(pc, False) and not coords.ok:
        found.add(pos, HUB_POSTCODE, f"Postcode {pc} is outside Leeds.")
    return pc


def _check_dates(
    r: dict, today: pd.Timestamp, found: RowErrors, pos: int
) -> tuple[RegisterDate | None, RegisterDate | None]:
    """Opened (required) and closed dates of one row; each returned only when it is usable."""
    opened, problem = check_date(r.get(HUB_OPENED), today, "Opened")
    if problem is None and opened.precision == "missing":
        problem = "Opened date is blank."
    if problem:
        found.add(pos, HUB_OPENED, problem)
    opened_ok = opened if problem is None else None
    closed, problem = check_date(r.get(HUB_CLOSED), today, "Closed")
    if problem is None and closed.precision == "missing":
        return opened_ok, None
    if (
        problem is None
        and opened.precision != "missing"
        and _period_end(closed.when, closed.precision) < opened.when
    ):
        problem = f"Closed ({closed.text}) is before opened ({opened.text})."
    if problem:
        found.add(pos, HUB_CLOSED, problem)
        return opened_ok, None
    return opened_ok, closed


def _check_rows(
    raw: pd.DataFrame, reg: pd.DataFrame, postcodes: _Postcodes, today: date, found: RowErrors
) -> None:
    """Row checks: name, location, dates, sample flag; writes canonical text back into ``reg``.

    Plain dicts and one write per column after the loop: per-row .iloc/.loc on a 5,000-row
    register took ~18 s; this keeps validating at the upload limit under the 3 s target.
    """
    today_ts = pd.Timestamp(today)
    fixed: dict[str, dict[int, str]] = {HUB_POSTCODE: {}, HUB_OPENED: {}, HUB_CLOSED: {}}
    for pos, r in enumerate(raw.to_dict("records")):
        if is_blank(r.get(HUB_NAME)):
            found.add(pos, HUB_NAME, "Name is blank.")
        pc = _check_location(r, postcodes, found, pos)
        if pc is not None:
            fixed[HUB_POSTCODE][pos] = pc
        opened, closed = _check_dates(r, today_ts, found, pos)
        for col, parsed in ((HUB_OPENED, opened), (HUB_CLOSED, closed)):
            if parsed is not None:
                fixed[col][pos] = parsed.text
        try:
            parse_flag(r.get(HUB_SAMPLE))
        except ValueError as e:
            found.add(pos, HUB_SAMPLE, str(e))
    for col, values in fixed.items():
        if values:
            reg.loc[list(values), col] = list(values.values())


def _check_duplicate_ids(reg: pd.DataFrame, found: RowErrors) -> None:
    """Cross-row: a repeated hub id is reported on the later row, naming the first."""
    ids = [(pos, None if pd.isna(hid) else hid) for pos, hid in reg[HUB_ID].items()]
    for pos, first in later_repeats(ids):
        hid = reg.at[pos, HUB_ID]
        found.add(pos, HUB_ID, f"Duplicate hub id {hid} (first used on row {sheet_row(first)}).")


def _check_overlapping_spells(reg: pd.DataFrame, found: RowErrors) -> None:
    """Cross-row: the same hub (name + postcode) open twice at once (it may close and reopen)."""
    dated = add_date_columns(reg)
    key = name_key(reg[HUB_NAME]) + "|" + reg[HUB_POSTCODE]
    shared = key.duplicated(keep=False)  # a name + postcode on one row cannot overlap itself
    for _, group in dated[shared].groupby(key[shared], dropna=True):
        prev = None
        for pos, row in group.sort_values(OPENED_DATE).iterrows():
            if pd.isna(row[OPENED_DATE]):
                continue
            if prev is not None:
                p_end = prev[CLOSED_DATE]
                if pd.isna(p_end) or _period_end(p_end, prev[CLOSED_PRECISION]) >= row[OPENED_DATE]:
                    found.add(
                        pos,
                        HUB_NAME,
                        f"Duplicate of row {sheet_row(prev.name)}: same name and postcode, "
                        "open at the same time.",
                    )
                    continue
            prev = row


def _geocode_checked(
    reg: pd.DataFrame,
    postcodes_df: pd.DataFrame,
    lsoas_gdf: gpd.GeoDataFrame,
    footprints: pd.DataFrame | None,
    found: RowErrors,
) -> pd.DataFrame:
    """Geocode and place every row; a located row that falls in no Leeds LSOA is an error."""
    geo = assign_areas(geocode_hubs(reg, postcodes_df), lsoas_gdf, footprints)
    outside = geo[X].notna() & geo[LSOA].isna()
    for pos in geo.index[outside.to_numpy()]:
        if pos not in found.bad:
            found.add(pos, HUB_LAT, "Hub location is outside Leeds.")
    return geo


def validate_register(
    df: pd.DataFrame,
    postcodes_df: pd.DataFrame,
    lsoas_gdf: gpd.GeoDataFrame,
    today: date,
    footprints: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[RowError]]:
    """Check a register and derive each hub's coordinates, LSOA, ward and LCP.

    Rules (each reported with its spreadsheet row; the header is row 1): missing required
    columns; blank name; blank, malformed or unknown postcode (unless latitude/longitude are
    given for a blank postcode); latitude/longitude not numbers or only one of the pair; hub
    outside Leeds; opened blank, not a date or in the future; closed not a date, in the future or
    before opened; sample flag not true/false; duplicate hub id; the same name and postcode open
    in overlapping periods (a closed hub may reopen as a new row).

    Parameters
    ----------
    df : pandas.DataFrame
        Raw register, e.g. from ``read_register_file`` or the store.
    postcodes_df : pandas.DataFrame
        Postcode centroids (postcode, lat, lon, in_leeds).
    lsoas_gdf : geopandas.GeoDataFrame
        Leeds LSOA polygons (lsoa21cd, ward_cd, optional lcp).
    today : datetime.date
        Dates after this are "in the future".
    footprints : pandas.DataFrame, optional
        LSOA -> LCP lookup used for the lcp column.

    Returns
    -------
    tuple of (pandas.DataFrame, list of RowError)
        The rows without errors (stored columns, blank ids filled as HUB-nnnn, plus derived
        columns), and every problem found. Callers must treat a non-empty list as a rejected
        upload and keep the previous register.
    """
    raw = df.rename(columns={c: _canonical_header(c) for c in df.columns}).reset_index(drop=True)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        return empty_register(), [RowError(None, ", ".join(missing), "Missing required column(s).")]
    found = RowErrors()
    reg = coerce_register(raw)
    _check_rows(raw, reg, _Postcodes.of(postcodes_df), today, found)
    _check_duplicate_ids(reg, found)
    _check_overlapping_spells(reg, found)
    geo = _geocode_checked(reg, postcodes_df, lsoas_gdf, footprints, found)

    valid = add_date_columns(geo.drop(index=sorted(found.bad)))
    blank_ids = valid[HUB_ID].isna()
    if blank_ids.any():
        valid.loc[blank_ids, HUB_ID] = _next_ids(reg[HUB_ID].dropna(), int(blank_ids.sum()))
    return valid.reset_index(drop=True), found.in_row_order()


def name_key(names: pd.Series) -> pd.Series:
    """Hub names compared case-blind with runs of spaces collapsed (the one rule for "same name")."""
    return names.str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)


def hub_identity(hubs: pd.DataFrame) -> pd.Series:
    """One key per distinct hub: its name and postcode, else its id, else the row.

    The register represents a hub that closed and reopened as two rows with the same name and
    postcode and a new id (data/HUB_REGISTER.md), so keying on ids would count it twice.
    Names compare case-blind with runs of spaces collapsed; postcodes in "LS15 7JY" form.
    """
    keys = pd.Series([f"row:{i}" for i in range(len(hubs))], index=hubs.index, dtype=object)
    if HUB_ID in hubs.columns:
        ids = hubs[HUB_ID]
        has = ~ids.map(is_blank).astype(bool)
        keys[has] = "id:" + ids[has].astype(str).str.strip()
    if HUB_NAME in hubs.columns:
        names = hubs[HUB_NAME]
        has = ~names.map(is_blank).astype(bool)
        name = name_key(names[has].astype(str))
        if HUB_POSTCODE in hubs.columns:
            pcs = hubs.loc[has, HUB_POSTCODE].map(
                lambda v: "" if is_blank(v) else (try_postcode(v) or str(v).strip().upper())
            )
            name = name + "|" + pcs.astype(str)
        keys[has] = "name:" + name
    return keys


def hubs_gdf(hubs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return geocoded hubs as points in EPSG:4326 (rows without coordinates dropped)."""
    ok = hubs[HUB_LAT].notna() & hubs[HUB_LON].notna()
    h = hubs[ok]
    return gpd.GeoDataFrame(h, geometry=gpd.points_from_xy(h[HUB_LON], h[HUB_LAT]), crs=CRS_WGS84)


def open_on(hubs: pd.DataFrame, when: date) -> pd.Series:
    """Return a mask of hubs open on a date (``utils.dates.open_mask``: the one rule).

    Month-precision dates count from the first of the month; a closed date is the first day the
    hub is no longer open.
    """
    d = hubs if OPENED_DATE in hubs.columns else add_date_columns(hubs)
    return open_mask(d[OPENED_DATE], d[CLOSED_DATE], pd.Timestamp(when))
