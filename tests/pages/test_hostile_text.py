"""Hostile user text stays text on every page and through every write path (AppTest).

A corpus of strings (Jinja, format braces, Markdown images and links, HTML and script, a
10,000-character string, control characters) goes in as hub, organisation, venue, LCP and
scenario names, notes, reasons, file names and URL values. Every page must then run without an
exception, show nothing evaluated ("X EVALUATED", a filled-in ``{version}``) and render no
Markdown or HTML that would make a browser fetch from another host.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict

from data.register_store import RegisterStore
from tests.hostile import HOST, HOSTILE, JINJA, assert_inert_html, assert_inert_markdown
from tests.pages.conftest import APP_PAGES, map_documents, run_page

PAGES = APP_PAGES
TIMEOUT = 240
DEFAULT_FOOTPRINTS = Path(__file__).resolve().parents[2] / "data" / "footprints" / "lsoa21_lcp.csv"
POSTCODES = ["LS15 7JY", "LS22 6AA", "LS15 7PS", "LS15 9DT", "LS15 4BW", "LS14 1ND"]
HOSTILE_FILE = f"{{version}} ![x](http://{HOST}/x.png) <img src=x>.csv"
# Element types whose text Streamlit renders as Markdown.
MARKDOWN_TYPES = (
    "markdown",
    "caption",
    "error",
    "warning",
    "info",
    "success",
    "toast",
    "title",
    "header",
    "subheader",
    "metric",
    "expander",
    "tab",
)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def assert_page_inert(at) -> None:
    """No exception; every Markdown body and every map frame holds user text only as text."""
    assert not at.exception, [e.value for e in at.exception]
    for kind in MARKDOWN_TYPES:
        for el in at.get(kind):
            for text in _strings(MessageToDict(el.proto)):
                assert_inert_markdown(text)
    for doc in map_documents(at):
        assert_inert_html(doc)
    flashes = [s.value for s in at.success]
    assert not any(
        "Saved as version" in f
        and "{version}" in f.replace("\\{", "{")
        and "\\{version\\}" not in f
        for f in flashes
    )


def _visit_every_page(query: dict[str, str] | None = None) -> None:
    for page in PAGES:
        at = run_page(page, query, timeout=TIMEOUT)
        assert_page_inert(at)


@pytest.fixture()
def store():
    """The shared test database, put back as it was after each test."""
    st_ = RegisterStore()
    before, fp_before = st_.current_version(), st_.footprints_version()
    yield st_
    if st_.current_version() != before:
        st_.restore(before, "Test clean-up")
    if st_.footprints_version() != fp_before:
        st_.reset_footprints()
    st_.dispose()


def _hostile_register_csv() -> bytes:
    rows = [
        {
            "name": text,
            "organisation": text,
            "postcode": POSTCODES[i % len(POSTCODES)],
            "opened": "2024-01",
            "notes": text,
            "sample": "false",
        }
        for i, text in enumerate(HOSTILE)
    ]
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def _by_prefix(widgets, prefix: str):
    found = [w for w in widgets if (w.key or "").startswith(prefix)]
    assert found, f"no widget with a key starting {prefix!r}"
    return found[0]


def test_a_hostile_register_upload_stays_text_on_every_page(store):
    at = run_page("app_pages/hubs.py", timeout=TIMEOUT)
    upload = _by_prefix(at.file_uploader, "hubs_upload_")
    upload.set_value((HOSTILE_FILE, _hostile_register_csv(), "text/csv")).run()
    assert_page_inert(at)
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="hubs_upload_reason").set_value(JINJA + " {version}")
    at.button(key="hubs_upload_apply").click().run()
    assert_page_inert(at)
    flash = " ".join(s.value for s in at.success)
    assert "Saved as version" in flash and "\\{version\\}" in flash  # quoted, never formatted
    assert list(store.load()["name"]) == HOSTILE  # stored exactly as typed
    _visit_every_page()


def test_hostile_names_added_and_edited_in_the_app_stay_text(store):
    at = run_page("app_pages/hubs.py", timeout=TIMEOUT)
    at.text_input(key="hubs_add_name").set_value("Brace {0} {version} }{ " + JINJA)
    at.text_input(key="hubs_add_org").set_value(f"![x](http://{HOST}/x.png)")
    at.text_input(key="hubs_add_postcode").set_value("LS15 7JY")
    at.text_input(key="hubs_add_opened").set_value("2024-02")
    at.text_input(key="hubs_add_reason").set_value("{version}")
    at.button(key="hubs_add_submit").click().run()
    assert_page_inert(at)
    flash = " ".join(s.value for s in at.success)
    assert "Added Brace \\{0\\} \\{version\\}" in flash and "Saved as version" in flash

    key = _by_prefix(at.data_editor, "hubs_editor_").key
    at.session_state[key] = {
        "edited_rows": {0: {"name": "Y {# x", "notes": "<script>alert(1)</script>"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.text_input(key="hubs_edit_reason").set_value("Z {{7*7}}")
    at.button(key="hubs_edit_save").click().run()
    assert_page_inert(at)
    assert store.load()["name"].iloc[0] == "Y {# x"
    # Closing a hub whose name is hostile quotes it too.
    at.selectbox(key="hubs_close_hub").set_value(store.load()["hub_id"].iloc[0])
    at.text_input(key="hubs_close_reason").set_value("{0}")
    at.button(key="hubs_close_submit").click().run()
    assert_page_inert(at)
    for page in ("app_pages/overview.py", "app_pages/map.py", "app_pages/growth.py"):
        assert_page_inert(run_page(page, timeout=TIMEOUT))


def test_hostile_lcp_names_from_a_footprint_upload_stay_text(store):
    lookup = pd.read_csv(DEFAULT_FOOTPRINTS, dtype=str)[["lsoa21cd", "lcp"]]
    names = sorted(lookup["lcp"].unique())
    hostile = [t.replace("\x00", "") for t in HOSTILE if len(t) < 1000]
    renames = {old: f"{hostile[i]} {i}" for i, old in enumerate(names[: len(hostile)])}
    lookup["lcp"] = lookup["lcp"].map(lambda v: renames.get(v, v))
    at = run_page("app_pages/hubs.py", timeout=TIMEOUT)
    _by_prefix(at.file_uploader, "hubs_fp_upload_").set_value(
        (HOSTILE_FILE, lookup.to_csv(index=False).encode(), "text/csv")
    ).run()
    assert_page_inert(at)
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="hubs_fp_reason").set_value("{version}")
    at.button(key="hubs_fp_apply").click().run()
    assert_page_inert(at)
    assert store.footprints_version() > 0
    _visit_every_page()
    jinja_lcp = renames[names[0]]
    assert jinja_lcp.startswith(JINJA)
    _visit_every_page({"area": jinja_lcp, "present": "1", "slide": "1"})


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_url_values_give_short_plain_notices_on_every_page(value):
    query = {
        name: value
        for name in ("area", "ind", "r", "present", "w", "def", "scale", "k", "obj", "target")
    }
    query["date"] = value
    for page in PAGES:
        at = run_page(page, query, timeout=TIMEOUT)
        assert_page_inert(at)
        for notice in (
            [t.value for t in at.toast] + [i.value for i in at.info] + [w.value for w in at.warning]
        ):
            assert len(notice) < 400, notice[:100]


def test_hostile_venue_and_scenario_names_stay_text():
    venues = pd.DataFrame(
        {
            "name": [t.replace("\x00", "") for t in HOSTILE[:6]],
            "postcode": ["LS15 7PS", "LS15 9DT", "LS15 4BW", "LS14 1ND", "LS15 8HA", "LS15 0AA"],
        }
    )
    at = run_page("app_pages/planner.py", {"area": "Cross Gates", "k": "2"}, timeout=TIMEOUT)
    at.radio(key="planner_candidates").set_value("venues").run()
    at.file_uploader(key="planner_venue_file").set_value(
        (HOSTILE_FILE, venues.to_csv(index=False).encode(), "text/csv")
    ).run()
    assert_page_inert(at)
    at.button(key="planner_run").click().run()
    assert_page_inert(at)
    name = f"{JINJA} ![x](http://{HOST}/x.png) {{version}}"
    at.text_input(key="planner_scenario_name").input(name)
    at.button[[b.label for b in at.button].index("Save scenario")].click().run()
    assert_page_inert(at)
    at.selectbox(key="planner_open").set_value(name).run()
    assert_page_inert(at)
    assert any("Cumulative % reached" in d.value.columns for d in at.dataframe)
    at.button(key="planner_open_delete").click().run()
    assert_page_inert(at)
