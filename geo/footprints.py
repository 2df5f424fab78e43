"""LSOA -> Local Care Partnership footprints: validate a lookup, dissolve outlines, aggregate."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from utils.constants import CRS_BNG, CRS_WGS84, LCP, LCP_STATUS, LSOA, POP_TOTAL
from utils.row_checks import RowError, RowErrors, one_line, read_upload, sheet_row
from utils.text import plain
from utils.uploads import MAX_FOOTPRINT_ROWS, check_row_count

# Status of a footprint. "official" marks an uploaded lookup (the default file uses the others).
STATUSES: tuple[str, ...] = ("described", "approximate", "provisional", "official")
UPLOAD_STATUS = "official"
N_LSOAS = "n_lsoas"
AREA_KM2 = "area_km2"

# Gaps narrower than this (metres) between dissolved LSOAs are closed; the generalised
# boundaries can leave sub-metre slivers where neighbours do not share every vertex.
SLIVER_TOLERANCE_M = 0.5
MIN_SLIVER_AREA_M2 = 0.01

_CODE_ALIASES = ("lsoa21cd", "lsoa11cd", "lsoa_code", "lsoa", "lsoa_cd", "lsoa21", "lsoa11", "code")
_LCP_ALIASES = ("lcp", "lcp_name", "local_care_partnership", "lcp_nm", "name")
_STATUS_ALIASES = ("status", "lcp_status")
_LSOA_CODE_RE = re.compile(r"^[EW]01\d{6}$")


class FootprintError(ValueError):
    """A footprint lookup or layer that cannot be used at all (not a row-level problem)."""


def _key(name: object) -> str:
    return re.sub(r"[\s\-()]+", "_", str(name).strip().lower()).strip("_")


def _find(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    keys = {_key(c): c for c in columns}
    for alias in aliases:
        if alias in keys:
            return keys[alias]
    return None


def read_footprint_file(data: bytes, filename: str) -> pd.DataFrame:
    """Read an uploaded footprint lookup (CSV in UTF-8, or XLSX) as text.

    Raises
    ------
    FootprintError
        If the file is empty, not UTF-8, not a readable CSV/XLSX, an XLSX that unzips too
        large, or has no data rows or more than ``MAX_FOOTPRINT_ROWS``.
    """
    raw = read_upload(data, filename, FootprintError, excel_dtype=str)
    check_row_count(len(raw), MAX_FOOTPRINT_ROWS, plain(filename), "LSOA rows", FootprintError)
    return raw


@dataclass(frozen=True)
class _Columns:
    """Which uploaded columns hold the LSOA code, the LCP name and (optionally) the status."""

    code: str
    lcp: str
    status: str | None

    @classmethod
    def of(cls, cols: list[str]) -> _Columns:
        code_col, lcp_col = _find(cols, _CODE_ALIASES), _find(cols, _LCP_ALIASES)
        if code_col is None or lcp_col is None:
            raise FootprintError(
                "The footprint lookup needs an LSOA code column (e.g. 'lsoa21cd') and an LCP "
                f"name column (e.g. 'lcp'); found: {', '.join(cols)}."
            )
        return cls(code_col, lcp_col, _find(cols, _STATUS_ALIASES))


# One claim of a 2021 LSOA: (data position, lcp, status, code as uploaded).
_Claim = tuple[int, str, str, str]


def _children(lsoa11_to_21_lookup: pd.DataFrame | None) -> dict[str, list[str]]:
    """2011 code -> its 2021 codes (a split 2011 LSOA has several)."""
    children: dict[str, list[str]] = {}
    if lsoa11_to_21_lookup is not None:
        for c11, c21 in zip(
            lsoa11_to_21_lookup["LSOA11CD"], lsoa11_to_21_lookup["LSOA21CD"], strict=True
        ):
            children.setdefault(str(c11), []).append(str(c21))
    return children


def _unknown_code_message(code: str, with_2011: bool) -> str:
    if not _LSOA_CODE_RE.match(code):
        return f"'{code}' is not an LSOA code (expected E01 and six digits)."
    if not with_2011:
        return f"{code} is not a Leeds LSOA 2021 code."
    return f"{code} is not a Leeds LSOA (2011 or 2021 code)."


def _check_row(
    values: dict, cols: _Columns, found: RowErrors, pos: int
) -> tuple[str, str, str, bool]:
    """Blank code, blank LCP, unknown status of one row: (code, lcp, status, row is fine)."""
    code = one_line(values[cols.code]).upper()
    lcp = one_line(values[cols.lcp])
    status = UPLOAD_STATUS
    if cols.status is not None:
        status = one_line(values[cols.status]).lower() or UPLOAD_STATUS
    n_before = len(found.errors)
    if not code:
        found.add(pos, cols.code, "LSOA code is blank.")
    if not lcp:
        found.add(pos, cols.lcp, "LCP name is blank.")
    if status not in STATUSES:
        found.add(pos, cols.status, f"Status '{status}' is not one of {', '.join(STATUSES)}.")
    return code, lcp, status, len(found.errors) == n_before


def _resolve(
    code21: str, entries: list[_Claim], code_col: str, found: RowErrors
) -> tuple[str, str, str] | None:
    """Cross-row: the one (lsoa, lcp, status) for a 2021 LSOA claimed by ``entries``, or None."""
    if len(entries) == 1:
        return code21, entries[0][1], entries[0][2]
    inputs = [e[3] for e in entries]
    row_list = ", ".join(str(sheet_row(e[0])) for e in entries)
    # Several distinct 2011 parents merged into one 2021 LSOA: fine if they agree.
    if len(set(inputs)) == len(inputs) and all(i != code21 for i in inputs):
        lcps = sorted({e[1] for e in entries})
        if len(lcps) == 1:
            return code21, entries[0][1], entries[0][2]
        found.add(
            entries[-1][0],
            code_col,
            f"2011 LSOAs {', '.join(inputs)} (rows {row_list}) merged into {code21} "
            f"but are given different LCPs: {', '.join(lcps)}.",
        )
        return None
    for e in entries[1:]:
        via = f" (via 2011 code {e[3]})" if e[3] != code21 else ""
        found.add(e[0], code_col, f"LSOA {code21}{via} appears more than once (rows {row_list}).")
    return None


def validate_footprints(
    df: pd.DataFrame,
    leeds_lsoa21_codes: list[str] | pd.Series | set[str],
    lsoa11_to_21_lookup: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[RowError]]:
    """Check an LSOA -> LCP lookup and convert 2011 codes to 2021.

    Each input row needs an LSOA code (2021, or 2011 when ``lsoa11_to_21_lookup`` is given) and an
    LCP name; a status column is optional (default "official"). A 2011 LSOA that was split gives
    its LCP to all its 2021 parts; two 2011 LSOAs merged into one 2021 LSOA must share an LCP.

    Parameters
    ----------
    df : pandas.DataFrame
        The lookup as read (text). Header spellings such as "LSOA21CD", "LSOA code", "LCP name"
        are recognised.
    leeds_lsoa21_codes : list-like of str
        The 488 Leeds LSOA 2021 codes.
    lsoa11_to_21_lookup : pandas.DataFrame, optional
        Columns LSOA11CD, LSOA21CD (one row per 2011-2021 pair).

    Returns
    -------
    tuple of (pandas.DataFrame, list of RowError)
        Columns lsoa21cd, lcp, lcp_status, one row per Leeds LSOA when there are no errors;
        errors name the spreadsheet row (header = row 1; None for whole-file problems such as
        missing LSOAs). A non-empty error list means: do not use the lookup.

    Raises
    ------
    FootprintError
        If the table has no rows or no recognisable LSOA-code or LCP column.
    """
    if df is None or len(df) == 0:
        raise FootprintError("The footprint lookup has no rows.")
    table = df.copy()
    table.columns = [str(c) for c in df.columns]
    cols = _Columns.of(list(table.columns))
    leeds21 = set(leeds_lsoa21_codes)
    children = _children(lsoa11_to_21_lookup)

    found = RowErrors()
    claims: dict[str, list[_Claim]] = {}  # 2021 code -> rows giving it an LCP
    for pos, values in enumerate(table.to_dict("records")):
        code, lcp, status, ok = _check_row(values, cols, found, pos)
        if not code:
            continue
        targets = [code] if code in leeds21 else children.get(code)
        if targets is None:
            found.add(pos, cols.code, _unknown_code_message(code, lsoa11_to_21_lookup is not None))
        elif ok:
            for t in targets:
                claims.setdefault(t, []).append((pos, lcp, status, code))

    rows = [r for code21, e in claims.items() if (r := _resolve(code21, e, cols.code, found))]
    missing = sorted(leeds21 - set(claims))
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        found.file(cols.code, f"{len(missing)} Leeds LSOA(s) have no LCP: {shown}.")
    out = pd.DataFrame(rows, columns=[LSOA, LCP, LCP_STATUS])
    return out.sort_values(LSOA).reset_index(drop=True), found.in_row_order()


def apply_footprint_upload(
    current: pd.DataFrame,
    upload: pd.DataFrame,
    leeds_lsoa21_codes: list[str] | pd.Series | set[str],
    lsoa11_to_21_lookup: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[RowError]]:
    """Return the uploaded footprints if they validate, else ``current`` unchanged plus the errors.

    A whole-file problem (``FootprintError``) is returned as a single error, so the previous
    footprints always stay in force when an upload fails.
    """
    try:
        new, errors = validate_footprints(upload, leeds_lsoa21_codes, lsoa11_to_21_lookup)
    except FootprintError as err:
        return current, [RowError(None, None, str(err))]
    return (current, errors) if errors else (new, [])


def _check_lookup(lsoas: pd.DataFrame, footprints: pd.DataFrame) -> None:
    if footprints[LSOA].duplicated().any():
        raise FootprintError("The footprint lookup lists an LSOA more than once.")
    missing = set(lsoas[LSOA]) - set(footprints[LSOA])
    extra = set(footprints[LSOA]) - set(lsoas[LSOA])
    if missing or extra:
        raise FootprintError(
            f"The footprint lookup does not match the LSOAs: {len(missing)} LSOA(s) without an LCP"
            f" and {len(extra)} unknown code(s) in the lookup."
        )


def attach_lcp(lsoas: pd.DataFrame, footprints: pd.DataFrame) -> pd.DataFrame:
    """Return ``lsoas`` with lcp and lcp_status columns from the lookup (one-to-one, no rows lost)."""
    _check_lookup(lsoas, footprints)
    fp_cols = [c for c in (LSOA, LCP, LCP_STATUS) if c in footprints.columns]
    base = lsoas.drop(columns=[c for c in (LCP, LCP_STATUS) if c in lsoas.columns])
    out = base.merge(footprints[fp_cols], on=LSOA, how="left", validate="one_to_one")
    if len(out) != len(lsoas):
        raise FootprintError("Joining the footprints changed the number of LSOAs.")
    return out if not isinstance(lsoas, gpd.GeoDataFrame) else gpd.GeoDataFrame(out, crs=lsoas.crs)


def _slivers(geoms: np.ndarray, tolerance: float) -> list[shapely.Geometry]:
    """Gaps narrower than 2 x ``tolerance`` enclosed by two or more of ``geoms``.

    A morphological closing (buffer out, then in) of the union finds every narrow gap. A gap is
    a sliver between neighbours when it touches at least two polygons, is thin (mean width under
    2 x ``tolerance``) and at least 90 % of its edge runs along those polygons; so a concave
    bend of the outline, which the closing also fills, is left alone.
    """
    whole = shapely.union_all(geoms)
    closed = shapely.buffer(shapely.buffer(whole, tolerance), -tolerance)
    pieces = shapely.get_parts(_polygonal(shapely.difference(closed, whole)))
    tree = shapely.STRtree(geoms)
    out = []
    for piece in pieces:
        if piece.area < MIN_SLIVER_AREA_M2:  # numerical noise from the buffering itself
            continue
        near = tree.query(piece, predicate="intersects")
        if len(near) < 2 or 2 * piece.area / piece.length >= 2 * tolerance:
            continue
        edges = shapely.buffer(shapely.union_all(shapely.boundary(geoms[near])), 1e-3)
        if shapely.intersection(piece.boundary, edges).length >= 0.9 * piece.length:
            out.append(piece)
    return out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only polygon parts (overlay operations can add stray lines or points)."""
    if isinstance(geom, (shapely.Polygon, shapely.MultiPolygon)):
        return geom
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon)]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def dissolve_footprints(lsoas_gdf: gpd.GeoDataFrame, footprints: pd.DataFrame) -> gpd.GeoDataFrame:
    """Dissolve LSOA polygons into one (multi)polygon per LCP.

    The union is done in EPSG:27700. Gaps between neighbouring LSOAs narrower than
    2 x ``SLIVER_TOLERANCE_M`` (slivers, from imperfect generalisation) go to the LCP sharing the
    longest edge with them; overlaps go to the first LCP alphabetically. So the LCPs tile the
    LSOA union: no overlaps, no sliver gaps or holes, and real holes of the union are kept.

    Parameters
    ----------
    lsoas_gdf : geopandas.GeoDataFrame
        LSOA polygons with lsoa21cd, in any CRS.
    footprints : pandas.DataFrame
        lsoa21cd, lcp, optional lcp_status; every LSOA exactly once.

    Returns
    -------
    geopandas.GeoDataFrame
        lcp, lcp_status, n_lsoas, area_km2, geometry in EPSG:4326, sorted by lcp.

    Raises
    ------
    FootprintError
        If the layer has no CRS or the lookup does not cover the LSOAs one-to-one.
    """
    if lsoas_gdf.crs is None:
        raise FootprintError("The LSOA layer has no CRS; set EPSG:4326 or EPSG:27700 first.")
    joined = attach_lcp(lsoas_gdf[[LSOA, "geometry"]], footprints).to_crs(CRS_BNG)
    if LCP_STATUS not in joined.columns:
        joined[LCP_STATUS] = UPLOAD_STATUS
    valid = shapely.make_valid(joined.geometry.values)
    slivers = _slivers(valid, SLIVER_TOLERANCE_M)
    names, geoms, meta = [], [], []
    taken = shapely.Polygon()
    for lcp, group in joined.groupby(LCP, sort=True):
        part = shapely.union_all(valid[joined.index.get_indexer(group.index)])
        # Where LSOAs overlap, the first LCP alphabetically keeps the overlap.
        part = _polygonal(shapely.difference(part, taken))
        taken = shapely.union(taken, part)
        statuses = sorted(set(group[LCP_STATUS]))
        names.append(lcp)
        geoms.append(part)
        meta.append((statuses[0] if len(statuses) == 1 else "mixed", len(group)))
    gaps = [g for s in slivers for g in shapely.get_parts(_polygonal(shapely.difference(s, taken)))]
    for gap in gaps:
        # Each LCP takes the part of the gap next to it (a sliver is under 2 x tolerance wide),
        # so a sliver between two LSOAs of one LCP stays with that LCP.
        rest = gap
        for k, geom in enumerate(geoms):
            if rest.is_empty or not shapely.intersects(rest, shapely.buffer(geom, 1e-6)):
                continue
            near = shapely.intersection(rest, shapely.buffer(geom, 2 * SLIVER_TOLERANCE_M))
            geoms[k] = _polygonal(shapely.union(geom, _polygonal(near)))
            rest = _polygonal(shapely.difference(rest, near))
        for leftover in shapely.get_parts(rest):
            if leftover.is_empty:
                continue
            shared = [shapely.intersection(leftover.boundary, g.boundary).length for g in geoms]
            k = int(np.argmax(shared))
            geoms[k] = _polygonal(shapely.union(geoms[k], leftover))
    out = gpd.GeoDataFrame(
        {
            LCP: names,
            LCP_STATUS: [m[0] for m in meta],
            N_LSOAS: [m[1] for m in meta],
            AREA_KM2: [shapely.area(g) / 1e6 for g in geoms],
        },
        geometry=geoms,
        crs=CRS_BNG,
    )
    return out.to_crs(CRS_WGS84).reset_index(drop=True)


