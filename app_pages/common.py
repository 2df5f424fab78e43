"""UI helpers shared by the pages: the shared sidebar, URL sync, notices and downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import streamlit as st

from app_pages.figures.exports import table_csv, table_xlsx
from app_pages.figures.maps import map_document
from app_pages.figures.slides import Slide, build_slides, slide_index
from data import loaders
from utils import constants as c
from utils import demo as demo_rules
from utils.indicators import indicator_label
from utils.text import escape_markdown, md
from utils.view_state import (
    ALL_LEEDS,
    ParamSpec,
    decode_params,
    encode_params,
    shared_specs,
)

_STATE_KEYS = {
    "area": "view_area",
    "ind": "view_indicator",
    "r": "view_radius",
    "present": "view_present",
    "demo": "view_demo",
}


# WCAG 2.2 AA fixes the theme cannot make (one place, drawn on every page by dashboard.py):
# - captions: Streamlit fades them to 60% opacity (#828180, 3.9:1 on white); full opacity and
#   #545454 give 7.6:1 (6.7:1 on the sidebar's #f0f2f6), so small text meets 4.5:1 (1.4.3);
# - a visible focus for every control (2.4.7, 2.4.13): 3 px near-black outline, 17:1 on white,
#   with a white halo so it also shows on dark map colours and the primary (red) buttons;
# - reflow at 320 CSS px (1.4.10): long words and links wrap instead of pushing the page sideways.
A11Y_CSS = """
<style>
[data-testid="stCaptionContainer"] {opacity: 1 !important; color: #545454 !important;}
[data-testid="stCaptionContainer"] p {color: #545454 !important;}
:focus-visible, [data-testid="stAppViewContainer"] *:focus-visible {
  outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #ffffff !important;}
iframe:focus, iframe:focus-within {outline: 3px solid #0b0c0c !important; outline-offset: 2px;}
[data-testid="stMarkdownContainer"] {overflow-wrap: anywhere;}
[data-testid="stMetricValue"] > div {white-space: normal !important; overflow-wrap: anywhere;}
[data-testid="stTabs"] [role="tablist"] {flex-wrap: wrap !important; row-gap: 0.25rem;}
</style>
"""


def accessibility_css() -> None:
    """Contrast, visible-focus and reflow fixes for every page (see ``A11Y_CSS``)."""
    st.html(A11Y_CSS)


def favicon() -> str:
    """A local favicon (an emoji or :material: icon would make the browser fetch from a CDN)."""
    path = Path(__file__).resolve().parent.parent / "static" / "favicon.png"
    return str(path) if path.exists() else None


def area_choices() -> list[str]:
    """'All Leeds' followed by the LCP names of the footprints in force."""
    lcps = loaders.lcp_names()
    return [ALL_LEEDS, *lcps]


# --- Keeping a view in the URL (one mechanism for every page) ----------------------------------
#
# Why not Streamlit's own ``bind="query-params"``: it names the URL parameter after the widget
# key (our links say ``area=``, the key is ``view_area``), drops a bad value silently (we must say
# which value of the link was ignored and what is shown instead), and a bound parameter cannot be
# set through ``st.query_params``, which ``st.switch_page(..., query_params=...)`` (slides, the
# /overview alias) relies on. So every page goes through these two functions instead.


@dataclass(frozen=True)
class UrlView:
    """A page's view settings, and whether (and with which notices) they came from the URL."""

    values: dict
    notices: list[str]
    from_url: bool


def url_view(specs: Sequence[ParamSpec], memory_key: str, reread: bool = False) -> UrlView:
    """A page's view: decoded from the link on the first visit (or when ``reread``), then kept.

    Streamlit forgets a page's widget values while another page is shown, so the last choice is
    kept under ``memory_key`` (a non-widget key) and the link is read only once per session.

    Parameters
    ----------
    specs : sequence of ParamSpec
        The page's URL parameters.
    memory_key : str
        Session-state key where this page's last choice is kept.
    reread : bool
        Read the link again (a slide change, or the saved choice is no longer available).

    Returns
    -------
    UrlView
        Values by parameter name; notices for ignored link values (for the page to show).
    """
    if reread or memory_key not in st.session_state:
        values, notices = decode_params(st.query_params.to_dict(), specs)
        st.session_state[memory_key] = dict(values)
        return UrlView(dict(values), notices, True)
    return UrlView(dict(st.session_state[memory_key]), [], False)


def keep_view(
    specs: Sequence[ParamSpec],
    memory_key: str,
    values: Mapping[str, object],
    wanted: Mapping[str, str] | None = None,
) -> None:
    """Remember a page's view and write it into the URL (defaults left out, so links stay short).

    ``wanted`` is the URL text when the page encodes its own (otherwise ``encode_params``).
    """
    st.session_state[memory_key] = dict(values)
    wanted = encode_params(values, specs) if wanted is None else wanted
    for spec in specs:
        if spec.name in wanted:
            if st.query_params.get(spec.name) != wanted[spec.name]:
                st.query_params[spec.name] = wanted[spec.name]
        elif spec.name in st.query_params:
            del st.query_params[spec.name]


_SHARED_MEMORY = "view_saved"


def init_shared_view() -> None:
    """Fill the shared view (area, indicator, radius, presenter mode) from the URL when needed."""
    # A slide change (st.switch_page does not carry widget values): the URL wins again.
    view = url_view(
        shared_specs(area_choices()),
        _SHARED_MEMORY,
        reread=st.session_state.pop("view_reload", False),
    )
    if view.from_url:
        for name, key in _STATE_KEYS.items():
            st.session_state[key] = view.values[name]
    elif st.session_state.get("view_area") not in area_choices():
        st.session_state["view_area"] = ALL_LEEDS  # footprints changed under this session
    for notice in view.notices:
        st.toast(notice)


def shared_sidebar() -> None:
    """Area, indicator, radius and presenter-mode widgets (their state set by init_shared_view)."""
    with st.sidebar:
        st.selectbox("Area", area_choices(), key="view_area")
        st.selectbox(
            "Map indicator", list(c.INDICATORS), format_func=indicator_label, key="view_indicator"
        )
        st.select_slider(
            "Reach radius (straight line)",
            options=list(c.RADIUS_CHOICES_M),
            format_func=lambda m: f"{m:,} m" + (" (≈10-min walk)" if m == 800 else ""),
            key="view_radius",
        )
        st.toggle(
            demo_rules.DEMO_LABEL,
            key="view_demo",
            help="Off: every figure uses the register's real hubs only. On: the invented sample "
            "hubs are added for demonstration; titles and downloads are marked illustrative.",
        )
        st.toggle("Presenter mode", key="view_present")
        st.radio(
            "Chart downloads (camera icon) as",
            ["png", "svg"],
            key="view_chart_format",
            horizontal=True,
            format_func=str.upper,
        )


def demo_mode() -> bool:
    """True when the viewer has turned on demo mode (illustrative sample hubs included)."""
    return bool(st.session_state.get("view_demo", False))


def demo_banner() -> None:
    """The demo-mode banner, shown at the top of every page while demo mode is on."""
    if demo_mode():
        st.warning(demo_rules.BANNER, icon=":material/science:")


def titled(text: str) -> str:
    """A chart, map or section title, marked " (illustrative)" in demo mode."""
    return demo_rules.title(text, demo_mode())


def file_name(name: str) -> str:
    """A download's file name, ending "-illustrative" in demo mode."""
    return demo_rules.export_name(name, demo_mode())


def shared_view() -> dict:
    """The shared view settings chosen in the sidebar."""
    return {name: st.session_state.get(key) for name, key in _STATE_KEYS.items()}


def shared_params() -> dict[str, str]:
    """The shared view as URL parameters (defaults left out), e.g. for links to another page."""
    return encode_params(shared_view(), shared_specs(area_choices()))


def sync_shared_params() -> None:
    """Write the shared view into the URL so the address bar is always a shareable link."""
    keep_view(shared_specs(area_choices()), _SHARED_MEMORY, shared_view(), shared_params())


def csv_download(
    df: pd.DataFrame, filename: str, label: str = "Download CSV", key: str | None = None
) -> None:
    """CSV and XLSX download buttons for a table (both safe to open in Excel).

    Every row gets ``hubs_used`` ("real", or "real + illustrative samples" in demo mode) and in
    demo mode the file name ends "-illustrative".
    """
    demo = demo_mode()
    df = demo_rules.with_hubs_used(df, demo)
    stem = demo_rules.export_name(filename, demo).rsplit(".", 1)[0]
    left, right = st.columns(2)
    # Deferred (callables): files are made only when someone clicks, not on every rerun.
    left.download_button(
        label, partial(table_csv, df), file_name=f"{stem}.csv", mime="text/csv", key=key
    )
    right.download_button(
        label.replace("CSV", "XLSX") if "CSV" in label else "Download XLSX",
        partial(table_xlsx, df),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=None if key is None else f"{key}_xlsx",
    )


def figure_table(
    title: str,
    table: pd.DataFrame,
    key: str,
    filename: str | None = None,
    download_key: str | None = None,
) -> None:
    """The numbers behind a map or chart, in an expander (nothing is only in a picture).

    With ``filename``, CSV and XLSX downloads of the table follow it (see ``csv_download``).
    """
    with st.expander(title):
        st.dataframe(table, hide_index=True, width="stretch", key=key)
        if filename is not None:
            csv_download(table, filename, key=download_key)


def show_map(fmap, height: int, alt: str = "Map of Leeds neighbourhoods and hubs") -> None:
    """Draw a folium map (or its ``map_document`` page) in Streamlit's own iframe element.

    Not streamlit-folium's ``st_folium``: none of our maps sends anything back to Python, and its
    component (a React bundle loaded into an iframe once the component's code has loaded) made
    the Map page paint later: 3.09 s against 2.84 s here (bench/run.py, median of 9 cold
    visits). This frame needs only Leaflet, from the app's own static folder.
    """
    html = fmap if isinstance(fmap, str) else map_document(fmap)
    if demo_mode():
        st.caption(f"**{titled(alt)}** — sample hubs are drawn in orange.")
    st.iframe(html, height=height, alt=titled(alt))


def figure_summary(text: str) -> None:
    """The one-sentence finding of the next map or chart, as text (nothing only in a picture)."""
    # Names (LCPs, wards) are data: escape Markdown so they print as written.
    st.markdown(escape_markdown(text))


class PageStopped(Exception):  # noqa: N818 - control flow, not an error
    """Raised by ``stop_page``; dashboard.py catches it and still draws the shared sidebar."""


def stop_page() -> None:
    """Stop the page here, like ``st.stop()``, but keep the shared sidebar (drawn after pages)."""
    raise PageStopped


def register_fault_notice() -> None:
    """One message, above every page, when the register database is unusable or read-only.

    The pages keep working on what can be read (the database, or the seed register) and the
    Hubs page turns saving off; the message names the file and what to do.
    """
    if reason := loaders.register_fault():
        st.error(reason, icon="⚠️")


def sample_hub_notice(hubs: pd.DataFrame) -> None:
    """Say plainly how many of the hubs shown are illustrative samples."""
    if hubs is None or not len(hubs):
        st.info(
            "No open real hubs in the register: nothing is within reach yet. Add or upload hubs "
            "on the Hubs page."
        )
        return
    n_sample = int(hubs[c.HUB_SAMPLE].sum())
    if n_sample:
        st.warning(
            f"{n_sample} of the {len(hubs)} hubs shown are **illustrative samples** (orange), placed "
            "to follow the public growth milestones — not real sites. Replace them with the real "
            "register on the Hubs page."
        )


# --- Presenting: shareable link, presenter mode and slides --------------------------------------

_PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 20px;}
[data-testid="stMainBlockContainer"], .block-container {max-width: 100% !important;
  padding: 0.8rem 2rem 1rem 2rem !important;}
h1 {font-size: 2.4rem !important;}
[data-testid="stMetricValue"] {font-size: 2.6rem !important;}
</style>
"""


def share_link() -> str:
    """The address of the current view (page + every URL parameter)."""
    base = st.context.url or ""
    params = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in st.query_params.to_dict().items())
    return f"{base}?{params}" if params else base


def show_share_link(slot) -> None:
    """Fill a placeholder with a "copy link" control for the current view.

    The link sits in a popover: st.code (which has a copy button) pulls in a 1.5 MB syntax
    highlighter, so it is only loaded when someone opens the popover.
    """
    with slot.popover("Copy link to this view", width="stretch"):
        st.caption("This link reopens exactly this view (page, area, indicator, radius …):")
        st.code(share_link(), language=None, wrap_lines=True)


def _go_to_slide(slide: Slide) -> None:
    """Button callback: remember which slide to open (its URL then sets the shared view)."""
    st.session_state["present_goto"] = slide


def _exit_presenter() -> None:
    st.session_state["view_present"] = False
    st.session_state["present_exit"] = True


def presenter_bar(pages: dict[str, object]) -> None:
    """In presenter mode: hide Streamlit's chrome, enlarge type and show the slide controls.

    Parameters
    ----------
    pages : dict
        ``url_path -> st.Page`` for every registered page (slides switch between them).
    """
    goto = st.session_state.pop("present_goto", None)
    if goto is not None:
        st.session_state["view_reload"] = True
        st.switch_page(pages[goto.page], query_params=goto.params)
    if st.session_state.pop("present_exit", False):
        st.query_params.pop("slide", None)
    if not st.session_state.get("view_present"):
        return
    st.html(_PRESENTER_CSS)
    view = shared_view()
    slides = build_slides(view["area"], view["r"], view["ind"], bool(view["demo"]))
    raw = st.query_params.get("slide")
    i = slide_index(raw, len(slides)) if raw is not None else -1
    cols = st.columns([1.2, 6, 1.2, 1.4])
    cols[0].button(
        "◀ Previous",
        key="present_prev",
        shortcut="ArrowLeft",
        disabled=i <= 0,
        on_click=_go_to_slide,
        args=(slides[max(i - 1, 0)],),
    )
    title = slides[i].title if i >= 0 else "Presenter mode: press → or Next to start the slides"
    title = md(title, limit=None)  # a slide title names the chosen LCP
    cols[1].markdown(f"**Slide {i + 1} of {len(slides)} — {title}**" if i >= 0 else f"**{title}**")
    cols[2].button(
        "Next ▶",
        key="present_next",
        shortcut="ArrowRight",
        disabled=i >= len(slides) - 1,
        on_click=_go_to_slide,
        args=(slides[min(i + 1, len(slides) - 1)],),
    )
    cols[3].button("Exit presenter mode", key="present_exit_button", on_click=_exit_presenter)


def show_chart(fig, **kwargs) -> None:
    """A plotly chart whose camera button saves PNG or SVG (chosen in the sidebar) for slides."""
    fmt = st.session_state.get("view_chart_format", "png")
    if demo_mode():
        current = fig.layout.title.text or kwargs.get("key", "Chart").replace("_", " ").capitalize()
        fig.update_layout(title_text=titled(current))
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": fmt,
            "scale": 2 if fmt == "png" else 1,
            "filename": file_name(kwargs.get("key", "hub_coverage_chart")),
        },
    }
    st.plotly_chart(fig, config=config, **kwargs)
