"""Folium map builders that work offline: local Leaflet, no d3 legend, tiles optional and off."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import polyline
import shapely
from branca.element import MacroElement, Template

from geo.shapes import require_wgs84
from utils import constants as c
from utils.view_state import ALL_LEEDS, lsoas_in_area

LEEDS_CENTRE = (53.8, -1.55)
DEFAULT_ZOOM = 11
NO_DATA_COLOUR = "#d9d9d9"
REAL_HUB_COLOUR = "#08306b"
SAMPLE_HUB_COLOUR = "#e66101"
NEW_SITE_COLOUR = "#d01c8b"
HIGHLIGHT_COLOUR = "#e7298a"

# Property keys in the LSOA GeoJSON are short: the features travel to every browser on each view.
_P_CODE, _P_NAME, _P_MSOA, _P_WARD, _P_VALUE, _P_DECILE, _P_CLASS = (
    "c",
    "n",
    "m",
    "w",
    "v",
    "d",
    "k",
)


def classify(values: pd.Series, n_classes: int = 7) -> tuple[pd.Series, list[float]]:
    """Split values into quantile classes (0 = lowest) for a choropleth.

    Parameters
    ----------
    values : pd.Series
        Numeric values; NaN stays NaN.
    n_classes : int
        Number of classes wanted; fewer are used when values have fewer distinct levels.

    Returns
    -------
    tuple of (pd.Series, list of float)
        Class index per value (float, NaN for missing) and the class breaks (n+1 edges).
    """
    valid = values.dropna().astype(float)
    if valid.empty:
        return pd.Series(np.nan, index=values.index), []
    distinct = np.unique(valid)
    if len(distinct) <= n_classes:
        edges = [*distinct.tolist(), float(distinct[-1])]
        classes = values.map(
            lambda v: float(np.searchsorted(distinct, v)) if pd.notna(v) else np.nan
        )
        return classes, edges
    edges = np.unique(np.quantile(valid, np.linspace(0, 1, n_classes + 1))).tolist()
    inner = np.array(edges[1:-1])
    classes = values.map(
        lambda v: float(np.searchsorted(inner, v, side="right")) if pd.notna(v) else np.nan
    )
    return classes, edges


def class_colours(n_classes: int, higher_is_worse: bool = True) -> list[str]:
    """Viridis-like colours for n classes, darkest for the worst (most deprived) class."""
    palette = list(c.PALETTE_SEQUENTIAL)
    idx = np.linspace(0, len(palette) - 1, max(n_classes, 1)).round().astype(int)
    colours = [palette[i] for i in idx]
    return colours if higher_is_worse else colours[::-1]


def format_value(value: float) -> str:
    """Short human format for tooltips and legends."""
    if pd.isna(value):
        return "no data"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def _legend_element(
    title: str, labels: list[str], colours: list[str], notes: list[str]
) -> MacroElement:
    """A plain-HTML Leaflet control (no d3) listing class colours."""
    rows = "".join(
        f'<div><span style="background:{col}"></span>{html.escape(lab)}</div>'
        for col, lab in zip(colours, labels, strict=True)
    )
    rows += "".join(f'<div class="hc-note">{note}</div>' for note in notes)
    body = f'<div class="hc-title">{html.escape(title)}</div>{rows}'
    element = MacroElement()
    element._template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var legend = L.control({position: 'bottomright'});
          legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'hc-legend');
            div.innerHTML = """
        + script_json(body)
        + """;
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
          var css = document.createElement('style');
          css.innerHTML = '.hc-legend{background:#fff;padding:8px 10px;font:15px/1.35 sans-serif;'
            + 'border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.35);max-width:280px}'
            + '.hc-legend span{display:inline-block;width:16px;height:14px;margin-right:6px;'
            + 'vertical-align:middle;border:1px solid #777}'
            + '.hc-legend .hc-title{font-weight:bold;margin-bottom:4px}'
            + '.hc-legend .hc-note{margin-top:4px;font-size:13px}';
          document.head.appendChild(css);
        })();
        {% endmacro %}
        """
    )
    return element


