"""Figure summaries: each map and chart's finding in one sentence, from the table beside it."""

from datetime import date

import pandas as pd

from app_pages.figures import summaries as s
from utils import constants as c


def lcp_table(gaps=(9607.4, 1200.0, 0.0)):
    return pd.DataFrame(
        {
            "Rank": [1, 2, 3],
            "LCP": ["Woodsley and Holt Park", "Armley", "Wetherby"],
            "At-risk residents beyond reach": list(gaps),
            "At-risk residents": [14000, 5000, 100],
            "% of at-risk residents within reach": [31.38, 76.0, 100.0],
        }
    )


def test_lcp_gap_summary_names_the_largest_gap_with_its_number():
    text = s.lcp_gap_summary(lcp_table())
    assert text.startswith(
        "Woodsley and Holt Park has the most at-risk residents beyond reach: 9,607"
    )
    assert "of 14,000 (31.4% within reach)" in text


def test_lcp_gap_summary_ranks_by_the_number_not_the_row_order():
    text = s.lcp_gap_summary(lcp_table((10.0, 500.0, 0.0)))
    assert text.startswith("Armley has the most")


def test_lcp_gap_summary_says_when_nobody_is_beyond_reach():
    assert "Every at-risk resident" in s.lcp_gap_summary(lcp_table((0.0, 0.0, 0.0)))


def indicator_rows():
    return pd.DataFrame(
        {
            c.LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 001C", "Leeds 001D"],
            c.WARD_NAME: ["Adel", "Armley", "Gipton", None],
            c.IMD_SCORE: [3.21, 40.0, 70.06, None],
        }
    )


def test_indicator_map_summary_names_worst_best_and_median():
    text = s.indicator_map_summary(indicator_rows(), c.IMD_SCORE, "IMD 2025 score", "Leeds")
    assert text == (
        "IMD 2025 score across 3 neighbourhoods in Leeds: most deprived Leeds 001C (Gipton) at "
        "70.1, least deprived Leeds 001A (Adel) at 3.2; median 40."
    )


def test_indicator_map_summary_follows_the_direction_of_the_indicator():
    text = s.indicator_map_summary(
        indicator_rows(), c.IMD_SCORE, "Decile", "Leeds", higher_is_worse=False
    )
    assert "most deprived Leeds 001A (Adel) at 3.2" in text


def test_indicator_map_summary_without_values_says_so():
    rows = indicator_rows().assign(**{c.IMD_SCORE: None})
    assert "no neighbourhood in Gipton has a value" in s.indicator_map_summary(
        rows, c.IMD_SCORE, "IMD", "Gipton"
    )


def test_lsoa_gap_summary_counts_neighbourhoods_and_residents():
    table = pd.DataFrame(
        {
            "LSOA name": ["Leeds 035D", "Leeds 071D"],
            "Ward": ["Killingbeck & Seacroft", "Armley"],
            "DERI score (0–10)": [6.8, 5.9],
            "Residents": [1782, 1557],
        }
    )
    text = s.lsoa_gap_summary(table, 800, "Leeds")
    assert text.startswith(
        "2 at-risk neighbourhoods in Leeds (3,339 residents) have fewer than half their residents within 800 m"
    )
    assert "highest need is Leeds 035D (Killingbeck & Seacroft), DERI score 6.8" in text
    assert "Every at-risk neighbourhood" in s.lsoa_gap_summary(table.iloc[0:0], 800, "Leeds")


def test_breakdown_summary_names_the_biggest_contribution():
    table = pd.DataFrame(
        {"Component": ["Income", "Age 60+"], "Contribution to the index": [1.25, 3.5]}
    )
    assert s.breakdown_summary(table, "Leeds 001A") == (
        "Age 60+ adds most to the DERI score of Leeds 001A: 3.5 of 4.8."
    )


def test_growth_summary_totals_every_group_by_month():
    series = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-01-01", "2020-01-01", "2024-05-01", "2024-05-01"]),
            "group": ["A", "B", "A", "B"],
            "open_hubs": [1, 0, 40, 30],
            "open_sample": [0, 0, 39, 30],
        }
    )
    assert s.growth_summary(series) == (
        "Open hubs grew from 1 in Jan 2020 to 70 in May 2024 (69 of them illustrative samples)."
    )


def test_network_summary_counts_samples_and_gaps():
    hubs = pd.DataFrame({c.HUB_SAMPLE: [True, False, True]})
    assert s.network_summary(hubs, 12, date(2023, 4, 1), 800) == (
        "On 1 Apr 2023, 3 hubs were open (2 illustrative samples); 12 at-risk neighbourhoods "
        "had no hub within 800 m."
    )


def test_coverage_over_time_summary_uses_first_and_latest_month_of_one_area():
    rows = pd.DataFrame(
        {
            "month": pd.to_datetime(["2021-01-01", "2024-01-01", "2021-01-01", "2024-01-01"]),
            "area": ["Leeds", "Leeds", "Armley", "Armley"],
            "at_risk_covered_pct": [10.04, 55.55, 1.0, 2.0],
        }
    )
    assert s.coverage_over_time_summary(rows, "at_risk_covered_pct", "Share", "Leeds") == (
        "Share in Leeds: 10.0% in Jan 2021, 55.5% in Jan 2024."
    )


