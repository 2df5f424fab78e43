"""Every page opens from a deep link as the FIRST visit to a fresh server, with its sidebar.

The trap this guards: a folder named ``pages/`` beside the entry point makes Streamlit run it in
its legacy multipage mode (every file in it becomes a page, by file name) until ``st.navigation``
has run once. On a fresh server the first request for a deep link such as ``/gaps`` can then be
answered by the legacy page list, which shows "Page not found" or a page without the app's shared
sidebar. That is why the pages live in ``app_pages/`` and ``dashboard.py`` registers each one
with ``st.Page``. Each case below starts its own server so the deep link really is the first
visit; a test sharing the session server would pass whatever the folder is called.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import StreamlitServer

pytestmark = pytest.mark.e2e

# url path -> the page's own title (a heading only that page draws).
PAGES = {
    "": "Leeds Digital Health Hubs: coverage at a glance",
    "overview": "Leeds Digital Health Hubs: coverage at a glance",
    "map": "Map: deprivation and hubs by neighbourhood",
    "gaps": "Gaps: high need, beyond reach of a hub",
    "planner": "Site planner: where would new hubs reach the most people?",
    "growth": "Growth: how the hub network grew",
    "hubs": "Hubs: the register and LCP footprints",
    "about": "About the data",
    "accessibility": "Accessibility statement",
}
# Links every page's sidebar navigation lists (the hidden /overview alias is not one of them).
NAV_LINKS = ["Overview", "Map", "Gaps", "Site planner", "Growth", "Hubs", "About the data"]


@pytest.fixture()
def fresh_server(tmp_path) -> Iterator[StreamlitServer]:
    """A server no browser has visited yet."""
    srv = StreamlitServer(tmp_path / "register.sqlite")
    srv.start()
    yield srv
    srv.stop()


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "root")
def test_first_visit_deep_link_opens_the_page_with_its_sidebar(fresh_server, page, path):
    page.goto(f"{fresh_server.url}/{path}?r=1200")
    page.get_by_role("heading", name=PAGES[path]).wait_for(timeout=90_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    # The shared sidebar is drawn after the page's content: wait for its last widget's label.
    sidebar.get_by_text("Chart downloads (camera icon) as").wait_for(timeout=60_000)
    nav = sidebar.locator('[data-testid="stSidebarNav"]')
    # expect() retries: a page may rerun once (its sidebar redrawn) while we look.
    for link in NAV_LINKS:
        expect(nav.get_by_role("link", name=link, exact=True)).to_have_count(1, timeout=30_000)
    expect(sidebar.get_by_text("Reach radius (straight line)")).to_have_count(1, timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0
    # The link's view was read on this first visit too (and kept in the address bar).
    page.wait_for_function("() => window.location.search.includes('r=1200')", timeout=30_000)