def encode_geometry(geom: shapely.Geometry) -> list[list[str]]:
    """Encode a (multi)polygon as polygons of rings in Google's encoded-polyline format.

    Five decimals (about 1 m) as lon/lat pairs; the browser decodes them back to GeoJSON. An
    encoded ring takes about a fifth of the bytes of the same ring as GeoJSON text.
    """
    polys = [geom] if isinstance(geom, shapely.Polygon) else list(getattr(geom, "geoms", []))
    return [
        [polyline.encode(list(ring.coords), 5, geojson=True) for ring in (p.exterior, *p.interiors)]
        for p in polys
        if isinstance(p, shapely.Polygon) and not p.is_empty
    ]


def encoded_features(gdf: gpd.GeoDataFrame, props: list[dict] | None = None) -> list[dict]:
    """Features for ``EncodedPolygons``: properties plus encoded geometry, one per row."""
    require_wgs84(gdf)
    props = props or [{} for _ in range(len(gdf))]
    return [{"p": p, "g": encode_geometry(g)} for p, g in zip(props, gdf.geometry, strict=True)]


def encode_shapes(gdf: gpd.GeoDataFrame, key_col: str = c.LSOA) -> dict[str, list[list[str]]]:
    """Encoded geometry by key (e.g. LSOA code), for loaders to cache once per server."""
    require_wgs84(gdf)
    return {k: encode_geometry(g) for k, g in zip(gdf[key_col], gdf.geometry, strict=True)}


def lsoa_features(
    shapes: gpd.GeoDataFrame | dict[str, list[list[str]]],
    table: pd.DataFrame,
    value_col: str,
    decile_col: str | None,
    highlight: set[str] | None = None,
) -> list[dict]:
    """Encoded LSOA features carrying only what the tooltip and style need.

    Parameters
    ----------
    shapes : GeoDataFrame or dict
        LSOA code and (simplified) geometry in EPSG:4326, or its ``encode_shapes`` result.
    table : DataFrame
        One row per LSOA with names, ward, MSOA name, the value and decile columns.
    value_col, decile_col : str
        Columns to show.
    highlight : set of str, optional
        LSOA codes to outline strongly (e.g. uncovered high-need areas).
    """
    encoded = shapes if isinstance(shapes, dict) else encode_shapes(shapes)
    merged = pd.DataFrame({c.LSOA: list(encoded)}).merge(
        table, on=c.LSOA, how="left", validate="one_to_one"
    )
    classes, _ = classify(merged[value_col])
    blank = pd.Series("", index=merged.index)
    props = pd.DataFrame(
        {
            _P_CODE: merged[c.LSOA],
            _P_NAME: merged.get(c.LSOA_NAME, blank).fillna(""),
            _P_MSOA: merged.get(c.MSOA_NAME, blank).fillna(""),
            _P_WARD: merged.get(c.WARD_NAME, blank).fillna(""),
            _P_VALUE: merged[value_col].map(format_value),
            _P_DECILE: blank if decile_col is None else merged[decile_col].map(format_value),
            _P_CLASS: classes.fillna(-1).astype(int),
        }
    ).to_dict("records")
    highlight = highlight or set()
    for prop in props:
        if prop[_P_CODE] in highlight:
            prop["h"] = 1
    return [{"p": prop, "g": encoded[prop[_P_CODE]]} for prop in props]


