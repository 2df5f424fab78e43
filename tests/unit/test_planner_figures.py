"""Unit tests for app_pages/figures/planner_figures.py: curve figure, tables, scenario JSON and comparison."""

from __future__ import annotations

import ast
import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app_pages.figures import planner_figures as pf
from geo.sites import OBJECTIVES, recommend_sites_from_matrix, sites_needed_for_share_from_matrix
from utils.constants import LAT, LCP, LON, LSOA
from utils.hubs import RowError

CURVE = pd.DataFrame(
    {
        "k": [0, 1, 2, 3],
        "reached_weight": [100.0, 160.0, 190.0, 200.0],
        "reached_share": [0.4, 0.64, 0.76, 0.8],
        "added_weight": [0.0, 60.0, 30.0, 10.0],
    }
)
SITES = pd.DataFrame(
    {
        "rank": [1, 2],
        "candidate_index": [4, 0],
        "site": ["Leeds 001A", "Leeds 002B"],
        LSOA: ["E01000001", "E01000002"],
        LCP: ["Seacroft", "Seacroft"],
        "x": [430_000.0, 431_000.0],
        "y": [433_000.0, 434_000.0],
        LAT: [53.8, 53.81],
        LON: [-1.5, -1.49],
        "newly_reached": [60.4, 29.6],
        "cumulative_reached": [160.4, 190.0],
        "cumulative_share": [0.6416, 0.76],
        "alternatives": ["Leeds 001B", ""],
    }
)
INPUTS = {
    "area": "Seacroft",
    "objective": "at_risk",
    "k": 2,
    "radius_m": 800,
    "target_pct": 80,
    "candidates": "LSOA centres",
    "venues_sha256": None,
}


def _rec():
    # Existing hub reaches point 0; candidate 0 reaches points 0 and 2, candidate 1 point 1.
    cost = np.array([[100.0, 5000.0], [5000.0, 100.0], [300.0, 5000.0]])
    existing = np.array([[0.0], [5000.0], [5000.0]])
    return recommend_sites_from_matrix(cost, np.array([10.0, 20.0, 30.0]), 2, 800, existing)


def _summary():
    return pf.plan_summary(_rec(), n_existing=1, n_sample=1)


def _scenario(k: int = 2, name_sites=("Leeds 001A", "Leeds 002B")) -> dict:
    sites = SITES.assign(site=list(name_sites))
    text = pf.scenario_payload(
        {**INPUTS, "k": k},
        _summary(),
        {"target_share": 0.8, "n_sites": None, "reached_share": 0.5, "message": "too far"},
        sites,
        CURVE,
        saved_at=datetime(2026, 1, 2, 3, 4, 5),
    )
    return pf.parse_scenario(text)


def test_planner_figures_module_never_imports_streamlit():
    tree = ast.parse(Path(pf.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] == "streamlit"]


def test_coverage_curve_shows_share_line_gain_bars_chosen_k_and_target():
    fig = pf.coverage_curve_figure(CURVE, "at_risk", chosen_k=2, target_share=0.75)
    kinds = [t.type for t in fig.data]
    assert kinds.count("bar") == 1 and kinds.count("scatter") == 2
    bar = next(t for t in fig.data if t.type == "bar")
    assert list(bar.x) == [1, 2, 3] and list(bar.y) == [60.0, 30.0, 10.0]
    line = fig.data[1]
    assert list(line.y) == pytest.approx([40.0, 64.0, 76.0, 80.0])
    chosen = fig.data[2]
    assert list(chosen.x) == [2] and list(chosen.y) == pytest.approx([76.0])
    assert "at-risk residents" in fig.layout.yaxis2.title.text  # the % axis, drawn on the left
    assert fig.data[1].yaxis == "y2" and fig.layout.yaxis2.side == "left"
    assert any(s.y0 == pytest.approx(75.0) for s in fig.layout.shapes)


def test_coverage_curve_without_chosen_k_or_target_has_no_marker_or_line():
    fig = pf.coverage_curve_figure(CURVE, "total")
    assert len(fig.data) == 2 and not fig.layout.shapes


def test_sites_display_table_names_what_is_counted_and_shows_percent():
    out = pf.sites_display_table(SITES, "older")
    assert list(out.columns[:5]) == [
        "Order",
        "Site",
        "LSOA",
        "LCP",
        "Newly reached people aged 60+",
    ]
    assert list(out["Cumulative % reached"]) == [64.2, 76.0]
    assert list(out["Newly reached people aged 60+"]) == [60.0, 30.0]
    assert list(out["Equally good alternatives"]) == ["Leeds 001B", ""]


