"""Cached loaders: the only module outside app_pages/ that imports streamlit.

Each wrapper caches a pure reader or an expensive pure step once per server process (shared by
every session). Callers must not mutate what these return. st.cache_data hands each caller a
copy; the read-only drawing layers use st.cache_resource instead, so every rerun does not pay to
unpickle geometry it only reads. Nothing is read at import time: the first call builds the data
if it is missing.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st
from sqlalchemy.exc import DBAPIError

from app_pages.figures.exports import standalone_map_html
from app_pages.figures.maps import build_hub_map, encode_shapes, fit_to_area, map_document
from data import built
from data.assets import LEAFLET_CSS, LEAFLET_JS, VENDOR_DIR, assets_present, install_assets
from data.build import DEMAND_FILE, build_all, read_lsoa11_to_21, simplify_for_map
from data.register_store import RegisterStore, RegisterUnavailableError, database_url
from data.sources import MissingSourceError, build_dir, source_dir
from geo.coverage import coverage_by_lsoa, summarise_coverage
from geo.footprints import (
    aggregate_by_lcp,
    apply_footprint_upload,
    attach_lcp,
    dissolve_footprints,
    read_footprint_file,
)
from geo.sites import (
    SiteRecommendation,
    SitesNeeded,
    coverage_curve,
    demand_weights,
    lsoa_candidates,
    recommend_sites,
    recommendation_table,
    sites_needed_for_share,
    spread_to_postcodes,
)
from utils import constants as c
from utils.demo import hubs_for_mode
from utils.demo import title as demo_title
from utils.growth import MONTH as GROWTH_MONTH
from utils.growth import coverage_over_time, growth_series
from utils.hubs import RowError, open_on, read_register_file, validate_register
from utils.indicators import decile_column_for, indicator_table
from utils.risk import attach_risk, compute_risk_index
from utils.venues import read_venues_csv, validate_venues
from utils.view_state import ALL_LEEDS

MAP_ASSETS = {"asset_js": LEAFLET_JS, "asset_css": LEAFLET_CSS}


def _ensure_built() -> None:
    """Build the data (and vendored map assets) once if a fresh checkout has none."""
    # A build from before the demand postcodes artefact existed is rebuilt too.
    if not (build_dir() / "manifest.json").exists() or not (build_dir() / DEMAND_FILE).exists():
        build_all()
    if not assets_present():
        install_assets()


@st.cache_resource(show_spinner="Building Leeds data (first run only)…")
def ensure_ready() -> bool:
    """Run the first-time set-up at most once per server."""
    _ensure_built()
    return True


@st.cache_data(show_spinner=False)
def load_lsoas() -> gpd.GeoDataFrame:
    """The 488 Leeds LSOAs with every indicator (full geometry)."""
    ensure_ready()
    return built.read_lsoas()


@st.cache_data(show_spinner=False)
def load_lsoa_map_shapes() -> gpd.GeoDataFrame:
    """LSOA polygons simplified for drawing."""
    ensure_ready()
    return built.read_lsoa_map_shapes()


@st.cache_data(show_spinner=False)
def load_leaflet_assets() -> tuple[str, str]:
    """The text of leaflet.js and leaflet.css, for maps exported as standalone HTML."""
    ensure_ready()
    folder = VENDOR_DIR / "leaflet"
    return (folder / "leaflet.js").read_text(encoding="utf-8"), (folder / "leaflet.css").read_text(
        encoding="utf-8"
    )


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def load_lsoa_map_encoded() -> dict[str, list[list[str]]]:
    """LSOA drawing shapes, encoded once per server (pass as ``shapes`` to build_hub_map)."""
    return encode_shapes(load_lsoa_map_shapes())


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def load_wards() -> gpd.GeoDataFrame:
    """Ward outlines for drawing."""
    ensure_ready()
    return built.read_wards()


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def load_outline() -> gpd.GeoDataFrame:
    """The Leeds outline for drawing."""
    ensure_ready()
    return built.read_outline()


@st.cache_data(show_spinner=False)
def load_postcodes() -> pd.DataFrame:
    """Leeds-area postcode centroids."""
    ensure_ready()
    return built.read_postcodes()


@st.cache_data(show_spinner=False)
def load_demand() -> pd.DataFrame:
    """Residential postcodes with residents: where coverage is measured (geo.coverage)."""
    ensure_ready()
    return built.read_demand()


@st.cache_data(show_spinner=False)
def load_england_iod() -> pd.DataFrame:
    """England-wide DERI inputs (IoD 2025, Census 2021 65+ share) for England-wide scaling."""
    ensure_ready()
    return built.read_england_iod()


@st.cache_data(show_spinner=False)
def load_milestones() -> pd.DataFrame:
    """Public growth milestones."""
    ensure_ready()
    return built.read_milestones()


@st.cache_data(show_spinner=False)
def load_manifest() -> dict:
    """When and from where the data were built."""
    ensure_ready()
    return built.read_manifest()


# --- Footprints and the hub register ----------------------------------------------------------
# The register and any uploaded footprints live in a database; pages pass the cheap version keys
# below into the cached loaders, so a save by anyone refreshes every session's data.


@st.cache_resource(show_spinner=False)
def _open_register_store(url: str) -> RegisterStore:
    ensure_ready()
    try:
        return RegisterStore(url)
    except RegisterUnavailableError as err:
        # Corrupt, or missing after it had a history: show the seed register, read-only.
        return RegisterStore.fallback(str(err))


def register_store() -> RegisterStore:
    """The register database (one connection pool per server).

    If the database file disappeared while the app runs it is opened again, which gives the
    read-only fallback with the reason (RegisterStore never re-seeds over a lost history).
    """
    store = _open_register_store(database_url())
    if store.path is not None and not store.path.exists():
        _open_register_store.clear()
        store = _open_register_store(database_url())
    return store


def register_fault() -> str | None:
    """Why saving is off (read-only, corrupt or missing database), or None when all is well.

    Called first on every run (dashboard.py): a database that went bad since the last run is
    opened again here, which gives the read-only fallback with the reason.
    """
    register_version()
    return register_store().read_only_reason


def register_version() -> int:
    """Version id of the register in force (changes on every save)."""
    try:
        return register_store().current_version()
    except DBAPIError:  # the file went bad while the app runs: reopen (fallback, with the reason)
        _open_register_store.clear()
        return register_store().current_version()


def footprints_version() -> int:
    """Version id of the footprints in force (0 = the project's default lookup)."""
    return register_store().footprints_version()


@st.cache_data(show_spinner=False)
def load_footprints(version: int | None = None) -> pd.DataFrame:
    """The LSOA -> LCP lookup in force (lsoa21cd, lcp, lcp_status)."""
    version = footprints_version() if version is None else version
    saved = register_store().load_footprints(version) if version else None
    return built.read_default_footprints() if saved is None else saved


@st.cache_data(show_spinner=False)
def _lcp_names(version: int) -> list[str]:
    return sorted(load_footprints(version)[c.LCP].unique())


def lcp_names() -> list[str]:
    """LCP names of the footprints in force, sorted (the sidebar asks on every rerun)."""
    return _lcp_names(footprints_version())


@st.cache_data(show_spinner=False)
def _lsoas_with_lcp(version: int) -> gpd.GeoDataFrame:
    return attach_lcp(load_lsoas(), load_footprints(version))


def load_lsoas_with_lcp() -> gpd.GeoDataFrame:
    """The LSOA table with the LCP and footprint status in force."""
    return _lsoas_with_lcp(footprints_version())


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def _lcp_outlines(version: int) -> gpd.GeoDataFrame:
    dissolved = dissolve_footprints(load_lsoas(), load_footprints(version))
    return simplify_for_map(dissolved)


def load_lcp_outlines() -> gpd.GeoDataFrame:
    """LCP polygons (dissolved in EPSG:27700, simplified for drawing) with their status."""
    return _lcp_outlines(footprints_version())


# Which hubs count is decided here, once: every loader that uses hubs takes ``demo`` (False =
# real hubs only, the default; True = illustrative samples too) and has it in its cache key.


@st.cache_data(show_spinner=False)
def _register_rows(register: int, footprints: int) -> pd.DataFrame:
    raw = register_store().load()
    valid, _errors = validate_register(
        raw, load_postcodes(), load_lsoas(), date.today(), load_footprints(footprints)
    )
    return valid


@st.cache_data(show_spinner=False)
def _hubs(register: int, footprints: int, demo: bool = False) -> pd.DataFrame:
    return hubs_for_mode(_register_rows(register, footprints), demo)


def load_register_hubs() -> pd.DataFrame:
    """Every valid register row, samples included, with places derived: the register itself."""
    return _register_rows(register_version(), footprints_version())


def load_hubs(demo: bool = False) -> pd.DataFrame:
    """The hubs figures may use (open and closed), with coordinates, LSOA, ward and LCP.

    Real hubs only unless ``demo`` (then illustrative samples too): utils.demo.hubs_for_mode.
    """
    return _hubs(register_version(), footprints_version(), bool(demo))


def load_open_hubs(as_of: date | None = None, demo: bool = False) -> pd.DataFrame:
    """Hubs open on a date (today by default); real only unless ``demo``."""
    hubs = load_hubs(demo)
    return hubs[open_on(hubs, as_of or date.today())].reset_index(drop=True)


# --- Maps ---------------------------------------------------------------------------------------


def indicator_map(
    lsoas: pd.DataFrame, indicator: str, hubs: pd.DataFrame, demo: bool = False, **layers
):
    """The LSOA choropleth of a map indicator with LCP outlines and hubs (the pages' usual map).

    Built from the cached drawing layers; ``layers`` passes the optional extras on to
    ``build_hub_map`` (wards, outline, rings_m, highlight, new_sites, base_tiles).
    """
    label, higher_is_worse = c.INDICATORS[indicator]
    return build_hub_map(
        load_lsoa_map_encoded(),
        indicator_table(lsoas, indicator),
        indicator,
        label=demo_title(label, demo),
        higher_is_worse=higher_is_worse,
        decile_col=decile_column_for(indicator),
        lcp_outlines=load_lcp_outlines(),
        hubs=hubs,
        **layers,
        **MAP_ASSETS,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _map_page_document(
    indicator: str,
    area: str,
    base_tiles: bool,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> str:
    lsoas = _lsoas_with_lcp(footprints)
    hubs = _hubs(register, footprints, demo)
    fmap = indicator_map(
        lsoas,
        indicator,
        hubs[open_on(hubs, as_of)],
        demo=demo,
        wards=load_wards(),
        outline=load_outline(),
        base_tiles=base_tiles,
    )
    fit_to_area(fmap, lsoas, area)
    return map_document(fmap)


def standalone_map_document(page_html: str, title: str) -> str:
    """A map page with Leaflet inlined: one HTML file that opens offline (made on download)."""
    return standalone_map_html(page_html, *load_leaflet_assets(), title)


def load_map_page_document(
    indicator: str, area: str, base_tiles: bool = False, demo: bool = False
) -> str:
    """The Map page's map (indicator, wards, LCPs, Leeds outline, open hubs) as an HTML page.

    Cached per view and per register and footprints version, so a room of people opening the
    same link costs the server one build (about 64 views kept, ~200 KB each).
    """
    return _map_page_document(
        indicator,
        area,
        base_tiles,
        register_version(),
        footprints_version(),
        date.today(),
        bool(demo),
    )


# --- Risk index and coverage --------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def load_risk(weights: tuple[tuple[str, float], ...] = (), scaling: str = "leeds") -> pd.DataFrame:
    """The Digital Exclusion Risk Index per LSOA for the given component weights.

    Parameters
    ----------
    weights : tuple of (component, weight) pairs
        Hashable form of the weights; empty for the defaults.
    scaling : {"leeds", "england"}
        Where min-max rescaling takes its range from.
    """
    reference = load_england_iod() if scaling == "england" else None
    risk = compute_risk_index(
        load_lsoas(), dict(weights) or None, scaling=scaling, reference=reference
    )
    return risk.reset_index()


@st.cache_data(show_spinner=False)
def _coverage(
    radius_m: int,
    weights: tuple,
    scaling: str,
    at_risk: str,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> pd.DataFrame:
    hubs = _hubs(register, footprints, demo)
    lsoas = _at_risk_lsoas(weights, scaling, at_risk, footprints)
    return coverage_by_lsoa(lsoas, hubs[open_on(hubs, as_of)], radius_m, demand=load_demand())


def load_coverage(
    radius_m: int,
    weights: tuple = (),
    scaling: str = "leeds",
    at_risk: str = "top20_risk",
    as_of: date | None = None,
    demo: bool = False,
) -> pd.DataFrame:
    """Per-LSOA coverage (nearest open hub, covered flag, at-risk population) for the view.

    Real hubs only unless ``demo``.
    """
    return _coverage(
        int(radius_m),
        weights,
        scaling,
        at_risk,
        register_version(),
        footprints_version(),
        as_of or date.today(),
        bool(demo),
    )


# --- Growth: coverage month by month ------------------------------------------------------------


@st.cache_data(show_spinner=False)
def _at_risk_lsoas(weights: tuple, scaling: str, at_risk: str, footprints: int) -> pd.DataFrame:
    """LSOAs (no geometry) with LCP, risk index and the at-risk flag, ready for coverage."""
    lsoas = pd.DataFrame(_lsoas_with_lcp(footprints).drop(columns="geometry"))
    return attach_risk(lsoas, load_risk(weights, scaling), at_risk)


@st.cache_data(show_spinner="Measuring coverage month by month…")
def _coverage_over_time(
    radius_m: int,
    weights: tuple,
    scaling: str,
    at_risk: str,
    register: int,
    footprints: int,
    end: date,
    demo: bool = False,
) -> pd.DataFrame:
    lsoas = _at_risk_lsoas(weights, scaling, at_risk, footprints)
    hubs = _hubs(register, footprints, demo)
    months = growth_series(hubs, end=end, by=None)[GROWTH_MONTH].unique()
    demand = load_demand()

    def leeds_and_lcps(open_hubs: pd.DataFrame) -> pd.DataFrame:
        by_lsoa = coverage_by_lsoa(lsoas, open_hubs, radius_m, demand=demand)
        return pd.concat(
            [
                summarise_coverage(by_lsoa, hubs=open_hubs),
                summarise_coverage(by_lsoa, group_col=c.LCP, hubs=open_hubs),
            ],
            ignore_index=True,
        )

    return coverage_over_time(hubs, months, leeds_and_lcps)


def load_coverage_over_time(
    radius_m: int,
    weights: tuple = (),
    scaling: str = "leeds",
    at_risk: str = "top20_risk",
    end: date | None = None,
    demo: bool = False,
) -> pd.DataFrame:
    """Coverage for Leeds and per LCP at each month start, real hubs only and all hubs.

    Without ``demo`` the hubs are real ones only, so both hub sets are the real network.

    One row per (month, hub set, area) with geo.coverage.summarise_coverage's columns; see
    utils.growth.coverage_over_time. Months run from the first hub's opening to ``end`` (today).
    """
    return _coverage_over_time(
        int(radius_m),
        weights,
        scaling,
        at_risk,
        register_version(),
        footprints_version(),
        end or date.today(),
        bool(demo),
    )


# --- Site planner -------------------------------------------------------------------------------
# Every solve is cached on its full, hashable input: objective, k / target, radius, area, the
# register and footprints versions, the day, and the bytes of any uploaded venue CSV (hashed by
# st.cache_data), so a shared link or a return to an earlier k answers instantly.

PLANNER_WEIGHT = "planner_weight"  # column of the objective's weight per LSOA (planner-only)
_ALTERNATIVES_SHOWN = 3


@st.cache_data(show_spinner=False)
def _venues(data: bytes, filename: str, footprints: int) -> tuple[pd.DataFrame, list]:
    raw = read_venues_csv(data, filename)
    lookup = pd.DataFrame(_lsoas_with_lcp(footprints)[[c.LSOA, c.LCP]])
    return validate_venues(raw, load_postcodes(), lookup)


def load_venues(data: bytes, filename: str) -> tuple[pd.DataFrame, list]:
    """Validate an uploaded venue CSV: (valid venues with x/y, LSOA and LCP; row errors).

    Raises utils.venues.VenueFileError when the whole file is unusable.
    """
    return _venues(data, filename, footprints_version())


@st.cache_data(show_spinner=False)
def _planner_demand(objective: str, footprints: int) -> pd.DataFrame:
    # The same at-risk LSOAs as the Overview (default weights, Leeds scaling, top 20%).
    lsoas = _at_risk_lsoas((), "leeds", "top20_risk", footprints).copy()
    lsoas[PLANNER_WEIGHT] = demand_weights(lsoas, objective).to_numpy()
    return lsoas


def load_planner_weights(objective: str) -> pd.DataFrame:
    """Every Leeds LSOA with names, LCP, IMD decile and the objective's weight (``PLANNER_WEIGHT``)."""
    cols = [c.LSOA, c.LSOA_NAME, c.MSOA_NAME, c.WARD_NAME, c.LCP, c.IMD_DECILE, PLANNER_WEIGHT]
    return _planner_demand(objective, footprints_version())[cols]


@st.cache_data(show_spinner=False)
def _planner_problem(
    objective: str,
    area: str,
    venues: bytes | None,
    venues_name: str,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lsoas = _planner_demand(objective, footprints)
    in_area = lsoas if area == ALL_LEEDS else lsoas[lsoas[c.LCP] == area]
    in_area = in_area.reset_index(drop=True)
    # Demand where people live: each LSOA's weight split over its residential postcodes.
    demand = spread_to_postcodes(load_demand(), in_area, PLANNER_WEIGHT)
    if venues is None:
        candidates = lsoa_candidates(in_area)
        candidates[c.LAT] = in_area[c.PWC_LAT].to_numpy(dtype=float)
        candidates[c.LON] = in_area[c.PWC_LON].to_numpy(dtype=float)
    else:
        valid, _errors = _venues(venues, venues_name, footprints)
        candidates = valid.rename(columns={c.HUB_LAT: c.LAT, c.HUB_LON: c.LON})
        if area != ALL_LEEDS:
            candidates = candidates[candidates[c.LCP] == area]
        candidates = candidates.reset_index(drop=True)
    hubs = _hubs(register, footprints, demo)
    existing = hubs[open_on(hubs, as_of)].reset_index(drop=True)
    return demand, candidates, existing


def load_planner_problem(
    objective: str,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The planner's inputs: (demand postcodes of the area, candidate sites, open hubs kept).

    Demand is the area's residential postcodes, each with an equal share of its LSOA's weight.

    Candidates are one per LSOA of the area at its population-weighted centre, or the uploaded
    venues (``venues``: the CSV bytes, already accepted by ``load_venues``) in the area. Every
    open hub in Leeds is kept, since one just outside an LCP can still reach into it.
    """
    return _planner_problem(
        objective,
        area,
        venues,
        venues_name,
        register_version(),
        footprints_version(),
        date.today(),
        bool(demo),
    )


@st.cache_data(show_spinner=False)
def _recommendation(
    objective: str,
    k: int,
    radius_m: int,
    area: str,
    venues: bytes | None,
    venues_name: str,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> tuple[SiteRecommendation, pd.DataFrame]:
    demand, candidates, existing = _planner_problem(
        objective, area, venues, venues_name, register, footprints, as_of, demo
    )
    rec = recommend_sites(demand, candidates, existing, PLANNER_WEIGHT, k, radius_m)
    table = recommendation_table(rec, candidates)
    picked = list(rec.sites)
    table[c.LAT] = candidates[c.LAT].to_numpy(dtype=float)[picked]
    table[c.LON] = candidates[c.LON].to_numpy(dtype=float)[picked]
    names = candidates[c.HUB_NAME].astype("string").to_numpy()
    table["alternatives"] = [
        ", ".join(names[list(alt[:_ALTERNATIVES_SHOWN])])
        + (f" (+{len(alt) - _ALTERNATIVES_SHOWN} more)" if len(alt) > _ALTERNATIVES_SHOWN else "")
        for alt in rec.alternatives
    ]
    return rec, table


def load_recommendation(
    objective: str,
    k: int,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> tuple[SiteRecommendation, pd.DataFrame]:
    """Best k new sites (MCLP, existing hubs kept) and their table in order of marginal gain.

    The table is geo.sites.recommendation_table plus ``lat``/``lon`` and ``alternatives``
    (names of candidates that reach exactly the same people). Raises geo.sites.SiteError
    subclasses with plain-English messages.
    """
    return _recommendation(
        objective,
        int(k),
        int(radius_m),
        area,
        venues,
        venues_name,
        register_version(),
        footprints_version(),
        date.today(),
        bool(demo),
    )


@st.cache_data(show_spinner=False)
def _planner_curve(
    objective: str,
    k_max: int,
    radius_m: int,
    area: str,
    venues: bytes | None,
    venues_name: str,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> pd.DataFrame:
    demand, candidates, existing = _planner_problem(
        objective, area, venues, venues_name, register, footprints, as_of, demo
    )
    return coverage_curve(demand, candidates, existing, PLANNER_WEIGHT, k_max, radius_m)


def load_coverage_curve(
    objective: str,
    k_max: int,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> pd.DataFrame:
    """Optimal reach for 0..k_max new hubs (k, reached_weight, reached_share, added_weight)."""
    return _planner_curve(
        objective,
        int(k_max),
        int(radius_m),
        area,
        venues,
        venues_name,
        register_version(),
        footprints_version(),
        date.today(),
        bool(demo),
    )


@st.cache_data(show_spinner=False)
def _sites_needed(
    objective: str,
    target_share: float,
    radius_m: int,
    area: str,
    venues: bytes | None,
    venues_name: str,
    register: int,
    footprints: int,
    as_of: date,
    demo: bool = False,
) -> SitesNeeded:
    demand, candidates, existing = _planner_problem(
        objective, area, venues, venues_name, register, footprints, as_of, demo
    )
    return sites_needed_for_share(
        demand, candidates, existing, PLANNER_WEIGHT, target_share, radius_m
    )


def load_sites_needed(
    objective: str,
    target_share: float,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> SitesNeeded:
    """Fewest new hubs (up to 20) reaching ``target_share`` (0–1) of the objective's weight."""
    return _sites_needed(
        objective,
        float(target_share),
        int(radius_m),
        area,
        venues,
        venues_name,
        register_version(),
        footprints_version(),
        date.today(),
        bool(demo),
    )


# --- Hubs page: the stored register, its history and uploads ------------------------------------
# Keyed by the register / footprints version like everything above, so a save refreshes them.


@st.cache_data(show_spinner=False)
def _stored_register(register: int) -> pd.DataFrame:
    return register_store().load()


def load_stored_register() -> pd.DataFrame:
    """The register as stored (the columns of data/hubs.csv, nothing derived), for editing."""
    return _stored_register(register_version())


@st.cache_data(show_spinner=False)
def load_register_snapshot(version: int) -> pd.DataFrame:
    """The register as saved in one version (a version never changes once saved)."""
    return register_store().snapshot(version)


@st.cache_data(show_spinner=False)
def _register_history(register: int) -> pd.DataFrame:
    return register_store().history()


def load_register_history() -> pd.DataFrame:
    """Saved versions of the register, newest first (see RegisterStore.history)."""
    return _register_history(register_version())


def check_register(df: pd.DataFrame) -> tuple[pd.DataFrame, list[RowError]]:
    """Validate a whole candidate register against the postcodes, LSOAs and footprints in force.

    Returns utils.hubs.validate_register's (valid rows with derived columns, row errors).
    """
    return validate_register(
        df, load_postcodes(), load_lsoas(), date.today(), load_footprints(footprints_version())
    )


@st.cache_data(show_spinner=False)
def _register_upload(
    data: bytes, filename: str, footprints: int, today: date
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    raw = read_register_file(data, filename)
    valid, errors = validate_register(
        raw, load_postcodes(), load_lsoas(), today, load_footprints(footprints)
    )
    return raw, valid, errors


def load_register_upload(
    data: bytes, filename: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    """Read and validate an uploaded register: (rows as read, valid rows, row errors).

    Raises utils.hubs.HubRegisterError when the whole file is unusable.
    """
    return _register_upload(data, filename, footprints_version(), date.today())


@st.cache_data(show_spinner=False)
def load_lsoa11_to_21() -> pd.DataFrame | None:
    """The derived LSOA 2011 -> 2021 lookup, or None when its source file is not on this machine."""
    try:
        return read_lsoa11_to_21(source_dir())
    except MissingSourceError:
        return None


@st.cache_data(show_spinner=False)
def _footprint_upload(
    data: bytes, filename: str, footprints: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    raw = read_footprint_file(data, filename)
    lookup, errors = apply_footprint_upload(
        load_footprints(footprints), raw, load_lsoas()[c.LSOA], load_lsoa11_to_21()
    )
    return raw, lookup, errors


def load_footprint_upload(
    data: bytes, filename: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    """Read and check an uploaded LSOA -> LCP lookup: (rows as read, lookup to use, row errors).

    With errors the lookup returned is the one in force (geo.footprints.apply_footprint_upload).
    Raises geo.footprints.FootprintError when the file cannot be read at all.
    """
    return _footprint_upload(data, filename, footprints_version())


@st.cache_data(show_spinner=False)
def _footprint_summary(footprints: int) -> pd.DataFrame:
    return aggregate_by_lcp(load_lsoas(), load_footprints(footprints), [])


def load_footprint_summary() -> pd.DataFrame:
    """One row per LCP in force: lcp, lcp_status, n_lsoas, pop_total (mid-2022)."""
    return _footprint_summary(footprints_version())


# --- What-if hubs (issue 14: the Site planner's "what if a hub opened here?") -------------------
# Kept together at the end so the issue-13 caching rework can port them as one block.


@st.cache_data(show_spinner=False, max_entries=256)
def load_added_hubs(text: str):
    """The ``add=`` value read into hub points and problems (geo.whatif.parse_added_hubs)."""
    from geo.whatif import parse_added_hubs

    return parse_added_hubs(text, load_postcodes())


@st.cache_resource(show_spinner=False)  # read-only: WhatIfBase.gain never changes the base
def _whatif_base(radius_m: int, register: int, footprints: int, as_of: date, demo: bool):
    from geo.whatif import WhatIfBase

    # The same at-risk residents as the Overview, Gaps and planner (default weights, top 20%).
    lsoas = _at_risk_lsoas((), "leeds", "top20_risk", footprints)
    hubs = _hubs(register, footprints, demo)
    return WhatIfBase(lsoas, load_demand(), hubs[open_on(hubs, as_of)], radius_m)


def load_whatif_base(radius_m: int, demo: bool = False):
    """Coverage by today's open hubs over all Leeds, prepared once (geo.whatif.WhatIfBase)."""
    return _whatif_base(
        int(radius_m), register_version(), footprints_version(), date.today(), bool(demo)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _whatif_comparison(
    labels: str, radius_m: int, register: int, footprints: int, as_of: date, demo: bool
) -> dict:
    from geo.whatif import compare_with_optimiser

    base = _whatif_base(radius_m, register, footprints, as_of, demo)
    added = load_added_hubs(labels).hubs
    lsoas = _at_risk_lsoas((), "leeds", "top20_risk", footprints)
    hubs = _hubs(register, footprints, demo)
    open_hubs = hubs[open_on(hubs, as_of)].reset_index(drop=True)
    return compare_with_optimiser(
        base, base.gain(added), len(added), lsoas, load_demand(), open_hubs
    )


def load_whatif_comparison(labels: str, radius_m: int, demo: bool = False) -> dict:
    """The optimiser's as many hubs (at-risk residents, all Leeds) beside the ``add=`` hubs.

    ``labels`` is the ``add=`` value; see geo.whatif.compare_with_optimiser for the result.
    """
    return _whatif_comparison(
        labels, int(radius_m), register_version(), footprints_version(), date.today(), bool(demo)
    )
