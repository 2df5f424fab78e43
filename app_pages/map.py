"""Map page: LSOA choropleth of a chosen indicator with outlines, hubs and a table alternative.

Clicking an LSOA (or picking it from the list, or typing a postcode) opens its profile beside
the map; the selection is in the URL (``lsoa=``, ``pc=``).
"""

from functools import partial

import streamlit as st

from app_pages import common, map_layers
from app_pages.clickable_map import pending_click, show_clickable_map
from app_pages.figures import profile as profile_fig
from app_pages.figures import summaries
from data import loaders
from geo.profile import (
    PostcodeLookupError,
    find_postcode,
    lsoa_at_point,
    normalise_lsoa_code,
    profile_table,
)
from utils import constants as c
from utils.indicators import indicator_table
from utils.text import message
from utils.view_state import ALL_LEEDS, ParamSpec, lsoas_in_area

MAP_KEY = "map_click"


def _select(code: str | None, zoom_to: bool = True) -> None:
    """Make ``code`` the selected LSOA (before the list widget is drawn); centre the map on it."""
    st.session_state["map_lsoa"] = code
    if code and zoom_to:
        st.session_state["map_view"] = profile_fig.selection_view(
            map_layers.lsoa_click_shapes(), code
        )


def _find_postcode(text: str) -> None:
    """Select the LSOA containing a typed postcode and zoom there, or say why it cannot."""
    st.session_state.pop("map_pc_problem", None)
    try:
        found = find_postcode(text, loaders.load_postcodes())
    except PostcodeLookupError as err:
        st.session_state["map_pc_problem"] = message("{why}", why=err)
        return
    _select(found.lsoa, zoom_to=False)
    st.session_state["map_view"] = ((found.lat, found.lon), profile_fig.SELECTED_ZOOM + 1)
    st.session_state["map_pc_found"] = (found.postcode, found.lsoa)


def _on_postcode() -> None:
    if text := (st.session_state.get("map_pc") or "").strip():
        _find_postcode(text)


def _on_pick() -> None:
    _select(st.session_state.get("map_lsoa"))
    st.session_state.pop("map_pc_found", None)


_URL_MEMORY = "map_selection"


def _selection_specs(lsoas) -> list[ParamSpec]:
    """The Map page's own URL parameters: the selected LSOA and a postcode search."""
    return [
        ParamSpec(
            "lsoa",
            None,
            lambda v: normalise_lsoa_code(v, lsoas),
            lambda v: v is not None,
            "neighbourhood (LSOA) code",
            lambda _v: "the map without a selected neighbourhood",
        ),
        ParamSpec("pc", None, str, lambda v: bool(v.strip()), "postcode", lambda _v: "no search"),
    ]


def url_selection(lsoas) -> None:
    """Apply the link's ``lsoa=`` and ``pc=`` on a fresh visit (common.url_view, like every page).

    A bad LSOA code is ignored with a notice, like the shared parameters; a postcode that is
    unknown or outside Leeds says so. ``pc`` wins over ``lsoa`` when both are given.
    """
    view = common.url_view(_selection_specs(lsoas), _URL_MEMORY)
    if not view.from_url:
        return
    for notice in view.notices:
        st.toast(notice)
    if view.values["lsoa"]:
        _select(view.values["lsoa"])
    if view.values["pc"]:
        st.session_state["map_pc"] = view.values["pc"]
        _find_postcode(view.values["pc"])


def sync_selection_url(lsoas, code: str | None) -> None:
    """Keep ``lsoa=`` (and a postcode search's ``pc=``) in the address bar for the selection."""
    found = st.session_state.get("map_pc_found")
    postcode = found[0] if found and found[1] == code else None
    common.keep_view(_selection_specs(lsoas), _URL_MEMORY, {"lsoa": code, "pc": postcode})


def map_download(indicator: str, area: str, tiles: bool, demo: bool) -> str:
    """The map as one offline HTML file (built when someone clicks download)."""
    page_html = map_layers.map_page_document(indicator, area, tiles, demo=demo)
    return map_layers.standalone_map_document(page_html, common.titled(f"{label}, {area}"))


