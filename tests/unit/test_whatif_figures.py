"""What-if builders for the Site planner: the add= list, map markers, tables, scenario payload."""

import json
import math

import folium
import numpy as np
import pandas as pd
import pytest

from app_pages.figures import planner_figures as pf
from app_pages.figures import whatif as wf
from geo.coverage import COVERED_POP, coverage_by_lsoa
from geo.whatif import MAX_ADDED_HUBS, WhatIfBase
from utils.constants import AT_RISK, HUB_LAT, HUB_LON, LCP, LSOA, LSOA_NAME, POP_TOTAL, X, Y

X0, Y0 = 430_000.0, 433_000.0


@pytest.fixture
def base() -> WhatIfBase:
    lsoas = pd.DataFrame(
        {
            LSOA: ["A", "B", "C"],
            LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 002A"],
            POP_TOTAL: [1000.0, 600.0, 900.0],
            AT_RISK: [True, False, True],
            LCP: ["North", "North", "South"],
        }
    )
    pts = [("A", 0), ("A", 300), ("A", 900), ("A", 1000), ("B", 2000), ("B", 2400), ("C", 5000)]
    demand = pd.DataFrame(
        {LSOA: [p[0] for p in pts], X: [X0 + p[1] for p in pts], Y: [Y0] * len(pts)}
    )
    return WhatIfBase(lsoas, demand, pd.DataFrame({X: [X0], Y: [Y0]}), 400)


def _hubs(xs: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [f"hub {i}" for i in range(1, len(xs) + 1)],
            HUB_LAT: [53.8 + i / 100 for i in range(len(xs))],
            HUB_LON: [-1.5] * len(xs),
            X: [X0 + x for x in xs],
            Y: [Y0] * len(xs),
        }
    )


def test_a_clicked_point_is_added_once_and_never_past_ten():
    labels = wf.place_point([], 53.801234567, -1.5)
    assert labels == ["53.80123,-1.50000"]
    assert wf.place_point(labels, 53.801234, -1.5) == labels  # same point again: no change
    full = [f"53.8{i:04d},-1.50000" for i in range(MAX_ADDED_HUBS)]
    assert wf.place_point(full, 53.7, -1.6) == full


def test_a_hub_is_removed_by_its_number_and_the_others_keep_their_order():
    assert wf.remove_label(["a", "b", "c"], 2) == ["a", "c"]
    assert wf.remove_label(["a", "b"], 5) == ["a", "b"]


def test_a_click_on_a_what_if_hub_is_told_apart_from_a_click_on_a_neighbourhood():
    assert wf.clicked_hub_number("What-if hub 3: LS9 7EZ") == 3
    # A label starting with digits does not run into the number.
    assert wf.clicked_hub_number("What-if hub 1: 53.80000,-1.52000") == 1
    assert wf.clicked_hub_number("LSOA code E01011349 Leeds 065D") is None
    assert wf.clicked_hub_number(None) is None


def test_what_if_hubs_are_drawn_with_rings_and_their_labels_as_text():
    m = folium.Map(tiles=None)
    hubs = _hubs([100, 200])
    hubs.loc[1, "label"] = "<script>{{ x }}</script>"
    wf.add_whatif_hubs(m, hubs, 800)
    page = m.get_root().render()
    assert "What-if hub 1: hub 1" in page
    assert "hc-whatif-hub" in page and "radius: 800.0" in page
    assert "<script>{{" not in page  # typed text stays inert in the map script


def test_summary_and_tables_agree_with_the_gain(base):
    hubs = _hubs([1600, 4800])
    gain = base.gain(hubs)
    text = wf.whatif_summary(gain, len(hubs), 400)
    assert f"{gain.residents:,.0f} more residents" in text
    assert f"{gain.at_risk_residents:,.0f} of them in at-risk" in text
    assert wf.lcp_table(gain)["Residents newly reached"].sum() == pytest.approx(
        round(gain.residents), abs=1
    )
    lsoas = wf.lsoa_table(gain)
    assert set(lsoas["LSOA"]) == set(gain.by_lsoa[LSOA])
    assert (lsoas["% with what-if hubs"] > lsoas["% within reach now"]).all()
    table = wf.hubs_table(hubs, gain)
    assert table["Hub"].tolist() == [1, 2] and table["Placed at"].tolist() == ["hub 1", "hub 2"]


def test_summary_with_no_hub_and_with_no_gain(base):
    assert "No what-if hub placed" in wf.whatif_summary(base.gain(_hubs([])), 0, 400)
    # A hub on top of the open hub reaches nobody new.
    assert "nobody new" in wf.whatif_summary(base.gain(_hubs([0])), 1, 400)


def test_reached_today_equals_coverage_by_lsoa(base):
    lsoas = pd.DataFrame(
        {LSOA: ["A", "B", "C"], POP_TOTAL: [1000.0, 600.0, 900.0], AT_RISK: [True, False, True]}
    )
    pts = [("A", 0), ("A", 300), ("A", 900), ("A", 1000), ("B", 2000), ("B", 2400), ("C", 5000)]
    demand = pd.DataFrame(
        {LSOA: [p[0] for p in pts], X: [X0 + p[1] for p in pts], Y: [Y0] * len(pts)}
    )
    cov = coverage_by_lsoa(lsoas, pd.DataFrame({X: [X0], Y: [Y0]}), 400, demand=demand)
    got = base.reached()
    assert got["residents"] == pytest.approx(cov[COVERED_POP].sum())  # A: 2 of 4 postcodes
    assert got["residents"] == pytest.approx(500.0)
    assert got["total"] == 2500.0 and got["total_at_risk"] == 1900.0


def test_comparison_rows_show_both_figures_and_the_gap():
    rows = wf.comparison_rows(
        {
            "k": 2,
            "whatif_residents": 750.0,
            "whatif_at_risk": 0.0,
            "optimiser_residents": 1000.0,
            "optimiser_at_risk": 0.0,
            "gap_residents_pct": 25.0,
            "gap_at_risk_pct": math.nan,
        }
    )
    assert rows["Your 2 hub(s)"].tolist() == ["750", "0"]
    assert rows["Optimiser's 2 hub(s)"].tolist() == ["1,000", "0"]
    assert rows["Gap (% of the optimiser's)"].tolist() == ["25.0%", "–"]


def test_a_what_if_saves_as_a_scenario_the_planner_opens_and_compares(base):
    hubs = _hubs([1600, 4800])
    gain = base.gain(hubs)
    prefixes = [base.gain(hubs.iloc[:i]) for i in (1, 2)]
    text = wf.whatif_scenario_payload(hubs, gain, prefixes, base.reached(), 400)
    sc = pf.parse_scenario(text)
    assert sc["inputs"]["k"] == 2 and sc["inputs"]["objective"] == "total"
    assert sc["whatif"]["add"] == "hub 1;hub 2"
    assert sc["whatif"]["at_risk_residents"] == pytest.approx(gain.at_risk_residents)
    s = sc["summary"]
    assert s["after_weight"] - s["before_weight"] == pytest.approx(gain.residents)
    assert sc["curve"]["reached_weight"].tolist() == pytest.approx(
        [500.0, 500.0 + prefixes[0].residents, 500.0 + gain.residents]
    )
    assert np.isclose(sc["sites"]["cumulative_share"].iloc[-1], s["after_share"])
    table = pf.comparison_table({"mine": sc, "again": pf.parse_scenario(text)}, {"total": "All"})
    assert "Newly reached" in table["Measure"].tolist()
    assert json.loads(text)["schema"] == pf.SCENARIO_SCHEMA
