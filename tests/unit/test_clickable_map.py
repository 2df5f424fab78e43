"""Clickable maps load nothing from another host: folium's CDN links are replaced or refused."""

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


def test_a_clickable_map_lets_people_zoom_its_frame():
    import folium

    from app_pages.clickable_map import make_offline

    m = make_offline(make_offline(folium.Map(tiles=None)))  # twice: still one viewport tag
    m.render()
    header = m.get_root().header.render()
    assert "user-scalable=no" not in header and "maximum-scale" not in header
    assert header.count('name="viewport"') == 1
