"""The Map page's neighbourhood profile: its sections, its outline on the map and its table row."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import shapely
from pandas.io.formats.style import Styler

from geo.shapes import require_wgs84
from utils import constants as c

__all__ = [
    "SELECTED_STYLE",
    "lsoa_options",
    "profile_sections",
    "profile_sentence",
    "selected_first",
    "selection_outline",
    "selection_view",
]

# A thick dark outline with no fill: the choropleth colour under it stays readable.
SELECTED_STYLE = {"color": "#111111", "weight": 5, "fill": False, "opacity": 1.0}
SELECTED_ROW_CSS = "background-color: #ffe08a; font-weight: 600"
SELECTED_ZOOM = 14


def lsoa_options(lsoas: pd.DataFrame) -> dict[str, str]:
    """Every LSOA's code -> "code name" (``E01011345 Leeds 054C``), in code order, for a search list.

    Examples
    --------
    >>> lsoa_options(pd.DataFrame({"lsoa21cd": ["E2", "E1"], "lsoa21nm": ["Leeds 2", None]}))
    {'E1': 'E1', 'E2': 'E2 Leeds 2'}
    """
    rows = lsoas[[c.LSOA, c.LSOA_NAME]].sort_values(c.LSOA)
    return {
        str(code): f"{code} {name}" if isinstance(name, str) and name else str(code)
        for code, name in zip(rows[c.LSOA], rows[c.LSOA_NAME], strict=True)
    }


def selection_outline(shapes: gpd.GeoDataFrame, code: str | None) -> folium.FeatureGroup:
    """A map layer outlining the selected LSOA (empty when nothing is selected).

    Not clickable (``interactive`` off), so a click on the outlined LSOA still reaches the
    choropleth under it. Only coordinates enter the map: no text.

    Raises
    ------
    ValueError
        When the shapes are not in EPSG:4326.
    """
    require_wgs84(shapes)
    group = folium.FeatureGroup(name="Selected neighbourhood", control=False)
    rows = shapes.loc[shapes[c.LSOA] == code] if code else shapes.iloc[0:0]
    if len(rows):
        folium.GeoJson(
            shapely.geometry.mapping(rows.geometry.iloc[0]),
            style_function=lambda _f: SELECTED_STYLE,
            interactive=False,
            class_name="hc-selected",
        ).add_to(group)
    return group


def selection_view(shapes: gpd.GeoDataFrame, code: str) -> tuple[tuple[float, float], int]:
    """Where to centre the map for a selected LSOA: its interior point (lat, lon) and a zoom."""
    geom = shapes.loc[shapes[c.LSOA] == code].geometry.iloc[0]
    point = geom.representative_point()
    return (round(point.y, 6), round(point.x, 6)), SELECTED_ZOOM


def profile_sections(profile: dict) -> dict[str, pd.DataFrame]:
    """The profile's tables, with readable column names, for the panel beside the map.

    Returns
    -------
    dict of DataFrame
        ``"domains"`` (Domain, National decile), ``"indicators"`` (Component, Indicator,
        Value, Score (0-10)) and ``"components"`` (Component, Score (0-10), Share of index).
        Empty frames (with those columns) where the profile has no rows.
    """
    domains = profile["domains"]
    out = {
        "domains": pd.DataFrame(
            {
                "Domain": domains.get("label", pd.Series(dtype=object)),
                "National decile (1 = most deprived)": domains.get("decile", pd.Series()),
            }
        ),
    }
    ind = profile["indicators"]
    ind_cols = {
        "component_label": "Component",
        "label": "Indicator",
        "raw": "Value",
        "score": "Score (0-10)",
    }
    out["indicators"] = (
        ind[list(ind_cols)].rename(columns=ind_cols).round({"Value": 2, "Score (0-10)": 2})
        if len(ind)
        else pd.DataFrame(columns=list(ind_cols.values()))
    )
    comp = profile["components"]
    comp_cols = {"label": "Component", "score": "Score (0-10)", "weight_share": "Share of index"}
    out["components"] = (
        comp[list(comp_cols)].rename(columns=comp_cols).round(2)
        if len(comp)
        else pd.DataFrame(columns=list(comp_cols.values()))
    )
    return out


def profile_sentence(profile: dict) -> str:
    """One plain sentence on the selected LSOA (the panel's summary for screen readers too)."""
    name = f"{profile['code']} ({profile['name']})" if profile["name"] else profile["code"]
    parts = [f"Selected neighbourhood {name}"]
    if profile["lcp"]:
        parts.append(f" in {profile['lcp']}")
    facts = []
    if profile["imd_decile"] is not None:
        facts.append(f"IMD 2025 national decile {profile['imd_decile']:.0f}")
    share = profile["share_within_reach"]
    if share is not None and profile["radius_m"] is not None:
        facts.append(f"{share:.0%} of residents within {profile['radius_m']:,.0f} m of an open hub")
    text = "".join(parts)
    return f"{text}: {'; '.join(facts)}." if facts else f"{text}."


def selected_first(table: pd.DataFrame, code: str | None) -> pd.DataFrame | Styler:
    """The Map page's table with the selected LSOA's row first and highlighted.

    Without a selection (or a code not in the table) the table comes back unchanged.
    """
    if not code or not bool((table[c.LSOA] == code).any()):
        return table
    is_sel = table[c.LSOA] == code
    ordered = pd.concat([table[is_sel], table[~is_sel]]).reset_index(drop=True)
    return ordered.style.apply(
        lambda row: [SELECTED_ROW_CSS if row[c.LSOA] == code else ""] * len(row), axis=1
    )