class EncodedPolygons(MacroElement):
    """A Leaflet GeoJSON layer sent as encoded polylines and decoded in the browser.

    Parameters
    ----------
    features : list of dict
        From ``encoded_features``/``lsoa_features``: ``{"p": properties, "g": polygons}``.
    style_js : str
        A JavaScript function ``feature -> Leaflet path style``.
    tooltip_js : str, optional
        A JavaScript function ``(properties, esc) -> html``; ``esc`` escapes text.
    interactive : bool
        Whether paths react to the mouse (outline layers do not).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          function decode(s) {
            var pts = [], i = 0, lat = 0, lng = 0;
            while (i < s.length) {
              var b, shift = 0, r = 0;
              do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
              lat += (r & 1) ? ~(r >> 1) : (r >> 1);
              shift = 0; r = 0;
              do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
              lng += (r & 1) ? ~(r >> 1) : (r >> 1);
              pts.push([lng / 1e5, lat / 1e5]);
            }
            return pts;
          }
          function esc(v) {
            return String(v).replace(/[&<>"']/g, function(ch) {
              return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[ch];
            });
          }
          var raw = {{ this.features_json }};
          var fc = {type: "FeatureCollection", features: raw.map(function(f) {
            return {type: "Feature", properties: f.p, geometry: {type: "MultiPolygon",
              coordinates: f.g.map(function(poly) { return poly.map(decode); })}};
          })};
          var style = {{ this.style_js }};
          var tooltip = {{ this.tooltip_js }};
          var layer = L.geoJSON(fc, {
            style: style,
            interactive: {{ this.interactive }},
            onEachFeature: function(feature, layer) {
              if (tooltip) { layer.bindTooltip(tooltip(feature.properties, esc), {sticky: false}); }
              if ({{ this.interactive }}) {
                layer.on({
                  mouseover: function(e) { e.target.setStyle({weight: 2, color: "#000000"}); },
                  mouseout: function(e) { e.target.setStyle(style(e.target.feature)); }
                });
              }
            }
          }).addTo({{ this._parent.get_name() }});
          // Chromium puts every SVG path with a focus listener (Leaflet's tooltips) in the Tab
          // order: 488 stops before the page goes on. Keyboard users get these values from the
          // table beside each map instead; the map itself still takes focus (arrows pan).
          layer.eachLayer(function(l) {
            var el = l.getElement && l.getElement();
            if (el) { el.setAttribute("tabindex", "-1"); }
          });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: list[dict],
        style_js: str,
        tooltip_js: str | None = None,
        interactive: bool = True,
    ) -> None:
        super().__init__()
        self._name = "EncodedPolygons"
        self.features_json = script_json(features)
        self.style_js = style_js
        self.tooltip_js = tooltip_js or "null"
        self.interactive = "true" if interactive else "false"


def _lsoa_tooltip_js(label: str, with_decile: bool) -> str:
    """Tooltip rows: code, name, MSOA name, ward, the value and its national decile."""
    rows = [
        ("LSOA code", _P_CODE),
        ("LSOA name", _P_NAME),
        ("Neighbourhood (MSOA)", _P_MSOA),
        ("Ward", _P_WARD),
        (label, _P_VALUE),
    ]
    if with_decile:
        rows.append(("National decile (1 = most deprived)", _P_DECILE))
    parts = " + ".join(
        f"'<tr><th style=\"text-align:left;padding-right:8px\">' + esc({script_json(lab)}) + "
        f"'</th><td>' + esc(p.{key}) + '</td></tr>'"
        for lab, key in rows
    )
    return f"function(p, esc) {{return '<table>' + {parts} + '</table>';}}"


def _outline_style_js(colour: str, weight: float, solid_statuses: tuple[str, ...] = ()) -> str:
    """Outline style; with ``solid_statuses``, features whose status is not listed draw dashed."""
    if solid_statuses:
        dash = f"{json.dumps(list(solid_statuses))}.indexOf(f.properties.s) >= 0 ? null : '6 5'"
    else:
        dash = "null"
    return (
        f"function(f) {{return {{fill: false, color: '{colour}', weight: {weight}, "
        f"opacity: 0.9, dashArray: {dash}}};}}"
    )


def _lsoa_style_js(colours: list[str]) -> str:
    """A Leaflet style function: fill by class index, strong outline for highlighted LSOAs."""
    return (
        "function(f) {var k = f.properties.k, h = f.properties.h;"
        f"return {{fillColor: k < 0 ? '{NO_DATA_COLOUR}' : {json.dumps(colours)}[k],"
        f"fillOpacity: 0.75, color: h ? '{HIGHLIGHT_COLOUR}' : '#555555', weight: h ? 3 : 0.4}};}}"
    )


def _offline_map(asset_js: str, asset_css: str, base_tiles: bool) -> folium.Map:
    m = folium.Map(location=LEEDS_CENTRE, zoom_start=DEFAULT_ZOOM, tiles=None, control_scale=True)
    # Serve Leaflet from the app itself; drop folium's CDN jQuery/Bootstrap/Font Awesome (unused).
    m.default_js = [("leaflet", asset_js)]
    m.default_css = [("leaflet_css", asset_css)]
    if base_tiles:
        # Optional, off by default; needs internet and fails quietly without it.
        folium.TileLayer(
            "OpenStreetMap",
            name="Street map (needs internet)",
            overlay=True,
            show=False,
            control=True,
        ).add_to(m)
    return m


class PointMarkers(MacroElement):
    """Circle markers (and optional reach rings) drawn from one JSON list in the browser.

    One element for many points keeps the map script small and quick to build, unlike one folium
    marker and tooltip per point.

    Parameters
    ----------
    points : list of dict
        ``{"lat", "lon", "tip"}``; ``tip`` is tooltip HTML the caller has already escaped.
    marker : dict
        Leaflet circleMarker options (radius, color, fillColor, className …); ``halo``, a
        colour, adds a ring of that colour just outside the marker.
    ring_m : float, optional
        Radius in metres of a reach ring drawn around each point.
    ring : dict, optional
        Leaflet circle options for the rings.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          var marker = {{ this.marker_json }}, ring = {{ this.ring_json }};
          {{ this.points_json }}.forEach(function(p) {
            if ({{ this.ring_m }} > 0) {
              L.circle([p.lat, p.lon], Object.assign({radius: {{ this.ring_m }}, interactive: false}, ring)).addTo(map);
            }
            if (marker.halo) {
              // A ring in a second colour under the marker: it stands out 3:1 on light and dark.
              L.circleMarker([p.lat, p.lon], {radius: marker.radius + marker.weight + 1,
                stroke: false, fillColor: marker.halo, fillOpacity: 1, interactive: false}).addTo(map);
            }
            L.circleMarker([p.lat, p.lon], marker).bindTooltip(p.tip).addTo(map);
          });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        points: list[dict],
        marker: dict,
        ring_m: float | None = None,
        ring: dict | None = None,
    ) -> None:
        super().__init__()
        self._name = "PointMarkers"
        self.points_json = script_json(points)
        self.marker_json = script_json(marker)
        self.ring_json = script_json(ring or {})
        self.ring_m = float(ring_m or 0)


