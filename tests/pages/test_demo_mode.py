"""Real hubs by default, illustrative samples only in demo mode (issue 12, item 1).

Asserts on the frames the loaders hand the pages (not only on text): in real mode no sample hub
and no number derived from one reaches a page, slide or export; ``?demo=1`` turns the samples,
the banner and the "(illustrative)" marks on; and every page still reads well with no real hub.
"""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import pytest

from app_pages import map_layers
from app_pages.figures import gap_figures as gf
from app_pages.figures.slides import build_slides
from data import export, loaders
from geo.coverage import NEAREST_HUB, coverage_by_lsoa, summarise_coverage
from tests.pages.conftest import APP_PAGES, map_documents, run_page
from utils import constants as c
from utils import demo
from utils import growth as g
from utils.hubs import open_on

PAGES = APP_PAGES
TIMEOUT = 240
BANNER = "Demo mode: illustrative sample hubs are included"


def _banner(at) -> bool:
    return any(BANNER in w.value for w in at.warning)


def _sample_ids() -> set[str]:
    every = loaders.load_register_hubs()
    return set(every.loc[every[c.HUB_SAMPLE], c.HUB_ID])


def _table_text(at) -> str:
    return " ".join(frame.value.astype(str).to_csv() for frame in at.dataframe)


# --- The loaders' frames: the one place that decides which hubs count ---------------------------


def test_real_mode_loaders_hand_out_no_sample_hub_and_demo_mode_adds_them():
    run_page("app_pages/overview.py", timeout=TIMEOUT)  # the server's caches, as a page fills them
    real, every = loaders.load_hubs(), loaders.load_hubs(demo=True)
    assert len(real) >= 1 and not real[c.HUB_SAMPLE].any()
    assert every[c.HUB_SAMPLE].sum() >= 69
    assert set(real[c.HUB_ID]) == set(every.loc[~every[c.HUB_SAMPLE], c.HUB_ID])
    assert not loaders.load_open_hubs()[c.HUB_SAMPLE].any()
    _, _, existing = loaders.load_planner_problem("at_risk", "All Leeds")
    assert len(existing) >= 1 and not existing[c.HUB_SAMPLE].any()
    _, _, existing_demo = loaders.load_planner_problem("at_risk", "All Leeds", demo=True)
    assert existing_demo[c.HUB_SAMPLE].sum() >= 69


def test_real_mode_coverage_equals_coverage_computed_from_the_real_hubs_alone():
    samples = _sample_ids()
    coverage = loaders.load_coverage(800)
    assert not set(coverage[NEAREST_HUB].dropna()) & samples  # no nearest hub is a sample
    lsoas = loaders.load_at_risk_lsoas((), "leeds", "top20_risk")
    every = loaders.load_register_hubs()
    real = every[~every[c.HUB_SAMPLE]]
    expected = coverage_by_lsoa(
        lsoas, real[open_on(real, date.today())], 800, demand=loaders.load_demand()
    )
    pd.testing.assert_frame_equal(coverage.reset_index(drop=True), expected.reset_index(drop=True))
    demo_cov = loaders.load_coverage(800, demo=True)
    assert demo_cov[c.COVERED].sum() > coverage[c.COVERED].sum()  # the samples change the answer


def test_real_mode_growth_series_and_coverage_over_time_count_no_sample():
    hubs = loaders.load_hubs()
    series = g.growth_series(hubs, end=date.today())
    assert series[g.OPEN_SAMPLE].sum() == 0
    over_time = loaders.load_coverage_over_time(800)
    real = over_time[over_time[g.HUB_SET] == g.HUB_SET_REAL].reset_index(drop=True)
    every = over_time[over_time[g.HUB_SET] == g.HUB_SET_ALL].reset_index(drop=True)
    pd.testing.assert_frame_equal(real.drop(columns=g.HUB_SET), every.drop(columns=g.HUB_SET))


