"""Polygons made light for drawing: simplified in EPSG:27700, shared edges kept shared."""

from __future__ import annotations

import geopandas as gpd
import shapely

from utils import constants as c

# Simplification for drawing only (metres, EPSG:27700); analysis keeps the full geometry.
MAP_SIMPLIFY_M = 100.0
MAP_COORD_DECIMALS = 5  # ~1 m at Leeds' latitude


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