# "{" that would open a Jinja tag ("{{", "{%", "{#"). In JSON text these occur only inside strings
# (a structural "{" is followed by '"' or '}'), where "\u007b" reads back as the same "{".
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_HTML_CHARS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_json(value: object) -> str:
    """JSON that stays data inside a folium script: the one way text enters a map.

    Branca renders a map's script as a Jinja template a second time, so a "{%", "{#" or "{{"
    in a hub, venue or LCP name would run (or break) on the server; "<", ">" and "&" could end
    the script tag or start markup. All of them are written as JSON ``\\u`` escapes, which the
    browser's JavaScript reads back as the very same characters.
    """
    text = json.dumps(value, separators=(",", ":"))
    text = _JINJA_OPEN.sub(lambda _m: "\\u007b", text)
    return re.sub("[<>&]", lambda m: _HTML_CHARS[m.group()], text)


def _add_hub_markers(m: folium.Map, hubs: pd.DataFrame, rings_m: float | None) -> None:
    located = hubs[hubs[c.HUB_LAT].notna() & hubs[c.HUB_LON].notna()]
    is_sample = (
        located[c.HUB_SAMPLE].fillna(False).astype(bool)
        if c.HUB_SAMPLE in located
        else pd.Series(False, index=located.index)
    )
    for sample, group in located.groupby(is_sample):
        kind = "Sample hub (illustrative, not a real site)" if sample else "Digital Health Hub"
        colour = SAMPLE_HUB_COLOUR if sample else REAL_HUB_COLOUR
        points = [
            {"lat": lat, "lon": lon, "tip": f"<b>{html.escape(str(name))}</b><br>{kind}"}
            for lat, lon, name in zip(
                group[c.HUB_LAT], group[c.HUB_LON], group[c.HUB_NAME], strict=True
            )
        ]
        # Samples differ in more than colour: a dashed black outline (WCAG 1.4.1), named in the legend.
        marker = {
            "radius": 7 if sample else 8,
            "color": "#000000" if sample else "#ffffff",
            "weight": 2,
            "dashArray": "3 2" if sample else None,
            "halo": "#ffffff" if sample else None,
            "fillColor": colour,
            "fillOpacity": 0.95,
            "className": "hc-hub hc-hub-sample" if sample else "hc-hub hc-hub-real",
        }
        ring = {"color": colour, "weight": 1, "fill": False, "dashArray": "4 4"}
        PointMarkers(points, marker, rings_m, ring).add_to(m)


