"""Pure readers for the built artefacts in data/build/ (no streamlit; the loaders cache these)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from data import build as b
from data.sources import build_dir


class BuiltDataMissingError(FileNotFoundError):
    """The data build has not been run (or failed) on this machine."""


def _path(name: str, folder: Path | None) -> Path:
    path = (folder or build_dir()) / name
    if not path.exists():
        raise BuiltDataMissingError(
            f"Built data file {path} is missing. Run `make data` (or `python -m data.build`) first."
        )
    return path


def read_lsoas(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The 488 Leeds LSOAs with every indicator and full-resolution geometry (EPSG:4326)."""
    return gpd.read_parquet(_path(b.LSOAS_FILE, folder))


def read_lsoa_map_shapes(folder: Path | None = None) -> gpd.GeoDataFrame:
    """LSOA polygons simplified for drawing (shared edges kept), EPSG:4326."""
    return gpd.read_parquet(_path(b.LSOAS_MAP_FILE, folder))


def read_wards(folder: Path | None = None) -> gpd.GeoDataFrame:
    """Ward polygons simplified for drawing, EPSG:4326."""
    return gpd.read_parquet(_path(b.WARDS_FILE, folder))


def read_outline(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The Leeds outline, EPSG:4326."""
    return gpd.read_parquet(_path(b.OUTLINE_FILE, folder))


def read_postcodes(folder: Path | None = None) -> pd.DataFrame:
    """Leeds-area postcode centroids (lat/lon and EPSG:27700 x/y)."""
    return pd.read_parquet(_path(b.POSTCODES_FILE, folder))


def read_demand(folder: Path | None = None) -> pd.DataFrame:
    """Residential Leeds postcodes (x/y in EPSG:27700) each with its equal share of residents.

    Made by ``geo.coverage.demand_points`` at build time; every coverage figure is measured
    from these points.
    """
    return pd.read_parquet(_path(b.DEMAND_FILE, folder))


def read_england_iod(folder: Path | None = None) -> pd.DataFrame:
    """England-wide DERI inputs (IoD 2025 scores and indicators, Census 2021 65+ share)."""
    return pd.read_parquet(_path(b.ENGLAND_FILE, folder))


def read_milestones(folder: Path | None = None) -> pd.DataFrame:
    """Public growth milestones, dates as published."""
    return pd.read_parquet(_path(b.MILESTONES_FILE, folder))


def read_manifest(folder: Path | None = None) -> dict:
    """The build manifest (when, from where, row counts)."""
    return json.loads(_path(b.MANIFEST_FILE, folder).read_text())


DEFAULT_FOOTPRINTS = Path(__file__).resolve().parent / "footprints" / "lsoa21_lcp.csv"
DEFAULT_HUBS = Path(__file__).resolve().parent / "hubs.csv"


def read_default_footprints(path: Path = DEFAULT_FOOTPRINTS) -> pd.DataFrame:
    """The project's authored default LSOA 2021 -> LCP lookup (lsoa21cd, lcp, lcp_status)."""
    df = pd.read_csv(path, dtype=str)
    return df.rename(columns={"status": "lcp_status"})
