"""AppTest for the Growth page: charts, the illustrative-hub note, the date slider and its link."""

from datetime import date

import pandas as pd
import pytest

from tests.pages.conftest import run_page
from utils import growth as g

GROWTH = "app_pages/growth.py"
TIMEOUT = 180


def param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def shown_notice(at) -> str:
    """The map's 'N of the M hubs shown are illustrative' warning."""
    found = [w.value for w in at.warning if "hubs shown" in w.value]
    assert len(found) == 1, [w.value for w in at.warning]
    return found[0]


@pytest.fixture(scope="module")
def growth():
    # Demo mode: the illustrative count and the sample bands only exist with the samples in.
    return run_page(GROWTH, query={"demo": "1"}, timeout=TIMEOUT)


def test_growth_page_renders_charts_tables_and_the_illustrative_count(growth):
    at = growth
    assert not at.exception
    assert at.title[0].value.startswith("Growth")
    note = " ".join(i.value for i in at.info)
    assert "illustrative" in note and " of the " in note
    # Growth, animation, coverage over time and deprivation change: four plotly charts.
    charts = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    assert len(charts) >= 4
    # growth series, milestones, hubs open on the map's date (issue 15), coverage, deprivation
    assert len(at.dataframe) == 5
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download CSV") == 4 and labels.count("Download XLSX") == 4
    assert at.select_slider(key="growth_date").value == date.today()
    assert param(at, "date") is None  # today is the default: the link stays short


def test_growth_table_counts_illustrative_hubs_separately(growth):
    series = next(d.value for d in growth.dataframe if g.OPEN_SAMPLE in d.value.columns)
    assert (series[g.OPEN_HUBS] == series[g.OPEN_REAL] + series[g.OPEN_SAMPLE]).all()
    assert series[g.OPEN_SAMPLE].sum() > 0  # the sample register is mostly illustrative


def test_moving_the_date_slider_shows_fewer_hubs_and_puts_the_month_in_the_link():
    at = run_page(GROWTH, query={"demo": "1"}, timeout=TIMEOUT)  # real mode has one hub
    before = shown_notice(at)
    slider = at.select_slider(key="growth_date")
    assert "Jun 2021" in slider.options  # month starts, labelled as months
    slider.set_value(date(2021, 6, 1)).run()
    assert not at.exception
    assert param(at, "date") == "2021-06"
    after = shown_notice(at)
    n_before = int(before.split(" of the ")[1].split()[0])
    n_after = int(after.split(" of the ")[1].split()[0])
    assert n_after < n_before
    assert any("hubs open on 1 Jun 2021" in cap.value for cap in at.caption)


def test_a_link_with_a_date_restores_the_slider():
    at = run_page(GROWTH, query={"date": "2022-10"}, timeout=TIMEOUT)
    assert not at.exception
    assert at.select_slider(key="growth_date").value == date(2022, 10, 1)
    assert param(at, "date") == "2022-10"


@pytest.mark.parametrize("bad", ["2022-13", "next week", "1999-01"])
def test_a_link_with_an_unusable_date_falls_back_to_today_with_a_notice(bad):
    at = run_page(GROWTH, query={"date": bad}, timeout=TIMEOUT)
    assert not at.exception
    assert at.select_slider(key="growth_date").value == date.today()
    assert any(bad in w.value and "showing today" in w.value for w in at.warning)
    assert param(at, "date") is None


def test_coverage_over_time_lists_leeds_and_every_lcp_for_real_and_all_hubs(growth):
    frame = next(d.value for d in growth.dataframe if g.HUB_SET in d.value.columns)
    assert set(frame[g.HUB_SET]) == {g.HUB_SET_REAL, g.HUB_SET_ALL}
    last = frame[frame[g.MONTH] == frame[g.MONTH].max()]
    assert "Leeds" in set(last["area"])
    assert last["area"].nunique() >= 10
    months = pd.to_datetime(frame[g.MONTH]).dt.to_period("M")
    assert months.max() == pd.Timestamp(date.today()).to_period("M")