def _add_new_sites(m: folium.Map, sites: pd.DataFrame, rings_m: float | None) -> None:
    labels = sites["site"] if "site" in sites else pd.Series("", index=sites.index)
    points = [
        {"lat": lat, "lon": lon, "tip": f"<b>Recommended site {i}</b><br>{html.escape(str(label))}"}
        for i, (lat, lon, label) in enumerate(
            zip(sites[c.LAT], sites[c.LON], labels, strict=True), 1
        )
    ]
    # Circle markers with a dark outline set sites apart from hubs (and need no marker plugin).
    marker = {
        "radius": 10,
        "color": "#000000",
        "weight": 3,
        "fillColor": NEW_SITE_COLOUR,
        "fillOpacity": 1,
        "className": "hc-new-site",
        "halo": "#ffffff",
    }
    PointMarkers(
        points, marker, rings_m, {"color": NEW_SITE_COLOUR, "weight": 2, "fill": False}
    ).add_to(m)


def _add_lsoa_layer(
    m: folium.Map, data: dict, colours: list[str], label: str, with_decile: bool
) -> None:
    """The LSOA choropleth: styling and tooltips run in the browser from a few properties.

    Python never loops to build per-feature styles and the page carries compact encoded shapes.
    """
    EncodedPolygons(data, _lsoa_style_js(colours), _lsoa_tooltip_js(label, with_decile)).add_to(m)


def _add_outline_layers(
    m: folium.Map,
    wards: gpd.GeoDataFrame | None,
    lcp_outlines: gpd.GeoDataFrame | None,
    outline: gpd.GeoDataFrame | None,
) -> list[str]:
    """Ward (white), LCP (black, dashed unless official/described) and Leeds outlines.

    Returns the legend notes they need.
    """
    notes = []
    if wards is not None:
        EncodedPolygons(
            encoded_features(wards), _outline_style_js("#ffffff", 1.2), interactive=False
        ).add_to(m)
    if lcp_outlines is not None:
        props = [{"s": s} for s in lcp_outlines[c.LCP_STATUS]]
        EncodedPolygons(
            encoded_features(lcp_outlines, props),
            _outline_style_js("#000000", 2.5, solid_statuses=("described", "official")),
            interactive=False,
        ).add_to(m)
        notes.append(
            "Solid black: LCP footprint official or as publicly described; dashed: approximate or "
            "provisional (not official)"
        )
    if outline is not None:
        EncodedPolygons(
            encoded_features(outline), _outline_style_js("#000000", 3), interactive=False
        ).add_to(m)
    return notes


def _add_point_layers(
    m: folium.Map,
    hubs: pd.DataFrame | None,
    new_sites: pd.DataFrame | None,
    rings_m: float | None,
) -> list[str]:
    """Hub markers and recommended new sites (with rings); returns their legend notes."""
    notes = []
    if hubs is not None and len(hubs):
        _add_hub_markers(m, hubs, rings_m)
        notes.append(
            f'<span style="background:{REAL_HUB_COLOUR};border-radius:8px"></span>hub'
            f' &nbsp; <span style="background:{SAMPLE_HUB_COLOUR};border:2px dashed #000;'
            'border-radius:8px"></span>sample hub (illustrative, dashed outline)'
        )
    if new_sites is not None and len(new_sites):
        _add_new_sites(m, new_sites, rings_m)
        notes.append(
            f'<span style="background:{NEW_SITE_COLOUR};border:2px solid #000;border-radius:8px">'
            "</span>recommended new site"
        )
    return notes


