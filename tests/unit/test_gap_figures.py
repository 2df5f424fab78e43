"""Gaps page builders: URL settings, gap tables, headline figures, links and figures."""

import math
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from app_pages.figures import gap_figures as gf
from geo import coverage as cov
from utils import constants as c
from utils.risk import DEFAULT_COMPONENT_WEIGHTS, RISK_MISSING, risk_breakdown
from utils.view_state import decode_params


@pytest.fixture()
def by_lsoa() -> pd.DataFrame:
    """Four LSOAs in two LCPs; two hubs, both in LCP A."""
    lsoas = pd.DataFrame(
        {
            c.LSOA: ["E01000001", "E01000002", "E01000003", "E01000004"],
            c.LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 002A", "Leeds 002B"],
            c.MSOA_NAME: ["Alpha", "Alpha", "Beta", "Beta"],
            c.WARD_NAME: ["Ward A", "Ward A", "Ward B", "Ward B"],
            c.LCP: ["A & Co", "A & Co", "B", "B"],
            c.PWC_X: [430_000.0, 431_000.0, 440_000.0, 441_000.0],
            c.PWC_Y: [433_000.0, 433_000.0, 433_000.0, 433_000.0],
            c.POP_TOTAL: [1000, 2000, 1500, 500],
            c.RISK_INDEX: [8.0, 2.0, 9.0, np.nan],
            c.IMD_DECILE: [1, 5, 1, 2],
            c.IMD_SCORE: [50.0, 20.0, 60.0, 40.0],
            RISK_MISSING: ["", "", "", "No inputs available for any weighted component"],
            c.AT_RISK: [True, False, True, False],
        }
    )
    hubs = pd.DataFrame({c.HUB_ID: ["H1", "H2"], c.X: [430_100.0, 431_000.0], c.Y: [433_000.0] * 2})
    hubs[c.LCP] = ["A & Co", "A & Co"]
    return cov.coverage_by_lsoa(lsoas, hubs, 800), hubs


def test_weights_round_trip_through_the_url():
    weights = gf.weights_key({"deprivation": 2.5, "broadband": 0})
    text = gf.format_weights(weights)
    assert text == "age:1,broadband:0,deprivation:2.5"
    assert gf.parse_weights(text) == weights


def test_weights_left_out_of_the_url_keep_their_defaults():
    parsed = dict(gf.parse_weights("deprivation:3"))
    assert parsed["deprivation"] == 3.0
    assert parsed["age"] == DEFAULT_COMPONENT_WEIGHTS["age"]
    assert set(parsed) == set(DEFAULT_COMPONENT_WEIGHTS)


@pytest.mark.parametrize(
    "raw", ["nonsense:1", "deprivation", "deprivation:x", "deprivation:0.3", "deprivation:99"]
)
def test_bad_weights_in_the_url_fall_back_to_defaults_with_a_notice(raw):
    values, notices = decode_params({"w": raw}, gf.gap_specs())
    assert values["w"] == gf.DEFAULT_WEIGHTS
    assert len(notices) == 1 and "risk weights" in notices[0]


def test_all_zero_weights_from_a_url_are_refused():
    zero = ",".join(f"{k}:0" for k in DEFAULT_COMPONENT_WEIGHTS)
    values, notices = decode_params({"w": zero}, gf.gap_specs())
    assert values["w"] == gf.DEFAULT_WEIGHTS and notices


def test_default_settings_leave_the_url_empty_and_others_are_written():
    defaults = {"w": gf.DEFAULT_WEIGHTS, "def": "top20_risk", "scale": "leeds"}
    assert gf.encode_gap_params(defaults) == {}
    changed = {"w": gf.weights_key({"broadband": 0}), "def": "core20", "scale": "england"}
    out = gf.encode_gap_params(changed)
    assert out["def"] == "core20" and out["scale"] == "england"
    assert "broadband:0" in out["w"]
    values, notices = decode_params(out, gf.gap_specs())
    assert not notices and values == changed


def test_core20_gaps_are_ordered_by_imd_score_and_top20_by_the_index():
    assert gf.need_column("core20") == c.IMD_SCORE
    assert gf.need_column("top20_risk") == c.RISK_INDEX


def test_gap_link_encodes_the_lcp_name_and_keeps_other_view_settings():
    href = gf.gaps_href("Provisional: Armley & Wortley", {"r": "1200", "area": "ignored"})
    assert href.startswith("gaps?area=Provisional%3A%20Armley%20%26%20Wortley")
    query = parse_qs(urlparse(href).query)
    assert query == {"area": ["Provisional: Armley & Wortley"], "r": ["1200"]}


def test_gap_link_html_escapes_names_and_opens_in_the_same_tab():
    link = gf.gap_link_html('<b>"Evil"</b>')
    assert "<b>" not in link.replace('<a href="', "")
    assert 'target="_self"' in link
    assert "&lt;b&gt;" in link