def test_deprivation_change_summary_names_both_ends_and_leaves_out_leeds():
    change = pd.DataFrame(
        {"lcp": ["A", "B", "C", "Leeds"], "imd_pct_change": [0.031, -0.02, 0.0, -0.5]}
    )
    assert s.deprivation_change_summary(change) == (
        "B became relatively more deprived than any other LCP from IMD 2019 to 2025 "
        "(-2.0 percentile points); A moved most the other way (+3.1 percentile points)."
    )


def test_sites_and_curve_summaries_match_the_tables():
    display = pd.DataFrame(
        {
            "Site": ["Leeds 041A", "Leeds 029D"],
            "LCP": ["Cross Gates", "Cross Gates"],
            "Newly reached at-risk people": [2347.4, 1193.7],
            "Cumulative % reached": [66.6, 75.7],
        }
    )
    assert s.sites_summary(display, "at-risk people") == (
        "Build first at Leeds 041A (Cross Gates): it newly reaches 2,347 at-risk people; all 2 "
        "sites together newly reach 3,541, taking the share reached to 75.7%."
    )
    curve = pd.DataFrame(
        {
            "k": [0, 1, 2],
            "reached_weight": [6429.9, 8777.3, 9970.9],
            "reached_share": [0.4879, 0.6660, 0.7566],
            "added_weight": [0.0, 2347.4, 1193.6],
        }
    )
    assert s.curve_summary(curve, "at-risk people") == (
        "With today's hubs 48.8% of at-risk people are reached; with 2 new hub(s), 75.7%."
    )
    table = s.curve_table(curve)
    assert table["% reached"].tolist() == [48.8, 66.6, 75.7]
    assert table["Added by this hub"].tolist() == [0, 2347, 1194]


def test_hub_tables_and_summary_name_samples_in_words():
    hubs = pd.DataFrame(
        {
            c.HUB_NAME: ["Real", "Sample 1"],
            c.HUB_POSTCODE: ["LS15 7JY", "LS10 4HU"],
            c.LCP: ["Cross Gates", "Beeston"],
            c.HUB_OPENED: ["2020-01", "2021-02"],
            c.HUB_SAMPLE: [False, True],
        }
    )
    assert s.open_hubs_table(hubs)["Kind"].tolist() == ["real hub", "illustrative sample"]
    assert s.hubs_map_summary(hubs, "Leeds") == (
        "2 open hubs shown in Leeds: 1 real and 1 illustrative samples (dashed outlines)."
    )


def test_network_summary_agrees_in_number_for_one_hub():
    hubs = pd.DataFrame({c.HUB_SAMPLE: [True]})
    assert s.network_summary(hubs, 1, date(2023, 4, 1), 800) == (
        "On 1 Apr 2023, 1 hub was open (1 illustrative sample); 1 at-risk neighbourhood "
        "had no hub within 800 m."
    )
    none = pd.DataFrame({c.HUB_SAMPLE: []})
    assert s.network_summary(none, 0, date(2023, 4, 1), 800).startswith(
        "On 1 Apr 2023, 0 hubs were open; 0 at-risk neighbourhoods"
    )


def _scenario(shares, objective="at_risk"):
    curve = pd.DataFrame({"k": range(len(shares)), "reached_share": shares})
    return {"curve": curve, "inputs": {"objective": objective}}


def test_comparison_summary_states_each_curve_and_the_leader():
    pair = {"Three": _scenario([0.488, 0.666, 0.7, 0.757]), "One": _scenario([0.488, 0.666])}
    assert s.comparison_summary(pair) == (
        "Three reaches 48.8% of at-risk residents with existing hubs and 75.7% with 3 new hubs; "
        "One reaches 48.8% of at-risk residents with existing hubs and 66.6% with 1 new hub; "
        "Three reaches the largest share."
    )


def test_comparison_summary_ties_empty_curves_and_other_objectives():
    tie = {"A": _scenario([0.5, 0.6]), "B": _scenario([0.4, 0.6], objective="total")}
    assert s.comparison_summary(tie) == (
        "A reaches 50.0% of at-risk residents with existing hubs and 60.0% with 1 new hub; "
        "B reaches 40.0% of people with existing hubs and 60.0% with 1 new hub; "
        "they reach the same share."
    )
    empty = {"A": _scenario([]), "B": _scenario([0.1, 0.2])}
    assert s.comparison_summary(empty) == (
        "A has no coverage curve; B reaches 10.0% of at-risk residents with existing hubs and "
        "20.0% with 1 new hub."
    )
    assert s.comparison_summary({}) == "No scenarios to compare."


def test_growth_summary_names_one_illustrative_sample_in_the_singular():
    series = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-01-01", "2024-05-01"]),
            "group": ["A", "A"],
            "open_hubs": [1, 2],
            "open_sample": [0, 1],
        }
    )
    assert s.growth_summary(series) == (
        "Open hubs grew from 1 in Jan 2020 to 2 in May 2024 (1 of them an illustrative sample)."
    )
