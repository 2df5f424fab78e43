"""The built artefacts in data/build/: their file names, pure readers, and building on demand.

No streamlit (the loaders cache these readers) and nothing read at import. The only tie to the
build pipeline is ``build_if_missing``, which imports data.build when it is called.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from data.sources import MissingSourceError, build_dir, source_path

# Artefact file names: data/build.py writes them, the readers below read them back.
LSOAS_FILE = "lsoas.parquet"
LSOAS_MAP_FILE = "lsoas_map.parquet"
WARDS_FILE = "wards.parquet"
OUTLINE_FILE = "leeds_outline.parquet"
POSTCODES_FILE = "postcodes.parquet"
DEMAND_FILE = "demand_postcodes.parquet"  # residential postcodes with residents (coverage demand)
ENGLAND_FILE = "england_iod2025.parquet"
MILESTONES_FILE = "milestones.parquet"
MANIFEST_FILE = "manifest.json"


class BuiltDataMissingError(FileNotFoundError):
    """The data build has not been run (or failed) on this machine."""


def is_built(folder: Path | None = None) -> bool:
    """Whether the folder holds a complete build (a build older than the demand file is not)."""
    folder = folder or build_dir()
    return (folder / MANIFEST_FILE).exists() and (folder / DEMAND_FILE).exists()


def build_if_missing() -> bool:
    """Run the data build (``python -m data.build``) when the artefacts are missing.

    The one place the running app reaches the build pipeline: a fresh checkout builds its data
    on first use. Returns True when it built.
    """
    if is_built():
        return False
    from data.build import build_all  # the pipeline is only imported when it has work to do

    build_all()
    return True


def _path(name: str, folder: Path | None) -> Path:
    path = (folder or build_dir()) / name
    if not path.exists():
        raise BuiltDataMissingError(
            f"Built data file {path} is missing. Run `make data` (or `python -m data.build`) first."
        )
    return path


def read_lsoas(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The 488 Leeds LSOAs with every indicator and full-resolution geometry (EPSG:4326)."""
    return gpd.read_parquet(_path(LSOAS_FILE, folder))


def read_lsoa_map_shapes(folder: Path | None = None) -> gpd.GeoDataFrame:
    """LSOA polygons simplified for drawing (shared edges kept), EPSG:4326."""
    return gpd.read_parquet(_path(LSOAS_MAP_FILE, folder))


def read_wards(folder: Path | None = None) -> gpd.GeoDataFrame:
    """Ward polygons simplified for drawing, EPSG:4326."""
    return gpd.read_parquet(_path(WARDS_FILE, folder))


def read_outline(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The Leeds outline, EPSG:4326."""
    return gpd.read_parquet(_path(OUTLINE_FILE, folder))


def read_postcodes(folder: Path | None = None) -> pd.DataFrame:
    """Leeds-area postcode centroids (lat/lon and EPSG:27700 x/y)."""
    return pd.read_parquet(_path(POSTCODES_FILE, folder))


def read_demand(folder: Path | None = None) -> pd.DataFrame:
    """Residential Leeds postcodes (x/y in EPSG:27700) each with its equal share of residents.

    Made by ``geo.coverage.demand_points`` at build time; every coverage figure is measured
    from these points.
    """
    return pd.read_parquet(_path(DEMAND_FILE, folder))


def read_england_iod(folder: Path | None = None) -> pd.DataFrame:
    """England-wide DERI inputs (IoD 2025 scores and indicators, Census 2021 65+ share)."""
    return pd.read_parquet(_path(ENGLAND_FILE, folder))


def read_milestones(folder: Path | None = None) -> pd.DataFrame:
    """Public growth milestones, dates as published."""
    return pd.read_parquet(_path(MILESTONES_FILE, folder))


def read_manifest(folder: Path | None = None) -> dict:
    """The build manifest (when, from where, row counts)."""
    return json.loads(_path(MANIFEST_FILE, folder).read_text())


DEFAULT_FOOTPRINTS = Path(__file__).resolve().parent / "footprints" / "lsoa21_lcp.csv"
DEFAULT_HUBS = Path(__file__).resolve().parent / "hubs.csv"


def read_default_footprints(path: Path = DEFAULT_FOOTPRINTS) -> pd.DataFrame:
    """The project's authored default LSOA 2021 -> LCP lookup (lsoa21cd, lcp, lcp_status)."""
    df = pd.read_csv(path, dtype=str)
    return df.rename(columns={"status": "lcp_status"})


def read_lsoa11_to_21(folder: Path | None = None) -> pd.DataFrame:
    """The derived LSOA 2011 -> 2021 pairs with area shares (a source file, read as it is)."""
    return pd.read_csv(source_path("lsoa11_to_21", folder))


def read_lsoa11_to_21_if_present() -> pd.DataFrame | None:
    """The LSOA 2011 -> 2021 lookup, or None when its source file is not on this machine."""
    try:
        return read_lsoa11_to_21()
    except MissingSourceError:
        return None