def test_lcp_table_ranks_uncovered_at_risk_people_with_plain_names(by_lsoa):
    frame, hubs = by_lsoa
    table = gf.lcp_gap_table(cov.rank_lcp_gaps(frame, hubs))
    assert list(table["LCP"]) == ["B", "A & Co"]
    first = table.iloc[0]
    assert first["At-risk residents beyond reach"] == 1500
    assert first["Residents"] == 2000 and first["Open hubs"] == 0
    assert first["% of residents within reach"] == 0.0
    second = table.iloc[1]
    assert second["% of residents within reach"] == 100.0
    assert second["Hubs per 10,000 at-risk residents"] == 20.0


def test_lsoa_gap_table_lists_only_at_risk_lsoas_beyond_reach(by_lsoa):
    frame, _ = by_lsoa
    table = gf.lsoa_gap_table(cov.rank_lsoa_gaps(frame))
    assert list(table["LSOA code"]) == ["E01000003"]
    assert table["Nearest hub (m, straight line)"].iloc[0] == 9000
    assert "Inputs missing from the index" in table.columns


def test_no_hubs_at_all_shows_a_blank_distance_not_infinity(by_lsoa):
    frame, hubs = by_lsoa
    none = cov.coverage_by_lsoa(frame.drop(columns=[cov.NEAREST_HUB]), hubs.iloc[:0], 800)
    every = gf.lsoa_coverage_table(none)
    assert every[c.NEAREST_HUB_M].isna().all()
    assert not every[c.COVERED].any()


def test_every_lsoa_table_puts_highest_risk_first_and_missing_index_last(by_lsoa):
    frame, _ = by_lsoa
    every = gf.lsoa_coverage_table(frame)
    assert list(every[c.LSOA]) == ["E01000003", "E01000001", "E01000002", "E01000004"]


def test_missing_inputs_are_reported_not_hidden(by_lsoa):
    frame, _ = by_lsoa
    text = gf.missing_inputs_summary(frame)
    assert "1 of 4 LSOAs lack some inputs" in text and "1 have no index" in text
    complete = frame.assign(**{RISK_MISSING: ""})
    assert gf.missing_inputs_summary(complete) == ""


def test_choice_labels_show_the_index_or_no_data(by_lsoa):
    frame, _ = by_lsoa
    labels = gf.lsoa_choice_labels(frame)
    assert list(labels)[0] == "E01000003"
    assert labels["E01000004"].endswith("DERI no data")
    assert labels["E01000003"].endswith("DERI 9.00")


def test_headlines_give_coverage_and_at_risk_figures_for_leeds(by_lsoa):
    frame, hubs = by_lsoa
    leeds = cov.summarise_coverage(frame, hubs=hubs).iloc[0]
    figures = {h.label: h for h in gf.coverage_headlines(leeds, 800, "top20_risk")}
    assert figures["Residents within reach"].value == "60%"
    assert figures["Residents within reach"].source.startswith("3,000 of 5,000 live within 800 m")
    assert figures["At-risk residents within reach"].value == "40%"
    assert figures["At-risk residents within reach"].source.startswith("1,000 of 2,500")
    assert figures["At-risk beyond reach"].value == "1,500"
    assert figures["Hubs per 10,000 at risk"].value == "8.00"


def test_top_gaps_skip_lcps_with_nobody_beyond_reach(by_lsoa):
    frame, hubs = by_lsoa
    top = gf.top_gaps(cov.rank_lcp_gaps(frame, hubs))
    assert list(top[cov.AREA]) == ["B"]


def test_top_gaps_markdown_links_only_known_areas(by_lsoa):
    frame, hubs = by_lsoa
    frame = frame.assign(**{c.AT_RISK: True})
    frame = cov.coverage_by_lsoa(frame.drop(columns=[cov.NEAREST_HUB]), hubs, 50)
    ranked = cov.rank_lcp_gaps(frame, hubs)
    text = gf.top_gaps_markdown(ranked, 50, linkable=["B"], extra={"r": "400"})
    lines = text.splitlines()
    assert len(lines) == 2
    assert 'href="gaps?area=B&amp;r=400"' in lines[0]
    assert "A &amp; Co" in lines[1] and "href" not in lines[1]
    assert gf.top_gaps_markdown(ranked.iloc[:0], 100, linkable=[]) == ""