def test_row_errors_table_lists_row_column_and_problem():
    out = pf.row_errors_table([RowError(3, "name", "Duplicate venue."), RowError(None, "x", "y")])
    assert out.to_dict("list") == {
        "Row": ["3", "file"],
        "Column": ["name", "x"],
        "Problem": ["Duplicate venue.", "y"],
    }


def test_plan_summary_reads_before_and_after_from_the_recommendation():
    s = _summary()
    assert s["total_weight"] == 60.0 and s["before_weight"] == 10.0 and s["after_weight"] == 60.0
    assert s["before_share"] == pytest.approx(1 / 6) and s["after_share"] == 1.0
    assert s["n_sites"] == 2 and s["n_existing_hubs"] == 1 and s["n_sample_hubs"] == 1


def test_needed_sentence_covers_zero_some_and_unreachable():
    # Point 2 is out of everyone's reach: at most half the weight can be reached.
    cost = np.array([[100.0, 5000.0], [5000.0, 100.0], [5000.0, 5000.0]])
    w = np.array([10.0, 20.0, 30.0])
    some = pf.needed_summary(sites_needed_for_share_from_matrix(cost, w, 0.3, 800))
    assert "**1 new hub**" in pf.needed_sentence(some, "at_risk", "Seacroft", 800)
    none = pf.needed_summary(sites_needed_for_share_from_matrix(cost, w, 0.9, 800))
    assert "cannot be reached" in pf.needed_sentence(none, "at_risk", "Seacroft", 800)
    zero = {"target_share": 0.1, "n_sites": 0, "reached_share": 0.2, "message": None}
    assert "already reach 20.0%" in pf.needed_sentence(zero, "total", "Leeds", 400)
    assert pf.needed_sentence(pf.needed_summary(None), "total", "Leeds", 400) == ""


def test_scenario_round_trips_inputs_results_and_curve():
    sc = _scenario()
    assert sc["inputs"] == INPUTS
    assert sc["saved_at"] == "2026-01-02T03:04:05"
    assert list(sc["sites"]["site"]) == ["Leeds 001A", "Leeds 002B"]
    assert list(sc["sites"][LAT]) == [53.8, 53.81]
    assert sc["curve"].equals(CURVE)
    assert sc["summary"]["after_weight"] == 60.0
    assert sc["needed"]["message"] == "too far"


def test_scenario_without_required_inputs_is_refused():
    with pytest.raises(pf.ScenarioError, match="radius_m"):
        pf.scenario_payload({"area": "Leeds"}, {}, {}, SITES, CURVE)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("not json", "not valid JSON"),
        (json.dumps({"schema": 99}), "different version"),
        (json.dumps({"schema": pf.SCENARIO_SCHEMA, "inputs": {}}), "no 'summary'"),
    ],
)
def test_unreadable_scenarios_raise_scenario_error(text, match):
    with pytest.raises(pf.ScenarioError, match=match):
        pf.parse_scenario(text)


def test_comparison_table_puts_scenarios_side_by_side():
    table = pf.comparison_table(
        {"Two": _scenario(), "One": _scenario(1, ["Leeds 009Z", "Leeds 001A"])}, OBJECTIVES
    )
    assert list(table.columns) == ["Measure", "Two", "One"]
    rows = table.set_index("Measure")
    assert list(rows.loc["New hubs asked for (k)"]) == ["2", "1"]
    assert rows.loc["Reached with new hubs", "Two"] == "60 (100.0%)"
    assert rows.loc["Existing hubs kept", "Two"] == "1 (1 sample)"
    assert rows.loc["Recommended sites", "One"] == "Leeds 009Z, Leeds 001A"
    assert rows.loc["New hubs for target", "Two"] == "80%: not reachable"


def test_comparison_figure_draws_one_curve_per_scenario():
    fig = pf.comparison_figure({"A": _scenario(), "B": _scenario(1)})
    assert [t.name.split(" (")[0] for t in fig.data] == ["A", "B"]
    assert list(fig.data[0].y) == pytest.approx([40.0, 64.0, 76.0, 80.0])


def test_scenario_label_reads_like_a_sentence():
    label = pf.scenario_label(_scenario(), OBJECTIVES)
    assert label == "Seacroft · 2 new hubs · 800 m · At-risk residents reached · LSOA centres"


def test_every_objective_says_what_it_counts_and_risk_weighted_is_not_a_head_count():
    from geo.sites import OBJECTIVES

    assert set(pf.OBJECTIVE_NOTES) == set(OBJECTIVES) == set(pf.OBJECTIVE_UNITS)
    assert "same at-risk residents" in pf.objective_note("at_risk")
    assert "not a count of people at risk" in pf.objective_note("risk_weighted")
