"""Cached loaders: the only module outside app_pages/ that imports streamlit.

Each loader caches a pure reader or a pure domain step once per server process (shared by every
session). Callers must not mutate what these return. st.cache_data hands each caller a copy;
the read-only drawing layers use st.cache_resource instead, so every rerun does not pay to
unpickle geometry it only reads. Nothing is read at import time: the first call builds the data
if it is missing (data.artefacts.build_if_missing).

One rule owns the cache key of everything that depends on the hub register, the footprints or
the day: ``by_versions``. A save by anyone changes the register or footprints version, so every
session's figures refresh; a new day refreshes what is "open today".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st
from sqlalchemy.exc import DBAPIError

from data import artefacts
from data.assets import VENDOR_DIR, assets_present, install_assets
from data.register_store import RegisterStore, RegisterUnavailableError, database_url
from geo.coverage import coverage_by_lsoa, summarise_leeds_and_groups
from geo.footprints import (
    aggregate_by_lcp,
    apply_footprint_upload,
    attach_lcp,
    dissolve_footprints,
    read_footprint_file,
)
from geo.planning import (
    PLANNER_WEIGHT,
    planner_problem,
    recommendation_with_places,
    with_planner_weight,
)
from geo.profile import lsoa_profile
from geo.shapes import simplify_for_map
from geo.sites import (
    SiteRecommendation,
    SitesNeeded,
    coverage_curve,
    recommend_sites,
    sites_needed_for_share,
)
from geo.whatif import AddedHubs, WhatIfBase, compare_with_optimiser, parse_added_hubs
from utils import constants as c
from utils.demo import hubs_for_mode
from utils.growth import MONTH as GROWTH_MONTH
from utils.growth import coverage_over_time, growth_series
from utils.hubs import RowError, open_on, read_register_file, validate_register
from utils.risk import attach_risk, compute_risk_index
from utils.venues import read_venues_csv, validate_venues

__all__ = ["PLANNER_WEIGHT"]  # pages read the planner's weight column name from here too

T = TypeVar("T")


@st.cache_resource(show_spinner="Building Leeds data (first run only)…")
def ensure_ready() -> bool:
    """Build the data (and vendored map assets) at most once per server if a checkout has none."""
    artefacts.build_if_missing()
    if not assets_present():
        install_assets()
    return True


# --- Built artefacts: the same for everyone until the next `python -m data.build` --------------


@st.cache_data(show_spinner=False)
def _artefact(name: str) -> pd.DataFrame | dict:
    ensure_ready()
    return getattr(artefacts, f"read_{name}")()


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def _drawing_artefact(name: str) -> gpd.GeoDataFrame:
    ensure_ready()
    return getattr(artefacts, f"read_{name}")()


def load_lsoas() -> gpd.GeoDataFrame:
    """The 488 Leeds LSOAs with every indicator (full geometry)."""
    return _artefact("lsoas")


def load_lsoa_map_shapes() -> gpd.GeoDataFrame:
    """LSOA polygons simplified for drawing."""
    return _artefact("lsoa_map_shapes")


def load_wards() -> gpd.GeoDataFrame:
    """Ward outlines for drawing (shared, read-only)."""
    return _drawing_artefact("wards")


def load_outline() -> gpd.GeoDataFrame:
    """The Leeds outline for drawing (shared, read-only)."""
    return _drawing_artefact("outline")


def load_postcodes() -> pd.DataFrame:
    """Leeds-area postcode centroids."""
    return _artefact("postcodes")


def load_demand() -> pd.DataFrame:
    """Residential postcodes with residents: where coverage is measured (geo.coverage)."""
    return _artefact("demand")


def load_england_iod() -> pd.DataFrame:
    """England-wide DERI inputs (IoD 2025, Census 2021 65+ share) for England-wide scaling."""
    return _artefact("england_iod")


def load_milestones() -> pd.DataFrame:
    """Public growth milestones."""
    return _artefact("milestones")


def load_manifest() -> dict:
    """When and from where the data were built."""
    return _artefact("manifest")


def load_lsoa11_to_21() -> pd.DataFrame | None:
    """The derived LSOA 2011 -> 2021 lookup, or None when its source file is not on this machine."""
    return _artefact("lsoa11_to_21_if_present")


@st.cache_data(show_spinner=False)
def load_leaflet_assets() -> tuple[str, str]:
    """The text of leaflet.js and leaflet.css, for maps exported as standalone HTML."""
    ensure_ready()
    folder = VENDOR_DIR / "leaflet"
    return (folder / "leaflet.js").read_text(encoding="utf-8"), (folder / "leaflet.css").read_text(
        encoding="utf-8"
    )


@st.cache_resource(show_spinner=False)  # drawing-only, read-only: shared, not copied
def load_drawing(name: str, _make: Callable[[], T]) -> T:
    """A drawing-only object made once per server from built data (e.g. encoded LSOA shapes).

    ``_make`` (not hashed) builds it; ``name`` is its cache key. app_pages passes its pure
    builders in, so this module never imports the figures.
    """
    return _make()


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


# --- The register database ----------------------------------------------------------------------


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
    return artefacts.read_default_footprints() if saved is None else saved


@st.cache_data(show_spinner=False)
def load_register_snapshot(version: int) -> pd.DataFrame:
    """The register as saved in one version (a version never changes once saved)."""
    return register_store().snapshot(version)


# --- The one cache-key rule: data versions and the day ------------------------------------------


class Versions(NamedTuple):
    """What a cached figure depends on besides its own arguments (None = does not depend on it)."""

    register: int | None = None
    footprints: int | None = None
    today: date | None = None


REGISTER, FOOTPRINTS, TODAY = Versions._fields


def current_versions(keys: tuple[str, ...] = Versions._fields) -> Versions:
    """The versions in force now, only for ``keys`` (the others None, so they never split a key)."""
    return Versions(
        register_version() if REGISTER in keys else None,
        footprints_version() if FOOTPRINTS in keys else None,
        date.today() if TODAY in keys else None,
    )


def by_versions(*keys: str, resource: bool = False, **options: Any):
    """Cache a loader by ``keys`` (of REGISTER, FOOTPRINTS, TODAY) as well as its own arguments.

    The decorated function takes a ``Versions`` first; callers leave it out and get the
    versions in force now. ``loader.at(versions, ...)`` calls it with given versions, so a
    cached step inside another uses the same key. ``resource=True`` shares one read-only copy
    (st.cache_resource) instead of handing each caller its own (st.cache_data).
    """
    unknown = set(keys) - set(Versions._fields)
    if unknown:
        raise ValueError(f"Unknown cache keys {sorted(unknown)}; use {Versions._fields}.")
    options.setdefault("show_spinner", False)

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        cached = (st.cache_resource if resource else st.cache_data)(**options)(fn)

        def at(versions: Versions, *args: Any, **kwargs: Any) -> T:
            fields = zip(Versions._fields, versions, strict=True)
            kept = Versions(*(value if name in keys else None for name, value in fields))
            return cached(kept, *args, **kwargs)

        @functools.wraps(fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
        def load(*args: Any, **kwargs: Any) -> T:
            return cached(current_versions(keys), *args, **kwargs)

        load.at = at
        load.clear = cached.clear
        return load

    return decorate


# --- Footprints and the hub register ------------------------------------------------------------
# Which hubs count is decided here, once: every loader that uses hubs takes ``demo`` (False =
# real hubs only, the default; True = illustrative samples too) and has it in its cache key.


@by_versions(FOOTPRINTS)
def lcp_names(v: Versions) -> list[str]:
    """LCP names of the footprints in force, sorted (the sidebar asks on every rerun)."""
    return sorted(load_footprints(v.footprints)[c.LCP].unique())


@by_versions(FOOTPRINTS)
def load_lsoas_with_lcp(v: Versions) -> gpd.GeoDataFrame:
    """The LSOA table with the LCP and footprint status in force."""
    return attach_lcp(load_lsoas(), load_footprints(v.footprints))


@by_versions(FOOTPRINTS, resource=True)  # drawing-only, read-only: shared, not copied
def load_lcp_outlines(v: Versions) -> gpd.GeoDataFrame:
    """LCP polygons (dissolved in EPSG:27700, simplified for drawing) with their status."""
    return simplify_for_map(dissolve_footprints(load_lsoas(), load_footprints(v.footprints)))


def _check_rows(
    raw: pd.DataFrame, footprints: int, today: date
) -> tuple[pd.DataFrame, list[RowError]]:
    footprints_table = load_footprints(footprints)
    return validate_register(raw, load_postcodes(), load_lsoas(), today, footprints_table)


def check_register(df: pd.DataFrame) -> tuple[pd.DataFrame, list[RowError]]:
    """Validate a whole candidate register against the postcodes, LSOAs and footprints in force.

    Returns utils.hubs.validate_register's (valid rows with derived columns, row errors).
    """
    return _check_rows(df, footprints_version(), date.today())


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_register_hubs(v: Versions) -> pd.DataFrame:
    """Every valid register row, samples included, with places derived: the register itself."""
    return _check_rows(register_store().load(), v.footprints, v.today)[0]


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_hubs(v: Versions, demo: bool = False) -> pd.DataFrame:
    """The hubs figures may use (open and closed), with coordinates, LSOA, ward and LCP.

    Real hubs only unless ``demo`` (then illustrative samples too): utils.demo.hubs_for_mode.
    """
    return hubs_for_mode(load_register_hubs.at(v), bool(demo))


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_open_hubs(v: Versions, as_of: date | None = None, demo: bool = False) -> pd.DataFrame:
    """Hubs open on a date (today by default); real only unless ``demo``."""
    hubs = load_hubs.at(v, demo)
    return hubs[open_on(hubs, as_of or v.today)].reset_index(drop=True)


# --- Pages' own views (e.g. the Map page's folium document) -------------------------------------


@by_versions(REGISTER, FOOTPRINTS, TODAY, max_entries=64)
def load_view_document(v: Versions, key: tuple, _build: Callable[[Versions], str]) -> str:
    """A page's HTML built from the data in force, cached per ``key`` (the view) and versions.

    ``_build`` (not hashed) is the page's pure builder; it gets the versions so it reads the
    same cached data the key names. About 64 views are kept (~200 KB each).
    """
    return _build(v)


# --- Risk index and coverage --------------------------------------------------------------------


@by_versions(FOOTPRINTS)
def load_at_risk_lsoas(
    v: Versions, weights: tuple = (), scaling: str = "leeds", at_risk: str = "top20_risk"
) -> pd.DataFrame:
    """LSOAs (no geometry) with LCP, risk index and the at-risk flag, ready for coverage."""
    lsoas = pd.DataFrame(load_lsoas_with_lcp.at(v).drop(columns="geometry"))
    return attach_risk(lsoas, load_risk(weights, scaling), at_risk)


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_coverage(
    v: Versions,
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
    lsoas = load_at_risk_lsoas.at(v, weights, scaling, at_risk)
    hubs = load_open_hubs.at(v, as_of, demo)
    return coverage_by_lsoa(lsoas, hubs, int(radius_m), demand=load_demand())


@by_versions(REGISTER, FOOTPRINTS, TODAY, max_entries=256)
def load_lsoa_profile(v: Versions, code: str, radius_m: int, demo: bool = False) -> dict:
    """One LSOA's profile for the Map page (``geo.profile.lsoa_profile``) at a reach radius.

    Cached: a click on a neighbourhood seen before answers at once. Real hubs only unless
    ``demo``.
    """
    return lsoa_profile(
        code,
        load_lsoas_with_lcp.at(v),
        load_coverage.at(v, int(radius_m), demo=demo),
        load_risk().set_index(c.LSOA),
        load_open_hubs.at(v, demo=demo),
        int(radius_m),
    )


@by_versions(REGISTER, FOOTPRINTS, TODAY, show_spinner="Measuring coverage month by month…")
def load_coverage_over_time(
    v: Versions,
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
    lsoas = load_at_risk_lsoas.at(v, weights, scaling, at_risk)
    hubs = load_hubs.at(v, demo)
    months = growth_series(hubs, end=end or v.today, by=None)[GROWTH_MONTH].unique()
    demand = load_demand()

    def leeds_and_lcps(open_hubs: pd.DataFrame) -> pd.DataFrame:
        by_lsoa = coverage_by_lsoa(lsoas, open_hubs, int(radius_m), demand=demand)
        return summarise_leeds_and_groups(by_lsoa, open_hubs)

    return coverage_over_time(hubs, months, leeds_and_lcps)


# --- Site planner -------------------------------------------------------------------------------
# Every solve is cached on its full, hashable input: objective, k / target, radius, area, the
# register and footprints versions, the day, and the bytes of any uploaded venue CSV (hashed by
# st.cache_data), so a shared link or a return to an earlier k answers instantly.


@by_versions(FOOTPRINTS)
def load_venues(v: Versions, data: bytes, filename: str) -> tuple[pd.DataFrame, list]:
    """Validate an uploaded venue CSV: (valid venues with x/y, LSOA and LCP; row errors).

    Raises utils.venues.VenueFileError when the whole file is unusable.
    """
    lookup = pd.DataFrame(load_lsoas_with_lcp.at(v)[[c.LSOA, c.LCP]])
    return validate_venues(read_venues_csv(data, filename), load_postcodes(), lookup)


@by_versions(FOOTPRINTS)
def _weighted_lsoas(v: Versions, objective: str) -> pd.DataFrame:
    # The same at-risk LSOAs as the Overview (default weights, Leeds scaling, top 20%).
    return with_planner_weight(load_at_risk_lsoas.at(v), objective)


def load_planner_weights(objective: str) -> pd.DataFrame:
    """Every Leeds LSOA with names, LCP, IMD decile and the objective's weight (``PLANNER_WEIGHT``)."""
    cols = [c.LSOA, c.LSOA_NAME, c.MSOA_NAME, c.WARD_NAME, c.LCP, c.IMD_DECILE, PLANNER_WEIGHT]
    return _weighted_lsoas(objective)[cols]


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_planner_problem(
    v: Versions,
    objective: str,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The planner's inputs: (demand postcodes of the area, candidate sites, open hubs kept).

    See geo.planning.planner_problem. ``venues``: the CSV bytes, already accepted by
    ``load_venues``; None for one candidate per LSOA.
    """
    valid = None if venues is None else load_venues.at(v, venues, venues_name)[0]
    return planner_problem(
        _weighted_lsoas.at(v, objective),
        load_demand(),
        valid,
        load_open_hubs.at(v, None, demo),
        area,
    )


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_recommendation(
    v: Versions,
    objective: str,
    k: int,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> tuple[SiteRecommendation, pd.DataFrame]:
    """Best k new sites (MCLP, existing hubs kept) and their table in order of marginal gain.

    The table is geo.planning.recommendation_with_places (``lat``/``lon`` and ``alternatives``:
    names of candidates that reach exactly the same people). Raises geo.sites.SiteError
    subclasses with plain-English messages.
    """
    demand, candidates, existing = load_planner_problem.at(
        v, objective, area, venues, venues_name, demo
    )
    rec = recommend_sites(demand, candidates, existing, PLANNER_WEIGHT, int(k), int(radius_m))
    return rec, recommendation_with_places(rec, candidates)


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_coverage_curve(
    v: Versions,
    objective: str,
    k_max: int,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> pd.DataFrame:
    """Optimal reach for 0..k_max new hubs (k, reached_weight, reached_share, added_weight)."""
    demand, candidates, existing = load_planner_problem.at(
        v, objective, area, venues, venues_name, demo
    )
    return coverage_curve(demand, candidates, existing, PLANNER_WEIGHT, int(k_max), int(radius_m))


@by_versions(REGISTER, FOOTPRINTS, TODAY)
def load_sites_needed(
    v: Versions,
    objective: str,
    target_share: float,
    radius_m: int,
    area: str,
    venues: bytes | None = None,
    venues_name: str = "",
    demo: bool = False,
) -> SitesNeeded:
    """Fewest new hubs (up to 20) reaching ``target_share`` (0–1) of the objective's weight."""
    demand, candidates, existing = load_planner_problem.at(
        v, objective, area, venues, venues_name, demo
    )
    share, radius = float(target_share), int(radius_m)
    return sites_needed_for_share(demand, candidates, existing, PLANNER_WEIGHT, share, radius)


# --- Hubs page: the stored register, its history and uploads ------------------------------------


@by_versions(REGISTER)
def load_stored_register(v: Versions) -> pd.DataFrame:
    """The register as stored (the columns of data/hubs.csv, nothing derived), for editing."""
    return register_store().load()


@by_versions(REGISTER)
def load_register_history(v: Versions) -> pd.DataFrame:
    """Saved versions of the register, newest first (see RegisterStore.history)."""
    return register_store().history()


@by_versions(FOOTPRINTS, TODAY)
def load_register_upload(
    v: Versions, data: bytes, filename: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    """Read and validate an uploaded register: (rows as read, valid rows, row errors).

    Raises utils.hubs.HubRegisterError when the whole file is unusable.
    """
    raw = read_register_file(data, filename)
    return (raw, *_check_rows(raw, v.footprints, v.today))


@by_versions(FOOTPRINTS)
def load_footprint_upload(
    v: Versions, data: bytes, filename: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[RowError]]:
    """Read and check an uploaded LSOA -> LCP lookup: (rows as read, lookup to use, row errors).

    With errors the lookup returned is the one in force (geo.footprints.apply_footprint_upload).
    Raises geo.footprints.FootprintError when the file cannot be read at all.
    """
    raw = read_footprint_file(data, filename)
    lookup, errors = apply_footprint_upload(
        load_footprints(v.footprints), raw, load_lsoas()[c.LSOA], load_lsoa11_to_21()
    )
    return raw, lookup, errors


@by_versions(FOOTPRINTS)
def load_footprint_summary(v: Versions) -> pd.DataFrame:
    """One row per LCP in force: lcp, lcp_status, n_lsoas, pop_total (mid-2022)."""
    return aggregate_by_lcp(load_lsoas(), load_footprints(v.footprints), [])


# --- What-if hubs (issue 14: the Site planner's "what if a hub opened here?") -------------------


@st.cache_data(show_spinner=False, max_entries=256)
def load_added_hubs(text: str) -> AddedHubs:
    """The ``add=`` value read into hub points and problems (geo.whatif.parse_added_hubs)."""
    return parse_added_hubs(text, load_postcodes())


@by_versions(REGISTER, FOOTPRINTS, TODAY, resource=True)  # read-only: gain never changes it
def load_whatif_base(v: Versions, radius_m: int, demo: bool = False) -> WhatIfBase:
    """Coverage by today's open hubs over all Leeds, prepared once (geo.whatif.WhatIfBase).

    The same at-risk residents as the Overview, Gaps and planner (default weights, top 20%).
    """
    lsoas = load_at_risk_lsoas.at(v)
    return WhatIfBase(lsoas, load_demand(), load_open_hubs.at(v, None, demo), int(radius_m))


@by_versions(REGISTER, FOOTPRINTS, TODAY, max_entries=64)
def load_whatif_comparison(v: Versions, labels: str, radius_m: int, demo: bool = False) -> dict:
    """The optimiser's as many hubs (at-risk residents, all Leeds) beside the ``add=`` hubs.

    ``labels`` is the ``add=`` value; see geo.whatif.compare_with_optimiser for the result.
    """
    base = load_whatif_base.at(v, radius_m, demo)
    added = load_added_hubs(labels).hubs
    return compare_with_optimiser(
        base,
        base.gain(added),
        len(added),
        load_at_risk_lsoas.at(v),
        load_demand(),
        load_open_hubs.at(v, None, demo),
    )