def _class_labels(edges: Sequence[float]) -> list[str]:
    """Legend labels of the colour classes: 'lo – hi' ranges, or the levels when discrete."""
    if len(edges) > 1 and len(set(edges)) == len(edges) - 1:  # discrete levels (e.g. deciles)
        return [format_value(v) for v in edges[:-1]]
    if len(edges) > 1:
        return [
            f"{format_value(lo)} – {format_value(hi)}"
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    return ["no data"]


def build_hub_map(
    shapes: gpd.GeoDataFrame,
    table: pd.DataFrame,
    value_col: str,
    *,
    label: str,
    asset_js: str,
    asset_css: str,
    higher_is_worse: bool = True,
    decile_col: str | None = c.IMD_DECILE,
    wards: gpd.GeoDataFrame | None = None,
    outline: gpd.GeoDataFrame | None = None,
    lcp_outlines: gpd.GeoDataFrame | None = None,
    hubs: pd.DataFrame | None = None,
    rings_m: float | None = None,
    highlight: Iterable[str] | None = None,
    new_sites: pd.DataFrame | None = None,
    base_tiles: bool = False,
) -> folium.Map:
    """Choropleth of Leeds LSOAs with outlines, hub markers and a plain-HTML legend.

    Parameters
    ----------
    shapes : GeoDataFrame
        LSOA code + simplified geometry (EPSG:4326).
    table : DataFrame
        One row per LSOA: names, ward, MSOA name, ``value_col`` and ``decile_col``.
    value_col : str
        The column to colour by.
    label : str
        Legend title.
    asset_js, asset_css : str
        URLs of Leaflet's JS and CSS served by the app (no CDN).
    higher_is_worse : bool
        True when a higher value means more deprived (dark colours for the worst).
    wards, outline, lcp_outlines : GeoDataFrame, optional
        Outline layers (EPSG:4326). ``lcp_outlines`` needs columns ``lcp`` and ``lcp_status``;
        non-official footprints draw dashed.
    hubs : DataFrame, optional
        Hub register rows with latitude, longitude, name, sample.
    rings_m : float, optional
        Draw catchment rings of this radius (metres) around hubs and new sites.
    highlight : iterable of str, optional
        LSOA codes to outline strongly.
    new_sites : DataFrame, optional
        Recommended sites with ``lat``, ``lon`` and ``site`` columns.
    base_tiles : bool
        Offer an OpenStreetMap layer (off until the user ticks it).

    Returns
    -------
    folium.Map
    """
    m = _offline_map(asset_js, asset_css, base_tiles)
    highlight_set = set(highlight) if highlight is not None else set()
    data = lsoa_features(shapes, table, value_col, decile_col, highlight_set)
    _, edges = classify(table[value_col])
    colours = class_colours(max(len(edges) - 1, 1), higher_is_worse)
    _add_lsoa_layer(m, data, colours, label, decile_col is not None)
    notes = _add_outline_layers(m, wards, lcp_outlines, outline)
    notes += _add_point_layers(m, hubs, new_sites, rings_m)
    if highlight_set:
        notes.append(
            f'<span style="background:#fff;border:3px solid {HIGHLIGHT_COLOUR}"></span>'
            "high need, most residents beyond reach"
        )
    labels = _class_labels(edges)
    _legend_element(label, labels, colours[: len(labels)], notes).add_to(m)
    if base_tiles:
        folium.LayerControl(collapsed=True).add_to(m)
    return m


def fit_to_area(m: folium.Map, lsoas: gpd.GeoDataFrame, area: str) -> None:
    """Zoom a map to one LCP's LSOAs; "All Leeds" (or an area with none) keeps the Leeds view."""
    in_area = lsoas_in_area(lsoas, area)
    if area == ALL_LEEDS or len(in_area) == 0:
        return
    minx, miny, maxx, maxy = in_area.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])


MAP_TITLE = "Map of Leeds neighbourhoods and hubs"
# folium's page forbids zooming (WCAG 1.4.4 / axe meta-viewport): let people pinch-zoom.
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
# A visible keyboard focus on the map (arrow keys pan, +/- zoom) and its zoom buttons (2.4.7).
FOCUS_CSS = (
    "<style>.leaflet-container:focus-visible{outline:3px solid #0b0c0c;outline-offset:-3px;"
    "box-shadow:inset 0 0 0 6px #ffffff}.leaflet-container a:focus-visible{outline:3px solid "
    "#0b0c0c;outline-offset:1px}</style>"
)


def map_document(m: folium.Map, title: str = MAP_TITLE) -> str:
    """The map as one complete HTML page (Leaflet linked from the app's static folder).

    Pages show this page in Streamlit's own HTML frame; exports inline Leaflet into it. The
    page states its language and title and lets the user zoom (folium's own page does not),
    so screen readers announce the frame and axe finds nothing to fix inside it.
    """
    page = m.get_root().render()
    page = page.replace("<html>", '<html lang="en-GB">', 1)
    page = re.sub(r'<meta name="viewport"[^>]*>', lambda _m: _VIEWPORT, page, count=1)
    head = f"<head>\n    <title>{html.escape(title)}</title>\n    {FOCUS_CSS}"
    return page.replace("<head>", head, 1)


def map_asset_links(m: folium.Map) -> list[str]:
    """Every JS/CSS URL a rendered map would load (for tests and the offline check)."""
    links: list[str] = []

    def walk(element: object) -> None:
        links.extend(url for _, url in getattr(element, "default_js", []))
        links.extend(url for _, url in getattr(element, "default_css", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(links))