def aggregate_by_lcp(
    lsoas_df: pd.DataFrame,
    footprints: pd.DataFrame,
    value_cols: list[str] | tuple[str, ...],
    weight_col: str = POP_TOTAL,
) -> pd.DataFrame:
    """Population-weighted mean of indicators per LCP.

    LSOAs with a missing value are left out of that indicator's mean (weights renormalised).

    Parameters
    ----------
    lsoas_df : pandas.DataFrame
        One row per LSOA with lsoa21cd, ``weight_col`` and ``value_cols``.
    footprints : pandas.DataFrame
        lsoa21cd -> lcp (lcp_status optional), every LSOA exactly once.
    value_cols : sequence of str
        Columns to average.
    weight_col : str
        Weights, by default the mid-2022 population.

    Returns
    -------
    pandas.DataFrame
        lcp, lcp_status, n_lsoas, the summed weight and one column per value, sorted by lcp.

    Examples
    --------
    >>> lsoas = pd.DataFrame({"lsoa21cd": ["a", "b"], "pop_total": [100, 300], "v": [1.0, 3.0]})
    >>> fp = pd.DataFrame({"lsoa21cd": ["a", "b"], "lcp": ["X", "X"]})
    >>> float(aggregate_by_lcp(lsoas, fp, ["v"])["v"].iloc[0])
    2.5
    """
    missing = [c for c in [weight_col, *value_cols] if c not in lsoas_df.columns]
    if missing:
        raise FootprintError(f"The LSOA table has no column(s) {', '.join(missing)}.")
    df = attach_lcp(pd.DataFrame(lsoas_df[[LSOA, weight_col, *value_cols]]), footprints)
    if LCP_STATUS not in df.columns:
        df[LCP_STATUS] = UPLOAD_STATUS
    w = pd.to_numeric(df[weight_col], errors="coerce").astype(float)
    if (w < 0).any() or w.isna().any():
        raise FootprintError(f"Weights in {weight_col} must be present and not negative.")
    grouped = df.groupby(LCP, sort=True)
    out = grouped.agg(**{N_LSOAS: (LSOA, "size"), weight_col: (weight_col, "sum")})
    out[LCP_STATUS] = grouped[LCP_STATUS].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed")
    for col in value_cols:
        v = pd.to_numeric(df[col], errors="coerce").astype(float)
        ok = v.notna()
        num = (v.where(ok, 0.0) * w).groupby(df[LCP]).sum()
        den = w.where(ok, 0.0).groupby(df[LCP]).sum()
        out[col] = (num / den.replace(0.0, np.nan)).reindex(out.index)
    out = out.reset_index()
    return out[[LCP, LCP_STATUS, N_LSOAS, weight_col, *value_cols]]