def test_scatter_has_one_labelled_dot_per_lcp_and_leeds_reference_lines(by_lsoa):
    frame, hubs = by_lsoa
    ranked = cov.rank_lcp_gaps(frame, hubs)
    leeds = cov.summarise_coverage(frame, hubs=hubs).iloc[0]
    fig = gf.build_need_coverage_scatter(ranked, leeds, radius_m=800, highlight=["B"])
    assert isinstance(fig, go.Figure)
    trace = fig.data[0]
    assert list(trace.text) == ["B", "A &amp; Co"]
    assert list(trace.hovertext) == ["B", "A &amp; Co"]
    assert list(trace.x) == pytest.approx([75.0, 1000 / 30])
    assert list(trace.y) == pytest.approx([0.0, 100.0])
    assert trace.marker.color[0] == gf.COLOUR_GAP and trace.marker.color[1] == gf.COLOUR_POINT
    assert len(fig.layout.shapes) == 2  # Leeds need and coverage lines
    assert "800 m" in fig.layout.yaxis.title.text


def test_scatter_names_lcps_with_nobody_at_risk_only_on_hover(by_lsoa):
    frame, hubs = by_lsoa
    only_a = frame.drop(columns=[cov.NEAREST_HUB]).assign(**{c.AT_RISK: [True, True, False, False]})
    ranked = cov.rank_lcp_gaps(cov.coverage_by_lsoa(only_a, hubs, 800), hubs)
    trace = gf.build_need_coverage_scatter(ranked, radius_m=800).data[0]
    labels = dict(zip(trace.hovertext, trace.text, strict=True))
    assert labels == {"A &amp; Co": "A &amp; Co", "B": ""}


def test_breakdown_table_and_chart_mark_missing_components():
    risk = pd.DataFrame(
        {"risk_age": [np.nan], "risk_broadband": [2.0], "risk_deprivation": [6.0]},
        index=pd.Index(["E01000001"], name=c.LSOA),
    )
    breakdown = risk_breakdown(risk, "E01000001", dict(DEFAULT_COMPONENT_WEIGHTS))
    table = gf.breakdown_table(breakdown)
    assert table["Contribution to the index"].sum() == pytest.approx(4.0)
    assert table.loc[0, "Data"].startswith("missing")
    fig = gf.build_breakdown_chart(breakdown, "Leeds 001A")
    assert fig.data[0].text[0] == "missing"
    assert "(no data)" in fig.data[0].y[0]
    assert not any(math.isnan(v) for v in fig.data[0].x)


def test_hub_count_says_how_many_are_illustrative_samples():
    hubs = pd.DataFrame({c.HUB_SAMPLE: [True, True, False], c.LCP: ["B", "A", "A"]})
    assert gf.hub_count_text(hubs, "All Leeds") == (
        "3 open hubs in Leeds, 2 of them illustrative samples (not real sites)."
    )
    assert gf.hub_count_text(hubs, "A").startswith("2 open hubs in A (1 illustrative); 3 open")
    real = hubs.assign(**{c.HUB_SAMPLE: False})
    assert gf.hub_count_text(real, "All Leeds") == "3 open hubs in Leeds."


def test_the_dashboard_default_weights_are_the_deri_equal_thirds():
    assert dict(gf.DEFAULT_WEIGHTS) == {"age": 1.0, "broadband": 1.0, "deprivation": 1.0}
    assert gf.encode_gap_params({"w": gf.weights_key({"age": 1, "broadband": 1})}) == {}


def test_scaling_help_names_the_inputs_without_england_wide_values():
    text = gf.scaling_help()
    assert "IDAOPI" in text and "within Leeds" in text
    assert "Census" not in text.split("No England-wide values")[1]


def test_indicator_breakdown_table_shows_raw_value_score_and_weight():
    from utils.risk import raw_column, scaled_column

    row = pd.Series(
        {
            raw_column(c.PCT_65PLUS): 27.36,
            scaled_column(c.PCT_65PLUS): 6.05,
            "risk_age": 6.05,
            raw_column(c.DIGITAL_CONNECTIVITY): -0.427,
            scaled_column(c.DIGITAL_CONNECTIVITY): 3.24,
            "risk_broadband": 3.24,
            raw_column(c.IDAOPI_SCORE): 0.132,
            scaled_column(c.IDAOPI_SCORE): 1.3,
            raw_column(c.ADULT_SKILLS_INDICATOR): 0.262,
            scaled_column(c.ADULT_SKILLS_INDICATOR): 4.22,
            raw_column(c.EMPLOYMENT_SCORE): 0.131,
            scaled_column(c.EMPLOYMENT_SCORE): 3.11,
            raw_column(c.IMD_SCORE): 17.0,
            scaled_column(c.IMD_SCORE): 2.03,
            "risk_deprivation": 2.97,
        }
    )
    inputs = risk_breakdown(row, level="indicator")
    table = gf.indicator_breakdown_table(inputs)
    assert list(table["Component"]) == ["Age", "Broadband"] + ["Deprivation"] * 4
    assert table["Weight in component (%)"].tolist() == [100, 100, 20, 40, 20, 20]
    assert table.loc[0, "Value"] == pytest.approx(27.36)
    assert table.loc[3, "Score (0–10)"] == pytest.approx(4.22)
    assert table["Component score (0–10)"].tolist()[2:] == [2.97] * 4
