"""One LSOA explained: its profile for the Map page, and finding it from a click or a postcode."""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.coverage import COVERED_POP, NEAREST_HUB, NEAREST_HUB_IDX, SHARE_WITHIN_REACH
from geo.shapes import require_wgs84
from utils.constants import (
    AT_RISK,
    CENSUS_65PLUS,
    CENSUS_RESIDENTS,
    DOMAINS,
    HUB_ID,
    HUB_NAME,
    IMD2019_PCT,
    IMD2025_PCT,
    IMD_DECILE,
    IMD_PCT_CHANGE,
    IMD_RANK,
    IMD_SCORE,
    IN_LEEDS,
    IUC_EXCLUDED,
    IUC_GROUP,
    IUC_GROUP_CD,
    LAT,
    LCP,
    LCP_STATUS,
    LON,
    LSOA,
    LSOA_NAME,
    MSOA,
    MSOA_NAME,
    NEAREST_HUB_M,
    PCT_65PLUS,
    POP_TOTAL,
    POSTCODE,
    RISK_INDEX,
    WARD,
    WARD_NAME,
    X,
    Y,
)
from utils.hubs import InvalidPostcodeError, normalise_postcode
from utils.risk import RISK_MISSING, risk_breakdown

__all__ = [
    "PostcodeLookupError",
    "PostcodeMatch",
    "find_postcode",
    "lsoa_at_point",
    "lsoa_for_postcode",
    "lsoa_profile",
    "normalise_lsoa_code",
    "profile_table",
    "valid_lsoa_code",
]


class PostcodeLookupError(ValueError):
    """A typed postcode that cannot be placed in Leeds; the message says why, in plain words."""


@dataclass(frozen=True)
class PostcodeMatch:
    """A Leeds postcode found in the postcode table."""

    postcode: str  # "LS9 7EZ" form
    lsoa: str  # LSOA 2021 code containing it
    lat: float
    lon: float
    x: float  # EPSG:27700 metres
    y: float


# --- Finding an LSOA ------------------------------------------------------------------------------


def normalise_lsoa_code(code: object, lsoas: pd.DataFrame) -> str | None:
    """The LSOA code as stored (``E01011345``) if ``code`` names one of ``lsoas``, else None.

    Case and surrounding spaces are forgiven (``" e01011345 "``); anything else is None.
    """
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return None
    text = str(code).strip().upper()
    if not text:
        return None
    return text if bool((lsoas[LSOA].astype(str) == text).any()) else None


def valid_lsoa_code(code: object, lsoas: pd.DataFrame) -> bool:
    """True when ``code`` (any case or spacing) is the code of one of ``lsoas``.

    Examples
    --------
    >>> valid_lsoa_code("e01011345 ", pd.DataFrame({"lsoa21cd": ["E01011345"]}))
    True
    """
    return normalise_lsoa_code(code, lsoas) is not None


def lsoa_at_point(lat: float, lon: float, lsoas_gdf: gpd.GeoDataFrame) -> str | None:
    """The code of the LSOA containing a map click, or None outside every LSOA.

    Parameters
    ----------
    lat, lon
        WGS84 degrees, as Leaflet reports a click.
    lsoas_gdf
        LSOA polygons with ``LSOA`` in EPSG:4326 (full resolution or simplified for drawing).

    Raises
    ------
    ValueError
        When the polygons are not in EPSG:4326 (a click would silently miss).
    """
    require_wgs84(lsoas_gdf, "LSOA polygons", "to find a map click")
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        return None
    point = shapely.Point(lon_f, lat_f)
    # "intersects" so a click exactly on a shared edge still finds an LSOA (the first one).
    hits = lsoas_gdf.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return str(lsoas_gdf[LSOA].iloc[int(np.sort(hits)[0])])


def find_postcode(text: object, postcodes: pd.DataFrame) -> PostcodeMatch:
    """Find a typed postcode (any case or spacing: ``ls97ez``, `` LS9 7EZ ``) in Leeds.

    Parameters
    ----------
    text
        What the user typed.
    postcodes
        The built postcode table (``POSTCODE`` in "LS9 7EZ" form, ``LAT``/``LON``, ``X``/``Y``,
        ``IN_LEEDS``, ``LSOA``).

    Raises
    ------
    PostcodeLookupError
        Not shaped like a postcode, not in the table (unknown or far outside Leeds), or
        outside the Leeds boundary; the message says which.
    """
    try:
        pc = normalise_postcode(text)
    except InvalidPostcodeError as err:
        raise PostcodeLookupError(str(err)) from None
    rows = postcodes.loc[postcodes[POSTCODE] == pc]
    if rows.empty:
        raise PostcodeLookupError(
            f"{pc} is not a Leeds postcode we know (it may be outside Leeds, new, or mistyped)."
        )
    row = rows.iloc[0]
    if not bool(row[IN_LEEDS]) or pd.isna(row[LSOA]):
        raise PostcodeLookupError(f"{pc} is outside Leeds.")
    return PostcodeMatch(
        postcode=pc,
        lsoa=str(row[LSOA]),
        lat=float(row[LAT]),
        lon=float(row[LON]),
        x=float(row[X]),
        y=float(row[Y]),
    )


