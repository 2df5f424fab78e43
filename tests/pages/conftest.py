"""AppTest helpers: every page test runs against a throwaway register database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# Every page that shows data (each page test sweeps these).
APP_PAGES = [
    "app_pages/overview.py",
    "app_pages/map.py",
    "app_pages/gaps.py",
    "app_pages/planner.py",
    "app_pages/growth.py",
    "app_pages/hubs.py",
    "app_pages/about.py",
]
APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture(autouse=True, scope="session")
def isolated_register(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point the register database at a temp file so tests never touch the real one."""
    import os

    db = tmp_path_factory.mktemp("register") / "register.sqlite"
    old = os.environ.get("HUB_COVERAGE_DB")
    os.environ["HUB_COVERAGE_DB"] = str(db)
    yield
    if old is None:
        os.environ.pop("HUB_COVERAGE_DB", None)
    else:
        os.environ["HUB_COVERAGE_DB"] = old


def run_page(page: str, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run the app on one page (e.g. "app_pages/map.py") with optional URL query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page)
        at.run()
    return at


def map_documents(at: AppTest) -> list[str]:
    """Every map's page on the page: st.iframe documents, and clickable maps' (st_folium) code.

    A clickable map (app_pages.clickable_map) is a component: its header, HTML, map script and
    dynamic layer come as the component's arguments instead of one document.
    """
    import json

    docs = [el.proto.srcdoc for el in at.get("iframe")]
    for el in at.get("component_instance"):
        if "st_folium" in el.proto.component_name:
            args = json.loads(el.proto.json_args)
            parts = ("header", "html", "script", "feature_group")
            docs.append("\n".join(str(args.get(k) or "") for k in parts))
    return docs