def test_growth_counts_the_closed_and_reopened_sample_as_one_hub():
    counts = g.hub_counts(loaders.load_hubs(demo=True))
    assert counts.total == 71  # the register's 71 hubs (72 rows: Seacroft 1 reopened)
    assert len(loaders.load_register_hubs()) == 72


def test_real_mode_map_page_document_draws_no_sample_hub():
    real = map_layers.map_page_document(c.IMD_SCORE, "All Leeds")
    shown = map_layers.map_page_document(c.IMD_SCORE, "All Leeds", demo=True)
    assert "hc-hub-real" in real and "hc-hub-sample" not in real
    assert "hc-hub-sample" in shown and "(illustrative)" in shown


def test_slides_in_real_mode_carry_no_demo_switch():
    assert all("demo" not in s.params for s in build_slides("All Leeds", 800, c.IMD_SCORE))


# --- Pages --------------------------------------------------------------------------------------


def test_overview_real_mode_headlines_are_the_real_hubs_figures():
    at = run_page("app_pages/overview.py", timeout=TIMEOUT)
    assert not at.exception and not _banner(at)
    coverage = loaders.load_coverage(800)
    hubs = loaders.load_open_hubs()
    leeds = summarise_coverage(coverage, hubs=hubs).iloc[0]
    expected = {h.label: h.value for h in gf.coverage_headlines(leeds, 800, gf.DEFAULT_AT_RISK)}
    shown = {m.label: m.value for m in at.metric}
    for label, value in expected.items():
        assert shown[label] == value
    assert shown["Open hubs in the register"] == str(len(hubs)) == "1"
    note = " ".join(i.value for i in at.info)
    assert "**1 real hub**" in note and "Hubs page" in note
    assert any("Hubs page" in link.label for link in at.get("page_link"))
    assert "(illustrative)" not in " ".join(s.value for s in at.subheader)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_real_mode_shows_no_sample_hub_and_no_demo_banner(page):
    at = run_page(page, timeout=TIMEOUT)
    assert not at.exception
    assert not _banner(at)
    assert at.toggle(key="view_demo").value is False
    if page != "app_pages/hubs.py":  # the register itself lists every row, samples flagged
        text = _table_text(at)
        assert "Sample hub" not in text and "SAMPLE-" not in text
    for doc in map_documents(at):
        assert "hc-hub-sample" not in doc


@pytest.mark.parametrize("page", PAGES)
def test_a_demo_link_turns_on_the_switch_the_banner_and_illustrative_titles(page):
    at = run_page(page, {"demo": "1"}, timeout=TIMEOUT)
    assert not at.exception
    assert _banner(at)
    assert at.toggle(key="view_demo").value is True
    demo_param = at.query_params.get("demo")
    assert (demo_param[0] if isinstance(demo_param, list) else demo_param) == "1"
    # Section and map titles (the planner draws nothing until asked; About has no figure).
    titles = [s.value for s in at.subheader] + [cap.value for cap in at.caption]
    if page not in ("app_pages/about.py", "app_pages/planner.py"):
        assert any("(illustrative)" in t for t in titles), titles


def test_turning_demo_off_again_drops_the_samples_and_the_link_parameter():
    at = run_page("app_pages/overview.py", {"demo": "1"}, timeout=TIMEOUT)
    assert [m.value for m in at.metric if m.label == "Open hubs in the register"] == ["70"]
    at.toggle(key="view_demo").set_value(False).run()
    assert not at.exception and not _banner(at)
    assert [m.value for m in at.metric if m.label == "Open hubs in the register"] == ["1"]
    assert "demo" not in at.query_params


