"""One meaning of "at-risk residents": the same total on the Overview, Gaps, planner and export."""

import re

import pytest

from app_pages.figures import gap_figures as gf
from data import loaders
from data.export import lsoa_table
from geo.coverage import AT_RISK_POP, summarise_coverage
from tests.pages.conftest import run_page
from utils import constants as c
from utils.view_state import ALL_LEEDS

TIMEOUT = 180


def _caption_total(at) -> int:
    """The at-risk total named in the page's "x of N at-risk residents" caption."""
    for cap in at.caption:
        found = re.search(r"of ([\d,]+) at-risk residents", cap.value)
        if found:
            return int(found.group(1).replace(",", ""))
    raise AssertionError("no at-risk total on the page")


@pytest.fixture(scope="module")
def planner_total() -> float:
    weights = loaders.load_planner_weights("at_risk")[loaders.PLANNER_WEIGHT]
    demand, _, _ = loaders.load_planner_problem("at_risk", ALL_LEEDS)
    # The LSOA weights and the postcode demand the solver sees carry the same people.
    assert demand[loaders.PLANNER_WEIGHT].sum() == pytest.approx(weights.sum())
    rec, _ = loaders.load_recommendation("at_risk", 1, 800, ALL_LEEDS)
    assert rec.total_weight == pytest.approx(weights.sum())
    return float(weights.sum())


@pytest.mark.parametrize("radius", [400, 800, 1600])
def test_at_risk_total_is_equal_across_overview_gaps_and_planner_frames(radius, planner_total):
    hubs = loaders.load_open_hubs()
    overview = summarise_coverage(loaders.load_coverage(radius), hubs=hubs).iloc[0]
    gaps = summarise_coverage(
        loaders.load_coverage(radius, gf.DEFAULT_WEIGHTS, gf.DEFAULT_SCALING, gf.DEFAULT_AT_RISK),
        hubs=hubs,
    ).iloc[0]
    assert overview[AT_RISK_POP] == gaps[AT_RISK_POP] == pytest.approx(planner_total)
    # Residents of at-risk LSOAs, whatever the radius: about a fifth of Leeds' 820,802.
    assert 100_000 < planner_total < 300_000


def test_the_export_counts_the_same_at_risk_residents(planner_total):
    table = lsoa_table(radius_m=800, hubs=loaders.load_open_hubs())
    assert table.loc[table[c.AT_RISK], c.POP_TOTAL].sum() == pytest.approx(planner_total)


def test_overview_and_gaps_pages_show_the_planner_total(planner_total):
    overview = run_page("app_pages/overview.py", timeout=TIMEOUT)
    gaps = run_page("app_pages/gaps.py", timeout=TIMEOUT)
    assert not overview.exception and not gaps.exception
    assert _caption_total(overview) == _caption_total(gaps) == round(planner_total)


def test_the_index_weighted_objective_is_named_risk_weighted_residents(planner_total):
    from geo.sites import OBJECTIVES

    assert "risk-weighted residents" in OBJECTIVES["risk_weighted"].lower()
    weighted = loaders.load_planner_weights("risk_weighted")[loaders.PLANNER_WEIGHT].sum()
    assert weighted != pytest.approx(planner_total)  # a different number, with its own name


def test_planner_reach_today_equals_the_overviews_at_risk_residents_within_reach():
    from geo.coverage import AT_RISK_COVERED_POP

    hubs = loaders.load_open_hubs()
    overview = summarise_coverage(loaders.load_coverage(800), hubs=hubs).iloc[0]
    rec, _ = loaders.load_recommendation("at_risk", 1, 800, ALL_LEEDS)
    # Both measure at the residential postcodes, so existing hubs reach the same people.
    assert rec.before_weight == pytest.approx(overview[AT_RISK_COVERED_POP])