def show_profile(code: str) -> None:
    """The selected LSOA's profile: every field the issue lists, as text and small tables."""
    prof = loaders.load_lsoa_profile(code, int(view["r"]), demo=demo)
    common.figure_summary(profile_fig.profile_sentence(prof))
    # Small static tables: real HTML tables for screen readers, and no data grid code (~1.3 MB,
    # loaded only when the page's full table is asked for) just to show a selection.
    st.table(profile_table(prof).set_index("field").rename_axis(None))
    sections = profile_fig.profile_sections(prof)
    with st.expander("Deprivation domains (national deciles)"):
        st.table(sections["domains"].set_index("Domain"))
    with st.expander("Digital exclusion risk: indicators and components"):
        st.table(sections["components"].set_index("Component"))
        st.table(sections["indicators"])


view = common.shared_view()
demo = common.demo_mode()
indicator = view["ind"]
label = c.INDICATORS[indicator][0]

st.title("Map: deprivation and hubs by neighbourhood")
st.caption(
    f"{label}. Source: {c.SOURCE_IOD2025}; {c.SOURCE_BOUNDARIES}. "
    "Boundaries simplified for drawing. Hover a neighbourhood for details."
)
all_lsoas = loaders.load_lsoas_with_lcp()
area_lsoas = lsoas_in_area(all_lsoas, view["area"])
table = indicator_table(area_lsoas, indicator)
common.figure_summary(
    summaries.indicator_map_summary(
        table,
        indicator,
        label,
        "Leeds" if view["area"] == ALL_LEEDS else view["area"],
        higher_is_worse=c.INDICATORS[indicator][1],
    )
)
url_selection(all_lsoas)
# A click is read before drawing, so the map already outlines the LSOA it selects.
if (click := pending_click(MAP_KEY)) is not None:
    if (hit := lsoa_at_point(*click, map_layers.lsoa_click_shapes())) is not None:
        _select(hit, zoom_to=False)
        st.session_state.pop("map_pc_found", None)
selected = st.session_state.get("map_lsoa")
sync_selection_url(all_lsoas, selected)

map_col, side = st.columns([3, 2], gap="medium")
# The panel is sent before the map: after a click, the profile the viewer asked for reaches the
# browser ahead of the map's ~150 KB of data, which is sent again to move the outline.
# Measured: click -> profile painted 0.34 s against 0.43 s (median of 5 clicks, twice).
with side:
    st.subheader("Explain a neighbourhood")
    st.caption("Click a neighbourhood on the map, pick it from the list or type a postcode.")
    options = profile_fig.lsoa_options(all_lsoas)
    st.selectbox(
        "Neighbourhood (LSOA): type a code or name",
        list(options),
        format_func=options.__getitem__,
        index=None,
        placeholder="Choose or type…",
        key="map_lsoa",
        on_change=_on_pick,
    )
    st.text_input("Postcode", key="map_pc", placeholder="e.g. LS9 7EZ", on_change=_on_postcode)
    if problem := st.session_state.get("map_pc_problem"):
        st.warning(problem)
    if selected:
        show_profile(selected)
with map_col:
    # Read the tile switch (under the map) from the session: the map is drawn before it.
    prepared = map_layers.map_page_clickable(
        indicator, view["area"], st.session_state.get("map_tiles", False), demo=demo
    )
    if demo:
        alt = common.titled("Map of Leeds neighbourhoods and hubs")
        st.caption(f"**{alt}** — sample hubs are drawn in orange.")
    center, zoom = st.session_state.get("map_view", (None, None))
    show_clickable_map(
        prepared,
        key=MAP_KEY,
        height=640,
        center=center,
        zoom=zoom,
        feature_group_to_add=profile_fig.selection_outline(
            map_layers.lsoa_click_shapes(), selected
        ),
    )
    st.toggle("Street map background (needs internet)", value=False, key="map_tiles")

hubs = loaders.load_open_hubs(demo=demo)
common.sample_hub_notice(hubs)
st.download_button(
    "Download this map (HTML file that works offline)",
    partial(map_download, indicator, view["area"], st.session_state.get("map_tiles", False), demo),
    file_name=common.file_name(f"leeds_map_{indicator}.html"),
    mime="text/html",
    key="map_html_download",
)

# Shown on request: the data grid's code (~1.3 MB) then loads only for those who want the table.
if st.toggle(
    f"Show the table: the same values for {len(area_lsoas)} neighbourhoods (sortable)",
    key="map_show_table",
):
    if selected in set(table[c.LSOA]):
        st.caption("The selected neighbourhood is the first row, highlighted.")
    st.dataframe(
        profile_fig.selected_first(table, selected),
        hide_index=True,
        width="stretch",
        key="map_table",
    )
    common.csv_download(table, f"leeds_lsoa_{indicator}.csv", key="map_download")
