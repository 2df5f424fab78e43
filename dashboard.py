"""Hub Coverage entry point: page config, navigation, the shared sidebar and view state <-> URL."""

import streamlit as st

from app_pages import common

st.set_page_config(
    page_title="Hub Coverage — Leeds Digital Health Hubs",
    page_icon=common.favicon(),
    layout="wide",
)

# The default page answers at "/" only: st.navigation gives it the path "" whatever its url_path.
# So "/overview" (the address people type, and the presenter's slide name) is a hidden page that
# opens the Overview with the same parameters; the default page's own path name is never shown.
OVERVIEW = st.Page("app_pages/overview.py", title="Overview", url_path="home", default=True)


def _open_overview() -> None:
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


PAGES = [
    OVERVIEW,
    st.Page("app_pages/map.py", title="Map", url_path="map"),
    st.Page("app_pages/gaps.py", title="Gaps", url_path="gaps"),
    st.Page("app_pages/planner.py", title="Site planner", url_path="planner"),
    st.Page("app_pages/growth.py", title="Growth", url_path="growth"),
    st.Page("app_pages/hubs.py", title="Hubs", url_path="hubs"),
    st.Page("app_pages/about.py", title="About the data", url_path="about"),
    st.Page(
        "app_pages/accessibility.py", title="Accessibility statement", url_path="accessibility"
    ),
]

OVERVIEW_ALIAS = st.Page(
    _open_overview, title="Overview", url_path="overview", visibility="hidden"
)

page = st.navigation([*PAGES, OVERVIEW_ALIAS])
common.register_fault_notice()  # first: it also notices a database that went bad since last run
common.accessibility_css()
common.init_shared_view()
# The default page answers at "/" (its url_path reads ""), so slides name it "overview".
common.presenter_bar({(p.url_path or "overview"): p for p in PAGES})
# The page runs before the sidebar's widgets are drawn (it reads their values from the session),
# so its content, maps above all, reaches the browser first. Measured: the Map page is ready
# sooner when its map does not queue behind the widgets' code.
common.demo_banner()  # every page, while demo mode (illustrative sample hubs) is on
try:
    page.run()
except common.PageStopped:
    pass
common.shared_sidebar()
link_slot = st.sidebar.empty()
common.sync_shared_params()
common.show_share_link(link_slot)  # filled after the sync, so the link is this very view