def lsoa_for_postcode(text: object, postcodes: pd.DataFrame) -> tuple[str | None, str]:
    """The LSOA containing a typed postcode, and ``""``; or None and a plain reason.

    Examples
    --------
    >>> pcs = pd.DataFrame({"postcode": ["LS9 7EZ"], "lat": [53.8], "lon": [-1.5],
    ...     "x": [432000.0], "y": [433000.0], "in_leeds": [True], "lsoa21cd": ["E01011349"]})
    >>> lsoa_for_postcode(" ls97ez ", pcs)
    ('E01011349', '')
    >>> lsoa_for_postcode("LS99 9ZZ", pcs)[0] is None
    True
    """
    try:
        return find_postcode(text, postcodes).lsoa, ""
    except PostcodeLookupError as err:
        return None, str(err)


# --- The profile ---------------------------------------------------------------------------------


def _value(row: pd.Series, col: str) -> object:
    if col not in row.index:
        return None
    v = row[col]
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def lsoa_profile(
    lsoa_code: str,
    lsoas: pd.DataFrame,
    coverage: pd.DataFrame,
    risk: pd.DataFrame,
    hubs: pd.DataFrame | None = None,
    radius_m: float | None = None,
) -> dict:
    """Everything the Map page shows about one LSOA when it is clicked.

    Parameters
    ----------
    lsoa_code
        The LSOA 2021 code (check it first with ``valid_lsoa_code``).
    lsoas
        The LSOA table with LCP attached (``geo.footprints.attach_lcp``): names, MSOA, ward,
        populations, IMD and domain columns, IUC group and ``IMD_PCT_CHANGE``.
    coverage
        ``geo.coverage.coverage_by_lsoa`` output for the open hubs at the page's radius.
    risk
        ``utils.risk.compute_risk_index`` output (indexed by LSOA, with its ``attrs``), so
        indicators and components are the ones the index used.
    hubs
        The open hubs passed to coverage, to name the nearest one (optional).
    radius_m
        The radius coverage was measured at, echoed in the profile.

    Returns
    -------
    dict
        Scalars: ``code``, ``name``, ``msoa``, ``msoa_name``, ``ward``, ``ward_name``, ``lcp``,
        ``lcp_status``, ``population``, ``population_65plus`` (Census 2021), ``pct_65plus``,
        ``imd_score``, ``imd_rank``, ``imd_decile``, ``risk_index``, ``at_risk``,
        ``risk_missing``, ``iuc_group_cd``, ``iuc_group``, ``iuc_excluded``,
        ``nearest_hub_id``, ``nearest_hub_name``, ``nearest_hub_m`` (from the LSOA's closest
        resident postcode; None with no open hub), ``share_within_reach`` (0-1),
        ``residents_within_reach``, ``radius_m``, ``imd2019_pct``, ``imd2025_pct`` and
        ``imd_pct_change`` (national percentile, 2025 minus 2019; negative = relatively more
        deprived). Missing values are None.
        Tables: ``domains`` (``domain``, ``label``, ``decile``, ``rank``, ``score``),
        ``components`` (``risk_breakdown`` component level) and ``indicators`` (indicator
        level: ``raw`` value and 0-10 ``score`` per DERI indicator).

    Raises
    ------
    KeyError
        When the code is not one of ``lsoas`` (or missing from ``coverage``).
    """
    by_code = lsoas.set_index(LSOA, drop=False)
    if lsoa_code not in by_code.index:
        raise KeyError(f"LSOA {lsoa_code} is not one of the Leeds LSOAs.")
    row = by_code.loc[lsoa_code]
    cov_rows = coverage.loc[coverage[LSOA] == lsoa_code]
    if cov_rows.empty:
        raise KeyError(f"LSOA {lsoa_code} has no coverage row.")
    cov = cov_rows.iloc[0]

    nearest_m = _value(cov, NEAREST_HUB_M)
    if nearest_m is not None and not math.isfinite(nearest_m):
        nearest_m = None
    hub_id = _value(cov, NEAREST_HUB)
    hub_name = None
    idx = _value(cov, NEAREST_HUB_IDX)
    if hubs is not None and idx is not None and 0 <= int(idx) < len(hubs):
        hub = hubs.iloc[int(idx)]
        hub_id = _value(hub, HUB_ID) if hub_id is None else hub_id
        hub_name = _value(hub, HUB_NAME)

    domains = pd.DataFrame(
        [
            {
                "domain": key,
                "label": label,
                "decile": _value(row, f"{key}_decile"),
                "rank": _value(row, f"{key}_rank"),
                "score": _value(row, f"{key}_score"),
            }
            for key, label in DOMAINS.items()
        ]
    )
    if lsoa_code in risk.index:
        components = risk_breakdown(risk, lsoa_code, level="component")
        indicators = risk_breakdown(risk, lsoa_code, level="indicator")
        risk_row = risk.loc[lsoa_code]
    else:
        components = pd.DataFrame()
        indicators = pd.DataFrame()
        risk_row = pd.Series(dtype=object)
    risk_index = _value(risk_row, RISK_INDEX)
    if risk_index is None:
        risk_index = _value(cov, RISK_INDEX)

    return {
        "code": lsoa_code,
        "name": _value(row, LSOA_NAME),
        "msoa": _value(row, MSOA),
        "msoa_name": _value(row, MSOA_NAME),
        "ward": _value(row, WARD),
        "ward_name": _value(row, WARD_NAME),
        "lcp": _value(row, LCP),
        "lcp_status": _value(row, LCP_STATUS),
        "population": _value(row, POP_TOTAL),
        "population_65plus": _value(row, CENSUS_65PLUS),
        "census_residents": _value(row, CENSUS_RESIDENTS),
        "pct_65plus": _value(row, PCT_65PLUS),
        "imd_score": _value(row, IMD_SCORE),
        "imd_rank": _value(row, IMD_RANK),
        "imd_decile": _value(row, IMD_DECILE),
        "domains": domains,
        "risk_index": risk_index,
        "at_risk": _value(cov, AT_RISK),
        "risk_missing": _value(risk_row, RISK_MISSING) or None,
        "components": components,
        "indicators": indicators,
        "iuc_group_cd": _value(row, IUC_GROUP_CD),
        "iuc_group": _value(row, IUC_GROUP),
        "iuc_excluded": _value(row, IUC_EXCLUDED),
        "nearest_hub_id": hub_id,
        "nearest_hub_name": hub_name,
        "nearest_hub_m": nearest_m,
        "share_within_reach": _value(cov, SHARE_WITHIN_REACH),
        "residents_within_reach": _value(cov, COVERED_POP),
        "radius_m": radius_m,
        "imd2019_pct": _value(row, IMD2019_PCT),
        "imd2025_pct": _value(row, IMD2025_PCT),
        "imd_pct_change": _value(row, IMD_PCT_CHANGE),
    }