@pytest.fixture()
def download_names(monkeypatch):
    """Record the file name of every download button drawn (Streamlit keeps it server-side)."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    names: list[str] = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        names.append(str(file_name))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: recording(st._main, *a, **k))
    return names


@pytest.mark.parametrize("page", ["app_pages/gaps.py", "app_pages/growth.py", "app_pages/map.py"])
def test_demo_downloads_are_named_illustrative_and_real_ones_are_not(download_names, page):
    run_page(page, timeout=TIMEOUT)
    real = list(download_names)
    download_names.clear()
    at = run_page(page, {"demo": "1"}, timeout=TIMEOUT)
    assert not at.exception
    assert real and not any("illustrative" in n for n in real)
    stems = [n.rsplit(".", 1)[0] for n in download_names]
    assert download_names and all(stem.endswith("-illustrative") for stem in stems), download_names


# --- The analyst export -------------------------------------------------------------------------


def test_export_uses_real_hubs_and_says_so_on_every_row(tmp_path):
    db = str(tmp_path / "export.sqlite")
    table = export.lsoa_table(db=db)
    samples = _sample_ids()
    assert set(table[demo.HUBS_USED]) == {"real"}
    assert table.attrs["n_sample_hubs"] == 0
    assert not set(table["nearest_hub"].dropna()) & samples
    shown = export.lsoa_table(db=db, demo=True)
    assert set(shown[demo.HUBS_USED]) == {"real + illustrative samples"}
    assert set(shown["nearest_hub"].dropna()) & samples
    assert shown[c.COVERED].sum() > table[c.COVERED].sum()


def test_export_cli_demo_writes_an_illustrative_file_name(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    out = tmp_path / "leeds.csv"
    assert export.main(["lsoas", "--out", str(out), "--db", db]) == 0
    assert export.main(["lsoas", "--out", str(out), "--db", db, "--demo"]) == 0
    assert set(pd.read_csv(out)[demo.HUBS_USED]) == {"real"}
    shown = pd.read_csv(tmp_path / "leeds-illustrative.csv")
    assert set(shown[demo.HUBS_USED]) == {"real + illustrative samples"}


# --- No real hubs at all ------------------------------------------------------------------------


@pytest.fixture()
def samples_only_register(tmp_path):
    """Point the app at a register whose every row is an illustrative sample (zero real hubs)."""
    import streamlit as st

    old = os.environ["HUB_COVERAGE_DB"]
    os.environ["HUB_COVERAGE_DB"] = str(tmp_path / "samples_only.sqlite")
    # Loaders key their caches on version numbers, which two databases can share: start clean.
    loaders._open_register_store.clear()
    st.cache_data.clear()
    store = loaders.register_store()
    reg = store.load()
    store.save(reg[reg[c.HUB_SAMPLE]].reset_index(drop=True), "Test: no real hubs")
    yield store
    store.dispose()
    os.environ["HUB_COVERAGE_DB"] = old
    loaders._open_register_store.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_well_with_no_real_hub(samples_only_register, page):
    at = run_page(page, timeout=TIMEOUT)
    assert not at.exception
    assert not [e.value for e in at.error]
    if page == "app_pages/overview.py":
        assert "no real hubs" in " ".join(i.value for i in at.info)
        assert [m.value for m in at.metric if m.label == "Open hubs in the register"] == ["0"]
    if page == "app_pages/growth.py":
        assert "no real hubs" in " ".join(i.value for i in at.info)


def test_the_planner_recommends_sites_with_no_real_hub(samples_only_register):
    at = run_page("app_pages/planner.py", {"k": "3", "run": "1"}, timeout=TIMEOUT)
    assert not at.exception and not [e.value for e in at.error]
    assert any(s.value.startswith("Recommendation: 3 new hub") for s in at.subheader)


def test_the_hubs_page_lists_every_row_and_shows_the_placeholder_as_date_not_known():
    at = run_page("app_pages/hubs.py", timeout=TIMEOUT)
    table = next(d.value for d in at.dataframe if "kind" in d.value.columns)
    assert "Illustrative sample" in set(table["kind"])  # the register itself: samples flagged
    real = table[table[c.HUB_ID] == "HUB-0001"]
    assert real[c.HUB_OPENED].tolist() == ["date not known"]
    assert not table[c.HUB_OPENED].str.contains("placeholder").any()
