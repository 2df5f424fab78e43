"""Clickable maps load nothing from another host: folium's CDN links are replaced or refused."""

import re

import branca
import folium
import pytest

from app_pages.clickable_map import RemoteAssetError, make_offline, map_links
from data.assets import LEAFLET_CSS, LEAFLET_JS


def test_folium_defaults_would_load_from_cdns():
    js, css = map_links(folium.Map(tiles=None))
    assert any("cdn.jsdelivr.net" in link for link in js + css)


def test_make_offline_serves_leaflet_from_the_app_only():
    fmap = make_offline(folium.Map(tiles=None))
    folium.Rectangle([(53.78, -1.6), (53.82, -1.5)]).add_to(fmap)
    folium.CircleMarker((53.8, -1.55), radius=5).add_to(fmap)
    assert map_links(fmap) == ([LEAFLET_JS], [LEAFLET_CSS])
    assert LEAFLET_JS.startswith("/app/static/")


def test_a_branca_colormap_legend_is_refused_because_it_pulls_d3_from_a_cdn():
    fmap = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["#fde725", "#440154"], vmin=0, vmax=1).add_to(fmap)
    with pytest.raises(RemoteAssetError, match="d3js.org"):
        make_offline(fmap)


def test_a_cdn_plugin_is_refused():
    from folium.plugins import Fullscreen

    fmap = folium.Map(tiles=None)
    Fullscreen().add_to(fmap)
    with pytest.raises(RemoteAssetError, match="another host"):
        make_offline(fmap)


def _capture(monkeypatch) -> list[dict]:
    import streamlit_folium

    calls: list[dict] = []

    def fake_component(**kwargs):
        calls.append(kwargs)
        return kwargs["default"]

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    return calls


def _same_ids(value):
    # folium names each element with a random 32-hex id; two identical maps differ only there.
    return re.sub(r"[0-9a-f]{32}", "ID", value) if isinstance(value, str) else value


def test_a_prepared_map_sends_the_frontend_exactly_what_st_folium_would(monkeypatch):
    from streamlit_folium import st_folium

    from app_pages.clickable_map import (
        _frame_title,
        _instant_clicks,
        make_offline,
        prepare_clickable_map,
        show_clickable_map,
    )
    from app_pages.figures.maps import MAP_TITLE

    def build() -> tuple[folium.Map, folium.FeatureGroup]:
        fmap = folium.Map(location=(53.8, -1.55), zoom_start=12, tiles=None)
        folium.Rectangle([(53.78, -1.6), (53.82, -1.5)], tooltip="An LSOA").add_to(fmap)
        folium.Element('<div class="hc-legend">Legend</div>').add_to(fmap.get_root().html)
        layer = folium.FeatureGroup(name="Selected")
        folium.Rectangle([(53.79, -1.58), (53.8, -1.56)], interactive=False).add_to(layer)
        return fmap, layer

    calls = _capture(monkeypatch)
    fmap, layer = build()
    show_clickable_map(
        prepare_clickable_map(fmap),
        key="k",
        height=400,
        center=(53.8, -1.5),
        zoom=14,
        feature_group_to_add=layer,
    )
    fmap, layer = build()
    _frame_title(MAP_TITLE).add_to(make_offline(fmap))
    _instant_clicks().add_to(fmap)
    st_folium(
        fmap,
        key="k",
        height=400,
        use_container_width=True,
        returned_objects=["last_clicked"],
        center=(53.8, -1.5),
        zoom=14,
        feature_group_to_add=layer,
    )
    ours, theirs = (
        {k: _same_ids(v) for k, v in call.items() if k not in ("on_change", "key")}
        for call in calls
    )
    # Only difference: folium's no-zoom viewport is dropped and a visible focus style added.
    assert "user-scalable=no" in theirs["header"] and "user-scalable" not in ours["header"]
    from app_pages.figures.maps import FOCUS_CSS

    expected = re.sub(r'<meta name="viewport"[^>]*>', "", theirs.pop("header")) + FOCUS_CSS
    assert ours.pop("header") == expected
    assert ours == theirs
    assert "hc-legend" in ours["html"] and "addLayer(feature_group" in ours["feature_group"]
    assert ours["js_links"] == [LEAFLET_JS]


def test_a_changing_layer_does_not_change_the_drawn_map(monkeypatch):
    from app_pages.clickable_map import prepare_clickable_map, show_clickable_map

    calls = _capture(monkeypatch)
    fmap = folium.Map(location=(53.8, -1.55), zoom_start=12, tiles=None)
    prepared = prepare_clickable_map(fmap)
    for bounds in ([(53.79, -1.58), (53.8, -1.56)], [(53.81, -1.52), (53.82, -1.5)]):
        layer = folium.FeatureGroup(name="Selected")
        folium.Rectangle(bounds, interactive=False).add_to(layer)
        show_clickable_map(prepared, key="k", feature_group_to_add=layer)
    first, second = calls
    # Same widget (key and script): the frontend keeps the map and swaps only the layer.
    assert first["key"] == second["key"] and first["script"] == second["script"]
    assert first["feature_group"] != second["feature_group"]


def test_a_layer_that_would_load_from_a_cdn_is_refused():
    from folium.plugins import Fullscreen

    from app_pages.clickable_map import layer_script

    layer = folium.FeatureGroup(name="Bad")
    Fullscreen().add_to(layer)
    with pytest.raises(RemoteAssetError, match="another host"):
        layer_script(layer)


def test_the_map_names_its_frame_and_a_hostile_title_stays_text():
    from app_pages.clickable_map import prepare_clickable_map

    prepared = prepare_clickable_map(folium.Map(tiles=None), "Map {{ 7*7 }} </script><b>")
    assert "window.frameElement.title" in prepared.script
    assert "</script>" not in prepared.script.split("frameElement.title")[1].split(";")[0]
    assert "{{" not in prepared.script and "49" not in prepared.script


def test_the_instant_click_script_is_in_the_map_and_names_the_drawn_map():
    from app_pages.clickable_map import prepare_clickable_map

    fmap = folium.Map(location=(53.8, -1.55), zoom_start=12, tiles=None)
    prepared = prepare_clickable_map(fmap)
    # st_folium's frontend runs the script with the map named map_div (and window.map).
    assert re.search(r"\}\)\(map_div\);", prepared.script)
    assert "lib.setComponentValue(value)" in prepared.script
    assert '"last_clicked", "last_object_clicked"' in prepared.script


def test_the_pinned_streamlit_folium_bundle_still_has_what_the_instant_click_script_uses():
    """Guard for an upgrade: the script relies on the component's globals and its value shape."""
    from pathlib import Path

    import streamlit_folium

    build = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    bundle = "".join(p.read_text() for p in build.glob("main.*.js"))
    assert "window.Streamlit=" in bundle
    assert "(updateComponentValue,250)" in bundle
    assert "function onMapClick(t){window.__GLOBAL_DATA__.lat_lng_clicked=t.latlng," in bundle
    # The value is built in this key order from these fields, filtered by returned_objects,
    # and sent only when its JSON differs from previous_data.
    assert (
        "let c={last_clicked:a(e.lat_lng_clicked),last_object_clicked:a(e.last_object_clicked),"
        "last_object_clicked_count:e.last_object_clicked_count,"
        "last_object_clicked_tooltip:e.last_object_clicked_tooltip," in bundle
    )
    assert "e.returned_objects.includes(n)" in bundle
    assert "JSON.stringify(n)!==JSON.stringify(u)&&(e.previous_data=u," in bundle
    # The map's own script runs before the component adds its click listener.
    assert 'script+"window.map = map_div; window.initComponent(map_div, ' in bundle