def _fmt(value: object, fmt: str = "{}", missing: str = "not available") -> str:
    return missing if value is None else fmt.format(value)


def profile_table(profile: dict) -> pd.DataFrame:
    """The profile's scalars as plain text rows (``field``, ``value``) for a panel or export.

    Domain, component and indicator tables are left to the caller (``profile["domains"]`` …).
    """
    pct_change = profile["imd_pct_change"]
    if pct_change is None:
        change = "not available (no 2019 match)"
    else:
        pts = 100 * pct_change
        direction = "more deprived" if pts < 0 else "less deprived" if pts > 0 else "no change"
        change = f"{pts:+.1f} percentile points ({direction}, relative to England)"
    share = profile["share_within_reach"]
    reach = _fmt(profile["radius_m"], " ({:,.0f} m)", "")
    hub = profile["nearest_hub_name"] or profile["nearest_hub_id"]
    nearest = (
        "no open hub"
        if profile["nearest_hub_m"] is None
        else f"{hub or 'a hub'}, {profile['nearest_hub_m'] / 1000:.1f} km"
    )
    rows = [
        ("LSOA", f"{profile['code']} {profile['name'] or ''}".strip()),
        ("MSOA", f"{_fmt(profile['msoa'])} {profile['msoa_name'] or ''}".strip()),
        ("Ward", f"{_fmt(profile['ward'])} {profile['ward_name'] or ''}".strip()),
        (
            "Local Care Partnership",
            f"{_fmt(profile['lcp'], missing='(not assigned)')}"
            + _fmt(profile["lcp_status"], " ({} footprint)", ""),
        ),
        ("Residents (mid-2022)", _fmt(profile["population"], "{:,.0f}")),
        (
            "Aged 65+ (Census 2021)",
            _fmt(profile["population_65plus"], "{:,.0f}")
            + _fmt(profile["pct_65plus"], " ({:.1f}%)", ""),
        ),
        ("IMD 2025 score", _fmt(profile["imd_score"], "{:.1f}")),
        ("IMD 2025 rank (of 33,755)", _fmt(profile["imd_rank"], "{:,.0f}")),
        ("IMD 2025 national decile", _fmt(profile["imd_decile"], "{:.0f}")),
        ("Exclusion-risk index (0-10)", _fmt(profile["risk_index"], "{:.2f}")),
        ("At risk", {True: "yes", False: "no", None: "not available"}[profile["at_risk"]]),
        ("Internet User Classification", _fmt(profile["iuc_group"])),
        ("Nearest open hub", nearest),
        ("Residents within reach" + reach, _fmt(share, "{:.0%}")),
        ("Change in national IMD percentile since 2019", change),
    ]
    return pd.DataFrame(rows, columns=["field", "value"])
