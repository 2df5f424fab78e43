"""Polygons made light for drawing: simplified in EPSG:27700, shared edges kept shared."""

from __future__ import annotations

import weakref

import geopandas as gpd
import shapely

from utils import constants as c

# Simplification for drawing only (metres, EPSG:27700); analysis keeps the full geometry.
MAP_SIMPLIFY_M = 100.0
MAP_COORD_DECIMALS = 5  # ~1 m at Leeds' latitude

# CRS objects already found to be EPSG:4326, by identity. pyproj opens its database once per
# thread (~50 ms), and Streamlit runs each script run in a new thread: a map click would pay that
# on every rerun just to re-check the cached shapes' CRS. Weak, so nothing is kept alive.
_WGS84_SEEN: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def in_wgs84(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> bool:
    """Whether the shapes are in EPSG:4326 (longitude/latitude), as Leaflet draws them.

    The same CRS object (cached shapes, read again on every rerun) is checked only once.

    Examples
    --------
    >>> in_wgs84(gpd.GeoSeries([shapely.Point(0, 51)], crs="EPSG:4326"))
    True
    >>> in_wgs84(gpd.GeoSeries([shapely.Point(0, 51)], crs="EPSG:27700"))
    False
    """
    crs = gdf.crs
    if crs is None:
        return False
    if _WGS84_SEEN.get(id(crs)) is crs:
        return True
    if crs.to_epsg() != 4326:
        return False
    _WGS84_SEEN[id(crs)] = crs
    return True


def require_wgs84(
    gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str = "Shapes", purpose: str = "to draw"
) -> None:
    """Refuse shapes that are not in EPSG:4326 (``in_wgs84``), naming what they were for.

    Raises
    ------
    ValueError
        E.g. "Shapes must be in EPSG:4326 to draw; got EPSG:27700."
    """
    if not in_wgs84(gdf):
        raise ValueError(f"{what} must be in EPSG:4326 {purpose}; got {gdf.crs}.")


def simplify_for_map(
    gdf: gpd.GeoDataFrame, tolerance_m: float = MAP_SIMPLIFY_M
) -> gpd.GeoDataFrame:
    """Simplify a polygon coverage for drawing, keeping shared edges shared (no gaps or overlaps)."""
    bng = gdf.to_crs(c.CRS_BNG)
    simplified = shapely.coverage_simplify(bng.geometry.values, tolerance_m)
    out = gdf[[col for col in gdf.columns if col != "geometry"]].copy()
    geom = gpd.GeoSeries(simplified, crs=c.CRS_BNG, index=gdf.index).to_crs(c.CRS_WGS84)
    out = gpd.GeoDataFrame(
        out, geometry=shapely.set_precision(geom.values, 10**-MAP_COORD_DECIMALS), crs=c.CRS_WGS84
    )
    return out
